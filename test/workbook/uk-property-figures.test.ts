import { buildUkPropertyCumulative, parseTaxYear, validateUkPropertyCumulative, type QuarterNumber, type TaxYear } from "../../src/mtd";
import { InMemoryWorkbook, type CellData } from "../../src/workbook/in-memory";
import { namedRowsWorkbook, type FixtureCell } from "./named-fixtures";
import type { NamedRangeRead, WorkbookPort } from "../../src/workbook/port";
import {
  readUkPropertyFigures,
  suggestUkPropertyField,
  ukPropertyFiguresFromNames,
  type FiguresResult,
} from "../../src/workbook/uk-property-figures";

const TY = (() => {
  const r = parseTaxYear("2025-26");
  if (!r.ok) throw new Error("bad tax year");
  return r.value;
})();
const SHEET = "Property income";

/** A records sheet where each name is one row of four quarter cells (or one cell), from row 2 down. */
function workbookWith(rows: Record<string, FixtureCell[]>): InMemoryWorkbook {
  return namedRowsWorkbook(SHEET, rows);
}

async function figures(wb: WorkbookPort, quarter: QuarterNumber = 2): Promise<FiguresResult> {
  return readUkPropertyFigures(wb, { taxYear: TY, quarter });
}

describe("year-to-date amounts", () => {
  test("four-cell names sum quarters 1 to the period in exact pence; one-cell names are the year to date", async () => {
    const wb = workbookWith({
      "MTD.UKP.income.periodAmount": [0.1, 0.2, 0.7, 99],
      "MTD.UKP.expenses.repairsAndMaintenance": [845, 129.99, null, null],
      "MTD.UKP.expenses.residentialFinancialCost": [2184.62],
    });
    const q1 = await figures(wb, 1);
    const q2 = await figures(wb, 2);
    const q3 = await figures(wb, 3);
    expect(Object.fromEntries(q1.amounts)).toEqual({ "income.periodAmount": 10, "expenses.repairsAndMaintenance": 84500, "expenses.residentialFinancialCost": 218462 });
    expect(Object.fromEntries(q2.amounts)).toEqual({ "income.periodAmount": 30, "expenses.repairsAndMaintenance": 97499, "expenses.residentialFinancialCost": 218462 });
    expect(q3.amounts.get("income.periodAmount")).toBe(100);
    expect(q3.amounts.get("expenses.repairsAndMaintenance")).toBe(97499);
    expect(q2.sources.get("income.periodAmount")).toBe("'Property income'!B2:C2");
    expect(q1.sources.get("income.periodAmount")).toBe("'Property income'!B2");
    expect(q2.sources.get("expenses.residentialFinancialCost")).toBe("'Property income'!B4");
    expect(q2.problems).toEqual([]);
  });

  test("a column of four cells works like a row", async () => {
    const wb = new InMemoryWorkbook();
    const ws = wb.addSheet("Q");
    [100, 200.5, 300, 400].forEach((v, i) => ws.setCell(i, 0, { value: v }));
    wb.defineName("MTD.UKP.income.otherIncome", "=Q!$A$1:$A$4");
    const r = await figures(wb, 3);
    expect(r.amounts.get("income.otherIncome")).toBe(60050);
    expect(r.sources.get("income.otherIncome")).toBe("Q!A1:A3");
  });

  test("blank cells are no figure: a field with only blanks is left out; a blank quarter counts as nothing", async () => {
    const wb = workbookWith({
      "MTD.UKP.income.premiumsOfLeaseGrant": [null, null, null, null],
      "MTD.UKP.income.otherIncome": [null, 50, null, null],
      "MTD.UKP.income.taxDeducted": [{ value: "", formula: '=IF(A1="","",A1)' }, null, null, null],
      "MTD.UKP.expenses.other": [{ value: null, numberFormat: "#,##0.00" }],
    });
    const r = await figures(wb, 2);
    expect([...r.amounts.keys()]).toEqual(["income.otherIncome"]);
    expect(r.amounts.get("income.otherIncome")).toBe(5000);
    expect(r.problems).toEqual([]);
  });

  test("a zero is a figure, not a blank", async () => {
    const r = await figures(workbookWith({ "MTD.UKP.income.periodAmount": [0, null, null, null] }), 1);
    expect(r.amounts.get("income.periodAmount")).toBe(0);
  });

  test("names are matched without regard to case and reported by canonical field path", async () => {
    const wb = workbookWith({ "mtd.ukp.INCOME.PERIODAMOUNT": [10, null, null, null], "Mtd.Ukp.Expenses.RentARoom.AmountClaimed": [5] });
    const r = await figures(wb, 1);
    expect(Object.fromEntries(r.amounts)).toEqual({ "income.periodAmount": 1000, "expenses.rentARoom.amountClaimed": 500 });
  });

  test("negative expenses are allowed where HMRC allows them", async () => {
    const r = await figures(workbookWith({ "MTD.UKP.expenses.repairsAndMaintenance": [100, -30.5, null, null] }));
    expect(r.amounts.get("expenses.repairsAndMaintenance")).toBe(6950);
  });

  test("reads the workbook with one readNames call for the UK property prefix", async () => {
    const wb = workbookWith({ "MTD.UKP.income.periodAmount": [1, 2, 3, 4] });
    const spy = jest.spyOn(wb, "readNames");
    await figures(wb);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy).toHaveBeenCalledWith("MTD.UKP.");
  });

  test("the figures build a payload HMRC's schema and rules accept", async () => {
    const wb = workbookWith({
      "MTD.UKP.income.periodAmount": [6300, 5350, null, null],
      "MTD.UKP.expenses.professionalFees": [756, 642, null, null],
      "MTD.UKP.expenses.residentialFinancialCost": [2184.62],
    });
    const r = await figures(wb, 2);
    const body = buildUkPropertyCumulative({ amounts: r.amounts });
    expect(validateUkPropertyCumulative(body)).toEqual([]);
    expect(body.ukProperty).toEqual({ income: { periodAmount: 11650 }, expenses: { professionalFees: 1398, residentialFinancialCost: 2184.62 } });
  });
});

