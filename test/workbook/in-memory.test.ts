import { enterValue, InMemoryWorkbook, WorkbookModelError, type WorkbookChange, type WorkbookSnapshot } from "../../src/workbook/in-memory";
import { describePortContract, sampleSheet, sampleWorkbook } from "./port-contract";
import { describeSelectionContract } from "./selection-contract";

describePortContract("InMemoryWorkbook", (wb) => ({ port: wb, workbook: wb }));
describeSelectionContract("InMemoryWorkbook", (wb) => ({ port: wb, workbook: wb }));

describe("InMemoryWorkbook", () => {
  test("a snapshot round-trips through plain JSON", async () => {
    const wb = sampleWorkbook();
    await wb.writeSheet(sampleSheet());
    await wb.writeSettings({ nino: "AA123456A" });
    const json = JSON.stringify(wb.toSnapshot());
    const copy = InMemoryWorkbook.fromSnapshot(JSON.parse(json) as WorkbookSnapshot);
    expect(JSON.stringify(copy.toSnapshot())).toBe(json);
    expect(await copy.readNames("MTD.")).toEqual(await wb.readNames("MTD."));
    expect(await copy.readSettings()).toEqual({ nino: "AA123456A" });
    expect(copy.ownedSheets()).toEqual({ "MTD Receipts": "mtd-bridge:receipts" });
  });

  test("fromSnapshot refuses malformed input with a located message", () => {
    const good: WorkbookSnapshot = { version: 1, sheets: [{ name: "S", cells: [{ ref: "A1", value: 1 }] }], names: [], settings: {} };
    expect(() => InMemoryWorkbook.fromSnapshot(good)).not.toThrow();
    const bad = (s: unknown): (() => void) => () => InMemoryWorkbook.fromSnapshot(s as WorkbookSnapshot);
    expect(bad({ ...good, version: 2 })).toThrow(/version 1/);
    expect(bad({ ...good, sheets: [{ name: "S", cells: [{ ref: "A0", value: 1 }] }] })).toThrow(/A0/);
    expect(bad({ ...good, sheets: [{ name: "S", cells: [{ ref: "B2", value: { evil: true } }] }] })).toThrow(/S!B2/);
    expect(bad({ ...good, sheets: [{ name: "S", cells: [{ ref: "B2", value: "oops", error: true }] }] })).toThrow(/error/);
    expect(bad({ ...good, sheets: [{ name: "Bad/Name", cells: [] }] })).toThrow(/characters/);
    expect(bad({ ...good, names: [{ name: "A1", refersTo: "=S!$A$1" }] })).toThrow(/cell reference/);
  });

  test("onChange reports each change, and a batch once", () => {
    const wb = new InMemoryWorkbook();
    const seen: WorkbookChange[] = [];
    const stop = wb.onChange((c) => seen.push(c));
    const ws = wb.addSheet("S");
    ws.enter(0, 0, 5);
    expect(seen.map((c) => c.kinds)).toEqual([["sheets"], ["cells"]]);
    wb.batch(() => {
      ws.enter(1, 0, 6);
      wb.defineName("X", "=S!$A$1");
      ws.enter(2, 0, 7);
    });
    expect(seen[2]!.kinds).toEqual(["cells", "names"]);
    expect(seen).toHaveLength(3);
    stop();
    ws.enter(3, 0, 8);
    expect(seen).toHaveLength(3);
  });

  test("writeSheet notifies once for the whole write", async () => {
    const wb = sampleWorkbook();
    const seen: WorkbookChange[] = [];
    wb.onChange((c) => seen.push(c));
    await wb.writeSheet(sampleSheet());
    expect(seen).toHaveLength(1);
    expect(seen[0]!.kinds).toEqual(expect.arrayContaining(["cells", "sheets", "tables", "settings"]));
  });

  test("sheets: unique names in any case, valid names, never the last sheet, renames follow names", () => {
    const wb = new InMemoryWorkbook();
    wb.addSheet("Data");
    expect(() => wb.addSheet("DATA")).toThrow(WorkbookModelError);
    expect(() => wb.addSheet("a[b]")).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(() => wb.deleteSheet("Data")).toThrow(expect.objectContaining({ code: "InvalidOperation" }));
    expect(wb.addSheet().name).toBe("Sheet2");
    wb.defineName("Rents", "=Data!$B$2:$E$2");
    wb.renameSheet("data", "Records 2025");
    expect(wb.getName("rents")!.refersTo).toBe("='Records 2025'!$B$2:$E$2");
    wb.moveSheet("Sheet2", 0);
    expect(wb.sheets().map((s) => s.name)).toEqual(["Sheet2", "Records 2025"]);
  });

  test("selection: one per sheet, selecting activates the sheet, and only a change of sheet is reported", () => {
    const wb = new InMemoryWorkbook();
    const first = wb.addSheet("First");
    const second = wb.addSheet("Second");
    expect(wb.selectedAreas()).toEqual({ sheet: first, areas: [{ top: 0, left: 0, bottom: 0, right: 0 }] });
    const seen: WorkbookChange[] = [];
    wb.onChange((c) => seen.push(c));
    wb.select("First!B2:C3");
    expect(seen).toHaveLength(0);
    wb.select("'Second'!A1, D4");
    expect(wb.activeSheet()).toBe(second);
    expect(seen.map((c) => c.kinds)).toEqual([["sheets"]]);
    expect(wb.selectedAreas()?.areas).toEqual([{ top: 0, left: 0, bottom: 0, right: 0 }, { top: 3, left: 3, bottom: 3, right: 3 }]);
    expect(wb.selectedAreas(first)?.areas).toEqual([{ top: 1, left: 1, bottom: 2, right: 2 }]);
    wb.deleteSheet("Second");
    expect(wb.selectedAreas()).toEqual({ sheet: first, areas: [{ top: 1, left: 1, bottom: 2, right: 2 }] });
  });

  test("select refuses what Excel could not select", () => {
    const wb = new InMemoryWorkbook();
    wb.addSheet("S");
    expect(() => wb.select("B2")).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(() => wb.select("Nope!B2")).toThrow(expect.objectContaining({ code: "ItemNotFound" }));
    wb.addSheet("T");
    expect(() => wb.select("S!B2,T!C3")).toThrow(/not a block of cells on S/);
  });

  test("a workbook with no sheets has no selection to read", async () => {
    await expect(new InMemoryWorkbook().readSelection()).rejects.toMatchObject({ code: "invalid-selection" });
  });

  test("tables share a namespace with names and never overlap", () => {
    const wb = new InMemoryWorkbook();
    const ws = wb.addSheet("S");
    ws.enter(0, 0, "A");
    ws.enter(0, 1, "A");
    const t = wb.addTable("S", { top: 0, left: 0, bottom: 3, right: 2 });
    expect(t.name).toBe("Table1");
    expect([0, 1, 2].map((c) => ws.getCell(0, c)?.value)).toEqual(["A", "A2", "Column3"]);
    expect(() => wb.addTable("S", { top: 2, left: 2, bottom: 5, right: 5 })).toThrow(/overlap/);
    wb.defineName("Taken", "=S!$A$1");
    expect(() => wb.addTable("S", { top: 10, left: 0, bottom: 11, right: 0 }, "taken")).toThrow(expect.objectContaining({ code: "ItemAlreadyExists" }));
  });
});

