import type { Shops } from "../../shops/shops.js";
import { errorMessage } from "../../lib/errors.js";
import type { Logger } from "../../observability/logger.js";
import type { RackbeatClient, RackbeatOrder } from "../../rackbeat/index.js";
import { parseShopSettings } from "../../settings/shop-settings.js";
import type { OrderStockHooks } from "./order-hooks.js";
import type { OrderLinks } from "./order-links.js";
import { rackbeatStatusToWooStatus } from "./status-write-back.js";
import type { WooOrdersPort } from "./woo-orders-port.js";

/**
 * Status back (design.md §3 "status write-back"): Rackbeat booked / shipped / invoiced → the mapped
 * WooCommerce status. Rackbeat documents no order.booked / order.shipped webhook (rackbeat-api.md
 * §4.8), so exported orders that are not shipped yet are polled on a schedule, oldest check first,
 * on the rate gate's bulk lane so live exports go first. `checkOrder` is also what a webhook
 * handler calls when a delivery names an order.
 */

export interface StatusPollerDeps {
  shops: Pick<Shops, "get">;
  links: OrderLinks;
  woo: WooOrdersPort;
  rackbeat: () => Promise<Pick<RackbeatClient, "findOrder">>;
  stock?: () => OrderStockHooks | undefined;
  log: Logger;
}

export interface StatusCheck {
  shopId: string;
  wooOrderId: number;
  rackbeatOrderNumber: number;
  stage: string;
  wooStatusSet: string | null;
}

function stageOf(order: RackbeatOrder): "draft" | "booked" | "shipped" | "invoiced" {
  if (order.is_invoiced) return "invoiced";
  if (order.is_shipped) return "shipped";
  return order.is_booked ? "booked" : "draft";
}

export class OrderStatusPoller {
  constructor(private readonly deps: StatusPollerDeps) {}

  /** One pass over exported orders still waiting to ship; returns what it checked. */
  async poll(limit = 200): Promise<StatusCheck[]> {
    const out: StatusCheck[] = [];
    for (const link of await this.deps.links.awaitingProgress(limit)) {
      try {
        const check = await this.checkOrder(link.shop_id, link.woo_order_id);
        if (check) out.push(check);
      } catch (error) {
        this.deps.log.warn({ shop: link.shop_id, order: link.woo_order_id, err: errorMessage(error) }, "order status check failed; next pass retries");
      }
    }
    return out;
  }

  async checkOrder(shopId: string, wooOrderId: number): Promise<StatusCheck | undefined> {
    const link = await this.deps.links.get(shopId, wooOrderId);
    if (!link || link.state !== "exported") return undefined;
    const shop = await this.deps.shops.get(shopId);
    if (!shop?.connected) return undefined;
    const settings = parseShopSettings(shop.settings).orders;
    const rackbeat = await this.deps.rackbeat();
    const order = await rackbeat.findOrder(link.rackbeat_order_number, { priority: "bulk" });
    if (!order) return undefined;
    const stage = stageOf(order);
    if (stage !== link.rackbeat_stage) {
      await this.deps.links.update(shopId, wooOrderId, { rackbeat_stage: stage });
      const stock = this.deps.stock?.();
      if (stock && stage !== "draft") {
        await stock.settle(shopId, wooOrderId, { rackbeatOrderNumber: order.number, state: stage === "booked" ? "booked" : "shipped" }).catch(() => undefined);
      }
    }
    let written: string | null = null;
    const wanted = rackbeatStatusToWooStatus(order, settings, link.woo_status_written ?? undefined);
    if (wanted !== null) {
      const raw = (await this.deps.woo.getOrder(shopId, wooOrderId)) as { status?: unknown } | undefined;
      const current = typeof raw?.status === "string" ? raw.status : undefined;
      const target = raw ? rackbeatStatusToWooStatus(order, settings, current) : null;
      if (target !== null) {
        await this.deps.woo.updateOrder(shopId, wooOrderId, { status: target, meta_data: [{ key: "_rackbeat_sync_state", value: stage }] });
        await this.deps.woo.addOrderNote(shopId, wooOrderId, `Rackbeat order ${order.number} is ${stage}: status set to ${target}.`);
        written = target;
      }
      await this.deps.links.update(shopId, wooOrderId, { woo_status_written: target ?? current ?? wanted });
    }
    return { shopId, wooOrderId, rackbeatOrderNumber: order.number, stage, wooStatusSet: written };
  }
}
