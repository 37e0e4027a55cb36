/** Shared steps of the task-pane controller tests: walk to the review step, and read a sheet back. */
import type { TaskpaneController } from "../../src/addin/taskpane/controller";
import type { InMemoryWorkbook } from "../../src/workbook/in-memory";

/** Start, connect, save the taxpayer and pick the period ending on `end` (2026-27). */
export async function toReview(t: { controller: TaskpaneController }, end: string): Promise<void> {
  await t.controller.start();
  await t.controller.connect();
  await t.controller.saveTaxpayer("aa 12 34 56 a", "2026-27");
  await t.controller.choosePeriod(end);
}

/** A sheet's used area as rows of values ([] when the sheet does not exist). */
export function rowsOf(wb: InMemoryWorkbook, sheet: string): Array<Array<string | number | boolean | null>> {
  const ws = wb.getSheet(sheet);
  if (!ws) return [];
  const area = ws.usedArea()!;
  const out: Array<Array<string | number | boolean | null>> = [];
  for (let r = area.top; r <= area.bottom; r++) {
    const row: Array<string | number | boolean | null> = [];
    for (let c = area.left; c <= area.right; c++) row.push(ws.getCell(r, c)?.value ?? null);
    out.push(row);
  }
  return out;
}
