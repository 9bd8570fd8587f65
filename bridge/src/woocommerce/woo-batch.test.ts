import { describe, expect, it } from "vitest";
import { chunkBatch, collectBatch, emptyOutcome } from "./woo-batch.js";

describe("chunkBatch", () => {
  it("keeps create + update + delete together at most 100 per call, in order", () => {
    const chunks = chunkBatch({
      create: Array.from({ length: 30 }, (_, i) => ({ n: i })),
      update: Array.from({ length: 150 }, (_, i) => ({ id: i })),
      delete: [7, 8, 9],
    });
    expect(chunks.map((c) => [c.request.create?.length ?? 0, c.request.update?.length ?? 0, c.request.delete?.length ?? 0])).toEqual([
      [30, 70, 0],
      [0, 80, 3],
    ]);
    expect(chunks[1]?.offsets).toEqual({ create: 0, update: 70, delete: 0 });
    expect(chunks[1]?.request.update?.[0]).toEqual({ id: 70 });
  });

  it("sends nothing for an empty request and honours a smaller limit", () => {
    expect(chunkBatch({})).toEqual([]);
    expect(chunkBatch({ delete: [1, 2, 3] }, 2).map((c) => c.request.delete)).toEqual([[1, 2], [3]]);
  });
});

describe("collectBatch", () => {
  it("maps answers back to the caller's positions and surfaces per-item errors", () => {
    const outcome = emptyOutcome<{ id: number }>();
    collectBatch(outcome, { update: [{ id: 5 }, { id: 999, error: { code: "woocommerce_rest_product_invalid_id", message: "Invalid ID.", data: { status: 400 } } }] }, { create: 0, update: 100, delete: 0 });
    collectBatch(outcome, { delete: [{ id: 1, error: { code: "x", message: "y" } }] }, { create: 0, update: 0, delete: 3 });
    expect(outcome.updated).toEqual([{ index: 100, item: { id: 5 } }]);
    expect(outcome.failures).toEqual([
      { operation: "update", index: 101, id: 999, code: "woocommerce_rest_product_invalid_id", message: "Invalid ID.", status: 400, data: { status: 400 } },
      { operation: "delete", index: 3, id: 1, code: "x", message: "y", status: undefined, data: {} },
    ]);
  });
});
