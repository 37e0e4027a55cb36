/**
 * The fake Excel is only worth testing against if it is as strict as Office.js. These tests pin down the
 * behaviour our adapter's tests rely on.
 */
import { createFakeExcel, FakeOfficeError, type FakeExcel } from "../../src/workbench/fake-excel";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";

function setup(): { wb: InMemoryWorkbook; fake: FakeExcel } {
  const wb = new InMemoryWorkbook();
  const ws = wb.addSheet("Data");
  ws.setCell(0, 0, { value: 1 });
  ws.setCell(0, 1, { value: "two" });
  wb.defineName("Amount", "=Data!$A$1:$B$1");
  wb.defineName("Rate", "=0.2");
  wb.defineName("Broken", "=#REF!");
  return { wb, fake: createFakeExcel(wb) };
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe("load and sync are enforced", () => {
  test("reading a property that was never loaded throws PropertyNotLoaded", async () => {
    const { fake } = setup();
    await fake.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Data").getRange("A1:B1");
      await context.sync();
      expect(() => range.values).toThrow(FakeOfficeError);
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
  });

  test("a loaded property is unavailable until the sync, then holds the values", async () => {
    const { fake } = setup();
    await fake.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Data").getRange("A1:C1").load("values,valueTypes,address,numberFormat");
      expect(() => range.values).toThrow(/context.sync/);
      await context.sync();
      expect(range.values).toEqual([[1, "two", ""]]);
      expect(range.valueTypes).toEqual([["Double", "String", "Empty"]]);
      expect(range.address).toBe("Data!A1:C1");
      expect(range.numberFormat).toEqual([["General", "General", "General"]]);
      expect(() => range.text).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
  });

  test("collections: items need load and sync", async () => {
    const { fake } = setup();
    await fake.run(async (context) => {
      const names = context.workbook.names;
      expect(() => names.items).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      names.load("items/name,items/type,items/formula");
      expect(() => names.items).toThrow(/context.sync/);
      await context.sync();
      expect(names.items.map((n) => [n.name, n.type, n.formula])).toEqual([
        ["Amount", "Range", "=Data!$A$1:$B$1"],
        ["Rate", "Double", "=0.2"],
        ["Broken", "Error", "=#REF!"],
      ]);
      expect(() => names.items[0]!.value).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
  });

  test("isNullObject is known only after a sync", async () => {
    const { fake } = setup();
    await fake.run(async (context) => {
      const missing = context.workbook.worksheets.getItemOrNullObject("Nope");
      const present = context.workbook.worksheets.getItemOrNullObject("data");
      const range = context.workbook.names.getItem("Rate").getRangeOrNullObject();
      expect(() => missing.isNullObject).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      await context.sync();
      expect(missing.isNullObject).toBe(true);
      expect(present.isNullObject).toBe(false);
      expect(range.isNullObject).toBe(true);
    });
  });

  test("setting a property forgets its loaded value until it is loaded again", async () => {
    const { fake } = setup();
    await fake.run(async (context) => {
      const range = context.workbook.worksheets.getItem("Data").getRange("A1").load("values");
      await context.sync();
      range.values = [[5]];
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      range.load("values");
      await context.sync();
      expect(range.values).toEqual([[5]]);
    });
  });

  test("proxies cannot be used after their Excel.run has finished", async () => {
    const { fake } = setup();
    const leaked = await fake.run(async (context) => context.workbook.worksheets.getItem("Data"));
    expect(() => leaked.getRange("A1")).toThrow(expect.objectContaining({ code: "InvalidRequestContext" }));
  });
});

describe("queued calls fail at sync with Office's codes", () => {
  test("ItemNotFound, with debugInfo naming the failing call", async () => {
    const { fake } = setup();
    const failure = fake.run(async (context) => {
      context.workbook.worksheets.getItem("Missing").getRange("A1").load("values");
      await context.sync();
    });
    await expect(failure).rejects.toMatchObject({ name: "RichApi.Error", code: "ItemNotFound", debugInfo: { code: "ItemNotFound", errorLocation: "WorksheetCollection.getItem" } });
  });

  test("ItemAlreadyExists for a sheet name in any case", async () => {
    const { fake } = setup();
    expect(await codeOf(fake.run(async (context) => void context.workbook.worksheets.add("DATA")))).toBe("ItemAlreadyExists");
  });

  test("getRange on a name that is not a range", async () => {
    const { fake } = setup();
    expect(await codeOf(fake.run(async (context) => void context.workbook.names.getItem("Rate").getRange().load("values")))).toBe("InvalidArgument");
  });

  test("ragged and mis-sized writes are refused; calls queued before the failure stay applied, later ones do not", async () => {
    const { wb, fake } = setup();
    const failure = fake.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Data");
      ws.getRange("D1").values = [["before"]];
      ws.getRange("A2:B3").values = [[1, 2], [3]];
      ws.getRange("E1").values = [["after"]];
      await context.sync();
    });
    await expect(failure).rejects.toMatchObject({
      code: "InvalidArgument",
      debugInfo: { errorLocation: "Range.values", message: "The number of rows or columns in the input array doesn't match the size or dimensions of the range." },
    });
    const data = wb.getSheet("Data")!;
    expect(data.getCell(0, 3)?.value).toBe("before");
    expect(data.getCell(1, 0)).toBeUndefined();
    expect(data.getCell(0, 4)).toBeUndefined();
    expect(await codeOf(fake.run(async (context) => void (context.workbook.worksheets.getItem("Data").getRange("A1:B2").values = [[1, 2, 3], [4, 5, 6]])))).toBe("InvalidArgument");
    expect(await codeOf(fake.run(async (context) => void (context.workbook.worksheets.getItem("Data").getRange("A1:B2").values = [[1]])))).toBe("InvalidArgument");
  });

  test("a single value applies to every cell; numberFormat also broadcasts a 1×1 array; null leaves a cell alone", async () => {
    const { wb, fake } = setup();
    await fake.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Data");
      ws.getRange("C1:D2").values = 7 as unknown as unknown[][];
      ws.getRange("C1:D2").numberFormat = [["0.00"]];
      ws.getRange("A1:B1").values = [[null, "changed"]];
      await context.sync();
    });
    const data = wb.getSheet("Data")!;
    expect([data.getCell(0, 2), data.getCell(1, 3)]).toEqual([
      { value: 7, numberFormat: "0.00" },
      { value: 7, numberFormat: "0.00" },
    ]);
    expect(data.getCell(0, 0)?.value).toBe(1);
    expect(data.getCell(0, 1)?.value).toBe("changed");
  });

  test("values are typed in as Excel would: text format first keeps identifiers as text", async () => {
    const { wb, fake } = setup();
    await fake.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Data");
      ws.getRange("A5:C5").values = [["007", "=1+1", "2025-04-06"]];
      const text = ws.getRange("A6:C6");
      text.numberFormat = [["@", "@", "@"]];
      text.values = [["007", "=1+1", "2025-04-06"]];
      const late = ws.getRange("A7");
      late.values = [["007"]];
      late.numberFormat = [["@"]];
      await context.sync();
    });
    const data = wb.getSheet("Data")!;
    expect([0, 1, 2].map((c) => data.getCell(4, c))).toEqual([{ value: 7 }, { value: null, formula: "=1+1" }, { value: 45753, numberFormat: "yyyy-mm-dd" }]);
    expect([0, 1, 2].map((c) => data.getCell(5, c)?.value)).toEqual(["007", "=1+1", "2025-04-06"]);
    expect(data.getCell(6, 0)).toEqual({ value: 7, numberFormat: "@" });
  });

  test("Excel never deletes the last sheet, and a deleted sheet turns its names into #REF!", async () => {
    const { wb, fake } = setup();
    expect(await codeOf(fake.run(async (context) => void context.workbook.worksheets.getItem("Data").delete()))).toBe("InvalidOperation");
    await fake.run(async (context) => {
      context.workbook.worksheets.add("Other");
      context.workbook.worksheets.getItem("Data").delete();
      await context.sync();
    });
    expect(wb.getName("Amount")!.refersTo).toBe("=#REF!$A$1:$B$1");
    await fake.run(async (context) => {
      const item = context.workbook.names.getItem("Amount").load("type,value");
      await context.sync();
      expect([item.type, item.value]).toEqual(["Error", "#REF!"]);
    });
  });

  test("operations on a null object fail rather than silently doing nothing", async () => {
    const { fake } = setup();
    expect(await codeOf(fake.run(async (context) => void context.workbook.worksheets.getItemOrNullObject("Nope").delete()))).toBe("ItemNotFound");
  });
});

