/**
 * Shared pieces of the security tests: raw HTTP requests (exact bytes and path, so a signature
 * covers precisely what the bridge receives), the express app's real route table, and a snapshot of
 * every table in the store to prove a refused request changed nothing.
 */
import { request } from "node:http";
import type { Server } from "node:http";
import { sql } from "kysely";
import type { BridgeContext } from "../../bridge/src/context.js";
import { sign } from "../../bridge/src/http/signing.js";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** One HTTP request with the path sent byte for byte (no URL normalisation, unlike fetch). */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string | string[]> = {},
  body?: string | Buffer,
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Headers of a request signed as protocol.md §2 says, with a chosen clock (seconds) and secret. */
export function signed(shopId: string, secret: string, method: string, pathWithQuery: string, body: string | Buffer, nowMs = Date.now()) {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { "x-rbc-shop": shopId, "x-rbc-timestamp": timestamp, "x-rbc-signature": sign(secret, timestamp, method, pathWithQuery, body) };
}

export interface RouteEntry {
  method: string;
  path: string;
}

/** Every route the running bridge's express app answers, read from its router (so new routes are included). */
export function routeTable(server: Server): RouteEntry[] {
  // The express app is the server's request listener.
  const app = server.listeners("request")[0] as unknown as { router: { stack: Layer[] } };
  interface Layer {
    route?: { path: string; methods: Record<string, boolean> };
    handle?: { stack?: Layer[] };
  }
  const out: RouteEntry[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== "_all") out.push({ method: method.toUpperCase(), path: layer.route.path });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk(app.router.stack);
  return out;
}

/** Routes that answer without a shop signature, each with its own credential (or none, read-only). */
export const PUBLIC_ROUTES = new Set(["GET /healthz", "GET /metrics", "POST /v1/pair", "POST /v1/rackbeat/webhooks"]);

export type Snapshot = Record<string, unknown[]>;

/**
 * Every row of every table (SQLite or PostgreSQL), each table's rows in one fixed order (sorted by
 * their content: PostgreSQL has no rowid). `shops.last_contact_at` is left out: a correctly signed
 * request is a contact from the shop even when its body is then refused (protocol.md §5 "last contact").
 */
export async function snapshotStore(ctx: BridgeContext, options: { ignore?: string[] } = {}): Promise<Snapshot> {
  const db = ctx.store.db;
  const tables =
    ctx.store.dialect === "postgres"
      ? await sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like 'kysely_%' order by table_name`.execute(db)
      : await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name`.execute(db);
  if (tables.rows.length === 0) throw new Error("snapshotStore: the store lists no tables");
  const out: Snapshot = {};
  for (const { name } of tables.rows) {
    if (options.ignore?.includes(name)) continue;
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    out[name] = rows.rows
      .map((row) => {
        const copy = { ...row };
        if (name === "shops") delete copy.last_contact_at;
        return copy;
      })
      .map((row) => ({ row, key: JSON.stringify(row) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      .map(({ row }) => row);
  }
  return out;
}

/** Rows that belong to one shop, in every table that has a shop_id column (plus its shops row). */
export async function shopRows(ctx: BridgeContext, shopId: string): Promise<Snapshot> {
  const all = await snapshotStore(ctx);
  const out: Snapshot = {};
  for (const [table, rows] of Object.entries(all)) {
    const mine = rows.filter((r) => {
      const row = r as Record<string, unknown>;
      return row.shop_id === shopId || (table === "shops" && row.id === shopId);
    });
    if (mine.length > 0) out[table] = mine;
  }
  return out;
}

/** The `{error, message}` answer of protocol.md §5, or a description of what was wrong with it. */
export function errorShapeProblem(response: RawResponse): string | undefined {
  const body = response.json as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object") return `not JSON: ${response.text.slice(0, 200)}`;
  if (typeof body.error !== "string" || body.error === "") return `no error code: ${response.text.slice(0, 200)}`;
  if (typeof body.message !== "string" || body.message.length < 5) return `no message: ${response.text.slice(0, 200)}`;
  if (/\bat .*\.(ts|js):\d+/.test(response.text)) return "stack trace in the answer";
  return undefined;
}
