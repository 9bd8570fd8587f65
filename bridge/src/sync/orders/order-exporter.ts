import { createHash } from "node:crypto";
import type { Shops } from "../../shops/shops.js";
import { BridgeError, Skip, errorMessage } from "../../lib/errors.js";
import {
  RackbeatOrderNumberTaken,
  RackbeatRejected,
  type RackbeatClient,
  type RackbeatCustomer,
  type RackbeatOrder,
} from "../../rackbeat/index.js";
import { SettingsInvalid, parseShopSettings } from "../../settings/shop-settings.js";
import type { OrderSettings } from "../../settings/order-settings.js";
import type { ProductSettings } from "../../settings/product-settings.js";
import { OrderNotTransferable } from "./order-errors.js";
import type { CreateProductsFirst, OrderStockHooks } from "./order-hooks.js";
import type { OrderLink, OrderLinks } from "./order-links.js";
import { orderQualifies, type ExportTrigger } from "./order-qualifies.js";
import { PerOrderLock } from "./per-order-lock.js";
import { wooOrderToRackbeatCustomer, type RackbeatCustomerResult } from "./woo-order-to-rackbeat-customer.js";
import { wooOrderToRackbeatOrder, type RackbeatOrderResult } from "./woo-order-to-rackbeat-order.js";
import { parseWooOrder, type WooOrder } from "./woo-order.js";
import type { WooOrdersPort } from "./woo-orders-port.js";

/**
 * The orders exporter (issue 5, design.md §3–5): WooCommerce order → Rackbeat customer + order,
 * exactly once, then the Rackbeat number written back into the Woo order.
 *
 *   const exporter = new OrderExporter(deps);
 *   await exporter.handle({ shopId, wooOrderId, trigger: "automatic", topic }, step);
 *
 * Exactly once: the link row (shop, Woo order) holds the Rackbeat order number the bridge chose
 * from the owner's range, written as an "intent" before the create call (order-links.ts). A retry
 * creates the order with the same number, or Rackbeat refuses the number (RackbeatOrderNumberTaken)
 * and the bridge reads that order back and checks it is ours by `other_reference`/`heading`. This
 * never relies on searching Rackbeat. Two events of one order are serialised per process
 * (PerOrderLock); across processes the same intent row yields the same number.
 */

export type RackbeatPort = Pick<
  RackbeatClient,
  | "findCustomersByEmail"
  | "findCustomersByVat"
  | "createCustomer"
  | "updateCustomer"
  | "createCustomerContact"
  | "createOrder"
  | "getOrder"
  | "findOrder"
  | "updateOrder"
  | "deleteOrder"
  | "addOrderNote"
  | "bookOrder"
>;

export interface ExportRequest {
  shopId: string;
  wooOrderId: number;
  trigger: ExportTrigger;
  /** The event topic that asked ("order.updated"…); "order.deleted" means the order is gone. */
  topic?: string;
  /** When the event happened in the shop (ms), for the stock reservation. */
  occurredAt?: number;
}

export type Step = (action: string, outcome: string, detail?: unknown) => Promise<void>;

export interface ExportContext {
  step: Step;
  summarize?: (summary: Record<string, unknown>) => Promise<void>;
  flag?: (reason: string) => void;
  signal?: AbortSignal;
}

export type ExportOutcome =
  | { action: "created" | "adopted"; rackbeatOrderNumber: number; stage: "draft" | "booked" }
  | { action: "updated" | "noted" | "deleted" | "unchanged"; rackbeatOrderNumber: number };

