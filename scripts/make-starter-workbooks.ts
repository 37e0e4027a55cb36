/**
 * Builds assets/starter-landlord.xlsx: a UK landlord's record-keeping workbook with the MTD names already
 * defined, for new users, the workbench and tests. Deterministic: running it twice gives identical bytes.
 *
 *   npx tsx scripts/make-starter-workbooks.ts
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { UK_PROPERTY_CUMULATIVE_FIELDS } from "../src/mtd";
import { cellName, formatAddress } from "../src/workbook/address";
import { InMemoryWorkbook, type InMemorySheet } from "../src/workbook/in-memory";
import { UK_PROPERTY_NAME_PREFIX } from "../src/workbook/uk-property-figures";
import { saveXlsx } from "../src/workbook/xlsx";

export const STARTER_LANDLORD_PATH = join(__dirname, "..", "assets", "starter-landlord.xlsx");
export const RECORDS_SHEET = "Property income";

const MONEY = "#,##0.00";

interface Line {
  readonly label: string;
  readonly field?: string;
  /** Quarter 1 and quarter 2 amounts in pounds; quarters 3 and 4 are still to come. */
  readonly q1?: number;
  readonly q2?: number;
}

/** Two flats let through an agent; the second was empty for a month in quarter 2. */
const INCOME: readonly Line[] = [
  { label: "Rents received", field: "income.periodAmount", q1: 6300, q2: 5350 },
  { label: "Other income from tenants (parking space)", field: "income.otherIncome", q1: 120, q2: 120 },
  { label: "Lease premiums", field: "income.premiumsOfLeaseGrant" },
  { label: "Rent-a-room rents", field: "income.rentARoom.rentsReceived" },
  { label: "Tax deducted from rents", field: "income.taxDeducted" },
];

const EXPENSES: readonly Line[] = [
  { label: "Rates, insurance, ground rent (premises running costs)", field: "expenses.premisesRunningCosts", q1: 412.5, q2: 389.2 },
  { label: "Repairs and maintenance", field: "expenses.repairsAndMaintenance", q1: 845, q2: 129.99 },
  { label: "Letting agent, legal and accountancy fees", field: "expenses.professionalFees", q1: 756, q2: 642 },
  { label: "Cleaning and gardening (cost of services)", field: "expenses.costOfServices", q1: 90, q2: 90 },
  { label: "Travel (mileage at 45p a mile)", field: "expenses.travelCosts", q1: 36.45, q2: 22.5 },
  { label: "Other allowable expenses", field: "expenses.other", q1: 58.17, q2: 24.99 },
];

/** Mortgage interest is kept as one year-to-date figure from the lender's statement (a one-cell name). */
const MORTGAGE_INTEREST_YTD = 2184.62;

function sum(values: readonly (number | undefined)[]): number {
  return values.reduce<number>((t, v) => t + Math.round((v ?? 0) * 100), 0) / 100;
}

function put(ws: InMemorySheet, row: number, column: number, value: string | number, options: { bold?: boolean; money?: boolean } = {}): void {
  ws.setCell(row, column, { value, ...(options.money ? { numberFormat: MONEY } : {}), ...(options.bold ? { bold: true } : {}) });
}

