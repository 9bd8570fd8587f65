import type { WooSandbox } from "../sandboxes/woocommerce/index.js";

/**
 * Pairs a WooCommerce sandbox with a bridge as the plugin does: a one-time code, then
 * `POST /v1/pair` carrying the shop's URL and a real REST key of the shop.
 */
export async function pairWooShop(
  bridge: { url: string; pairing: { create(name?: string): Promise<{ code: string }> } },
  woo: Pick<WooSandbox, "url">,
  name: string,
  key: { consumerKey: string; consumerSecret: string },
): Promise<{ shopId: string; shopSecret: string }> {
  const { code } = await bridge.pairing.create(name);
  const response = await fetch(`${bridge.url}/v1/pair`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      code,
      shop_url: woo.url,
      shop_name: name,
      wc_consumer_key: key.consumerKey,
      wc_consumer_secret: key.consumerSecret,
      plugin_version: "0.1.0",
      protocol_version: 1,
    }),
  });
  if (response.status !== 201) throw new Error(`pairing failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { shop_id: string; shop_secret: string };
  return { shopId: body.shop_id, shopSecret: body.shop_secret };
}
