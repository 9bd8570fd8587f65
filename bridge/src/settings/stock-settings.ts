import { z } from "zod";
import { rackbeatNumberSchema } from "./common.js";

/**
 * The stock group of a shop's settings (design.md §3). OWNED BY THE STOCK ISSUE: written here with
 * design.md's fields and defaults so the shop settings schema is whole; the stock work may change it.
 * (design.md's "management" row is behaviour, not a choice: the bridge turns `manage_stock` on for
 * every product it writes stock to.)
 */
export const stockSettingsSchema = z
  .strictObject({
    sync: z.boolean({ error: "stock.sync must be true or false" }).default(true),
    /** available = on hand − in orders; on_hand = physical stock. */
    figure: z.enum(["available", "on_hand"], { error: "figure must be \"available\" or \"on_hand\"" }).default("available"),
    /** "all" Rackbeat locations, or the location numbers to add up. */
    locations: z
      .union([z.literal("all"), z.array(rackbeatNumberSchema).min(1, { error: "choose at least one location, or \"all\"" })], {
        error: "locations must be \"all\" or a list of Rackbeat location numbers",
      })
      .default("all"),
    /** Units held back in this shop. */
    buffer: z
      .number({ error: "buffer must be a whole number of units" })
      .int({ error: "buffer must be a whole number of units" })
      .min(0, { error: "buffer cannot be negative" })
      .default(0),
  })
  .prefault({});

export type StockSettings = z.output<typeof stockSettingsSchema>;
