/**
 * Test data for the quarterly-update integration tests: a year of figures for each business type, quarter by
 * quarter in integer pence, and the three workbooks a user could keep them in (DESIGN.md §4):
 *   - "year-to-date": one cell per field holding the year to date, updated each quarter;
 *   - "quarters": four cells per field holding quarters 1–4 (alternately along a row and down a column), all
 *     four already filled, so only the quarters up to the one sent may count;
 *   - "ledger": the MTD_Ledger table of the whole year's transactions (each quarter's amount split in two, on
 *     the quarter's first and last days, plus rows outside the year) and the MTD_CategoryMap table.
 * Tests compute what HMRC should hold from these pence themselves, never through the code under test.
 */
import { penceToPounds, type CumulativeBusinessType, type Pence, type QuarterNumber, type TaxYear } from "../../src/mtd";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { CATEGORY_MAP_TABLE, LEDGER_TABLE } from "../../src/workbook/ledger";
import type { CellScalar, WorkbookSettings } from "../../src/workbook/port";

export type Shape = "year-to-date" | "quarters" | "ledger";
export const SHAPES: readonly Shape[] = ["year-to-date", "quarters", "ledger"];

/** Quarters 1–4 in pence; null = nothing that quarter. */
export type QuarterAmounts = readonly [number | null, number | null, number | null, number | null];

export interface BookField {
  readonly path: string;
  /** The ledger category mapped to this field. */
  readonly category: string;
  readonly quarters: QuarterAmounts;
}

export interface BookEntry {
  /** Self-employment: its alias; foreign property: the country code (2025-26) or property alias (2026-27 on). */
  readonly key?: string;
  readonly fields: readonly BookField[];
}

export interface Book {
  readonly type: CumulativeBusinessType;
  /** HMRC's sandbox business of this type (every test NINO starts with these). */
  readonly businessId: string;
  readonly entries: readonly BookEntry[];
}

export const SELF_EMPLOYMENT_ID = "XBIS12345678901";
export const UK_PROPERTY_ID = "XPIS12345678901";
export const FOREIGN_PROPERTY_ID = "XFIS12345678901";
export const SHOP_ALIAS = "shop";
/** 2026-27 on: the two foreign properties' aliases, each recorded against the propertyId HMRC returns. */
export const PROPERTY_ALIASES = ["villa", "flat"] as const;

const f = (path: string, category: string, quarters: QuarterAmounts): BookField => ({ path, category, quarters });

const SELF_EMPLOYMENT: Book = {
  type: "self-employment",
  businessId: SELF_EMPLOYMENT_ID,
  entries: [
    {
      key: SHOP_ALIAS,
      fields: [
        f("periodIncome.turnover", "Sales", [1_245_050, 1_388_020, 990_000, 1_502_575]),
        f("periodIncome.other", "Grants", [null, 12_500, null, 4_099]),
        f("periodIncome.taxTakenOffTradingIncome", "CIS deducted", [null, null, 20_000, 15_000]),
        f("periodExpenses.costOfGoods", "Materials", [310_045, 288_810, 401_201, 275_000]),
        f("periodExpenses.premisesRunningCosts", "Workshop rent", [60_000, 60_000, 60_000, 60_000]),
        f("periodDisallowableExpenses.costOfGoodsDisallowable", "Materials (private)", [null, 5_075, null, 2_001]),
      ],
    },
  ],
};

const UK_PROPERTY: Book = {
  type: "uk-property",
  businessId: UK_PROPERTY_ID,
  entries: [
    {
      fields: [
        f("income.periodAmount", "Rent received", [1_245_000, 1_245_000, 1_310_050, 1_310_050]),
        f("income.otherIncome", "Parking", [32_050, null, 18_000, 9_999]),
        f("income.taxDeducted", "Tax deducted", [null, 50_000, null, null]),
        f("expenses.repairsAndMaintenance", "Repairs", [81_299, 120_000, null, 45_050]),
        f("expenses.premisesRunningCosts", "Insurance", [40_000, 40_000, 40_000, 40_000]),
        f("expenses.residentialFinancialCost", "Mortgage interest", [210_000, 210_000, 210_000, 210_000]),
      ],
    },
  ],
};

/** Two countries or properties; the first one's big repair in quarter 1 makes that quarter a loss. */
function foreignProperty(keys: readonly [string, string]): Book {
  return {
    type: "foreign-property",
    businessId: FOREIGN_PROPERTY_ID,
    entries: [
      {
        key: keys[0],
        fields: [
          f("income.rentIncome.rentAmount", "Foreign rent", [600_000, 900_000, 150_000, 450_000]),
          f("income.foreignTaxPaidOrDeducted", "Foreign tax", [90_000, 135_000, null, 67_500]),
          f("expenses.repairsAndMaintenance", "Foreign repairs", [1_750_000, 35_000, null, 12_345]),
          f("expenses.residentialFinancialCost", "Foreign mortgage interest", [80_000, 80_000, 80_000, 80_000]),
        ],
      },
      {
        key: keys[1],
        fields: [
          f("income.rentIncome.rentAmount", "Foreign rent", [250_000, 250_000, 250_000, 250_000]),
          f("income.otherPropertyIncome", "Foreign other income", [null, 7_550, null, null]),
          f("expenses.premisesRunningCosts", "Foreign running costs", [30_000, 30_000, 30_025, 30_000]),
        ],
      },
    ],
  };
}

