/**
 * `npm run package`: the zip holds the plugin's runtime files and the built page under
 * rackbeat-connector/, nothing else, and the unpacked plugin runs on WordPress (it replaces the
 * test site's plugin folder for the duration of the test).
 */
import { execFile } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/temp-dir.js";
import { PLUGIN_DIR, REPO, killPhp, login, resetWp, upWp, wp, wpState } from "./harness/wp.js";

const run = promisify(execFile);
const built = existsSync(join(PLUGIN_DIR, "build/index.js")) && existsSync(join(PLUGIN_DIR, "build/index.asset.php"));
const tmp = tempDir("rbc-package-");

afterAll(() => tmp.cleanup());

describe.skipIf(!built)("npm run package (needs plugin/build from the admin-ui build)", () => {
  const zipPath = join(tmp.path, "plugin.zip");
  let entries: Record<string, Uint8Array> = {};

  it("writes a zip of runtime files only, under rackbeat-connector/", async () => {
    await run("node", [join(REPO, "scripts/package-plugin.mjs"), "--skip-build", "--out", zipPath]);
    entries = unzipSync(readFileSync(zipPath));
    const names = Object.keys(entries).sort();
    expect(names.every((n) => n.startsWith("rackbeat-connector/"))).toBe(true);
    expect(names).toEqual(
      expect.arrayContaining([
        "rackbeat-connector/rackbeat-connector.php",
        "rackbeat-connector/uninstall.php",
        "rackbeat-connector/readme.txt",
        "rackbeat-connector/src/Outbox.php",
        "rackbeat-connector/build/index.js",
        "rackbeat-connector/build/index.asset.php",
      ]),
    );
    const allowed = /^rackbeat-connector\/(rackbeat-connector\.php|uninstall\.php|readme\.txt|src\/.+\.php|languages\/.+\.(pot|po|mo|json)|build\/[^/]+\.(js|css|php|json))$/;
    expect(names.filter((n) => !allowed.test(n))).toEqual([]);
  });

  it("the unpacked zip runs on WordPress and serves its admin page bundle", async () => {
    const unpacked = join(tmp.path, "unpacked");
    for (const [name, data] of Object.entries(entries)) {
      mkdirSync(dirname(join(unpacked, name)), { recursive: true });
      writeFileSync(join(unpacked, name), data);
    }
    const { DOCROOT, ADMIN_USER, ADMIN_PASS } = wpState();
    const link = join(DOCROOT, "wp-content/plugins/rackbeat-connector");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const original = readlinkSync(link);
    rmSync(link);
    symlinkSync(join(unpacked, "rackbeat-connector"), link);
    // PHP's workers cache resolved paths (realpath cache): restart them so they see the new link,
    // as a fresh install would, instead of resolving the plugin to its old place.
    await killPhp();
    await upWp();
    try {
      await resetWp();
      const session = await login(ADMIN_USER, ADMIN_PASS);
      const page = await wp("GET", "/wp-admin/admin.php?page=rackbeat-connector", { auth: null, headers: { cookie: session.cookie } });
      expect(page.status).toBe(200);
      expect(page.text).toContain('<div id="rackbeat-connector-root"></div>');
      const src = /<script[^>]+src=['"]([^'"]*\/plugins\/rackbeat-connector\/build\/index\.js[^'"]*)['"]/.exec(page.text)?.[1];
      expect(src).toBeDefined();
      const script = await fetch(src!.replace(/&amp;/g, "&"));
      expect(script.status).toBe(200);
      expect((await script.text()).length).toBeGreaterThan(100);
      expect((await wp("GET", "/wp-json/rackbeat-connector/v1/connection")).status).toBe(200);
    } finally {
      rmSync(link);
      symlinkSync(original, link);
      await killPhp();
      await upWp();
    }
  });
});
