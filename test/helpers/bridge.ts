import { Writable } from "node:stream";
import type { Feature } from "../../bridge/src/context.js";
import type { WooKeyCheck } from "../../bridge/src/http/routes/pairing.js";
import { signedHeaders } from "../../bridge/src/http/signing.js";
import { type RunningBridge, startBridge } from "../../bridge/src/main.js";
import { createLogger } from "../../bridge/src/observability/logger.js";
import { type StoreKind, defaultStoreKind } from "../postgres/test-databases.js";

export interface TestBridge extends RunningBridge {
  dataDir: string;
  /** Every log line the bridge wrote, parsed. */
  logLines: Record<string, unknown>[];
  /** Raw log output, for grepping secrets and personal data. */
  logText(): string;
  /** A signed request as a shop would make it. */
  signedFetch(shopId: string, secret: string, method: string, path: string, body?: unknown): Promise<Response>;
  /** Pairs a shop with a fresh code; returns its id and secret. */
  pairShop(input?: Partial<{ name: string; url: string }>): Promise<{ shopId: string; shopSecret: string }>;
}

export async function startTestBridge(
  options: {
    env?: Record<string, string>;
    features?: Feature[];
    checkWooKeys?: WooKeyCheck;
    runWorkers?: boolean;
    dataDir?: string;
    /** The engine, on a fresh store (default SQLite; RBC_TEST_STORE=postgres makes it PostgreSQL). */
    store?: StoreKind;
  } = {},
): Promise<TestBridge> {
  const fresh = options.dataDir ? undefined : await (options.store ?? defaultStoreKind).create();
  const dir = fresh
    ? { path: fresh.dataDir, env: fresh.env, cleanup: () => fresh.cleanup() }
    : { path: options.dataDir!, env: {}, cleanup: async () => undefined };
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString("utf8"));
      cb();
    },
  });
  // Debug by default so tests can grep everything; a benchmark passes LOG_LEVEL to pay only for what it keeps.
  const logger = createLogger({ level: (options.env?.LOG_LEVEL as "debug" | undefined) ?? "debug", destination });
  const bridge = await startBridge({
    env: { ...dir.env, DATA_DIR: dir.path, PORT: "0", LOG_LEVEL: "debug", ...options.env },
    logger,
    features: options.features ?? [],
    checkWooKeys: options.checkWooKeys ?? (async () => ({ ok: true })),
    ...(options.runWorkers === undefined ? {} : { runWorkers: options.runWorkers }),
  });
  const signedFetch = async (shopId: string, secret: string, method: string, path: string, body?: unknown) => {
    const raw = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
    return fetch(`${bridge.url}${path}`, {
      method,
      headers: { ...signedHeaders(shopId, secret, method, path, raw), ...(raw ? { "content-type": "application/json" } : {}) },
      ...(raw ? { body: raw } : {}),
    });
  };
  return {
    ...bridge,
    dataDir: dir.path,
    logLines: new Proxy([], {
      get(_t, prop) {
        const lines = chunks.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
        return Reflect.get(lines, prop);
      },
    }) as Record<string, unknown>[],
    logText: () => chunks.join(""),
    signedFetch,
    async pairShop(input = {}) {
      const { code } = await bridge.ctx.pairing.create(input.name);
      const response = await fetch(`${bridge.url}/v1/pair`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          code,
          shop_url: input.url ?? "http://127.0.0.1:9/shop",
          shop_name: input.name ?? "Test shop",
          wc_consumer_key: `ck_${"a".repeat(40)}`,
          wc_consumer_secret: `cs_${"b".repeat(40)}`,
          plugin_version: "0.1.0",
          protocol_version: 1,
        }),
      });
      if (response.status !== 201) throw new Error(`pairing failed: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { shop_id: string; shop_secret: string };
      return { shopId: body.shop_id, shopSecret: body.shop_secret };
    },
    async close() {
      await bridge.close();
      await dir.cleanup();
    },
  };
}
