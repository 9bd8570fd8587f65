/**
 * Stock effects of orders, replaying stock/stock-effects.json step by step: reduced once on
 * entering processing/completed/on-hold, restored on cancel, a line-quantity edit adjusts stock
 * without repricing, REST and batch writes set it, a Store API checkout reduces it; total_sales
 * follows. Also the order notes WooCommerce wrote for it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WooSandbox, startWooSandbox } from "../sandboxes/woocommerce/index.js";
import { type Exchange, readFixture } from "./fixture-files.js";

interface StockEffects {
  product_id: number;
  timeline: { after: string; stock_quantity: number; total_sales: number }[];
  steps: { label: string; exchange: Exchange }[];
}

const recording = readFixture<StockEffects>("stock/stock-effects.json");

let woo: WooSandbox;
let auth: string;

beforeAll(async () => {
  woo = await startWooSandbox({ fixture: "c1-dkk-excl-lineround", https: "assume" });
  const key = woo.createKey();
  auth = `Basic ${Buffer.from(`${key.consumerKey}:${key.consumerSecret}`).toString("base64")}`;
});
afterAll(() => woo.close());

describe("stock/stock-effects.json", () => {
  it("reproduces the recorded stock and sales timeline and notes", async () => {
    const orderIds = new Map<number, number>();
    const lineIds = new Map<number, number>();
    const seen: { after: string; stock_quantity: number; total_sales: number }[] = [];
    let notes: string[] = [];
    // Follow the recording's clock (its Date headers), so notes written in different seconds sort alike.
    const firstDate = Date.parse(recording.steps[0]?.exchange.headers.Date ?? "");
    const start = woo.shop.clock();
    for (const { label, exchange } of recording.steps) {
      const target = start + (Date.parse(exchange.headers.Date ?? "") - firstDate);
      if (woo.shop.clock() < target) woo.advanceClock(target - woo.shop.clock());
      const url = new URL(exchange.request.url);
      if (url.pathname.includes("/wc/store/v1/")) {
        // The Store API checkout: the same basket through the sandbox's cart path.
        const placed = woo.placeOrder({ via: "store-api", lines: [{ sku: "STOCK-PROBE", quantity: 4 }], billing: { country: "DK" }, shipping: { country: "DK" }, paymentMethod: "cod" });
        orderIds.set((exchange.body as { order_id: number }).order_id, placed.id as number);
        continue;
      }
      const path = url.pathname.replace(/\/orders\/(\d+)/, (_, id: string) => `/orders/${orderIds.get(Number(id)) ?? id}`);
      let body = exchange.request.body;
      if (body && typeof body === "object" && "line_items" in body && url.pathname.match(/orders\/\d+$/)) {
        const items = (body as { line_items: { id: number; quantity: number }[] }).line_items.map((l) => ({ ...l, id: lineIds.get(l.id) ?? l.id }));
        body = { ...body, line_items: items };
      }
      const res = await fetch(`${woo.url}${path}`, {
        method: exchange.request.method,
        headers: { Authorization: auth, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status, label).toBe(exchange.status);
      const got = (await res.json()) as Record<string, unknown>;
      if (exchange.request.method === "POST" && path.endsWith("/orders")) {
        orderIds.set((exchange.body as { id: number }).id, got.id as number);
        const recordedOrderLines = recording.steps.find((s) => s.exchange.request.method === "GET" && s.exchange.request.url.endsWith(`/orders/${(exchange.body as { id: number }).id}`));
        const recordedLine = (recordedOrderLines?.exchange.body as { line_items?: { id: number }[] } | undefined)?.line_items?.[0]?.id;
        const ourLine = (got.line_items as { id: number }[])[0]?.id;
        if (recordedLine && ourLine) lineIds.set(recordedLine, ourLine);
        // The second order's line id is only recorded in the PUT that edits it.
        const edit = recording.steps.find((s) => s.exchange.request.method === "PUT" && (s.exchange.request.body as { line_items?: unknown })?.line_items);
        const editedId = (edit?.exchange.request.body as { line_items: { id: number }[] } | undefined)?.line_items[0]?.id;
        if (editedId && ourLine && (exchange.request.body as { status?: string }).status === "processing") lineIds.set(editedId, ourLine);
      }
      if (label.startsWith("GET product after: ")) {
        seen.push({ after: label.slice("GET product after: ".length), stock_quantity: got.stock_quantity as number, total_sales: got.total_sales as number });
      }
      if (path.endsWith("/notes")) notes = (got as unknown as { note: string }[]).map((n) => n.note);
    }
    expect(seen).toEqual(recording.timeline.map((t) => ({ after: t.after, stock_quantity: t.stock_quantity, total_sales: t.total_sales })));
    const recordedNotes = recording.steps.find((s) => s.exchange.request.url.endsWith("/notes"))?.exchange.body as { note: string }[];
    expect(notes).toEqual(recordedNotes.map((n) => n.note));
  });
});