/** The three businesses' books for a tax year: foreign property by country for 2025-26, by property after. */
export function booksFor(taxYear: TaxYear): readonly Book[] {
  return [SELF_EMPLOYMENT, UK_PROPERTY, foreignProperty(taxYear === "2025-26" ? ["FRA", "ESP"] : PROPERTY_ALIASES)];
}

/** The field's year to date at the end of `quarter`, in pence; undefined when nothing has been entered yet. */
export function yearToDate(field: BookField, quarter: QuarterNumber): number | undefined {
  const used = field.quarters.slice(0, quarter).filter((p): p is number => p !== null);
  return used.length === 0 ? undefined : used.reduce((a, b) => a + b, 0);
}

/** The workbook name DESIGN.md §4 gives a field of an entry. */
export function nameOf(book: Book, entry: BookEntry, field: BookField): string {
  if (book.type === "uk-property") return `MTD.UKP.${field.path}`;
  return `${book.type === "self-employment" ? "MTD.SE." : "MTD.FP."}${entry.key}.${field.path}`;
}

const LEDGER_BUSINESS: Readonly<Record<CumulativeBusinessType, (entry: BookEntry) => string>> = {
  "self-employment": (entry) => entry.key!,
  "uk-property": () => "UK property",
  "foreign-property": () => "Foreign property",
};

const MAP_TYPE: Readonly<Record<CumulativeBusinessType, string>> = {
  "self-employment": "Self-employment",
  "uk-property": "UK property",
  "foreign-property": "Foreign property",
};

export interface BuiltWorkbook {
  readonly wb: InMemoryWorkbook;
  /** `<name>#<quarter>` → the cell holding that quarter's figure (year-to-date: the one cell; ledger: the quarter's first transaction's amount). */
  readonly cells: ReadonlyMap<string, string>;
}

const pounds = (pence: number): number => penceToPounds(pence as Pence);
/** A figure as a formula's cached result, as a workbook linked to its records holds it. */
const linked = (pence: number): { value: number; formula: string } => ({ value: pounds(pence), formula: "=SUM(Workings!B2:B40)" });
const column = (index: number): string => String.fromCharCode(65 + index);

function* fieldsOf(books: readonly Book[]): Generator<{ book: Book; entry: BookEntry; field: BookField; name: string }> {
  for (const book of books) for (const entry of book.entries) for (const field of entry.fields) yield { book, entry, field, name: nameOf(book, entry, field) };
}

/** Sheet Figures: one row per name, its year to date (at `quarter`) in column B, blank while nothing is entered. */
function yearToDateSheet(wb: InMemoryWorkbook, books: readonly Book[], quarter: QuarterNumber, cells: Map<string, string>): void {
  const ws = wb.addSheet("Figures");
  let row = 1;
  for (const { field, name } of fieldsOf(books)) {
    ws.setCell(row, 0, { value: name });
    const ytd = yearToDate(field, quarter);
    if (ytd !== undefined) ws.setCell(row, 1, linked(ytd));
    wb.defineName(name, `=Figures!$B$${row + 1}`);
    for (const q of [1, 2, 3, 4]) cells.set(`${name}#${q}`, `Figures!B${row + 1}`);
    row += 1;
  }
}

/** Every other name along a row (sheet Quarters, B:E), the rest down a column (sheet Columns, rows 2–5). */
function quarterSheets(wb: InMemoryWorkbook, books: readonly Book[], cells: Map<string, string>): void {
  const rows = wb.addSheet("Quarters");
  const columns = wb.addSheet("Columns");
  ["Q1", "Q2", "Q3", "Q4"].forEach((label, i) => {
    rows.setCell(0, 1 + i, { value: label });
    columns.setCell(1 + i, 0, { value: label });
  });
  let alongRow = true;
  let nextRow = 1;
  let nextColumn = 1;
  for (const { field, name } of fieldsOf(books)) {
    if (alongRow) {
      const r = nextRow++;
      rows.setCell(r, 0, { value: name });
      field.quarters.forEach((p, q) => {
        if (p !== null) rows.setCell(r, 1 + q, linked(p));
        cells.set(`${name}#${q + 1}`, `Quarters!${column(1 + q)}${r + 1}`);
      });
      wb.defineName(name, `=Quarters!$B$${r + 1}:$E$${r + 1}`);
    } else {
      const c = nextColumn++;
      columns.setCell(0, c, { value: name });
      field.quarters.forEach((p, q) => {
        if (p !== null) columns.setCell(1 + q, c, linked(p));
        cells.set(`${name}#${q + 1}`, `Columns!${column(c)}${q + 2}`);
      });
      wb.defineName(name, `=Columns!$${column(c)}$2:$${column(c)}$5`);
    }
    alongRow = !alongRow;
  }
}

