/**
 * Every real WooCommerce order in ../shared/fixtures/woocommerce/orders (6 tax configurations ×
 * 14 orders, REST and Store API checkouts) maps to a Rackbeat order whose total and VAT per rate —
 * computed by the Rackbeat sandbox's arithmetic under both rounding models — equal WooCommerce's
 * `total` and `tax_lines` to the cent, with discounts as line percentages and as negative lines.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it, expect } from "vitest";
import { defaultShopSettings } from "../../bridge/src/settings/shop-settings.js";
import type { OrderSettings } from "../../bridge/src/settings/order-settings.js";
import { parseWooOrder } from "../../bridge/src/sync/orders/woo-order.js";
import { NOTE_MAX_CHARS, wooOrderToRackbeatOrder } from "../../bridge/src/sync/orders/woo-order-to-rackbeat-order.js";
import { MODELS, moneyMismatches } from "./rackbeat-totals.js";

const ROOT = process.env.WOO_FIXTURES_DIR ?? join(import.meta.dirname, "../../../shared/fixtures/woocommerce/orders");

interface FixtureFile {
  config: string;
  file: string;
  body: Record<string, unknown> & { total: string; tax_lines: { rate_percent: number; tax_total: string; shipping_tax_total: string }[] };
}

function loadFixtures(): FixtureFile[] {
  const out: FixtureFile[] = [];
  for (const config of readdirSync(ROOT).sort()) {
    for (const file of readdirSync(join(ROOT, config)).sort()) {
      if (!file.endsWith(".json")) continue;
      const parsed = JSON.parse(readFileSync(join(ROOT, config, file), "utf8")) as { order: { body: FixtureFile["body"] } };
      out.push({ config, file, body: parsed.order.body });
    }
  }
  return out;
}

const fixtures = loadFixtures();

function settingsWith(patch: Partial<OrderSettings>): OrderSettings {
  return { ...defaultShopSettings().orders, ...patch };
}

describe("WooCommerce order fixtures", () => {
  it("are all there: 6 configurations × 14 orders", () => {
    expect(fixtures).toHaveLength(84);
    expect(new Set(fixtures.map((f) => f.config)).size).toBe(6);
  });

  for (const discountRepresentation of ["line_percentage", "negative_lines"] as const) {
    describe(`discounts as ${discountRepresentation}`, () => {
      const settings = settingsWith({ discountRepresentation });
      it.each(fixtures.map((f) => [`${f.config}/${f.file}`, f] as const))("%s equals WooCommerce to the cent in both models", (_name, fixture) => {
        const order = parseWooOrder(fixture.body);
        const result = wooOrderToRackbeatOrder(order, settings, { orderNumber: 5001, customerNumber: 77 });
        for (const model of MODELS) {
          expect(moneyMismatches(result.payload.lines, fixture.body, model)).toEqual([]);
        }

        // Every WooCommerce item is there with its SKU and full quantity.
        const wanted = new Map<string, number>();
        for (const item of order.line_items) wanted.set(item.sku, (wanted.get(item.sku) ?? 0) + item.quantity);
        const sent = new Map<string, number>();
        result.payload.lines.forEach((line, i) => {
          if (result.lineKinds[i] === "item") sent.set(line.item_id, (sent.get(line.item_id) ?? 0) + line.quantity);
        });
        expect(sent).toEqual(wanted);

        // Rackbeat's field rules, and the documented precision.
        for (const line of result.payload.lines) {
          expect(line.discount_percentage).toBeGreaterThanOrEqual(0);
          expect(line.discount_percentage).toBeLessThanOrEqual(100);
          expect(String(line.line_price)).toMatch(/^-?\d+(\.\d{1,6})?$/);
          expect(line.item_id).not.toBe("");
        }
        expect(Array.from(result.payload.note).length).toBeLessThanOrEqual(NOTE_MAX_CHARS);
        expect(result.payload.order_date).toBe(String(fixture.body.date_created).slice(0, 10));
        expect(result.payload.currency).toBe(fixture.body.currency);
        expect(result.payload.other_reference).toBe(String(fixture.body.number));

        // The report agrees with the payload: rounding lines are recorded, one per rounding line sent.
        expect(result.money.roundingLines).toHaveLength(result.lineKinds.filter((k) => k === "rounding").length);
        expect(result.money.rackbeatTotal.line).toBe(result.money.wooTotal);
        expect(result.money.rackbeatTotal.total).toBe(result.money.wooTotal);
      });
    });
  }

  it("shows a percentage coupon as the line's discount, and a fixed-cart coupon as negative lines per rate", () => {
    const settings = settingsWith({});
    const b = fixtures.find((f) => f.config.startsWith("c1") && f.file.includes("rest-B"));
    const c = fixtures.find((f) => f.config.startsWith("c1") && f.file.includes("rest-C"));
    if (!b || !c) throw new Error("fixtures B/C missing");
    const rb = wooOrderToRackbeatOrder(parseWooOrder(b.body), settings, { orderNumber: 1, customerNumber: 1 });
    const mug = rb.payload.lines.find((l) => l.item_id === "MUG-001");
    expect(mug).toMatchObject({ quantity: 2, line_price: 99.95 });
    expect(mug?.discount_percentage).toBeCloseTo(15, 1);
    expect(rb.lineKinds).not.toContain("discount");

    const rc = wooOrderToRackbeatOrder(parseWooOrder(c.body), settings, { orderNumber: 2, customerNumber: 1 });
    const discounts = rc.payload.lines.filter((_, i) => rc.lineKinds[i] === "discount");
    expect(discounts.map((d) => d.vat_percentage).sort()).toEqual([12, 25]);
    expect(discounts.every((d) => d.line_price < 0 && d.item_id === "DISCOUNT")).toBe(true);
    // fix33 took 33.33 off in total.
    expect(discounts.reduce((s, d) => s + Math.round(d.line_price * 100), 0)).toBe(-3333);
    // The negative fees spanning 25 % and 12 % are one line per rate (plus the part WooCommerce spread over untaxed amounts).
    const goodwill = rc.payload.lines.filter((l) => l.name.startsWith("Goodwill"));
    expect(goodwill.map((l) => l.vat_percentage)).toEqual(expect.arrayContaining([25, 12]));
    expect(goodwill.reduce((s, l) => s + Math.round(l.line_price * 100), 0)).toBe(-1000);
  });
});
