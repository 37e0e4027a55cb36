import { fieldsFor, parseTaxYear, type Pence, type TaxYear } from "../../src/mtd";
import { diffAgainstLastSubmission, diffForeignAgainstLastSubmission } from "../../src/workbook/submission-diff";

const taxYear = (parseTaxYear("2025-26") as { ok: true; value: TaxYear }).value;
const p = (n: number) => n as Pence;
const label = (path: string) => fieldsFor("uk-property", taxYear).find((f) => f.path === path)!.label;

/** HMRC's cumulative retrieve body for Q1 as the sandbox and HMRC return it. */
const lastQuarter = {
  submittedOn: "2025-08-01T10:15:03.123Z",
  fromDate: "2025-04-06",
  toDate: "2025-07-05",
  ukProperty: { income: { periodAmount: 3000, premiumsOfLeaseGrant: 100.5 }, expenses: { premisesRunningCosts: 400.25, repairsAndMaintenance: 50 } },
};

describe("diffAgainstLastSubmission", () => {
  const next = new Map<string, Pence>([
    ["income.periodAmount", p(600000)],
    ["expenses.premisesRunningCosts", p(30000)],
    ["expenses.residentialFinancialCost", p(12000)],
  ]);
  const sources = new Map([
    ["income.periodAmount", "'Property income'!B6"],
    ["expenses.premisesRunningCosts", "Expenses!C3"],
  ]);
  const diff = diffAgainstLastSubmission({ type: "uk-property", taxYear, previous: lastQuarter, next, sources });
  const row = (path: string) => diff.rows.find((r) => r.path === path)!;

  test("lists every field in either submission, in HMRC's order, with previous, new, change and source cell", () => {
    expect(diff.rows.map((r) => r.path)).toEqual([
      "income.premiumsOfLeaseGrant",
      "income.periodAmount",
      "expenses.premisesRunningCosts",
      "expenses.repairsAndMaintenance",
      "expenses.residentialFinancialCost",
    ]);
    expect(row("income.periodAmount")).toEqual({
      path: "income.periodAmount",
      label: label("income.periodAmount"),
      previous: 300000,
      next: 600000,
      change: 300000,
      source: "'Property income'!B6",
      lower: false,
    });
    expect(row("expenses.residentialFinancialCost")).toMatchObject({ previous: undefined, next: 12000, change: 12000, lower: false });
    expect(diff.previousToDate).toBe("2025-07-05");
  });

  test("a figure lower than last time, or no longer supplied, is a warning naming the cell", () => {
    expect(row("expenses.premisesRunningCosts")).toMatchObject({ previous: 40025, next: 30000, change: -10025, lower: true });
    expect(row("income.premiumsOfLeaseGrant")).toMatchObject({ previous: 10050, next: undefined, change: -10050, lower: true });
    expect(diff.warnings.map((w) => [w.path, w.address])).toEqual([
      ["income.premiumsOfLeaseGrant", undefined],
      ["expenses.premisesRunningCosts", "Expenses!C3"],
      ["expenses.repairsAndMaintenance", undefined],
    ]);
    expect(diff.warnings[1]!.message).toMatch(/^Expenses!C3 \(.+\) is £300\.00, lower than the £400\.25 sent last time for the year to 2025-07-05\./);
  });

  test("unchanged figures are listed with no change and no warning", () => {
    const same = diffAgainstLastSubmission({ type: "uk-property", taxYear, previous: lastQuarter, next: new Map([["income.periodAmount", p(300000)]]), sources: new Map() });
    expect(same.rows.find((r) => r.path === "income.periodAmount")).toMatchObject({ change: 0, lower: false });
  });

  test("a body that is not HMRC's shape gives no previous figures rather than failing", () => {
    const none = diffAgainstLastSubmission({ type: "uk-property", taxYear, previous: { ukProperty: "nonsense" }, next, sources });
    expect(none.rows.every((r) => r.previous === undefined)).toBe(true);
    expect(none.warnings).toEqual([]);
    expect(none.previousToDate).toBeUndefined();
  });

  test("self-employment's figures sit at the top of the body", () => {
    const se = diffAgainstLastSubmission({
      type: "self-employment",
      taxYear,
      previous: { periodDates: {}, periodIncome: { turnover: 1000 } },
      next: new Map([["periodIncome.turnover", p(90000)]]),
      sources: new Map(),
    });
    expect(se.rows).toEqual([expect.objectContaining({ path: "periodIncome.turnover", previous: 100000, next: 90000, lower: true })]);
  });
});

describe("diffForeignAgainstLastSubmission", () => {
  const TY = "2025-26" as TaxYear;
  test("compares entry by entry, including an entry sent last time and missing now", () => {
    const previous = {
      toDate: "2025-07-05",
      foreignProperty: [
        { countryCode: "FRA", income: { rentIncome: { rentAmount: 1000 } } },
        { countryCode: "ESP", income: { rentIncome: { rentAmount: 300 } } },
      ],
    };
    const diff = diffForeignAgainstLastSubmission({
      taxYear: TY,
      previous,
      entries: [{ id: "FRA", next: new Map([["income.rentIncome.rentAmount", 250000 as Pence]]), sources: new Map([["income.rentIncome.rentAmount", "Foreign!C4"]]) }],
    });
    expect(diff.rows.map((r) => [r.entry, r.path, r.previous, r.next, r.change])).toEqual([
      ["FRA", "income.rentIncome.rentAmount", 100000, 250000, 150000],
      ["ESP", "income.rentIncome.rentAmount", 30000, undefined, -30000],
    ]);
    expect(diff.warnings).toEqual([expect.objectContaining({ entry: "ESP", address: undefined, message: expect.stringMatching(/\(ESP\) is £0\.00, lower than the £300\.00 sent last time for the year to 2025-07-05/) })]);
    expect(diff.previousToDate).toBe("2025-07-05");
  });
});
