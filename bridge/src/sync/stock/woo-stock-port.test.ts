import { describe, expect, it } from "vitest";
import { type WooStockWrite, batchWrites } from "./woo-stock-port.js";

const w = (id: number, parentId: number | null): WooStockWrite => ({ id, parentId, sku: `S${id}`, stockQuantity: 1 });

describe("batchWrites", () => {
  it("puts simple products together and variations per parent, at most 100 per call", () => {
    const writes = [...Array.from({ length: 230 }, (_, i) => w(i + 1, null)), w(1001, 7), w(1002, 8), w(1003, 7)];
    const calls = batchWrites(writes);
    expect(calls.map((c) => c.length)).toEqual([100, 100, 30, 2, 1]);
    expect(calls[3]!.every((x) => x.parentId === 7)).toBe(true);
    expect(calls[4]!.map((x) => x.id)).toEqual([1002]);
    expect(batchWrites([])).toEqual([]);
  });
});
