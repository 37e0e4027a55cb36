/**
 * The WorkbookPort over the Excel JavaScript API. Reading any number of names costs at most two
 * `context.sync()` calls and writing a sheet exactly one (DESIGN.md §3). The Excel surface it needs is
 * described by the `*Like` interfaces below, which `Excel.run` satisfies in production and the fake Excel
 * (src/workbench/fake-excel.ts) satisfies in tests and the workbench.
 */
import { parseAddress, cellAddress, formatAddress } from "../workbook/address";
import { decodeOwnedSheets, decodeSettings, mergeSettings, OWNED_SHEETS_KEY, ownedSheetName, SETTINGS_KEY, withOwnedSheet } from "../workbook/document-settings";
import { invalidName, isWholeSheet, nameTakenByTable, selectionGone, severalBlocksSelected, wholeSheetSelected } from "../workbook/in-memory";
import { isWithinReadLimit, nameHasPrefix, pointsAtRefError, referencedArea, toCellValueType } from "../workbook/named-ranges";
import { GENERAL, MONEY_FORMAT, TEXT_FORMAT } from "../workbook/number-format";
import {
  tableNotFound,
  WorkbookError,
  type CellRead,
  type CellScalar,
  type NamedRangeRead,
  type ReadTableOptions,
  type SelectionRead,
  type SheetWrite,
  type TableRead,
  type WorkbookPort,
  type WorkbookSettings,
} from "../workbook/port";
import { readTableInBlocks } from "../workbook/ledger-read-blocks";
import { layoutSheet, sheetOwnedByUser, type SheetLayout } from "../workbook/sheet-layout";
import type { RangeArea } from "../workbook/address";
import type { DocumentSettingsLike } from "./office-settings";

// ---- the Excel JavaScript API surface this adapter uses ---------------------------------------------

export interface RangeFontLike {
  bold: boolean | null;
}

export interface RangeFormatLike {
  readonly font: RangeFontLike;
  autofitColumns(): void;
}

export interface RangeLike {
  load(propertyNames: string): unknown;
  readonly address: string;
  values: unknown[][];
  readonly valueTypes: readonly (readonly string[])[];
  readonly rowCount: number;
  readonly columnCount: number;
  formulas: unknown[][];
  numberFormat: unknown[][];
  readonly format: RangeFormatLike;
}

export interface NamedItemLike {
  readonly name: string;
  readonly type: string;
  readonly formula: unknown;
  /** Known after a sync, for items from `getItemOrNullObject`. */
  readonly isNullObject: boolean;
  getRange(): RangeLike;
  delete(): void;
}

export interface NamedItemCollectionLike {
  load(propertyNames: string): unknown;
  readonly items: NamedItemLike[];
  getItemOrNullObject(name: string): NamedItemLike;
  add(name: string, reference: string): unknown;
}

export interface WorksheetLike {
  delete(): void;
  activate(): void;
  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): RangeLike;
  readonly tables: { add(address: RangeLike | string, hasHeaders: boolean): unknown };
  readonly freezePanes: { freezeRows(count?: number): void };
}

export interface WorksheetCollectionLike {
  getItem(key: string): WorksheetLike;
  getItemOrNullObject(key: string): WorksheetLike & { readonly isNullObject: boolean };
  add(name?: string): WorksheetLike;
}

export interface TableLike {
  load(propertyNames: string): unknown;
  readonly name: string;
  getRange(): RangeLike;
  getHeaderRowRange(): RangeLike;
}

export interface TableCollectionLike {
  getItem(name: string): TableLike;
}

export interface ExcelContextLike {
  readonly workbook: {
    readonly names: NamedItemCollectionLike;
    readonly worksheets: WorksheetCollectionLike;
    readonly tables: TableCollectionLike;
    getSelectedRange(): RangeLike;
  };
  sync(): Promise<unknown>;
}

export interface ExcelRunOptionsLike {
  delayForCellEdit?: boolean;
}