export interface OrderExporterDeps {
  shops: Pick<Shops, "get">;
  links: OrderLinks;
  woo: WooOrdersPort;
  rackbeat: () => Promise<RackbeatPort>;
  stock?: () => OrderStockHooks | undefined;
  createProductsFirst?: () => CreateProductsFirst | undefined;
  /** The shop's IANA zone for orders without a local date (REST orders carry one). */
  shopTimeZone?: string;
  /**
   * Queues the write-back (Rackbeat number into the Woo order's meta + a note) as its own job, so
   * it does not hold up the next orders' way into Rackbeat; without it the export writes back itself.
   */
  writeBackLater?: (request: { shopId: string; wooOrderId: number; rackbeatOrderNumber: number }) => Promise<void>;
  /**
   * Runs a customer's find-or-create alone across bridge processes (several processes on one
   * PostgreSQL database); throws a retry-later error when another process holds it. In one process
   * the exporter's own lock suffices.
   */
  customerLease?: <T>(key: string, work: () => Promise<T>) => Promise<T>;
}

/** An order line names a SKU Rackbeat does not have (and WooCommerce is not the product master). */
export class OrderSkuUnknown extends OrderNotTransferable {
  constructor(readonly skus: string[]) {
    super(
      `Rackbeat has no product with item number ${skus.map((s) => `"${s}"`).join(", ")}: create it in Rackbeat ` +
        "(or make WooCommerce the product master) and send the order again",
    );
  }
}

/** The shop's settings in the store do not parse: a person must fix them. */
export class OrderSettingsInvalid extends OrderNotTransferable {}

/** Something to retry: the intent's number turned out to be another order's, the customer vanished… */
export class OrderExportRetry extends BridgeError {
  readonly retryable = true;
}

/** Meta key and note the plugin reads (plugin/src/OrderMeta.php). */
export const META_ORDER_NUMBER = "_rackbeat_order_number";
export const META_SYNC_STATE = "_rackbeat_sync_state";

const CANCELLED_STATUSES = ["cancelled", "refunded", "failed", "trash"];

const sha = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 32);

/** The order body without what the bridge chose (number, customer): equal fingerprints = nothing to update. */
function orderFingerprint(result: RackbeatOrderResult): string {
  const { number: _n, customer_id: _c, ...rest } = result.payload;
  return sha(rest);
}

function isOurs(order: RackbeatOrder, reference: string): boolean {
  return (order.other_reference ?? "").trim() === reference.trim() || (order.heading ?? "").trim() === reference.trim();
}

function stageOf(order: RackbeatOrder): "draft" | "booked" | "shipped" | "invoiced" {
  if (order.is_invoiced) return "invoiced";
  if (order.is_shipped) return "shipped";
  return order.is_booked ? "booked" : "draft";
}

/** Item numbers Rackbeat refused on the order's lines (422 `lines.N.item_id`). */
function refusedItems(error: RackbeatRejected, lines: { item_id: string }[]): string[] {
  const skus = new Set<string>();
  for (const path of Object.keys(error.fieldErrors)) {
    const m = /^lines\.(\d+)\.item_id$/.exec(path);
    const line = m ? lines[Number(m[1])] : undefined;
    if (line) skus.add(line.item_id);
  }
  return [...skus];
}

function customerIdentityDiffers(found: RackbeatCustomer, wanted: RackbeatCustomerResult["update"]): boolean {
  const f = found as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(wanted)) {
    if (key === "company_name") continue;
    const have = f[key];
    if ((have ?? "") !== (value ?? "")) return true;
  }
  return false;
}

export class OrderExporter {
  private readonly lock = new PerOrderLock();
  /** One customer match-or-create at a time per (shop, match key): two first orders make one customer. */
  private readonly customerLock = new PerOrderLock();

  constructor(private readonly deps: OrderExporterDeps) {}

  /** Exports (or updates, cancels) one shop order; serialised per order. */
  handle(request: ExportRequest, context: ExportContext): Promise<ExportOutcome> {
    return this.lock.run(`${request.shopId}:${request.wooOrderId}`, () => this.run(request, context));
  }

  private async settingsOf(shopId: string): Promise<{ orders: OrderSettings; products: ProductSettings }> {
    const shop = await this.deps.shops.get(shopId);
    if (!shop || !shop.connected) throw new Skip(`shop ${shopId} is not paired with this bridge`);
    try {
      const settings = parseShopSettings(shop.settings);
      return { orders: settings.orders, products: settings.products };
    } catch (error) {
      if (error instanceof SettingsInvalid) throw new OrderSettingsInvalid(error.message);
      throw error;
    }
  }

