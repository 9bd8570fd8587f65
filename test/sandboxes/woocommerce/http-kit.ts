/**
 * The WordPress REST server around the WooCommerce routes: request context, headers, parameter
 * validation, pagination headers and `_fields`.
 * [recorded] headers of every api/*.json exchange: X-Robots-Tag, X-Content-Type-Options,
 * Access-Control-Expose-Headers/Allow-Headers, the api.w.org Link (replaced by prev/next links on
 * paginated answers), Allow, and the no-cache pair for logged-in requests; `Vary: Origin` on GETs
 * without a logged-in user.
 */
import type { ApiKey } from "./rest-auth.js";
import { type PhpArray, type PhpValue, phpToPlain } from "./php-query.js";
import { RestError, invalidParam } from "./rest-error.js";

export interface RestRequest {
  method: string;
  /** Route after /wp-json, e.g. /wc/v3/products/16 */
  route: string;
  /** Raw query string (without "?") as received, for Link headers. */
  rawQuery: string;
  query: PhpArray;
  body: unknown;
  https: boolean;
  key: ApiKey | null;
}

export interface RestResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export function baseHeaders(siteUrl: string): Record<string, string> {
  return {
    "Content-Type": "application/json; charset=UTF-8",
    "X-Robots-Tag": "noindex",
    Link: `<${siteUrl}/wp-json/>; rel="https://api.w.org/"`,
    "X-Content-Type-Options": "nosniff",
    "Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
    "Access-Control-Allow-Headers": "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
  };
}

export const NO_CACHE_HEADERS = {
  Expires: "Wed, 11 Jan 1984 05:00:00 GMT",
  "Cache-Control": "no-cache, must-revalidate, max-age=0, no-store, private",
};

// ------------------------------------------------------------------------------ parameters

export function param(req: RestRequest, name: string): PhpValue | undefined {
  return req.query.get(name);
}

export function stringParam(req: RestRequest, name: string): string | undefined {
  const v = req.query.get(name);
  return typeof v === "string" ? v : undefined;
}

/** rest_validate_request_arg for integers with bounds. */
export function intParam(req: RestRequest, name: string, opts: { min?: number; max?: number; def?: number } = {}): number | undefined {
  const raw = stringParam(req, name);
  if (raw === undefined || raw === "") return opts.def;
  if (!/^-?\d+$/.test(raw.trim())) throw invalidParam(name, `${name} is not of type integer.`, "rest_invalid_type");
  const n = Number(raw);
  if (opts.min !== undefined && opts.max !== undefined && (n < opts.min || n > opts.max)) {
    // [recorded] api/400-products-per_page-too-large.json
    throw invalidParam(name, `${name} must be between ${opts.min} (inclusive) and ${opts.max} (inclusive)`, "rest_out_of_bounds");
  }
  if (opts.min !== undefined && n < opts.min) {
    throw invalidParam(name, `${name} must be greater than or equal to ${opts.min}`, "rest_out_of_bounds");
  }
  return n;
}

export function boolParam(req: RestRequest, name: string): boolean | undefined {
  const raw = stringParam(req, name);
  if (raw === undefined) return undefined;
  const v = raw.toLowerCase();
  if (["true", "1", "yes"].includes(v)) return true;
  if (["false", "0", "no", ""].includes(v)) return false;
  throw invalidParam(name, `${name} is not of type boolean.`, "rest_invalid_type");
}

export function enumParam<T extends string>(req: RestRequest, name: string, values: readonly T[], def?: T): T | undefined {
  const raw = stringParam(req, name);
  if (raw === undefined) return def;
  if (!(values as readonly string[]).includes(raw)) {
    throw invalidParam(name, `${name} is not one of ${list(values)}.`, "rest_not_in_enum");
  }
  return raw as T;
}

/** Array parameters accept `a,b` or `a[]=…` (wp_parse_list). */
export function listParam(req: RestRequest, name: string): string[] | undefined {
  const v = req.query.get(name);
  if (v === undefined) return undefined;
  if (typeof v === "string") return v.split(/[\s,]+/).filter((s) => s !== "");
  return [...v.values()].filter((x): x is string => typeof x === "string");
}

