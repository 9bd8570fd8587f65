import type { Router } from "express";
import { z } from "zod";
import type { BridgeContext } from "../../context.js";
import { PROTOCOL_VERSION } from "../../shops/pairing.js";
import { HttpError, badRequest, route } from "../errors.js";

const pairRequestSchema = z.object({
  code: z.string().trim().min(1, "is required").max(64),
  shop_url: z.url({ message: "must be the shop's absolute URL" }).max(2048),
  shop_name: z.string().trim().min(1, "is required").max(200),
  wc_consumer_key: z.string().trim().regex(/^ck_[0-9a-f]{40}$/i, "must be a WooCommerce consumer key (ck_…)"),
  wc_consumer_secret: z.string().trim().regex(/^cs_[0-9a-f]{40}$/i, "must be a WooCommerce consumer secret (cs_…)"),
  plugin_version: z.string().trim().max(50).optional(),
  protocol_version: z.number().int().positive(),
});

export type WooKeyCheck = (input: {
  url: string;
  consumerKey: string;
  consumerSecret: string;
}) => Promise<{ ok: true } | { ok: false; status: number; error: unknown }>;

/** protocol.md §1: the unsigned pairing exchange (the one-time code is the credential). */
export function pairingRoutes(router: Router, ctx: BridgeContext, checkWooKeys: WooKeyCheck, defaultSettings: () => unknown): void {
  router.post(
    "/v1/pair",
    route(async (req, res) => {
      const address = req.socket.remoteAddress ?? "unknown";
      if (await ctx.pairing.isThrottled(address)) {
        throw new HttpError(429, "too_many_attempts", "Too many wrong pairing codes from this address; wait 10 minutes.", undefined, {
          "Retry-After": "600",
        });
      }
      const parsed = pairRequestSchema.safeParse(req.json);
      if (!parsed.success) throw badRequest(parsed.error, "pairing request");
      const body = parsed.data;
      const code = await ctx.pairing.find(body.code);
      if (!code) {
        await ctx.pairing.recordFailure(address);
        ctx.log.warn({ address }, "pairing refused: unknown, used or expired code");
        throw new HttpError(401, "invalid_code", "The pairing code is wrong, used or expired. Run `rackbeat-bridge pair` for a new one.");
      }
      if (body.protocol_version !== PROTOCOL_VERSION) {
        throw new HttpError(
          409,
          "protocol_mismatch",
          `The plugin speaks protocol version ${body.protocol_version}, this bridge version ${PROTOCOL_VERSION}. Update the older side.`,
          [{ plugin_protocol_version: body.protocol_version, bridge_protocol_version: PROTOCOL_VERSION }],
        );
      }
      const check = await checkWooKeys({ url: body.shop_url, consumerKey: body.wc_consumer_key, consumerSecret: body.wc_consumer_secret });
      if (!check.ok) {
        throw new HttpError(
          422,
          "woocommerce_keys_refused",
          `The bridge could not use the shop's WooCommerce REST keys (HTTP ${check.status}).`,
          [{ woocommerce: check.error }],
        );
      }
      if (!(await ctx.pairing.consume(code.id))) {
        throw new HttpError(401, "invalid_code", "The pairing code was used by another request.");
      }
      const { shop, shopSecret } = await ctx.shops.create({
        name: body.shop_name || code.name || body.shop_url,
        url: body.shop_url.replace(/\/+$/, ""),
        wcConsumerKey: body.wc_consumer_key,
        wcConsumerSecret: body.wc_consumer_secret,
        pluginVersion: body.plugin_version ?? null,
        protocolVersion: body.protocol_version,
        settings: defaultSettings(),
      });
      ctx.log.info({ shop: shop.id, url: shop.url }, "shop paired");
      res.status(201).json({
        shop_id: shop.id,
        shop_secret: shopSecret,
        bridge_version: ctx.version,
        protocol_version: PROTOCOL_VERSION,
      });
    }),
  );
}

/** protocol.md §1.5: signed disconnect. */
export function disconnectRoute(router: Router, ctx: BridgeContext): void {
  router.delete(
    "/v1/shops/:shop",
    route(async (req, res) => {
      const shopId = String(req.params.shop);
      await ctx.shops.disconnect(shopId);
      ctx.log.info({ shop: shopId }, "shop disconnected");
      res.status(200).json({ disconnected: shopId });
    }),
  );
}
