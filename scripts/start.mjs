// `npm start`: installs dependencies and builds when needed, then runs the bridge on its embedded
// default (a SQLite file under ./data, created on first start).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { BRIDGE_NODE_FLAGS } from "./lib/node-flags.mjs";
import { ensureBridgeBuilt, ensureNodeModules, root, say } from "./lib/setup.mjs";

ensureNodeModules();
ensureBridgeBuilt();
say("starting the bridge (Ctrl+C stops it)…");
const child = spawn(process.execPath, [...BRIDGE_NODE_FLAGS, join(root, "bridge", "bin", "rackbeat-bridge.mjs"), "start", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
