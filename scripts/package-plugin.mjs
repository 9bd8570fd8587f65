#!/usr/bin/env node
/**
 * `npm run package`: builds the admin page (admin-ui → plugin/build) and writes an installable
 * plugin zip, dist/rackbeat-connector-<version>.zip, holding only the plugin's runtime files and
 * the built page under one folder, rackbeat-connector/, as wp-admin → Plugins → Upload expects.
 *
 * Options: --skip-build (package the existing plugin/build as it is), --out <file>.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const pluginDir = join(repo, "plugin");
const adminUi = join(repo, "admin-ui");
const slug = "rackbeat-connector";
const args = process.argv.slice(2);
const skipBuild = args.includes("--skip-build");
const outArg = args.indexOf("--out");

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function run(command, commandArgs, cwd) {
  console.log(`package: ${command} ${commandArgs.join(" ")} (in ${relative(repo, cwd) || "."})`);
  const result = spawnSync(command, commandArgs, { cwd, stdio: "inherit" });
  if (result.status !== 0) fail(`${command} ${commandArgs.join(" ")} failed (exit ${result.status})`);
}

// 1. Build the admin page into plugin/build.
if (!skipBuild) {
  if (!existsSync(join(adminUi, "package.json"))) fail("admin-ui/package.json is missing; nothing builds the admin page");
  if (!existsSync(join(adminUi, "node_modules"))) run("npm", ["ci", "--no-audit", "--no-fund"], adminUi);
  run("npm", ["run", "build"], adminUi);
}
for (const required of ["build/index.js", "build/index.asset.php"]) {
  if (!existsSync(join(pluginDir, required))) fail(`plugin/${required} is missing: the admin page did not build (run without --skip-build)`);
}

// 2. The version from the plugin header, and a sanity check that it matches the constant.
const main = readFileSync(join(pluginDir, `${slug}.php`), "utf8");
const version = /^\s*\*\s*Version:\s*(\S+)/m.exec(main)?.[1];
if (!version) fail("no Version: header in the main plugin file");
if (!main.includes(`define( 'RACKBEAT_CONNECTOR_VERSION', '${version}' )`)) fail(`RACKBEAT_CONNECTOR_VERSION does not match the header version ${version}`);

// 3. Runtime files only: PHP sources, languages, readme, license, the built page.
const excluded = [/(^|\/)\./, /(^|\/)node_modules(\/|$)/, /(^|\/)tests?(\/|$)/, /\.test\.[a-z]+$/, /(^|\/)(composer\.(json|lock)|phpunit\.xml(\.dist)?|phpcs\.xml(\.dist)?|package(-lock)?\.json)$/, /\.map$/];
function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const rel = relative(pluginDir, full).split(sep).join("/");
    if (excluded.some((re) => re.test(rel))) return [];
    return statSync(full).isDirectory() ? collect(full) : [rel];
  });
}
const files = collect(pluginDir).sort();
const entries = Object.fromEntries(files.map((rel) => [`${slug}/${rel}`, [readFileSync(join(pluginDir, rel)), { mtime: new Date("2024-01-01T00:00:00Z") }]]));
const zip = zipSync(entries, { level: 9 });

const out = outArg >= 0 && args[outArg + 1] ? resolve(args[outArg + 1]) : join(repo, "dist", `${slug}-${version}.zip`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, zip);
console.log(`package: ${files.length} files (${files.filter((f) => f.startsWith("build/")).length} from the built page) → ${relative(repo, out)} (${(zip.length / 1024).toFixed(1)} KiB)`);
