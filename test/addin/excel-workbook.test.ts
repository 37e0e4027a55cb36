import { OfficeJsWorkbook, toWorkbookError, type ExcelRunLike } from "../../src/addin/excel-workbook";
import { officeDocumentSettings, SettingsSaveError, type DocumentSettingsLike, type OfficeSettingsLike } from "../../src/addin/office-settings";
import { createFakeDocumentSettings, createFakeExcel, createFakeOfficeSettings, FakeOfficeError, type FakeExcel } from "../../src/workbench/fake-excel";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { WorkbookError } from "../../src/workbook/port";
import { readUkPropertyFigures } from "../../src/workbook/uk-property-figures";
import { parseTaxYear } from "../../src/mtd";
import { describePortContract, sampleSheet, sampleWorkbook } from "../workbook/port-contract";
import { describeSelectionContract } from "../workbook/selection-contract";

/** Compile-time proof that production can pass the real Office.js objects (never called: no Excel here). */
export function productionTypesFit(): void {
  const run: ExcelRunLike = Excel.run;
  const settings: OfficeSettingsLike = Office.context.document.settings;
  void run;
  void settings;
}

function officeJs(wb: InMemoryWorkbook, settings?: DocumentSettingsLike): { port: OfficeJsWorkbook; fake: FakeExcel } {
  const fake = createFakeExcel(wb);
  return { port: new OfficeJsWorkbook({ run: fake.run, settings: settings ?? officeDocumentSettings(createFakeOfficeSettings(wb)) }), fake };
}

describePortContract("OfficeJsWorkbook over the fake Excel", (wb) => ({ port: officeJs(wb).port, workbook: wb }));
describeSelectionContract("OfficeJsWorkbook over the fake Excel", (wb) => ({ port: officeJs(wb).port, workbook: wb }));

/** A sheet of `count` single-cell names. */
function manyNames(count: number): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  const ws = wb.addSheet("Data");
  for (let i = 0; i < count; i += 1) {
    ws.setCell(i, 0, { value: i + 0.25 });
    wb.defineName(`MTD.Test.n${i}`, `=Data!$A$${i + 1}`);
  }
  wb.defineName("Elsewhere", "=Data!$B$1");
  return wb;
}

describe("sync counts", () => {
  test.each([10, 200])("reading %i names takes two syncs", async (count) => {
    const { port, fake } = officeJs(manyNames(count));
    const names = await port.readNames("MTD.Test.");
    expect(names).toHaveLength(count);
    expect(names[count - 1]!.cells[0]![0]!.value).toBe(count - 1 + 0.25);
    expect(fake.syncCount).toBe(2);
  });

  test("reading names that include no ranges takes one sync", async () => {
    const wb = new InMemoryWorkbook();
    wb.addSheet("S");
    wb.defineName("MTD.UKP.expenses.other", "=#REF!");
    wb.defineName("MTD.UKP.income.periodAmount", "=42");
    const { port, fake } = officeJs(wb);
    expect((await port.readNames("MTD.UKP.")).map((n) => n.kind)).toEqual(["ref-error", "not-a-range"]);
    expect(fake.syncCount).toBe(1);
  });

  test("reading figures for a whole workbook stays within two syncs", async () => {
    const { port, fake } = officeJs(sampleWorkbook());
    const ty = parseTaxYear("2025-26");
    if (!ty.ok) throw new Error("tax year");
    const r = await readUkPropertyFigures(port, { taxYear: ty.value, quarter: 2 });
    expect(r.amounts.get("income.periodAmount")).toBe(200050);
    expect(fake.syncCount).toBeLessThanOrEqual(2);
  });

  test("writing a new sheet takes exactly one sync, and so does rewriting it", async () => {
    const { port, fake } = officeJs(sampleWorkbook());
    await port.writeSheet(sampleSheet());
    expect(fake.syncCount).toBe(1);
    fake.reset();
    await port.writeSheet(sampleSheet({ rows: [["A", 1, 2]] }));
    expect(fake.syncCount).toBe(1);
  });

  test("settings need no Excel round trip", async () => {
    const { port, fake } = officeJs(sampleWorkbook());
    await port.writeSettings({ nino: "AA123456A" });
    expect(await port.readSettings()).toEqual({ nino: "AA123456A" });
    expect(fake.syncCount).toBe(0);
  });
});

describe("ownership", () => {
  test("a sheet written by the in-memory workbook is rewritten by the Office.js adapter, and vice versa", async () => {
    const wb = sampleWorkbook();
    await wb.writeSheet(sampleSheet());
    const { port } = officeJs(wb);
    await port.writeSheet(sampleSheet({ rows: [["from Excel", 1, 1]] }));
    expect(wb.getSheet("MTD Receipts")!.getCell(4, 0)?.value).toBe("from Excel");
    await wb.writeSheet(sampleSheet({ rows: [["from memory", 1, 1]] }));
    expect(wb.getSheet("MTD Receipts")!.getCell(4, 0)?.value).toBe("from memory");
  });

  test("sheets written at the same time are both recorded as ours", async () => {
    const wb = sampleWorkbook();
    const { port } = officeJs(wb);
    await Promise.all([port.writeSheet(sampleSheet()), port.writeSheet(sampleSheet({ name: "MTD BISS", tag: "mtd-bridge:biss" }))]);
    expect(wb.ownedSheets()).toEqual({ "MTD Receipts": "mtd-bridge:receipts", "MTD BISS": "mtd-bridge:biss" });
    await port.writeSheet(sampleSheet({ name: "MTD BISS", tag: "mtd-bridge:biss" }));
  });

  test("ownership is recorded only after the sheet was written", async () => {
    const wb = sampleWorkbook();
    wb.addSheet("MTD Receipts");
    const { port } = officeJs(wb);
    await expect(port.writeSheet(sampleSheet())).rejects.toMatchObject({ code: "sheet-owned-by-user" });
    expect(wb.getDocumentSetting("mtd.ownedSheets")).toBeNull();
  });

  test("a sheet written but not recorded (settings could not be saved) is reported, not silently lost", async () => {
    const wb = sampleWorkbook();
    const { port } = officeJs(wb, createFakeDocumentSettings(wb, { failSave: () => true }));
    await expect(port.writeSheet(sampleSheet())).rejects.toMatchObject({ code: "excel-error", message: expect.stringMatching(/was written.*Save the workbook/) });
    expect(wb.getSheet("MTD Receipts")).toBeDefined();
  });
});

