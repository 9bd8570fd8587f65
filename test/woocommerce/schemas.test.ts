/**
 * The client's zod schemas accept every recorded WooCommerce 10 answer of their kind — orders
 * (84 scenario orders, dp=6 reads, webhook payloads), products, variations — and the schema's
 * wooOrderSchema keeps every field the transformer needs.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { wooErrorBodySchema, wooOrderNoteSchema, wooOrderSchema, wooProductSchema, wooSettingSchema, wooVariationSchema } from "../../bridge/src/woocommerce/index.js";
import { type Exchange, FIXTURES_DIR, type OrderFixture, readFixture } from "./fixture-files.js";

function files(dir: string): string[] {
  return readdirSync(join(FIXTURES_DIR, dir)).filter((f) => f.endsWith(".json")).map((f) => `${dir}/${f}`);
}

const orderFiles = readdirSync(join(FIXTURES_DIR, "orders")).flatMap((c) => files(`orders/${c}`));

describe("wooOrderSchema", () => {
  it.each(orderFiles)("%s", (file) => {
    const body = readFixture<OrderFixture>(file).order.body;
    const order = wooOrderSchema.parse(body);
    const raw = body as { line_items: unknown[]; total: string };
    expect(order.line_items).toHaveLength(raw.line_items.length);
    expect(order.total).toBe(raw.total);
  });

  it.each(files("api/order-dp-6"))("%s (6 decimals)", (file) => {
    expect(wooOrderSchema.parse(readFixture<Exchange>(file).body).total).toMatch(/^\d+\.\d{6}$/);
  });

  it.each(files("webhooks").filter((f) => /delivery-\d+-\d+/.test(f)))("%s (webhook payload)", (file) => {
    const delivery = readFixture<{ raw_body: string }>(file);
    expect(wooOrderSchema.parse(JSON.parse(delivery.raw_body)).id).toBeGreaterThan(0);
  });

  it("refuses a float where WooCommerce sends a decimal string", () => {
    const body = readFixture<OrderFixture>(orderFiles[0] ?? "").order.body as Record<string, unknown>;
    expect(wooOrderSchema.safeParse({ ...body, total: 374.81 }).success).toBe(false);
  });
});

describe("products and variations", () => {
  const configs = readdirSync(join(FIXTURES_DIR, "configs"));
  it.each(configs)("%s products and variations", (config) => {
    const products = z.array(wooProductSchema).parse(readFixture<Exchange>(`configs/${config}/products-per_page-100.json`).body);
    expect(products.length).toBe(18);
    for (const file of ["products-32-variations-TSHIRT.json", "products-37-variations-BEANS.json"]) {
      z.array(wooVariationSchema).parse(readFixture<Exchange>(`configs/${config}/${file}`).body);
    }
  });

  it.each(["products-list-default-page-1.json", "products-by-sku-variation.json", "products-by-sku-with-slash.json", "products-by-sku-25-chars.json"])("api/%s", (file) => {
    const products = z.array(wooProductSchema).parse(readFixture<Exchange>(`api/${file}`).body);
    expect(products.length).toBeGreaterThan(0);
  });
});

describe("errors, notes and settings", () => {
  it.each(readdirSync(join(FIXTURES_DIR, "api")).filter((f) => /^40[01]-|^404-/.test(f)))("api/%s", (file) => {
    expect(wooErrorBodySchema.parse(readFixture<Exchange>(`api/${file}`).body).code).not.toBe("");
  });

  it.each(files("api/order-notes"))("%s", (file) => {
    z.array(wooOrderNoteSchema).parse(readFixture<Exchange>(file).body);
  });

  it("settings/tax", () => {
    const settings = z.array(wooSettingSchema).parse(readFixture<Exchange>("configs/c3-dkk-incl-lineround/settings-tax.json").body);
    expect(settings.find((s) => s.id === "woocommerce_prices_include_tax")?.value).toBe("yes");
  });
});
