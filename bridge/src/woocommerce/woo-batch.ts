/**
 * WooCommerce's batch endpoints (`…/batch`) take at most 100 items per call, create + update +
 * delete together, and answer 200 with per-item results: the resource, or `{id, error}`
 * (woocommerce-notes.md §5; recorded in api/batch-*-mixed-results.json). These helpers split a
 * request into calls and put the answers back together, keeping each item's position.
 */

export const WOO_BATCH_LIMIT = 100;

export type BatchOperation = "create" | "update" | "delete";

export interface BatchRequest<C, U> {
  create?: C[];
  update?: U[];
  /** Ids. */
  delete?: number[];
}

export interface BatchFailure {
  operation: BatchOperation;
  /** Position of the item in the caller's create/update/delete list. */
  index: number;
  /** The id WooCommerce reported (0 for a failed create). */
  id: number;
  code: string;
  message: string;
  status: number | undefined;
  data: Record<string, unknown>;
}

export interface BatchOutcome<T> {
  /** Successful results with their position in the caller's lists. */
  created: { index: number; item: T }[];
  updated: { index: number; item: T }[];
  deleted: { index: number; item: T }[];
  failures: BatchFailure[];
}

interface Chunk<C, U> {
  request: BatchRequest<C, U>;
  /** Offsets of each list's first item in the caller's lists. */
  offsets: Record<BatchOperation, number>;
}

/** Splits create/update/delete into calls of at most `limit` items in total, creates first. */
export function chunkBatch<C, U>(request: BatchRequest<C, U>, limit = WOO_BATCH_LIMIT): Chunk<C, U>[] {
  const queue: { op: BatchOperation; item: unknown; index: number }[] = [
    ...(request.create ?? []).map((item, index) => ({ op: "create" as const, item, index })),
    ...(request.update ?? []).map((item, index) => ({ op: "update" as const, item, index })),
    ...(request.delete ?? []).map((item, index) => ({ op: "delete" as const, item, index })),
  ];
  const chunks: Chunk<C, U>[] = [];
  for (let start = 0; start < queue.length; start += limit) {
    const slice = queue.slice(start, start + limit);
    const req: BatchRequest<C, U> = {};
    const offsets: Record<BatchOperation, number> = { create: 0, update: 0, delete: 0 };
    for (const op of ["create", "update", "delete"] as const) {
      const items = slice.filter((q) => q.op === op);
      if (items.length === 0) continue;
      offsets[op] = items[0]?.index ?? 0;
      if (op === "create") req.create = items.map((q) => q.item as C);
      else if (op === "update") req.update = items.map((q) => q.item as U);
      else req.delete = items.map((q) => q.item as number);
    }
    chunks.push({ request: req, offsets });
  }
  return chunks;
}

export interface BatchAnswer<T> {
  create?: (T | { id: number; error: { code: string; message: string; data?: Record<string, unknown> | null | undefined } })[];
  update?: BatchAnswer<T>["create"];
  delete?: BatchAnswer<T>["create"];
}

/** Adds one call's answer to the outcome. */
export function collectBatch<T>(outcome: BatchOutcome<T>, answer: BatchAnswer<T>, offsets: Record<BatchOperation, number>): void {
  const target: Record<BatchOperation, { index: number; item: T }[]> = { create: outcome.created, update: outcome.updated, delete: outcome.deleted };
  for (const op of ["create", "update", "delete"] as const) {
    (answer[op] ?? []).forEach((entry, i) => {
      const index = offsets[op] + i;
      if (entry && typeof entry === "object" && "error" in entry && entry.error) {
        const data = (entry.error.data ?? {}) as Record<string, unknown>;
        outcome.failures.push({
          operation: op,
          index,
          id: entry.id,
          code: entry.error.code,
          message: entry.error.message,
          status: typeof data.status === "number" ? data.status : undefined,
          data,
        });
      } else {
        target[op].push({ index, item: entry as T });
      }
    });
  }
}

export function emptyOutcome<T>(): BatchOutcome<T> {
  return { created: [], updated: [], deleted: [], failures: [] };
}
