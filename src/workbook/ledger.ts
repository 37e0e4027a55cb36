/**
 * Ledger mode (issue #6): year-to-date figures from a table of transactions instead of named cells.
 *   `MTD_Ledger`       Date | Amount | Category | Business | Property (optional)
 *   `MTD_CategoryMap`  Category | Business type | HMRC field   — the user's own map, edited in the workbook.
 * Each transaction of the chosen business dated from the start of the tax year to the end of the quarter
 * adds its exact pence to the field its category maps to. The result has the shape readCumulativeFigures
 * gives, so the payload builders take it unchanged. Every bad row is reported at its cell; a field with any
 * bad row is left out of the amounts, as for named cells.
 */
import {
  cumulativeField,
  formatPounds,
  HMRC_MAX_PENCE,
  ok,
  parseIsoDate,
  parsePounds,
  quarterOf,
  taxYearEnd,
  type CumulativeBusinessType,
  type Pence,
  type QuarterBasis,
  type QuarterNumber,
  type TaxYear,
} from "../mtd";
import { cellAddress } from "./address";
import { resolveKey, type AliasMap, type FiguresSource } from "./cumulative-figures";
import { rangeCheck, type CellProblem, type FiguresResult } from "./figures-from-names";
import { isoDateToSerial } from "./number-format";
import type { CellScalar, ReadTableOptions, TableRead, WorkbookPort } from "./port";

export const LEDGER_TABLE = "MTD_Ledger";
export const CATEGORY_MAP_TABLE = "MTD_CategoryMap";
/** Beyond this many problems the rest are summed up in one line: nobody reads 100,000 messages. */
export const MAX_LEDGER_PROBLEMS = 200;

export interface LedgerRequest {
  readonly source: FiguresSource;
  readonly taxYear: TaxYear;
  readonly quarter: QuarterNumber;
  /** Standard (6 Apr) or calendar (1 Apr) quarters; standard unless the business elected calendar. */
  readonly basis?: QuarterBasis;
  /**
   * What the Business column says for this source, matched without case and through the aliases.
   * Defaults: the self-employment's key, `UK property`, `Foreign property`.
   */
  readonly business?: string;
  readonly aliases?: AliasMap;
}

export interface LedgerCounts {
  /** Transactions added into the figures. */
  readonly used: number;
  /** Dated outside the tax year: ignored. */
  readonly outsideTaxYear: number;
  /** In the tax year but after the quarter's end: not yet part of the year to date. */
  readonly afterPeriod: number;
  /** Rows for other businesses (or other foreign properties). */
  readonly otherBusinesses: number;
  /** Wholly empty rows. */
  readonly blank: number;
  /** Rows with an error (reported in problems). */
  readonly rejected: number;
}

export interface LedgerResult extends FiguresResult {
  readonly counts: LedgerCounts;
}

const TYPE_WORDS: Readonly<Record<string, CumulativeBusinessType>> = {
  "self-employment": "self-employment",
  "self employment": "self-employment",
  "sole trader": "self-employment",
  "uk-property": "uk-property",
  "uk property": "uk-property",
  "foreign-property": "foreign-property",
  "foreign property": "foreign-property",
};

const DEFAULT_BUSINESS: Readonly<Record<CumulativeBusinessType, string>> = {
  "self-employment": "",
  "uk-property": "UK property",
  "foreign-property": "Foreign property",
};

/** Normalised text of a cell (trimmed, lower case); numbers as Excel shows them plainly. */
function text(v: CellScalar): string {
  return v === null ? "" : String(v).trim().toLowerCase();
}

