/** Reading a large table through the Office.js adapter, in blocks that stay under Excel on the web's 5 MB limit. */
import { OfficeJsWorkbook } from "../../src/addin/excel-workbook";
import { officeDocumentSettings } from "../../src/addin/office-settings";
import { createFakeExcel, createFakeOfficeSettings, type FakeExcel } from "../../src/workbench/fake-excel";
import type { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { LEDGER_TABLE, readLedgerFigures } from "../../src/workbook/ledger";
import { parseTaxYear, unwrap } from "../../src/mtd";
import { generatedLedgerRows, ledgerWorkbook } from "../workbook/ledger-fixtures";

function officeJs(wb: InMemoryWorkbook, platform: "web" | "desktop" = "web"): { port: OfficeJsWorkbook; fake: FakeExcel } {
  const fake = createFakeExcel(wb, { platform });
  return { port: new OfficeJsWorkbook({ run: fake.run, settings: officeDocumentSettings(createFakeOfficeSettings(wb)) }), fake };
}

const TY = unwrap(parseTaxYear("2025-26"));

describe("OfficeJsWorkbook.readTable", () => {
  test("reads 50,000 rows in 1 sync for the table's size and one per block, reporting progress, with the in-memory workbook's values", async () => {
    const wb = ledgerWorkbook(generatedLedgerRows(50_000));
    const { port, fake } = officeJs(wb);
    const progress: Array<[number, number]> = [];
    const table = await port.readTable("mtd_ledger", { onProgress: (read, total) => progress.push([read, total]) });
    // First block 5,000 rows; then ~45 bytes a row sizes the rest at the 20,000-row cap: 5k + 20k + 20k + 5k.
    expect(fake.syncCount).toBe(1 + 4);
    expect(progress).toEqual([[5_000, 50_000], [25_000, 50_000], [45_000, 50_000], [50_000, 50_000]]);
    expect(table).toEqual(await wb.readTable(LEDGER_TABLE));
    expect(table).toMatchObject({ name: LEDGER_TABLE, sheet: "Ledger", headerRow: 0, firstColumn: 0, header: ["Date", "Amount", "Category", "Business"] });
  });

  test("wide rows get smaller blocks, and a block Excel on the web refuses as over 5 MB is halved and read again", async () => {
    const wide = generatedLedgerRows(6_000).map((row) => [row[0]!, row[1]!, "Sales", "shop", "x".repeat(1_100)]);
    const wb = ledgerWorkbook(wide);
    const { port, fake } = officeJs(wb);
    const progress: number[] = [];
    const table = await port.readTable(LEDGER_TABLE, { onProgress: (read) => progress.push(read) });
    // 5,000 rows × ~1.1 KB exceeds 5 MB: refused, then 2,500 rows (2.8 MB) read; the rest sized to ~2 MB blocks.
    expect(progress[0]).toBe(2_500);
    expect(progress.at(-1)).toBe(6_000);
    expect(fake.syncCount).toBe(1 + 1 + progress.length);
    expect(table.rows).toEqual((await wb.readTable(LEDGER_TABLE)).rows);
  });

  test("on desktop (no 5 MB limit) the same blocks are read without refusals", async () => {
    const wide = generatedLedgerRows(6_000).map((row) => [row[0]!, row[1]!, "Sales", "shop", "x".repeat(1_100)]);
    const { port, fake } = officeJs(ledgerWorkbook(wide), "desktop");
    const progress: number[] = [];
    await port.readTable(LEDGER_TABLE, { onProgress: (read) => progress.push(read) });
    expect(progress[0]).toBe(5_000);
    expect(fake.syncCount).toBe(1 + progress.length);
  });

  test("a header-only table reads in one sync; a missing table is table-not-found", async () => {
    const wb = ledgerWorkbook([]);
    const { port, fake } = officeJs(wb);
    const table = await port.readTable(LEDGER_TABLE);
    expect(table.rows).toEqual([[null, null, null, null, null]]); // Excel tables keep one (blank) data row
    expect(fake.syncCount).toBe(2);
    await expect(port.readTable("Transactions")).rejects.toEqual(expect.objectContaining({ code: "table-not-found" }));
  });

  test("ledger figures through the adapter equal those from the in-memory workbook", async () => {
    const wb = ledgerWorkbook(generatedLedgerRows(12_000));
    const request = { source: { type: "self-employment", key: "shop" }, taxYear: TY, quarter: 3 } as const;
    const viaExcel = await readLedgerFigures(officeJs(wb).port, request);
    const inMemory = await readLedgerFigures(wb, request);
    expect(viaExcel).toEqual(inMemory);
    expect(viaExcel.amounts.size).toBe(3);
    expect(viaExcel.problems).toEqual([]);
  });
});
