/**
 * Builds the starter workbooks in assets/ with the MTD names already defined, for new users, the workbench,
 * the CLI and tests: starter-landlord.xlsx (UK property), starter-landlord-foreign.xlsx (UK property and two
 * foreign countries by alias), starter-sole-trader.xlsx (two trades by alias) and starter-ledger.xlsx (a trade, a
 * UK flat and a Spanish villa kept as one transactions table, ledger mode). Deterministic: running it twice
 * gives identical bytes.
 *
 *   npx tsx scripts/make-starter-workbooks.ts
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import JSZip from "jszip";
import { UK_PROPERTY_CUMULATIVE_FIELDS } from "../src/mtd";
import { CATEGORY_MAP_TABLE, LEDGER_TABLE } from "../src/workbook/ledger";
import { isoDateToSerial } from "../src/workbook/number-format";
import { ALIAS_SETTING_PREFIX, businessMappingPatch } from "../src/workbook/workbook-mapping";
import { cellName, formatAddress } from "../src/workbook/address";
import { SETTINGS_KEY } from "../src/workbook/document-settings";
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

// ---- the landlord with foreign property and the sole trader ------------------------------------------

export const STARTER_FOREIGN_LANDLORD_PATH = join(__dirname, "..", "assets", "starter-landlord-foreign.xlsx");
export const STARTER_SOLE_TRADER_PATH = join(__dirname, "..", "assets", "starter-sole-trader.xlsx");

/** One business's records: quarter lines (four-cell names) and year-to-date lines (one-cell names). */
interface BusinessSheet {
  readonly sheet: string;
  readonly title: string;
  /** `MTD.UKP.`, `MTD.FP.paris.`, `MTD.SE.shop.` */
  readonly prefix: string;
  readonly lines: readonly Line[];
  readonly ytd: ReadonlyArray<{ readonly label: string; readonly field: string; readonly amount: number }>;
}

function buildBusinessSheet(wb: InMemoryWorkbook, b: BusinessSheet): void {
  const ws = wb.addSheet(b.sheet);
  put(ws, 0, 0, b.title, { bold: true });
  put(ws, 1, 0, "Amounts in pounds for each quarter of tax year 2025-26 (Q1 6 Apr to 5 Jul, Q2 to 5 Oct, Q3 to 5 Jan, Q4 to 5 Apr).");
  ["Category", "Q1", "Q2", "Q3", "Q4", "Year total", "MTD name"].forEach((h, c) => put(ws, 3, c, h, { bold: true }));
  ws.frozenRows = 4;
  b.lines.forEach((line, i) => {
    const row = 4 + i;
    put(ws, row, 0, line.label);
    [line.q1, line.q2].forEach((v, q) => {
      if (v !== undefined) put(ws, row, 1 + q, v, { money: true });
    });
    for (let q = 3; q <= 4; q += 1) ws.setCell(row, q, { value: null, numberFormat: MONEY });
    ws.setCell(row, 5, { value: sum([line.q1, line.q2]), formula: `=SUM(${cellName(row, 1)}:${cellName(row, 4)})`, numberFormat: MONEY });
    const name = `${b.prefix}${line.field!}`;
    put(ws, row, 6, name);
    wb.defineName(name, `=${formatAddress({ sheet: b.sheet, top: row, left: 1, bottom: row, right: 4 }, { absolute: true })}`);
  });
  const ytdTop = 4 + b.lines.length + 1;
  put(ws, ytdTop, 0, "Year-to-date figures (update before each submission)", { bold: true });
  b.ytd.forEach((y, i) => {
    const row = ytdTop + 1 + i;
    put(ws, row, 0, y.label);
    put(ws, row, 5, y.amount, { money: true });
    const name = `${b.prefix}${y.field}`;
    put(ws, row, 6, name);
    wb.defineName(name, `=${formatAddress({ sheet: b.sheet, top: row, left: 5, bottom: row, right: 5 }, { absolute: true })}`);
  });
  [52, 12, 12, 12, 12, 13, 56].forEach((w, c) => ws.setColumnWidth(c, w));
}

