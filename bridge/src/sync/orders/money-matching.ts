import { Money } from "../../lib/money.js";
import { MoneyMatchingFailed } from "./order-errors.js";
import {
  ROUNDING_MODELS,
  computeTotals,
  exactLineTotal,
  exactVat,
  lineModelVat,
  type PricedLine,
  type RoundingModel,
} from "./rackbeat-rounding.js";
import { rateKey, type RateKey } from "./tax-rates.js";

/**
 * Making Rackbeat's totals equal WooCommerce's, to the cent, whichever rounding model Rackbeat uses.
 *
 * Rackbeat computes VAT itself from the lines it receives. Per VAT rate r, with line totals b_i:
 *   "line"  model: VAT_r = Σ round(b_i × r)        "total" model: VAT_r = round(Σ b_i × r)
 * WooCommerce's VAT per rate (`tax_lines`) came from its own rounding (per line or at subtotal), so
 * with the order's natural lines the two models disagree with it — and with each other — by a few
 * cents. The only freedom that does not change what the customer bought is extra lines:
 *
 * 1. Per rate, rounding lines at that rate ("Rounding (25 % VAT)") whose amounts are chosen so that
 *    BOTH models give exactly WooCommerce's VAT: a final line c with round(c × r) closing the "line"
 *    model's gap and Σ b × r + c × r rounding to the target in the "total" model. That is possible
 *    with one line when the natural lines' rounding errors sum to less than about a cent; beyond
 *    that, "carrier" lines of a few cents whose own rounding error leans the other way (0.04 at 12 %:
 *    exact VAT 0.0048, rounded 0.00) are added first, one per half cent of gap. Amounts are searched
 *    exhaustively within the window that can work and the smallest total is taken; exact halves
 *    (where rounding rules differ between systems) are avoided when any other choice exists.
 * 2. One 0 % rounding line for what is then left of the order total (the base moved by step 1, and
 *    WooCommerce's own display rounding: in subtotal-rounding shops its lines do not add up to its
 *    total, fixtures README quirk 3). A 0 % line cannot change any rate's VAT. Where several final
 *    amounts work at the rates, the combination that closes the total by itself is taken, so the
 *    0 % line is only added when nothing else reaches the cent.
 * Finally both models are computed on the result; any mismatch throws `MoneyMatchingFailed`.
 *
 * Limit: step 1 must move a rate's base to reach a VAT the base does not produce under the "total"
 * model (about 1/r of a cent of base per cent of VAT: 4 øre at 25 %, 17 øre at 6 %); that amount
 * shows as a rounding line at the rate and its opposite at 0 %. Totals and VAT are exact; the split
 * of revenue between rates moves by those øre.
 */

export type LineKind = "item" | "shipping" | "fee" | "payment_fee" | "discount" | "gift_card" | "rounding";

export interface DraftLine extends PricedLine {
  kind: LineKind;
  itemId: string;
  name: string;
}

export interface MatchTargets {
  /** WooCommerce's order total rounded to cents. */
  total: Money;
  /** VAT per rate rounded to cents (rates absent here must come out at 0). */
  vatByRate: ReadonlyMap<RateKey, { percent: Money; targetVat: Money }>;
}

export interface RateMatchReport {
  ratePercent: string;
  /** WooCommerce's VAT at this rate (tax_lines, to the cent). */
  wooVat: string;
  /** Rackbeat's VAT of the order's own lines, before rounding lines, per model. */
  naturalVat: Record<RoundingModel, string>;
  /** Rackbeat's VAT with the rounding lines (equal in both models and to `wooVat`). */
  rackbeatVat: string;
  /** Rounding lines added at this rate, and their total (moved out again at 0 %). */
  roundingLines: number;
  roundingAmount: string;
}

export interface RoundingLineReport {
  ratePercent: string;
  amount: string;
  purpose: "vat" | "total";
}

export interface MoneyMatchReport {
  wooTotal: string;
  rackbeatTotal: Record<RoundingModel, string>;
  /** Rackbeat total of the order's own lines (before rounding lines), per model. */
  naturalTotal: Record<RoundingModel, string>;
  rates: RateMatchReport[];
  roundingLines: RoundingLineReport[];
  /** True when Rackbeat's figures equal WooCommerce's under both models (always, or it throws). */
  exact: true;
}