  private async run(request: ExportRequest, context: ExportContext): Promise<ExportOutcome> {
    const { shopId, wooOrderId } = request;
    const { step } = context;
    const settings = await this.settingsOf(shopId);

    const raw = request.topic === "order.deleted" ? undefined : await this.deps.woo.getOrder(shopId, wooOrderId, { signal: context.signal });
    let link = await this.deps.links.get(shopId, wooOrderId);
    // An earlier attempt's order, created in Rackbeat though its answer was lost: finished below
    // exactly as a fresh create would be (booked, fingerprint, stock settled, written back).
    let earlier: RackbeatOrder | undefined;
    if (link?.state === "intent") ({ link, earlier } = await this.resolveIntent(link, context));

    if (raw === undefined) {
      await step("read WooCommerce order", "not found", { order: wooOrderId });
      return this.cancelled(request, link, "deleted in WooCommerce", context);
    }
    const order = parseWooOrder(raw);
    await step("read WooCommerce order", "ok", { number: order.number, status: order.status, total: order.total.toFixed(2), currency: order.currency });
    const status = order.status.replace(/^wc-/, "");

    if (link?.state === "deleted") throw new Skip(`the order was already removed from Rackbeat (order ${link.rackbeat_order_number})`);
    if (earlier && link) {
      if (CANCELLED_STATUSES.includes(status)) {
        await this.deps.links.update(shopId, wooOrderId, { state: "exported", rackbeat_stage: stageOf(earlier) });
        return this.cancelled(request, { ...link, state: "exported", rackbeat_stage: stageOf(earlier) }, `${status} in WooCommerce`, context);
      }
      return this.create(request, order, settings, context, earlier);
    }
    if (CANCELLED_STATUSES.includes(status)) return this.cancelled(request, link?.state === "exported" ? link : undefined, `${status} in WooCommerce`, context);
    if (link?.state === "exported") return this.afterExport(order, link, settings.orders, context);

    const verdict = orderQualifies(order, settings.orders, { trigger: request.trigger, ...(this.deps.shopTimeZone ? { shopTimeZone: this.deps.shopTimeZone } : {}) });
    if (!verdict.ok) {
      await step("qualify", "skipped", { code: verdict.code, reason: verdict.reason });
      throw new Skip(verdict.reason);
    }
    await step("qualify", "ok", { trigger: request.trigger, status });

    const stock = this.deps.stock?.();
    if (stock) {
      await stock.start(shopId, wooOrderId, order.line_items.filter((l) => l.sku).map((l) => ({ sku: l.sku, quantity: l.quantity })), {
        ...(request.occurredAt === undefined ? {} : { occurredAt: request.occurredAt }),
      });
    }

    return this.create(request, order, settings, context);
  }

  /**
   * An intent without a result: an earlier attempt may have created the order and lost the answer.
   * Reading the order by its number (not by search) tells.
   */
  private async resolveIntent(link: OrderLink, context: ExportContext): Promise<{ link: OrderLink; earlier?: RackbeatOrder }> {
    const rackbeat = await this.deps.rackbeat();
    const found = await rackbeat.findOrder(link.rackbeat_order_number, { signal: context.signal });
    if (!found) {
      await context.step("check earlier attempt", "not created", { rackbeat_order: link.rackbeat_order_number });
      return { link };
    }
    if (!isOurs(found, link.reference)) {
      const moved = await this.deps.links.renumber(link.shop_id, link.woo_order_id);
      await context.step("check earlier attempt", "number used by another order; new number chosen", {
        was: link.rackbeat_order_number,
        now: moved.rackbeat_order_number,
      });
      return { link: moved };
    }
    await context.step("check earlier attempt", "created by an earlier attempt whose answer was lost; finishing it", { rackbeat_order: found.number });
    return { link, earlier: found };
  }

