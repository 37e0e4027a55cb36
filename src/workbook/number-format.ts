/**
 * Just enough of Excel's number formats to tell dates from money and to show a cell roughly as Excel
 * would (the fake's `Range.text`, the workbench grid). Not a full implementation of Excel's formatter.
 */
import type { CellScalar } from "./port";

export const GENERAL = "General";
export const TEXT_FORMAT = "@";
export const MONEY_FORMAT = "#,##0.00";

/** Excel's error values, as `Range.values` reports them. */
export const EXCEL_ERRORS: ReadonlySet<string> = new Set([
  "#NULL!",
  "#DIV/0!",
  "#VALUE!",
  "#REF!",
  "#NAME?",
  "#NUM!",
  "#N/A",
  "#GETTING_DATA",
  "#SPILL!",
  "#CALC!",
  "#FIELD!",
  "#BLOCKED!",
  "#UNKNOWN!",
  "#CONNECT!",
  "#BUSY!",
]);

/** Removes quoted literals, escapes and bracketed colours/conditions so only format tokens remain. */
function formatTokens(format: string): string {
  return format
    .replace(/"[^"]*"/g, "")
    .replace(/\\./g, "")
    .replace(/\[(?:h+|m+|s+)\]/gi, "h") // elapsed-time tokens are date/time tokens
    .replace(/\[[^\]]*\]/g, "")
    .replace(/_.|\*./g, "");
}

/** True when the format shows a number as a date or time (`dd/mm/yyyy`, `d-mmm`, `hh:mm`, `[h]:mm`). */
export function isDateFormat(format: string | undefined): boolean {
  if (!format || format === GENERAL || format === TEXT_FORMAT) return false;
  const section = formatTokens(format.split(";")[0] ?? "");
  return /[dmyhs]/i.test(section.replace(/General/gi, ""));
}

const MS_PER_DAY = 86_400_000;
/** From 1 March 1900 on, serial n is n days after 1899-12-30 (Excel counts a 29 Feb 1900 that never was). */
const EPOCH_1900 = Date.UTC(1899, 11, 30);

/** An Excel date serial (1900 date system) as an ISO date, or undefined outside 1900–9999. */
export function serialToIsoDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466) return undefined;
  const day = Math.floor(serial);
  if (day === 60) return "1900-02-29"; // Excel's phantom leap day, kept for Lotus 1-2-3 compatibility
  const d = new Date(EPOCH_1900 + (day < 60 ? day + 1 : day) * MS_PER_DAY);
  return d.toISOString().slice(0, 10);
}

export function isoDateToSerial(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const serial = Math.round((Date.UTC(y, m - 1, d) - EPOCH_1900) / MS_PER_DAY);
  return serial < 61 ? serial - 1 : serial;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function fixed(n: number, decimals: number, thousands: boolean): string {
  const sign = n < 0 ? "-" : "";
  const [whole, frac] = Math.abs(n).toFixed(decimals).split(".") as [string, string | undefined];
  return `${sign}${thousands ? groupThousands(whole) : whole}${frac ? `.${frac}` : ""}`;
}

/** General format: up to 11 significant characters, as Excel shows numbers in a standard-width column. */
function general(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e11) return String(n);
  const p = Number(n.toPrecision(10));
  return Math.abs(p) >= 1e11 || (Math.abs(p) < 1e-9 && p !== 0) ? p.toExponential(5).replace("e+", "E+").replace("e-", "E-") : String(p);
}

function formatDate(serial: number, format: string): string {
  const iso = serialToIsoDate(serial);
  if (!iso) return "#".repeat(8);
  const [y, m, d] = iso.split("-") as [string, string, string];
  const tokens = formatTokens(format).toLowerCase();
  if (/^y+-m+-d+$/.test(tokens)) return `${y}-${m}-${d}`;
  if (/mmm/.test(tokens)) {
    const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][Number(m) - 1]!;
    return `${Number(d)} ${mon} ${y}`;
  }
  return `${d}/${m}/${y}`; // en-GB short date
}

/** The text Excel would display for a value in a cell of this format (approximate for exotic formats). */
export function formatCellText(value: CellScalar, format: string | undefined): string {
  if (value === null) return "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "string") return value;
  const f = format ?? GENERAL;
  if (f === GENERAL || f === TEXT_FORMAT) return general(value);
  if (isDateFormat(f)) return formatDate(value, f);
  const section = f.split(";")[0] ?? f;
  const percent = section.includes("%");
  const n = percent ? value * 100 : value;
  const decimals = (/\.(0+)/.exec(section)?.[1] ?? "").length;
  const body = fixed(n, decimals, section.includes(","));
  const currency = /£/.test(section) ? "£" : "";
  const withCurrency = currency ? (body.startsWith("-") ? `-${currency}${body.slice(1)}` : `${currency}${body}`) : body;
  return percent ? `${withCurrency}%` : withCurrency;
}
