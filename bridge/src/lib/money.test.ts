import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Money, MoneyParseError, money } from "./money.js";

describe("Money.parse", () => {
  it.each([
    ["0", "0"],
    ["19.99", "19.99"],
    ["19.990", "19.99"],
    ["-0.005", "-0.005"],
    ["45.935261", "45.935261"],
    ["259.948", "259.948"],
    ["1e-5", "0.00001"],
    ["-7.14e-05", "-0.0000714"],
    ["2.86e-05", "0.0000286"],
    ["1.5E3", "1500"],
    [".5", "0.5"],
    ["5.", "5"],
    ["+3", "3"],
    ["-0", "0"],
  ])("reads %j exactly as %s", (input, expected) => {
    expect(Money.parse(input).toString()).toBe(expected);
  });

  it.each(["", " 1", "1 ", "1,5", "1.000,00", "NaN", "Infinity", "abc", "-", ".", "1e", "0x10", "1.2.3"])(
    "refuses %j with a MoneyParseError",
    (input) => {
      expect(() => Money.parse(input)).toThrow(MoneyParseError);
    },
  );

  it("reads JSON numbers through their shortest decimal string", () => {
    expect(Money.fromNumber(0.1).toString()).toBe("0.1");
    expect(Money.fromNumber(12.489999999999998).toString()).toBe("12.489999999999998");
    expect(Money.fromNumber(25).toString()).toBe("25");
    expect(() => Money.fromNumber(Number.NaN)).toThrow(MoneyParseError);
  });
});

describe("Money arithmetic", () => {
  it("adds what floats get wrong", () => {
    expect(money("0.1").plus(money("0.2")).toString()).toBe("0.3");
    expect(Money.sum(["59.988", "0.001", "0.011"].map(money)).toString()).toBe("60");
  });

  it("multiplies exactly", () => {
    expect(money("19.996").times(13).toString()).toBe("259.948");
    expect(money("66.910714").times(money("0.12")).toString()).toBe("8.02928568");
  });

  it("rounds half away from zero by default", () => {
    expect(money("1.005").round(2).toString()).toBe("1.01");
    expect(money("-1.005").round(2).toString()).toBe("-1.01");
    expect(money("1.0049").round(2).toString()).toBe("1");
    expect(money("49.975").round(2).toString()).toBe("49.98");
    expect(money("-0.000714").round(2).toString()).toBe("0");
  });

  it("supports the other rounding modes", () => {
    expect(money("2.345").round(2, "half-even").toString()).toBe("2.34");
    expect(money("2.355").round(2, "half-even").toString()).toBe("2.36");
    expect(money("-2.341").round(2, "floor").toString()).toBe("-2.35");
    expect(money("-2.341").round(2, "ceil").toString()).toBe("-2.34");
    expect(money("-2.349").round(2, "trunc").toString()).toBe("-2.34");
  });

  it("divides with an explicit number of decimals", () => {
    expect(money("316.22").dividedBy(3, 6).toString()).toBe("105.406667");
    expect(money("316.22").dividedBy(3, 6, "trunc").toString()).toBe("105.406666");
    expect(money("-1").dividedBy(3, 2).toString()).toBe("-0.33");
    expect(money("2").dividedBy(3, 0).toString()).toBe("1");
    expect(money("1").dividedBy(money("0.04"), 0).toString()).toBe("25");
    expect(() => money("1").dividedBy(0, 2)).toThrow(RangeError);
    expect(money("316.22").dividesExactly(money(4), 6)).toBe(true);
    expect(money("316.22").dividesExactly(money(3), 6)).toBe(false);
  });

  it("formats for Rackbeat and for WooCommerce", () => {
    expect(money("59.988").toFixed(2)).toBe("59.99");
    expect(money("5").toFixed(3)).toBe("5.000");
    expect(money("-0.5").toFixed(2)).toBe("-0.50");
    expect(money("-0.004").toFixed(2)).toBe("0.00");
    expect(money("105.406667").toNumber()).toBe(105.406667);
    expect(money("-0").toNumber()).toBe(0);
    expect(JSON.stringify({ a: money("1.50") })).toBe('{"a":"1.5"}');
  });

  it("converts to and from minor units", () => {
    expect(Money.fromMinorUnits(1999n, 2).toString()).toBe("19.99");
    expect(Money.fromMinorUnits(-5, 3).toString()).toBe("-0.005");
    expect(money("19.9").toMinorUnits(2)).toBe(1990n);
    expect(() => money("19.999").toMinorUnits(2)).toThrow(RangeError);
  });

  it("compares across scales", () => {
    expect(money("1.50").equals(money("1.5"))).toBe(true);
    expect(money("1.5").compare(money("1.499"))).toBe(1);
    expect(money("-2").lessThan(money("-1.999"))).toBe(true);
    expect(money("0.000").isZero()).toBe(true);
  });
});

describe("Money properties", () => {
  const decimalString = fc
    .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 8 }))
    .map(([units, scale]) => Money.fromMinorUnits(units, scale).toString());

  it("parse ∘ toString is the identity", () => {
    fc.assert(
      fc.property(decimalString, (s) => {
        expect(Money.parse(s).toString()).toBe(s);
      }),
    );
  });

  it("addition and subtraction are exact inverses", () => {
    fc.assert(
      fc.property(decimalString, decimalString, (a, b) => {
        expect(money(a).plus(money(b)).minus(money(b)).equals(money(a))).toBe(true);
      }),
    );
  });

  it("rounding to cents agrees with integer half-away-from-zero rounding of minor units", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), (mills) => {
        const rounded = Money.fromMinorUnits(mills, 3).round(2).toMinorUnits(2);
        const abs = mills < 0n ? -mills : mills;
        const expectedAbs = (abs + 5n) / 10n;
        expect(rounded).toBe(mills < 0n ? -expectedAbs : expectedAbs);
      }),
    );
  });

  it("dividedBy rounds to within half a unit of the last place", () => {
    fc.assert(
      fc.property(decimalString, fc.integer({ min: 1, max: 999 }), (a, q) => {
        const quotient = money(a).dividedBy(q, 6);
        const error = quotient.times(q).minus(money(a)).abs();
        expect(error.compare(money("0.0000005").times(q))).toBeLessThanOrEqual(0);
      }),
    );
  });
});
