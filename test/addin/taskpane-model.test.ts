import type { IsoDate, ObligationsResponse, TaxYear } from "../../src/mtd";
import { chooseTaxYear, defaultTaxYear, locateMessages, openPeriods, taxYearChoices } from "../../src/addin/taskpane/model";

const d = (s: string) => s as IsoDate;

describe("tax years offered", () => {
  it("defaults to the tax year of today, never before 2025-26", () => {
    expect(defaultTaxYear(d("2026-04-05"))).toBe("2025-26");
    expect(defaultTaxYear(d("2026-04-06"))).toBe("2026-27");
    expect(defaultTaxYear(d("2024-12-01"))).toBe("2025-26");
  });

  it("lists 2025-26 up to the current year, newest first", () => {
    expect(taxYearChoices(d("2027-05-01"))).toEqual(["2027-28", "2026-27", "2025-26"]);
  });

  it("keeps a stored year only if it can be chosen", () => {
    expect(chooseTaxYear("2025-26", d("2026-11-21"))).toBe("2025-26");
    expect(chooseTaxYear("2024-25", d("2026-11-21"))).toBe("2026-27");
    expect(chooseTaxYear("nonsense", d("2026-11-21"))).toBe("2026-27");
    expect(chooseTaxYear(undefined, d("2026-11-21"))).toBe("2026-27");
  });
});

describe("openPeriods", () => {
  const response = (details: ObligationsResponse["obligations"][number]["obligationDetails"], businessId = "XPIS12345678901"): ObligationsResponse => ({
    obligations: [{ typeOfBusiness: "uk-property", businessId, obligationDetails: details }],
  });
  const q = (start: string, end: string, due: string, status: "open" | "fulfilled" = "open") => ({ periodStartDate: start, periodEndDate: end, dueDate: due, status });

  it("lists open periods of the business in the tax year, oldest first, with overdue and availability", () => {
    const periods = openPeriods(
      response([
        q("2026-10-06", "2027-01-05", "2027-02-07"),
        q("2026-04-06", "2026-07-05", "2026-08-07"),
        q("2026-07-06", "2026-10-05", "2026-11-07", "fulfilled"),
        q("2025-04-06", "2025-07-05", "2025-08-07"), // another tax year
      ]),
      "XPIS12345678901",
      "2026-27" as TaxYear,
      d("2026-12-27"),
    );
    expect(periods.map((p) => [p.end, p.overdue, p.canSubmit, p.quarter?.quarter])).toEqual([
      ["2026-07-05", true, true, 1],
      ["2027-01-05", false, true, 3], // 10 days before the end is 2026-12-26
    ]);
    expect(periods[1]!.availableFrom).toBe("2026-12-26");
  });

  it("does not offer a period HMRC would refuse as too early", () => {
    const [p] = openPeriods(response([q("2026-10-06", "2027-01-05", "2027-02-07")]), "XPIS12345678901", "2026-27" as TaxYear, d("2026-12-25"));
    expect(p).toMatchObject({ canSubmit: false, overdue: false });
  });

  it("ignores other businesses and malformed entries", () => {
    expect(openPeriods(response([q("2026-04-06", "2026-07-05", "2026-08-07")], "XBIS12345678901"), "XPIS12345678901", "2026-27" as TaxYear, d("2026-11-21"))).toEqual([]);
    expect(openPeriods(response([q("06/04/2026", "2026-07-05", "2026-08-07")]), "XPIS12345678901", "2026-27" as TaxYear, d("2026-11-21"))).toEqual([]);
    expect(openPeriods(undefined, "XPIS12345678901", "2026-27" as TaxYear, d("2026-11-21"))).toEqual([]);
  });

  it("recognises calendar quarters too", () => {
    const [p] = openPeriods(response([q("2026-04-01", "2026-06-30", "2026-08-07")]), "XPIS12345678901", "2026-27" as TaxYear, d("2026-11-21"));
    expect(p?.quarter).toMatchObject({ basis: "calendar", quarter: 1, cumulativeStart: "2026-04-01" });
  });
});

describe("locating HMRC's errors in the workbook", () => {
  const figures = [
    { pointer: "/ukProperty/income/periodAmount", label: "SA105 box 20: rents", address: "'Property'!C5:D5" },
    { pointer: "/ukProperty/expenses/other", label: "SA105 box 29: other", address: undefined },
    { pointer: "/ukProperty/expenses/professionalFees", label: "SA105 box 27: fees", address: "'Property'!C9" },
  ];

  it("maps JSON pointers to the figures' labels and the cells they came from", () => {
    const located = locateMessages(
      [
        { message: "Amounts out of range", paths: ["/ukProperty/income/periodAmount", "/ukProperty/expenses/other"] },
        { message: "Dates wrong", paths: ["/toDate"] },
      ],
      figures,
    );
    expect(located[0]).toEqual({ message: "Amounts out of range", cells: ["'Property'!C5:D5"], fields: ["SA105 box 20: rents", "SA105 box 29: other"] });
    expect(located[1]).toEqual({ message: "Dates wrong", cells: [], fields: [] });
  });

  it("a pointer at an object names every figure inside it, and nothing outside", () => {
    const [both] = locateMessages([{ message: "Both expenses", paths: ["/ukProperty/expenses"] }], figures);
    expect(both).toEqual({ message: "Both expenses", cells: ["'Property'!C9"], fields: ["SA105 box 29: other", "SA105 box 27: fees"] });
    const [prefix] = locateMessages([{ message: "x", paths: ["/ukProperty/expenses/other"] }], [{ pointer: "/ukProperty/expenses/otherThing", label: "no", address: "A1" }]);
    expect(prefix).toEqual({ message: "x", cells: [], fields: [] });
  });
});
