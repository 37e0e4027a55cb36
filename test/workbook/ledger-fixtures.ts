/** Ledger-mode workbooks for tests and the benchmark: a transactions table and a category map, built deterministically. */
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { CATEGORY_MAP_TABLE, LEDGER_TABLE } from "../../src/workbook/ledger";
import type { CellScalar } from "../../src/workbook/port";

export const LEDGER_HEADER = ["Date", "Amount", "Category", "Business", "Property"] as const;

export const SE_CATEGORY_MAP: readonly (readonly CellScalar[])[] = [
  ["Sales", "Self-employment", "periodIncome.turnover"],
  ["Stock", "Self-employment", "periodExpenses.costOfGoods"],
  ["Rent", "Self-employment", "periodExpenses.premisesRunningCosts"],
  ["Rent received", "UK property", "income.periodAmount"],
];

/** A workbook with the ledger on sheet Ledger (from A1; as many columns as its rows have) and the map on sheet Map. */
export function ledgerWorkbook(rows: readonly (readonly CellScalar[])[], map: readonly (readonly CellScalar[])[] = SE_CATEGORY_MAP): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  const ledger = wb.addSheet("Ledger");
  const header = LEDGER_HEADER.slice(0, rows[0]?.length ?? LEDGER_HEADER.length);
  header.forEach((h, c) => ledger.setCell(0, c, { value: h }));
  rows.forEach((row, r) => row.forEach((v, c) => v !== null && ledger.setCell(r + 1, c, { value: v })));
  wb.addTable("Ledger", { top: 0, left: 0, bottom: Math.max(1, rows.length), right: header.length - 1 }, LEDGER_TABLE);
  const sheet = wb.addSheet("Map");
  ["Category", "Business type", "HMRC field"].forEach((h, c) => sheet.setCell(0, c, { value: h }));
  map.forEach((row, r) => row.forEach((v, c) => v !== null && sheet.setCell(r + 1, c, { value: v })));
  wb.addTable("Map", { top: 0, left: 0, bottom: Math.max(1, map.length), right: 2 }, CATEGORY_MAP_TABLE);
  return wb;
}

/**
 * `count` transactions of one self-employment ("shop") spread over 2025-26 (date serials 45753…46117), with
 * amounts in whole pence cycling through the three mapped categories, without the optional Property column
 * (so a million rows stay within a table's 5M cells). A linear congruential generator keeps it deterministic.
 */
export function generatedLedgerRows(count: number): CellScalar[][] {
  const categories = ["Sales", "Stock", "Rent"];
  const rows: CellScalar[][] = [];
  let seed = 12345;
  for (let i = 0; i < count; i += 1) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    rows.push([45753 + (seed % 365), (seed % 100000) / 100, categories[i % 3]!, "shop"]);
  }
  return rows;
}
