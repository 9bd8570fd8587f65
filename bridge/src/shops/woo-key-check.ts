import type { WooKeyCheck } from "../http/routes/pairing.js";
import { WooResponseInvalid, createWooClient } from "../woocommerce/index.js";

/**
 * At pairing, proves the shop's WooCommerce REST keys work by reading the shop's system status with
 * them through the bridge's WooCommerce client (OAuth 1.0a over plain HTTP, as WooCommerce
 * requires). The shop is not stored yet, so this is the one place a client is made from keys in
 * hand rather than with `wooClientFor`; it is used once and dropped. One attempt: the plugin's
 * pairing screen waits for the answer.
 */
export async function checkWooKeysOverRest(input: Parameters<WooKeyCheck>[0], timeoutMs: number): ReturnType<WooKeyCheck> {
  const client = createWooClient({ url: input.url, consumerKey: input.consumerKey, consumerSecret: input.consumerSecret, timeoutMs, retries: { attempts: 1 } });
  try {
    await client.getSystemStatus();
    return { ok: true };
  } catch (error) {
    // A 200 that is not WooCommerce's system status (another plugin answering the route) still proves the keys.
    if (error instanceof WooResponseInvalid) return { ok: true };
    const status = (error as { status?: unknown }).status;
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      status: typeof status === "number" ? status : 0,
      error: typeof code === "string" ? { code, message: (error as Error).message } : (error as Error).message,
    };
  }
}