/** The columns a table needs, found by heading (any case); missing ones are reported on the header row. */
function columnsOf<K extends string>(table: TableRead, wanted: Readonly<Record<K, readonly string[]>>, optional: readonly K[], problems: CellProblem[]): Record<K, number> | undefined {
  const headings = table.header.map((h) => h.trim().toLowerCase());
  const out = {} as Record<K, number>;
  let ok = true;
  for (const key of Object.keys(wanted) as K[]) {
    const i = headings.findIndex((h) => wanted[key].includes(h));
    out[key] = i;
    if (i < 0 && !optional.includes(key)) {
      ok = false;
      problems.push({
        address: cellAddress(table.sheet, table.headerRow, table.firstColumn),
        name: table.name,
        message: `The table ${table.name} has no “${wanted[key][0]}” column; add a column headed ${wanted[key][0]}.`,
        severity: "error",
      });
    }
  }
  return ok ? out : undefined;
}

const LEDGER_COLUMNS = { date: ["date"], amount: ["amount"], category: ["category"], business: ["business"], property: ["property"] } as const;
const MAP_COLUMNS = { category: ["category"], type: ["business type", "type"], field: ["hmrc field", "field"] } as const;

interface FieldOf {
  readonly path: string;
  readonly minPence: Pence;
  readonly maxPence: Pence;
  readonly description: string;
}

/** Category (lower case) → HMRC field for one business type and tax year, from the user's map table. */
export function categoryMapFrom(table: TableRead, type: CumulativeBusinessType, taxYear: TaxYear, problems: CellProblem[]): Map<string, FieldOf> {
  const map = new Map<string, FieldOf>();
  const cols = columnsOf<keyof typeof MAP_COLUMNS>(table, MAP_COLUMNS, [], problems);
  if (!cols) return map;
  const at = (r: number, c: number): string => cellAddress(table.sheet, table.headerRow + 1 + r, table.firstColumn + c);
  table.rows.forEach((row, r) => {
    const category = text(row[cols.category] ?? null);
    const typeText = text(row[cols.type] ?? null);
    const fieldText = String(row[cols.field] ?? "").trim();
    if (category === "" && typeText === "" && fieldText === "") return;
    const rowType = TYPE_WORDS[typeText];
    if (!rowType) {
      problems.push({ address: at(r, cols.type), name: table.name, message: `${at(r, cols.type)} should say Self-employment, UK property or Foreign property.`, severity: "error" });
      return;
    }
    if (rowType !== type) return;
    const field = cumulativeField(type, taxYear, fieldText);
    if (!field) {
      problems.push({
        address: at(r, cols.field),
        name: table.name,
        message: `${at(r, cols.field)} maps “${String(row[cols.category])}” to “${fieldText}”, which is not a ${type} field HMRC accepts for ${taxYear}; choose a field from the add-in's field list.`,
        severity: "error",
      });
      return;
    }
    const existing = map.get(category);
    if (existing && existing.path !== field.path) {
      problems.push({
        address: at(r, cols.category),
        name: table.name,
        field: field.path,
        message: `${at(r, cols.category)}: the category “${String(row[cols.category])}” is mapped twice, to ${existing.path} and ${field.path}; keep one row for it.`,
        severity: "error",
      });
      return;
    }
    map.set(category, field);
  });
  return map;
}

/** An Excel date serial, or undefined: a date cell, `YYYY-MM-DD` or `DD/MM/YYYY` text. */
function dateSerial(v: CellScalar): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) && v >= 1 && v < 2_958_466 ? Math.floor(v) : undefined;
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const iso = uk ? `${uk[3]}-${uk[2]!.padStart(2, "0")}-${uk[1]!.padStart(2, "0")}` : t;
  const parsed = parseIsoDate(iso);
  return parsed.ok ? isoDateToSerial(parsed.value) : undefined;
}

/**
 * parsePounds, with a fast path for the common case: when `n × 100` rounds to a whole number of pence whose
 * double is `n` itself, `n` prints with at most two decimals, so parsePounds would give the same pence.
 */
export function amountInPence(n: number): ReturnType<typeof parsePounds> {
  const pence = Math.round(n * 100);
  if (Math.abs(n) < 1e11 && pence / 100 === n) return ok((pence === 0 ? 0 : pence) as Pence);
  return parsePounds(n);
}

