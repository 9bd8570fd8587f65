/**
 * Queue benchmark (issue 2): builds the bridge (`npm run build:bridge`) and runs the measured
 * process, bench/lib-queue-measured.mjs, with plain `node` on bridge/dist — the way `npm start`
 * runs the bridge. Under tsx the measured process carried ~50 MB that production does not
 * (tsx's loader thread and transform cache: store + queue modules loaded = 114 MB RSS under tsx,
 * 63 MB from bridge/dist), which made rss_mb a measure of the benchmark's runtime, not the queue.
 *
 * What it measures (see lib-queue-measured.mjs): 100,000 jobs enqueued one at a time (one committed
 * transaction each) and run by 8 workers → jobs_per_s; p99 of single claims with 100,000 and with
 * 1,000,000 finished jobs in the table; peak RSS and RSS at the end of each phase.
 * Targets: jobs_per_s ≥ 5,000; p99_claim_ms_1m ≤ 5; rss_mb < 150.
 * Sizes: BENCH_JOBS, BENCH_FINISHED; BENCH_YIELD_EVERY=N gives the runner a turn every N enqueues.
 */
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
// @ts-expect-error plain .mjs module without types
import { BRIDGE_NODE_FLAGS } from "../scripts/lib/node-flags.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
console.log("[queue bench] building the bridge (bridge/dist)…");
execFileSync(process.execPath, [tsc, "-p", "bridge/tsconfig.build.json"], { cwd: root, stdio: "inherit" });
// The measured process runs with the flags npm start gives the bridge.
const child = spawn(process.execPath, [...BRIDGE_NODE_FLAGS, fileURLToPath(new URL("./lib-queue-measured.mjs", import.meta.url))], { cwd: root, stdio: "inherit" });
const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
process.exitCode = code ?? 1;
