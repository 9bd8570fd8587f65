import { Skip } from "../../lib/errors.js";

/**
 * The one SKU validator (design.md §4 "SKU rules", style.md "one SKU validator"). A WooCommerce SKU
 * becomes a Rackbeat item number, so it must be present, unique within the shop (products and
 * variations together), at most 25 characters (Rackbeat's limit, rackbeat-api.md §1.5) and free of
 * spaces. `/` and `#` are allowed: the Rackbeat client percent-encodes numbers once in paths.
 */

export const SKU_MAX_LENGTH = 25;

export type SkuRule = "missing" | "too_long" | "has_spaces" | "duplicate";

export interface SkuProblem {
  rule: SkuRule;
  /** Words for a store owner. */
  message: string;
}

/** Why a product was skipped because of its SKU; the job ends as "skipped" with this reason. */
export class SkuInvalid extends Skip {
  constructor(
    readonly sku: string,
    readonly problems: SkuProblem[],
    readonly wooId?: number,
  ) {
    super(`SKU ${sku === "" ? "(empty)" : JSON.stringify(sku)} cannot be used: ${problems.map((p) => p.message).join("; ")}`);
  }
}

/** Whitespace of any kind counts as a space (tabs, no-break spaces…). */
const SPACE = /\s/u;

/**
 * The rules one SKU can break on its own (every rule except uniqueness). Length counts characters
 * as Rackbeat does (code points), not UTF-16 units.
 */
export function skuProblems(sku: string | null | undefined): SkuProblem[] {
  const value = sku ?? "";
  if (value.trim() === "") return [{ rule: "missing", message: "the SKU is empty; Rackbeat needs an item number" }];
  const problems: SkuProblem[] = [];
  const length = [...value].length;
  if (length > SKU_MAX_LENGTH) {
    problems.push({ rule: "too_long", message: `the SKU has ${length} characters; Rackbeat allows at most ${SKU_MAX_LENGTH}` });
  }
  if (SPACE.test(value)) problems.push({ rule: "has_spaces", message: "the SKU contains a space; Rackbeat item numbers cannot" });
  return problems;
}

export function duplicateProblem(sku: string, count: number): SkuProblem {
  return { rule: "duplicate", message: `the SKU ${JSON.stringify(sku)} is used by ${count} products or variations in this shop` };
}

/**
 * All SKU problems of a set of products and variations, uniqueness included. Pure: the whole list
 * is given. For a catalogue streamed page by page, the preflight keeps the counts in its store.
 */
export function checkSkus<T extends { sku: string | null | undefined }>(items: readonly T[]): Map<T, SkuProblem[]> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const sku = item.sku ?? "";
    if (sku.trim() !== "") counts.set(sku, (counts.get(sku) ?? 0) + 1);
  }
  const out = new Map<T, SkuProblem[]>();
  for (const item of items) {
    const sku = item.sku ?? "";
    const problems = skuProblems(sku);
    const count = counts.get(sku) ?? 0;
    if (count > 1) problems.push(duplicateProblem(sku, count));
    if (problems.length > 0) out.set(item, problems);
  }
  return out;
}

/** Throws SkuInvalid when `sku` breaks a rule; `othersWithSku` counts other products/variations that use it. */
export function assertSkuUsable(sku: string | null | undefined, othersWithSku = 0, wooId?: number): string {
  const problems = skuProblems(sku);
  if (othersWithSku > 0 && sku) problems.push(duplicateProblem(sku, othersWithSku + 1));
  if (problems.length > 0) throw new SkuInvalid(sku ?? "", problems, wooId);
  return sku as string;
}
