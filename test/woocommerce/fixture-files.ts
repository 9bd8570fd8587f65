/**
 * Reading the recorded WooCommerce 10 fixtures (../shared/fixtures/woocommerce, read-only) and
 * the view of an order that fidelity tests compare: everything money, lines, taxes and status —
 * not ids, keys, hashes or timestamps, which differ between any two shops.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES_DIR = process.env.WOO_FIXTURES_ROOT ?? join(import.meta.dirname, "../../../shared/fixtures/woocommerce");

export function readFixture<T = Record<string, unknown>>(relative: string): T {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, relative), "utf8")) as T;
}

export interface Exchange {
  request: { method: string; url: string; auth?: string; body?: unknown };
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface OrderFixture {
  config: string;
  path: "rest" | "store-api";
  scenario: string;
  scenario_input: Record<string, unknown>;
  steps: Exchange[];
  order: Exchange;
}

type Json = Record<string, unknown>;

const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

function pick(o: Json, keys: string[]): Json {
  return Object.fromEntries(keys.map((k) => [k, o[k]]));
}

function itemMeta(list: unknown): Json[] {
  return asArray(list).map((m) => pick(m, ["key", "value", "display_key", "display_value"]));
}

/** The comparable part of a REST order (GET /wc/v3/orders/{id}). */
export function orderView(order: Json): Json {
  return {
    ...pick(order, [
      "status",
      "currency",
      "prices_include_tax",
      "created_via",
      "customer_id",
      "payment_method",
      "payment_method_title",
      "customer_note",
      "discount_total",
      "discount_tax",
      "shipping_total",
      "shipping_tax",
      "cart_tax",
      "total",
      "total_tax",
      "billing",
      "shipping",
      "needs_payment",
      "needs_processing",
      "is_editable",
      "currency_symbol",
    ]),
    date_paid_set: order.date_paid !== null,
    date_completed_set: order.date_completed !== null,
    meta_data: asArray(order.meta_data)
      .map((m) => ({ key: m.key, value: String(m.key).endsWith("_hash") ? "<hash>" : m.value }))
      .sort((a, b) => String(a.key).localeCompare(String(b.key))),
    line_items: asArray(order.line_items).map((l) => ({
      ...pick(l, ["name", "product_id", "variation_id", "quantity", "tax_class", "subtotal", "subtotal_tax", "total", "total_tax", "taxes", "sku", "price", "parent_name"]),
      meta_data: itemMeta(l.meta_data),
    })),
    tax_lines: asArray(order.tax_lines).map((t) => pick(t, ["rate_code", "rate_id", "label", "compound", "tax_total", "shipping_tax_total", "rate_percent"])),
    shipping_lines: asArray(order.shipping_lines).map((s) => ({
      ...pick(s, ["method_title", "method_id", "instance_id", "total", "total_tax", "taxes", "tax_status"]),
      meta_data: itemMeta(s.meta_data),
    })),
    fee_lines: asArray(order.fee_lines).map((f) => pick(f, ["name", "tax_class", "tax_status", "amount", "total", "total_tax", "taxes"])),
    coupon_lines: asArray(order.coupon_lines).map((c) => ({
      ...pick(c, ["code", "discount", "discount_tax", "discount_type", "nominal_amount", "free_shipping"]),
      meta_data: itemMeta(c.meta_data),
    })),
  };
}

/** Headers that belong to the transport (nginx, PHP, Node), not to WordPress/WooCommerce. */
export const TRANSPORT_HEADERS = new Set(["server", "date", "transfer-encoding", "connection", "host", "x-powered-by", "content-length", "keep-alive"]);

/** Recorded headers without transport ones, lower-cased, with the recorded site URL swapped for the sandbox's. */
export function wordpressHeaders(headers: Record<string, string>, siteUrl: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (TRANSPORT_HEADERS.has(key)) continue;
    out[key] = v.replaceAll("http://127.0.0.1:8080", siteUrl);
  }
  return out;
}