describe("Excel errors become messages a user can act on", () => {
  test("cell-edit mode: the adapter asks Excel to wait rather than fail", async () => {
    const { port, fake } = officeJs(manyNames(3));
    fake.setCellEditMode(true);
    let done = false;
    const reading = port.readNames("MTD.Test.").then((r) => {
      done = true;
      return r;
    });
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve)); // let the batch reach its sync
    expect(done).toBe(false);
    fake.setCellEditMode(false);
    expect(await reading).toHaveLength(3);
  });

  test("cell-edit mode on a host that cannot wait", async () => {
    const wb = manyNames(3);
    const fake = createFakeExcel(wb);
    fake.setCellEditMode(true);
    const impatient: ExcelRunLike = (_options, batch) => fake.run(batch); // ignores delayForCellEdit
    const port = new OfficeJsWorkbook({ run: impatient, settings: createFakeDocumentSettings(wb) });
    await expect(port.readNames("MTD.")).rejects.toMatchObject({ code: "cell-edit-mode", message: "Excel is waiting for you to finish editing a cell. Finish editing the cell (press Enter) and try again." });
  });

  test("settings Office could not save are an actionable excel-error, and are not read back as if saved", async () => {
    const wb = sampleWorkbook();
    let failing = false;
    const office = createFakeOfficeSettings(wb, { failSave: () => failing });
    const { port } = officeJs(wb, officeDocumentSettings(office));
    await port.writeSettings({ nino: "AA123456A" });
    failing = true;
    const failure = port.writeSettings({ nino: "BB123456B", basis: "calendar" });
    await expect(failure).rejects.toBeInstanceOf(WorkbookError);
    await expect(failure).rejects.toMatchObject({ code: "excel-error", message: expect.stringMatching(/not read-only .*then try again/), cause: expect.any(SettingsSaveError) });
    expect(await port.readSettings()).toEqual({ nino: "AA123456A" });
    failing = false;
    await port.writeSettings({ basis: "standard" });
    expect(await wb.readSettings()).toEqual({ nino: "AA123456A", basis: "standard" });
  });

  test("a write over Excel on the web's 5 MB request limit fails cleanly and changes nothing", async () => {
    const wb = sampleWorkbook();
    const { port } = officeJs(wb);
    const big = "x".repeat(30_000);
    const rows = Array.from({ length: 200 }, (_, i) => [String(i), 1, big] as [string, number, string]);
    const failure = port.writeSheet(sampleSheet({ rows, moneyColumns: [] }));
    await expect(failure).rejects.toBeInstanceOf(WorkbookError);
    await expect(failure).rejects.toMatchObject({ code: "payload-too-large", message: expect.stringMatching(/5 MB/) });
    expect(wb.getSheet("MTD Receipts")).toBeUndefined();
    expect(wb.ownedSheets()).toEqual({});
  });

  test.each([
    ["InvalidOperationInCellEditMode", "cell-edit-mode", /press Enter/],
    ["RequestPayloadSizeLimitExceeded", "payload-too-large", /5 MB/],
    ["ResponsePayloadSizeLimitExceeded", "payload-too-large", /5 MB/],
    ["ItemAlreadyExists", "excel-error", /already exists/],
    ["GeneralException", "excel-error", /restart Excel/],
    ["ApiNotFound", "excel-error", /Update Office/],
    ["AccessDenied", "excel-error", /protected or opened read-only/],
    ["InvalidSelection", "invalid-selection", /^Select one block of cells/],
    ["ItemNotFound", "excel-error", /deleted or renamed/],
    ["InvalidArgument", "excel-error", /still exist, then try again/],
    ["InvalidReference", "excel-error", /no longer there/],
    ["InvalidOperation", "excel-error", /not protected, then try again/],
    ["ServiceNotAvailable", "excel-error", /Wait a moment and try again/],
    ["RequestAborted", "excel-error", /Wait a moment and try again/],
    ["TimeoutReached", "excel-error", /Wait a moment and try again/],
    ["Unauthenticated", "excel-error", /still signed in/],
    ["SomethingNew", "excel-error", /SomethingNew/],
  ])("%s → %s", (code, expected, message) => {
    const original = new FakeOfficeError(code, "localized text not meant for users", { errorLocation: "Range.values", statement: "secret data" });
    const mapped = toWorkbookError(original);
    expect(mapped.code).toBe(expected);
    expect(mapped.message).toMatch(message);
    expect(mapped.message).not.toMatch(/secret data|localized/);
    expect(mapped.cause).toBe(original);
  });
});
