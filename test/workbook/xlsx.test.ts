import { readFile } from "node:fs/promises";
import JSZip from "jszip";
import { buildStarterLandlordWorkbook, RECORDS_SHEET, STARTER_LANDLORD_PATH } from "../../scripts/make-starter-workbooks";
import { parseTaxYear, type QuarterNumber } from "../../src/mtd";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { readUkPropertyFigures } from "../../src/workbook/uk-property-figures";
import { loadXlsx, saveXlsx, XlsxError } from "../../src/workbook/xlsx";

const ty = parseTaxYear("2025-26");
if (!ty.ok) throw new Error("tax year");
const period = (quarter: QuarterNumber) => ({ taxYear: ty.value, quarter });

describe("the starter landlord workbook", () => {
  let wb: InMemoryWorkbook;
  beforeAll(async () => {
    wb = await loadXlsx(STARTER_LANDLORD_PATH);
  });

  test("has the records and read-me sheets and both shapes of name", () => {
    expect(wb.sheets().map((s) => s.name)).toEqual([RECORDS_SHEET, "Read me"]);
    const names = new Map(wb.names().map((n) => [n.name, n.refersTo]));
    expect(names.size).toBe(12);
    expect(names.get("MTD.UKP.income.periodAmount")).toBe("='Property income'!$B$6:$E$6");
    expect(names.get("MTD.UKP.expenses.residentialFinancialCost")).toBe("='Property income'!$F$23");
    const total = wb.getSheet(RECORDS_SHEET)!.getCell(5, 5);
    expect(total).toEqual({ value: 11650, formula: "=SUM(B6:E6)", numberFormat: "#,##0.00" });
  });

  // Hand-computed from the figures typed in the sheet (pounds → pence).
  test("quarter 1 figures", async () => {
    const r = await readUkPropertyFigures(wb, period(1));
    expect(r.problems).toEqual([]);
    expect(Object.fromEntries(r.amounts)).toEqual({
      "income.periodAmount": 630000, // 6,300.00
      "income.otherIncome": 12000, // 120.00
      "expenses.premisesRunningCosts": 41250, // 412.50
      "expenses.repairsAndMaintenance": 84500, // 845.00
      "expenses.professionalFees": 75600, // 756.00
      "expenses.costOfServices": 9000, // 90.00
      "expenses.travelCosts": 3645, // 36.45
      "expenses.other": 5817, // 58.17
      "expenses.residentialFinancialCost": 218462, // 2,184.62 year to date (one cell)
    });
  });

  test("quarter 2 figures are quarter 1 plus quarter 2", async () => {
    const r = await readUkPropertyFigures(wb, period(2));
    expect(r.problems).toEqual([]);
    expect(Object.fromEntries(r.amounts)).toEqual({
      "income.periodAmount": 1165000, // 6,300.00 + 5,350.00
      "income.otherIncome": 24000, // 120.00 + 120.00
      "expenses.premisesRunningCosts": 80170, // 412.50 + 389.20
      "expenses.repairsAndMaintenance": 97499, // 845.00 + 129.99
      "expenses.professionalFees": 139800, // 756.00 + 642.00
      "expenses.costOfServices": 18000, // 90.00 + 90.00
      "expenses.travelCosts": 5895, // 36.45 + 22.50
      "expenses.other": 8316, // 58.17 + 24.99
      "expenses.residentialFinancialCost": 218462,
    });
    expect(r.sources.get("income.periodAmount")).toBe("'Property income'!B6:C6");
  });

  test("the committed file is what the script builds (run npx tsx scripts/make-starter-workbooks.ts after changing it)", async () => {
    const committed = await readFile(STARTER_LANDLORD_PATH);
    const built = await saveXlsx(buildStarterLandlordWorkbook());
    expect(built.equals(committed)).toBe(true);
  });
});

