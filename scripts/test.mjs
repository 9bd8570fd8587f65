// `npm test`: installs what the tests need when it is missing (npm dependencies; PHP, MariaDB and
// Chromium from Debian's packages; a PostgreSQL server on 127.0.0.1:5432, started or installed),
// type-checks, then runs every test project in one vitest run and prints a closing "N passed, N
// failed" line.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { ensureDebianPackages, ensureNodeModules, ensurePostgres, root, run, say } from "./lib/setup.mjs";

const started = Date.now();
ensureNodeModules();
if (existsSync(join(root, "test", "wordpress", "packages.txt"))) {
  const packages = readFileSync(join(root, "test", "wordpress", "packages.txt"), "utf8")
    .split("\n")
    .flatMap((line) => line.replace(/#.*/, "").trim().split(/\s+/))
    .filter(Boolean);
  ensureDebianPackages(packages, "the WordPress plugin tests");
}
// The store tests run on PostgreSQL too: start (or install) a local server where none answers.
ensurePostgres();
mkdirSync(join(root, ".tmp"), { recursive: true });
let uiPassed = 0;
let uiFailed = 0;
if (existsSync(join(root, "admin-ui", "package.json"))) {
  const adminUi = join(root, "admin-ui");
  ensureNodeModules(adminUi, "admin page build tools");
  say("building the admin page (wp-scripts) and its translations…");
  run("npm", ["run", "--silent", "build"], { cwd: adminUi });
  say("running the admin page's component tests (jest via wp-scripts)…");
  const jestReport = join(root, ".tmp", "jest-report.json");
  const jest = spawnSync("npm", ["test", "--silent", "--", "--ci", "--json", `--outputFile=${jestReport}`], { cwd: adminUi, stdio: "inherit" });
  if (existsSync(jestReport)) {
    const summary = JSON.parse(readFileSync(jestReport, "utf8"));
    uiPassed = summary.numPassedTests ?? 0;
    uiFailed = summary.numFailedTests || summary.numFailedTestSuites || 0;
  }
  if (jest.status !== 0 && uiFailed === 0) uiFailed = 1;
}

say("type-checking (tsc --noEmit)…");
run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]);

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
passed += uiPassed;
failed += uiFailed;
if (passed === 0 && failed === 0) {
  console.log("no test ran: 0 passed, 1 failed");
  process.exit(1);
}
console.log(`\nnpm test finished in ${minutes} min`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || result.status !== 0 ? 1 : 0);