/** The date serial Excel stores for a day (days since 30 December 1899). */
function excelSerial(year: number, month: number, day: number): number {
  return (Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

/** The first and last day of each standard quarter: a date cell, and DD/MM/YYYY text as a bank export has it. */
function quarterDays(taxYear: TaxYear): ReadonlyArray<readonly [CellScalar, CellScalar]> {
  const y = Number(taxYear.slice(0, 4));
  return [
    [excelSerial(y, 4, 6), `05/07/${y}`],
    [excelSerial(y, 7, 6), `05/10/${y}`],
    [excelSerial(y, 10, 6), `05/01/${y + 1}`],
    [excelSerial(y + 1, 1, 6), `05/04/${y + 1}`],
  ];
}

/** Sheets Ledger (MTD_Ledger) and Map (MTD_CategoryMap): the whole year's transactions, whatever the quarter. */
function ledgerSheets(wb: InMemoryWorkbook, books: readonly Book[], taxYear: TaxYear, cells: Map<string, string>): void {
  const y = Number(taxYear.slice(0, 4));
  const days = quarterDays(taxYear);
  const rows: CellScalar[][] = [];
  const categories = new Map<string, CellScalar[]>();
  for (const { book, entry, field, name } of fieldsOf(books)) {
    const business = LEDGER_BUSINESS[book.type](entry);
    const property = book.type === "foreign-property" ? entry.key! : null;
    categories.set(`${book.type}|${field.category}`, [field.category, MAP_TYPE[book.type], field.path]);
    field.quarters.forEach((p, q) => {
      if (p === null) return;
      const first = Math.floor(p / 3);
      cells.set(`${name}#${q + 1}`, `Ledger!B${rows.length + 2}`);
      rows.push([days[q]![0], pounds(first), field.category, business, property]);
      rows.push([days[q]![1], pounds(p - first), field.category, business, property]);
    });
  }
  // Outside the tax year, and an empty row: none of them may count.
  rows.push([excelSerial(y, 4, 5), 999.99, "Sales", SHOP_ALIAS, null]);
  rows.push([`${y + 1}-04-06`, 888.88, "Rent received", "UK property", null]);
  rows.push([null, null, null, null, null]);
  rows.push([excelSerial(y + 1, 4, 6), 777.77, "Foreign rent", "Foreign property", books.find((b) => b.type === "foreign-property")!.entries[0]!.key!]);

  const ledger = wb.addSheet("Ledger");
  ["Date", "Amount", "Category", "Business", "Property"].forEach((h, c) => ledger.setCell(0, c, { value: h }));
  rows.forEach((row, r) => row.forEach((v, c) => v !== null && ledger.setCell(r + 1, c, { value: v })));
  wb.addTable("Ledger", { top: 0, left: 0, bottom: rows.length, right: 4 }, LEDGER_TABLE);

  const map = wb.addSheet("Map");
  ["Category", "Business type", "HMRC field"].forEach((h, c) => map.setCell(0, c, { value: h }));
  [...categories.values()].forEach((row, r) => row.forEach((v, c) => map.setCell(r + 1, c, { value: v })));
  wb.addTable("Map", { top: 0, left: 0, bottom: categories.size, right: 2 }, CATEGORY_MAP_TABLE);
}

/** The workbook in `shape` as it stands when `quarter` is sent, with its MTD Bridge settings. */
export async function workbookFor(shape: Shape, books: readonly Book[], taxYear: TaxYear, quarter: QuarterNumber, settings: WorkbookSettings): Promise<BuiltWorkbook> {
  const wb = new InMemoryWorkbook();
  const cells = new Map<string, string>();
  if (shape === "year-to-date") yearToDateSheet(wb, books, quarter, cells);
  else if (shape === "quarters") quarterSheets(wb, books, cells);
  else ledgerSheets(wb, books, taxYear, cells);
  await wb.writeSettings(settings);
  return { wb, cells };
}

/** The settings a user records: the self-employment's and properties' aliases, and ledger mode when used. */
export function settingsFor(shape: Shape, books: readonly Book[], propertyIds: Readonly<Record<string, string>>): WorkbookSettings {
  const settings: Record<string, string> = { [`alias.${SHOP_ALIAS}`]: SELF_EMPLOYMENT_ID };
  for (const [alias, id] of Object.entries(propertyIds)) settings[`alias.${alias}`] = id;
  if (shape === "ledger") for (const book of books) settings[`business.${book.businessId}.mode`] = "ledger";
  return settings;
}
