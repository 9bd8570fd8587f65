import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { BridgeContext, Feature } from "../context.js";
import { requireSignature } from "./auth.js";
import { readBody } from "./body.js";
import { RackbeatTokenMissing } from "../account/rackbeat-account.js";
import { BridgeError, RateLimited, UpstreamAuthFailed, UpstreamTimeout } from "../lib/errors.js";
import { isStoreFull, storeFullMessage } from "../store/store-full.js";
import { HttpError, sendError } from "./errors.js";
import { healthRoutes } from "./routes/health.js";
import { type WooKeyCheck, disconnectRoute, pairingRoutes } from "./routes/pairing.js";
import { settingsRoutes } from "./routes/settings.js";
import { shopRoutes } from "./routes/shop-activity.js";

export interface AppOptions {
  features: Feature[];
  checkWooKeys: WooKeyCheck;
  defaultSettings: () => unknown;
}

/** The bridge's HTTP API. Thin: verify, validate, store, answer. */
export function createApp(ctx: BridgeContext, options: AppOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set("etag", false);

  app.use((req, res, next) => {
    const started = performance.now();
    res.on("finish", () => {
      const routePath = (req.route as { path?: string } | undefined)?.path ?? "unmatched";
      ctx.metrics.httpRequests.inc({ route: `${req.method} ${routePath}`, status: String(res.statusCode) });
      ctx.log.debug(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started), shop: req.signedBy },
        "http",
      );
    });
    next();
  });
  app.use(readBody);

  const open = Router();
  healthRoutes(open, ctx);
  pairingRoutes(open, ctx, options.checkWooKeys, options.defaultSettings);
  for (const feature of options.features) feature.publicRoutes?.(open, ctx);
  app.use(open);

  const signed = Router({ mergeParams: true });
  const verify = requireSignature(ctx.shops);
  app.use("/v1/shops/:shop", verify);
  app.use("/v1/account", verify);
  disconnectRoute(signed, ctx);
  shopRoutes(signed, ctx, options.features);
  settingsRoutes(signed, ctx);
  for (const feature of options.features) feature.signedRoutes?.(signed, ctx);
  app.use(signed);

  app.use((req: Request, res: Response) => {
    sendError(res, new HttpError(404, "not_found", `No route ${req.method} ${req.path}.`));
  });

  // Errors become JSON with a reason; never a stack trace.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof HttpError) {
      sendError(res, error);
      return;
    }
    if (isStoreFull(error)) {
      // 507 Insufficient Storage: the sender keeps the data and sends it again later (the plugin's
      // outbox keeps every event until the bridge acknowledges it).
      ctx.log.error({ err: (error as Error)?.message, path: req.path, store: ctx.store.location }, "request refused: the store's disk is full");
      sendError(res, new HttpError(507, "disk_full", storeFullMessage(ctx.store.location), undefined, { "Retry-After": "60" }));
      return;
    }
    const mapped = upstreamHttpError(error);
    if (mapped) {
      ctx.log.warn({ err: (error as Error).message, path: req.path }, "route stopped by an upstream error");
      sendError(res, mapped);
      return;
    }
    ctx.log.error({ err: (error as Error)?.message, path: req.path }, "unhandled error in route");
    sendError(res, new HttpError(500, "internal_error", "The bridge failed to handle this request; see its log."));
  });
  return app;
}

/**
 * A route that reaches Rackbeat or WooCommerce may stop on their errors: no token → 409, the far side
 * down, slow or refusing → 502/503/504 naming it (never the far side's message, which may carry a URL
 * with OAuth parameters). Anything else stays a 500.
 */
function upstreamHttpError(error: unknown): HttpError | undefined {
  if (error instanceof RackbeatTokenMissing) return new HttpError(409, "token_missing", error.message);
  if (!(error instanceof BridgeError)) return undefined;
  const what = `${error.name} while the bridge talked to Rackbeat or WooCommerce`;
  if (error instanceof RateLimited) {
    const seconds = Math.max(1, Math.ceil((error.retryAfterMs ?? 60_000) / 1000));
    return new HttpError(503, "upstream_rate_limited", `${what}; try again in ${seconds} s.`, undefined, { "Retry-After": String(seconds) });
  }
  if (error instanceof UpstreamTimeout) return new HttpError(504, "upstream_timeout", `${what}; try again later.`);
  if (error instanceof UpstreamAuthFailed) return new HttpError(502, "upstream_auth_failed", `${what}: the stored credentials were refused.`);
  return new HttpError(502, "upstream_error", `${what}; try again later.`);
}
