/**
 * A1 addresses as Excel writes them: `B4`, `$B$4:$E$4`, `Sheet1!B4`, `'Property income'!B4:E4`, `A:A`, `3:3`.
 * Rows and columns are zero-based here; the text forms are Excel's one-based ones. Browser-safe (no Node).
 */
import { err, ok, type Result } from "../mtd";

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;
/** Excel's limit on a sheet name's length. */
export const MAX_SHEET_NAME_LENGTH = 31;

export interface CellPosition {
  readonly row: number;
  readonly column: number;
}

/** A rectangle of cells, zero-based and inclusive at both ends. */
export interface RangeArea {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/** An area, optionally on a named sheet. */
export interface RangeAddress extends RangeArea {
  readonly sheet?: string;
}

/** 0 → `A`, 25 → `Z`, 26 → `AA`, 16383 → `XFD`. */
export function columnName(column: number): string {
  if (!Number.isInteger(column) || column < 0 || column >= MAX_COLUMNS) throw new RangeError(`column ${column} is outside Excel's grid`);
  let n = column + 1;
  let out = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** `A` → 0, `xfd` → 16383; undefined when not a column of Excel's grid. */
export function columnIndex(letters: string): number | undefined {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return undefined;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1 < MAX_COLUMNS ? n - 1 : undefined;
}

/** `B4` for row 3, column 1 (absolute: `$B$4`). */
export function cellName(row: number, column: number, absolute = false): string {
  if (!Number.isInteger(row) || row < 0 || row >= MAX_ROWS) throw new RangeError(`row ${row} is outside Excel's grid`);
  const d = absolute ? "$" : "";
  return `${d}${columnName(column)}${d}${row + 1}`;
}

const CELL = /^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$/;
const WHOLE_COLUMN = /^\$?([A-Za-z]{1,3})$/;
const WHOLE_ROW = /^\$?([0-9]{1,7})$/;

/** `B4` / `$B$4` → position; undefined for anything else. */
export function parseCellName(text: string): CellPosition | undefined {
  const m = CELL.exec(text);
  if (!m) return undefined;
  const column = columnIndex(m[1]!);
  const row = Number(m[2]) - 1;
  if (column === undefined || row < 0 || row >= MAX_ROWS) return undefined;
  return { row, column };
}

/** Excel needs quotes around a sheet name unless it is a plain identifier that cannot be read as a reference. */
function needsQuotes(sheet: string): boolean {
  if (!/^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\u00C0-\uFFFF]*$/.test(sheet)) return true;
  if (/^[A-Za-z]{1,3}[0-9]+$/.test(sheet)) return true; // looks like a cell (A1, XFD9)
  if (/^[Rr][0-9]*([Cc][0-9]*)?$/.test(sheet) || /^[Cc][0-9]*$/.test(sheet)) return true; // R1C1 forms
  return /^(true|false)$/i.test(sheet);
}

/** `Sheet1` → `Sheet1`; `Property income` → `'Property income'`; `Bob's` → `'Bob''s'`. */
export function formatSheetName(sheet: string): string {
  return needsQuotes(sheet) ? `'${sheet.replace(/'/g, "''")}'` : sheet;
}

/** Why Excel would refuse this sheet name, or undefined when it is fine. */
export function sheetNameProblem(name: string): string | undefined {
  if (name.length === 0) return "A sheet name cannot be empty.";
  if (name.length > MAX_SHEET_NAME_LENGTH) return `The sheet name “${name}” is longer than Excel's ${MAX_SHEET_NAME_LENGTH} characters.`;
  if (/[:\\/?*[\]]/.test(name)) return `The sheet name “${name}” contains one of the characters Excel does not allow: : \\ / ? * [ ]`;
  if (name.startsWith("'") || name.endsWith("'")) return `The sheet name “${name}” cannot start or end with an apostrophe.`;
  if (name.toLowerCase() === "history") return "Excel reserves the sheet name “History”.";
  return undefined;
}

/** Sheet names compare without regard to case, as Excel does. */
export function sameSheetName(a: string, b: string): boolean {
  return a.toLocaleLowerCase("en-GB") === b.toLocaleLowerCase("en-GB");
}

/** Splits `'My sheet'!A1:B2` into the sheet name (unquoted) and the area text. */
function splitSheet(text: string): Result<{ sheet?: string; area: string }, string> {
  if (text.startsWith("'")) {
    let i = 1;
    let name = "";
    for (;;) {
      if (i >= text.length) return err("has an unterminated quoted sheet name");
      const ch = text[i]!;
      if (ch === "'") {
        if (text[i + 1] === "'") {
          name += "'";
          i += 2;
          continue;
        }
        break;
      }
      name += ch;
      i += 1;
    }
    if (text[i + 1] !== "!") return err("needs a ! after the sheet name");
    return ok({ sheet: name, area: text.slice(i + 2) });
  }
  const bang = text.lastIndexOf("!");
  if (bang < 0) return ok({ area: text });
  const sheet = text.slice(0, bang);
  if (sheet === "" || needsQuotes(sheet)) return err("has a sheet name that needs quotes");
  return ok({ sheet, area: text.slice(bang + 1) });
}

function parseArea(area: string): RangeArea | undefined {
  const parts = area.split(":");
  if (parts.length === 1) {
    const c = parseCellName(parts[0]!);
    return c && { top: c.row, left: c.column, bottom: c.row, right: c.column };
  }
  if (parts.length !== 2) return undefined;
  const [a, b] = parts as [string, string];
  const ca = parseCellName(a);
  const cb = parseCellName(b);
  if (ca && cb) {
    return {
      top: Math.min(ca.row, cb.row),
      bottom: Math.max(ca.row, cb.row),
      left: Math.min(ca.column, cb.column),
      right: Math.max(ca.column, cb.column),
    };
  }
  const colA = WHOLE_COLUMN.exec(a);
  const colB = WHOLE_COLUMN.exec(b);
  if (colA && colB) {
    const l = columnIndex(colA[1]!);
    const r = columnIndex(colB[1]!);
    if (l === undefined || r === undefined) return undefined;
    return { top: 0, bottom: MAX_ROWS - 1, left: Math.min(l, r), right: Math.max(l, r) };
  }
  const rowA = WHOLE_ROW.exec(a);
  const rowB = WHOLE_ROW.exec(b);
  if (rowA && rowB) {
    const t = Number(rowA[1]) - 1;
    const u = Number(rowB[1]) - 1;
    if (t < 0 || u < 0 || t >= MAX_ROWS || u >= MAX_ROWS) return undefined;
    return { top: Math.min(t, u), bottom: Math.max(t, u), left: 0, right: MAX_COLUMNS - 1 };
  }
  return undefined;
}

/**
 * Parses one area reference, optionally sheet-qualified and with a leading `=` (as a name's formula is
 * written). Multi-area references, `#REF!` and formulas are not addresses and are refused.
 */
export function parseAddress(text: string): Result<RangeAddress, string> {
  if (text.length > 300) return err("is too long to be a cell reference");
  const body = text.trim().replace(/^=/, "");
  if (body === "") return err("is empty");
  if (body.includes("#REF!")) return err("points at #REF! (its cells were deleted)");
  const split = splitSheet(body);
  if (!split.ok) return split;
  const area = parseArea(split.value.area);
  if (!area) return err(`“${text}” is not a cell or range reference`);
  if (split.value.sheet !== undefined && sheetNameProblem(split.value.sheet)) return err("has an invalid sheet name");
  return ok(split.value.sheet === undefined ? area : { sheet: split.value.sheet, ...area });
}

export function areaRows(a: RangeArea): number {
  return a.bottom - a.top + 1;
}

export function areaColumns(a: RangeArea): number {
  return a.right - a.left + 1;
}

export function areaCellCount(a: RangeArea): number {
  return areaRows(a) * areaColumns(a);
}

function areaText(a: RangeArea, absolute: boolean): string {
  const d = absolute ? "$" : "";
  if (a.top === 0 && a.bottom === MAX_ROWS - 1) return `${d}${columnName(a.left)}:${d}${columnName(a.right)}`;
  if (a.left === 0 && a.right === MAX_COLUMNS - 1) return `${d}${a.top + 1}:${d}${a.bottom + 1}`;
  const first = cellName(a.top, a.left, absolute);
  return a.top === a.bottom && a.left === a.right ? first : `${first}:${cellName(a.bottom, a.right, absolute)}`;
}

/** `Sheet1!B4:E4` (Excel's `Range.address` form) or, with `absolute`, `Sheet1!$B$4:$E$4` (a name's reference). */
export function formatAddress(a: RangeAddress, options: { absolute?: boolean } = {}): string {
  const area = areaText(a, options.absolute ?? false);
  return a.sheet === undefined ? area : `${formatSheetName(a.sheet)}!${area}`;
}

/** The single cell at a zero-based offset inside an area. */
export function cellAddress(sheet: string | undefined, row: number, column: number): string {
  return formatAddress({ ...(sheet === undefined ? {} : { sheet }), top: row, left: column, bottom: row, right: column });
}

/** The part after the `!`: `'Property income'!B7` → `B7`. */
export function withoutSheet(address: string): string {
  const parsed = parseAddress(address);
  return parsed.ok ? areaText(parsed.value, false) : address;
}