export function idListParam(req: RestRequest, name: string): number[] | undefined {
  const values = listParam(req, name);
  return values?.map((v) => Math.abs(Math.trunc(Number(v)))).filter((n) => Number.isFinite(n) && n > 0);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** rest_parse_date(); [recorded] api/400-orders-invalid-date-after.json ("Invalid date."). */
export function dateParam(req: RestRequest, name: string): number | undefined {
  const raw = stringParam(req, name);
  if (raw === undefined || raw === "") return undefined;
  const m = RFC3339.exec(raw.trim());
  if (!m) throw invalidParam(name, "Invalid date.", "rest_invalid_date");
  const [, y, mo, d, h, mi, s, , tz] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (tz && tz.toUpperCase() !== "Z") {
    const sign = tz.startsWith("-") ? -1 : 1;
    const digits = tz.slice(1).replace(":", "");
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || "0");
    ms -= sign * offset * 60_000;
  }
  if (Number.isNaN(ms)) throw invalidParam(name, "Invalid date.", "rest_invalid_date");
  return ms;
}

function list(values: readonly string[]): string {
  if (values.length <= 1) return values.join("");
  return `${values.slice(0, -1).join(", ")}, and ${values[values.length - 1]}`;
}

export { list as enumList };

// ------------------------------------------------------------------------------ pagination

/** PHP urlencode(): like rawurlencode but spaces become "+" and "~" is encoded. */
export function phpUrlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/**
 * The query WordPress puts in prev/next links: the request's own query parameters, in order,
 * after sanitising (booleans become "1"), with `extra` parameters the controller set appended.
 */
export function linkQuery(
  rawQuery: string,
  options: { normalize?: (name: string, value: string) => string | null; append?: [string, string][] } = {},
): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = decodeSafe(eq === -1 ? part : part.slice(0, eq));
    const v = decodeSafe(eq === -1 ? "" : part.slice(eq + 1));
    const normalized = options.normalize ? options.normalize(k, v) : v;
    if (normalized === null) continue;
    pairs.push([k, normalized]);
  }
  return [...pairs, ...(options.append ?? [])];
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

/** X-WP-Total / X-WP-TotalPages and the prev/next Link header (WP_REST_Posts_Controller::get_items). */
export function paginationHeaders(
  siteUrl: string,
  routePath: string,
  query: [string, string][],
  page: number,
  total: number,
  totalPages: number,
): Record<string, string> {
  const headers: Record<string, string> = { "X-WP-Total": String(total), "X-WP-TotalPages": String(totalPages) };
  const links: string[] = [];
  const url = (p: number): string => {
    const pairs = [...query];
    const idx = pairs.findIndex(([k]) => k === "page");
    if (idx === -1) pairs.push(["page", String(p)]);
    else pairs[idx] = ["page", String(p)];
    return `${siteUrl}/wp-json${routePath}?${pairs.map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`).join("&")}`;
  };
  if (page > 1) {
    const prev = page - 1 > totalPages ? totalPages : page - 1;
    links.push(`<${url(prev)}>; rel="prev"`);
  }
  if (page < totalPages) links.push(`<${url(page + 1)}>; rel="next"`);
  if (links.length) headers.Link = links.join(", ");
  return headers;
}

// ------------------------------------------------------------------------------ _fields

/** rest_filter_response_fields(): keep the requested top-level (and dotted nested) fields. */
export function filterFields(item: unknown, fieldsParam: string | undefined): unknown {
  if (!fieldsParam || typeof item !== "object" || item === null || Array.isArray(item)) return item;
  const fields = fieldsParam.split(",").map((f) => f.trim()).filter(Boolean);
  const src = item as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const [head = "", ...rest] = field.split(".");
    if (!(head in src)) continue;
    if (rest.length === 0) {
      out[head] = src[head];
    } else if (typeof src[head] === "object" && src[head] !== null) {
      const nested = filterFields(src[head], rest.join("."));
      out[head] = { ...((out[head] as Record<string, unknown>) ?? {}), ...(nested as Record<string, unknown>) };
    }
  }
  return out;
}

export function plainQuery(query: PhpArray): Record<string, unknown> {
  return phpToPlain(query) as Record<string, unknown>;
}

export { RestError };