const CENT = Money.parse("0.01");
const HALF_CENT = Money.parse("0.005");
const MAX_CARRIERS = 60;

function fmt(m: Money): string {
  return m.toFixed(2);
}

/** An exact half cent: where "half away from zero" and other rounding rules part ways. */
function isHalfCent(x: Money): boolean {
  const doubled = x.times(200);
  return doubled.isInteger() && doubled.units % 2n !== 0n;
}

function vatOf(amount: Money, percent: Money): Money {
  return exactVat(amount, percent).round(2);
}

/**
 * The ways of correcting one rate: `carriers` (possibly none) plus one final line out of `finals`
 * (an amount of zero means no final line). `finals` is empty when the rate needs no correction.
 */
export interface RateCorrectionOptions {
  needed: boolean;
  carriers: Money[];
  finals: { amount: Money; halves: number }[];
}

/**
 * Rounding-line options at one rate so that both models give `target`, with as few lines as possible.
 * `lineVat`: Σ per-line rounded VAT of the existing lines; `exactBase`: Σ exact line totals.
 * Null when no set of up to MAX_CARRIERS + 1 lines works (a 0 % rate that WooCommerce taxed).
 */
export function rateCorrectionOptions(percent: Money, lineVat: Money, exactBase: Money, target: Money): RateCorrectionOptions | null {
  const totalOk = (extraBase: Money) => vatOf(exactBase.plus(extraBase), percent).equals(target);
  const lineGap = target.minus(lineVat);
  if (lineGap.isZero() && totalOk(Money.ZERO)) return { needed: false, carriers: [], finals: [] };
  if (percent.isZero()) return null;

  // Carriers: small amounts whose VAT rounding error leans against the natural lines' error. The
  // smallest amount with (nearly) the largest error; one that avoids exact half cents is tried first.
  const naturalError = lineVat.minus(exactVat(exactBase, percent)); // Σ(rounded − exact), in money
  const wantedSign = -naturalError.sign();
  const carriers: { amount: Money; vat: Money }[] = [];
  if (wantedSign !== 0) {
    const options: { amount: Money; vat: Money; error: Money; half: boolean }[] = [];
    for (let cents = 1; cents <= 200; cents++) {
      const amount = Money.fromMinorUnits(cents * wantedSign, 2);
      const exact = exactVat(amount, percent);
      const vat = exact.round(2);
      const error = vat.minus(exact);
      if (error.sign() === wantedSign) options.push({ amount, vat, error, half: isHalfCent(exact) });
    }
    for (const half of [false, true]) {
      const pool = options.filter((o) => o.half === half);
      const largest = pool.reduce((m, o) => (o.error.abs().greaterThan(m) ? o.error.abs() : m), Money.ZERO);
      const good = pool.find((o) => !o.error.abs().lessThan(largest.times(Money.parse("0.8"))));
      if (good) carriers.push(good);
    }
  }

  for (let m = 0; m <= (carriers.length > 0 ? MAX_CARRIERS : 0); m++) {
    for (const carrier of m === 0 ? [null] : carriers) {
      const carriersBase = carrier ? carrier.amount.times(m) : Money.ZERO;
      const carriersVat = carrier ? carrier.vat.times(m) : Money.ZERO;
      const need = lineGap.minus(carriersVat); // what the final line's rounded VAT must be
      // round(c × r) = need  ⇒  c ∈ [(need − ½¢) / r, (need + ½¢) / r]
      const lo = need.minus(HALF_CENT).times(Money.HUNDRED).dividedBy(percent, 2, "floor").minus(CENT);
      const hi = need.plus(HALF_CENT).times(Money.HUNDRED).dividedBy(percent, 2, "ceil").plus(CENT);
      const finals: { amount: Money; halves: number }[] = [];
      for (let c = lo; !c.greaterThan(hi); c = c.plus(CENT)) {
        if (m === 0 && c.isZero()) continue;
        if (!vatOf(c, percent).equals(need)) continue;
        const extra = carriersBase.plus(c);
        if (!totalOk(extra)) continue;
        const halves =
          (c.isZero() ? 0 : Number(isHalfCent(exactVat(c, percent)))) + Number(isHalfCent(exactVat(exactBase.plus(extra), percent)));
        finals.push({ amount: c, halves });
      }
      if (finals.length > 0) {
        return { needed: true, carriers: carrier ? Array.from({ length: m }, () => carrier.amount) : [], finals };
      }
    }
  }
  return null;
}

