import type { RackbeatItemReader } from "./rackbeat-item-reader.js";
import type { StockFanout } from "./stock-fanout.js";
import type { ReservationLine, StockStore } from "./stock-store.js";

/** How far an order got in Rackbeat when the exporter settles it. */
export type RackbeatOrderState = "draft" | "booked" | "shipped";

/**
 * Orders in flight (design.md §5 item 7) — the API the orders exporter calls:
 *
 *   await stock.reservations.start(shopId, wooOrderId, [{ sku, quantity }], { occurredAt })
 *       when an order event arrives and the order's lines are known (before it goes to Rackbeat);
 *       every other shop's figure drops at once.
 *   await stock.reservations.settle(shopId, wooOrderId, { rackbeatOrderNumber, state })
 *       after creating or booking the order in Rackbeat: re-reads the order's items from Rackbeat,
 *       then ends the reservation for available-stock shops (booked) and fans the new figures out.
 *       A draft keeps its reservation. "shipped" ends it for on-hand shops too.
 *   await stock.reservations.release(shopId, wooOrderId)
 *       the order will not reach Rackbeat (cancelled, deleted, does not qualify).
 */
export class StockReservations {
  constructor(
    private readonly deps: {
      store: StockStore;
      reader: RackbeatItemReader;
      fanout: StockFanout;
    },
  ) {}

  async start(shopId: string, wooOrderId: number, lines: ReservationLine[], options: { occurredAt?: number } = {}): Promise<void> {
    const clean = lines.filter((l) => l.sku.trim() !== "" && Number.isFinite(l.quantity) && l.quantity > 0).map((l) => ({ sku: l.sku.trim(), quantity: l.quantity }));
    const touched = await this.deps.store.startReservation(shopId, wooOrderId, clean);
    if (options.occurredAt !== undefined) await this.deps.store.noteOrderEvent(shopId, clean.map((l) => l.sku), options.occurredAt);
    // Lowering a figure is urgent (another shop may sell the last unit): no coalescing window.
    await this.deps.fanout.markDirty(touched, { delayMs: 0 });
  }

  async settle(shopId: string, wooOrderId: number, outcome: { rackbeatOrderNumber: number; state: RackbeatOrderState }): Promise<void> {
    const skus = await this.deps.store.reservationSkus(shopId, wooOrderId);
    if (outcome.state === "draft") {
      await this.deps.store.setReservationState(shopId, wooOrderId, "open", outcome.rackbeatOrderNumber);
      return;
    }
    // Re-read first, so the reservation ends only once the stored figure includes the order:
    // for a moment the order counts twice (a lower figure), never zero times (a higher one).
    if (skus.length > 0) await this.deps.reader.refresh(skus);
    await this.deps.store.setReservationState(shopId, wooOrderId, outcome.state === "booked" ? "booked" : "ended", outcome.rackbeatOrderNumber);
    await this.deps.fanout.markDirty(skus);
  }

  async release(shopId: string, wooOrderId: number): Promise<void> {
    const skus = await this.deps.store.setReservationState(shopId, wooOrderId, "ended");
    await this.deps.fanout.markDirty(skus);
  }
}
