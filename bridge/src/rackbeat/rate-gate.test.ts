import { describe, it, expect } from "vitest";
import { SlidingWindowRateGate, sharedRateGateFor } from "./rate-gate.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SlidingWindowRateGate", () => {
  it("keeps any `limit` consecutive requests a full window apart, counted from each response", async () => {
    const gate = new SlidingWindowRateGate({ limit: 5, windowMs: 80, maxConcurrent: 3, safetyMs: 0 });
    const started: number[] = [];
    const finished: number[] = [];
    await Promise.all(
      Array.from({ length: 23 }, async () => {
        const grant = await gate.acquire();
        started.push(performance.now());
        await sleep(Math.random() * 6);
        finished.push(performance.now());
        grant.release();
      }),
    );
    // started[] is in grant order; the i-th finish (in time order) frees the slot of the
    // (i+limit)-th start, so that start must come a window after it.
    started.sort((a, b) => a - b);
    finished.sort((a, b) => a - b);
    for (let i = 0; i + 5 < started.length; i++) {
      expect(started[i + 5]! - finished[i]!).toBeGreaterThanOrEqual(80 - 0.5);
    }
    // 23 requests through 5 slots: the last needed 4 slots to come free first.
    expect(started[22]! - started[0]!).toBeGreaterThanOrEqual(4 * 80);
  });

  it("never has more than maxConcurrent in flight", async () => {
    const gate = new SlidingWindowRateGate({ limit: 100, windowMs: 1000, maxConcurrent: 2 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const grant = await gate.acquire();
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(3);
        inFlight--;
        grant.release();
      }),
    );
    expect(peak).toBe(2);
  });

  it("lets live requests overtake waiting bulk requests", async () => {
    const gate = new SlidingWindowRateGate({ limit: 1, windowMs: 30, safetyMs: 0 });
    const order: string[] = [];
    const first = await gate.acquire();
    const bulk = Array.from({ length: 3 }, (_, i) =>
      gate.acquire({ priority: "bulk" }).then((g) => {
        order.push(`bulk${i}`);
        g.release();
      }),
    );
    const live = gate.acquire({ priority: "live" }).then((g) => {
      order.push("live");
      g.release();
    });
    first.release();
    await Promise.all([...bulk, live]);
    expect(order).toEqual(["live", "bulk0", "bulk1", "bulk2"]);
  });

  it("lets nobody through during a pause", async () => {
    const gate = new SlidingWindowRateGate({ limit: 100, windowMs: 1000 });
    const t0 = performance.now();
    gate.pauseFor(60);
    const grant = await gate.acquire();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(59);
    grant.release();
  });

  it("drops an aborted waiter without using a slot", async () => {
    const gate = new SlidingWindowRateGate({ limit: 1, windowMs: 40, safetyMs: 0 });
    const held = await gate.acquire();
    const controller = new AbortController();
    const aborted = gate.acquire({ signal: controller.signal });
    controller.abort(new Error("gave up"));
    await expect(aborted).rejects.toThrow("gave up");
    expect(gate.waiting()).toBe(0);
    held.release();
    expect(gate.used()).toBe(1);
  });

  it("shares one gate per token", () => {
    const a = sharedRateGateFor("token-a");
    expect(sharedRateGateFor("token-a")).toBe(a);
    expect(sharedRateGateFor("token-b")).not.toBe(a);
  });
});
