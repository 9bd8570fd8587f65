import { describe, expect, it } from "vitest";
import { addPrecision, dec, formatDp, phpFloatString, phpRound, storeFloat } from "./php-math.js";

describe("PHP rounding", () => {
  it("rounds halves away from zero (PHP_ROUND_HALF_UP) or towards zero (PHP_ROUND_HALF_DOWN)", () => {
    expect(phpRound(dec("1.005"), 2).toString()).toBe("1.01");
    expect(phpRound(dec("-1.005"), 2).toString()).toBe("-1.01");
    expect(phpRound(dec("6.825"), 2, "half_down").toString()).toBe("6.82");
    expect(phpRound(dec("-6.825"), 2, "half_down").toString()).toBe("-6.82");
    expect(phpRound(dec("6.8251"), 2, "half_down").toString()).toBe("6.83");
  });

  it("formats like wc_format_decimal( $x, $dp ) in PHP 8: no negative zero", () => {
    expect(formatDp(dec("-0.000714"), 2)).toBe("0.00");
    expect(formatDp(dec("59.988"), 2)).toBe("59.99");
    expect(formatDp(dec("427.45"), 3)).toBe("427.450");
    expect(formatDp(dec("-25"), 2)).toBe("-25.00");
  });

  it("stores floats with 6 decimals, trailing zeros trimmed", () => {
    expect(storeFloat(dec("26.73584906")).toString()).toBe("26.735849");
    expect(phpFloatString(dec("11.40"))).toBe("11.4");
    expect(phpFloatString(dec("100"))).toBe("100");
    expect(phpFloatString(dec("0"))).toBe("0");
    expect(phpFloatString(dec("11.39574999"))).toBe("11.39575");
  });

  it("adds number precision: cents with 4 (2 dp) or 3 (3 dp) further decimals", () => {
    expect(addPrecision(dec("59.988"), { priceDecimals: 2 }).toString()).toBe("5998.8");
    expect(addPrecision(dec("0.0000714"), { priceDecimals: 2 }).toString()).toBe("0.0071");
    expect(addPrecision(dec("19.9964"), { priceDecimals: 3 }).toString()).toBe("19996.4");
  });
});
