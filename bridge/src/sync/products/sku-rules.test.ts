import { describe, expect, it } from "vitest";
import { Skip } from "../../lib/errors.js";
import { SkuInvalid, assertSkuUsable, checkSkus, skuProblems } from "./sku-rules.js";

const rules = (sku: string | null | undefined) => skuProblems(sku).map((p) => p.rule);

describe("SKU rules", () => {
  it("accepts ordinary SKUs, including / and #, up to 25 characters", () => {
    expect(rules("ABC-1")).toEqual([]);
    expect(rules("AB/12#3")).toEqual([]);
    expect(rules("x".repeat(25))).toEqual([]);
    expect(rules("ÆØÅ-æøå")).toEqual([]);
  });

  it("refuses missing, empty and blank SKUs", () => {
    expect(rules(undefined)).toEqual(["missing"]);
    expect(rules(null)).toEqual(["missing"]);
    expect(rules("")).toEqual(["missing"]);
    expect(rules("   ")).toEqual(["missing"]);
  });

  it("refuses more than 25 characters, counting characters not UTF-16 units", () => {
    expect(rules("x".repeat(26))).toEqual(["too_long"]);
    // 25 emoji are 50 UTF-16 units but 25 characters.
    expect(rules("😀".repeat(25))).toEqual([]);
    expect(skuProblems("x".repeat(30))[0]?.message).toContain("30 characters");
  });

  it("refuses any whitespace, and reports every rule broken", () => {
    expect(rules("AB 1")).toEqual(["has_spaces"]);
    expect(rules("AB\t1")).toEqual(["has_spaces"]);
    expect(rules("AB\u00a01")).toEqual(["has_spaces"]);
    expect(rules(`${"x".repeat(25)} y`)).toEqual(["too_long", "has_spaces"]);
  });

  it("finds duplicates across products and variations", () => {
    const items = [
      { id: 1, sku: "A" },
      { id: 2, sku: "B" },
      { id: 3, sku: "A" }, // a variation of another product
      { id: 4, sku: "" },
      { id: 5, sku: "" }, // two empty SKUs are "missing", not duplicates
    ];
    const found = checkSkus(items);
    expect([...found.keys()].map((i) => i.id)).toEqual([1, 3, 4, 5]);
    expect(found.get(items[0]!)?.map((p) => p.rule)).toEqual(["duplicate"]);
    expect(found.get(items[0]!)?.[0]?.message).toContain("2 products");
    expect(found.get(items[3]!)?.map((p) => p.rule)).toEqual(["missing"]);
  });

  it("assertSkuUsable throws a Skip with the reason", () => {
    expect(assertSkuUsable("OK-1")).toBe("OK-1");
    expect(() => assertSkuUsable("OK-1", 1)).toThrow(SkuInvalid);
    try {
      assertSkuUsable("A B", 0, 77);
    } catch (error) {
      expect(error).toBeInstanceOf(Skip);
      expect((error as SkuInvalid).wooId).toBe(77);
      expect((error as Error).message).toContain("space");
    }
  });
});
