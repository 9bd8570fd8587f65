/**
 * The stock figure a shop shows for one SKU (design.md §3 stock group, §5 items 4 and 7). Pure:
 * Rackbeat's figures, the shop's settings and the orders in flight in, one whole number out.
 *
 *   figure = (available or on hand, over all or the chosen locations)
 *            − the shop's buffer − orders in flight, never below 0, rounded down
 *
 * Orders in flight are the orders the bridge has heard of (from any shop) that Rackbeat's figure
 * does not include yet: for shops that show available stock, orders not yet booked in Rackbeat
 * (booking moves them into `in_order_quantity`); for shops that show on-hand stock, orders not yet
 * shipped (only shipping lowers on hand).
 */

export interface LocationFigures {
  number: number;
  stock_quantity: number;
  in_order_quantity?: number | undefined;
  available_quantity?: number | undefined;
}

export interface RackbeatFigures {
  stock_quantity: number;
  in_order_quantity: number;
  available_quantity: number;
  /** Per location; needed only when a shop adds up chosen locations. */
  locations?: LocationFigures[] | null | undefined;
}

export interface FigureSettings {
  figure: "available" | "on_hand";
  locations: "all" | number[];
  buffer: number;
}

/** In-flight quantities by how far the order got in Rackbeat. */
export interface InFlight {
  /** Heard of from a shop, not yet booked in Rackbeat (includes drafts). */
  notBooked: number;
  /** Booked in Rackbeat (so in its available figure), not yet shipped. */
  bookedNotShipped: number;
}

export const NO_ORDERS_IN_FLIGHT: InFlight = { notBooked: 0, bookedNotShipped: 0 };

export class LocationFiguresMissing extends Error {
  override name = "LocationFiguresMissing";
  constructor(readonly wanted: number[]) {
    super(`stock per location is needed for locations ${wanted.join(", ")} but was not read`);
  }
}

/** Units in flight that the chosen figure does not include yet. */
export function ordersInFlightFor(figure: FigureSettings["figure"], inFlight: InFlight): number {
  return figure === "available" ? inFlight.notBooked : inFlight.notBooked + inFlight.bookedNotShipped;
}

/** Rackbeat's base figure for the settings, before buffer and orders in flight. */
export function rackbeatBaseFigure(item: RackbeatFigures, settings: Pick<FigureSettings, "figure" | "locations">): number {
  if (settings.locations === "all") {
    return settings.figure === "available" ? item.available_quantity : item.stock_quantity;
  }
  if (!item.locations) throw new LocationFiguresMissing(settings.locations);
  const chosen = new Set(settings.locations);
  let sum = 0;
  for (const row of item.locations) {
    if (!chosen.has(row.number)) continue;
    if (settings.figure === "on_hand") sum += row.stock_quantity;
    else sum += row.available_quantity ?? row.stock_quantity - (row.in_order_quantity ?? 0);
  }
  return sum;
}

/**
 * The whole number of units the shop may show. Rackbeat quantities may be decimals; a shop sells
 * whole units, so the figure rounds down (never promise a part unit).
 */
export function shopStockFigure(item: RackbeatFigures, settings: FigureSettings, inFlight: InFlight = NO_ORDERS_IN_FLIGHT): number {
  const base = rackbeatBaseFigure(item, settings);
  const figure = base - settings.buffer - ordersInFlightFor(settings.figure, inFlight);
  if (!Number.isFinite(figure) || figure <= 0) return 0;
  // Guard against binary noise such as 2.9999999997 from decimal sums.
  return Math.floor(figure + 1e-9);
}
