import type { Feature } from "./context.js";

/** The sync features this bridge runs (orders, stock, products…), in the order they are mounted. */
export const features: Feature[] = [];