  /** Creates the order in Rackbeat — or, given `earlier`, adopts the one an earlier attempt created — and finishes it. */
  private async create(
    request: ExportRequest,
    order: WooOrder,
    settings: { orders: OrderSettings; products: ProductSettings },
    context: ExportContext,
    earlier?: RackbeatOrder,
  ): Promise<ExportOutcome> {
    const { shopId, wooOrderId } = request;
    const { step, signal } = context;
    const rackbeat = await this.deps.rackbeat();
    const reference = `${settings.orders.orderReferencePrefix}${order.number}`;
    let link = await this.deps.links.intent(shopId, wooOrderId, reference);
    await step("intent", "recorded", { rackbeat_order: link.rackbeat_order_number, reference });

    const customerResult = wooOrderToRackbeatCustomer(order, settings.orders);
    let customerNumber = link.customer_number;
    if (customerNumber === null) {
      const key = matchKey(customerResult);
      const findOrCreate = () => this.customer(shopId, customerResult, context);
      const lease = this.deps.customerLease;
      customerNumber = key
        ? await this.customerLock.run(`${shopId}:${key}`, () => (lease ? lease(`${shopId}:${key}`, findOrCreate) : findOrCreate()))
        : await findOrCreate();
      // A customer with a match key is remembered under it (a retry finds it there); one without
      // (no e-mail, no VAT number) only here, so a retry does not create it again.
      if (!key) await this.deps.links.update(shopId, wooOrderId, { customer_number: customerNumber });
    } else {
      await step("customer", "from earlier attempt", { customer: customerNumber });
    }

    let result = wooOrderToRackbeatOrder(order, settings.orders, {
      orderNumber: link.rackbeat_order_number,
      customerNumber,
      ...(this.deps.shopTimeZone ? { shopTimeZone: this.deps.shopTimeZone } : {}),
    });
    await step("money", result.money.roundingLines.length > 0 ? "rounding line added" : "equal to the cent", {
      currency: result.money.currency,
      report: result.money,
      warnings: [...customerResult.warnings, ...result.warnings],
    });

    const viaDraft = result.state === "booked" && result.sendConfirmationEmail;
    let created: RackbeatOrder;
    let action: "created" | "adopted" = "created";
    if (earlier) {
      created = earlier;
      action = "adopted";
    } else for (let tries = 0; ; tries++) {
      try {
        created = await rackbeat.createOrder(result.payload, { state: viaDraft ? "draft" : result.state, signal });
        await step("create Rackbeat order", "created", { rackbeat_order: created.number, state: viaDraft ? "draft" : result.state });
        break;
      } catch (error) {
        if (error instanceof RackbeatOrderNumberTaken) {
          const existing = await rackbeat.getOrder(link.rackbeat_order_number, { signal });
          if (isOurs(existing, reference)) {
            created = existing;
            action = "adopted";
            await step("create Rackbeat order", "already created by an earlier attempt (number refused twice); read back", { rackbeat_order: existing.number });
            break;
          }
          link = await this.deps.links.renumber(shopId, wooOrderId);
          await step("create Rackbeat order", "number used by another Rackbeat order; new number chosen", { now: link.rackbeat_order_number });
          result = { ...result, payload: { ...result.payload, number: link.rackbeat_order_number } };
          if (tries < 3) continue;
          throw new OrderExportRetry("the chosen Rackbeat order numbers were taken by other orders; trying again later");
        }
        if (error instanceof RackbeatRejected && error.fieldErrors.customer_id) {
          // The customer we remembered is gone (deleted or barred in Rackbeat): match again next time.
          await this.deps.links.update(shopId, wooOrderId, { customer_number: null });
          const key = matchKey(customerResult);
          if (key) await this.deps.links.forgetCustomer(shopId, key);
          await step("create Rackbeat order", "customer refused; will match the customer again", { customer: customerNumber });
          throw new OrderExportRetry(`Rackbeat refused customer ${customerNumber}: ${error.message}`);
        }
        if (error instanceof RackbeatRejected) {
          const unknown = refusedItems(error, result.payload.lines);
          if (unknown.length > 0) {
            const makeFirst = settings.products.master === "woo_to_rackbeat" ? this.deps.createProductsFirst?.() : undefined;
            if (makeFirst && tries === 0) {
              const { failed } = await makeFirst(shopId, unknown, { ...(signal ? { signal } : {}) });
              await step("create products first", failed.length === 0 ? "created" : "some failed", { skus: unknown, failed });
              if (failed.length === 0) continue;
            }
            await step("create Rackbeat order", "unknown SKU", { skus: unknown });
            throw new OrderSkuUnknown(unknown);
          }
        }
        await step("create Rackbeat order", "failed", { error: errorMessage(error) });
        throw error;
      }
    }

    let stage = stageOf(created);
    if (result.state === "booked" && !created.is_booked) {
      created = await rackbeat.bookOrder(created.number, { sendMail: result.sendConfirmationEmail, signal });
      stage = stageOf(created);
      await step("book Rackbeat order", "booked", { rackbeat_order: created.number, confirmation_email: result.sendConfirmationEmail ? "by Rackbeat" : "by the shop" });
    }
    // Stock is settled before the link says "exported": a process killed in between leaves the
    // intent, so the retry adopts the order and settles again; marked exported first, the retry went
    // to afterExport and the order's reservation stayed open for good (every shop's figure too low).
    await this.settleStock(shopId, wooOrderId, created.number, stage, context);
    await this.deps.links.update(shopId, wooOrderId, { state: "exported", rackbeat_stage: stage, fingerprint: orderFingerprint(result), customer_number: customerNumber });
    await context.summarize?.({ rackbeat_order_number: created.number, rackbeat_state: stage });

    await this.writeBackOrQueue(shopId, wooOrderId, created.number, stage, context);
    return { action, rackbeatOrderNumber: created.number, stage: stage === "draft" ? "draft" : "booked" };
  }

