import type { Feature } from "./context.js";
import { stockFeature } from "./sync/stock/stock-feature.js";
import { productsFeature } from "./sync/products/products-feature.js";
import { ordersFeature } from "./sync/orders/orders-feature.js";

/** The sync features this bridge runs (orders, stock, products…), in the order they are mounted. */
export const features: Feature[] = [productsFeature, stockFeature, ordersFeature];
