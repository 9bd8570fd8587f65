#!/usr/bin/env node
// Runs the compiled bridge (bridge/dist); in a development checkout without a build, runs the
// TypeScript sources through tsx instead.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli.js");
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  try {
    const { register } = await import("tsx/esm/api");
    register();
  } catch {
    console.error("The bridge is not built. Run `npm run build` (or `npm start`, which builds when needed).");
    process.exit(1);
  }
  await import(pathToFileURL(join(root, "src", "cli.ts")).href);
}