/** `Excel.run` (its options overload). */
export type ExcelRunLike = <T>(options: ExcelRunOptionsLike, batch: (context: ExcelContextLike) => Promise<T>) => Promise<T>;

export interface OfficeJsWorkbookDeps {
  readonly run: ExcelRunLike;
  readonly settings: DocumentSettingsLike;
}

// ---- errors -------------------------------------------------------------------------------------------

function errorCode(e: unknown): string | undefined {
  if (e === null || typeof e !== "object") return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** Excel's error codes as messages a user can act on. Debug details stay in `cause`, never in the message. */
export function toWorkbookError(e: unknown): WorkbookError {
  if (e instanceof WorkbookError) return e;
  const code = errorCode(e);
  const cause = { cause: e };
  switch (code) {
    case "InvalidOperationInCellEditMode":
      return new WorkbookError("cell-edit-mode", "Excel is waiting for you to finish editing a cell. Finish editing the cell (press Enter) and try again.", cause);
    case "RequestPayloadSizeLimitExceeded":
    case "ResponsePayloadSizeLimitExceeded":
      return new WorkbookError(
        "payload-too-large",
        "That is more data than Excel on the web can move in one go (5 MB). Make the named ranges smaller, or use Excel on Windows or Mac, and try again.",
        cause,
      );
    case "ItemAlreadyExists":
      return new WorkbookError("excel-error", "Something with that name already exists in the workbook. Rename it and try again.", cause);
    case "ItemNotFound":
      return new WorkbookError(
        "excel-error",
        "Something MTD Bridge needs is no longer in the workbook: a sheet, table or name was deleted or renamed. Check the workbook, then try again.",
        cause,
      );
    case "InvalidArgument":
      return new WorkbookError("excel-error", "Excel did not accept what MTD Bridge asked it to do. Check the sheets and names it uses still exist, then try again.", cause);
    case "InvalidReference":
      return new WorkbookError("excel-error", "The cells MTD Bridge was working with are no longer there (a sheet, row or column was deleted). Check the workbook, then try again.", cause);
    case "InvalidSelection":
      return severalBlocksSelected(e);
    case "InvalidOperation":
      return new WorkbookError(
        "excel-error",
        "Excel could not do that to this workbook just now. Close any open Excel dialog, check the sheet is not protected, then try again.",
        cause,
      );
    // Excel (mostly on the web) could not reach its service or gave up: nothing is wrong with the workbook.
    case "ServiceNotAvailable":
    case "RequestAborted":
    case "TimeoutReached":
    case "ActivityLimitReached":
    case "Unauthenticated":
      return new WorkbookError("excel-error", "Excel was busy or lost its connection. Wait a moment and try again; in Excel on the web, check you are still signed in.", cause);
    case "AccessDenied":
      return new WorkbookError("excel-error", "Excel would not let MTD Bridge change this workbook. Check it is not protected or opened read-only, then try again.", cause);
    case "ApiNotFound":
      return new WorkbookError("excel-error", "This version of Excel is too old for MTD Bridge. Update Office, then try again.", cause);
    case "GeneralException":
      return new WorkbookError("excel-error", "Excel could not complete the operation. Save your work and try again; if it keeps happening, restart Excel.", cause);
    default:
      return new WorkbookError("excel-error", `Excel reported a problem (${code ?? "unknown error"}). Try again; if it keeps happening, restart Excel.`, cause);
  }
}

// ---- the adapter --------------------------------------------------------------------------------------

type NamePlan =
  | { readonly name: string; readonly refersTo: string; readonly kind: "ref-error" | "not-a-range" }
  | { readonly name: string; readonly refersTo: string; readonly kind: "range"; readonly range: RangeLike; readonly withCells: boolean };

function grid(n: number, m: number, v: string): string[][] {
  return Array.from({ length: n }, () => Array<string>(m).fill(v));
}

export class OfficeJsWorkbook implements WorkbookPort {
  constructor(private readonly deps: OfficeJsWorkbookDeps) {}

  private async excel<T>(batch: (context: ExcelContextLike) => Promise<T>): Promise<T> {
    return this.deps.run({ delayForCellEdit: true }, batch);
  }

  /** Sync 1: every name's name, type and formula. Sync 2 (only if some are ranges): all their cells at once. */
  async readNames(prefix: string): Promise<NamedRangeRead[]> {
    try {
      return await this.excel(async (context) => {
        const names = context.workbook.names;
        names.load("items/name,items/type,items/formula");
        await context.sync();
        const plans: NamePlan[] = names.items
          .filter((item) => nameHasPrefix(item.name, prefix))
          .map((item): NamePlan => {
            const refersTo = typeof item.formula === "string" ? item.formula : String(item.formula ?? "");
            if (pointsAtRefError(refersTo)) return { name: item.name, refersTo, kind: "ref-error" };
            if (item.type !== "Range") return { name: item.name, refersTo, kind: "not-a-range" };
            const area = referencedArea(refersTo);
            const withCells = area === undefined || isWithinReadLimit(area);
            const range = item.getRange();
            if (withCells) range.load("address,values,valueTypes,formulas,numberFormat");
            else range.load("address");
            return { name: item.name, refersTo, kind: "range", range, withCells };
          });
        if (plans.some((p) => p.kind === "range")) await context.sync();
        return plans.map(toNamedRangeRead);
      });
    } catch (e) {
      throw toWorkbookError(e);
    }
  }

  /**
   * Sync 1: the table's address, size and header. Then one sync per block of rows (see
   * excel-table-blocks.ts), sized to stay well under Excel on the web's 5 MB limit.
   */
  async readTable(tableName: string, options: ReadTableOptions = {}): Promise<TableRead> {
    try {
      return await this.excel(async (context) => {
        const table = context.workbook.tables.getItem(tableName);
        table.load("name");
        const whole = table.getRange();
        whole.load("address,rowCount,columnCount");
        const headerRange = table.getHeaderRowRange();
        headerRange.load("values");
        try {
          await context.sync();
        } catch (e) {
          throw errorCode(e) === "ItemNotFound" ? tableNotFound(tableName) : e;
        }
        const parsed = parseAddress(whole.address);
        if (!parsed.ok || parsed.value.sheet === undefined) throw new WorkbookError("excel-error", `Excel gave an address MTD Bridge cannot read for the table “${tableName}”.`);
        const { sheet, top, left } = parsed.value;
        const header = (headerRange.values[0] ?? []).map((v) => String(scalar(v) ?? ""));
        const worksheet = context.workbook.worksheets.getItem(sheet);
        const rows = await readTableInBlocks({
          totalRows: whole.rowCount - 1,
          columns: whole.columnCount,
          chunkRows: options.chunkRows,
          onProgress: options.onProgress,
          readBlock: async (start, count) => {
            const range = worksheet.getRangeByIndexes(top + 1 + start, left, count, whole.columnCount);
            range.load("values");
            await context.sync();
            return range.values.map((row) => row.map((v) => (v === "" ? null : scalar(v))));
          },
          isTooLarge: (e) => errorCode(e) === "RequestPayloadSizeLimitExceeded" || errorCode(e) === "ResponsePayloadSizeLimitExceeded",
        });
        return { name: table.name, sheet, headerRow: top, firstColumn: left, header, rows };
      });
    } catch (e) {
      throw toWorkbookError(e);
    }
  }

  /**
   * One sync: replace our own sheet (ownership is recorded in document settings) or add a new one, text
   * formats before values so identifiers stay text, one rectangular write, then header, table and formats.
   */
  async writeSheet(sheet: SheetWrite): Promise<void> {
    const layout = layoutSheet(sheet);
    const recorded = ownedSheetName(decodeOwnedSheets(this.deps.settings.get(OWNED_SHEETS_KEY)), layout.name);
    try {
      await this.writeLayout(layout, recorded);
    } catch (e) {
      if (recorded !== undefined && errorCode(e) === "ItemNotFound") {
        // The user deleted our sheet: write it afresh (the failed batch stopped at its first call, changing nothing).
        try {
          await this.writeLayout(layout, undefined);
        } catch (again) {
          throw this.writeError(again, layout.name);
        }
      } else {
        throw this.writeError(e, layout.name);
      }
    }
    // Re-read so that writes of other sheets that finished meanwhile keep their records.
    const latest = decodeOwnedSheets(this.deps.settings.get(OWNED_SHEETS_KEY));
    this.deps.settings.set(OWNED_SHEETS_KEY, withOwnedSheet(latest, layout.name, layout.tag));
    try {
      await this.deps.settings.save();
    } catch (e) {
      throw new WorkbookError("excel-error", `The sheet “${layout.name}” was written, but Excel could not save a note that MTD Bridge owns it. Save the workbook, then try again.`, { cause: e });
    }
  }

  private writeError(e: unknown, name: string): WorkbookError {
    return errorCode(e) === "ItemAlreadyExists" ? new WorkbookError("sheet-owned-by-user", sheetOwnedByUser(name).message, { cause: e }) : toWorkbookError(e);
  }

  private async writeLayout(layout: SheetLayout, recordedName: string | undefined): Promise<void> {
    await this.excel(async (context) => {
      const sheets = context.workbook.worksheets;
      if (recordedName !== undefined) sheets.getItem(recordedName).delete();
      const ws = sheets.add(layout.name);
      const at = (a: RangeArea): RangeLike => ws.getRangeByIndexes(a.top, a.left, a.bottom - a.top + 1, a.right - a.left + 1);
      for (const a of layout.textAreas) at(a).numberFormat = grid(a.bottom - a.top + 1, a.right - a.left + 1, TEXT_FORMAT);
      const all = ws.getRangeByIndexes(0, 0, layout.height, layout.width);
      all.values = layout.values.map((row) => [...row]);
      ws.getRangeByIndexes(layout.headerRow, 0, 1, layout.width).format.font.bold = true;
      ws.tables.add(ws.getRangeByIndexes(layout.headerRow, 0, layout.dataRows + 1, layout.width), true);
      for (const a of layout.moneyAreas) at(a).numberFormat = grid(a.bottom - a.top + 1, a.right - a.left + 1, MONEY_FORMAT);
      ws.freezePanes.freezeRows(layout.headerRow + 1);
      all.format.autofitColumns();
      ws.activate();
      await context.sync();
    });
  }

  /** One sync: the selected block's address and size. Excel itself refuses several blocks (Ctrl+click). */
  async readSelection(): Promise<SelectionRead> {
    try {
      return await this.excel(async (context) => {
        const range = context.workbook.getSelectedRange();
        range.load("address,rowCount,columnCount");
        await context.sync();
        const address = range.address.replace(/\$/g, "");
        const parsed = parseAddress(address);
        if (parsed.ok && isWholeSheet(parsed.value)) throw wholeSheetSelected();
        return { address, rowCount: range.rowCount, columnCount: range.columnCount };
      });
    } catch (e) {
      // Excel reports a selection it cannot give as one range as InvalidSelection, or on some hosts InvalidOperation.
      throw errorCode(e) === "InvalidOperation" ? severalBlocksSelected(e) : toWorkbookError(e);
    }
  }

  /**
   * Sync 1: the name as it is now (any case) and the sheet the address is on. Sync 2: delete the old name,
   * add the new one with absolute references (a relative one would move with the active cell). Nothing is
   * deleted unless the sheet exists, and Excel finds no name under a text it would refuse.
   */
  async nameRange(name: string, address: string): Promise<void> {
    const parsed = parseAddress(address);
    const sheetName = parsed.ok ? parsed.value.sheet : undefined;
    if (!parsed.ok || sheetName === undefined) throw selectionGone(address);
    const target = parsed.value;
    try {
      await this.excel(async (context) => {
        const existing = context.workbook.names.getItemOrNullObject(name);
        const sheet = context.workbook.worksheets.getItemOrNullObject(sheetName);
        await context.sync();
        if (sheet.isNullObject) throw selectionGone(address);
        if (!existing.isNullObject) existing.delete();
        context.workbook.names.add(name, `=${formatAddress(target, { absolute: true })}`);
        await context.sync();
      });
    } catch (e) {
      const code = errorCode(e);
      if (code === "InvalidArgument") throw invalidName(name, e);
      if (code === "ItemAlreadyExists") throw nameTakenByTable(name, e);
      throw toWorkbookError(e);
    }
  }

  /** Sync 1 finds the name; sync 2 (only when it exists) deletes it. */
  async removeName(name: string): Promise<void> {
    try {
      await this.excel(async (context) => {
        const existing = context.workbook.names.getItemOrNullObject(name);
        await context.sync();
        if (existing.isNullObject) return;
        existing.delete();
        await context.sync();
      });
    } catch (e) {
      throw toWorkbookError(e);
    }
  }

  async readSettings(): Promise<WorkbookSettings> {
    return decodeSettings(this.deps.settings.get(SETTINGS_KEY));
  }

  async writeSettings(patch: WorkbookSettings): Promise<void> {
    const before = decodeSettings(this.deps.settings.get(SETTINGS_KEY));
    this.deps.settings.set(SETTINGS_KEY, mergeSettings(before, patch));
    try {
      await this.deps.settings.save();
    } catch (e) {
      // Office keeps unsaved changes in its copy: take ours back so readSettings does not report them as saved.
      this.deps.settings.set(SETTINGS_KEY, withoutUnsavedPatch(decodeSettings(this.deps.settings.get(SETTINGS_KEY)), before, patch));
      throw new WorkbookError(
        "excel-error",
        "Excel could not save MTD Bridge's settings in this workbook. Check the workbook is not read-only or protected (in Excel on the web, that you can edit it), then try again.",
        { cause: e },
      );
    }
  }
}

/** `latest` with the patch's keys restored to their values `before` it, unless a later write changed them since. */
function withoutUnsavedPatch(latest: WorkbookSettings, before: WorkbookSettings, patch: WorkbookSettings): Record<string, string> {
  const next: Record<string, string> = { ...latest };
  for (const [key, value] of Object.entries(patch)) {
    if (next[key] !== value) continue;
    const old = before[key];
    if (old === undefined) delete next[key];
    else next[key] = old;
  }
  return next;
}

function toNamedRangeRead(plan: NamePlan): NamedRangeRead {
  if (plan.kind !== "range") return { name: plan.name, refersTo: plan.refersTo, kind: plan.kind, cells: [] };
  const address = plan.range.address;
  return { name: plan.name, refersTo: plan.refersTo, kind: "range", address, cells: plan.withCells ? cellsOf(plan.range, address) : [] };
}

function scalar(v: unknown): CellScalar {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : null;
}

/** Excel's parallel arrays (values, valueTypes, formulas, numberFormat) as the port's cells. */
function cellsOf(range: RangeLike, address: string): CellRead[][] {
  const parsed = parseAddress(address);
  const values = range.values;
  if (!parsed.ok || !Array.isArray(values)) return []; // beyond Excel's 5M-cell read limit `values` is null
  const { sheet, top, left } = parsed.value;
  return values.map((row, r) =>
    row.map((raw, c): CellRead => {
      const type = toCellValueType(range.valueTypes[r]?.[c] ?? "Empty");
      const formula = range.formulas[r]?.[c];
      const format = range.numberFormat[r]?.[c];
      const value = type === "Empty" ? null : type === "String" || type === "Error" ? String(raw) : scalar(raw);
      return {
        address: cellAddress(sheet, top + r, left + c),
        value,
        type,
        ...(typeof formula === "string" && formula.startsWith("=") ? { formula } : {}),
        numberFormat: typeof format === "string" ? format : GENERAL,
      };
    }),
  );
}
