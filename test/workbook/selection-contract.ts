/**
 * The WorkbookPort contract for naming a selection (readSelection, nameRange), run against the in-memory
 * workbook (test/workbook/in-memory.test.ts) and the Office.js adapter over the fake Excel
 * (test/addin/excel-workbook.test.ts). The user's selection is set on the document itself (`select`), as
 * the workbench grid does.
 */
import { WorkbookError } from "../../src/workbook/port";
import type { PortUnderTest } from "./port-contract";
import { sampleWorkbook } from "./port-contract";
import type { InMemoryWorkbook } from "../../src/workbook/in-memory";

export function describeSelectionContract(label: string, make: (wb: InMemoryWorkbook) => PortUnderTest): void {
  describe(`WorkbookPort selection and naming: ${label}`, () => {
    test("a workbook never selected reads A1 of its active sheet", async () => {
      const { port } = make(sampleWorkbook());
      expect(await port.readSelection()).toEqual({ address: "'Property income'!A1", rowCount: 1, columnCount: 1 });
    });

    test.each([
      ["'Property income'!B5:E5", { address: "'Property income'!B5:E5", rowCount: 1, columnCount: 4 }],
      ["'Property income'!$C$6:$C$9", { address: "'Property income'!C6:C9", rowCount: 4, columnCount: 1 }],
      ["'Property income'!B:B", { address: "'Property income'!B:B", rowCount: 1_048_576, columnCount: 1 }],
      ["'Property income'!A1:F20", { address: "'Property income'!A1:F20", rowCount: 20, columnCount: 6 }],
    ])("reads the selection %s as one block, whatever its size", async (selected, expected) => {
      const { port, workbook } = make(sampleWorkbook());
      workbook.select(selected);
      expect(await port.readSelection()).toEqual(expected);
    });

    test("reads the selection of the sheet the user is on", async () => {
      const wb = sampleWorkbook();
      wb.addSheet("Other sheet");
      wb.select("'Property income'!B5");
      wb.select("'Other sheet'!D2:D3");
      const { port } = make(wb);
      expect(await port.readSelection()).toMatchObject({ address: "'Other sheet'!D2:D3", rowCount: 2 });
      wb.activateSheet("Property income");
      expect(await port.readSelection()).toMatchObject({ address: "'Property income'!B5" });
    });

    test("several separate blocks, or the whole sheet, are invalid-selection with a message saying what to select", async () => {
      const { port, workbook } = make(sampleWorkbook());
      workbook.select("'Property income'!B5,D7:D8");
      const several = port.readSelection();
      await expect(several).rejects.toBeInstanceOf(WorkbookError);
      await expect(several).rejects.toMatchObject({ code: "invalid-selection", message: expect.stringMatching(/^Select one block of cells/) });
      workbook.select("'Property income'!A:XFD");
      await expect(port.readSelection()).rejects.toMatchObject({ code: "invalid-selection", message: expect.stringMatching(/whole sheet/) });
    });

    test("a name made from the selection reads back with its cells", async () => {
      const { port, workbook } = make(sampleWorkbook());
      workbook.select("'Property income'!B5:C5");
      const { address } = await port.readSelection();
      await port.nameRange("MTD.SE.shop.periodIncome.turnover", address);
      expect(workbook.getName("MTD.SE.shop.periodIncome.turnover")?.refersTo).toBe("='Property income'!$B$5:$C$5");
      const [named] = await port.readNames("MTD.SE.");
      expect(named).toMatchObject({ name: "MTD.SE.shop.periodIncome.turnover", kind: "range", address: "'Property income'!B5:C5" });
      expect(named!.cells[0]!.map((c) => [c.address, c.value])).toEqual([
        ["'Property income'!B5", 1200.5],
        ["'Property income'!C5", 800],
      ]);
    });

    test("naming replaces a name of the same text in any case, keeping the new case and cells", async () => {
      const { port, workbook } = make(sampleWorkbook());
      await port.nameRange("MTD.UKP.Income.PeriodAmount", "'Property income'!B6");
      expect(workbook.getName("mtd.ukp.income.periodamount")).toEqual({ name: "MTD.UKP.Income.PeriodAmount", refersTo: "='Property income'!$B$6" });
      const matching = (await port.readNames("MTD.UKP.income.")).map((n) => [n.name, n.address]);
      expect(matching).toEqual([["MTD.UKP.Income.PeriodAmount", "'Property income'!B6"]]);
    });

    test("removing a name (any case) leaves its cells, and removing a missing name is not an error", async () => {
      const { port, workbook } = make(sampleWorkbook());
      await port.nameRange("MTD.UKP.income.periodAmount", "'Property income'!B6");
      const before = await port.readNames("MTD.UKP.");
      await port.removeName("mtd.ukp.INCOME.periodamount");
      expect(workbook.getName("MTD.UKP.income.periodAmount")).toBeUndefined();
      expect((await port.readNames("MTD.UKP.")).length).toBe(before.length - 1);
      await expect(port.removeName("MTD.UKP.income.periodAmount")).resolves.toBeUndefined();
      expect(JSON.stringify(workbook.toSnapshot())).toContain("Property income");
    });

    test.each(["AB12", "two words", "1st", "x".repeat(256), ""])("the name %j is invalid-name, saying what a valid name is, and changes nothing", async (bad) => {
      const { port, workbook } = make(sampleWorkbook());
      const before = JSON.stringify(workbook.toSnapshot());
      const failure = port.nameRange(bad, "'Property income'!B5");
      await expect(failure).rejects.toBeInstanceOf(WorkbookError);
      await expect(failure).rejects.toMatchObject({ code: "invalid-name", message: expect.stringMatching(/starts with a letter or an underscore, has no spaces, is at most 255 characters/) });
      expect(JSON.stringify(workbook.toSnapshot())).toBe(before);
    });

    test("a name a table already has is invalid-name, naming the table as the thing to rename", async () => {
      const wb = sampleWorkbook();
      wb.addTable("Property income", { top: 20, left: 0, bottom: 22, right: 1 }, "Receipts");
      const { port } = make(wb);
      await expect(port.nameRange("receipts", "'Property income'!B5")).rejects.toMatchObject({ code: "invalid-name", message: expect.stringMatching(/table .*Rename the table/) });
      expect(wb.getName("receipts")).toBeUndefined();
    });

    test("naming cells on a sheet that no longer exists is invalid-selection and keeps the old name", async () => {
      const { port, workbook } = make(sampleWorkbook());
      await expect(port.nameRange("MTD.UKP.income.periodAmount", "Gone!B5")).rejects.toMatchObject({ code: "invalid-selection", message: expect.stringMatching(/Select the cells again/) });
      await expect(port.nameRange("MTD.UKP.income.periodAmount", "not an address")).rejects.toMatchObject({ code: "invalid-selection" });
      expect(workbook.getName("MTD.UKP.income.periodAmount")?.refersTo).toBe("='Property income'!$B$5:$E$5");
    });
  });
}