/** The pure half of {@link readLedgerFigures}: both tables already read → amounts, sources, problems, counts. */
export function ledgerFigures(ledger: TableRead, categoryMap: TableRead, request: LedgerRequest): LedgerResult {
  const { source, taxYear, quarter, basis = "standard", aliases = {} } = request;
  const problems: CellProblem[] = [];
  let extraProblems = 0;
  const report = (p: CellProblem): void => {
    if (problems.length < MAX_LEDGER_PROBLEMS) problems.push(p);
    else extraProblems += 1;
  };
  const fields = categoryMapFrom(categoryMap, source.type, taxYear, problems);
  const counts = { used: 0, outsideTaxYear: 0, afterPeriod: 0, otherBusinesses: 0, blank: 0, rejected: 0 };
  const cols = columnsOf<keyof typeof LEDGER_COLUMNS>(ledger, LEDGER_COLUMNS, ["property"], problems);
  if (!cols) return { amounts: new Map(), sources: new Map(), problems, counts };

  const period = quarterOf(taxYear, basis, quarter);
  const yearStart = isoDateToSerial(period.cumulativeStart);
  const periodEnd = isoDateToSerial(period.end);
  const yearEnd = Math.max(isoDateToSerial(taxYearEnd(taxYear)), periodEnd);
  const business = resolveKey(request.business ?? (source.type === "self-employment" ? source.key : DEFAULT_BUSINESS[source.type]), aliases).toLowerCase();
  const property = source.type === "foreign-property" ? resolveKey(source.countryOrPropertyId, aliases).toLowerCase() : undefined;
  // Rows repeat few distinct business, property and category values: normalise each distinct value once.
  const resolved = new Map<CellScalar, string>();
  const resolve = (v: CellScalar): string => {
    let r = resolved.get(v);
    if (r === undefined) resolved.set(v, (r = resolveKey(text(v), aliases).toLowerCase()));
    return r;
  };
  const fieldCache = new Map<CellScalar, FieldOf | undefined>();
  const fieldOf = (v: CellScalar): FieldOf | undefined => {
    if (!fieldCache.has(v)) fieldCache.set(v, fields.get(text(v)));
    return fieldCache.get(v);
  };

  const totals = new Map<string, number>();
  const rowsPerField = new Map<string, number>();
  const broken = new Set<string>();
  const at = (r: number, c: number): string => cellAddress(ledger.sheet, ledger.headerRow + 1 + r, ledger.firstColumn + c);
  const reject = (r: number, c: number, message: string, field?: string): void => {
    counts.rejected += 1;
    if (field !== undefined) broken.add(field);
    const address = at(r, c);
    report({ address, name: ledger.name, ...(field !== undefined ? { field } : {}), message: `${address} ${message}`, severity: "error" });
  };

  const rows = ledger.rows;
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r]!;
    const dateCell = row[cols.date] ?? null;
    const amountCell = row[cols.amount] ?? null;
    const categoryCell = row[cols.category] ?? null;
    const businessCell = row[cols.business] ?? null;
    if (resolve(businessCell) !== business || (property !== undefined && resolve(cols.property < 0 ? null : (row[cols.property] ?? null)) !== property)) {
      if (row.every((v) => v === null || (typeof v === "string" && v.trim() === ""))) counts.blank += 1;
      else counts.otherBusinesses += 1;
      continue;
    }
    const serial = dateSerial(dateCell);
    if (serial === undefined) {
      reject(r, cols.date, `is not a date (${String(dateCell ?? "blank").slice(0, 40)}); enter the transaction's date, such as 2025-05-14.`);
      continue;
    }
    if (serial < yearStart || serial > yearEnd) {
      counts.outsideTaxYear += 1;
      continue;
    }
    if (serial > periodEnd) {
      counts.afterPeriod += 1;
      continue;
    }
    const field = fieldOf(categoryCell);
    if (!field) {
      reject(r, cols.category, `has the category “${String(categoryCell ?? "").slice(0, 60)}”, which ${CATEGORY_MAP_TABLE} does not map to an HMRC ${source.type} field; add it to ${CATEGORY_MAP_TABLE}.`);
      continue;
    }
    if (typeof amountCell !== "number") {
      const what = amountCell === null ? "is empty" : typeof amountCell === "string" ? `holds text (“${amountCell.slice(0, 40)}”)` : "is not a number";
      reject(r, cols.amount, `${what}; type the amount as a number.`, field.path);
      continue;
    }
    const pence = amountInPence(amountCell);
    if (!pence.ok) {
      const advice = pence.error.kind === "too-many-decimals" ? "round it to pounds and pence" : "check the amount";
      reject(r, cols.amount, `(${String(amountCell)}) ${pence.error.detail}; ${advice}.`, field.path);
      continue;
    }
    const total = (totals.get(field.path) ?? 0) + pence.value;
    // Beyond 2^53 pence a double no longer holds every whole number, so the total would silently stop being exact.
    if (!Number.isSafeInteger(total)) {
      reject(r, cols.amount, `(${String(amountCell)}) takes the total for ${field.path} far beyond HMRC's limit of ${formatPounds(HMRC_MAX_PENCE)}; check the amount.`, field.path);
      continue;
    }
    totals.set(field.path, total);
    rowsPerField.set(field.path, (rowsPerField.get(field.path) ?? 0) + 1);
    counts.used += 1;
  }

  const amounts = new Map<string, Pence>();
  const sources = new Map<string, string>();
  const byPath = new Map([...fields.values()].map((f) => [f.path, f]));
  for (const [path, total] of totals) {
    if (broken.has(path)) continue;
    const field = byPath.get(path)!;
    const count = rowsPerField.get(path)!;
    const where = `${ledger.name} (${count} transaction${count === 1 ? "" : "s"})`;
    const outOfRange = rangeCheck(`The total of ${where}`, total as Pence, field);
    if (outOfRange) {
      report({ address: cellAddress(ledger.sheet, ledger.headerRow, ledger.firstColumn), name: ledger.name, field: path, message: outOfRange.message, severity: "error" });
      continue;
    }
    amounts.set(path, total as Pence);
    sources.set(path, where);
  }
  if (extraProblems > 0) {
    problems.push({ address: "", name: ledger.name, message: `…and ${extraProblems} more problems in ${ledger.name}; fix the ones above and check again.`, severity: "error" });
  }
  return { amounts, sources, problems, counts };
}

