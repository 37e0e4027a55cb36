import { formatPounds, parsePounds, penceToPounds, type Pence } from "../../src/mtd/money";

function pence(input: number | string): number {
  const r = parsePounds(input);
  if (!r.ok) throw new Error(`${String(input)}: ${r.error.kind}`);
  return r.value;
}

describe("parsePounds", () => {
  it.each([
    [0, 0],
    [1234.56, 123456],
    [-842.99, -84299],
    [99999999999.99, 9999999999999],
    ["1,234.5", 123450],
    ["£10", 1000],
    [" 0.07 ", 7],
  ])("reads %p as %p pence", (input, expected) => {
    expect(pence(input)).toBe(expected);
  });

  it("reads a formula's float noise at Excel's 15-digit precision", () => {
    expect(pence(0.1 + 0.2)).toBe(30);
    expect(pence(1.005 * 1000)).toBe(100500);
  });

  it("reads the noise a subtraction of large amounts leaves as whole pence, but not a typed sixth decimal", () => {
    // 1234567.89 - 1230000.12 is 4567.769999999786: at 15 digits, 4567.76999999979, once refused as 11 decimals.
    expect(pence(1234567.89 - 1230000.12)).toBe(456777);
    expect(pence(500_000_000 - 500_009_675.35)).toBe(-967535);
    for (const input of [12.000001, -0.000001, 99_999_999.999999]) {
      const r = parsePounds(input);
      expect([input, r.ok || r.error.kind]).toEqual([input, "too-many-decimals"]);
    }
  });

  it.each([12.345, "1.001", 0.005])("rejects %p for having three decimals", (input) => {
    const r = parsePounds(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe("too-many-decimals");
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, "abc", "", "1.2.3", "12e3"])("rejects %p as not a number", (input) => {
    const r = parsePounds(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe("not-a-number");
  });

  it("rejects amounts far outside HMRC's range", () => {
    const r = parsePounds(1e16);
    expect(r.ok && r.value).toBe(false);
  });

  it("round-trips through HMRC's JSON number without drift", () => {
    for (const p of [1, 10, 99, 123456, 9999999999999, -84299]) {
      expect(pence(penceToPounds(p as Pence))).toBe(p);
    }
  });
});

describe("formatPounds", () => {
  it("formats pence for people", () => {
    expect(formatPounds(123456 as Pence)).toBe("£1,234.56");
    expect(formatPounds(-5 as Pence)).toBe("-£0.05");
  });
});
