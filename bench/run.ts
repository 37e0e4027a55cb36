/**
 * `npm run bench`: figures for the walking skeleton's hot path, printed as a table.
 *  - Excel round trips: syncs to read 10 vs 200 names through the Office.js adapter (on the strict fake).
 *  - Time to read the starter workbook's names, turn cells into pence, build and validate the HMRC body.
 *  - Ledger mode: read, aggregate and build at 10k / 100k / 1M rows, and the adapter's syncs (bench/ledger.ts).
 *  - What the relay adds: relay → sandbox against straight to the sandbox, on loopback (bench/relay.ts).
 * Speed is measured here, never asserted in tests.
 */
import { performance } from "node:perf_hooks";
import { resolve } from "node:path";
import { OfficeJsWorkbook } from "../src/addin/excel-workbook";
import { officeDocumentSettings } from "../src/addin/office-settings";
import { buildUkPropertyCumulative, quarterOf, unwrap, parseTaxYear, validateUkPropertyCumulative } from "../src/mtd";
import { createFakeExcel, createFakeOfficeSettings } from "../src/workbench/fake-excel";
import { InMemoryWorkbook } from "../src/workbook/in-memory";
import { readUkPropertyFigures } from "../src/workbook/uk-property-figures";
import { loadXlsx } from "../src/workbook/xlsx";
import { ledgerBenchmarks } from "./ledger";
import { relayBenchmarks } from "./relay";

const TAX_YEAR = unwrap(parseTaxYear("2025-26"));

function workbookWithNames(count: number): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  const ws = wb.addSheet("Data");
  for (let i = 0; i < count; i += 1) {
    ws.setCell(i, 0, { value: 100 + i });
    wb.defineName(`MTD.Bench.n${i}`, `=Data!$A$${i + 1}`);
  }
  return wb;
}

async function syncsToRead(count: number): Promise<number> {
  const wb = workbookWithNames(count);
  const fake = createFakeExcel(wb);
  const port = new OfficeJsWorkbook({ run: fake.run, settings: officeDocumentSettings(createFakeOfficeSettings(wb)) });
  await port.readNames("MTD.Bench.");
  return fake.syncCount;
}

async function timeIt(label: string, iterations: number, fn: () => Promise<unknown>): Promise<[string, string]> {
  for (let i = 0; i < Math.min(50, iterations); i += 1) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const p50 = samples[Math.floor(samples.length * 0.5)]!;
  const p99 = samples[Math.floor(samples.length * 0.99)]!;
  return [label, `p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms (${iterations} runs)`];
}

async function main(): Promise<void> {
  const rows: Array<[string, string]> = [];
  const s10 = await syncsToRead(10);
  const s200 = await syncsToRead(200);
  rows.push(["syncs to read 10 names", String(s10)], ["syncs to read 200 names", String(s200)]);

  const starter = await loadXlsx(resolve(__dirname, "../assets/starter-landlord.xlsx"));
  const q2 = quarterOf(TAX_YEAR, "standard", 2);
  rows.push(
    await timeIt("starter workbook: read names → pence → HMRC body → validate (in-memory)", 2000, async () => {
      const figures = await readUkPropertyFigures(starter, { taxYear: TAX_YEAR, quarter: 2 });
      const body = buildUkPropertyCumulative({ fromDate: q2.cumulativeStart, toDate: q2.end, amounts: figures.amounts });
      if (validateUkPropertyCumulative(body).length > 0) throw new Error("starter workbook should be valid");
    }),
  );
  const fake = createFakeExcel(starter);
  const port = new OfficeJsWorkbook({ run: fake.run, settings: officeDocumentSettings(createFakeOfficeSettings(starter)) });
  rows.push(
    await timeIt("starter workbook via Office.js adapter on the fake Excel", 1000, async () => {
      await readUkPropertyFigures(port, { taxYear: TAX_YEAR, quarter: 2 });
    }),
  );

  rows.push(...(await ledgerBenchmarks()));
  rows.push(...(await relayBenchmarks()));

  const width = Math.max(...rows.map(([l]) => l.length));
  console.log("MTD Bridge benchmarks");
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