function buildGuide(wb: InMemoryWorkbook, lines: readonly [string, boolean?][]): void {
  const ws = wb.addSheet("Read me");
  lines.forEach(([text, bold], row) => {
    if (text !== "") put(ws, row, 0, text, bold ? { bold: true } : {});
  });
  ws.setColumnWidth(0, 120);
}

const SHARED_GUIDE: readonly [string, boolean?][] = [
  ["A name can point at:", true],
  ["• four cells in one row: the amounts for quarters 1 to 4; MTD Bridge adds up the quarters to the one you are submitting (HMRC wants year-to-date totals);"],
  ["• one cell: the year-to-date amount itself. Update it before each submission."],
  ["Amounts in pounds with at most 2 decimal places; leave a cell blank when there is nothing to report. Names are not case-sensitive."],
  ["Check the workbook from a terminal: npx mtd-bridge check <this file>; see what would be sent: npx mtd-bridge preview <this file> --business … --tax-year 2025-26 --period-end 2025-10-05"],
];

/** Aliases stored in the document settings, as the add-in's Settings records them. */
export const FOREIGN_LANDLORD_ALIASES = { paris: "FRA", malaga: "ESP" } as const;
/** shop is the local sandbox's trade (XBIS12345678901), so `npm start` can send it as it stands; van is a second example. */
export const SOLE_TRADER_ALIASES = { shop: "XBIS12345678901", van: "XBIS12345678902" } as const;

function aliasSettings(aliases: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(aliases).map(([alias, target]) => [`${ALIAS_SETTING_PREFIX}${alias}`, target]));
}

const FOREIGN_LANDLORD_SHEETS: readonly BusinessSheet[] = [
  {
    sheet: "UK flat",
    title: "UK property: one flat in Leeds, let unfurnished",
    prefix: UK_PROPERTY_NAME_PREFIX,
    lines: [
      { label: "Rents received", field: "income.periodAmount", q1: 2850, q2: 2850 },
      { label: "Rates, insurance, ground rent", field: "expenses.premisesRunningCosts", q1: 210.4, q2: 198.6 },
      { label: "Repairs and maintenance", field: "expenses.repairsAndMaintenance", q1: 75, q2: 320 },
    ],
    ytd: [{ label: "Mortgage interest so far this tax year (lender's statement)", field: "expenses.residentialFinancialCost", amount: 1420.36 }],
  },
  {
    sheet: "Paris flat",
    title: "Foreign property: a flat in Paris, France (alias paris = FRA)",
    prefix: "MTD.FP.paris.",
    lines: [
      { label: "Rents received (in pounds)", field: "income.rentIncome.rentAmount", q1: 4200, q2: 4200 },
      { label: "French tax paid on the rents", field: "income.foreignTaxPaidOrDeducted", q1: 315, q2: 315 },
      { label: "Taxe foncière, insurance, charges", field: "expenses.premisesRunningCosts", q1: 380.5, q2: 365.2 },
      { label: "Agent's management fees", field: "expenses.professionalFees", q1: 504, q2: 504 },
    ],
    ytd: [{ label: "Mortgage interest so far this tax year", field: "expenses.residentialFinancialCost", amount: 960.18 }],
  },
  {
    sheet: "Malaga apartment",
    title: "Foreign property: a holiday apartment in Malaga, Spain (alias malaga = ESP)",
    prefix: "MTD.FP.malaga.",
    lines: [
      { label: "Rents received (in pounds)", field: "income.rentIncome.rentAmount", q1: 3150, q2: 4875 },
      { label: "Cleaning and changeovers", field: "expenses.costOfServices", q1: 240, q2: 410 },
      { label: "Repairs", field: "expenses.repairsAndMaintenance", q1: 189.99 },
      { label: "Other allowable expenses", field: "expenses.other", q1: 35, q2: 35 },
    ],
    ytd: [],
  },
];

