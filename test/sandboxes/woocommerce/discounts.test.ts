import { describe, expect, it } from "vitest";
import { type DiscountItem, Discounts } from "./discounts.js";
import { dec } from "./php-math.js";
import type { Coupon } from "./shop-model.js";

function coupon(code: string, discountType: Coupon["discountType"], amount: string): Coupon {
  return { id: 1, code, discountType, amount, productIds: [], excludedProductIds: [], limitUsageToXItems: null, usageCount: 0, freeShipping: false };
}

function item(key: string, unitCents: string, quantity: number, productId = 1): DiscountItem {
  return { key, quantity, price: dec(unitCents).times(quantity), productId, variationId: 0, onSale: false };
}

describe("WC_Discounts", () => {
  it("fixed_cart is split evenly per unit, capped at each line's price (recorded: FIX33 on scenario C)", () => {
    // TSHIRT-L 2 × 159.95, BEANS-500G 3 × 109.00, GUM 17 × 0.99, cable 4 × 7.77 — 26 units.
    const d = new Discounts([item("tshirt", "15995", 2), item("beans", "10900", 3), item("gum", "99", 17), item("cable", "777", 4)], { calcDiscountsSequentially: false });
    d.applyCoupon(coupon("fix33", "fixed_cart", "33.33"));
    const byItem = Object.fromEntries([...d.byItem()].map(([k, v]) => [k, v.toString()]));
    expect(byItem).toEqual({ tshirt: "368", beans: "550", gum: "1683", cable: "732" });
    expect(d.byCoupon().get("fix33")?.toString()).toBe("3333");
  });

  it("fixed_product is capped at the line (recorded: FIXPROD5 on scenario D gives 264.90)", () => {
    const d = new Discounts([item("soda", "833", 50), item("mug", "9995", 1), item("gum", "99", 10)], { calcDiscountsSequentially: false });
    d.applyCoupon(coupon("fixprod5", "fixed_product", "5.00"));
    expect(d.byCoupon().get("fixprod5")?.toString()).toBe("26490");
  });

  it("percent floors per line and gives the leftover cents to the highest unit price first (recorded: PCT15 on scenario B)", () => {
    const d = new Discounts([item("mug", "9995", 2), item("milk", "1249", 6), item("book", "3333", 1), item("scale", "1999.6", 3)], { calcDiscountsSequentially: false });
    d.applyCoupon(coupon("pct15", "percent", "15"));
    const byItem = Object.fromEntries([...d.byItem()].map(([k, v]) => [k, v.toString()]));
    expect(byItem).toEqual({ mug: "3000", milk: "1124", book: "499", scale: "899" });
  });
});
