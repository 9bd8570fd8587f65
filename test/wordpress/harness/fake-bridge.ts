/**
 * A small fake bridge for faults that are awkward to cause in the real one (bridge/src/main.ts):
 * a protocol version mismatch at pairing, answers of the admin-page routes (protocol.md §5) that
 * carry secret-looking fields, a status document with parked jobs, 503s on demand. It implements
 * protocol.md §1–§4 faithfully: the pairing exchange, signature checks (§2, via the bridge's own
 * signing module) on every other route, the events batch (§3) and the outbox pull (§4).
 */
import { randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { signedHeaders, verifySignature } from "./signing.js";

const pairSchema = z.object({
  code: z.string().min(1),
  shop_url: z.url(),
  shop_name: z.string(),
  wc_consumer_key: z.string().regex(/^ck_[0-9a-f]{40}$/),
  wc_consumer_secret: z.string().regex(/^cs_[0-9a-f]{40}$/),
  plugin_version: z.string(),
  protocol_version: z.number().int(),
});

const eventSchema = z
  .object({
    event_id: z.uuid(),
    seq: z.number().int().nonnegative(),
    topic: z.enum(["order.created", "order.status_changed", "order.updated", "order.deleted", "product.changed", "product.deleted", "stock.changed", "shop.heartbeat"]),
    resource_id: z.number().int().positive(),
    parent_id: z.number().int().positive().optional(),
    occurred_at: z.iso.datetime(),
    from: z.string().optional(),
    to: z.string().optional(),
  })
  .strict();
export type BridgeEvent = z.infer<typeof eventSchema>;
const batchSchema = z.object({ events: z.array(eventSchema).min(1).max(100) }).strict();

export interface ReceivedRequest {
  method: string;
  path: string;
  body: string;
  headers: IncomingMessage["headers"];
  verified: boolean;
}

export class FakeBridge {
  url = "";
  port = 0;
  server: Server | undefined;
  readonly codes = new Set<string>();
  readonly shops = new Map<string, { secret: string; url: string; consumerKey: string; consumerSecret: string }>();
  /** Stored events by event_id (a redelivery is a duplicate, not a second event). */
  readonly events = new Map<string, BridgeEvent>();
  readonly requests: ReceivedRequest[] = [];
  deliveries = 0;
  /** "up" answers; "unavailable" answers 503 to everything. */
  mode: "up" | "unavailable" = "up";
  protocolVersion = 1;
  /** When set, POST …/events answers this instead of storing (e.g. a 409 from a newer bridge). */
  eventsAnswer: { status: number; body: unknown } | undefined;
  /** Extra JSON the §5 routes answer with (merged per route key like "GET /status"). */
  readonly answers = new Map<string, { status: number; body: unknown; contentType?: string }>();

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((done, fail) => {
      this.server!.once("error", fail);
      this.server!.listen(port, "127.0.0.1", () => done());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }

  issueCode(): string {
    const code = randomBytes(16).toString("hex").toUpperCase().match(/.{1,8}/g)!.join("-");
    this.codes.add(code.replace(/-/g, ""));
    return code;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const path = req.url ?? "/";
    const method = req.method ?? "GET";
    const send = (status: number, body: unknown, contentType = "application/json") => {
      res.writeHead(status, { "content-type": contentType });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const record: ReceivedRequest = { method, path, body: raw.toString("utf8"), headers: req.headers, verified: false };
    this.requests.push(record);
    if (this.mode === "unavailable") return send(503, { error: "unavailable", message: "bridge is down for the test" });

    if (method === "POST" && path === "/v1/pair") {
      const parsed = pairSchema.safeParse(JSON.parse(raw.toString("utf8") || "null"));
      if (!parsed.success) return send(400, { error: "bad_request", message: "malformed pairing request", details: parsed.error.issues });
      const code = parsed.data.code.replace(/[\s-]/g, "").toUpperCase();
      if (!this.codes.delete(code)) return send(401, { error: "invalid_code", message: "wrong, used or expired code" });
      if (parsed.data.protocol_version !== this.protocolVersion) {
        return send(409, {
          error: "protocol_mismatch",
          message: "protocol versions differ",
          details: [{ plugin_protocol_version: parsed.data.protocol_version, bridge_protocol_version: this.protocolVersion }],
        });
      }
      const shopId = `shop_${randomBytes(4).toString("hex")}`;
      const secret = randomBytes(32).toString("base64url");
      this.shops.set(shopId, { secret, url: parsed.data.shop_url, consumerKey: parsed.data.wc_consumer_key, consumerSecret: parsed.data.wc_consumer_secret });
      return send(201, { shop_id: shopId, shop_secret: secret, bridge_version: "fake-0", protocol_version: this.protocolVersion });
    }

    // Everything else is signed (protocol.md §2).
    const shopId = String(req.headers["x-rbc-shop"] ?? "");
    const shop = this.shops.get(shopId);
    if (!shop) return send(401, { error: "unknown_shop", message: "unknown shop" });
    const check = verifySignature({
      secret: shop.secret,
      timestamp: req.headers["x-rbc-timestamp"] as string | undefined,
      signature: req.headers["x-rbc-signature"] as string | undefined,
      method,
      pathWithQuery: path,
      body: raw,
    });
    if (!check.ok) return send(401, { error: "bad_signature", message: check.reason });
    record.verified = true;
    const match = /^\/v1\/shops\/([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(path);
    if (match && match[1] !== shopId) return send(403, { error: "forbidden", message: "another shop's resource" });
    const rest = match?.[2] ?? "";

    if (method === "POST" && rest === "/events") {
      this.deliveries += 1;
      if (this.eventsAnswer) return send(this.eventsAnswer.status, this.eventsAnswer.body);
      const parsed = batchSchema.safeParse(JSON.parse(raw.toString("utf8") || "null"));
      if (!parsed.success) {
        return send(400, { error: "bad_request", message: "malformed batch", details: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
      }
      const accepted: string[] = [];
      const duplicates: string[] = [];
      for (const event of parsed.data.events) {
        if (this.events.has(event.event_id)) duplicates.push(event.event_id);
        else {
          this.events.set(event.event_id, event);
          accepted.push(event.event_id);
        }
      }
      return send(202, { accepted, duplicates });
    }
    if (method === "DELETE" && match && rest === "") {
      this.shops.delete(shopId);
      return send(200, { disconnected: shopId });
    }
    const answer = this.answers.get(`${method} ${rest}`) ?? this.answers.get(`${method} ${path.split("?")[0]}`);
    if (answer) return send(answer.status, answer.body, answer.contentType);
    return send(404, { error: "not_found", message: `no fake route for ${method} ${path}` });
  }

  /** protocol.md §4 from the bridge side: GET the shop's outbox after `after`, store, then ack. */
  async pull(shopId: string, after = 0): Promise<{ stored: number; upTo: number; status: number }> {
    const shop = this.shops.get(shopId);
    if (!shop) throw new Error(`unknown shop ${shopId}`);
    const base = new URL(shop.url);
    const path = `${base.pathname.replace(/\/$/, "")}/wp-json/rackbeat-connector/v1/outbox?after=${after}&limit=100`;
    const response = await fetch(`${base.origin}${path}`, { headers: signedHeaders(shopId, shop.secret, "GET", path, "") });
    if (response.status !== 200) return { stored: 0, upTo: after, status: response.status };
    const page = z.object({ events: z.array(eventSchema), next_seq: z.number().int() }).parse(await response.json());
    let stored = 0;
    for (const event of page.events) {
      if (!this.events.has(event.event_id)) {
        this.events.set(event.event_id, event);
        stored += 1;
      }
    }
    const ackPath = `${base.pathname.replace(/\/$/, "")}/wp-json/rackbeat-connector/v1/outbox/ack`;
    const body = JSON.stringify({ up_to_seq: page.next_seq });
    const ack = await fetch(`${base.origin}${ackPath}`, {
      method: "POST",
      headers: { ...signedHeaders(shopId, shop.secret, "POST", ackPath, body), "content-type": "application/json" },
      body,
    });
    return { stored, upTo: page.next_seq, status: ack.status };
  }

  onlyShop(): { id: string; secret: string } {
    const [entry] = [...this.shops.entries()];
    if (!entry) throw new Error("no shop paired");
    return { id: entry[0], secret: entry[1].secret };
  }
}
