/** Stock: Rackbeat → every shop (issue 6). Public API for other features. */
export { createStockFeature, stockFeature } from "./stock-feature.js";
export { StockService, stockService, type StockMode, type StockOptions } from "./stock-service.js";
export { StockReservations, type RackbeatOrderState } from "./stock-reservations.js";
export type { ReservationLine } from "./stock-store.js";
export * from "./stock-figure.js";
export type { WooStockItem, WooStockPort, WooStockWrite, WooStockWriteResult } from "./woo-stock-port.js";
