/**
 * The ledger starter workbook, end to end: loaded from the committed .xlsx, each business previewed for
 * quarter 1 through the CLI, and every figure checked against sums worked out here straight from the
 * table's rows (dates as Excel serials, amounts in whole pence), not through the ledger code.
 */
import { LEDGER_BUSINESS_IDS, STARTER_LEDGER_PATH } from "../../scripts/make-starter-workbooks";
import { main } from "../../src/cli/main";
import type { CellScalar } from "../../src/workbook/port";
import { loadXlsx } from "../../src/workbook/xlsx";

/** Excel's serial for a UTC date: days since 30 December 1899. */
const serial = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000 + 25_569;
const Q1_START = serial(2025, 4, 6);
const Q1_END = serial(2025, 7, 5);

interface Preview {
  ok: boolean;
  mode: string;
  ledger: { used: number; rejected: number };
  body: Record<string, unknown>;
  problems: Array<{ severity: string; message: string }>;
}

async function preview(business: string): Promise<{ code: number; report: Preview }> {
  let out = "";
  const code = await main(["preview", STARTER_LEDGER_PATH, "--business", business, "--tax-year", "2025-26", "--period-end", "2025-07-05", "--json"], {
    stdout: (t) => (out += t),
    stderr: () => undefined,
  });
  return { code, report: JSON.parse(out) as Preview };
}

/** Field path → pence, for quarter 1 rows whose Business (and Property) match, by the Categories table. */
async function expectedSums(business: string, property?: string): Promise<{ sums: Map<string, number>; rows: number }> {
  const wb = await loadXlsx(STARTER_LEDGER_PATH);
  const ledger = await wb.readTable("MTD_Ledger");
  const map = await wb.readTable("MTD_CategoryMap");
  expect(ledger.header).toEqual(["Date", "Amount", "Category", "Business", "Property"]);
  const fieldOf = new Map(map.rows.map((r) => [String(r[0]), String(r[2])]));
  const sums = new Map<string, number>();
  let rows = 0;
  for (const [date, amount, category, who, where] of ledger.rows as CellScalar[][]) {
    if (who !== business || (property !== undefined && where !== property)) continue;
    if (typeof date !== "number" || date < Q1_START || date > Q1_END) continue;
    const field = fieldOf.get(String(category))!;
    sums.set(field, (sums.get(field) ?? 0) + Math.round((amount as number) * 100));
    rows += 1;
  }
  return { sums, rows };
}

/** Field path → pence as the body carries it. */
function bodyPence(part: unknown, paths: Iterable<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const path of paths) {
    const value = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], part);
    if (typeof value === "number") out.set(path, Math.round(value * 100));
  }
  return out;
}

function numbersIn(node: unknown): number {
  if (typeof node === "number") return 1;
  if (node === null || typeof node !== "object") return 0;
  return Object.values(node).reduce<number>((n, v) => n + numbersIn(v), 0);
}

test("the starter keeps a realistic year: a few hundred rows from 6 April 2025 to 5 April 2026", async () => {
  const ledger = await (await loadXlsx(STARTER_LEDGER_PATH)).readTable("MTD_Ledger");
  expect(ledger.rows.length).toBeGreaterThanOrEqual(200);
  const dates = ledger.rows.map((r) => r[0] as number);
  expect(Math.min(...dates)).toBeGreaterThanOrEqual(Q1_START);
  expect(Math.max(...dates)).toBeLessThanOrEqual(serial(2026, 4, 5));
  expect(new Set(ledger.rows.map((r) => r[3]))).toEqual(new Set(["plastering", "UK property", "Foreign property"]));
});

test.each([
  ["SE.plastering", "plastering", undefined, (body: Record<string, unknown>) => body],
  [`UKP.${LEDGER_BUSINESS_IDS.ukProperty}`, "UK property", undefined, (body: Record<string, unknown>) => body.ukProperty],
  [`FP.${LEDGER_BUSINESS_IDS.foreignProperty}`, "Foreign property", "villa", (body: Record<string, unknown>) => (body.foreignProperty as unknown[])[0]],
] as const)("%s, quarter 1: no errors, and every figure is the sum of its rows", async (business, who, property, part) => {
  const { sums, rows } = await expectedSums(who, property);
  expect(sums.size).toBeGreaterThanOrEqual(3);
  const { code, report } = await preview(business);
  expect(report.problems.filter((p) => p.severity === "error")).toEqual([]);
  expect(code).toBe(0);
  expect(report.mode).toBe("ledger");
  expect(report.ledger).toMatchObject({ used: rows, rejected: 0 });
  const sent = part(report.body);
  expect(bodyPence(sent, sums.keys())).toEqual(sums);
  // Nothing is sent that no row produced.
  expect(numbersIn(sent)).toBe(sums.size);
});
