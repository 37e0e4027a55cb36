/**
 * Round trips per WorkbookPort method of the Office.js adapter over the fake Excel (DESIGN.md §3), and what
 * each method does when Excel is in cell-edit mode.
 */
import { OfficeJsWorkbook, type ExcelContextLike, type ExcelRunLike, type ExcelRunOptionsLike } from "../../src/addin/excel-workbook";
import { officeDocumentSettings } from "../../src/addin/office-settings";
import { createFakeExcel, createFakeOfficeSettings, FakeOfficeError, type FakeExcel } from "../../src/workbench/fake-excel";
import type { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { LEDGER_TABLE } from "../../src/workbook/ledger";
import { WorkbookError, type WorkbookPort } from "../../src/workbook/port";
import { generatedLedgerRows, ledgerWorkbook } from "../workbook/ledger-fixtures";
import { sampleSheet } from "../workbook/port-contract";

/** A ledger workbook (for readTable) with `names` single-cell names MTD.Test.n0… on the ledger's Amount column. */
function workbookWithNames(names: number): InMemoryWorkbook {
  const wb = ledgerWorkbook(generatedLedgerRows(250));
  for (let i = 0; i < names; i += 1) wb.defineName(`MTD.Test.n${i}`, `=Ledger!$B$${i + 2}`);
  wb.select("Ledger!B2:B5");
  return wb;
}

function adapter(wb: InMemoryWorkbook, run?: (fake: FakeExcel) => ExcelRunLike): { port: OfficeJsWorkbook; fake: FakeExcel } {
  const fake = createFakeExcel(wb);
  return { port: new OfficeJsWorkbook({ run: run ? run(fake) : fake.run, settings: officeDocumentSettings(createFakeOfficeSettings(wb)) }), fake };
}

type Call = (port: WorkbookPort) => Promise<unknown>;

const EXCEL_METHODS: readonly (readonly [string, Call])[] = [
  ["readNames", (p) => p.readNames("MTD.Test.")],
  ["writeSheet", (p) => p.writeSheet(sampleSheet())],
  ["readSelection", (p) => p.readSelection()],
  ["nameRange", (p) => p.nameRange("MTD.SE.shop.periodIncome.turnover", "Ledger!B2:B5")],
  ["removeName", (p) => p.removeName("MTD.SE.shop.periodIncome.turnover")],
  ["readTable", (p) => p.readTable(LEDGER_TABLE, { chunkRows: 100 })],
];

describe("OfficeJsWorkbook sync counts", () => {
  test.each([
    // method, call, syncs: what DESIGN.md §3 allows for each
    ["readNames (10 names)", (p: WorkbookPort) => p.readNames("MTD.Test.n1"), 10, 2],
    ["readNames (200 names)", (p: WorkbookPort) => p.readNames("MTD.Test."), 200, 2],
    ["writeSheet", (p: WorkbookPort) => p.writeSheet(sampleSheet()), 0, 1],
    ["readSelection", (p: WorkbookPort) => p.readSelection(), 0, 1],
    ["nameRange (new name)", (p: WorkbookPort) => p.nameRange("MTD.SE.shop.periodIncome.turnover", "Ledger!B2:B5"), 0, 2],
    ["nameRange (replacing a name)", (p: WorkbookPort) => p.nameRange("mtd.test.N0", "Ledger!B2:B5"), 1, 2],
    ["removeName (a name there)", (p: WorkbookPort) => p.removeName("mtd.test.N0"), 1, 2],
    ["removeName (no such name)", (p: WorkbookPort) => p.removeName("MTD.Test.none"), 1, 1],
    ["readTable (one block)", (p: WorkbookPort) => p.readTable(LEDGER_TABLE), 0, 1 + 1],
    ["readSettings", (p: WorkbookPort) => p.readSettings(), 0, 0],
    ["writeSettings", (p: WorkbookPort) => p.writeSettings({ nino: "AA123456A" }), 0, 0],
  ])("%s", async (_label, call, names, syncs) => {
    const { port, fake } = adapter(workbookWithNames(names));
    await call(port);
    expect(fake.syncCount).toBe(syncs);
  });

  test("reading 10 names costs the same round trips as reading 200, and the names come back with their cells", async () => {
    const few = adapter(workbookWithNames(10));
    const many = adapter(workbookWithNames(200));
    const [fewNames, manyNames] = [await few.port.readNames("MTD.Test."), await many.port.readNames("MTD.Test.")];
    expect([fewNames.length, manyNames.length]).toEqual([10, 200]);
    expect(manyNames[199]!.cells[0]![0]!.address).toBe("Ledger!B201");
    expect(few.fake.syncCount).toBe(many.fake.syncCount);
  });

  test("readTable takes 1 sync for the table's size, then one per block of rows", async () => {
    const { port, fake } = adapter(workbookWithNames(0));
    const blocks: number[] = [];
    const table = await port.readTable(LEDGER_TABLE, { chunkRows: 50, onProgress: (read) => blocks.push(read) });
    expect(table.rows).toHaveLength(250);
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks[blocks.length - 1]).toBe(250);
    expect(fake.syncCount).toBe(1 + blocks.length);
  });
});

