import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lastJsonObject, reportRows } from "../../bench/lib-report.js";
import { TARGETS, describeTarget, evaluate } from "../../bench/targets.js";
import { tempDir } from "../helpers/temp-dir.js";

const root = join(import.meta.dirname, "..", "..");

describe("targets", () => {
  it("compares with ≤, <, ≥ and =, and with a multiple of another figure", () => {
    expect(evaluate({ figure: "p", op: "<=", bound: 2 }, { p: 2 })).toEqual({ pass: true });
    expect(evaluate({ figure: "p", op: "<=", bound: 2 }, { p: 2.01 })).toEqual({ pass: false });
    expect(evaluate({ figure: "p", op: "<", bound: 150 }, { p: 150 })).toEqual({ pass: false });
    expect(evaluate({ figure: "p", op: ">=", bound: 5000 }, { p: 5000 })).toEqual({ pass: true });
    expect(evaluate({ figure: "p", op: "=", bound: 0 }, { p: 1 })).toEqual({ pass: false });
    const drain = { figure: "burst_drain_s", op: "<=", bound: { times: 1.15, of: "burst_bound_s" } } as const;
    expect(evaluate(drain, { burst_drain_s: 1.4, burst_bound_s: 1.25 })).toEqual({ pass: true });
    expect(evaluate(drain, { burst_drain_s: 9.76, burst_bound_s: 1.25 })).toEqual({ pass: false });
    expect(describeTarget(drain, { burst_bound_s: 1.25 })).toBe("≤ 1.15 × burst_bound_s (1.25)");
  });

  it("fails a figure that is missing, null or not a number", () => {
    const t = { figure: "losses", op: "=", bound: 0 } as const;
    expect(evaluate(t, {})).toEqual({ pass: false, reason: "figure missing" });
    expect(evaluate(t, { losses: null }).pass).toBe(false);
    expect(evaluate({ figure: "a", op: "<=", bound: { times: 2, of: "b" } }, { a: 1 })).toEqual({ pass: false, reason: "b missing" });
  });

  it("holds the soak's targets", () => {
    expect(TARGETS.soak!.map((t) => `${t.figure} ${describeTarget(t)}`)).toEqual(["losses = 0", "duplicates = 0", "stock_mismatches = 0", "rss_growth_pct ≤ 20 %"]);
  });

  it("takes the last JSON object among the output lines", () => {
    expect(lastJsonObject(["{\"a\":1}", "progress", "{\"b\":2}", "bye"])).toEqual({ b: 2 });
    expect(lastJsonObject(["{not json", "[1,2]"])).toBeUndefined();
  });

  it("lists targeted figures first, then the others without a verdict", () => {
    const rows = reportRows([{ name: "rackbeat-client", exitCode: 0, signal: null, seconds: 5, figures: { calls: 4000, ratio: 1.2, sandbox_429s: 0 } }]);
    expect(rows.map((r) => [r.figure, r.result])).toEqual([
      ["ratio", "fail"],
      ["sandbox_429s", "pass"],
      ["calls", ""],
    ]);
  });
});

describe("npm run bench (the report runner)", () => {
  const dir = tempDir("rbc-bench-runner-");
  afterAll(() => dir.cleanup());
  // Stand-ins named like real benchmarks, so their targets apply.
  writeFileSync(join(dir.path, "rackbeat-client.ts"), `console.log("reading…");\nconsole.log(JSON.stringify({ calls: 4000, ratio: 1.05, sandbox_429s: 0 }));\n`);
  writeFileSync(join(dir.path, "checkout-overhead.ts"), `console.log("starting");\nthrow new Error("WordPress did not come up");\n`);
  writeFileSync(join(dir.path, "queue.ts"), `console.log("done, but no figures");\n`);
  writeFileSync(join(dir.path, "scale-out.ts"), `console.log(JSON.stringify({ speedup: 2.1, sandbox_429s: 0, duplicates: 0 }));\n`);
  writeFileSync(join(dir.path, "lib-helper.ts"), `throw new Error("not a benchmark");\n`);
  const report = join(dir.path, "report.md");
  const bench = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", "run.ts"), ...args], {
      cwd: root,
      env: { ...process.env, BENCH_DIR: dir.path, BENCH_REPORT: report },
      encoding: "utf8",
      timeout: 120_000,
    });

  it("lists the benchmarks with --list", () => {
    const run = bench("--list");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("benchmarks: checkout-overhead, queue, rackbeat-client, scale-out");
  });

  it("goes on past a crash and a run without JSON, reports them as failed rows and exits non-zero", () => {
    const run = bench("--skip", "scale-out");
    expect(run.status).toBe(1);
    const text = readFileSync(report, "utf8");
    expect(text).toContain("| rackbeat-client | ratio | ≤ 1.1 | 1.05 | pass |");
    expect(text).toContain("| rackbeat-client | calls | — | 4,000 | — |");
    expect(text).toMatch(/\| checkout-overhead \| \(run\) \| .* \| exited with 1: .*WordPress did not come up.* \| \*\*fail\*\* \|/);
    expect(text).toContain("| queue | (run) | runs to the end and prints its JSON line | printed no JSON line | **fail** |");
    expect(text).toContain("| queue | jobs_per_s | ≥ 5,000 | not measured | **fail** |");
    expect(text).not.toContain("| scale-out |");
    expect(text).toMatch(/- CPU: .+, \d+ cores/);
    expect(text).toMatch(/- Commit: [0-9a-f]{7,}/);
    expect(text).toContain(`- Node: ${process.version}`);
  });

  it("reports a missed target of a run that finished, and passes when every target is met", () => {
    const missed = bench("--only", "scale-out,rackbeat-client");
    expect(missed.status).toBe(1);
    expect(readFileSync(report, "utf8")).toContain("| scale-out | speedup | ≥ 2.5 | 2.1 | **fail** |");
    const met = bench("--only", "rackbeat-client");
    expect(met.status).toBe(0);
    expect(readFileSync(report, "utf8")).toContain("**All 2 targets met.**");
  });

  it("takes a benchmark's figures from a saved output with --reuse, without running it", () => {
    const saved = join(dir.path, "scale-out.log");
    writeFileSync(saved, `progress\n${JSON.stringify({ speedup: 2.7, sandbox_429s: 0, duplicates: 0 })}\n`);
    const run = bench("--only", "scale-out", "--reuse", `scale-out=${saved}`);
    expect(run.status).toBe(0);
    const text = readFileSync(report, "utf8");
    expect(text).toContain("| scale-out | speedup | ≥ 2.5 | 2.7 | pass |");
    expect(text).toContain(`| scale-out | not run now: figures from ${saved} |`);
    expect(run.stdout).not.toContain("=== [1/1] scale-out ===");
  });

  it("refuses a name that is not a benchmark", () => {
    const run = bench("--only", "lib-helper");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown benchmark lib-helper");
  });
});
