import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FreshStore, postgresStores } from "../../../test/postgres/test-databases.js";
import type { Store } from "../store/store.js";
import { PostgresRateGate } from "./postgres-rate-gate.js";

let fresh: FreshStore;
const stores: Store[] = [];
beforeAll(async () => {
  fresh = await postgresStores.create();
  // Three stores with their own pools: three bridge processes as far as the gate can tell.
  for (let i = 0; i < 3; i += 1) stores.push(await fresh.open());
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await fresh.cleanup();
});

describe("PostgresRateGate", () => {
  it("three processes on one token never hold more than the limit in any window together", async () => {
    const limit = 8;
    const windowMs = 300;
    const gates = stores.map((s, i) => new PostgresRateGate(s.pg!, "token-hash-a", { limit, windowMs, safetyMs: 0, owner: `p${i}` }));
    const calls: { granted: number; released: number }[] = [];
    await Promise.all(
      gates.flatMap((gate) =>
        Array.from({ length: 12 }, async () => {
          const grant = await gate.acquire();
          const granted = Date.now();
          await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
          const released = Date.now();
          grant.release();
          calls.push({ granted, released });
        }),
      ),
    );
    expect(calls).toHaveLength(36);
    // A request counts from its grant until a window after its response: at every grant, at most
    // `limit` requests (itself included) are counted.
    for (const c of calls) {
      const counted = calls.filter((o) => o.granted <= c.granted && c.granted < o.released + windowMs - 2).length;
      expect(counted).toBeLessThanOrEqual(limit);
    }
    // 36 requests at 8 per 300 ms need at least four windows after the first.
    const span = Math.max(...calls.map((c) => c.granted)) - Math.min(...calls.map((c) => c.granted));
    expect(span).toBeGreaterThanOrEqual(4 * windowMs - 50);
  }, 30_000);

  it("a pause asked for by one process (429 Retry-After) holds every process", async () => {
    const [a, b] = stores.map((s) => new PostgresRateGate(s.pg!, "token-hash-b", { limit: 100, windowMs: 1000 }));
    a!.pauseFor(400);
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    (await b!.acquire()).release();
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it("gates of different tokens do not share slots", async () => {
    const [a, b] = stores.map((s, i) => new PostgresRateGate(s.pg!, `token-hash-c${i}`, { limit: 1, windowMs: 60_000 }));
    (await a!.acquire()).release();
    const started = Date.now();
    (await b!.acquire()).release();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await a!.used()).toBe(1);
  });
});