  /** Customer first: matched (e-mail / VAT) or created; updated when found and different. */
  private async customer(shopId: string, result: RackbeatCustomerResult, context: ExportContext): Promise<number> {
    const { step, signal } = context;
    const rackbeat = await this.deps.rackbeat();
    const key = matchKey(result);
    const identity = sha(result.update);
    if (key) {
      const remembered = await this.deps.links.customer(shopId, key);
      if (remembered) {
        if (remembered.fingerprint !== identity) {
          await rackbeat.updateCustomer(remembered.number, result.update, { signal });
          await this.deps.links.rememberCustomer(shopId, key, remembered.number, identity);
          await step("customer", "matched (known) and updated", { customer: remembered.number, by: result.match.by });
        } else {
          await step("customer", "matched (known)", { customer: remembered.number, by: result.match.by });
        }
        return remembered.number;
      }
      const found =
        result.match.by === "email"
          ? await rackbeat.findCustomersByEmail(result.match.value, { signal })
          : result.match.by === "vat"
            ? await this.findByVat(rackbeat, result.match.spellings, signal)
            : [];
      const usable = found.filter((c) => !c.is_barred).sort((a, b) => a.number - b.number);
      const match = usable[0];
      if (match) {
        if (customerIdentityDiffers(match, result.update)) {
          await rackbeat.updateCustomer(match.number, result.update, { signal });
          await step("customer", "matched and updated", { customer: match.number, by: result.match.by });
        } else {
          await step("customer", "matched", { customer: match.number, by: result.match.by });
        }
        await this.deps.links.rememberCustomer(shopId, key, match.number, identity);
        return match.number;
      }
    }
    const created = await rackbeat.createCustomer(result.create, { signal });
    await step("customer", "created", { customer: created.number, by: result.match.by, ...(result.match.by === "none" ? { reason: result.match.reason } : {}) });
    if (result.contactPerson) {
      await rackbeat.createCustomerContact(created.number, result.contactPerson, { signal });
      await step("customer contact", "created", { customer: created.number });
    }
    if (key) await this.deps.links.rememberCustomer(shopId, key, created.number, identity);
    return created.number;
  }