describe("OfficeJsWorkbook in cell-edit mode", () => {
  test.each(EXCEL_METHODS)("%s asks Excel to wait for the edit to finish", async (_method, call) => {
    const seen: ExcelRunOptionsLike[] = [];
    const { port } = adapter(workbookWithNames(3), (fake) => (options, batch) => {
      seen.push(options);
      return fake.run(options, batch);
    });
    await call(port);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((o) => o.delayForCellEdit === true)).toBe(true);
  });

  test.each(EXCEL_METHODS)("%s on a host that cannot wait is cell-edit-mode, telling the user to press Enter", async (_method, call) => {
    const wb = workbookWithNames(3);
    const before = JSON.stringify(wb.toSnapshot());
    const { port, fake } = adapter(wb, (f) => (_options, batch) => f.run({ delayForCellEdit: false }, batch));
    fake.setCellEditMode(true);
    const failure = call(port);
    await expect(failure).rejects.toBeInstanceOf(WorkbookError);
    await expect(failure).rejects.toMatchObject({ code: "cell-edit-mode", message: expect.stringMatching(/press Enter/) });
    expect(JSON.stringify(wb.toSnapshot())).toBe(before);
  });

  test("settings are not Excel round trips, so they work while a cell is being edited", async () => {
    const { port, fake } = adapter(workbookWithNames(0));
    fake.setCellEditMode(true);
    await port.writeSettings({ nino: "AA123456A" });
    expect(await port.readSettings()).toEqual({ nino: "AA123456A" });
  });
});

describe("OfficeJsWorkbook against answers only real Excel gives", () => {
  /** A context whose selection Excel reports as `address` (real Excel may include `$`; the fake never does). */
  function selectionHost(address: string, rowCount: number, columnCount: number): () => ExcelRunLike {
    const range = { address, rowCount, columnCount, load: () => range };
    const context = { workbook: { getSelectedRange: () => range }, sync: () => Promise.resolve() } as unknown as ExcelContextLike;
    return () => (_options, batch) => batch(context);
  }

  test("a selection address with $ signs is returned without them", async () => {
    const { port } = adapter(workbookWithNames(0), selectionHost("'My sheet'!$B$4:$B$7", 4, 1));
    expect(await port.readSelection()).toEqual({ address: "'My sheet'!B4:B7", rowCount: 4, columnCount: 1 });
  });

  test("the whole sheet as Excel writes it (1:1048576) is invalid-selection", async () => {
    const { port } = adapter(workbookWithNames(0), selectionHost("Sheet1!$1:$1048576", 1_048_576, 16_384));
    await expect(port.readSelection()).rejects.toMatchObject({ code: "invalid-selection", message: expect.stringMatching(/whole sheet/) });
  });

  test("a host that refuses the selection with InvalidOperation is invalid-selection, keeping the cause", async () => {
    const refusal = new FakeOfficeError("InvalidOperation", "The operation attempted is invalid on the object.");
    const { port } = adapter(workbookWithNames(0), () => () => Promise.reject(refusal));
    const failure = port.readSelection();
    await expect(failure).rejects.toMatchObject({ code: "invalid-selection", message: expect.stringMatching(/^Select one block of cells/), cause: refusal });
  });

  test("a name Excel refuses (InvalidArgument) is invalid-name even when our own check would allow it", async () => {
    const refusal = new FakeOfficeError("InvalidArgument", "The argument is invalid or missing or has an incorrect format.");
    const { port } = adapter(workbookWithNames(0), () => () => Promise.reject(refusal));
    const failure = port.nameRange("Ünïcode.name", "Ledger!B2");
    await expect(failure).rejects.toMatchObject({ code: "invalid-name", message: expect.stringMatching(/Excel does not accept “Ünïcode.name” as a name\. A name starts with/), cause: refusal });
  });
});
