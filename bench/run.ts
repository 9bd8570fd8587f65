/**
 * `npm run bench -- <name>` runs bench/<name>.ts. Each benchmark prints progress as it goes and,
 * as its very last line, one JSON object with its figures so runs can be compared.
 * `npm run bench` with no name lists the benchmarks.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("run") && !f.startsWith("lib") && !f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -3))
  .sort();

const name = process.argv[2];
if (!name) {
  console.log(`benchmarks: ${available.join(", ")}\nrun one with: npm run bench -- <name>`);
  process.exit(0);
}
if (!available.includes(name)) {
  console.error(`unknown benchmark "${name}"; available: ${available.join(", ")}`);
  process.exit(2);
}
await import(pathToFileURL(join(here, `${name}.ts`)).href);