const SOLE_TRADER_SHEETS: readonly BusinessSheet[] = [
  {
    sheet: "Shop",
    title: "Self-employment: the corner shop (alias shop)",
    prefix: "MTD.SE.shop.",
    lines: [
      { label: "Takings", field: "periodIncome.turnover", q1: 18450, q2: 19870.5 },
      { label: "Other business income (cash-machine commission)", field: "periodIncome.other", q1: 120, q2: 95.5 },
      { label: "Stock bought for resale", field: "periodExpenses.costOfGoods", q1: 10230.4, q2: 11045.75 },
      { label: "Wages", field: "periodExpenses.wagesAndStaffCosts", q1: 2400, q2: 2400 },
      { label: "Rent, rates, power and insurance", field: "periodExpenses.premisesRunningCosts", q1: 1850, q2: 1850 },
      { label: "Phone, stationery and office costs", field: "periodExpenses.adminCosts", q1: 64.99, q2: 71.2 },
    ],
    ytd: [{ label: "Interest on the shop's bank loan so far this tax year", field: "periodExpenses.interestOnBankOtherLoans", amount: 312.48 }],
  },
  {
    sheet: "Van",
    title: "Self-employment: van deliveries (alias van)",
    prefix: "MTD.SE.van.",
    lines: [
      { label: "Delivery fees", field: "periodIncome.turnover", q1: 7420, q2: 8115.25 },
      { label: "Fuel, insurance and road tax", field: "periodExpenses.carVanTravelExpenses", q1: 1320.6, q2: 1488.35 },
      { label: "Van repairs", field: "periodExpenses.maintenanceCosts", q1: 245 },
    ],
    ytd: [{ label: "Accountant's fees so far this tax year", field: "periodExpenses.professionalFees", amount: 150 }],
  },
];

export function buildStarterForeignLandlordWorkbook(): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  for (const s of FOREIGN_LANDLORD_SHEETS) buildBusinessSheet(wb, s);
  buildGuide(wb, [
    ["How this workbook works with MTD Bridge", true],
    [""],
    ["One sheet per property business. Named ranges link the cells to HMRC's fields:"],
    ["• MTD.UKP.<field> for UK property (sheet “UK flat”);"],
    ["• MTD.FP.<country or alias>.<field> for foreign property. For 2025-26 HMRC takes foreign figures by country;"],
    ["  the aliases paris (France, FRA) and malaga (Spain, ESP) are kept in the workbook's MTD Bridge settings."],
    [""],
    ...SHARED_GUIDE,
  ]);
  wb.setDocumentSetting(SETTINGS_KEY, aliasSettings(FOREIGN_LANDLORD_ALIASES));
  wb.activateSheet("UK flat");
  return wb;
}

export function buildStarterSoleTraderWorkbook(): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  for (const s of SOLE_TRADER_SHEETS) buildBusinessSheet(wb, s);
  buildGuide(wb, [
    ["How this workbook works with MTD Bridge", true],
    [""],
    ["One sheet per trade. Named ranges MTD.SE.<alias>.<field> link the cells to HMRC's self-employment fields."],
    ["The aliases shop and van stand for the trades' HMRC business IDs (XBIS12345678901, the local sandbox's trade, and XBIS12345678902);"],
    ["replace them with your own in the add-in's Your figures step (Short name)."],
    [""],
    ...SHARED_GUIDE,
  ]);
  wb.setDocumentSetting(SETTINGS_KEY, aliasSettings(SOLE_TRADER_ALIASES));
  wb.activateSheet("Shop");
  return wb;
}

// ---- ledger mode: one transactions table for three businesses ----------------------------------------

export const STARTER_LEDGER_PATH = join(__dirname, "..", "assets", "starter-ledger.xlsx");
export const LEDGER_SHEET = "Transactions";
export const CATEGORY_SHEET = "Categories";

/** The default sandbox test user's businesses (src/sandbox/state.ts defaultBusinesses), so the starter submits as is. */
export const LEDGER_BUSINESS_IDS = { trade: "XBIS12345678901", ukProperty: "XPIS12345678901", foreignProperty: "XFIS12345678901" } as const;
/** The trade's rows say `plastering`; the villa's Property cells say `villa` (Spain for 2025-26's by-country figures). */
export const LEDGER_ALIASES = { plastering: LEDGER_BUSINESS_IDS.trade, villa: "ESP" } as const;

const TRADE = "plastering";
const UK = "UK property";
const FOREIGN = "Foreign property";