describe("bad cells are reported by address with what to do, and the field is left out", () => {
  async function onlyProblem(cell: CellData | number | string, field = "income.periodAmount", quarter: QuarterNumber = 1) {
    const r = await figures(workbookWith({ [`MTD.UKP.${field}`]: [cell, null, null, null] }), quarter);
    expect(r.amounts.has(field)).toBe(false);
    expect(r.sources.has(field)).toBe(false);
    expect(r.problems).toHaveLength(1);
    const p = r.problems[0]!;
    expect(p).toMatchObject({ address: "'Property income'!B2", name: `MTD.UKP.${field}`, field, severity: "error" });
    expect(p.message.startsWith("'Property income'!B2 ")).toBe(true);
    return p.message;
  }

  test("text", async () => {
    expect(await onlyProblem("n/a")).toMatch(/contains the text “n\/a”; enter an amount or leave it blank/);
  });

  test("a number stored as text", async () => {
    expect(await onlyProblem({ value: "1,200.00", numberFormat: "@" })).toMatch(/“1,200.00” as text, not as a number/);
  });

  test.each([
    ["#DIV/0!", /divides by zero/],
    ["#N/A", /lookup/],
    ["#REF!", /deleted/],
    ["#VALUE!", /text where a number/],
  ])("the error value %s", async (code, hint) => {
    const message = await onlyProblem({ value: code, isError: true, formula: "=X1" });
    expect(message).toContain(`shows the error ${code}`);
    expect(message).toMatch(hint);
  });

  test("TRUE/FALSE", async () => {
    expect(await onlyProblem({ value: true })).toMatch(/contains TRUE, not an amount/);
  });

  test("a date-formatted cell", async () => {
    expect(await onlyProblem({ value: 45757, numberFormat: "dd/mm/yyyy" })).toMatch(/formatted as a date \(it shows 10\/04\/2025\)/);
  });

  test("more than two decimal places (at Excel's 15-digit precision)", async () => {
    expect(await onlyProblem(12.345)).toMatch(/3 decimal places \(12\.345\).*round it to 2 decimal places/);
    const fine = await figures(workbookWith({ "MTD.UKP.income.periodAmount": [{ value: 0.1 + 0.2, formula: "=0.1+0.2" }, null, null, null] }), 1);
    expect(fine.amounts.get("income.periodAmount")).toBe(30);
  });

  test("negative where HMRC's minimum is zero", async () => {
    expect(await onlyProblem(-10)).toMatch(/negative \(-£10\.00\).*does not accept a negative amount.*income\.periodAmount/);
  });

  test("beyond HMRC's range, in a cell and in the sum of quarters", async () => {
    expect(await onlyProblem(100_000_000_000)).toMatch(/beyond HMRC's limit of £99,999,999,999\.99/);
    const r = await figures(workbookWith({ "MTD.UKP.income.periodAmount": [99_999_999_999.99, 0.01, null, null] }), 2);
    expect(r.amounts.has("income.periodAmount")).toBe(false);
    expect(r.problems).toEqual([
      expect.objectContaining({ address: "'Property income'!B2:C2", message: expect.stringMatching(/quarters summed in 'Property income'!B2:C2.*beyond HMRC's limit/) }),
    ]);
  });

  test("every bad quarter is reported, not just the first", async () => {
    const r = await figures(workbookWith({ "MTD.UKP.income.periodAmount": ["n/a", { value: "#N/A", isError: true }, 5, null] }), 3);
    expect(r.problems.map((p) => p.address)).toEqual(["'Property income'!B2", "'Property income'!C2"]);
    expect(r.amounts.size).toBe(0);
  });

  test("cells after the period's quarter are not read", async () => {
    const r = await figures(workbookWith({ "MTD.UKP.income.periodAmount": [100, "n/a", null, null] }), 1);
    expect(r.problems).toEqual([]);
    expect(r.amounts.get("income.periodAmount")).toBe(10000);
  });

  test("a cell holding only spaces is a warning and counts as blank", async () => {
    const r = await figures(workbookWith({ "MTD.UKP.income.periodAmount": ["   ", 20, null, null] }), 2);
    expect(r.amounts.get("income.periodAmount")).toBe(2000);
    expect(r.problems).toEqual([expect.objectContaining({ address: "'Property income'!B2", severity: "warning" })]);
  });
});

describe("bad names", () => {
  test("an unknown field gets the closest real one suggested", async () => {
    const wb = workbookWith({ "MTD.UKP.income.rent": [1], "MTD.UKP.income.periodAmmount": [2], "MTD.UKP.expenses.mortgageInterest": [3] });
    const r = await figures(wb);
    expect(r.amounts.size).toBe(0);
    const byName = new Map(r.problems.map((p) => [p.name, p]));
    expect(byName.get("MTD.UKP.income.rent")!.message).toMatch(/does not match any UK property field.*Did you mean MTD\.UKP\.income\.periodAmount/);
    expect(byName.get("MTD.UKP.income.rent")!.address).toBe("'Property income'!B2");
    expect(byName.get("MTD.UKP.income.rent")!.field).toBeUndefined();
    expect(byName.get("MTD.UKP.income.periodAmmount")!.message).toMatch(/Did you mean MTD\.UKP\.income\.periodAmount/);
    expect(byName.get("MTD.UKP.expenses.mortgageInterest")!.message).toMatch(/Did you mean MTD\.UKP\.expenses\.residentialFinancialCost/);
  });

  test.each([
    ["repairs", "expenses.repairsAndMaintenance"],
    ["expenses.insurance", "expenses.premisesRunningCosts"],
    ["expenses.agentFees", "expenses.professionalFees"],
    ["income.rentARoom.rents", "income.rentARoom.rentsReceived"],
    ["expenses.travelCost", "expenses.travelCosts"],
    ["expenses.rent", "expenses.premisesRunningCosts"],
    ["income.services", "income.otherIncome"],
  ])("suggestion for %s is %s", (path, expected) => {
    expect(suggestUkPropertyField(path)?.path).toBe(expected);
  });

  test("a name pointing at #REF!, or at a deleted sheet", async () => {
    const wb = workbookWith({ "MTD.UKP.income.periodAmount": [1, 2, 3, 4] });
    wb.defineName("MTD.UKP.expenses.other", "=#REF!");
    const other = wb.addSheet("Old");
    other.setCell(0, 0, { value: 9 });
    wb.defineName("MTD.UKP.expenses.travelCosts", "=Old!$A$1");
    wb.deleteSheet("Old");
    const r = await figures(wb);
    expect(r.amounts.has("expenses.other")).toBe(false);
    expect(r.amounts.has("expenses.travelCosts")).toBe(false);
    expect(r.problems).toEqual([
      expect.objectContaining({ name: "MTD.UKP.expenses.other", address: "=#REF!", field: "expenses.other", message: expect.stringMatching(/points at #REF!.*Name Manager/) }),
      expect.objectContaining({ name: "MTD.UKP.expenses.travelCosts", address: "=#REF!$A$1" }),
    ]);
    expect(r.amounts.get("income.periodAmount")).toBe(300);
  });

  test("a name that is a constant, not cells", async () => {
    const wb = workbookWith({});
    wb.defineName("MTD.UKP.income.otherIncome", "=120");
    const r = await figures(wb);
    expect(r.problems).toEqual([expect.objectContaining({ address: "=120", message: expect.stringMatching(/refers to “=120”, not to cells/) })]);
  });

  test.each([
    ["$B$2:$C$3", "B2:C3 (2 rows × 2 columns)"],
    ["$B$2:$D$2", "B2:D2 (1 row × 3 columns)"],
    ["$B$2:$F$2", "B2:F2 (1 row × 5 columns)"],
    ["$B$2:$B$6", "B2:B6 (5 rows × 1 column)"],
    ["$A:$A", "A:A (1048576 rows × 1 column)"],
  ])("a range of the wrong shape (%s)", async (ref, described) => {
    const wb = workbookWith({});
    wb.defineName("MTD.UKP.income.periodAmount", `='${SHEET}'!${ref}`);
    const r = await figures(wb);
    expect(r.amounts.size).toBe(0);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toContain(`refers to ${described}`);
    expect(r.problems[0]!.message).toMatch(/one cell \(the year-to-date amount\) or four cells in one row or column/);
  });

  test("two names mapping the same field: neither is used", () => {
    const cell = (address: string, value: number) => ({ address, value, type: "Double" as const, numberFormat: "General" });
    const names: NamedRangeRead[] = [
      { name: "MTD.UKP.income.periodAmount", refersTo: "=S!$A$1", kind: "range", address: "S!A1", cells: [[cell("S!A1", 1)]] },
      { name: "mtd.ukp.income.PeriodAmount", refersTo: "=S!$A$2", kind: "range", address: "S!A2", cells: [[cell("S!A2", 2)]] },
      { name: "MTD.UKP.income.otherIncome", refersTo: "=S!$A$3", kind: "range", address: "S!A3", cells: [[cell("S!A3", 3)]] },
    ];
    const r = ukPropertyFiguresFromNames(names, { taxYear: TY as TaxYear, quarter: 1 });
    expect(Object.fromEntries(r.amounts)).toEqual({ "income.otherIncome": 300 });
    expect(r.problems.map((p) => [p.address, p.field])).toEqual([
      ["S!A1", "income.periodAmount"],
      ["S!A2", "income.periodAmount"],
    ]);
    expect(r.problems[0]!.message).toMatch(/both map to income\.periodAmount/);
  });

  test("the result does not depend on the order names come in, and is deterministic", () => {
    const cell = (address: string, value: unknown, type: "Double" | "String") => ({ address, value: value as number, type, numberFormat: "General" });
    const names: NamedRangeRead[] = [
      { name: "MTD.UKP.income.otherIncome", refersTo: "=S!$A$1", kind: "range", address: "S!A1", cells: [[cell("S!A1", "x", "String")]] },
      { name: "MTD.UKP.expenses.other", refersTo: "=S!$A$2", kind: "range", address: "S!A2", cells: [[cell("S!A2", "y", "String")]] },
      { name: "MTD.UKP.income.periodAmount", refersTo: "=S!$A$3", kind: "range", address: "S!A3", cells: [[cell("S!A3", 5, "Double")]] },
    ];
    const period = { taxYear: TY, quarter: 1 as const };
    const a = ukPropertyFiguresFromNames(names, period);
    const b = ukPropertyFiguresFromNames([...names].reverse(), period);
    expect(b).toEqual(a);
    expect(a.problems.map((p) => p.name)).toEqual(["MTD.UKP.expenses.other", "MTD.UKP.income.otherIncome"]);
  });
});
