import type { BridgeContext } from "../context.js";
import { type WooClient, createWooClient } from "./woo-client.js";
import { WooShopNotConnected } from "./woo-errors.js";

/** What the factory reads from the bridge context. */
export type WooClientContext = Pick<BridgeContext, "shops" | "config" | "metrics" | "log">;

interface CachedClient {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  client: WooClient;
}

const clients = new WeakMap<WooClientContext, Map<string, CachedClient>>();

/**
 * The WooCommerce client for one paired shop, built from its stored URL and REST keys: the only
 * way bridge code reaches a shop's REST API. One client per bridge, shop and credentials — a
 * re-pairing (new keys) or a changed shop URL makes a new one. Throws `WooShopNotConnected` for
 * unknown or disconnected shops.
 */
export async function wooClientFor(ctx: WooClientContext, shopId: string): Promise<WooClient> {
  const shop = await ctx.shops.get(shopId);
  const credentials = shop ? await ctx.shops.credentials(shopId) : undefined;
  if (!shop || !credentials) throw new WooShopNotConnected(shopId);
  let perShop = clients.get(ctx);
  if (!perShop) clients.set(ctx, (perShop = new Map()));
  const cached = perShop.get(shopId);
  if (cached && cached.url === shop.url && cached.consumerKey === credentials.wcConsumerKey && cached.consumerSecret === credentials.wcConsumerSecret) {
    return cached.client;
  }
  const client = createWooClient({
    url: shop.url,
    consumerKey: credentials.wcConsumerKey,
    consumerSecret: credentials.wcConsumerSecret,
    timeoutMs: ctx.config.WOOCOMMERCE_TIMEOUT_MS,
    metrics: ctx.metrics,
    logger: ctx.log,
  });
  perShop.set(shopId, { url: shop.url, consumerKey: credentials.wcConsumerKey, consumerSecret: credentials.wcConsumerSecret, client });
  return client;
}
