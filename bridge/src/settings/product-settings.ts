import { z } from "zod";
import { rackbeatNumberSchema } from "./common.js";

/**
 * The products group of a shop's settings (design.md §3). OWNED BY THE PRODUCTS ISSUE: written here
 * with design.md's fields and defaults so the shop settings schema is whole; the products work may
 * change it.
 */

const MASTERS = ["rackbeat_to_woo", "woo_to_rackbeat", "off"] as const;

export const productSettingsSchema = z
  .strictObject({
    /** Which system creates and edits products; never both ways at once. */
    master: z.enum(MASTERS, { error: `master must be one of ${MASTERS.map((m) => `"${m}"`).join(", ")}` }).default("off"),
    /** Fields kept in step by the master direction (toggle each). */
    fields: z
      .strictObject({
        sku: z.boolean().default(true),
        name: z.boolean().default(true),
        description: z.boolean().default(true),
        salesPrice: z.boolean().default(true),
        costPrice: z.boolean().default(true),
        weight: z.boolean().default(true),
        ean: z.boolean().default(true),
      })
      .prefault({}),
    /** New products from Rackbeat are created as drafts or published. */
    newProductsFromRackbeat: z
      .enum(["draft", "publish"], { error: "newProductsFromRackbeat must be \"draft\" or \"publish\"" })
      .default("draft"),
    /** Rackbeat product group per WooCommerce tax class ("" is the standard class); Rackbeat takes VAT from the group. */
    productGroups: z
      .strictObject({
        byTaxClass: z.record(z.string(), rackbeatNumberSchema).default({}),
        default: rackbeatNumberSchema.nullable().default(null),
      })
      .prefault({}),
    /** What a product barred in Rackbeat becomes in WooCommerce; never deleted. */
    barredInRackbeat: z
      .enum(["private", "draft"], { error: "barredInRackbeat must be \"private\" or \"draft\"" })
      .default("private"),
  })
  .prefault({});

export type ProductSettings = z.output<typeof productSettingsSchema>;
