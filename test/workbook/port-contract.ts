/**
 * The WorkbookPort contract, run against every implementation (in-memory here, Office.js over the fake
 * Excel in test/addin), so both behave the same way for the same workbook.
 */
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { WorkbookError, type SheetWrite, type WorkbookPort } from "../../src/workbook/port";

export interface PortUnderTest {
  readonly port: WorkbookPort;
  /** The document the port works on, to inspect results. */
  readonly workbook: InMemoryWorkbook;
}

/** A small workbook: a records sheet with amounts, text, an error, a date and assorted names. */
export function sampleWorkbook(): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  const ws = wb.addSheet("Property income");
  ws.setCell(4, 1, { value: 1200.5, numberFormat: "#,##0.00" });
  ws.setCell(4, 2, { value: 800, numberFormat: "#,##0.00" });
  ws.setCell(5, 1, { value: "n/a" });
  ws.setCell(6, 1, { value: "#DIV/0!", isError: true, formula: "=B5/0" });
  ws.setCell(7, 1, { value: 45757, numberFormat: "dd/mm/yyyy" });
  ws.setCell(8, 1, { value: true });
  ws.setCell(9, 1, { value: 2000, formula: "=B5+C5" });
  wb.defineName("MTD.UKP.income.periodAmount", "='Property income'!$B$5:$E$5");
  wb.defineName("mtd.ukp.expenses.other", "='Property income'!$B$6");
  wb.defineName("MTD.UKP.expenses.travelCosts", "=#REF!");
  wb.defineName("MTD.UKP.expenses.rate", "=0.2");
  wb.defineName("MTD.UKP.expenses.everything", "='Property income'!$A:$A");
  wb.defineName("Unrelated", "='Property income'!$B$7:$B$10");
  return wb;
}

export function sampleSheet(overrides: Partial<SheetWrite> = {}): SheetWrite {
  return {
    name: "MTD Receipts",
    tag: "mtd-bridge:receipts",
    preamble: ["Receipts", "=not a formula"],
    header: ["Business ID", "Status", "Amount"],
    rows: [
      ["007123", 204, 10.5],
      ["=cmd|' /C calc'!A0", 400, null],
    ],
    textColumns: [0],
    moneyColumns: [2],
    ...overrides,
  };
}

