/** Shared steps of the task-pane controller tests: walk to the review step, and read a sheet back. */
import type { TaskpaneController } from "../../src/addin/taskpane/controller";
import type { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { BUSINESS_ID } from "./fake-relay";

/** Start, connect, save the taxpayer, pick the business (the fake's UK property by default) and the period ending on `end` (2026-27). */
export async function toReview(t: { controller: TaskpaneController }, end: string, businessId = BUSINESS_ID): Promise<void> {
  await t.controller.start();
  await t.controller.connect();
  await t.controller.saveTaxpayer("aa 12 34 56 a", "2026-27");
  await t.controller.chooseBusiness(businessId);
  await t.controller.choosePeriod(end);
}

/** The rows of the table under the header row containing `headerCell`, as objects keyed by heading. */
export function tableOf(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>, headerCell: string): Array<Record<string, string | number | boolean | null>> {
  const at = rows.findIndex((r) => r.includes(headerCell));
  if (at < 0) return [];
  const header = rows[at]!.map(String);
  return rows.slice(at + 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? null])));
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
