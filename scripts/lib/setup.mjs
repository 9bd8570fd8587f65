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

/** Installs npm dependencies when node_modules is missing or older than package-lock.json (npm ci). */
export function ensureNodeModules(dir = root, label = "npm dependencies") {
  const lock = join(dir, "package-lock.json");
  const marker = join(dir, "node_modules", ".rbc-lock-hash");
  const want = existsSync(lock) ? createHash("sha256").update(readFileSync(lock)).digest("hex") : "no-lock";
  if (existsSync(marker) && readFileSync(marker, "utf8") === want) return;
  // Installed by hand (`npm install` / `npm ci`) since: npm's own record of node_modules is newer
  // than the lockfile, so npm itself takes the tree as current — no second install.
  const npmRecord = join(dir, "node_modules", ".package-lock.json");
  if (existsSync(lock) && existsSync(npmRecord) && statSync(npmRecord).mtimeMs >= statSync(lock).mtimeMs) {
    writeFileSync(marker, want);
    return;
  }
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

function portOpen(host, port, timeoutMs = 1000) {
  // A synchronous probe (this file has no dependencies and runs before node_modules exists).
  const probe = `const s=require("node:net").connect(${port},${JSON.stringify(host)});s.setTimeout(${timeoutMs});` +
    `s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));s.on("timeout",()=>process.exit(1));`;
  return spawnSync(process.execPath, ["-e", probe]).status === 0;
}

/**
 * The tests run the store on PostgreSQL as well as SQLite: makes sure a server answers on
 * 127.0.0.1:5432 (or TEST_POSTGRES_URL's host). When none does: starts the installed Debian cluster
 * (pg_ctlcluster), or, as root, installs the `postgresql` package with apt-get, lets the local
 * `postgres` user in without a password over 127.0.0.1 (trust, for this test server only) and starts
 * it; not root: stops with the command to run.
 */
export function ensurePostgres() {
  const url = new URL(process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  const host = url.hostname || "127.0.0.1";
  const port = Number(url.port || 5432);
  if (portOpen(host, port)) return;
  if (process.env.TEST_POSTGRES_URL) {
    console.error(`[setup] PostgreSQL does not answer at ${host}:${port} (TEST_POSTGRES_URL); start it, then run npm test again.`);
    process.exit(1);
  }
  const hasCluster = () => existsSync("/usr/bin/pg_ctlcluster") && existsSync("/etc/postgresql") && readdirSync("/etc/postgresql").length > 0;
  if (!hasCluster()) {
    if (!isRoot) {
      console.error("[setup] the tests need PostgreSQL on 127.0.0.1:5432. Run as root:\n\n    apt-get update && apt-get install -y postgresql\n");
      process.exit(1);
    }
    say("installing PostgreSQL for the store tests (apt-get install postgresql)…");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    run("apt-get", ["update", "-qq"], { env });
    run("apt-get", ["install", "-y", "-q", "--no-install-recommends", "postgresql"], { env });
    const version = readdirSync("/etc/postgresql")[0];
    const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
    writeFileSync(hba, `# added by npm test: the test server trusts local TCP connections\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${readFileSync(hba, "utf8")}`);
  }
  const version = readdirSync("/etc/postgresql")[0];
  say(`starting PostgreSQL ${version} (pg_ctlcluster ${version} main start)…`);
  if (!isRoot) {
    console.error(`[setup] PostgreSQL is installed but not running. Run as root:\n\n    pg_ctlcluster --skip-systemctl-redirect ${version} main start\n`);
    process.exit(1);
  }
  run("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"]);
  for (let i = 0; i < 50 && !portOpen(host, port); i += 1) spawnSync("sleep", ["0.2"]);
  if (!portOpen(host, port)) {
    console.error(`[setup] PostgreSQL did not come up on ${host}:${port}; see /var/log/postgresql/.`);
    process.exit(1);
  }
}