describe("saveXlsx / loadXlsx", () => {
  function tricky(): InMemoryWorkbook {
    const wb = new InMemoryWorkbook();
    const ws = wb.addSheet("Bob's flat");
    ws.setCell(0, 0, { value: "Rent", bold: true });
    ws.setCell(1, 0, { value: 1200.5, numberFormat: "#,##0.00" });
    ws.setCell(2, 0, { value: "#REF!", isError: true, formula: "=#REF!+1" });
    ws.setCell(3, 0, { value: "#DIV/0!", isError: true, formula: "=A2/0" });
    ws.setCell(4, 0, { value: 0, formula: "=A2-A2" });
    ws.setCell(5, 0, { value: false, formula: "=A2<0" });
    ws.setCell(6, 0, { value: 45757, numberFormat: "dd/mm/yyyy" });
    ws.setCell(7, 0, { value: "007", numberFormat: "@" });
    ws.setCell(8, 0, { value: true });
    ws.setCell(9, 0, { value: "#N/A", isError: true });
    ws.setColumnWidth(0, 20);
    ws.frozenRows = 1;
    const other = wb.addSheet("Out");
    other.setCell(0, 0, { value: "Name" });
    other.setCell(0, 1, { value: "Amount" });
    other.setCell(1, 0, { value: "x" });
    other.setCell(1, 1, { value: 2 });
    wb.addTable("Out", { top: 0, left: 0, bottom: 1, right: 1 }, "Results");
    wb.defineName("MTD.UKP.income.periodAmount", "='Bob''s flat'!$A$2:$A$5");
    wb.defineName("MTD.UKP.expenses.other", "=#REF!");
    wb.defineName("MTD.UKP.expenses.travelCosts", "=#REF!$B$4");
    wb.defineName("Rate", "=0.2");
    return wb;
  }

  test("round-trips values, cached results, error values, formats, names (#REF! too) and tables", async () => {
    const wb = tricky();
    const back = await loadXlsx(await saveXlsx(wb));
    const a = wb.toSnapshot();
    const b = back.toSnapshot();
    expect(b.sheets.map((s) => s.cells)).toEqual(a.sheets.map((s) => s.cells));
    expect(b.names).toEqual(a.names);
    expect(b.tables).toEqual([{ name: "Results", sheet: "Out", ref: "A1:B2" }]);
    expect(b.sheets[0]!.frozenRows).toBe(1);
    expect(b.sheets[0]!.columnWidths).toEqual({ A: 20 });
    expect(await back.readNames("MTD.")).toEqual(await wb.readNames("MTD."));
  });

  test("saving is deterministic", async () => {
    const first = await saveXlsx(tricky());
    const second = await saveXlsx(tricky());
    expect(first.equals(second)).toBe(true);
  });

  test("reads MTD Bridge's document settings from the add-in part Excel writes", async () => {
    const zip = await JSZip.loadAsync(await saveXlsx(tricky()));
    zip.file(
      "xl/webextensions/webextension1.xml",
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/webextension/2010/11" id="{5D9F7B8A-0000-0000-0000-000000000000}">
  <we:reference id="0b7e1f4e-0000-0000-0000-000000000000" version="1.0.0.0" store="developer" storeType="Registry"/>
  <we:properties>
    <we:property name="mtd.settings" value="{&quot;nino&quot;:&quot;AA123456A&quot;,&quot;businessId&quot;:&quot;XPIS12345678901&quot;}"/>
    <we:property name="mtd.ownedSheets" value="{&quot;MTD Receipts&quot;:&quot;mtd-bridge:receipts&quot;}"/>
    <we:property name="someone.else" value="&quot;ignored&quot;"/>
  </we:properties>
</we:webextension>`,
    );
    const wb = await loadXlsx(await zip.generateAsync({ type: "uint8array" }));
    expect(await wb.readSettings()).toEqual({ nino: "AA123456A", businessId: "XPIS12345678901" });
    expect(wb.ownedSheets()).toEqual({ "MTD Receipts": "mtd-bridge:receipts" });
    expect(wb.documentSettingNames().sort()).toEqual(["mtd.ownedSheets", "mtd.settings"]);
  });

  test("a file that is not a workbook gets a plain error", async () => {
    await expect(loadXlsx(new TextEncoder().encode("not a zip"))).rejects.toBeInstanceOf(XlsxError);
    await expect(loadXlsx(new TextEncoder().encode("not a zip"))).rejects.toThrow(/not an Excel workbook/);
  });
});
