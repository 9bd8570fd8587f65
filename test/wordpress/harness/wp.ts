/**
 * Helpers for tests against the real WordPress that test/wordpress/wp-up.sh brings up: REST calls
 * (application password or cookie + nonce), PHP run inside WordPress from the CLI, the database
 * reset, killing and restarting PHP, and the logs the test mu-plugin writes.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { z } from "zod";

const run = promisify(execFile);
export const HERE = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const REPO = resolve(HERE, "../..");
export const WORK = process.env.WORK ?? join(REPO, ".wp-ci");
export const PLUGIN_DIR = join(REPO, "plugin");
export const PLUGIN_FILE = "rackbeat-connector/rackbeat-connector.php";

const stateSchema = z.object({
  WP_URL: z.string().url(),
  DOCROOT: z.string().min(1),
  ADMIN_USER: z.string().min(1),
  ADMIN_PASS: z.string().min(1),
  APP_PASSWORD: z.string().min(1),
  DB_PORT: z.string().regex(/^\d+$/),
});
export type WpState = z.infer<typeof stateSchema>;

export function wpState(): WpState {
  const file = join(WORK, "state.env");
  if (!existsSync(file)) throw new Error(`${file} is missing: run test/wordpress/wp-up.sh (the vitest global set-up does)`);
  const entries = readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.includes("="))
    .map((line) => {
      const at = line.indexOf("=");
      return [line.slice(0, at), line.slice(at + 1).replace(/^'(.*)'$/, "$1")] as const;
    });
  return stateSchema.parse(Object.fromEntries(entries));
}

export function adminAuth(): string {
  const s = wpState();
  return `Basic ${Buffer.from(`${s.ADMIN_USER}:${s.APP_PASSWORD}`).toString("base64")}`;
}

export interface WpResponse<T = unknown> {
  status: number;
  json: T;
  text: string;
  headers: Headers;
}

export interface RestOptions {
  body?: unknown;
  /** Authorization header value; "admin" (default) uses the admin's application password; null sends none. */
  auth?: string | null;
  headers?: Record<string, string>;
  /** Id logged with every outgoing HTTP call WordPress makes while serving this request. */
  requestId?: string;
}

/** A request to WordPress. `path` is relative to the site, e.g. "/wp-json/rbc-test/v1/orders". */
export async function wp<T = any>(method: string, path: string, options: RestOptions = {}): Promise<WpResponse<T>> {
  const { WP_URL } = wpState();
  const headers: Record<string, string> = { ...options.headers };
  const auth = options.auth === undefined ? adminAuth() : options.auth;
  if (auth) headers.authorization = auth;
  if (options.requestId) headers["x-test-request"] = options.requestId;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(`${WP_URL}${path}`, { method, headers, body, redirect: "manual" });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json: json as T, text, headers: response.headers };
}

/** Runs PHP inside WordPress (CLI, wp-load.php); returns what the snippet returns, JSON-decoded. */
export async function php<T = any>(code: string, options: { user?: number } = {}): Promise<T> {
  const s = wpState();
  const child = spawn("php", ["-d", "display_errors=stderr", join(HERE, "php/wp-run.php")], {
    env: { ...process.env, WP_DOCROOT: s.DOCROOT, WP_URL: s.WP_URL, ...(options.user ? { WP_RUN_USER: String(options.user) } : {}) },
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  child.stdin.end(code);
  const exitCode: number = await new Promise((done) => child.on("close", (c) => done(c ?? 1)));
  const lines = out.trimEnd().split("\n");
  const last = lines[lines.length - 1] ?? "";
  if (exitCode !== 0) throw new Error(`php exited ${exitCode}: ${err || out}`);
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`php printed no JSON result:\n${out}\n${err}`);
  }
}

/** Database back to the snapshot taken after install (admin, application password, plugin active). */
export async function resetWp(): Promise<void> {
  await run("bash", [join(HERE, "wp-reset.sh")], { env: { ...process.env, WORK } });
  setClock(null);
}

/** Kill PHP's built-in server (its whole process group), as a crash would. */
export async function killPhp(): Promise<void> {
  const pidFile = join(WORK, "php-server.pid");
  if (!existsSync(pidFile)) return;
  const pgid = Number(readFileSync(pidFile, "utf8").trim());
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    /* already gone */
  }
  rmSync(pidFile, { force: true });
  const { WP_URL } = wpState();
  for (let i = 0; i < 50; i += 1) {
    try {
      await fetch(`${WP_URL}/wp-login.php`, { signal: AbortSignal.timeout(200) });
      await new Promise((r) => setTimeout(r, 100));
    } catch {
      return;
    }
  }
  throw new Error("PHP server still answers after being killed");
}