/** The preferred correction of one rate on its own: fewest half cents, then the smallest amount. */
export function findRateCorrection(percent: Money, lineVat: Money, exactBase: Money, target: Money): { amounts: Money[] } | null {
  const options = rateCorrectionOptions(percent, lineVat, exactBase, target);
  if (!options) return null;
  if (!options.needed) return { amounts: [] };
  const size = (f: { amount: Money }) => Money.sum(options.carriers).plus(f.amount).abs();
  const best = [...options.finals].sort((a, b) => a.halves - b.halves || size(a).compare(size(b)))[0];
  const amounts = [...options.carriers];
  if (best && !best.amount.isZero()) amounts.push(best.amount);
  return { amounts };
}

/**
 * Picks one final amount per corrected rate so that, where possible, the corrections also close the
 * order total (no 0 % rounding line): fewest lines first, then fewest half cents, then the smallest
 * amounts. `gap` is what the order total still needs before any correction.
 */
function chooseFinals(options: { key: RateKey; o: RateCorrectionOptions }[], gap: Money): Map<RateKey, Money> {
  interface State {
    sum: Money;
    halves: number;
    size: Money;
    lines: number;
    picks: Map<RateKey, Money>;
  }
  let states: State[] = [{ sum: Money.ZERO, halves: 0, size: Money.ZERO, lines: 0, picks: new Map() }];
  for (const { key, o } of options) {
    const next = new Map<string, State>();
    const carriersBase = Money.sum(o.carriers);
    for (const state of states) {
      for (const f of o.finals) {
        const extra = carriersBase.plus(f.amount);
        const candidate: State = {
          sum: state.sum.plus(extra),
          halves: state.halves + f.halves,
          size: state.size.plus(extra.abs()),
          lines: state.lines + (f.amount.isZero() ? 0 : 1),
          picks: new Map(state.picks).set(key, f.amount),
        };
        const k = candidate.sum.toString();
        const existing = next.get(k);
        if (!existing || better(candidate, existing)) next.set(k, candidate);
      }
    }
    states = [...next.values()];
  }
  const cost = (s: State) => s.lines + (gap.minus(s.sum).isZero() ? 0 : 1);
  function better(a: State, b: State): boolean {
    if (a.lines !== b.lines) return a.lines < b.lines;
    if (a.halves !== b.halves) return a.halves < b.halves;
    return a.size.lessThan(b.size);
  }
  states.sort((a, b) => cost(a) - cost(b) || a.halves - b.halves || a.size.compare(b.size));
  return (states[0] as State).picks;
}

function totalsByModel(lines: readonly PricedLine[]) {
  return Object.fromEntries(ROUNDING_MODELS.map((m) => [m, computeTotals(lines, m)])) as Record<
    RoundingModel,
    ReturnType<typeof computeTotals>
  >;
}

/**
 * Adds the rounding lines that make `lines` land on `targets` under both rounding models, and reports
 * how. `roundingLine(percent, amount)` builds a rounding line (item number, name) for the caller.
 */