export function describePortContract(label: string, make: (wb: InMemoryWorkbook) => PortUnderTest): void {
  describe(`WorkbookPort contract: ${label}`, () => {
    test("readNames returns the prefixed names (any case) with their cells, types, formulas and formats", async () => {
      const { port } = make(sampleWorkbook());
      const names = await port.readNames("mtd.UKP.");
      expect(names.map((n) => n.name)).toEqual([
        "MTD.UKP.income.periodAmount",
        "mtd.ukp.expenses.other",
        "MTD.UKP.expenses.travelCosts",
        "MTD.UKP.expenses.rate",
        "MTD.UKP.expenses.everything",
      ]);
      const rents = names[0]!;
      expect(rents).toMatchObject({ kind: "range", refersTo: "='Property income'!$B$5:$E$5", address: "'Property income'!B5:E5" });
      expect(rents.cells).toHaveLength(1);
      expect(rents.cells[0]!.map((c) => [c.address, c.value, c.type, c.numberFormat])).toEqual([
        ["'Property income'!B5", 1200.5, "Double", "#,##0.00"],
        ["'Property income'!C5", 800, "Double", "#,##0.00"],
        ["'Property income'!D5", null, "Empty", "General"],
        ["'Property income'!E5", null, "Empty", "General"],
      ]);
      expect(names[1]!.cells[0]![0]).toMatchObject({ value: "n/a", type: "String" });
    });

    test("readNames reports #REF! names, constants and over-large ranges without reading cells", async () => {
      const { port } = make(sampleWorkbook());
      const names = await port.readNames("MTD.UKP.expenses.");
      const byName = new Map(names.map((n) => [n.name, n]));
      expect(byName.get("MTD.UKP.expenses.travelCosts")).toEqual({ name: "MTD.UKP.expenses.travelCosts", refersTo: "=#REF!", kind: "ref-error", cells: [] });
      expect(byName.get("MTD.UKP.expenses.rate")).toMatchObject({ kind: "not-a-range", refersTo: "=0.2", cells: [] });
      expect(byName.get("MTD.UKP.expenses.everything")).toMatchObject({ kind: "range", address: "'Property income'!A:A", cells: [] });
    });

    test("readNames reads error values and formulas as Excel reports them", async () => {
      const wb = sampleWorkbook();
      wb.defineName("MTD.Test.block", "='Property income'!$B$7:$B$10");
      const { port } = make(wb);
      const [block] = await port.readNames("MTD.Test.");
      expect(block!.cells.map((row) => row[0]).map((c) => [c!.value, c!.type, c!.formula ?? null])).toEqual([
        ["#DIV/0!", "Error", "=B5/0"],
        [45757, "Double", null],
        [true, "Boolean", null],
        [2000, "Double", "=B5+C5"],
      ]);
      expect(block!.cells[1]![0]!.numberFormat).toBe("dd/mm/yyyy");
    });

    test("a name whose sheet was deleted becomes a #REF! name", async () => {
      const wb = sampleWorkbook();
      wb.addSheet("Other");
      wb.deleteSheet("Property income");
      const { port } = make(wb);
      const [rents] = await port.readNames("MTD.UKP.income.");
      expect(rents).toMatchObject({ kind: "ref-error", refersTo: "=#REF!$B$5:$E$5" });
    });

    test("writeSheet lays out preamble, bold header, rows, text and money formats, and a table", async () => {
      const { port, workbook } = make(sampleWorkbook());
      await port.writeSheet(sampleSheet());
      const ws = workbook.getSheet("MTD Receipts")!;
      expect(ws).toBeDefined();
      expect(ws.getCell(0, 0)).toMatchObject({ value: "Receipts", numberFormat: "@" });
      expect(ws.getCell(1, 0)).toMatchObject({ value: "=not a formula" });
      expect(ws.getCell(1, 0)!.formula).toBeUndefined();
      expect(ws.getCell(2, 0)).toBeUndefined();
      expect([0, 1, 2].map((c) => ws.getCell(3, c))).toEqual([
        { value: "Business ID", numberFormat: "@", bold: true },
        { value: "Status", numberFormat: "@", bold: true },
        { value: "Amount", numberFormat: "@", bold: true },
      ]);
      // identifiers stay text: no lost leading zeros, no formula injection
      expect(ws.getCell(4, 0)).toEqual({ value: "007123", numberFormat: "@" });
      expect(ws.getCell(5, 0)).toEqual({ value: "=cmd|' /C calc'!A0", numberFormat: "@" });
      expect(ws.getCell(4, 1)).toEqual({ value: 204 });
      expect(ws.getCell(4, 2)).toEqual({ value: 10.5, numberFormat: "#,##0.00" });
      expect(ws.getCell(5, 2)).toEqual({ value: null, numberFormat: "#,##0.00" });
      expect(ws.frozenRows).toBe(4);
      expect(workbook.tables().filter((t) => t.sheetId === ws.id).map((t) => t.area)).toEqual([{ top: 3, left: 0, bottom: 5, right: 2 }]);
      expect(workbook.ownedSheets()).toEqual({ "MTD Receipts": "mtd-bridge:receipts" });
      expect(workbook.activeSheet()?.name).toBe("MTD Receipts");
    });

    test("writeSheet rewrites its own sheet in place, leaving nothing of the old table", async () => {
      const { port, workbook } = make(sampleWorkbook());
      await port.writeSheet(sampleSheet());
      await port.writeSheet(sampleSheet({ preamble: [], rows: [["X1", 201, 1]] }));
      const sheets = workbook.sheets().filter((s) => s.name === "MTD Receipts");
      expect(sheets).toHaveLength(1);
      const ws = sheets[0]!;
      expect(ws.getCell(0, 0)).toMatchObject({ value: "Business ID", bold: true });
      expect(ws.getCell(1, 0)).toEqual({ value: "X1", numberFormat: "@" });
      expect(ws.usedArea()).toEqual({ top: 0, left: 0, bottom: 1, right: 2 });
      expect(workbook.tables().filter((t) => t.sheetId === ws.id)).toHaveLength(1);
      expect(workbook.tables()).toHaveLength(1);
    });

    test("writeSheet never overwrites a user's sheet of the same name (any case)", async () => {
      const wb = sampleWorkbook();
      const mine = wb.addSheet("mtd receipts");
      mine.setCell(0, 0, { value: "my own notes" });
      const { port, workbook } = make(wb);
      const failure = port.writeSheet(sampleSheet());
      await expect(failure).rejects.toBeInstanceOf(WorkbookError);
      await expect(failure).rejects.toMatchObject({ code: "sheet-owned-by-user", message: expect.stringMatching(/Rename your sheet/) });
      expect(workbook.getSheet("MTD Receipts")!.getCell(0, 0)).toEqual({ value: "my own notes" });
      expect(workbook.ownedSheets()).toEqual({});
    });

    test("writeSheet recreates its sheet after the user deleted it", async () => {
      const { port, workbook } = make(sampleWorkbook());
      await port.writeSheet(sampleSheet());
      workbook.deleteSheet("MTD Receipts");
      await port.writeSheet(sampleSheet({ rows: [["A", 1, 2]] }));
      expect(workbook.getSheet("MTD Receipts")!.getCell(4, 0)).toEqual({ value: "A", numberFormat: "@" });
    });

    test("writeSheet refuses sheet names Excel would refuse, before touching the workbook", async () => {
      const { port, workbook } = make(sampleWorkbook());
      const before = JSON.stringify(workbook.toSnapshot());
      await expect(port.writeSheet(sampleSheet({ name: "Receipts: 2025/26" }))).rejects.toMatchObject({ code: "invalid-sheet-name" });
      await expect(port.writeSheet(sampleSheet({ name: "A sheet name that is far too long for Excel" }))).rejects.toMatchObject({ code: "invalid-sheet-name" });
      expect(JSON.stringify(workbook.toSnapshot())).toBe(before);
    });

    test("settings are merged and read back", async () => {
      const { port } = make(sampleWorkbook());
      expect(await port.readSettings()).toEqual({});
      await port.writeSettings({ nino: "AA123456A", basis: "standard" });
      await port.writeSettings({ basis: "calendar" });
      expect(await port.readSettings()).toEqual({ nino: "AA123456A", basis: "calendar" });
    });
  });
}