/** Reads the ledger and the category map (the ledger in blocks, with progress) and aggregates them. */
export async function readLedgerFigures(
  port: WorkbookPort,
  request: LedgerRequest,
  options: ReadTableOptions & { readonly ledgerTable?: string; readonly categoryMapTable?: string } = {},
): Promise<LedgerResult> {
  const categoryMap = await port.readTable(options.categoryMapTable ?? CATEGORY_MAP_TABLE);
  const ledger = await port.readTable(options.ledgerTable ?? LEDGER_TABLE, options);
  return ledgerFigures(ledger, categoryMap, request);
}

/**
 * The foreign properties (or countries) the ledger has rows for: each distinct Property value of rows whose
 * Business is foreign property, resolved through the aliases, in first-seen order.
 */
export function ledgerForeignEntries(ledger: TableRead, aliases: AliasMap = {}): string[] {
  const headings = ledger.header.map((h) => h.trim().toLowerCase());
  const business = headings.indexOf("business");
  const property = headings.indexOf("property");
  if (business < 0 || property < 0) return [];
  const foreign = DEFAULT_BUSINESS["foreign-property"].toLowerCase();
  const seen = new Map<string, string>();
  for (const row of ledger.rows) {
    // Matched as ledgerFigures matches a foreign-property row's Business cell.
    if (resolveKey(text(row[business] ?? null), aliases).toLowerCase() !== foreign) continue;
    const raw = String(row[property] ?? "").trim();
    if (raw === "") continue;
    const id = resolveKey(raw, aliases);
    if (!seen.has(id.toLowerCase())) seen.set(id.toLowerCase(), id);
  }
  return [...seen.values()];
}
