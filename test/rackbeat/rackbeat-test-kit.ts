/**
 * Helpers for the Rackbeat contract tests: a sandbox plus a client talking to it over real HTTP,
 * and a tiny webhook receiver.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createRackbeatClient, SlidingWindowRateGate, type RackbeatClient, type RackbeatClientOptions } from "../../bridge/src/rackbeat/index.js";
import { startRackbeatSandbox, type RackbeatSandbox, type RackbeatSandboxOptions } from "../sandboxes/rackbeat/index.js";

export const USER_AGENT = { product: "rackbeat-connector-woocommerce", version: "0.1.0-test", contact: "dev@example.invalid" };

export interface Kit {
  sandbox: RackbeatSandbox;
  client: RackbeatClient;
  gate: SlidingWindowRateGate;
  close(): Promise<void>;
}

export async function startKit(
  sandboxOptions: RackbeatSandboxOptions = {},
  clientOptions: Partial<RackbeatClientOptions> = {},
): Promise<Kit> {
  const sandbox = await startRackbeatSandbox(sandboxOptions);
  const limits = sandboxOptions.rateLimit || { limit: 480, windowMs: 60_000 };
  const gate = new SlidingWindowRateGate({ limit: limits.limit, windowMs: limits.windowMs });
  const client = createRackbeatClient({
    baseUrl: sandbox.baseUrl,
    token: sandbox.token,
    userAgent: USER_AGENT,
    rateGate: gate,
    backoff: { baseMs: 20, maxMs: 100 },
    ...clientOptions,
  });
  return { sandbox, client, gate, close: () => sandbox.close() };
}

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  body: unknown;
  at: number;
}

/** A webhook receiver on 127.0.0.1; `respond` decides each status (default 200). */
export async function startReceiver(respond: (n: number) => number = () => 200) {
  const received: ReceivedDelivery[] = [];
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      received.push({ headers: req.headers, body: text ? JSON.parse(text) : undefined, at: performance.now() });
      res.statusCode = respond(++count);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/rackbeat`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Products "P-0001" … in the sandbox's default group. */
export function productNumbers(n: number, prefix = "P-"): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(4, "0")}`);
}
