import type { NextFunction, Request, Response } from "express";
import type { Shops } from "../shops/shops.js";
import { HttpError } from "./errors.js";
import { verifySignature } from "./signing.js";

/**
 * protocol.md §2: verifies X-RBC-Shop / X-RBC-Timestamp / X-RBC-Signature against the shop's secret.
 * Unknown shop or bad signature → 401 with the reason. On /v1/shops/{shop}/… the signing shop must be
 * that shop → 403 otherwise: one shop's secret only opens its own resources.
 */
export function requireSignature(shops: Shops) {
  return (req: Request, _res: Response, next: NextFunction) => {
    void (async () => {
      const shopId = header(req, "x-rbc-shop");
      if (!shopId) throw new HttpError(401, "unsigned", "X-RBC-Shop is missing: this route needs a signed request.");
      const secret = await shops.secretOf(shopId);
      if (!secret) throw new HttpError(401, "unknown_shop", "The shop in X-RBC-Shop is not paired with this bridge.");
      const result = verifySignature({
        secret,
        timestamp: header(req, "x-rbc-timestamp"),
        signature: header(req, "x-rbc-signature"),
        method: req.method,
        pathWithQuery: req.originalUrl,
        body: req.rawBody,
      });
      if (!result.ok) throw new HttpError(401, "bad_signature", `Signature refused: ${result.reason}.`);
      req.signedBy = shopId;
      const target = req.params.shop;
      if (target !== undefined && target !== shopId) {
        throw new HttpError(403, "forbidden", "A shop's signature only opens that shop's resources.");
      }
      await shops.touch(shopId);
    })().then(() => next(), next);
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
