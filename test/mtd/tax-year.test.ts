import { isoDate } from "../../src/mtd/dates";
import { parseTaxYear, taxYearEnd, taxYearOf, taxYearStart, type TaxYear } from "../../src/mtd/tax-year";
import { quarterEndingOn, quartersOf } from "../../src/mtd/quarters";

describe("tax years", () => {
  it("accepts HMRC's format and rejects the rest with HMRC's codes", () => {
    expect(parseTaxYear("2025-26")).toEqual({ ok: true, value: "2025-26" });
    expect(parseTaxYear("2025-27")).toEqual({ ok: false, error: "RULE_TAX_YEAR_RANGE_INVALID" });
    expect(parseTaxYear("2025/26")).toEqual({ ok: false, error: "FORMAT_TAX_YEAR" });
    expect(parseTaxYear("1999-00")).toEqual({ ok: false, error: "FORMAT_TAX_YEAR" });
    expect(parseTaxYear(2025)).toEqual({ ok: false, error: "FORMAT_TAX_YEAR" });
  });

  it("runs from 6 April to 5 April", () => {
    const ty = "2025-26" as TaxYear;
    expect(taxYearStart(ty)).toBe("2025-04-06");
    expect(taxYearEnd(ty)).toBe("2026-04-05");
    expect(taxYearOf(isoDate(2026, 4, 5))).toBe("2025-26");
    expect(taxYearOf(isoDate(2026, 4, 6))).toBe("2026-27");
  });
});

describe("quarters", () => {
  it("gives standard cumulative quarters with deadlines on the 5th for 2025-26", () => {
    const qs = quartersOf("2025-26" as TaxYear, "standard");
    expect(qs.map((q) => [q.start, q.end, q.cumulativeStart, q.due])).toEqual([
      ["2025-04-06", "2025-07-05", "2025-04-06", "2025-08-05"],
      ["2025-07-06", "2025-10-05", "2025-04-06", "2025-11-05"],
      ["2025-10-06", "2026-01-05", "2025-04-06", "2026-02-05"],
      ["2026-01-06", "2026-04-05", "2025-04-06", "2026-05-05"],
    ]);
  });

  it("moves deadlines to the 7th from 2026-27 and knows calendar quarters", () => {
    const qs = quartersOf("2026-27" as TaxYear, "calendar");
    expect(qs.map((q) => [q.start, q.end, q.due])).toEqual([
      ["2026-04-01", "2026-06-30", "2026-08-07"],
      ["2026-07-01", "2026-09-30", "2026-11-07"],
      ["2026-10-01", "2026-12-31", "2027-02-07"],
      ["2027-01-01", "2027-03-31", "2027-05-07"],
    ]);
  });

  it("finds the quarter an obligation's period end belongs to", () => {
    expect(quarterEndingOn("2025-26" as TaxYear, isoDate(2025, 10, 5))).toMatchObject({ quarter: 2, basis: "standard" });
    expect(quarterEndingOn("2025-26" as TaxYear, isoDate(2025, 12, 31))).toMatchObject({ quarter: 3, basis: "calendar" });
    expect(quarterEndingOn("2025-26" as TaxYear, isoDate(2025, 11, 1))).toBeUndefined();
  });
});
