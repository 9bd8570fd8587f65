import type { Router } from "express";
import type { BridgeContext } from "../../context.js";
import { describeSettingsIssues, shopSettingsSchema } from "../../settings/shop-settings.js";
import { HttpError, route } from "../errors.js";

/** protocol.md §5: a shop's settings (design.md §3), validated whole; unknown keys are refused. */
export function settingsRoutes(router: Router, ctx: BridgeContext): void {
  router.get(
    "/v1/shops/:shop/settings",
    route(async (req, res) => {
      const shop = await ctx.shops.get(String(req.params.shop));
      if (!shop) throw new HttpError(404, "not_found", "No such shop.");
      // Stored settings are re-parsed so defaults added by a newer bridge appear.
      const parsed = shopSettingsSchema.safeParse(shop.settings);
      res.json({ settings: parsed.success ? parsed.data : shopSettingsSchema.parse({}) });
    }),
  );

  router.put(
    "/v1/shops/:shop/settings",
    route(async (req, res) => {
      const parsed = shopSettingsSchema.safeParse(req.json ?? {});
      if (!parsed.success) {
        const issues = describeSettingsIssues(parsed.error);
        throw new HttpError(
          400,
          "invalid_settings",
          `The settings are not valid: ${issues.slice(0, 3).join("; ")}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ""}.`,
          parsed.error.issues.map((issue, i) => ({ path: issue.path.map(String).join("."), message: issues[i] })),
        );
      }
      const shopId = String(req.params.shop);
      await ctx.shops.saveSettings(shopId, parsed.data);
      ctx.log.info({ shop: shopId }, "settings saved");
      res.json({ settings: parsed.data });
    }),
  );
}