/** Category | Business type | HMRC field: several categories may feed one field (fuel and insurance are both van costs). */
export const LEDGER_CATEGORIES: ReadonlyArray<readonly [string, string, string]> = [
  ["Plastering jobs", "Self-employment", "periodIncome.turnover"],
  ["Materials", "Self-employment", "periodExpenses.costOfGoods"],
  ["Van fuel", "Self-employment", "periodExpenses.carVanTravelExpenses"],
  ["Van insurance", "Self-employment", "periodExpenses.carVanTravelExpenses"],
  ["Phone", "Self-employment", "periodExpenses.adminCosts"],
  ["Small tools", "Self-employment", "periodExpenses.otherExpenses"],
  ["Accountant", "Self-employment", "periodExpenses.professionalFees"],
  ["Rent", "UK property", "income.periodAmount"],
  ["Letting agent", "UK property", "expenses.professionalFees"],
  ["Flat repairs", "UK property", "expenses.repairsAndMaintenance"],
  ["Insurance and ground rent", "UK property", "expenses.premisesRunningCosts"],
  ["Mortgage interest", "UK property", "expenses.residentialFinancialCost"],
  ["Villa lettings", "Foreign property", "income.rentIncome.rentAmount"],
  ["Spanish tax paid", "Foreign property", "income.foreignTaxPaidOrDeducted"],
  ["Villa cleaning", "Foreign property", "expenses.costOfServices"],
  ["Community fees and IBI", "Foreign property", "expenses.premisesRunningCosts"],
];

/** Date (ISO) | Amount (pounds) | Category | Business | Property. */
export type LedgerRow = readonly [string, number, string, string, string];

/** Deterministic pseudo-random pence in [min, max] (a linear congruential generator; no Math.random). */
function penceSource(seed: number): (minPence: number, maxPence: number) => number {
  let state = seed;
  return (minPence, maxPence) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return minPence + (state % (maxPence - minPence + 1));
  };
}

