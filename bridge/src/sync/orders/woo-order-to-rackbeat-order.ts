import { Money } from "../../lib/money.js";
import type { OrderCreate, OrderLineInput } from "../../rackbeat/index.js";
import type { OrderSettings } from "../../settings/order-settings.js";
import { OrderTotalsDoNotAdd, WooOrderInvalid } from "./order-errors.js";
import { LINE_LABELS, buildOrderLines } from "./order-lines.js";
import { deliveryAddressOf, flatAddress, orderVatZone } from "./order-party.js";
import { matchMoney, type DraftLine, type LineKind, type MoneyMatchReport } from "./money-matching.js";
import { readOrderRates } from "./tax-rates.js";
import { metaString, type WooOrder } from "./woo-order.js";

/**
 * WooCommerce order → Rackbeat order create body (rackbeat-api.md §4.4, design.md §4). Pure: the
 * exporter supplies the Rackbeat order number it reserved (exactly-once) and the customer number it
 * matched or created, and sends the result to `POST /orders` (booked) or `POST /orders/drafts`.
 */

export interface OrderTransformContext {
  /** The Rackbeat order number the exporter chose for this order (its exactly-once key). */
  orderNumber: number;
  /** The Rackbeat customer number (matched or created first). */
  customerNumber: number;
  /**
   * The shop's IANA time zone ("Europe/Copenhagen"). Only needed when an order lacks its local
   * `date_created`; REST orders carry it.
   */
  shopTimeZone?: string;
}

/**
 * A line as the transformer sends it: the client's line type with every money field set, so
 * Rackbeat never prices a line itself. `line_price` is the unit price excl. VAT before the line's
 * discount, with up to 6 decimals (see line-representation.ts).
 */
export type RackbeatOrderLinePayload = Required<
  Pick<OrderLineInput, "item_id" | "name" | "quantity" | "line_price" | "discount_percentage" | "vat_percentage">
>;

/**
 * The order as the transformer sends it: the client's create payload with the fields exactly-once
 * and the money rules depend on made required. `order_date` is the shop's local date of
 * `date_created` (it decides the VAT period).
 */
export type RackbeatOrderPayload = Omit<OrderCreate, "lines"> &
  Required<Pick<OrderCreate, "number" | "customer_id" | "currency" | "order_date" | "other_reference" | "heading" | "note" | "vat_zone">> & {
    lines: RackbeatOrderLinePayload[];
  };

export interface OrderMoneyReport extends MoneyMatchReport {
  currency: string;
  /** Most decimals any line_price / discount_percentage carries. */
  linePriceDecimals: number;
  discountDecimals: number;
  /** Lines split by quantity because no 6-decimal unit price reached the cent. */
  quantitySplits: number;
  /** WooCommerce total − (its lines + its VAT), before any rounding line: its own display rounding. */
  wooRoundingDifference: string;
  notes: string[];
}

export interface RackbeatOrderResult {
  payload: RackbeatOrderPayload;
  /** "booked" → POST /orders; "draft" → POST /orders/drafts. */
  state: "draft" | "booked";
  /** Whether Rackbeat (not the shop) e-mails the confirmation when the order is booked. */
  sendConfirmationEmail: boolean;
  /** What each payload line is (same order as `payload.lines`). */
  lineKinds: LineKind[];
  money: OrderMoneyReport;
  warnings: string[];
}

export const NOTE_MAX_CHARS = 800;
export const HEADING_MAX_CHARS = 255;

const chars = (s: string) => Array.from(s);

function clip(text: string, max: number): string {
  const c = chars(text);
  if (c.length <= max) return text;
  return max <= 0 ? "" : `${c.slice(0, max - 1).join("")}…`;
}

/** `YYYY-MM-DD` of `date_created` (shop-local), or of `date_created_gmt` in the shop's zone. */
export function localOrderDate(order: WooOrder, shopTimeZone?: string): string {
  const local = order.date_created ?? "";
  const m = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}/.exec(local);
  // WooCommerce writes the shop-local wall time without an offset; with an explicit offset it is
  // still that wall time. Only a UTC ("Z") stamp needs the shop's zone.
  if (m && !/Z$/i.test(local)) return m[1] as string;
  const gmt = order.date_created_gmt ?? (local || null);
  if (gmt && shopTimeZone) {
    const instant = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(gmt) ? gmt : `${gmt}Z`);
    if (!Number.isNaN(instant.getTime())) {
      return new Intl.DateTimeFormat("en-CA", { timeZone: shopTimeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
    }
  }
  throw new WooOrderInvalid([
    "date_created: the order has no shop-local creation date" + (shopTimeZone ? "" : " and no shop time zone was given to convert date_created_gmt"),
  ]);
}

/**
 * The note: payment method (the configured text, else WooCommerce's title) with the gateway's
 * transaction id, the configured extra order fields, and the customer's note — at most 800
 * characters; the customer's note gives way first, then the extra fields.
 */
