import { z } from "zod";
import { orderSettingsSchema } from "./order-settings.js";
import { productSettingsSchema } from "./product-settings.js";
import { stockSettingsSchema } from "./stock-settings.js";
import { deepFreeze } from "../lib/deep-freeze.js";

/**
 * A shop's settings (design.md §3), validated at every boundary (PUT /v1/shops/{shop}/settings, the
 * store, the admin page). Connection secrets are not settings: they live sealed in the store.
 *
 * Groups: `orders` (issue 5), `products` and `stock` (owned by their issues; present so the schema
 * is whole). Every field has a default: `{}` parses to a complete configuration.
 */
export const shopSettingsSchema = z
  .strictObject({
    orders: orderSettingsSchema,
    products: productSettingsSchema,
    stock: stockSettingsSchema,
  })
  .prefault({});

export type ShopSettings = z.output<typeof shopSettingsSchema>;
export type ShopSettingsInput = z.input<typeof shopSettingsSchema>;

/** Settings failed validation; `issues` are "path: message" lines a person can act on. */
export class SettingsInvalid extends Error {
  constructor(readonly issues: string[]) {
    super(`settings are not valid: ${issues.join("; ")}`);
    this.name = "SettingsInvalid";
  }
}

/** "orders.articleNumbers.fee: an article number has at most 25 characters …" */
export function describeSettingsIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    // A bad record key carries the key schema's own message one level down.
    const message =
      issue.code === "invalid_key" && issue.issues.length > 0
        ? `key ${JSON.stringify(issue.path.at(-1))}: ${issue.issues.map((i) => i.message).join("; ")}`
        : issue.message;
    return path ? `${path}: ${message}` : message;
  });
}

/** Parses settings (defaults filled in) or throws `SettingsInvalid` with readable issues. */
/** Parsed settings by the stored object they came from (shop rows are cached and frozen, see Shops). */
const parsedByInput = new WeakMap<object, ShopSettings>();

/**
 * The shop's settings, checked. Every job reads its shop's settings; parsing the same stored
 * object again gives the same (frozen) result, so it is parsed once while the shop row is cached.
 */
export function parseShopSettings(input: unknown): ShopSettings {
  const key = input !== null && typeof input === "object" && Object.isFrozen(input) ? input : undefined;
  const known = key ? parsedByInput.get(key) : undefined;
  if (known) return known;
  const result = shopSettingsSchema.safeParse(input);
  if (!result.success) throw new SettingsInvalid(describeSettingsIssues(result.error));
  if (!key) return result.data;
  const frozen = deepFreeze(result.data);
  parsedByInput.set(key, frozen);
  return frozen;
}

/**
 * Defaults for a newly paired shop. `pairedOn` (the shop-local pairing date, YYYY-MM-DD) becomes
 * "transfer orders created from", so older orders are never sent (design.md §3).
 */
export function defaultShopSettings(options: { pairedOn?: string } = {}): ShopSettings {
  return parseShopSettings(
    options.pairedOn === undefined ? {} : { orders: { transferOrdersCreatedFrom: options.pairedOn } },
  );
}
