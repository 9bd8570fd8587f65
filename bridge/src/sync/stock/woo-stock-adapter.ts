import type { BridgeContext } from "../../context.js";
import type { WooStockPort } from "./woo-stock-port.js";

/** The stock port over the project's WooCommerce client (bridge/src/woocommerce). */
export function wooStockAdapter(_ctx: BridgeContext): WooStockPort {
  throw new Error("the WooCommerce client is not available yet");
}
