/** The plain-JSON form of a workbook (what the workbench embeds) and the checks on reading one back. */
import type { SettingValue } from "./document-settings";
import type { CellData } from "./in-memory-sheet";
import { EXCEL_ERRORS } from "./number-format";
import type { CellScalar } from "./port";

/** Plain-JSON form of a workbook: what the workbench embeds and `toSnapshot`/`fromSnapshot` exchange. */
export interface WorkbookSnapshot {
  readonly version: 1;
  readonly sheets: readonly SheetSnapshot[];
  readonly names: readonly NameSnapshot[];
  readonly tables?: readonly TableSnapshot[];
  /** Document settings exactly as Office keeps them (key → JSON value). */
  readonly settings: Readonly<Record<string, SettingValue>>;
  readonly activeSheet?: string;
}

export interface SheetSnapshot {
  readonly name: string;
  readonly id?: string;
  readonly frozenRows?: number;
  /** Column letter → width in characters, for columns given a width. */
  readonly columnWidths?: Readonly<Record<string, number>>;
  /** Non-empty cells (or formatted empty ones) in row-major order. */
  readonly cells: readonly CellSnapshot[];
}

export interface CellSnapshot {
  /** `B4`, on this sheet. */
  readonly ref: string;
  readonly value: CellScalar;
  readonly error?: true;
  readonly formula?: string;
  readonly numberFormat?: string;
  readonly bold?: true;
}

export interface NameSnapshot {
  readonly name: string;
  /** `=Sheet1!$B$4:$E$4`, `=#REF!`, `=0.2` */
  readonly refersTo: string;
}

export interface TableSnapshot {
  readonly name: string;
  readonly sheet: string;
  /** `A3:J10` on that sheet. */
  readonly ref: string;
}

/** Validates one snapshot cell (it may come from a file) and turns it into a cell. */
export function cellFromSnapshot(c: CellSnapshot, where: string): CellData {
  const v: unknown = c.value;
  if (!(v === null || typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v)))) {
    throw new TypeError(`Snapshot cell ${where} has a value that is not text, a number, a boolean or null.`);
  }
  if (typeof v === "string" && v.length > 32_767) throw new RangeError(`Snapshot cell ${where} holds more than 32,767 characters.`);
  if (c.error && (typeof v !== "string" || !EXCEL_ERRORS.has(v))) throw new TypeError(`Snapshot cell ${where} is marked as an error but holds ${String(v)}.`);
  if (c.formula !== undefined && (typeof c.formula !== "string" || c.formula.length > 8192)) throw new TypeError(`Snapshot cell ${where} has a bad formula.`);
  if (c.numberFormat !== undefined && (typeof c.numberFormat !== "string" || c.numberFormat.length > 255)) throw new TypeError(`Snapshot cell ${where} has a bad number format.`);
  return {
    value: v,
    ...(c.error ? { isError: true } : {}),
    ...(c.formula !== undefined ? { formula: c.formula } : {}),
    ...(c.numberFormat !== undefined ? { numberFormat: c.numberFormat } : {}),
    ...(c.bold ? { bold: true } : {}),
  };
}
