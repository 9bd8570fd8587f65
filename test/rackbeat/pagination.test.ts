import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productNumbers, startKit, type Kit } from "./rackbeat-test-kit.js";

describe("pagination over 2,500 products", () => {
  let kit: Kit;
  const numbers = productNumbers(2500);
  beforeAll(async () => {
    kit = await startKit();
    kit.sandbox.seedProducts(numbers.map((number, i) => ({ number, name: `Product ${i}`, sales_price: 10 + i, stock: i % 7 })));
  });
  afterAll(() => kit.close());

  it("iterates every product exactly once, 1,000 per page (3 requests)", async () => {
    kit.sandbox.resetStats();
    const seen: string[] = [];
    for await (const p of kit.client.iterateProducts({}, { priority: "bulk" })) seen.push(p.number);
    expect(seen).toHaveLength(2500);
    expect(new Set(seen)).toEqual(new Set(numbers));
    const stats = kit.sandbox.stats();
    expect(stats.byRoute["GET /products"]).toBe(3);
    expect(stats.byStatus["206"]).toBe(3);
  });

  it("reads the envelope numbers of one page (default limit 20)", async () => {
    const page = await kit.client.listProducts();
    expect(page).toMatchObject({ total: 2500, pages: 125, limit: 20, page: 1 });
    expect(page.items.map((p) => p.number)).toEqual(numbers.slice(0, 20));
    const last = await kit.client.listProducts({ page: 125 });
    expect(last.items.map((p) => p.number)).toEqual(numbers.slice(2480));
    const past = await kit.client.listProducts({ page: 126 });
    expect(past.items).toEqual([]);
  });

  it("caps limit at 1,000 and paginates with a smaller page size too", async () => {
    const capped = await kit.client.listProducts({ limit: 5000 });
    expect(capped.limit).toBe(1000);
    expect(capped.pages).toBe(3);
    let n = 0;
    for await (const _ of kit.client.iterateProducts({ limit: 300 })) n++;
    expect(n).toBe(2500);
  });

  it("reads stock figures with fields= and filters, sorted", async () => {
    const stock: { number: string; stock_quantity: number }[] = [];
    for await (const s of kit.client.iterateProductStock({ orderBy: "number", orderDirection: "DESC" })) stock.push(s);
    expect(stock).toHaveLength(2500);
    expect(stock[0]!.number).toBe("P-2500");
    expect(stock.find((s) => s.number === "P-0010")?.stock_quantity).toBe(9 % 7);
    const searched = await kit.client.listProducts({ search: "P-000" });
    expect(searched.total).toBe(9);
  });
});
