/**
 * Benchmarks. Each prints progress as it goes and, as its very last line, one JSON object with its
 * figures so runs can be compared.
 *
 *   npm run bench                      every benchmark, each in its own process, one after another;
 *                                      writes bench/report.md (each figure against bench/targets.ts,
 *                                      and the machine) and exits non-zero when a target is missed
 *   npm run bench -- --only a,b        the report for some of them; --skip soak for all but some
 *   npm run bench -- --reuse soak=F    takes soak's figures from F, the saved output of an earlier
 *                                      `npm run bench -- soak` (its last JSON line), instead of
 *                                      running it; the report's Runs table says so
 *   npm run bench -- <name>            runs bench/<name>.ts here, no report
 *   npm run bench -- --list            lists the benchmarks
 *
 * BENCH_DIR and BENCH_REPORT move the benchmarks' folder and the report (the runner's own test).
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { type RunResult, describeMachine, lastJsonObject, renderReport, runBenchmark } from "./lib-report.js";
import { TARGETS } from "./targets.js";

const here = process.env.BENCH_DIR ? resolve(process.env.BENCH_DIR) : dirname(fileURLToPath(import.meta.url));
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NOT_BENCHMARKS = new Set(["run", "targets"]);
const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("lib") && !f.endsWith(".test.ts") && !NOT_BENCHMARKS.has(f.slice(0, -3)))
  .map((f) => f.slice(0, -3))
  .sort();

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { list: { type: "boolean" }, only: { type: "string" }, skip: { type: "string" }, reuse: { type: "string", multiple: true } },
});

if (values.list) {
  console.log(`benchmarks: ${available.join(", ")}\nrun one with: npm run bench -- <name>; all with a report: npm run bench`);
  process.exit(0);
}

const name = positionals[0];
if (name) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark "${name}"; available: ${available.join(", ")}`);
    process.exit(2);
  }
  await import(pathToFileURL(join(here, `${name}.ts`)).href);
} else {
  process.exitCode = await report();
}

async function report(): Promise<number> {
  const names = (list: string | undefined) => (list ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const only = names(values.only);
  const skip = names(values.skip);
  const unknown = [...only, ...skip].filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    console.error(`unknown benchmark${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; available: ${available.join(", ")}`);
    return 2;
  }
  const chosen = available.filter((n) => (only.length === 0 || only.includes(n)) && !skip.includes(n));
  const untargeted = Object.keys(TARGETS).filter((n) => !available.includes(n));
  if (untargeted.length > 0 && !process.env.BENCH_DIR) console.warn(`targets for benchmarks that do not exist: ${untargeted.join(", ")}`);
  const selection = only.length > 0 ? `only ${chosen.join(", ")}` : skip.length > 0 ? `all but ${skip.join(", ")}` : "every benchmark";
  const reportPath = process.env.BENCH_REPORT ? resolve(process.env.BENCH_REPORT) : join(here, "report.md");
  const machine = describeMachine(root);
  const results: RunResult[] = [];
  let stopCurrent: (() => void) | undefined;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stopCurrent?.();
      process.exit(130);
    });
  }
  const write = (pending: string[]) => writeFileSync(reportPath, renderReport({ results, machine, selection, pending }));
  const reused = new Map(
    (values.reuse ?? []).map((spec) => {
      const [bench, file] = spec.split("=", 2) as [string, string | undefined];
      if (!file || !available.includes(bench)) throw new Error(`--reuse wants <benchmark>=<saved output>, got "${spec}"`);
      return [bench, resolve(file)] as const;
    }),
  );
  for (const [i, bench] of chosen.entries()) {
    const saved = reused.get(bench);
    if (saved) {
      const figures = lastJsonObject(readFileSync(saved, "utf8").split("\n"));
      results.push({ name: bench, ...(figures ? { figures } : { failure: `no JSON line in ${saved}` }), exitCode: 0, signal: null, seconds: 0, reused: `figures from ${saved}` });
      write(chosen.slice(i + 1));
      continue;
    }
    console.log(`\n=== [${i + 1}/${chosen.length}] ${bench} ===`);
    const result = await runBenchmark(bench, join(here, `${bench}.ts`), {
      cwd: root,
      timeoutMs: timeoutFor(bench),
      echo: (line) => console.log(line),
      onStart: (stop) => (stopCurrent = stop),
    });
    stopCurrent = undefined;
    results.push(result);
    console.log(`=== ${bench}: ${result.failure ?? "done"} (${result.seconds} s) ===`);
    // Written after every benchmark, so a long run that is stopped still leaves what it measured.
    write(chosen.slice(i + 1));
  }
  write([]);
  const text = renderReport({ results, machine, selection });
  const table = text.slice(text.indexOf("| benchmark | figure"), text.indexOf("\n## Runs"));
  console.log(`\n${table.trim()}\n\nreport: ${reportPath}`);
  return /\*\*fail\*\*/.test(text) ? 1 : 0;
}

/** Generous: a benchmark that takes longer is stuck. The soak's length is its own setting. */
function timeoutFor(bench: string): number {
  const minutes = bench === "soak" ? Number(process.env.SOAK_MINUTES ?? 30) + 45 : Number(process.env.BENCH_TIMEOUT_MINUTES ?? 60);
  return minutes * 60_000;
}