export function buildOrderNote(order: WooOrder, settings: OrderSettings): string {
  const method = settings.paymentMethods[order.payment_method];
  const paymentName = method?.noteText || order.payment_method_title || order.payment_method;
  const payment = paymentName
    ? `Payment: ${paymentName}${order.transaction_id ? ` (transaction ${order.transaction_id})` : ""}`
    : order.transaction_id
      ? `Transaction: ${order.transaction_id}`
      : "";
  const extras = settings.extraFieldMetaKeys
    .map((key) => {
      const value = metaString(order.meta_data, [key]);
      return value === null ? null : `${key.replace(/^_+/, "")}: ${value}`;
    })
    .filter((s): s is string => s !== null);
  const customerNote = order.customer_note.trim() ? `Customer note: ${order.customer_note.trim()}` : "";

  const head = clip(payment, NOTE_MAX_CHARS);
  let room = NOTE_MAX_CHARS - chars(head).length;
  const keptExtras: string[] = [];
  for (const extra of extras) {
    const needed = (head || keptExtras.length ? 1 : 0) + chars(extra).length;
    if (needed > room) {
      if (room > 2) keptExtras.push(clip(extra, room - (head || keptExtras.length ? 1 : 0)));
      room = 0;
      break;
    }
    keptExtras.push(extra);
    room -= needed;
  }
  const parts = [head, ...keptExtras].filter(Boolean);
  if (customerNote && room > 2) {
    const sep = parts.length ? 1 : 0;
    parts.push(clip(customerNote, room - sep));
  }
  return parts.join("\n");
}

function toPayloadLine(line: DraftLine): RackbeatOrderLinePayload {
  return {
    item_id: line.itemId,
    name: line.name,
    quantity: line.quantity.toNumber(),
    line_price: line.linePrice.toNumber(),
    discount_percentage: line.discountPercent.toNumber(),
    vat_percentage: line.vatPercent.toNumber(),
  };
}

function putAddress(payload: RackbeatOrderPayload, prefix: "address_" | "delivery_address_", address: ReturnType<typeof flatAddress>): void {
  for (const [field, value] of Object.entries(address)) {
    if (value !== "") (payload as unknown as Record<string, unknown>)[`${prefix}${field}`] = clip(value, 255);
  }
}

export function wooOrderToRackbeatOrder(order: WooOrder, settings: OrderSettings, context: OrderTransformContext): RackbeatOrderResult {
  const warnings: string[] = [];
  const rates = readOrderRates(order);
  const natural = buildOrderLines(order, settings, rates);

  // WooCommerce's own figures must add up (to within its display rounding) before any rounding line.
  const wooTotal = order.total.round(2);
  const wooVat = Money.sum([...rates.vatByRate.values()].map((r) => r.targetVat));
  const wooSide = natural.intendedNet.plus(wooVat);
  const difference = wooTotal.minus(wooSide);
  const tolerance = Money.parse("0.01").times(natural.figureCount + rates.vatByRate.size + 1);
  if (difference.abs().greaterThan(tolerance)) {
    throw new OrderTotalsDoNotAdd(wooTotal.toFixed(2), wooSide.toFixed(2), tolerance.toFixed(2));
  }

  if (natural.lines.length === 0 && wooTotal.isZero()) {
    throw new WooOrderInvalid(["line_items: the order has no lines to send (Rackbeat needs at least one)"]);
  }

  const roundingItem = settings.articleNumbers.rounding;
  const { lines, report } = matchMoney(
    natural.lines,
    { total: wooTotal, vatByRate: rates.vatByRate },
    (percent, amount): DraftLine => ({
      kind: "rounding",
      itemId: roundingItem,
      name: LINE_LABELS.rounding(percent),
      quantity: Money.ONE,
      linePrice: amount,
      discountPercent: Money.ZERO,
      vatPercent: percent,
    }),
  );
  if (report.roundingLines.length > 0) {
    warnings.push(
      `rounding lines added so Rackbeat's figures equal WooCommerce's: ${report.roundingLines
        .map((r) => `${r.amount} at ${r.ratePercent} %`)
        .join(", ")}`,
    );
  }

  const { zone } = orderVatZone(order, settings);
  const reference = `${settings.orderReferencePrefix}${order.number}`;
  const payload: RackbeatOrderPayload = {
    number: context.orderNumber,
    customer_id: context.customerNumber,
    currency: order.currency,
    order_date: localOrderDate(order, context.shopTimeZone),
    other_reference: clip(reference, 255),
    heading: clip(reference, HEADING_MAX_CHARS),
    note: buildOrderNote(order, settings),
    vat_zone: zone,
    lines: lines.map(toPayloadLine),
  };
  const paymentTerms = settings.paymentMethods[order.payment_method]?.paymentTermsId ?? settings.customerDefaults.paymentTermsId;
  if (paymentTerms !== null) payload.payment_terms_id = paymentTerms;
  if (settings.customerDefaults.layoutId !== null) payload.layout_id = settings.customerDefaults.layoutId;
  putAddress(payload, "address_", flatAddress(order.billing, settings.companyNameInAddressLine1));
  putAddress(payload, "delivery_address_", flatAddress(deliveryAddressOf(order), settings.companyNameInAddressLine1));

  return {
    payload,
    state: settings.rackbeatOrderState,
    sendConfirmationEmail: settings.confirmationEmail === "rackbeat",
    lineKinds: lines.map((l) => l.kind),
    money: {
      ...report,
      currency: order.currency,
      linePriceDecimals: Math.max(0, ...lines.map((l) => l.linePrice.decimals)),
      discountDecimals: Math.max(0, ...lines.map((l) => l.discountPercent.decimals)),
      quantitySplits: natural.quantitySplits,
      wooRoundingDifference: difference.toFixed(2),
      notes: natural.notes,
    },
    warnings,
  };
}
