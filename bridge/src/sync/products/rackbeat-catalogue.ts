/**
 * Reads of the Rackbeat catalogue the product sync shares: VAT rates of product groups, and a
 * sparse stream of existing products (only the fields the bridge compares, 1,000 per page).
 */
import { z } from "zod";
import { Money } from "../../lib/money.js";
import type { RackbeatClient } from "../../rackbeat/index.js";
import type { RatePriority } from "../../rackbeat/rate-gate.js";
import type { RackbeatComparable } from "./woo-to-rackbeat-transformer.js";

const numeric = z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/).transform(Number)]);

/** The compared fields plus on-hand stock, as `fields=` returns them. */
export const comparableProductSchema = z.looseObject({
  number: z.union([z.string(), z.number().transform(String)]),
  name: z.string().optional(),
  sales_price: numeric.optional(),
  description: z.string().nullable().optional(),
  barcode: z.string().nullable().optional(),
  group_id: z.number().int().nullable().optional(),
  is_barred: z.boolean().optional(),
  stock_quantity: numeric.optional(),
  physical: z
    .looseObject({ weight: numeric.nullable().optional(), weight_unit: z.string().nullable().optional() })
    .nullable()
    .optional(),
});
export type ComparableProduct = z.output<typeof comparableProductSchema>;

export const COMPARABLE_FIELDS = "number,name,sales_price,description,barcode,group_id,is_barred,stock_quantity,physical";

export function toComparable(p: ComparableProduct): RackbeatComparable & { stock: number } {
  return {
    number: p.number,
    name: p.name,
    sales_price: p.sales_price,
    description: p.description,
    barcode: p.barcode,
    group_id: p.group_id,
    is_barred: p.is_barred,
    physical: p.physical ? { weight: p.physical.weight, weight_unit: p.physical.weight_unit } : null,
    stock: p.stock_quantity ?? 0,
  };
}

/** Every Rackbeat product, sparse, page by page (one request per 1,000 products). */
export function iterateComparableProducts(
  rackbeat: Pick<RackbeatClient, "paginate">,
  options: { priority?: RatePriority; signal?: AbortSignal; fields?: string } = {},
): AsyncGenerator<ComparableProduct> {
  return rackbeat.paginate("/products", "products", comparableProductSchema, { fields: options.fields ?? COMPARABLE_FIELDS, limit: 1000 }, {
    priority: options.priority ?? "bulk",
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Domestic VAT per product group, read once per group and remembered. */
export class GroupVatRates {
  private readonly rates = new Map<number, Promise<Money>>();

  constructor(
    private readonly rackbeat: Pick<RackbeatClient, "getProductGroup">,
    private readonly priority: RatePriority = "live",
  ) {}

  vat(group: number): Promise<Money> {
    let rate = this.rates.get(group);
    if (!rate) {
      rate = this.rackbeat
        .getProductGroup(group, { priority: this.priority })
        .then((g) => (g.vat_domestic === undefined ? Money.ZERO : Money.fromNumber(g.vat_domestic)));
      rate.catch(() => this.rates.delete(group));
      this.rates.set(group, rate);
    }
    return rate;
  }
}
