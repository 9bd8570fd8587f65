/**
 * Small readers for request bodies that record Laravel-style messages under dotted paths
 * ("lines.0.quantity"), the way Rackbeat's 422 bodies name fields (rackbeat-api.md §3.2).
 * The message wording imitates Laravel's validator; Rackbeat's exact texts are mostly unknown.
 */
import type { FieldErrors } from "./sandbox-errors.js";

export type Body = Record<string, unknown>;

const label = (path: string): string => (path.split(".").pop() ?? path).replace(/_/g, " ");

export function isRecord(value: unknown): value is Body {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function has(body: Body, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(body, key) && body[key] !== undefined;
}

interface StringRule {
  required?: boolean;
  max?: number;
  nullable?: boolean;
}

export function readString(body: Body, key: string, path: string, errors: FieldErrors, rule: StringRule = {}): string | null | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === "") {
    if (rule.required) errors.add(path, `The ${label(path)} field is required.`);
    return value === null && rule.nullable !== false ? null : undefined;
  }
  // Laravel's "string" rule refuses numbers; Rackbeat clients commonly send numbers for numeric
  // strings (e.g. a SKU "1001"), so numbers are accepted and turned into their decimal text.
  if (typeof value !== "string" && typeof value !== "number") {
    errors.add(path, `The ${label(path)} field must be a string.`);
    return undefined;
  }
  const text = String(value);
  if (rule.max !== undefined && text.length > rule.max) {
    errors.add(path, `The ${label(path)} field must not be greater than ${rule.max} characters.`);
    return undefined;
  }
  return text;
}

interface NumberRule {
  required?: boolean;
  min?: number;
  max?: number;
  integer?: boolean;
}

export function readNumber(body: Body, key: string, path: string, errors: FieldErrors, rule: NumberRule = {}): number | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === "") {
    if (rule.required) errors.add(path, `The ${label(path)} field is required.`);
    return undefined;
  }
  // Laravel's "numeric" accepts numeric strings as well.
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) {
    errors.add(path, `The ${label(path)} field must be a number.`);
    return undefined;
  }
  if (rule.integer && !Number.isInteger(n)) {
    errors.add(path, `The ${label(path)} field must be an integer.`);
    return undefined;
  }
  if (rule.min !== undefined && n < rule.min) {
    errors.add(path, `The ${label(path)} field must be at least ${rule.min}.`);
    return undefined;
  }
  if (rule.max !== undefined && n > rule.max) {
    errors.add(path, `The ${label(path)} field must not be greater than ${rule.max}.`);
    return undefined;
  }
  return n;
}

export function readBoolean(body: Body, key: string, path: string, errors: FieldErrors): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  // Laravel's "boolean" rule: true, false, 1, 0, "1", "0".
  if (value === true || value === 1 || value === "1" || value === "true") return true;
  if (value === false || value === 0 || value === "0" || value === "false") return false;
  errors.add(path, `The ${label(path)} field must be true or false.`);
  return undefined;
}

export function readEnum<T extends string>(
  body: Body,
  key: string,
  path: string,
  errors: FieldErrors,
  allowed: readonly T[],
): T | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  errors.add(path, `The selected ${label(path)} is invalid.`);
  return undefined;
}

/** Dates: `YYYY-MM-DD`, also accepting a timestamp (doc default: accept both on input). */
export function readDate(body: Body, key: string, path: string, errors: FieldErrors): string | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string") {
    const m = /^(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?.*)?$/.exec(value);
    if (m?.[1] && !Number.isNaN(Date.parse(m[1]))) return m[1];
  }
  errors.add(path, `The ${label(path)} field must be a valid date.`);
  return undefined;
}

export function isBooleanTrue(value: unknown): boolean {
  return value === true || value === 1 || value === "1" || value === "true";
}
