/**
 * vitest global set-up for the "wordpress" project: brings the real WordPress up once (installing
 * Debian packages if needed, see wp-up.sh) and stops it afterwards.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HERE, WORK } from "./wp.js";

function runScript(script: string, args: string[] = []): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn("bash", [join(HERE, script), ...args], { env: { ...process.env, WORK }, stdio: ["ignore", "inherit", "inherit"] });
    child.on("close", (code) => (code === 0 ? resolveRun() : reject(new Error(`${script} exited with ${code}`))));
  });
}

/** One test run per WordPress: a second run on the same WORK would reset the database under the first. */
const lockFile = join(WORK, "test-run.lock");

function takeLock(): void {
  mkdirSync(WORK, { recursive: true });
  try {
    writeFileSync(lockFile, String(process.pid), { flag: "wx" });
    return;
  } catch {
    const holder = Number(readFileSync(lockFile, "utf8").trim());
    let alive = false;
    try {
      process.kill(holder, 0);
      alive = holder !== process.pid;
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`another test run (pid ${holder}) is using the WordPress in ${WORK}; wait for it or use another WORK`);
    writeFileSync(lockFile, String(process.pid));
  }
}

export async function setup(): Promise<void> {
  takeLock();
  await runScript("wp-up.sh");
}

export async function teardown(): Promise<void> {
  rmSync(lockFile, { force: true });
  if (process.env.WP_KEEP_RUNNING === "1") return;
  await runScript("wp-down.sh");
}
