import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's version, from the root package.json (two levels up from src/ and from dist/). */
export const BRIDGE_VERSION: string = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  try {
    return (JSON.parse(readFileSync(join(here, "..", "..", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "0.0.0";
  }
})();
