import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { BridgeContext, Feature } from "../context.js";
import { requireSignature } from "./auth.js";
import { readBody } from "./body.js";
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
    ctx.log.error({ err: (error as Error)?.message, path: req.path }, "unhandled error in route");
    sendError(res, new HttpError(500, "internal_error", "The bridge failed to handle this request; see its log."));
  });
  return app;
}