  private async findByVat(rackbeat: RackbeatPort, spellings: string[], signal: AbortSignal | undefined): Promise<RackbeatCustomer[]> {
    for (const spelling of spellings) {
      const found = await rackbeat.findCustomersByVat(spelling, { signal });
      if (found.length > 0) return found;
    }
    return [];
  }

  /** Already in Rackbeat: a draft is updated, a booked order gets a note and the record is flagged. */
  private async afterExport(order: WooOrder, link: OrderLink, settings: OrderSettings, context: ExportContext): Promise<ExportOutcome> {
    const { step, signal } = context;
    const number = link.rackbeat_order_number;
    const result = wooOrderToRackbeatOrder(order, settings, {
      orderNumber: number,
      customerNumber: link.customer_number ?? 0,
      ...(this.deps.shopTimeZone ? { shopTimeZone: this.deps.shopTimeZone } : {}),
    });
    const fingerprint = orderFingerprint(result);
    if (link.written_back_at === null) await this.writeBackOrQueue(link.shop_id, link.woo_order_id, number, link.rackbeat_stage ?? "booked", context);
    if (fingerprint === link.fingerprint) {
      await step("compare with Rackbeat order", "unchanged", { rackbeat_order: number });
      return { action: "unchanged", rackbeatOrderNumber: number };
    }
    const rackbeat = await this.deps.rackbeat();
    const current = await rackbeat.getOrder(number, { signal });
    const stage = stageOf(current);
    if (stage === "draft") {
      const { number: _n, customer_id: _c, ...patch } = result.payload;
      await rackbeat.updateOrder(number, patch, { signal });
      await this.deps.links.update(link.shop_id, link.woo_order_id, { fingerprint, rackbeat_stage: "draft" });
      await step("update Rackbeat draft", "updated", { rackbeat_order: number, money: result.money });
      return { action: "updated", rackbeatOrderNumber: number };
    }
    const reason = `WooCommerce order ${order.number} was edited after Rackbeat order ${number} was booked: check the order in Rackbeat`;
    await rackbeat.addOrderNote(number, `The WooCommerce order ${order.number} was changed after this order was booked (total now ${order.total.toFixed(2)} ${order.currency}). Check the lines.`, { signal });
    await this.deps.links.update(link.shop_id, link.woo_order_id, { fingerprint, flagged_reason: reason, rackbeat_stage: stage });
    await step("edited after booking", "note added to the Rackbeat order; flagged", { rackbeat_order: number });
    context.flag?.(reason);
    return { action: "noted", rackbeatOrderNumber: number };
  }

  /** Cancelled or deleted in WooCommerce: never exported → never; draft → deleted; booked → note + flag. */
  private async cancelled(request: ExportRequest, link: OrderLink | undefined, why: string, context: ExportContext): Promise<ExportOutcome> {
    const { shopId, wooOrderId } = request;
    const { step, signal } = context;
    const stock = this.deps.stock?.();
    if (!link || link.state !== "exported") {
      if (stock) await stock.release(shopId, wooOrderId);
      await step("cancelled", "not exported; never will be", { why });
      throw new Skip(`the order was ${why} before it was sent to Rackbeat; it will not be sent`);
    }
    const number = link.rackbeat_order_number;
    const rackbeat = await this.deps.rackbeat();
    const current = await rackbeat.findOrder(number, { signal });
    if (!current || stageOf(current) === "draft") {
      if (current) await rackbeat.deleteOrder(number, { signal });
      await this.deps.links.update(shopId, wooOrderId, { state: "deleted" });
      if (stock) await stock.release(shopId, wooOrderId);
      await step("cancelled", "Rackbeat draft deleted", { rackbeat_order: number, why });
      return { action: "deleted", rackbeatOrderNumber: number };
    }
    const reason = `WooCommerce order was ${why} after Rackbeat order ${number} was booked: cancel or credit it in Rackbeat`;
    if (link.flagged_reason !== reason) {
      await rackbeat.addOrderNote(number, `The WooCommerce order was ${why}. This order was already booked: cancel or credit it in Rackbeat.`, { signal });
      await this.deps.links.update(shopId, wooOrderId, { flagged_reason: reason });
    }
    await step("cancelled", "note added to the booked Rackbeat order; flagged", { rackbeat_order: number, why });
    context.flag?.(reason);
    return { action: "noted", rackbeatOrderNumber: number };
  }

