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
