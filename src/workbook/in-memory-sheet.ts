/**
 * One sheet of the in-memory workbook: a sparse grid of cells as Excel stores them, and Excel's rules for
 * what a typed value becomes. Browser-safe.
 */
import { MAX_COLUMNS, MAX_ROWS, type RangeArea } from "./address";
import { EXCEL_ERRORS, GENERAL, isoDateToSerial, TEXT_FORMAT } from "./number-format";
import type { CellScalar, CellValueType } from "./port";

/** One cell. `value` null is empty; an error cell holds its code (`#DIV/0!`) with `isError`. */
export interface CellData {
  readonly value: CellScalar;
  readonly isError?: boolean;
  /** `=SUM(B5:E5)`; `value` is then the cached result, as an .xlsx file stores it. */
  readonly formula?: string;
  /** Absent means `General`. */
  readonly numberFormat?: string;
  readonly bold?: boolean;
}

export type WorkbookChangeKind = "cells" | "sheets" | "names" | "tables" | "settings";

export interface WorkbookChange {
  readonly kinds: readonly WorkbookChangeKind[];
}

/** What went wrong inside the model, with the Excel error code the fake Excel API reports for it. */
export class WorkbookModelError extends Error {
  constructor(
    readonly code: "ItemNotFound" | "ItemAlreadyExists" | "InvalidArgument" | "InvalidOperation",
    message: string,
  ) {
    super(message);
    this.name = "WorkbookModelError";
  }
}

/** The workbook a sheet reports its changes to. */
export interface SheetOwner {
  notify(kind: WorkbookChangeKind): void;
}

const key = (row: number, column: number): number => row * MAX_COLUMNS + column;

export class InMemorySheet {
  private readonly grid = new Map<number, CellData>();
  private frozen = 0;
  private readonly widths = new Map<number, number>();

  /** @internal created by InMemoryWorkbook */
  constructor(
    private readonly owner: SheetOwner,
    readonly id: string,
    private sheetName: string,
  ) {}

  get name(): string {
    return this.sheetName;
  }

  /** @internal use InMemoryWorkbook.renameSheet */
  setNameUnchecked(name: string): void {
    this.sheetName = name;
  }

  get frozenRows(): number {
    return this.frozen;
  }

  set frozenRows(count: number) {
    if (!Number.isInteger(count) || count < 0 || count >= MAX_ROWS) throw new WorkbookModelError("InvalidArgument", "Frozen rows must be a whole number within the sheet.");
    this.frozen = count;
    this.owner.notify("cells");
  }

  getCell(row: number, column: number): CellData | undefined {
    return this.grid.get(key(row, column));
  }

  /** Column width in characters, when one was set (Excel's default is about 8.43). */
  columnWidth(column: number): number | undefined {
    return this.widths.get(column);
  }

  setColumnWidth(column: number, width: number | undefined): void {
    checkPosition(0, column);
    if (width === undefined) this.widths.delete(column);
    else {
      if (!Number.isFinite(width) || width < 0 || width > 255) throw new WorkbookModelError("InvalidArgument", "A column width must be 0 to 255 characters.");
      this.widths.set(column, Math.round(width * 100) / 100);
    }
    this.owner.notify("cells");
  }

  /** Set column widths, by zero-based column. */
  columnWidths(): Record<number, number> {
    return Object.fromEntries([...this.widths].sort((a, b) => a[0] - b[0]));
  }

  /** Replaces a cell (undefined clears it, formats included). */
  setCell(row: number, column: number, cell: CellData | undefined): void {
    checkPosition(row, column);
    const k = key(row, column);
    if (cell === undefined || isBlankCell(cell)) this.grid.delete(k);
    else this.grid.set(k, normaliseCell(cell));
    this.owner.notify("cells");
  }

  /** Enters a value as a user (or Office.js `Range.values`) would: Excel's typing rules apply. */
  enter(row: number, column: number, input: unknown): void {
    this.setCell(row, column, enterValue(this.getCell(row, column), input));
  }

  /** The smallest area holding every stored cell (with `valuesOnly`, every cell with a value). */
  usedArea(valuesOnly = false): RangeArea | undefined {
    let top = Infinity;
    let left = Infinity;
    let bottom = -1;
    let right = -1;
    for (const [k, cell] of this.grid) {
      if (valuesOnly && cell.value === null && cell.formula === undefined) continue;
      const row = Math.floor(k / MAX_COLUMNS);
      const column = k % MAX_COLUMNS;
      top = Math.min(top, row);
      left = Math.min(left, column);
      bottom = Math.max(bottom, row);
      right = Math.max(right, column);
    }
    return bottom < 0 ? undefined : { top, left, bottom, right };
  }

