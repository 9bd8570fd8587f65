import { describe, expect, it } from "vitest";
import { customerSchema, listEnvelope, orderSchema, productSchema, singleEnvelope } from "./rackbeat-schemas.js";

const product = {
  number: "A/1",
  name: "Widget",
  sales_price: 99.5,
  stock_quantity: 3,
  in_order_quantity: 1,
  available_quantity: 2,
  is_barred: false,
};

describe("Rackbeat schemas", () => {
  it("accepts amounts as numbers or numeric strings, and keeps unknown fields", () => {
    const parsed = productSchema.parse({ ...product, sales_price: "99.50", cost_price: "12", colour: "blue" });
    expect(parsed.sales_price).toBe(99.5);
    expect(parsed.cost_price).toBe(12);
    expect((parsed as Record<string, unknown>).colour).toBe("blue");
  });

  it("takes a numeric item number as a string", () => {
    expect(productSchema.parse({ ...product, number: 1001 }).number).toBe("1001");
  });

  it("refuses a product without stock figures", () => {
    const { available_quantity: _a, ...partial } = product;
    expect(productSchema.safeParse(partial).success).toBe(false);
    expect(productSchema.safeParse({ ...product, sales_price: "12,50" }).success).toBe(false);
  });

  it("fills a customer's name from company_name", () => {
    expect(customerSchema.parse({ number: 7, company_name: "Firma ApS" }).name).toBe("Firma ApS");
    expect(customerSchema.parse({ number: "7", name: "Navn", company_name: "Firma" }).name).toBe("Navn");
  });

  it("unwraps singles and lists", () => {
    expect(singleEnvelope("product", productSchema).parse({ product }).number).toBe("A/1");
    const page = listEnvelope("products", productSchema).parse({ products: [product], total: 41, pages: 3, limit: 20, page: 1 });
    expect(page).toMatchObject({ total: 41, pages: 3, limit: 20, page: 1 });
    expect(page.items).toHaveLength(1);
    expect(listEnvelope("products", productSchema)).toBe(listEnvelope("products", productSchema));
    expect(listEnvelope("products", productSchema).safeParse({ items: [], total: 0, pages: 1, limit: 20, page: 1 }).success).toBe(false);
  });

  it("defaults an order's lines to an empty list", () => {
    expect(orderSchema.parse({ number: 1001, is_booked: true }).lines).toEqual([]);
  });
});
