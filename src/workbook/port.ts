/**
 * The workbook as the rest of the product sees it (DESIGN.md §2, §4). Implemented by the Office.js adapter
 * (src/addin), the in-memory workbook (tests, workbench, CLI) and nothing else. Every method is one
 * batched round trip to Excel: reading any number of names costs at most two `context.sync()` calls,
 * writing a sheet costs one.
 */

/** What a cell holds as Excel reports it; `null` is an empty cell. Error cells are kinds of string (`#REF!`). */
export type CellScalar = string | number | boolean | null;

/** Excel's `Range.valueTypes`. */
export type CellValueType = "Empty" | "String" | "Double" | "Boolean" | "Error";

export interface CellRead {
  /** `Sheet1!B4` (sheet names quoted as Excel does when needed). */
  readonly address: string;
  readonly value: CellScalar;
  readonly type: CellValueType;
  /** The formula when the cell has one (`=SUM(B2:B9)`), else undefined: a typed constant. */
  readonly formula?: string;
  readonly numberFormat: string;
}

/** One workbook-scoped name and what it refers to. */
export interface NamedRangeRead {
  /** The name as stored in the workbook (case preserved). */
  readonly name: string;
  /** What the name refers to, as Excel shows it (`=Sheet1!$B$4:$B$7`, `=#REF!`). */
  readonly refersTo: string;
  /**
   * `range`: cells were read. `ref-error`: the name points at `#REF!` (its cells were deleted).
   * `not-a-range`: a constant or formula name.
   */
  readonly kind: "range" | "ref-error" | "not-a-range";
  /** Address of the whole range (`Sheet1!B4:B7`) for kind `range`. */
  readonly address?: string;
  /** Cells in row-major order, for kind `range`. */
  readonly cells: readonly (readonly CellRead[])[];
}

/** A table the add-in owns: written in one batch, replacing the previous version of the same sheet. */
export interface SheetWrite {
  /** Sheet name (≤ 31 characters, none of `: \ / ? * [ ]`). */
  readonly name: string;
  /** Marks the sheet as the add-in's own; a user's sheet of the same name is never overwritten. */
  readonly tag: string;
  /** Optional lines above the table (title, HMRC's disclaimer), one cell each in column A. */
  readonly preamble?: readonly string[];
  readonly header: readonly string[];
  readonly rows: readonly (readonly CellScalar[])[];
  /** Zero-based columns written as text (identifiers: NINO, business ID, correlation ID). */
  readonly textColumns?: readonly number[];
  /** Zero-based columns formatted as money (`#,##0.00`). */
  readonly moneyColumns?: readonly number[];
}

export type WorkbookErrorCode =
  | "sheet-owned-by-user"
  | "invalid-sheet-name"
  | "cell-edit-mode"
  | "payload-too-large"
  | "table-not-found"
  | "invalid-name"
  | "invalid-selection"
  | "excel-error";

/** A workbook operation that failed, with a message a user can act on. */
export class WorkbookError extends Error {
  constructor(
    readonly code: WorkbookErrorCode,
    message: string,
    /** The underlying error (an Office.js error with its `debugInfo`), kept for diagnostics, never shown. */
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "WorkbookError";
  }
}

/** An Excel table's values: its header and data rows, with where they sit so problems can name cells. */
export interface TableRead {
  /** The table's name as stored. */
  readonly name: string;
  readonly sheet: string;
  /** Zero-based row of the header and column of the table's first cell. */
  readonly headerRow: number;
  readonly firstColumn: number;
  readonly header: readonly string[];
  /** Data rows, each as wide as the header; an empty cell is null, an error cell its text (`#N/A`). */
  readonly rows: readonly (readonly CellScalar[])[];
}

export interface ReadTableOptions {
  /** Called after each block of rows is read. */
  readonly onProgress?: (rowsRead: number, totalRows: number) => void;
  /** Rows in the first block (later blocks are sized from it); the Office.js adapter's default is 5,000. */
  readonly chunkRows?: number;
}

/** The error both adapters give for a table the workbook does not have. */
export function tableNotFound(tableName: string): WorkbookError {
  return new WorkbookError(
    "table-not-found",
    `This workbook has no table named “${tableName.slice(0, 255)}”. Select the cells, choose Insert ▸ Table, and give it that name in Table Design ▸ Table Name.`,
  );
}

/** The cells the user has selected: one rectangular block. */
export interface SelectionRead {
  /** `Sheet1!B4:B7` (sheet names quoted as Excel does when needed; no `$`). */
  readonly address: string;
  readonly rowCount: number;
  readonly columnCount: number;
}

/** Document-level settings stored in the workbook itself (the mapping travels with the file). */
export type WorkbookSettings = Readonly<Record<string, string>>;

export interface WorkbookPort {
  /** Every workbook-scoped name starting with `prefix` (case-insensitive), with its cells: ≤ 2 syncs. */
  readNames(prefix: string): Promise<NamedRangeRead[]>;
  /** Writes (or rewrites in place) an add-in-owned sheet: 1 sync. */
  writeSheet(sheet: SheetWrite): Promise<void>;
  /**
   * A table's values by table name (any case), read in blocks small enough for Excel on the web's 5 MB
   * request limit: one sync for its size, then one per block. Throws `table-not-found` when absent.
   */
  readTable(tableName: string, options?: ReadTableOptions): Promise<TableRead>;
  /** The user's current selection: 1 sync. Throws `invalid-selection` for several blocks or a whole sheet. */
  readSelection(): Promise<SelectionRead>;
  /**
   * Defines a workbook-scoped name for `address` (`Sheet1!B4:B7`), replacing a name of the same text in any
   * case: ≤ 2 syncs. Throws `invalid-name` for a name Excel would refuse.
   */
  nameRange(name: string, address: string): Promise<void>;
  /** Removes a workbook-scoped name (any case), leaving its cells as they are; no such name is not an error: ≤ 2 syncs. */
  removeName(name: string): Promise<void>;
  readSettings(): Promise<WorkbookSettings>;
  writeSettings(patch: WorkbookSettings): Promise<void>;
}
