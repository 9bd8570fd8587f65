import { z } from "zod";

/**
 * Small building blocks shared by the settings groups, each with a message a store owner can act on.
 */

/** A WooCommerce order status slug ("processing", "completed", a plugin's "shipped"…); "wc-" prefix accepted. */
export const wooOrderStatusSchema = z
  .string({ error: "a WooCommerce order status must be text such as \"processing\"" })
  .transform((value) => value.trim().toLowerCase().replace(/^wc-/, ""))
  .pipe(
    z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, {
      error: "a WooCommerce order status is a slug such as \"processing\" or \"completed\" (letters, digits, - and _)",
    }),
  );

/**
 * A Rackbeat item (product) number used as an article number: required, at most 25 characters, no
 * spaces — the same rule design.md §4 sets for SKUs, since Rackbeat item numbers are SKUs.
 */
export const rackbeatItemNumberSchema = z
  .string({ error: "an article number must be text" })
  .min(1, { error: "an article number cannot be empty" })
  .max(25, { error: "an article number has at most 25 characters (Rackbeat's limit for item numbers)" })
  .regex(/^\S+$/, { error: "an article number cannot contain spaces" });

/** A Rackbeat record number (payment terms, customer group, layout, product group, location). */
export const rackbeatNumberSchema = z
  .number({ error: "must be a Rackbeat number (a whole number)" })
  .int({ error: "must be a whole number" })
  .positive({ error: "must be a positive number" });

/** ISO 3166-1 alpha-2 country code, upper-cased. */
export const countryCodeSchema = z
  .string({ error: "a country must be a two-letter code such as \"DK\"" })
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{2}$/, { error: "a country must be a two-letter ISO code such as \"DK\", \"SE\" or \"NO\"" }));

/** A calendar date, `YYYY-MM-DD`, that exists. */
export const isoDateSchema = z
  .string({ error: "a date must be written as YYYY-MM-DD" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "a date must be written as YYYY-MM-DD, e.g. 2026-01-31" })
  .refine(
    (s) => {
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    },
    { error: "this date does not exist" },
  );

/** Order meta keys as WooCommerce stores them ("_billing_vat_number", "_wc_billing/my-plugin/vat"). */
export const metaKeySchema = z
  .string({ error: "a meta key must be text" })
  .min(1, { error: "a meta key cannot be empty" })
  .max(255, { error: "a meta key has at most 255 characters" });

/** The 27 EU member states (2025), ISO codes as WooCommerce uses them (Greece is GR, not EL). */
export const EU_COUNTRIES = [
  "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
  "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
] as const;