  private async settleStock(shopId: string, wooOrderId: number, number: number, stage: string, context: ExportContext): Promise<void> {
    const stock = this.deps.stock?.();
    if (!stock) {
      await context.step("stock re-read", "not wired (stock feature not registered)", { rackbeat_order: number });
      return;
    }
    try {
      await stock.settle(shopId, wooOrderId, { rackbeatOrderNumber: number, state: stage === "draft" ? "draft" : stage === "booked" ? "booked" : "shipped" });
      await context.step("stock re-read", "done", { rackbeat_order: number });
    } catch (error) {
      // The order is in Rackbeat; stock heals on its own schedule. Not a reason to fail the export.
      await context.step("stock re-read", "failed; stock's own schedule will catch up", { error: errorMessage(error) });
    }
  }

  private async writeBackOrQueue(shopId: string, wooOrderId: number, number: number, stage: string, context: ExportContext): Promise<void> {
    if (!this.deps.writeBackLater) return this.writeBack(shopId, wooOrderId, number, stage, context);
    await this.deps.writeBackLater({ shopId, wooOrderId, rackbeatOrderNumber: number });
    await context.step("write back to WooCommerce", "queued", { rackbeat_order: number });
  }

  /**
   * The queued write-back: done once per exported order (a link already written back, or no longer
   * exported, is left alone). Serialised with the order's export.
   */
  handleWriteBack(request: { shopId: string; wooOrderId: number }, context: ExportContext): Promise<void> {
    return this.lock.run(`${request.shopId}:${request.wooOrderId}`, async () => {
      const link = await this.deps.links.get(request.shopId, request.wooOrderId);
      if (!link || link.state !== "exported") throw new Skip("the order is not (or no longer) in Rackbeat; nothing to write back");
      if (link.written_back_at !== null) {
        await context.step("write back to WooCommerce", "already written", { rackbeat_order: link.rackbeat_order_number });
        return;
      }
      await this.writeBack(request.shopId, request.wooOrderId, link.rackbeat_order_number, link.rackbeat_stage ?? "booked", context);
    });
  }

  /** The Rackbeat number into the Woo order's meta and a note (the plugin knows the bridge's key as the writer). */
  async writeBack(shopId: string, wooOrderId: number, number: number, stage: string, context: ExportContext): Promise<void> {
    await this.deps.woo.updateOrder(
      shopId,
      wooOrderId,
      { meta_data: [{ key: META_ORDER_NUMBER, value: String(number) }, { key: META_SYNC_STATE, value: stage }] },
      { ...(context.signal ? { signal: context.signal } : {}) },
    );
    await this.deps.woo.addOrderNote(shopId, wooOrderId, `Sent to Rackbeat as order ${number} (${stage}).`, { ...(context.signal ? { signal: context.signal } : {}) });
    await this.deps.links.update(shopId, wooOrderId, { written_back_at: Date.now() });
    await context.step("write back to WooCommerce", "order number in meta and note", { rackbeat_order: number });
  }
}

function matchKey(result: RackbeatCustomerResult): string | null {
  if (result.match.by === "email") return `email:${result.match.value}`;
  if (result.match.by === "vat") return `vat:${result.match.value}`;
  return null;
}
