import type { WooKeyCheck } from "../http/routes/pairing.js";

/**
 * At pairing, proves the shop's WooCommerce REST keys work by reading the shop's system status with
 * them (the WooCommerce client signs OAuth 1.0a over plain HTTP, as WooCommerce requires).
 */
export async function checkWooKeysOverRest(input: Parameters<WooKeyCheck>[0], timeoutMs: number): ReturnType<WooKeyCheck> {
  const module = (await import("@woocommerce/woocommerce-rest-api")) as unknown as { default: WooApiConstructor | { default: WooApiConstructor } };
  const Api = "default" in module.default ? module.default.default : module.default;
  const api = new Api({
    url: input.url,
    consumerKey: input.consumerKey,
    consumerSecret: input.consumerSecret,
    version: "wc/v3",
    queryStringAuth: false,
    timeout: timeoutMs,
  });
  try {
    await api.get("system_status");
    return { ok: true };
  } catch (error) {
    const response = (error as { response?: { status?: number; data?: unknown } }).response;
    return { ok: false, status: response?.status ?? 0, error: response?.data ?? (error as Error).message };
  }
}

type WooApiConstructor = new (options: Record<string, unknown>) => { get(path: string): Promise<unknown> };
