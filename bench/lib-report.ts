/**
 * The report runner's parts (bench/run.ts): run one benchmark in its own process and keep its last
 * JSON line, describe the machine, and write the report (one row per figure, pass/fail against
 * bench/targets.ts).
 */
import { execFileSync, spawn } from "node:child_process";
import { cpus, loadavg, release, totalmem, type as osType } from "node:os";
import { createInterface } from "node:readline";
import { TARGETS, describeTarget, evaluate, formatNumber } from "./targets.js";

export interface RunResult {
  name: string;
  /** The figures of the last JSON line the benchmark printed, if any. */
  figures?: Record<string, unknown>;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  seconds: number;
  /** Why the run failed (crash, no JSON, timeout); undefined when it ran to the end with figures. */
  failure?: string;
  /** Taken from a saved log (`--reuse name=file`) instead of run now: what the log says it was. */
  reused?: string;
}

/** The last line of `lines` that is a JSON object, parsed. */
export function lastJsonObject(lines: readonly string[]): Record<string, unknown> | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (!line.startsWith("{")) continue;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // a progress line that happens to start with "{"
    }
  }
  return undefined;
}

/**
 * Runs `node --import tsx <file>` in its own process group (so a timeout or Ctrl+C ends the
 * sandboxes and bridges it started too), echoing its output, and keeps its last JSON line.
 */
export async function runBenchmark(
  name: string,
  file: string,
  options: { cwd: string; timeoutMs: number; echo?: (line: string) => void; onStart?: (stop: () => void) => void },
): Promise<RunResult> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const stop = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  };
  options.onStart?.(stop);
  const tail: string[] = [];
  const stderrTail: string[] = [];
  const keep = (list: string[], line: string) => {
    list.push(line);
    if (list.length > 400) list.shift();
  };
  createInterface({ input: child.stdout! }).on("line", (line) => {
    keep(tail, line);
    options.echo?.(line);
  });
  createInterface({ input: child.stderr! }).on("line", (line) => {
    keep(stderrTail, line);
    options.echo?.(line);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("close", (code, sig) => resolve([code, sig])));
  clearTimeout(timer);
  // The benchmark's own children (sandboxes, bridges) end with it.
  stop();
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const figures = lastJsonObject(tail);
  const result: RunResult = { name, exitCode, signal, seconds, ...(figures ? { figures } : {}) };
  const lastError = stderrTail.filter((l) => /error|Error|failed/.test(l)).at(-1) ?? stderrTail.at(-1);
  if (timedOut) result.failure = `timed out after ${Math.round(options.timeoutMs / 60_000)} min`;
  else if (exitCode !== 0) result.failure = `exited with ${exitCode ?? signal}${lastError ? `: ${lastError.trim().slice(0, 200)}` : ""}`;
  else if (!figures) result.failure = "printed no JSON line";
  return result;
}

export interface Machine {
  cpu: string;
  cores: number;
  ram_gb: number;
  node: string;
  os: string;
  date: string;
  commit: string;
  load_average: string;
}

export function describeMachine(cwd: string): Machine {
  const git = (...args: string[]) => {
    try {
      return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      return "";
    }
  };
  const commit = git("rev-parse", "--short", "HEAD");
  const dirty = git("status", "--porcelain", "--untracked-files=no") !== "";
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cores: cpus().length,
    ram_gb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${osType()} ${release()} (${process.arch})`,
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    commit: commit ? `${commit}${dirty ? " (with uncommitted changes)" : ""}` : "unknown",
    load_average: loadavg().map((n) => n.toFixed(2)).join(", "),
  };
}

export interface ReportRow {
  benchmark: string;
  figure: string;
  target: string;
  measured: string;
  result: "pass" | "fail" | "";
}

/** One row per figure: the targeted ones first (pass/fail), then the rest as measured. */
export function reportRows(results: readonly RunResult[]): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const r of results) {
    const targets = TARGETS[r.name] ?? [];
    if (r.failure) rows.push({ benchmark: r.name, figure: "(run)", target: "runs to the end and prints its JSON line", measured: r.failure, result: "fail" });
    if (!r.figures) {
      for (const t of targets) rows.push({ benchmark: r.name, figure: t.figure, target: describeTarget(t), measured: "not measured", result: "fail" });
      continue;
    }
    const figures = r.figures;
    for (const t of targets) {
      const verdict = evaluate(t, figures);
      rows.push({ benchmark: r.name, figure: t.figure, target: describeTarget(t, figures), measured: verdict.reason ? `${show(figures[t.figure])} (${verdict.reason})` : show(figures[t.figure]), result: verdict.pass ? "pass" : "fail" });
    }
    const targeted = new Set(targets.map((t) => t.figure));
    for (const [figure, value] of Object.entries(figures)) {
      if (!targeted.has(figure)) rows.push({ benchmark: r.name, figure, target: "", measured: show(value), result: "" });
    }
  }
  return rows;
}

function show(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");

export function renderReport(input: { results: readonly RunResult[]; machine: Machine; selection: string; pending?: readonly string[] }): string {
  const rows = reportRows(input.results);
  const judged = rows.filter((r) => r.result !== "");
  const failed = judged.filter((r) => r.result === "fail");
  const lines = [
    "# Benchmark report",
    "",
    `Written by \`npm run bench\` (${input.selection}). Each benchmark ran in its own process, one after another; its header in bench/ says how its figures are measured, bench/targets.ts holds the targets.`,
    "",
    failed.length === 0 ? `**All ${judged.length} targets met.**` : `**${failed.length} of ${judged.length} targets missed:** ${failed.map((r) => `${r.benchmark} ${r.figure}`).join(", ")}.`,
    ...(input.pending && input.pending.length > 0 ? ["", `Still to run: ${input.pending.join(", ")}.`] : []),
    "",
    "| benchmark | figure | target | measured | result |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${cell(r.benchmark)} | ${cell(r.figure)} | ${cell(r.target || "—")} | ${cell(r.measured)} | ${r.result === "fail" ? "**fail**" : r.result || "—"} |`),
    "",
    "## Runs",
    "",
    "| benchmark | took | exit |",
    "|---|---|---|",
    ...input.results.map((r) => `| ${r.name} | ${r.reused ? `not run now: ${r.reused}` : formatDuration(r.seconds)} | ${r.exitCode ?? r.signal} |`),
    "",
    "## Machine",
    "",
    `- CPU: ${input.machine.cpu}, ${input.machine.cores} cores`,
    `- RAM: ${input.machine.ram_gb} GB`,
    `- Node: ${input.machine.node}`,
    `- OS: ${input.machine.os}`,
    `- Date: ${input.machine.date}`,
    `- Commit: ${input.machine.commit}`,
    `- Load average when the run started (1, 5, 15 min): ${input.machine.load_average}`,
    "",
  ];
  return lines.join("\n");
}

function formatDuration(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
