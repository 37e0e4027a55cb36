import { quarterOf, validateCumulative, type QuarterNumber, type TaxYear } from "../../src/mtd";
import { hasExternalLink } from "../../src/workbook/digital-links";
import type { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { namedRowsWorkbook, type FixtureCell } from "./named-fixtures";
import { prepareQuarterlyUpdate, type UpdateRequest, type UpdateTarget } from "../../src/workbook/quarterly-update";
import { mappingFromSettings, type WorkbookMapping } from "../../src/workbook/workbook-mapping";
import { ledgerWorkbook } from "./ledger-fixtures";

const TY25 = "2025-26" as TaxYear;
const TY26 = "2026-27" as TaxYear;
const SHOP_ID = "XAIS12345678901";
const VILLA_ID = "8e8b8450-dc1b-4360-8109-7067337b42cb";
const SHEET = "Records";
const MAPPING = mappingFromSettings({ "alias.shop": SHOP_ID, "alias.villa": VILLA_ID });

/** One row per name from row 2 down, from column B; a number is entered as a formula's cached result unless `typed`. */
function workbookWith(rows: Record<string, FixtureCell[]>, typed = false): InMemoryWorkbook {
  return namedRowsWorkbook(SHEET, rows, (value, row) => (typed ? { value } : { value, formula: `=Ledger!Z${row}+0` }));
}

function request(target: UpdateTarget, taxYear: TaxYear, quarter: QuarterNumber, mapping: WorkbookMapping = MAPPING): UpdateRequest {
  return { target, quarter: quarterOf(taxYear, "standard", quarter), mapping };
}

const errors = (u: { problems: readonly { severity: string; message: string }[] }) => u.problems.filter((p) => p.severity === "error").map((p) => p.message);
const warnings = (u: { problems: readonly { severity: string; message: string }[] }) => u.problems.filter((p) => p.severity === "warning").map((p) => p.message);

describe("prepareQuarterlyUpdate from named ranges", () => {
  test("self-employment by alias: year to date summed from quarter cells, period dates from the quarter", async () => {
    const wb = workbookWith({
      "MTD.SE.shop.periodIncome.turnover": [1000.1, 2000.25, 3000, 4000],
      "MTD.SE.shop.periodExpenses.costOfGoods": [100, 200, 300, 400],
      "MTD.SE.XAIS00000000002.periodIncome.turnover": [9],
    });
    const u = await prepareQuarterlyUpdate(wb, request({ type: "self-employment", businessId: SHOP_ID }, TY25, 2));
    expect(errors(u)).toEqual([]);
    expect(u.endpoint).toBe("self-employment.cumulative.amend");
    expect(u.body).toEqual({
      periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2025-10-05" },
      periodIncome: { turnover: 3000.35 },
      periodExpenses: { costOfGoods: 300 },
    });
    expect(u.lines.map((l) => [l.pointer, l.pence, l.source])).toEqual([
      ["/periodIncome/turnover", 300035, "Records!B2:C2"],
      ["/periodExpenses/costOfGoods", 30000, "Records!B3:C3"],
    ]);
  });

  test("foreign property 2026-27: one entry per property alias, keyed by propertyId", async () => {
    const wb = workbookWith({ "MTD.FP.villa.income.rentIncome.rentAmount": [1200], "MTD.FP.villa.expenses.repairsAndMaintenance": [80.5] });
    const u = await prepareQuarterlyUpdate(wb, request({ type: "foreign-property", businessId: "XPIS12345678901" }, TY26, 1));
    expect(errors(u)).toEqual([]);
    expect(u.body).toEqual({
      fromDate: "2026-04-06",
      toDate: "2026-07-05",
      foreignProperty: [{ propertyId: VILLA_ID, income: { rentIncome: { rentAmount: 1200 } }, expenses: { repairsAndMaintenance: 80.5 } }],
    });
    expect(validateCumulative("foreign-property", TY26, u.body)).toEqual([]);
  });

  test("foreign property 2026-27 named by a country code is refused at its name, nothing is built to send", async () => {
    const wb = workbookWith({ "MTD.FP.FRA.income.rentIncome.rentAmount": [1200] });
    const u = await prepareQuarterlyUpdate(wb, request({ type: "foreign-property" }, TY26, 1));
    expect(u.canSubmit).toBe(false);
    expect(u.body).toBeUndefined();
    expect(u.problems[0]).toMatchObject({ severity: "error", name: "MTD.FP.FRA.income.rentIncome.rentAmount", address: "Records!B2" });
    expect(u.problems[0]!.message).toMatch(/property ID/);
  });

  test("a business with no names gets one error saying what to name", async () => {
    const u = await prepareQuarterlyUpdate(workbookWith({ "MTD.UKP.income.periodAmount": [10] }), request({ type: "self-employment", businessId: SHOP_ID }, TY25, 1));
    expect(u.canSubmit).toBe(false);
    expect(errors(u)).toEqual([expect.stringMatching(/No cells are named for this self-employment .*MTD\.SE\.<business ID or alias>\.periodIncome\.turnover/)]);
  });

  test("typed numbers and links to other workbooks warn without blocking", async () => {
    const wb = workbookWith({
      "MTD.UKP.income.periodAmount": [{ value: 5000 }],
      "MTD.UKP.expenses.repairsAndMaintenance": [{ value: 120, formula: "='C:\\Books\\[Repairs 2025.xlsx]Jobs'!$C$9" }],
      "MTD.UKP.expenses.professionalFees": [{ value: 30, formula: "=SUM(Costs[Fees])" }],
    });
    const u = await prepareQuarterlyUpdate(wb, request({ type: "uk-property" }, TY25, 1));
    expect(u.canSubmit).toBe(true);
    const byCell = Object.fromEntries(u.problems.map((p) => [p.address, `${p.severity}: ${p.message}`]));
    expect(Object.keys(byCell).sort()).toEqual(["Records!B2", "Records!B3"]);
    expect(byCell["Records!B2"]).toMatch(/^warning: Records!B2 holds a typed number rather than a formula/);
    expect(byCell["Records!B3"]).toMatch(/^warning: Records!B3 links to another workbook/);
  });

  test("consolidated expenses: refused at £90,000 of turnover, warned when the year is heading there", async () => {
    const over = workbookWith({ "MTD.UKP.income.periodAmount": [90_000], "MTD.UKP.expenses.consolidatedExpenses": [5000] });
    const refused = await prepareQuarterlyUpdate(over, request({ type: "uk-property" }, TY25, 3));
    expect(refused.canSubmit).toBe(false);
    expect(refused.problems).toEqual([expect.objectContaining({ severity: "error", address: "Records!B3", field: "expenses.consolidatedExpenses" })]);
    expect(refused.problems[0]!.message).toMatch(/under £90,000.*£90,000\.00/);

    const heading = workbookWith({ "MTD.UKP.income.periodAmount": [22_500], "MTD.UKP.income.taxDeducted": [50_000], "MTD.UKP.expenses.consolidatedExpenses": [5000] });
    const warned = await prepareQuarterlyUpdate(heading, request({ type: "uk-property" }, TY25, 1));
    expect(warned.canSubmit).toBe(true);
    expect(warnings(warned)).toEqual([expect.stringMatching(/will pass £90,000/)]);

    const under = workbookWith({ "MTD.UKP.income.periodAmount": [22_499.99], "MTD.UKP.expenses.consolidatedExpenses": [5000] });
    expect((await prepareQuarterlyUpdate(under, request({ type: "uk-property" }, TY25, 1))).problems).toEqual([]);
  });

  test("consolidated with itemised expenses is located at a cell; residential finance costs may sit beside it", async () => {
    const both = workbookWith({ "MTD.UKP.expenses.consolidatedExpenses": [500], "MTD.UKP.expenses.repairsAndMaintenance": [20] });
    const u = await prepareQuarterlyUpdate(both, request({ type: "uk-property" }, TY25, 1));
    expect(u.canSubmit).toBe(false);
    expect(u.problems).toEqual([expect.objectContaining({ severity: "error", address: expect.stringMatching(/^Records!B[23]$/), message: expect.stringMatching(/RULE_BOTH_EXPENSES_SUPPLIED/) })]);
    const fine = workbookWith({ "MTD.UKP.expenses.consolidatedExpenses": [500], "MTD.UKP.expenses.residentialFinancialCost": [20] });
    expect((await prepareQuarterlyUpdate(fine, request({ type: "uk-property" }, TY25, 1))).canSubmit).toBe(true);
  });

  test("the trading allowance sends income only, saying which cells were left out", async () => {
    const mapping = mappingFromSettings({ "alias.shop": SHOP_ID, [`business.${SHOP_ID}.allowance`]: "trading" });
    const wb = workbookWith({ "MTD.SE.shop.periodIncome.turnover": [800], "MTD.SE.shop.periodExpenses.adminCosts": [40] });
    const u = await prepareQuarterlyUpdate(wb, request({ type: "self-employment", businessId: SHOP_ID }, TY25, 1, mapping));
    expect(u.canSubmit).toBe(true);
    expect(u.body).toEqual({ periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2025-07-05" }, periodIncome: { turnover: 800 } });
    expect(u.problems).toEqual([expect.objectContaining({ severity: "warning", address: "Records!B3", message: expect.stringMatching(/not sent.*trading allowance/) })]);
  });
});

describe("prepareQuarterlyUpdate from the ledger", () => {
  test("a business in ledger mode is read from MTD_Ledger, with the counts of what was used", async () => {
    const mapping = mappingFromSettings({ "alias.shop": SHOP_ID, [`business.${SHOP_ID}.mode`]: "ledger" });
    const wb = ledgerWorkbook([
      ["2025-04-10", 100.1, "Sales", "shop"],
      ["2025-06-30", 50, "Stock", "Shop"],
      ["2025-07-06", 999, "Sales", "shop"],
      ["2025-05-01", 70, "Rent received", "UK property"],
    ]);
    const progress: number[] = [];
    const u = await prepareQuarterlyUpdate(wb, request({ type: "self-employment", businessId: SHOP_ID }, TY25, 1, mapping), { onProgress: (n) => progress.push(n) });
    expect(u.mode).toBe("ledger");
    expect(u.body).toEqual({ periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2025-07-05" }, periodIncome: { turnover: 100.1 }, periodExpenses: { costOfGoods: 50 } });
    expect(u.ledger).toMatchObject({ used: 2, afterPeriod: 1, otherBusinesses: 1 });
    expect(progress.length).toBeGreaterThan(0);
  });

  test("foreign property rows become one entry per Property value", async () => {
    const map = [
      ["Rent", "Foreign property", "income.rentIncome.rentAmount"],
      ["Repairs", "Foreign property", "expenses.repairsAndMaintenance"],
    ];
    const wb = ledgerWorkbook(
      [
        ["2025-04-10", 500, "Rent", "Foreign property", "FRA"],
        ["2025-04-11", 300, "Rent", "Foreign property", "ESP"],
        ["2025-04-12", 25.5, "Repairs", "Foreign property", "FRA"],
        ["2025-08-01", 99, "Rent", "Foreign property", "ESP"], // after quarter 1
        ["2025-04-20", 42, "Sales", "shop", null], // another business
        [null, null, null, null, null],
      ],
      map,
    );
    const u = await prepareQuarterlyUpdate(wb, { ...request({ type: "foreign-property" }, TY25, 1), mode: "ledger" });
    expect(errors(u)).toEqual([]);
    expect(u.body).toEqual({
      fromDate: "2025-04-06",
      toDate: "2025-07-05",
      foreignProperty: [
        { countryCode: "FRA", income: { rentIncome: { rentAmount: 500 } }, expenses: { repairsAndMaintenance: 25.5 } },
        { countryCode: "ESP", income: { rentIncome: { rentAmount: 300 } } },
      ],
    });
    // Every row counted once, though each country's pass reads the whole table.
    expect(u.ledger).toEqual({ used: 3, outsideTaxYear: 0, afterPeriod: 1, otherBusinesses: 1, blank: 1, rejected: 0 });
  });
});

test("external links are told apart from table references and text", () => {
  expect(hasExternalLink("=[Book2.xlsx]Sheet1!A1")).toBe(true);
  expect(hasExternalLink("=[1]Sheet1!$A$1*2")).toBe(true);
  expect(hasExternalLink("='C:\\x\\[Book 2.xlsx]My ''sheet'''!A1")).toBe(true);
  expect(hasExternalLink("=Table1[@Amount]*Sheet2!A1")).toBe(false);
  expect(hasExternalLink("=SUM(Table1[[#This Row],[Amount]])")).toBe(false);
  expect(hasExternalLink('="[Book2.xlsx]Sheet1!A1"')).toBe(false);
});

test("a foreign country with no figures yet is left out (with a note), unless none has any", async () => {
  const wb = workbookWith({ "MTD.FP.ESP.income.rentIncome.rentAmount": [null, 500, 0, 0], "MTD.FP.FRA.income.rentIncome.rentAmount": [800, 0, 0, 0] });
  const q1 = await prepareQuarterlyUpdate(wb, request({ type: "foreign-property" }, TY25, 1));
  expect(q1.body).toEqual({ fromDate: "2025-04-06", toDate: "2025-07-05", foreignProperty: [{ countryCode: "FRA", income: { rentIncome: { rentAmount: 800 } } }] });
  expect(q1.lines.map((l) => [l.entry, l.pointer])).toEqual([["FRA", "/foreignProperty/0/income/rentIncome/rentAmount"]]);
  expect(q1.problems).toEqual([expect.objectContaining({ severity: "warning", message: "ESP has no figures for the year to 2025-07-05 yet, so it is left out of this update." })]);
  const nil = await prepareQuarterlyUpdate(workbookWith({ "MTD.FP.ESP.income.rentIncome.rentAmount": [null, 500, 0, 0] }), request({ type: "foreign-property" }, TY25, 1));
  expect(nil.body).toEqual({ fromDate: "2025-04-06", toDate: "2025-07-05", foreignProperty: [{ countryCode: "ESP" }] });
});

test("calendar quarters: the year to date runs from 1 April, in ledger mode and for four-cell names alike", async () => {
  const mapping = mappingFromSettings({ "alias.shop": SHOP_ID, [`business.${SHOP_ID}.mode`]: "ledger" });
  const wb = ledgerWorkbook([
    ["2025-04-01", 10, "Sales", "shop"], // before a standard year starts, inside a calendar one
    ["2025-06-30", 20, "Sales", "shop"],
    ["2025-07-01", 40, "Sales", "shop"], // calendar quarter 2
  ]);
  const q1 = await prepareQuarterlyUpdate(wb, { target: { type: "self-employment", businessId: SHOP_ID }, quarter: quarterOf(TY25, "calendar", 1), mapping });
  expect(q1.body).toEqual({ periodDates: { periodStartDate: "2025-04-01", periodEndDate: "2025-06-30" }, periodIncome: { turnover: 30 } });
  const standard = await prepareQuarterlyUpdate(wb, { target: { type: "self-employment", businessId: SHOP_ID }, quarter: quarterOf(TY25, "standard", 1), mapping });
  expect(standard.body).toMatchObject({ periodIncome: { turnover: 60 } }); // 6 Apr–5 Jul: the 30 June and 1 July rows, not 1 April
  const named = await prepareQuarterlyUpdate(workbookWith({ "MTD.UKP.income.periodAmount": [100, 200, 300, 400] }), request({ type: "uk-property" }, TY25, 2));
  const calendar = await prepareQuarterlyUpdate(workbookWith({ "MTD.UKP.income.periodAmount": [100, 200, 300, 400] }), { target: { type: "uk-property" }, quarter: quarterOf(TY25, "calendar", 2), mapping: MAPPING });
  expect([named.body, calendar.body]).toEqual([
    { fromDate: "2025-04-06", toDate: "2025-10-05", ukProperty: { income: { periodAmount: 300 } } },
    { fromDate: "2025-04-01", toDate: "2025-09-30", ukProperty: { income: { periodAmount: 300 } } },
  ]);
});
