import type { Generated } from "kysely";

/** Tables of the bridge's store. Times are integer milliseconds since the epoch (UTC). */
export interface Database {
  jobs: JobsTable;
  activity_records: ActivityRecordsTable;
  activity_steps: ActivityStepsTable;
  shops: ShopsTable;
  pairing_codes: PairingCodesTable;
  pairing_failures: PairingFailuresTable;
  account: AccountTable;
  stock_items: StockItemsTable;
  stock_reservations: StockReservationsTable;
  stock_links: StockLinksTable;
  stock_drift: StockDriftTable;
  product_links: ProductLinksTable;
  initial_sync_runs: InitialSyncRunsTable;
  initial_sync_items: InitialSyncItemsTable;
  preflights: PreflightsTable;
  preflight_items: PreflightItemsTable;
  order_links: OrderLinksTable;
  order_customer_links: OrderCustomerLinksTable;
  order_number_range: OrderNumberRangeTable;
  leases: LeasesTable;
  rate_gate_slots: RateGateSlotsTable;
  rate_gate_pauses: RateGatePausesTable;
}

export type JobState = "waiting" | "running" | "done" | "parked" | "skipped";

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  shop_id: string | null;
  idempotency_key: string;
  payload: string;
  state: JobState;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  last_error: string | null;
  record_id: number | null;
  created_at: number;
  updated_at: number;
}

export type RecordState = "waiting" | "done" | "parked" | "skipped" | "flagged";

export interface ActivityRecordsTable {
  id: Generated<number>;
  shop_id: string;
  subject_type: string;
  subject_id: string;
  state: RecordState;
  reason: string | null;
  /** JSON: a short summary for lists (e.g. the Rackbeat order number); no personal data. */
  summary: string | null;
  created_at: number;
  updated_at: number;
  /** Set when the record's personal data was reduced after the retention period. */
  reduced_at: number | null;
}

export interface ActivityStepsTable {
  id: Generated<number>;
  record_id: number;
  at: number;
  action: string;
  outcome: string;
  /** JSON with details; may hold personal data until the retention period reduces it to null. */
  detail: string | null;
}

export interface ShopsTable {
  id: string;
  name: string;
  url: string;
  /** Encrypted (see secrets.ts). */
  secret: string | null;
  wc_consumer_key: string | null;
  wc_consumer_secret: string | null;
  settings: string;
  role: string;
  plugin_version: string | null;
  protocol_version: number;
  paired_at: number;
  last_contact_at: number | null;
  disconnected_at: number | null;
  /** The highest outbox sequence number stored, for the outbox pull. */
  outbox_seq: number;
}

