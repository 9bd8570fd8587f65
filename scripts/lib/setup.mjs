// Set-up steps shared by `npm start` and `npm test`. Plain Node (no dependencies): these run before
// node_modules exists on a fresh clone.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export function say(message) {
  console.log(`[setup] ${message}`);
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}`);
  }
}

/** Installs npm dependencies when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules(dir = root, label = "npm dependencies") {
  const lock = join(dir, "package-lock.json");
  const marker = join(dir, "node_modules", ".rbc-lock-hash");
  const want = existsSync(lock) ? createHash("sha256").update(readFileSync(lock)).digest("hex") : "no-lock";
  if (existsSync(marker) && readFileSync(marker, "utf8") === want) return;
  say(`installing ${label} (npm ci in ${dir === root ? "." : dir.slice(root.length + 1)})…`);
  run("npm", existsSync(lock) ? ["ci", "--no-audit", "--no-fund"] : ["install", "--no-audit", "--no-fund"], { cwd: dir });
  writeFileSync(marker, want);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Compiles the bridge (bridge/dist) when it is missing or older than its sources. */
export function ensureBridgeBuilt() {
  const built = join(root, "bridge", "dist", "cli.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(root, "bridge", "src"))) return;
  say("building the bridge (tsc)…");
  run("npm", ["run", "--silent", "build:bridge"]);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function installed(pkg) {
  const result = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return result.status === 0 && result.stdout.includes("ok installed");
}

/**
 * Installs the Debian packages the tests need when they are missing: with apt-get as root, or else
 * stops with the exact command to run.
 */
export function ensureDebianPackages(packages, why) {
  const missing = packages.filter((p) => !installed(p));
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(" ")}`;
  if (!isRoot) {
    console.error(`[setup] ${why} needs Debian packages that are missing. Run as root:\n\n    apt-get update && ${command}\n`);
    process.exit(1);
  }
  say(`installing Debian packages for ${why}: ${missing.join(" ")} (apt-get; a minute or two the first time)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env });
  run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { env });
}