export function matchMoney(
  lines: readonly DraftLine[],
  targets: MatchTargets,
  roundingLine: (percent: Money, amount: Money) => DraftLine,
): { lines: DraftLine[]; report: MoneyMatchReport } {
  const natural = totalsByModel(lines);
  const out = [...lines];
  const rates: RateMatchReport[] = [];
  const roundingReports: RoundingLineReport[] = [];

  const percents = new Map<RateKey, Money>();
  for (const [key, t] of targets.vatByRate) percents.set(key, t.percent);
  for (const l of lines) percents.set(rateKey(l.vatPercent), l.vatPercent);

  const sortedKeys = [...percents.keys()].sort((a, b) => Money.parse(b).compare(Money.parse(a)));
  const perRate: { key: RateKey; percent: Money; target: Money; atRate: DraftLine[]; o: RateCorrectionOptions }[] = [];
  for (const key of sortedKeys) {
    const percent = percents.get(key) as Money;
    const target = targets.vatByRate.get(key)?.targetVat ?? Money.ZERO;
    const atRate = lines.filter((l) => rateKey(l.vatPercent) === key);
    const lineVat = Money.sum(atRate.map(lineModelVat));
    const exactBase = Money.sum(atRate.map(exactLineTotal));
    const o = rateCorrectionOptions(percent, lineVat, exactBase, target);
    if (!o) {
      throw new MoneyMatchingFailed(
        `no rounding lines make Rackbeat's VAT at ${key} % equal WooCommerce's ${fmt(target)} (lines give ${fmt(lineVat)})`,
      );
    }
    perRate.push({ key, percent, target, atRate, o });
  }
  if (!natural.line.subtotal.equals(natural.total.subtotal)) {
    throw new MoneyMatchingFailed(
      `Rackbeat's two rounding models disagree on the lines' net total (${fmt(natural.line.subtotal)} vs ${fmt(natural.total.subtotal)})`,
    );
  }
  // What the order total still needs once every rate has WooCommerce's VAT: Σ targets + natural base.
  const targetVat = Money.sum(perRate.map((r) => r.target));
  const gap = targets.total.minus(natural.line.subtotal).minus(targetVat);
  const finals = chooseFinals(
    perRate.filter((r) => r.o.needed).map((r) => ({ key: r.key, o: r.o })),
    gap,
  );

  for (const { key, percent, target, atRate, o } of perRate) {
    const final = finals.get(key);
    const amounts = [...o.carriers, ...(final && !final.isZero() ? [final] : [])];
    for (const amount of amounts) {
      out.push(roundingLine(percent, amount));
      roundingReports.push({ ratePercent: key, amount: fmt(amount), purpose: "vat" });
    }
    if (percent.isZero() && atRate.length === 0 && target.isZero()) continue;
    rates.push({
      ratePercent: key,
      wooVat: fmt(target),
      naturalVat: {
        line: fmt(natural.line.byRate.get(key)?.vat ?? Money.ZERO),
        total: fmt(natural.total.byRate.get(key)?.vat ?? Money.ZERO),
      },
      rackbeatVat: fmt(target),
      roundingLines: amounts.length,
      roundingAmount: fmt(Money.sum(amounts)),
    });
  }

  // What is left of the order total goes on one 0 % line (it cannot change any rate's VAT).
  const afterVat = totalsByModel(out);
  if (!afterVat.line.total.equals(afterVat.total.total)) {
    throw new MoneyMatchingFailed(
      `Rackbeat's two rounding models disagree on the lines (${fmt(afterVat.line.total)} vs ${fmt(afterVat.total.total)})`,
    );
  }
  const rest = targets.total.minus(afterVat.line.total);
  if (!rest.isZero()) {
    out.push(roundingLine(Money.ZERO, rest));
    roundingReports.push({ ratePercent: "0", amount: fmt(rest), purpose: "total" });
  }

  // Prove it, both ways.
  const final = totalsByModel(out);
  for (const model of ROUNDING_MODELS) {
    const t = final[model];
    if (!t.total.equals(targets.total)) {
      throw new MoneyMatchingFailed(`model "${model}": Rackbeat total ${fmt(t.total)} ≠ WooCommerce total ${fmt(targets.total)}`);
    }
    for (const key of new Set([...t.byRate.keys(), ...targets.vatByRate.keys()])) {
      const got = t.byRate.get(key)?.vat ?? Money.ZERO;
      const want = targets.vatByRate.get(key)?.targetVat ?? Money.ZERO;
      if (!got.equals(want)) {
        throw new MoneyMatchingFailed(`model "${model}": VAT at ${key} % is ${fmt(got)}, WooCommerce has ${fmt(want)}`);
      }
    }
  }

  return {
    lines: out,
    report: {
      wooTotal: fmt(targets.total),
      rackbeatTotal: { line: fmt(final.line.total), total: fmt(final.total.total) },
      naturalTotal: { line: fmt(natural.line.total), total: fmt(natural.total.total) },
      rates,
      roundingLines: roundingReports,
      exact: true,
    },
  };
}
