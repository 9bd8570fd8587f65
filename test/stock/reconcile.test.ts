import { afterEach, describe, expect, it } from "vitest";
import { type StockKit, startStockKit } from "./stock-kit.js";

interface DriftItem {
  sku: string;
  kind: string;
  rackbeat: number | null;
  shop: number | null;
  last_write: number | null;
  fixed_at: string | null;
}

describe("stock: reconciliation", () => {
  let kit: StockKit | undefined;
  afterEach(async () => {
    await kit?.close();
    kit = undefined;
  });

  it("finds drift made behind the bridge's back, fixes it, and reports unknown SKUs without blocking", async () => {
    kit = await startStockKit({ products: { A: 10, B: 6, C: 3 }, shops: 2, unknownSkus: ["NOT-IN-RB"] });
    const [shop] = kit.shops as [NonNullable<StockKit["shops"][0]>];
    const first = await kit.signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, {});
    expect(first.status).toBe(200);
    await kit.stock.fanout.idle();
    expect(kit.shopValue(shop, "A")).toBe(10);

    // Behind the bridge's back: one shop value too high, one too low.
    shop.woo.setStock(shop.ids.get("A")!, 25);
    shop.woo.setStock(shop.ids.get("B")!, 1);
    const report = await kit.signed(shop, "GET", `/v1/shops/${shop.shopId}/reconcile/stock?refresh=1`);
    expect(report.status).toBe(200);
    const body = (await report.json()) as { drift: number; in_step: number; unknown_in_rackbeat: number; items: DriftItem[] };
    expect(body.drift).toBe(2);
    const open = body.items.filter((i) => i.kind === "drift" && i.fixed_at === null);
    expect(open.map((i) => [i.sku, i.rackbeat, i.shop, i.last_write]).sort()).toEqual([
      ["A", 10, 25, 10],
      ["B", 6, 1, 6],
    ]);
    expect(body.items.find((i) => i.kind === "unknown_in_rackbeat")?.sku).toBe("NOT-IN-RB");
    // A report alone changes nothing in the shop.
    expect(kit.shopValue(shop, "A")).toBe(25);

    const fixed = await kit.signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, {});
    expect(fixed.status).toBe(200);
    await kit.stock.fanout.idle();
    expect(kit.shopValue(shop, "A")).toBe(10);
    expect(kit.shopValue(shop, "B")).toBe(6);
    const after = (await (await kit.signed(shop, "GET", `/v1/shops/${shop.shopId}/reconcile/stock`)).json()) as { items: DriftItem[] };
    for (const sku of ["A", "B"]) expect(after.items.find((i) => i.sku === sku && i.kind === "drift")?.fixed_at).not.toBeNull();
    // The unknown SKU is still reported, and its shop value was never touched.
    expect(after.items.some((i) => i.sku === "NOT-IN-RB" && i.kind === "unknown_in_rackbeat")).toBe(true);
    expect(kit.shopValue(shop, "NOT-IN-RB")).toBe(4);

    // The scheduled run fixes a too-high shop at once but waits before raising a too-low one
    // (WooCommerce may have lowered it for an order the bridge has not heard of yet).
    shop.woo.setStock(shop.ids.get("A")!, 30);
    shop.woo.setStock(shop.ids.get("C")!, 0);
    await kit.bridge.runTask("stock-reconcile");
    await kit.stock.fanout.idle();
    expect(kit.shopValue(shop, "A")).toBe(10);
    expect(kit.shopValue(shop, "C")).toBe(0);

    // Fix on one row: only the chosen SKU is corrected; the other drift stays for a person to decide.
    shop.woo.setStock(shop.ids.get("A")!, 40);
    shop.woo.setStock(shop.ids.get("B")!, 2);
    await kit.signed(shop, "GET", `/v1/shops/${shop.shopId}/reconcile/stock?refresh=1`);
    const one = await kit.signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, { skus: ["B"] });
    expect(one.status).toBe(200);
    await kit.stock.fanout.idle();
    expect(kit.shopValue(shop, "B")).toBe(6);
    expect(kit.shopValue(shop, "A")).toBe(40);
    const noSkus = await kit.signed(shop, "POST", `/v1/shops/${shop.shopId}/reconcile/stock/fix`, { skus: [] });
    expect(noSkus.status).toBe(400);

    // Another shop's report is its own; shop 2 cannot read shop 1's.
    const other = kit.shops[1]!;
    const forbidden = await kit.bridge.signedFetch(other.shopId, other.shopSecret, "GET", `/v1/shops/${shop.shopId}/reconcile/stock`);
    expect(forbidden.status).toBe(403);
  });
});
