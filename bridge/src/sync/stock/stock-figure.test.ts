import { describe, expect, it } from "vitest";
import { LocationFiguresMissing, type RackbeatFigures, ordersInFlightFor, shopStockFigure } from "./stock-figure.js";

const item: RackbeatFigures = {
  stock_quantity: 20,
  in_order_quantity: 5,
  available_quantity: 15,
  locations: [
    { number: 1, stock_quantity: 12, in_order_quantity: 5, available_quantity: 7 },
    { number: 2, stock_quantity: 8, in_order_quantity: 0, available_quantity: 8 },
    { number: 3, stock_quantity: 0 },
  ],
};
const all = { figure: "available" as const, locations: "all" as const, buffer: 0 };

describe("shopStockFigure", () => {
  it("shows available or on hand over all locations", () => {
    expect(shopStockFigure(item, all)).toBe(15);
    expect(shopStockFigure(item, { ...all, figure: "on_hand" })).toBe(20);
  });

  it("adds up only the chosen locations", () => {
    expect(shopStockFigure(item, { ...all, locations: [1] })).toBe(7);
    expect(shopStockFigure(item, { ...all, locations: [1, 2] })).toBe(15);
    expect(shopStockFigure(item, { ...all, figure: "on_hand", locations: [2, 3] })).toBe(8);
    // A location row without available_quantity: on hand minus in order.
    expect(shopStockFigure({ ...item, locations: [{ number: 9, stock_quantity: 6, in_order_quantity: 2 }] }, { ...all, locations: [9] })).toBe(4);
  });

  it("refuses to guess when per-location figures were not read", () => {
    expect(() => shopStockFigure({ ...item, locations: undefined }, { ...all, locations: [1] })).toThrow(LocationFiguresMissing);
  });

  it("takes off the buffer and the orders in flight the figure does not include yet", () => {
    expect(shopStockFigure(item, { ...all, buffer: 2 })).toBe(13);
    // available: booked orders are already in Rackbeat's in_order_quantity, only unbooked ones count.
    expect(shopStockFigure(item, all, { notBooked: 3, bookedNotShipped: 4 })).toBe(12);
    // on hand: booked orders still count until shipped.
    expect(shopStockFigure(item, { ...all, figure: "on_hand" }, { notBooked: 3, bookedNotShipped: 4 })).toBe(13);
    expect(ordersInFlightFor("available", { notBooked: 1, bookedNotShipped: 5 })).toBe(1);
    expect(ordersInFlightFor("on_hand", { notBooked: 1, bookedNotShipped: 5 })).toBe(6);
  });

  it("never goes below 0 and rounds part units down", () => {
    expect(shopStockFigure(item, { ...all, buffer: 100 })).toBe(0);
    expect(shopStockFigure({ stock_quantity: -4, in_order_quantity: 0, available_quantity: -4 }, all)).toBe(0);
    expect(shopStockFigure({ stock_quantity: 3.75, in_order_quantity: 0, available_quantity: 3.75 }, all)).toBe(3);
    expect(shopStockFigure({ stock_quantity: 0.1 + 0.2 + 2.7, in_order_quantity: 0, available_quantity: 0.1 + 0.2 + 2.7 }, all)).toBe(3);
    expect(shopStockFigure({ stock_quantity: 5, in_order_quantity: 0, available_quantity: 5 }, all, { notBooked: 5.5, bookedNotShipped: 0 })).toBe(0);
  });
});
