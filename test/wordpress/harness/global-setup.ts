/**
 * vitest global set-up for the "wordpress" project: brings the real WordPress up once (installing
 * Debian packages if needed, see wp-up.sh) and stops it afterwards.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { HERE, WORK } from "./wp.js";

function runScript(script: string, args: string[] = []): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn("bash", [join(HERE, script), ...args], { env: { ...process.env, WORK }, stdio: ["ignore", "inherit", "inherit"] });
    child.on("close", (code) => (code === 0 ? resolveRun() : reject(new Error(`${script} exited with ${code}`))));
  });
}

export async function setup(): Promise<void> {
  await runScript("wp-up.sh");
}

export async function teardown(): Promise<void> {
  if (process.env.WP_KEEP_RUNNING === "1") return;
  await runScript("wp-down.sh");
}