export interface PairingCodesTable {
  id: Generated<number>;
  code_hash: string;
  name: string | null;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface PairingFailuresTable {
  id: Generated<number>;
  address: string;
  at: number;
}

export interface AccountTable {
  key: string;
  /** JSON; secrets inside are encrypted. */
  value: string;
  updated_at: number;
}

/** Rackbeat's stock figures per item as last read (issue 6). */
export interface StockItemsTable {
  sku: string;
  stock_quantity: number;
  in_order_quantity: number;
  available_quantity: number;
  /** JSON `[{number, stock_quantity, in_order_quantity, available_quantity}]` when read per location. */
  locations: string | null;
  rackbeat_updated_at: string | null;
  /** Order in which reads were started: a read started earlier never replaces a later one. */
  fetch_seq: number;
  fetched_at: number;
}

/** open: not in Rackbeat's available figure yet; booked: in available, not shipped; ended. */
export type ReservationState = "open" | "booked" | "ended";

/** Orders in flight, per shop order and SKU (design.md §5 item 7). */
export interface StockReservationsTable {
  id: Generated<number>;
  shop_id: string;
  woo_order_id: number;
  sku: string;
  quantity: number;
  state: ReservationState;
  rackbeat_order_number: number | null;
  started_at: number;
  updated_at: number;
}

/** Which WooCommerce product or variation sells a SKU in a shop, and what the bridge last wrote. */
export interface StockLinksTable {
  shop_id: string;
  sku: string;
  woo_id: number;
  /** The parent product for a variation, else null. */
  parent_id: number | null;
  manage_stock: number;
  last_written: number | null;
  last_written_at: number | null;
  /** When the latest order from this shop holding the SKU happened (its event's occurred_at). */
  last_order_event_at: number | null;
  updated_at: number;
}

/** drift: figures differ; unknown_in_rackbeat: the shop sells a SKU Rackbeat lacks; not_in_shop. */
export type StockDriftKind = "drift" | "unknown_in_rackbeat" | "not_in_shop";

export interface StockDriftTable {
  shop_id: string;
  sku: string;
  kind: StockDriftKind;
  rackbeat: number | null;
  shop: number | null;
  last_write: number | null;
  last_write_at: number | null;
  found_at: number;
  fixed_at: number | null;
}

/** A WooCommerce product or variation and the Rackbeat product it is (products issue). */
export interface ProductLinksTable {
  id: Generated<number>;
  shop_id: string;
  woo_id: number;
  woo_parent_id: number | null;
  rackbeat_number: string;
  /** 1 when the bridge set the WooCommerce status because Rackbeat barred the product. */
  barred_by_bridge: number;
  updated_at: number;
}

export type InitialSyncState = "queued" | "running" | "done" | "failed";

export interface InitialSyncRunsTable {
  id: string;
  shop_id: string;
  state: InitialSyncState;
  /** Checkpoint: the WooCommerce products page to read next. */
  next_page: number;
  total: number;
  done: number;
  errors: number;
  skipped: number;
  rackbeat_products: number;
  stock_adjustments: number;
  created_at: number;
  started_at: number | null;
  updated_at: number;
  finished_at: number | null;
  message: string | null;
}

export interface InitialSyncItemsTable {
  run_id: string;
  woo_id: number;
  woo_parent_id: number | null;
  sku: string | null;
  /** done | skipped | error */
  outcome: string;
  reason: string | null;
  at: number;
  /** Claim order within the run (the first claim of a SKU holds it); same on both engines. */
  claim_seq: number;
}

export interface PreflightsTable {
  id: string;
  shop_id: string;
  /** running | done | failed */
  state: string;
  /** JSON report (counts), once done. */
  report: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface PreflightItemsTable {
  preflight_id: string;
  seq: number;
  woo_id: number;
  woo_parent_id: number | null;
  kind: string;
  sku: string;
  name: string;
  price: string;
  price_excl_vat: string | null;
  in_rackbeat: number;
  /** Comma-separated rules broken by the item alone (duplicates are found by query). */
  problems: string;
}

/**
 * Orders (issue 5): one row per exported (or being exported) WooCommerce order. The row is written
 * with `state = "intent"` and the Rackbeat order number the bridge chose BEFORE the create call, so
 * a retry after a crash reuses the number and Rackbeat refuses it twice (exactly once).
 */
export type OrderLinkState = "intent" | "exported" | "deleted";
export type RackbeatOrderStage = "draft" | "booked" | "shipped" | "invoiced";

export interface OrderLinksTable {
  shop_id: string;
  woo_order_id: number;
  state: OrderLinkState;
  rackbeat_order_number: number;
  /** `other_reference` / `heading` the order was created with: how a read-back proves it is ours. */
  reference: string;
  customer_number: number | null;
  rackbeat_stage: RackbeatOrderStage | null;
  /** sha256 of the order body last sent (without number/customer): tells an edit from a no-op. */
  fingerprint: string | null;
  /** When the Rackbeat number was written into the Woo order (meta + note); null until then. */
  written_back_at: number | null;
  /** The WooCommerce status the bridge last set through status write-back. */
  woo_status_written: string | null;
  flagged_reason: string | null;
  created_at: number;
  updated_at: number;
}

/** Rackbeat customer per shop and match key ("email:a@b.dk", "vat:DK123"): saves a search per order. */
export interface OrderCustomerLinksTable {
  shop_id: string;
  match_key: string;
  customer_number: number;
  /** sha256 of the identity last written, so an unchanged customer is not updated again. */
  fingerprint: string;
  updated_at: number;
}

/** The owner's range for Rackbeat order numbers the bridge assigns (one row, id 1). */
export interface OrderNumberRangeTable {
  id: number;
  range_from: number;
  range_to: number;
  next_number: number;
  updated_at: number;
}

/** A named lease on work that must not run twice at once (store/leases.ts). */
export interface LeasesTable {
  name: string;
  owner: string;
  lease_until: number;
}

/** The shared Rackbeat rate gate's counted slots (rackbeat/pg-rate-gate.ts); one row per request. */
export interface RateGateSlotsTable {
  id: Generated<number>;
  /** sha256 of the token, never the token itself. */
  gate: string;
  owner: string;
  free_at: number;
  released: number;
}

export interface RateGatePausesTable {
  gate: string;
  paused_until: number;
}