  /** Stored cells in row-major order. */
  cells(): { row: number; column: number; cell: CellData }[] {
    return [...this.grid.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([k, cell]) => ({ row: Math.floor(k / MAX_COLUMNS), column: k % MAX_COLUMNS, cell }));
  }

  /** @internal */
  clearAll(): void {
    this.grid.clear();
    this.widths.clear();
    this.frozen = 0;
  }
}

function checkPosition(row: number, column: number): void {
  if (!Number.isInteger(row) || row < 0 || row >= MAX_ROWS || !Number.isInteger(column) || column < 0 || column >= MAX_COLUMNS) {
    throw new WorkbookModelError("InvalidArgument", `Row ${row}, column ${column} is outside Excel's grid.`);
  }
}

function isBlankCell(cell: CellData): boolean {
  return cell.value === null && cell.formula === undefined && (cell.numberFormat === undefined || cell.numberFormat === GENERAL) && !cell.bold;
}

function normaliseCell(cell: CellData): CellData {
  return {
    value: cell.value,
    ...(cell.isError ? { isError: true } : {}),
    ...(cell.formula !== undefined ? { formula: cell.formula } : {}),
    ...(cell.numberFormat !== undefined && cell.numberFormat !== GENERAL ? { numberFormat: cell.numberFormat } : {}),
    ...(cell.bold ? { bold: true } : {}),
  };
}

const NUMBER_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * What a cell holds after `input` is entered into it, following Excel: in a text-formatted (`@`) cell a
 * string stays text; otherwise numeric strings become numbers, TRUE/FALSE booleans, `#N/A`-style strings
 * errors, ISO dates date serials, and strings starting with `=`, `+` or `-` that are not numbers become
 * formulas (which this model does not calculate: their value is left empty). `""` empties the cell.
 */
export function enterValue(current: CellData | undefined, input: unknown): CellData {
  const numberFormat = current?.numberFormat;
  const keep = { ...(numberFormat !== undefined ? { numberFormat } : {}), ...(current?.bold ? { bold: true } : {}) };
  if (input === null || input === undefined || input === "") return { value: null, ...keep };
  if (typeof input === "boolean") return { value: input, ...keep };
  if (typeof input === "number") {
    if (!Number.isFinite(input)) throw new WorkbookModelError("InvalidArgument", "A cell cannot hold NaN or Infinity.");
    return { value: input === 0 ? 0 : input, ...keep };
  }
  if (typeof input !== "string") throw new WorkbookModelError("InvalidArgument", "A cell value must be a string, number or boolean.");
  if (input.length > 32_767) throw new WorkbookModelError("InvalidArgument", "Text longer than 32,767 characters does not fit in a cell.");
  if (numberFormat === TEXT_FORMAT) return { value: input, ...keep };
  if (NUMBER_TEXT.test(input)) return { value: Number(input) === 0 ? 0 : Number(input), ...keep };
  if (/^(true|false)$/i.test(input)) return { value: input.toUpperCase() === "TRUE", ...keep };
  if (EXCEL_ERRORS.has(input.toUpperCase())) return { value: input.toUpperCase(), isError: true, ...keep };
  if (/^[=+-]./.test(input)) return { value: null, formula: input.startsWith("=") ? input : `=${input}`, ...keep };
  const iso = ISO_DATE.exec(input);
  if (iso && Number(iso[2]) >= 1 && Number(iso[2]) <= 12 && Number(iso[3]) >= 1 && Number(iso[3]) <= 31) {
    return { value: isoDateToSerial(input), ...keep, numberFormat: numberFormat === undefined || numberFormat === GENERAL ? "yyyy-mm-dd" : numberFormat };
  }
  return { value: input, ...keep };
}

/** Excel's `valueTypes` entry for a cell. */
export function cellValueType(cell: CellData | undefined): CellValueType {
  if (!cell || cell.value === null) return "Empty";
  if (cell.isError) return "Error";
  switch (typeof cell.value) {
    case "number":
      return "Double";
    case "boolean":
      return "Boolean";
    default:
      return "String";
  }
}

