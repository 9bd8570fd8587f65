import type { BridgeContext, Feature } from "../context.js";
import { errorMessage } from "../lib/errors.js";
import { WooAuthFailed } from "./woo-errors.js";
import { wooClientFor } from "./shop-woo-client.js";

type KeysVerdict = {
  keys_valid: boolean | null;
  checked_at: string;
  reason?: string;
};

const CHECK_EVERY_MS = 60_000;
const verdicts = new WeakMap<BridgeContext, Map<string, { at: number; verdict: KeysVerdict }>>();

/**
 * The status route's "woocommerce" part: do the shop's REST keys still work? One cheap read
 * (system status) at most once a minute per shop, so the admin page's Overview can say so.
 * `keys_valid` is null when the shop could not be reached at all (then nothing is known about the keys).
 */
export async function wooKeysVerdict(ctx: BridgeContext, shopId: string): Promise<KeysVerdict> {
  let perShop = verdicts.get(ctx);
  if (!perShop) verdicts.set(ctx, (perShop = new Map()));
  const cached = perShop.get(shopId);
  if (cached && ctx.now() - cached.at < CHECK_EVERY_MS) return cached.verdict;
  let verdict: KeysVerdict;
  try {
    const client = await wooClientFor(ctx, shopId);
    await client.getSystemStatus({ signal: AbortSignal.timeout(3_000) });
    verdict = { keys_valid: true, checked_at: new Date(ctx.now()).toISOString() };
  } catch (error) {
    verdict =
      error instanceof WooAuthFailed
        ? { keys_valid: false, checked_at: new Date(ctx.now()).toISOString(), reason: "WooCommerce refused the bridge's REST keys: connect the shop again." }
        : { keys_valid: null, checked_at: new Date(ctx.now()).toISOString(), reason: `The shop could not be reached: ${errorMessage(error)}` };
  }
  perShop.set(shopId, { at: ctx.now(), verdict });
  return verdict;
}

export const wooConnectionFeature: Feature = {
  name: "woocommerce",
  status: (shopId, ctx) => wooKeysVerdict(ctx, shopId),
};
