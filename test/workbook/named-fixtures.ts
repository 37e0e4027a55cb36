/** Workbooks for the named-range tests: a records sheet where each name is one row, from row 2 down. */
import { InMemoryWorkbook, type CellData } from "../../src/workbook/in-memory";

export type FixtureCell = CellData | number | string | null;

/**
 * Each name gets one row: one cell in column B (the year to date) or B:E (quarters 1 to 4). Plain values go
 * through `cell` (by default a typed value), objects are used as they are, null leaves the cell empty.
 */
export function namedRowsWorkbook(sheet: string, rows: Record<string, FixtureCell[]>, cell: (value: number | string, row: number) => CellData = (value) => ({ value })): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  const ws = wb.addSheet(sheet);
  const ref = /^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) ? sheet : `'${sheet}'`;
  Object.entries(rows).forEach(([name, cells], i) => {
    const row = i + 1;
    cells.forEach((c, col) => {
      if (c === null) return;
      ws.setCell(row, 1 + col, typeof c === "object" ? c : cell(c, row));
    });
    wb.defineName(name, `=${ref}!$B$${row + 1}${cells.length === 1 ? "" : `:$E$${row + 1}`}`);
  });
  return wb;
}