describe("enterValue follows Excel's typing rules", () => {
  const text = { value: null, numberFormat: "@" };
  test.each([
    ["007", undefined, { value: 7 }],
    ["007", text, { value: "007", numberFormat: "@" }],
    ["-12.5", undefined, { value: -12.5 }],
    ["true", undefined, { value: true }],
    ["#N/A", undefined, { value: "#N/A", isError: true }],
    ["=SUM(A1:A2)", undefined, { value: null, formula: "=SUM(A1:A2)" }],
    ["+44 20 7946 0000", undefined, { value: null, formula: "=+44 20 7946 0000" }],
    ["=SUM(A1:A2)", text, { value: "=SUM(A1:A2)", numberFormat: "@" }],
    ["2025-04-06", undefined, { value: 45753, numberFormat: "yyyy-mm-dd" }],
    ["", { value: 5, numberFormat: "0.00" }, { value: null, numberFormat: "0.00" }],
    ["n/a", undefined, { value: "n/a" }],
  ])("%j into %j", (input, current, expected) => {
    expect(enterValue(current, input)).toEqual(expected);
  });

  test("refuses what no cell can hold", () => {
    expect(() => enterValue(undefined, Number.NaN)).toThrow(WorkbookModelError);
    expect(() => enterValue(undefined, { a: 1 })).toThrow(WorkbookModelError);
    expect(() => enterValue(undefined, "x".repeat(32_768))).toThrow(/32,767/);
  });
});
