/**
 * Rackbeat's list behaviour [doc §2]: 206 Partial Content with `{<plural>: [...], total, pages,
 * limit, page}`, the collection key first (KG reads the first value as the collection);
 * `page` (1-based) and `limit` (default 20, capped at 1000); `search`; plain attribute filters;
 * `simple_filter[attr]`; `<date attr>_from/_to` ranges; `order_by` / `order_direction`
 * (default DESC, LC); `fields=a,b` sparse fieldsets. Past the last page: an empty collection with
 * 206 [doc default]. `pages` is at least 1, as Laravel's paginator reports it [inferred].
 */
import { SandboxValidationError } from "./sandbox-errors.js";

export interface ListSpec<R> {
  plural: string;
  serialize: (record: R) => Record<string, unknown>;
  /** Values `search` matches (case-insensitive substring). Absent: `search` is ignored. */
  searchText?: (record: R) => (string | number | null | undefined)[];
  /** Plain `?attr=value` filters honoured; other query keys are ignored as Laravel apps do [inferred]. */
  filterable: ReadonlySet<string> | "all";
  /** `simple_filter[attr]` attributes accepted; others → 422 "not filterable" [doc §2.4, MSKU]. */
  simpleFilterable: ReadonlySet<string> | "all";
}

export type Query = Record<string, unknown>;

const RESERVED = new Set(["page", "limit", "search", "order_by", "order_direction", "fields", "expand", "suppress_webhooks", "sort"]);

export interface ListResult {
  status: 206;
  body: Record<string, unknown>;
}

function first(value: unknown): string | undefined {
  if (Array.isArray(value)) return first(value[0]);
  return typeof value === "string" ? value : undefined;
}

function matches(actual: unknown, wanted: string): boolean {
  if (typeof actual === "boolean") {
    if (wanted === "true" || wanted === "1") return actual;
    if (wanted === "false" || wanted === "0") return !actual;
    return false;
  }
  if (actual === null || actual === undefined) return wanted === "" || wanted === "null";
  if (typeof actual === "number") return Number(wanted) === actual;
  return String(actual).toLowerCase() === wanted.toLowerCase();
}

function toTime(value: string): number {
  return Date.parse(value.includes("T") || value.length <= 10 ? value : value.replace(" ", "T") + "Z");
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), "en", { numeric: true });
}

export function listResponse<R>(records: Iterable<R>, query: Query, spec: ListSpec<R>): ListResult {
  let items = [...records];
  const search = first(query.search);
  const filters: [string, string][] = [];
  const simpleFilters: [string, string][] = [];
  const ranges: [string, "from" | "to", string][] = [];
  const notFilterable: string[] = [];

  for (const [key, raw] of Object.entries(query)) {
    const value = first(raw);
    if (value === undefined || RESERVED.has(key)) continue;
    const simple = /^simple_filter\[(.+)\]$/.exec(key);
    if (simple?.[1]) {
      if (spec.simpleFilterable !== "all" && !spec.simpleFilterable.has(simple[1])) notFilterable.push(simple[1]);
      else simpleFilters.push([simple[1], value]);
      continue;
    }
    const range = /^(.+_at)_(from|to)$/.exec(key);
    if (range?.[1]) {
      ranges.push([range[1], range[2] as "from" | "to", value]);
      continue;
    }
    if (spec.filterable === "all" || spec.filterable.has(key)) filters.push([key, value]);
  }
  if (notFilterable.length > 0) {
    const errors: Record<string, string[]> = {};
    for (const attr of notFilterable) errors[`simple_filter.${attr}`] = [`Property '${attr}' is not filterable`];
    throw new SandboxValidationError(errors);
  }

  if (search && spec.searchText) {
    const needle = search.toLowerCase();
    items = items.filter((r) => spec.searchText!(r).some((v) => v !== null && v !== undefined && String(v).toLowerCase().includes(needle)));
  }

  const orderBy = first(query.order_by);
  const needsSerialized = filters.length > 0 || simpleFilters.length > 0 || ranges.length > 0 || orderBy !== undefined;
  let rows: { record: R; view?: Record<string, unknown> }[] = items.map((record) => ({ record }));
  if (needsSerialized) {
    rows = rows.map((row) => ({ record: row.record, view: spec.serialize(row.record) }));
    for (const [attr, wanted] of [...filters, ...simpleFilters]) {
      // A filter on an attribute the resource does not have is ignored, like any unknown parameter.
      rows = rows.filter((row) => !(attr in row.view!) || matches(row.view![attr], wanted));
    }
    for (const [attr, side, bound] of ranges) {
      const limit = toTime(bound);
      if (Number.isNaN(limit)) throw new SandboxValidationError({ [`${attr}_${side}`]: [`The ${attr}_${side} is not a valid date.`] });
      rows = rows.filter((row) => {
        const v = row.view![attr];
        if (typeof v !== "string") return false;
        const t = toTime(v);
        return side === "from" ? t >= limit : t <= limit;
      });
    }
    if (orderBy !== undefined) {
      const direction = (first(query.order_direction) ?? "DESC").toUpperCase() === "ASC" ? 1 : -1;
      rows.sort((a, b) => direction * compare(a.view![orderBy], b.view![orderBy]));
    }
  }

  const total = rows.length;
  const limitRaw = Number.parseInt(first(query.limit) ?? "", 10);
  const limit = Number.isFinite(limitRaw) && limitRaw > 0 ? Math.min(limitRaw, 1000) : 20;
  const pageRaw = Number.parseInt(first(query.page) ?? "", 10);
  const page = Number.isFinite(pageRaw) && pageRaw > 0 ? pageRaw : 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  const slice = rows.slice((page - 1) * limit, page * limit);

  const fields = first(query.fields)
    ?.split(",")
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
  const collection = slice.map((row) => project(row.view ?? spec.serialize(row.record), fields));
  return { status: 206, body: { [spec.plural]: collection, total, pages, limit, page } };
}

/** `fields=a,b`: only those attributes [doc §2.6, LC select; TOOLS; SQLR]. */
export function project(view: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields || fields.length === 0 || fields.includes("*")) return view;
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in view) out[f] = view[f];
  return out;
}
