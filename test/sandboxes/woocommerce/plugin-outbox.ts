/**
 * [double] The plugin's outbox as the bridge meets it, for tests that run without WordPress (the
 * fault drills): the rules of plugin/src/Outbox.php, Delivery/Runner.php and
 * Rest/OutboxRestController.php, kept in memory and served by the WooCommerce sandbox at the shop's URL.
 *
 * - `record(event)`: one row, a new event id and the next `seq` (the hooks' single INSERT).
 * - `push()`: the delivery runner: the oldest ≤ 100 unacknowledged rows are marked sent and POSTed,
 *   signed, to `POST /v1/shops/{shop}/events`; a 202 acknowledges the `accepted` and `duplicates`
 *   ids; anything else (refused connection, 5xx, 507) leaves every row in the outbox and stops the run.
 * - `GET /wp-json/rackbeat-connector/v1/outbox?after=&limit=` and `POST …/outbox/ack {up_to_seq}`
 *   (protocol.md §4), signature checked with the shop secret: the pull serves unacknowledged rows with
 *   `seq > after` or never sent, marking them sent; the ack covers sent rows up to `up_to_seq`.
 *
 * Not modelled: dedupe keys (tests record each event once), the staging pause, the runner's own
 * backoff (the test decides when the runner runs). The real plugin is tested on real WordPress in
 * test/wordpress (delivery.test.ts: bridge down while 50 orders are placed, then back).
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

export interface OutboxEventInput {
  topic: string;
  resource_id: number;
  parent_id?: number;
  from?: string;
  to?: string;
}

export interface OutboxRow extends OutboxEventInput {
  seq: number;
  event_id: string;
  occurred_at: string;
  sentAt: number | null;
  ackedAt: number | null;
}

export interface PushResult {
  status: "delivered" | "failed" | "idle" | "not_paired";
  /** Rows acknowledged by this run. */
  sent: number;
  /** HTTP status of the failed POST (0: no answer), and the error as the plugin would store it. */
  failedStatus?: number;
  error?: string;
}

export interface OutboxStats {
  pushRuns: number;
  pushFailures: number;
  pulls: number;
  acks: number;
  refusedSignatures: number;
  lastPushError: string | null;
}

const MAX_BATCH = 100;
const MAX_SKEW_SECONDS = 300;
const ROUTE = "/rackbeat-connector/v1/outbox";

function sign(secret: string, timestamp: string, method: string, pathWithQuery: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${method.toUpperCase()}.${pathWithQuery}.${body}`, "utf8").digest("hex")}`;
}

export class PluginOutbox {
  private readonly table: OutboxRow[] = [];
  private nextSeq = 1;
  private connection: { shopId: string; secret: string; bridgeUrl: string } | undefined;
  readonly stats: OutboxStats = { pushRuns: 0, pushFailures: 0, pulls: 0, acks: 0, refusedSignatures: 0, lastPushError: null };

  constructor(private readonly clock: () => number = Date.now) {}

  /** What pairing stores: the shop id and secret the bridge issued, and where the bridge is. */
  connect(connection: { shopId: string; secret: string; bridgeUrl: string }): void {
    this.connection = { ...connection, bridgeUrl: connection.bridgeUrl.replace(/\/+$/, "") };
  }

  /** The bridge moved (restarted on another port). */
  setBridgeUrl(url: string): void {
    if (this.connection) this.connection.bridgeUrl = url.replace(/\/+$/, "");
  }

  record(event: OutboxEventInput): OutboxRow {
    const row: OutboxRow = {
      ...event,
      seq: this.nextSeq++,
      event_id: randomUUID(),
      occurred_at: new Date(this.clock()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      sentAt: null,
      ackedAt: null,
    };
    this.table.push(row);
    return row;
  }

  rows(): OutboxRow[] {
    return this.table.map((r) => ({ ...r }));
  }

  /** Rows the bridge has not acknowledged yet (the admin page's backlog). */
  pending(): number {
    return this.table.filter((r) => r.ackedAt === null).length;
  }