function isoDay(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/**
 * A year of 2025-26 (6 April 2025 to 5 April 2026) for a plasterer with a let flat in Leeds and a villa in
 * Spain let in the summer: about 330 rows, in date order. Amounts are whole pence.
 */
export function starterLedgerRows(): LedgerRow[] {
  const pence = penceSource(20250406);
  const pounds = (min: number, max: number): number => pence(min * 100, max * 100) / 100;
  const rows: LedgerRow[] = [];
  const start = Date.UTC(2025, 3, 6);
  for (let week = 0; week < 52; week += 1) {
    const monday = new Date(start + (week * 7 + 1) * 86_400_000); // 6 April 2025 is a Sunday
    const day = (offset: number): string => new Date(monday.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const jobs = week % 4 === 3 ? 3 : 2; // a third job every fourth week
    for (let j = 0; j < jobs; j += 1) rows.push([day(j * 2), pounds(180, 1400), "Plastering jobs", TRADE, ""]);
    rows.push([day(1), pounds(40, 320), "Materials", TRADE, ""]);
    if (week % 2 === 0) rows.push([day(3), pounds(55, 95), "Van fuel", TRADE, ""]);
  }
  const months: Array<[number, number]> = [];
  for (let m = 0; m < 12; m += 1) months.push([2025 + Math.floor((3 + m) / 12), ((3 + m) % 12) + 1]); // April 2025 … March 2026
  for (const [year, month] of months) {
    rows.push([isoDay(year, month, 8), 62.4, "Van insurance", TRADE, ""]);
    rows.push([isoDay(year, month, 12), 24.99, "Phone", TRADE, ""]);
    rows.push([isoDay(year, month, 15), 1150, "Rent", UK, ""]);
    rows.push([isoDay(year, month, 16), 138, "Letting agent", UK, ""]);
    rows.push([isoDay(year, month, 28), pounds(298, 322), "Mortgage interest", UK, ""]);
  }
  rows.push(["2025-05-21", 64.5, "Small tools", TRADE, ""], ["2025-09-03", 118.2, "Small tools", TRADE, ""], ["2026-01-14", 37.99, "Small tools", TRADE, ""]);
  rows.push(["2026-01-30", 450, "Accountant", TRADE, ""]);
  rows.push(["2025-05-09", 185, "Flat repairs", UK, ""], ["2025-11-19", 96.5, "Flat repairs", UK, ""], ["2026-02-25", 340, "Flat repairs", UK, ""]);
  rows.push(["2025-06-02", 285.6, "Insurance and ground rent", UK, ""], ["2025-06-24", 125, "Insurance and ground rent", UK, ""], ["2025-12-24", 125, "Insurance and ground rent", UK, ""]);
  // The villa: weekly lets from late May to mid October, each followed by a changeover clean.
  for (let week = 0; week < 21; week += 1) {
    const arrival = new Date(Date.UTC(2025, 4, 24) + week * 7 * 86_400_000).toISOString().slice(0, 10);
    rows.push([arrival, pounds(650, 1200), "Villa lettings", FOREIGN, "villa"]);
    rows.push([new Date(Date.UTC(2025, 4, 31) + week * 7 * 86_400_000).toISOString().slice(0, 10), 60, "Villa cleaning", FOREIGN, "villa"]);
  }
  for (const date of ["2025-04-20", "2025-07-20", "2025-10-20", "2026-01-20"]) rows.push([date, 180, "Community fees and IBI", FOREIGN, "villa"]);
  rows.push(["2025-09-15", 241.37, "Community fees and IBI", FOREIGN, "villa"]);
  for (const [date, amount] of [["2025-07-18", 246.05], ["2025-10-17", 1021.4], ["2026-01-16", 152.9]] as const) rows.push([date, amount, "Spanish tax paid", FOREIGN, "villa"]);
  return rows.sort((a, b) => a[0].localeCompare(b[0]));
}

function buildLedgerSheet(wb: InMemoryWorkbook, rows: readonly LedgerRow[]): void {
  const ws = wb.addSheet(LEDGER_SHEET);
  ["Date", "Amount", "Category", "Business", "Property"].forEach((h, c) => put(ws, 0, c, h, { bold: true }));
  rows.forEach(([date, amount, category, business, property], i) => {
    ws.setCell(i + 1, 0, { value: isoDateToSerial(date), numberFormat: "dd/mm/yyyy" });
    put(ws, i + 1, 1, amount, { money: true });
    put(ws, i + 1, 2, category);
    put(ws, i + 1, 3, business);
    if (property !== "") put(ws, i + 1, 4, property);
  });
  wb.addTable(LEDGER_SHEET, { top: 0, left: 0, bottom: rows.length, right: 4 }, LEDGER_TABLE);
  ws.frozenRows = 1;
  [12, 12, 28, 18, 10].forEach((w, c) => ws.setColumnWidth(c, w));
}

function buildCategorySheet(wb: InMemoryWorkbook): void {
  const ws = wb.addSheet(CATEGORY_SHEET);
  ["Category", "Business type", "HMRC field"].forEach((h, c) => put(ws, 0, c, h, { bold: true }));
  LEDGER_CATEGORIES.forEach((row, r) => row.forEach((v, c) => put(ws, r + 1, c, v)));
  wb.addTable(CATEGORY_SHEET, { top: 0, left: 0, bottom: LEDGER_CATEGORIES.length, right: 2 }, CATEGORY_MAP_TABLE);
  [28, 18, 40].forEach((w, c) => ws.setColumnWidth(c, w));
}

export function buildStarterLedgerWorkbook(): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  buildLedgerSheet(wb, starterLedgerRows());
  buildCategorySheet(wb);
  const ids = LEDGER_BUSINESS_IDS;
  buildGuide(wb, [
    ["How this workbook works with MTD Bridge (ledger mode)", true],
    [""],
    ["Every transaction of all three businesses goes in one table, MTD_Ledger on the “Transactions” sheet: Date, Amount, Category, Business, Property."],
    ["• Business says whose transaction it is: plastering (the trade; an alias for its business ID), UK property or Foreign property."],
    ["• Property is only for foreign property: villa, an alias for Spain (ESP). From 2026-27 HMRC wants a property ID: point the alias at it in Settings."],
    ["• Amounts are in pounds with at most 2 decimal places; the category decides whether a row is income or an expense."],
    [""],
    ["The table MTD_CategoryMap on the “Categories” sheet maps each Category to the HMRC field it adds to, by business type.", true],
    ["Add a category there before using it in the ledger; several categories may add to one field. Rows with an unmapped category are reported by cell."],
    [""],
    ["What MTD Bridge sends", true],
    ["For the quarter you submit, it adds up each business's transactions dated from the start of the tax year to the quarter's end (HMRC wants"],
    ["year-to-date totals). Later rows are left for later quarters, so you can keep the whole year in the table."],
    [`The workbook's MTD Bridge settings put the three sandbox businesses (${ids.trade}, ${ids.ukProperty}, ${ids.foreignProperty}) in ledger mode;`],
    ["replace them with your own business IDs in the add-in's Settings."],
    [""],
    ["From a terminal", true],
    ["npx mtd-bridge preview <this file> --business SE.plastering --tax-year 2025-26 --period-end 2025-07-05"],
    [`npx mtd-bridge preview <this file> --business UKP.${ids.ukProperty} --tax-year 2025-26 --period-end 2025-07-05   (or --business UKP --ledger)`],
    [`npx mtd-bridge preview <this file> --business FP.${ids.foreignProperty} --tax-year 2025-26 --period-end 2025-07-05   (or --business FP.villa --ledger)`],
  ]);
  wb.setDocumentSetting(SETTINGS_KEY, {
    ...aliasSettings(LEDGER_ALIASES),
    ...Object.assign({}, ...Object.values(ids).map((id) => businessMappingPatch(id, { mode: "ledger", allowance: "none" }))),
  });
  wb.activateSheet(LEDGER_SHEET);
  return wb;
}

const WEBEXTENSION_PART = "xl/webextensions/webextension1.xml";
const SETTINGS_DATE = new Date(Date.UTC(2025, 0, 1, 0, 0, 0));

/**
 * saveXlsx leaves document settings out (they belong to an installed add-in), but a starter workbook carries
 * its aliases, so they are added as the web-extension part Office writes and loadXlsx reads.
 */
async function withDocumentSettings(bytes: Buffer, wb: InMemoryWorkbook): Promise<Buffer> {
  const settings = wb.getDocumentSetting(SETTINGS_KEY);
  if (settings === null) return bytes;
  const zip = await JSZip.loadAsync(bytes);
  const value = JSON.stringify(settings).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
  const part =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/webextension/2010/11" id="{6D1C8A8E-4E0B-4C8F-9A55-1B2C3D4E5F60}">` +
    `<we:reference id="mtd-bridge" version="1.0.0.0" store="developer" storeType="Registry"/><we:alternateReferences/>` +
    `<we:properties><we:property name="${SETTINGS_KEY}" value="${value}"/></we:properties><we:bindings/><we:snapshot/></we:webextension>`;
  const types = (await zip.file("[Content_Types].xml")!.async("string")).replace(
    "</Types>",
    `<Override PartName="/${WEBEXTENSION_PART}" ContentType="application/vnd.ms-office.webextension+xml"/></Types>`,
  );
  const out = new JSZip();
  const paths = [...Object.keys(zip.files).filter((p) => !zip.files[p]!.dir), WEBEXTENSION_PART].sort();
  for (const path of paths) {
    const content = path === WEBEXTENSION_PART ? part : path === "[Content_Types].xml" ? types : await zip.file(path)!.async("uint8array");
    out.file(path, content, { date: SETTINGS_DATE, createFolders: false });
  }
  return out.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 9 }, platform: "UNIX" });
}

/** Every starter workbook: where it is committed and the bytes the script builds for it. */
export const STARTER_WORKBOOKS: ReadonlyArray<{ readonly path: string; readonly build: () => InMemoryWorkbook }> = [
  { path: STARTER_LANDLORD_PATH, build: buildStarterLandlordWorkbook },
  { path: STARTER_FOREIGN_LANDLORD_PATH, build: buildStarterForeignLandlordWorkbook },
  { path: STARTER_SOLE_TRADER_PATH, build: buildStarterSoleTraderWorkbook },
  { path: STARTER_LEDGER_PATH, build: buildStarterLedgerWorkbook },
];

export async function starterWorkbookBytes(build: () => InMemoryWorkbook): Promise<Buffer> {
  const wb = build();
  return withDocumentSettings(await saveXlsx(wb), wb);
}

async function main(): Promise<void> {
  for (const { path, build } of STARTER_WORKBOOKS) {
    const bytes = await starterWorkbookBytes(build);
    await writeFile(path, bytes);
    process.stdout.write(`Wrote ${path} (${bytes.byteLength} bytes)\n`);
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