function buildRecords(wb: InMemoryWorkbook): void {
  const ws = wb.addSheet(RECORDS_SHEET);
  put(ws, 0, 0, "Rental property records, tax year 2025-26", { bold: true });
  put(ws, 1, 0, "Quarters: Q1 6 Apr to 5 Jul, Q2 6 Jul to 5 Oct, Q3 6 Oct to 5 Jan, Q4 6 Jan to 5 Apr. Amounts in pounds; leave a cell blank when there is nothing to record.");
  const header = ["Category", "Q1", "Q2", "Q3", "Q4", "Year total", "MTD name"];
  header.forEach((h, c) => put(ws, 3, c, h, { bold: true }));
  ws.frozenRows = 4;

  const block = (title: string, top: number, lines: readonly Line[], totalLabel: string): number => {
    put(ws, top, 0, title, { bold: true });
    lines.forEach((line, i) => {
      const row = top + 1 + i;
      put(ws, row, 0, line.label);
      [line.q1, line.q2].forEach((v, q) => {
        if (v !== undefined) put(ws, row, 1 + q, v, { money: true });
      });
      for (let q = 3; q <= 4; q += 1) ws.setCell(row, q, { value: null, numberFormat: MONEY });
      ws.setCell(row, 5, { value: sum([line.q1, line.q2]), formula: `=SUM(${cellName(row, 1)}:${cellName(row, 4)})`, numberFormat: MONEY });
      if (line.field) {
        const name = `${UK_PROPERTY_NAME_PREFIX}${line.field}`;
        put(ws, row, 6, name);
        wb.defineName(name, `=${formatAddress({ sheet: RECORDS_SHEET, top: row, left: 1, bottom: row, right: 4 }, { absolute: true })}`);
      }
    });
    const totalRow = top + 1 + lines.length;
    const first = top + 1;
    const last = totalRow - 1;
    put(ws, totalRow, 0, totalLabel, { bold: true });
    for (let c = 1; c <= 5; c += 1) {
      const counted = lines.filter((l) => l.field !== "income.taxDeducted");
      const value = c <= 2 ? sum(counted.map((l) => (c === 1 ? l.q1 : l.q2))) : c === 5 ? sum(counted.flatMap((l) => [l.q1, l.q2])) : 0;
      const formula =
        title === "Income"
          ? `=SUM(${cellName(first, c)}:${cellName(last - 1, c)})` // tax deducted is not income
          : `=SUM(${cellName(first, c)}:${cellName(last, c)})`;
      ws.setCell(totalRow, c, { value, formula, numberFormat: MONEY, bold: true });
    }
    return totalRow;
  };

  const incomeTotal = block("Income", 4, INCOME, "Total income");
  const expensesTotal = block("Expenses", incomeTotal + 2, EXPENSES, "Total expenses");

  const ytdTitle = expensesTotal + 2;
  put(ws, ytdTitle, 0, "Year-to-date figures (update before each submission)", { bold: true });
  const ytdRow = ytdTitle + 1;
  put(ws, ytdRow, 0, "Mortgage interest so far this tax year (lender's statement)");
  put(ws, ytdRow, 5, MORTGAGE_INTEREST_YTD, { money: true });
  const ytdName = `${UK_PROPERTY_NAME_PREFIX}expenses.residentialFinancialCost`;
  put(ws, ytdRow, 6, ytdName);
  wb.defineName(ytdName, `=${formatAddress({ sheet: RECORDS_SHEET, top: ytdRow, left: 5, bottom: ytdRow, right: 5 }, { absolute: true })}`);
  put(ws, ytdRow + 1, 0, "Residential finance costs are not deducted as an expense: HMRC gives basic-rate tax relief on them instead.");

  [58, 12, 12, 12, 12, 13, 50].forEach((w, c) => ws.setColumnWidth(c, w));
}

function buildReadMe(wb: InMemoryWorkbook): void {
  const ws = wb.addSheet("Read me");
  const lines: [string, boolean?][] = [
    ["How this workbook works with MTD Bridge", true],
    [""],
    ["Keep your records in the “Property income” sheet as usual. MTD Bridge finds the figures for HMRC through named ranges:"],
    ["each name starts with MTD.UKP. (UK property) followed by the HMRC field it fills, for example MTD.UKP.income.periodAmount."],
    ["See and change the names in Formulas ▸ Name Manager. Names are not case-sensitive."],
    [""],
    ["A name can point at:", true],
    ["• four cells in one row or column: the amounts for quarters 1 to 4. MTD Bridge adds up the quarters from the start of the tax year"],
    ["  to the quarter you are submitting, because HMRC wants year-to-date totals (rents here: Q1 + Q2 when you submit quarter 2)."],
    ["• one cell: the year-to-date amount itself (mortgage interest here). Update it before each submission."],
    [""],
    ["Rules for the cells", true],
    ["• Enter amounts in pounds with at most 2 decimal places. Leave a cell blank when there is nothing to report."],
    ["• Text, dates, TRUE/FALSE and error values such as #DIV/0! are reported with the cell's address so you can correct them."],
    ["• Income amounts cannot be negative. A name pointing at #REF! (deleted cells) must be pointed at the right cells again."],
    ["• To add a figure: select its cells, choose Formulas ▸ Define Name, and type the name from the list below."],
    ["• Sheets called “MTD Receipts” and “MTD BISS” are written by MTD Bridge; do not keep your own work in them."],
    [""],
    ["Every UK property name MTD Bridge understands", true],
  ];
  lines.forEach(([text, bold], row) => {
    if (text !== "") put(ws, row, 0, text, bold ? { bold: true } : {});
  });
  const top = lines.length;
  put(ws, top, 0, "Name", { bold: true });
  put(ws, top, 1, "What HMRC means by it", { bold: true });
  UK_PROPERTY_CUMULATIVE_FIELDS.forEach((f, i) => {
    put(ws, top + 1 + i, 0, `${UK_PROPERTY_NAME_PREFIX}${f.path}`);
    put(ws, top + 1 + i, 1, f.description);
  });
  ws.setColumnWidth(0, 56);
  ws.setColumnWidth(1, 100);
}

/** The starter workbook, in memory. */
export function buildStarterLandlordWorkbook(): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  buildRecords(wb);
  buildReadMe(wb);
  wb.activateSheet(RECORDS_SHEET);
  return wb;
}

async function main(): Promise<void> {
  const bytes = await saveXlsx(buildStarterLandlordWorkbook());
  await writeFile(STARTER_LANDLORD_PATH, bytes);
  process.stdout.write(`Wrote ${STARTER_LANDLORD_PATH} (${bytes.byteLength} bytes)\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