  /** One run of the delivery runner: batches until the outbox is empty or a POST fails. */
  async push(): Promise<PushResult> {
    const c = this.connection;
    if (!c) return { status: "not_paired", sent: 0 };
    this.stats.pushRuns++;
    let sent = 0;
    let result: PushResult = { status: "idle", sent: 0 };
    for (;;) {
      const batch = this.table.filter((r) => r.ackedAt === null).slice(0, MAX_BATCH);
      if (batch.length === 0) break;
      this.markSent(batch);
      const path = `/v1/shops/${encodeURIComponent(c.shopId)}/events`;
      const body = JSON.stringify({ events: batch.map(envelope) });
      const timestamp = String(Math.floor(this.clock() / 1000));
      let status = 0;
      let json: unknown;
      let error: string | undefined;
      try {
        const response = await fetch(`${c.bridgeUrl}${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "X-RBC-Shop": c.shopId,
            "X-RBC-Timestamp": timestamp,
            "X-RBC-Signature": sign(c.secret, timestamp, "POST", path, body),
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        const text = await response.text();
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
      } catch (e) {
        error = (e as Error).message;
      }
      if (status === 202 || status === 200) {
        const answer = (json ?? {}) as { accepted?: unknown; duplicates?: unknown };
        const ids = new Set([...(Array.isArray(answer.accepted) ? answer.accepted : []), ...(Array.isArray(answer.duplicates) ? answer.duplicates : [])].map(String));
        let acked = 0;
        for (const row of batch) {
          if (ids.has(row.event_id) && row.ackedAt === null) {
            row.ackedAt = this.clock();
            acked++;
          }
        }
        sent += acked;
        result = { status: "delivered", sent };
        if (batch.length < MAX_BATCH || acked === 0) break;
        continue;
      }
      const code = (json as { error?: unknown } | undefined)?.error;
      const message = `${error ?? `HTTP ${status} from the bridge`}${typeof code === "string" ? `: ${code}` : ""}`;
      this.stats.pushFailures++;
      this.stats.lastPushError = message;
      result = { status: "failed", sent, failedStatus: status, error: message };
      break;
    }
    return result;
  }

  /**
   * The plugin's signed pull routes; `route` is the path after /wp-json. Undefined when the route is
   * not the outbox's (the sandbox answers it as WooCommerce).
   */
  handle(input: { method: string; route: string; pathWithQuery: string; query: URLSearchParams; headers: Record<string, string | string[] | undefined>; rawBody: string }):
    | { status: number; body: unknown }
    | undefined {
    if (input.route !== ROUTE && input.route !== `${ROUTE}/ack`) return undefined;
    const refused = this.checkSignature(input);
    if (refused) {
      this.stats.refusedSignatures++;
      return { status: 401, body: { code: `rackbeat_connector_${refused}`, message: refused, data: { status: 401, error: refused } } };
    }
    if (input.route === ROUTE && input.method === "GET") {
      const after = Math.max(0, Number(input.query.get("after") ?? "0") || 0);
      const limit = Number(input.query.get("limit") ?? String(MAX_BATCH));
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BATCH) {
        return { status: 400, body: { code: "rest_invalid_param", message: "Invalid parameter(s): limit", data: { status: 400 } } };
      }
      this.stats.pulls++;
      const rows = this.table.filter((r) => r.ackedAt === null && (r.seq > after || r.sentAt === null)).slice(0, limit);
      this.markSent(rows);
      const nextSeq = rows.reduce((max, r) => Math.max(max, r.seq), after);
      return { status: 200, body: { events: rows.map(envelope), next_seq: nextSeq } };
    }
    if (input.route === `${ROUTE}/ack` && input.method === "POST") {
      let upTo: unknown;
      try {
        upTo = (JSON.parse(input.rawBody) as { up_to_seq?: unknown }).up_to_seq;
      } catch {
        upTo = undefined;
      }
      if (typeof upTo !== "number" || !Number.isInteger(upTo) || upTo < 0) {
        return { status: 400, body: { code: "rest_missing_callback_param", message: "Missing parameter(s): up_to_seq", data: { status: 400 } } };
      }
      this.stats.acks++;
      let acknowledged = 0;
      for (const row of this.table) {
        if (row.ackedAt === null && row.sentAt !== null && row.seq <= upTo) {
          row.ackedAt = this.clock();
          acknowledged++;
        }
      }
      return { status: 200, body: { acknowledged, up_to_seq: upTo } };
    }
    return { status: 404, body: { code: "rest_no_route", message: "No route was found matching the URL and request method.", data: { status: 404 } } };
  }

  private checkSignature(input: { method: string; pathWithQuery: string; headers: Record<string, string | string[] | undefined>; rawBody: string }): string | undefined {
    const c = this.connection;
    const header = (name: string) => {
      const v = input.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    if (!c || header("x-rbc-shop") !== c.shopId) return "unknown_shop";
    const timestamp = header("x-rbc-timestamp") ?? "";
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(Math.floor(this.clock() / 1000) - Number(timestamp)) > MAX_SKEW_SECONDS) return "stale_timestamp";
    const expected = Buffer.from(sign(c.secret, timestamp, input.method, input.pathWithQuery, input.rawBody));
    const given = Buffer.from(header("x-rbc-signature") ?? "");
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "bad_signature";
    return undefined;
  }

  private markSent(rows: OutboxRow[]): void {
    const at = this.clock();
    for (const row of rows) row.sentAt ??= at;
  }
}

/** A row as the protocol's event envelope (protocol.md §3). */
function envelope(row: OutboxRow): Record<string, unknown> {
  return {
    event_id: row.event_id,
    seq: row.seq,
    topic: row.topic,
    resource_id: row.resource_id,
    occurred_at: row.occurred_at,
    ...(row.parent_id ? { parent_id: row.parent_id } : {}),
    ...(row.topic === "order.status_changed" ? { from: row.from ?? "", to: row.to ?? "" } : {}),
  };
}
