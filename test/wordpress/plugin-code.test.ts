/**
 * The plugin's PHP without a server: every file parses (php -l), the signer matches the shared
 * vectors (protocol.md §2), and no order is touched through posts APIs (HPOS audit).
 */
import { execFile } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sign } from "./harness/signing.js";
import { HERE, PLUGIN_DIR, REPO } from "./harness/wp.js";

const run = promisify(execFile);

function phpFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (name === "build" || name === "node_modules") return [];
    return statSync(full).isDirectory() ? phpFiles(full) : name.endsWith(".php") ? [full] : [];
  });
}

const vectorsSchema = z.object({
  vectors: z.array(
    z.object({
      secret: z.string(),
      timestamp: z.string(),
      method: z.string(),
      path_with_query: z.string(),
      body: z.string(),
      string_to_sign: z.string(),
      signature_header: z.string(),
    }),
  ),
});
const vectors = vectorsSchema.parse(JSON.parse(readFileSync("/work/shared/fixtures/protocol/signing-vectors.json", "utf8"))).vectors;

describe("plugin PHP", () => {
  const files = phpFiles(PLUGIN_DIR);

  it("has files to check", () => {
    expect(files.map((f) => relative(PLUGIN_DIR, f))).toEqual(expect.arrayContaining(["rackbeat-connector.php", "uninstall.php", "src/Outbox.php"]));
  });

  it("parses: php -l over every plugin file and the test mu-plugins", async () => {
    const all = [...files, ...phpFiles(join(HERE, "mu-plugins")), ...phpFiles(join(HERE, "php"))];
    const failures: string[] = [];
    for (const file of all) {
      try {
        await run("php", ["-l", file]);
      } catch (error) {
        failures.push(`${relative(REPO, file)}: ${(error as { stdout?: string }).stdout ?? String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("signs exactly as the shared vectors say (PHP Signer)", async () => {
    const script = `
      define('ABSPATH', '/nonexistent/');
      require ${JSON.stringify(join(PLUGIN_DIR, "src/Signer.php"))};
      $vectors = json_decode(stream_get_contents(STDIN), true);
      $out = [];
      foreach ($vectors as $v) {
        $out[] = [
          'string_to_sign' => RackbeatConnector\\Signer::string_to_sign($v['timestamp'], $v['method'], $v['path_with_query'], $v['body']),
          'signature' => RackbeatConnector\\Signer::signature($v['secret'], $v['timestamp'], $v['method'], $v['path_with_query'], $v['body']),
          'check' => RackbeatConnector\\Signer::check('shop', $v['secret'], 'shop', $v['timestamp'], $v['signature_header'], $v['method'], $v['path_with_query'], $v['body'], (int) $v['timestamp'] + 299),
          'stale' => RackbeatConnector\\Signer::check('shop', $v['secret'], 'shop', $v['timestamp'], $v['signature_header'], $v['method'], $v['path_with_query'], $v['body'], (int) $v['timestamp'] + 301),
          'tampered' => RackbeatConnector\\Signer::check('shop', $v['secret'], 'shop', $v['timestamp'], $v['signature_header'], $v['method'], $v['path_with_query'], $v['body'] . ' ', (int) $v['timestamp']),
        ];
      }
      echo json_encode($out);
    `;
    const child = run("php", ["-r", script]);
    child.child.stdin?.end(JSON.stringify(vectors));
    const { stdout } = await child;
    const results = z
      .array(z.object({ string_to_sign: z.string(), signature: z.string(), check: z.null(), stale: z.tuple([z.string(), z.string()]), tampered: z.tuple([z.string(), z.string()]) }))
      .parse(JSON.parse(stdout));
    expect(results).toHaveLength(vectors.length);
    results.forEach((result, i) => {
      const vector = vectors[i]!;
      expect(result.string_to_sign).toBe(vector.string_to_sign);
      expect(result.signature).toBe(vector.signature_header);
      expect(result.stale[0]).toBe("stale_timestamp");
      expect(result.tampered[0]).toBe("bad_signature");
    });
  });

  it("the tests' signer (the bridge's module) agrees with the vectors too", () => {
    for (const v of vectors) expect(sign(v.secret, v.timestamp, v.method, v.path_with_query, v.body)).toBe(v.signature_header);
  });

  it("reaches orders only through WooCommerce's CRUD (no posts APIs on orders; HPOS recipe-book audit)", () => {
    // The recipe book's grep, applied to the plugin's sources (uninstall's meta clean-up is the one
    // deliberate exception: it deletes the plugin's own meta keys from both order storages).
    const forbidden = /\b(get_post_meta|update_post_meta|add_post_meta|delete_post_meta|wp_insert_post|wp_update_post|get_posts|WP_Query)\s*\(|'shop_order'\s*===\s*get_post_type|post_type\s*=\s*'shop_order'/;
    const offenders = files
      .filter((f) => !f.endsWith("Installer.php"))
      .flatMap((f) =>
        readFileSync(f, "utf8")
          .split("\n")
          .map((line, n) => ({ line, n }))
          .filter(({ line }) => forbidden.test(line))
          .map(({ n, line }) => `${relative(PLUGIN_DIR, f)}:${n + 1}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });

  it("stays within PHP 7.4 syntax (Requires PHP: 7.4)", () => {
    const php8Only = [/\bmatch\s*\(.*\)\s*\{/, /\?->/, /\bfunction\s+__construct\s*\([^)]*\b(public|private|protected)\s+/, /\b(str_contains|str_starts_with|str_ends_with)\s*\(/, /#\[/, /\):\s*(mixed|static)\b/];
    const offenders = files.flatMap((f) =>
      readFileSync(f, "utf8")
        .split("\n")
        .map((line, n) => ({ line, n }))
        .filter(({ line }) => php8Only.some((re) => re.test(line)))
        .map(({ n, line }) => `${relative(PLUGIN_DIR, f)}:${n + 1}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
    expect(readFileSync(join(PLUGIN_DIR, "rackbeat-connector.php"), "utf8")).toMatch(/Requires PHP:\s+7\.4/);
  });
});
