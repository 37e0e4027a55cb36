/**
 * Ledger mode's figures for `npm run bench` (issue #6): ms to read a transactions table from the in-memory
 * workbook, aggregate it into year-to-date pence and build and validate the HMRC body (prepareQuarterlyUpdate,
 * the preparation the task pane sends and the CLI previews), at 10k, 100k and
 * 1M rows (rows generated deterministically); and the syncs the Office.js adapter needs for 100k rows on
 * the strict fake Excel (Excel on the web's 5 MB limit on).
 */
import { performance } from "node:perf_hooks";
import { OfficeJsWorkbook } from "../src/addin/excel-workbook";
import { officeDocumentSettings } from "../src/addin/office-settings";
import { parseTaxYear, quarterOf, unwrap } from "../src/mtd";
import { createFakeExcel, createFakeOfficeSettings } from "../src/workbench/fake-excel";
import { CATEGORY_MAP_TABLE, LEDGER_TABLE, ledgerFigures, type LedgerRequest } from "../src/workbook/ledger";
import type { WorkbookPort } from "../src/workbook/port";
import { prepareQuarterlyUpdate, type UpdateRequest } from "../src/workbook/quarterly-update";
import { mappingFromSettings } from "../src/workbook/workbook-mapping";
import { generatedLedgerRows, ledgerWorkbook } from "../test/workbook/ledger-fixtures";

const TAX_YEAR = unwrap(parseTaxYear("2025-26"));
const REQUEST: LedgerRequest = { source: { type: "self-employment", key: "shop" }, taxYear: TAX_YEAR, quarter: 4 };
/** The generated rows' Business `shop`, as a workbook in ledger mode records it. */
const SHOP_ID = "XAIS12345678901";
const UPDATE: UpdateRequest = {
  target: { type: "self-employment", businessId: SHOP_ID },
  quarter: quarterOf(TAX_YEAR, "standard", 4),
  mapping: mappingFromSettings({ "alias.shop": SHOP_ID, [`business.${SHOP_ID}.mode`]: "ledger" }),
};

async function readAggregateBuild(port: WorkbookPort): Promise<void> {
  const update = await prepareQuarterlyUpdate(port, UPDATE);
  if (update.mode !== "ledger" || !update.canSubmit || update.problems.length > 0) throw new Error("the generated ledger should give a valid body with no problems");
}

/** Median of a few runs after one warm-up: the 1M case alone takes about a second a run, so runs are few. */
async function medianMs(runs: number, fn: () => Promise<void>): Promise<number> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export async function ledgerBenchmarks(): Promise<Array<[string, string]>> {
  const rows: Array<[string, string]> = [];
  let previous: { count: number; ms: number } | undefined;
  for (const [count, runs] of [[10_000, 15], [100_000, 7], [1_000_000, 3]] as const) {
    const wb = ledgerWorkbook(generatedLedgerRows(count));
    const ms = await medianMs(runs, () => readAggregateBuild(wb));
    const [ledger, map] = [await wb.readTable(LEDGER_TABLE), await wb.readTable(CATEGORY_MAP_TABLE)];
    const aggregateMs = await medianMs(runs, async () => void ledgerFigures(ledger, map, REQUEST));
    const growth = previous ? `, ×${(ms / previous.ms).toFixed(1)} for ×${count / previous.count} rows` : "";
    rows.push([
      `ledger ${count.toLocaleString("en-GB")} rows: read → pence → HMRC body → validate (in-memory)`,
      `median ${ms.toFixed(1)} ms of ${runs} runs (aggregating alone ${aggregateMs.toFixed(1)} ms${growth})`,
    ]);
    previous = { count, ms };
  }

  const wb = ledgerWorkbook(generatedLedgerRows(100_000));
  const fake = createFakeExcel(wb);
  const port = new OfficeJsWorkbook({ run: fake.run, settings: officeDocumentSettings(createFakeOfficeSettings(wb)) });
  const t0 = performance.now();
  await port.readTable(LEDGER_TABLE);
  const ms = performance.now() - t0;
  rows.push(["ledger 100,000 rows via Office.js adapter (fake, web 5 MB limit): syncs", `${fake.syncCount} (${ms.toFixed(0)} ms on the fake)`]);
  return rows;
}
