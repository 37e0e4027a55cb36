import { buildCumulative, parsePounds, parseTaxYear, quarterOf, unwrap, validateCumulative, type Pence } from "../../src/mtd";
import { WorkbookError } from "../../src/workbook/port";
import { amountInPence, CATEGORY_MAP_TABLE, ledgerFigures, MAX_LEDGER_PROBLEMS, readLedgerFigures } from "../../src/workbook/ledger";
import { isoDateToSerial } from "../../src/workbook/number-format";
import { generatedLedgerRows, ledgerWorkbook } from "./ledger-fixtures";

const TY = unwrap(parseTaxYear("2025-26"));
const SHOP = { source: { type: "self-employment", key: "shop" }, taxYear: TY, quarter: 2 } as const;
const d = isoDateToSerial;

describe("ledger mode: transactions → year-to-date figures per HMRC field", () => {
  test("sums the chosen business's transactions from 6 April to the quarter end, in exact pence", async () => {
    const wb = ledgerWorkbook([
      [d("2025-04-06"), 0.1, "Sales", "shop", null],
      [d("2025-07-01"), 0.2, "sales", "SHOP", null],
      ["2025-10-05", 1000, "Sales", "shop", null], // text ISO date, last day of standard Q2
      ["01/09/2025", 12.5, "Stock", "shop", null], // UK text date
      [d("2025-10-06"), 999, "Sales", "shop", null], // after Q2: not yet
      [d("2025-04-05"), 999, "Sales", "shop", null], // previous tax year
      [d("2025-05-01"), 999, "Sales", "cafe", null], // another business
      [null, null, null, null, null],
    ]);
    const result = await readLedgerFigures(wb, SHOP);
    expect(result.problems).toEqual([]);
    expect(result.amounts).toEqual(new Map<string, Pence>([["periodIncome.turnover", 100030 as Pence], ["periodExpenses.costOfGoods", 1250 as Pence]]));
    expect(result.sources.get("periodIncome.turnover")).toBe("MTD_Ledger (3 transactions)");
    expect(result.counts).toEqual({ used: 4, outsideTaxYear: 1, afterPeriod: 1, otherBusinesses: 1, blank: 1, rejected: 0 });

    const q2 = quarterOf(TY, "standard", 2);
    const body = buildCumulative({ type: "self-employment", taxYear: TY, periodStartDate: q2.cumulativeStart, periodEndDate: q2.end, amounts: result.amounts });
    expect(body).toMatchObject({ periodIncome: { turnover: 1000.3 }, periodExpenses: { costOfGoods: 12.5 } });
    expect(validateCumulative("self-employment", TY, body)).toEqual([]);
  });

  test("matches the Business column through aliases and uses calendar quarters when asked", async () => {
    const wb = ledgerWorkbook([
      [d("2025-04-01"), 10, "Sales", "XAIS12345678901", null],
      [d("2025-04-03"), 5, "Sales", "shop", null],
    ]);
    const standard = await readLedgerFigures(wb, { ...SHOP, quarter: 1, aliases: { shop: "XAIS12345678901" } });
    expect(standard.amounts.get("periodIncome.turnover")).toBeUndefined();
    expect(standard.counts.outsideTaxYear).toBe(2);
    const calendar = await readLedgerFigures(wb, { ...SHOP, quarter: 1, basis: "calendar", aliases: { shop: "XAIS12345678901" } });
    expect(calendar.amounts.get("periodIncome.turnover")).toBe(1500);
  });

  test("names the cell of every bad row and leaves the affected fields out", async () => {
    const wb = ledgerWorkbook([
      ["next Tuesday", 10, "Sales", "shop", null],
      [d("2025-05-01"), "£10", "Sales", "shop", null],
      [d("2025-05-01"), 10.005, "Stock", "shop", null],
      [d("2025-05-01"), 10, "Travel", "shop", null],
      [d("2025-05-01"), 40, "Rent", "shop", null],
    ]);
    const result = await readLedgerFigures(wb, SHOP);
    expect(result.problems.map((p) => [p.address, p.field])).toEqual([
      ["Ledger!A2", undefined],
      ["Ledger!B3", "periodIncome.turnover"],
      ["Ledger!B4", "periodExpenses.costOfGoods"],
      ["Ledger!C5", undefined],
    ]);
    expect(result.problems[1]!.message).toMatch(/holds text/);
    expect(result.problems[2]!.message).toMatch(/3 decimal places/);
    expect(result.problems[3]!.message).toMatch(/Travel.*MTD_CategoryMap/);
    expect(result.amounts).toEqual(new Map([["periodExpenses.premisesRunningCosts", 4000]]));
    expect(result.counts.rejected).toBe(4);
  });

  test("reports a category mapped to a field HMRC does not have, or to two fields, at the map's cell", async () => {
    const wb = ledgerWorkbook(
      [[d("2025-05-01"), 10, "Sales", "shop", null]],
      [
        ["Sales", "Self-employment", "periodIncome.turnover"],
        ["Sales", "Self-employment", "periodIncome.other"],
        ["Fuel", "Self-employment", "periodExpenses.petrol"],
        ["Odd", "Partnership", "periodIncome.turnover"],
      ],
    );
    const result = await readLedgerFigures(wb, SHOP);
    expect(result.problems.map((p) => p.address)).toEqual(["Map!A3", "Map!C4", "Map!B5"]);
    expect(result.problems[1]!.message).toMatch(/petrol.*not a self-employment field/);
  });

  test("reports missing columns on the header row", () => {
    const wb = ledgerWorkbook([]);
    const ledger = { name: "MTD_Ledger", sheet: "Ledger", headerRow: 0, firstColumn: 0, header: ["Date", "Amount", "Business"], rows: [[1, 2, "shop"]] };
    const map = { name: CATEGORY_MAP_TABLE, sheet: "Map", headerRow: 0, firstColumn: 0, header: ["Category", "Business type", "HMRC field"], rows: [] };
    const result = ledgerFigures(ledger, map, SHOP);
    expect(result.problems).toEqual([expect.objectContaining({ address: "Ledger!A1", message: expect.stringMatching(/no “date”|no “category”/) })]);
    expect(wb.tables().length).toBe(2);
  });

  test("UK property rows are picked by the Business column's default and foreign property by the Property column", async () => {
    const wb = ledgerWorkbook(
      [
        [d("2025-05-01"), 500, "Rent received", "UK property", null],
        [d("2025-05-01"), 700, "Rent", "Foreign property", "FRA"],
        [d("2025-05-01"), 900, "Rent", "Foreign property", "ESP"],
      ],
      [
        ["Rent received", "UK property", "income.periodAmount"],
        ["Rent", "Foreign property", "income.rentIncome.rentAmount"],
      ],
    );
    const ukp = await readLedgerFigures(wb, { ...SHOP, source: { type: "uk-property" } });
    expect(ukp.amounts).toEqual(new Map([["income.periodAmount", 50000]]));
    const fra = await readLedgerFigures(wb, { ...SHOP, source: { type: "foreign-property", countryOrPropertyId: "fra" } });
    expect(fra.amounts).toEqual(new Map([["income.rentIncome.rentAmount", 70000]]));
    expect(fra.counts.otherBusinesses).toBe(2);
  });

  test("a total beyond HMRC's range is an error, and problems stop at a readable number", async () => {
    const rows = [...generatedLedgerRows(3), ...Array.from({ length: MAX_LEDGER_PROBLEMS + 5 }, () => [d("2025-05-01"), "x", "Sales", "shop", null])];
    const result = await readLedgerFigures(ledgerWorkbook(rows), { ...SHOP, quarter: 4 });
    expect(result.problems).toHaveLength(MAX_LEDGER_PROBLEMS + 1);
    expect(result.problems.at(-1)!.message).toMatch(/and 5 more problems/);

    const negative = await readLedgerFigures(ledgerWorkbook([[d("2025-05-01"), -5, "Sales", "shop", null]]), SHOP);
    expect(negative.amounts.size).toBe(0);
    expect(negative.problems[0]!.message).toMatch(/negative/);
  });

  test("refuses the row that takes a total past the pence a double holds exactly, rather than sending a wrong total", async () => {
    // Ten rows of £9,999,999,999,999.99 reach 2^53 pence; the float sum then drops pence, so ten rows back
    // and a penny used to total 2p with no problem reported.
    const big = 9_999_999_999_999.99;
    const rows = [...Array.from({ length: 10 }, () => [d("2025-05-01"), big, "Sales", "shop", null]), [d("2025-05-01"), 0.01, "Sales", "shop", null]];
    rows.push(...Array.from({ length: 10 }, () => [d("2025-05-01"), -big, "Sales", "shop", null]));
    const result = await readLedgerFigures(ledgerWorkbook(rows), SHOP);
    expect(result.amounts.get("periodIncome.turnover")).toBeUndefined();
    expect(result.problems.map((p) => [p.address, p.field])).toEqual([["Ledger!B11", "periodIncome.turnover"]]);
    expect(result.problems[0]!.message).toMatch(/^Ledger!B11 \(9999999999999\.99\) takes the total for periodIncome\.turnover far beyond HMRC's limit of £99,999,999,999\.99; check the amount\.$/);
  });

  test("advises checking an amount far beyond HMRC's range, and rounding one with too many decimals", async () => {
    const result = await readLedgerFigures(ledgerWorkbook([[d("2025-05-01"), 1e300, "Sales", "shop", null], [d("2025-05-01"), 1.005, "Stock", "shop", null]]), SHOP);
    expect(result.problems.map((p) => p.message)).toEqual([
      "Ledger!B2 (1e+300) is far outside HMRC's range; check the amount.",
      "Ledger!B3 (1.005) has 3 decimal places; HMRC accepts at most 2; round it to pounds and pence.",
    ]);
  });

  test("the amount fast path agrees with parsePounds", () => {
    const samples = [0, -0, 0.1, 0.1 + 0.2, 12.345, 10.005, -99.99, 1e-7, 1234567.89, 99_999_999_999.99, 1e11 + 0.5, 1e15, 0.015, 2.675, Number.NaN, Infinity];
    let seed = 7;
    for (let i = 0; i < 5_000; i += 1) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      samples.push((seed % 2_000_000) / 100 - 10_000, seed / 1000, seed / 7);
    }
    for (const n of samples) expect([n, amountInPence(n)]).toEqual([n, parsePounds(n)]);
  });

  test("a missing table is a located, actionable error", async () => {
    const wb = ledgerWorkbook([]);
    await expect(readLedgerFigures(wb, SHOP, { ledgerTable: "Transactions" })).rejects.toEqual(
      expect.objectContaining({ code: "table-not-found", message: expect.stringMatching(/no table named “Transactions”.*Insert ▸ Table/) }),
    );
    await expect(wb.readTable("nope")).rejects.toBeInstanceOf(WorkbookError);
  });
});