describe("Excel.run", () => {
  test("overloads, sync counting, and the implicit sync for commands left in the queue", async () => {
    const { wb, fake } = setup();
    await fake.run({ delayForCellEdit: true }, async (context) => {
      context.workbook.worksheets.getItem("Data").getRange("Z1").values = [["queued"]];
    });
    expect(fake.syncCount).toBe(1);
    expect(wb.getSheet("Data")!.getCell(0, 25)?.value).toBe("queued");
    await fake.run(async (context) => {
      await context.sync();
      await context.sync();
    });
    expect(fake.syncCount).toBe(3);
    fake.reset();
    expect(fake.syncCount).toBe(0);
  });

  test("a failing batch function rejects with its own error and syncs nothing more", async () => {
    const { fake } = setup();
    await expect(
      fake.run(async (context) => {
        context.workbook.worksheets.getItem("Data").getRange("A1").values = [[9]];
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(fake.syncCount).toBe(0);
  });
});

describe("worksheets, ranges and tables", () => {
  test("getRangeByIndexes, getCell, getResizedRange, used range and clear", async () => {
    const { fake } = setup();
    await fake.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Data");
      const byIndexes = ws.getRangeByIndexes(1, 1, 2, 3).load("address,rowCount,columnCount");
      const cell = byIndexes.getCell(1, 2).load("address");
      const resized = ws.getRange("A1").getResizedRange(0, 1).load("values");
      const used = ws.getUsedRange().load("address");
      const blank = context.workbook.worksheets.add("Blank").getUsedRange().load("address");
      const blankOrNull = context.workbook.worksheets.getItem("Blank").getUsedRangeOrNullObject();
      await context.sync();
      expect([byIndexes.address, byIndexes.rowCount, byIndexes.columnCount]).toEqual(["Data!B2:D3", 2, 3]);
      expect(cell.address).toBe("Data!D3");
      expect(resized.values).toEqual([[1, "two"]]);
      expect(used.address).toBe("Data!A1:B1");
      expect(blank.address).toBe("Blank!A1");
      expect(blankOrNull.isNullObject).toBe(true);
      ws.getRange("A1:B1").clear();
      const after = ws.getRange("A1:B1").load("valueTypes");
      await context.sync();
      expect(after.valueTypes).toEqual([["Empty", "Empty"]]);
    });
    expect(await codeOf(fake.run(async (context) => void context.workbook.worksheets.getItem("Data").getRangeByIndexes(0, 0, 0, 1).load("address")))).toBe("InvalidArgument");
    expect(await codeOf(fake.run(async (context) => void context.workbook.worksheets.getItem("Data").getRange("Other!A1").load("address")))).toBe("InvalidArgument");
  });

  test("tables get unique default names and headers; overlaps are refused", async () => {
    const { wb, fake } = setup();
    await fake.run(async (context) => {
      const ws = context.workbook.worksheets.getItem("Data");
      ws.getRange("D1:E1").values = [["Item", "Item"]];
      const table = ws.tables.add(ws.getRange("D1:E3"), true).load("name");
      await context.sync();
      expect(table.name).toBe("Table1");
      table.name = "Results";
      await context.sync();
    });
    expect(wb.tables().map((t) => t.name)).toEqual(["Results"]);
    expect([wb.getSheet("Data")!.getCell(0, 3)?.value, wb.getSheet("Data")!.getCell(0, 4)?.value]).toEqual(["Item", "Item2"]);
    expect(await codeOf(fake.run(async (context) => void context.workbook.worksheets.getItem("Data").tables.add("E2:F4", true)))).toBe("InvalidArgument");
  });

  test("format: bold, mixed bold reads as null, freeze panes, activate, position, autofit", async () => {
    const { wb, fake } = setup();
    await fake.run(async (context) => {
      const ws = context.workbook.worksheets.add("Out");
      ws.getRange("A1").format.font.bold = true;
      ws.getRange("A1").values = [["A much longer heading"]];
      const font = ws.getRange("A1:B1").format.font.load("bold");
      ws.freezePanes.freezeRows(1);
      ws.getRange("A1:B1").format.autofitColumns();
      ws.position = 0;
      ws.activate();
      await context.sync();
      expect(font.bold).toBeNull();
    });
    const out = wb.getSheet("Out")!;
    expect(wb.sheets()[0]).toBe(out);
    expect(wb.activeSheet()).toBe(out);
    expect(out.frozenRows).toBe(1);
    expect(out.columnWidth(0)).toBe("A much longer heading".length + 2);
  });
});

describe("selection and names", () => {
  test("getSelectedRange is the active sheet's selection, loaded and synced like any range", async () => {
    const { wb, fake } = setup();
    wb.addSheet("Other");
    wb.select("Data!B2:B5");
    await fake.run(async (context) => {
      const range = context.workbook.getSelectedRange();
      expect(() => range.address).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      range.load("address,rowCount,columnCount");
      expect(() => range.rowCount).toThrow(/context.sync/);
      await context.sync();
      expect([range.address, range.rowCount, range.columnCount]).toEqual(["Data!B2:B5", 4, 1]);
      expect(() => range.values).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
    });
    expect(fake.syncCount).toBe(1);
  });

  test("several selected blocks fail at sync with InvalidSelection", async () => {
    const { wb, fake } = setup();
    wb.select("Data!A1,Data!C3:D4");
    const read = fake.run(async (context) => {
      context.workbook.getSelectedRange().load("address");
      await context.sync();
    });
    expect(await codeOf(read)).toBe("InvalidSelection");
  });

  test("getItemOrNullObject finds a name in any case; a missing one is a null object; delete and add run at sync", async () => {
    const { wb, fake } = setup();
    await fake.run(async (context) => {
      const found = context.workbook.names.getItemOrNullObject("AMOUNT");
      const missing = context.workbook.names.getItemOrNullObject("Nope");
      expect(() => found.isNullObject).toThrow(expect.objectContaining({ code: "PropertyNotLoaded" }));
      await context.sync();
      expect([found.isNullObject, missing.isNullObject]).toEqual([false, true]);
      found.delete();
      context.workbook.names.add("amount", "=Data!$B$1");
      expect(wb.getName("Amount")?.refersTo).toBe("=Data!$A$1:$B$1"); // queued, not yet run
      await context.sync();
    });
    expect(wb.getName("AMOUNT")).toEqual({ name: "amount", refersTo: "=Data!$B$1" });
  });

  test("add refuses a name Excel would refuse (InvalidArgument), a taken name or a table's name (ItemAlreadyExists)", async () => {
    const { wb, fake } = setup();
    wb.addTable("Data", { top: 5, left: 0, bottom: 6, right: 0 }, "Receipts");
    const add = (name: string) => codeOf(fake.run(async (context) => void context.workbook.names.add(name, "=Data!$A$1")));
    expect(await add("AB12")).toBe("InvalidArgument");
    expect(await add("two words")).toBe("InvalidArgument");
    expect(await add("rate")).toBe("ItemAlreadyExists");
    expect(await add("RECEIPTS")).toBe("ItemAlreadyExists");
    expect(await add("_ok.name")).toBeUndefined();
  });
});