/** Start whatever is not running (wp-up.sh is idempotent and keeps ports). */
export async function upWp(): Promise<string> {
  const { stdout } = await run("bash", [join(HERE, "wp-up.sh")], { env: { ...process.env, WORK } });
  return stdout;
}

/** Pin the plugin's clock (filter rackbeat_connector_now, via the test mu-plugin); null unpins. */
export function setClock(unixSeconds: number | null): void {
  const file = join(WORK, "clock.txt");
  if (unixSeconds === null) rmSync(file, { force: true });
  else writeFileSync(file, String(unixSeconds));
}

const httpEntry = z.object({ url: z.string(), method: z.string(), request: z.string(), sapi: z.string() });
export type HttpLogEntry = z.infer<typeof httpEntry>;

/** Outgoing HTTP calls WordPress made (logged by the test mu-plugin at pre_http_request). */
export function httpLog(): HttpLogEntry[] {
  return readJsonLines(join(WORK, "log/http.jsonl")).map((e) => httpEntry.parse(e));
}

const mailEntry = z.object({ to: z.union([z.string(), z.array(z.string())]), subject: z.string(), message: z.string() });
export function mailLog(): z.infer<typeof mailEntry>[] {
  return readJsonLines(join(WORK, "log/mail.jsonl")).map((e) => mailEntry.parse(e));
}

function readJsonLines(file: string): unknown[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
}

export interface OutboxRow {
  seq: string;
  event_id: string;
  topic: string;
  resource_id: string;
  parent_id: string | null;
  status_from: string | null;
  status_to: string | null;
  dedupe_key: string | null;
  sent_at: string | null;
  acked_at: string | null;
}

export async function outboxRows(): Promise<OutboxRow[]> {
  const r = await wp<{ rows: OutboxRow[] }>("GET", "/wp-json/rbc-test/v1/outbox");
  if (r.status !== 200) throw new Error(`outbox read failed: ${r.status} ${r.text}`);
  return r.json.rows;
}

export async function placeOrder(input: Record<string, unknown>, requestId?: string): Promise<number> {
  const r = await wp<{ order_id: number }>("POST", "/wp-json/rbc-test/v1/orders", { body: input, ...(requestId ? { requestId } : {}) });
  if (r.status !== 200) throw new Error(`placing an order failed: ${r.status} ${r.text}`);
  return r.json.order_id;
}

/** Pair the plugin with a bridge through its own admin route, as the owner would. */
export async function pairThroughPlugin(bridgeUrl: string, code: string): Promise<WpResponse<any>> {
  return wp("POST", "/wp-json/rackbeat-connector/v1/pair", { body: { bridge_url: bridgeUrl, code } });
}

/** Run the delivery runner once, exactly as WP-Cron / Action Scheduler would call it. */
export async function runDelivery(): Promise<void> {
  await php("do_action('rackbeat_connector_deliver'); return true;");
}

export interface CookieSession {
  cookie: string;
  nonce: string;
}

/** Log in through wp-login.php like a browser; returns the cookie header and a wp_rest nonce. */
export async function login(user: string, password: string): Promise<CookieSession> {
  const { WP_URL } = wpState();
  const form = new URLSearchParams({ log: user, pwd: password, testcookie: "1" });
  const response = await fetch(`${WP_URL}/wp-login.php`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: "wordpress_test_cookie=WP%20Cookie%20check" },
    body: form.toString(),
    redirect: "manual",
  });
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  const cookie = ["wordpress_test_cookie=WP%20Cookie%20check", ...cookies].join("; ");
  if (!cookies.some((c) => c?.startsWith("wordpress_logged_in_"))) throw new Error(`login failed for ${user}: ${response.status}`);
  const nonce = await (await fetch(`${WP_URL}/wp-admin/admin-ajax.php?action=rest-nonce`, { headers: { cookie } })).text();
  return { cookie, nonce };
}

/** Create a user with a role and an application password; returns its id and a Basic auth header. */
export async function createUser(login: string, role: string): Promise<{ id: number; auth: string; password: string }> {
  const password = "pw-" + Math.random().toString(36).slice(2) + "A1!";
  const result = await php<{ id: number; app: string }>(`
    $id = wp_insert_user(['user_login' => ${JSON.stringify(login)}, 'user_pass' => ${JSON.stringify(password)}, 'role' => ${JSON.stringify(role)}, 'user_email' => ${JSON.stringify(login + "@example.com")}]);
    if (is_wp_error($id)) { throw new Exception($id->get_error_message()); }
    $app = WP_Application_Passwords::create_new_application_password($id, ['name' => 'test']);
    return ['id' => $id, 'app' => $app[0]];
  `);
  return { id: result.id, auth: `Basic ${Buffer.from(`${login}:${result.app}`).toString("base64")}`, password };
}
