/**
 * vitest global set-up for the "e2e" project: its own WordPress (test/wordpress/wp-up.sh) under
 * .wp-ci-e2e, so the browser tests never reset the database under the "wordpress" project's tests
 * when both run in one `npm test`. The project's `env` points the harness (WORK) at the same place.
 */
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(fileURLToPath(new URL(".", import.meta.url)), "../..");
export const E2E_WORK = join(REPO, ".wp-ci-e2e");

function runScript(script: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn("bash", [join(REPO, "test", "wordpress", script)], { env: { ...process.env, WORK: E2E_WORK }, stdio: ["ignore", "inherit", "inherit"] });
    child.on("close", (code) => (code === 0 ? done() : fail(new Error(`${script} exited with ${code}`))));
  });
}

export async function setup(): Promise<void> {
  await runScript("wp-up.sh");
}

export async function teardown(): Promise<void> {
  if (process.env.WP_KEEP_RUNNING === "1") return;
  await runScript("wp-down.sh");
}
