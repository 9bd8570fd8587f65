// `npm test`: installs what the tests need when it is missing (npm dependencies; PHP, MariaDB and
// Chromium from Debian's packages), type-checks, then runs every test project in one vitest run and
// prints a closing "N passed, N failed" line.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { ensureDebianPackages, ensureNodeModules, root, run, say } from "./lib/setup.mjs";

const started = Date.now();
ensureNodeModules();
if (existsSync(join(root, "test", "wordpress", "packages.txt"))) {
  const packages = readFileSync(join(root, "test", "wordpress", "packages.txt"), "utf8")
    .split(/\s+/)
    .filter((p) => p && !p.startsWith("#"));
  ensureDebianPackages(packages, "the WordPress plugin tests");
}
if (existsSync(join(root, "admin-ui", "package.json"))) {
  ensureNodeModules(join(root, "admin-ui"), "admin page build tools");
  say("building the admin page…");
  run("npm", ["run", "--silent", "build"], { cwd: join(root, "admin-ui") });
}

say("type-checking (tsc --noEmit)…");
run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);

mkdirSync(join(root, ".tmp"), { recursive: true });
const report = join(root, ".tmp", "vitest-report.json");
say("running the tests (vitest)…");
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)];
const result = spawnSync("npx", args, { cwd: root, stdio: "inherit", env: { ...process.env, CI: process.env.CI ?? "" } });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(report)) {
  const summary = JSON.parse(readFileSync(report, "utf8"));
  passed = summary.numPassedTests ?? 0;
  // A test file that fails to load has no failed test but a failed suite: count it once.
  failed = summary.numFailedTests || summary.numFailedTestSuites || 0;
  skipped = (summary.numPendingTests ?? 0) + (summary.numTodoTests ?? 0);
}
const minutes = ((Date.now() - started) / 60000).toFixed(1);
if (result.status !== 0 && failed === 0) failed = 1;
if (passed === 0 && failed === 0) {
  console.log("no test ran: 0 passed, 1 failed");
  process.exit(1);
}
console.log(`\nnpm test finished in ${minutes} min`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || result.status !== 0 ? 1 : 0);
