/**
 * A workbook held in memory: sheets of cells, workbook-scoped names, tables and document settings. It is the
 * WorkbookPort of tests, the CLI (via xlsx.ts) and the workbench, and the document behind the fake Excel
 * API (src/workbench/fake-excel.ts). It stores what Excel stores (values, cached formula results, number
 * formats); it does not calculate. Browser-safe.
 */
import {
  areaCellCount,
  areaColumns,
  areaRows,
  cellAddress,
  cellName,
  columnIndex,
  columnName,
  formatAddress,
  MAX_COLUMNS,
  MAX_ROWS,
  parseAddress,
  parseCellName,
  sameSheetName,
  sheetNameProblem,
  type RangeArea,
} from "./address";
import {
  decodeOwnedSheets,
  decodeSettings,
  mergeSettings,
  OWNED_SHEETS_KEY,
  ownedSheetName,
  SETTINGS_KEY,
  withOwnedSheet,
  type SettingValue,
} from "./document-settings";
import { definedNameProblem, isWithinReadLimit, nameHasPrefix, pointsAtRefError, referencedArea } from "./named-ranges";
import { cellValueType, InMemorySheet, WorkbookModelError, type CellData, type WorkbookChange, type WorkbookChangeKind } from "./in-memory-sheet";
import { formatCellText, GENERAL, TEXT_FORMAT } from "./number-format";
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
} from "./port";
import { layoutSheet, sheetOwnedByUser } from "./sheet-layout";
import { cellFromSnapshot, type NameSnapshot, type WorkbookSnapshot } from "./workbook-snapshot";

export { cellValueType, enterValue, InMemorySheet, WorkbookModelError, type CellData, type WorkbookChange, type WorkbookChangeKind } from "./in-memory-sheet";
export type { CellSnapshot, NameSnapshot, SheetSnapshot, TableSnapshot, WorkbookSnapshot } from "./workbook-snapshot";

export interface TableData {
  readonly name: string;
  readonly sheetId: string;
  readonly area: RangeArea;
}

const MAX_SHEETS = 255;

// ---- errors both WorkbookPort adapters give for naming a selection ------------------------------------
// (Here because the Office.js adapter may import the workbook layer; they would sit better beside
// `tableNotFound` in port.ts.)

const NAME_RULES = "A name starts with a letter or an underscore, has no spaces, is at most 255 characters long, and is not a cell reference such as AB12.";

/** `invalid-name`: the reason when we know it, then what a valid name looks like. */
export function invalidName(name: string, cause?: unknown): WorkbookError {
  const reason = definedNameProblem(name) ?? `Excel does not accept “${name.slice(0, 255)}” as a name.`;
  return new WorkbookError("invalid-name", `${reason} ${NAME_RULES}`, cause === undefined ? undefined : { cause });
}

/** `invalid-name`: tables and defined names share one namespace in Excel. */
export function nameTakenByTable(name: string, cause?: unknown): WorkbookError {
  return new WorkbookError(
    "invalid-name",
    `A table in this workbook is already called “${name.slice(0, 255)}”. Rename the table (Table Design ▸ Table Name), then try again.`,
    cause === undefined ? undefined : { cause },
  );
}

/** `invalid-selection`: several blocks (Ctrl+click), or something that is not cells (a chart, a picture). */
export function severalBlocksSelected(cause?: unknown): WorkbookError {
  return new WorkbookError(
    "invalid-selection",
    "Select one block of cells (a single cell, or cells next to each other), not several separate blocks or a chart or picture, then try again.",
    cause === undefined ? undefined : { cause },
  );
}

export function wholeSheetSelected(): WorkbookError {
  return new WorkbookError("invalid-selection", "The whole sheet is selected. Select just the cell or cells to use, then try again.");
}

/** `invalid-selection`: the address to name is not on a sheet of this workbook (the sheet was deleted or renamed). */
export function selectionGone(address: string): WorkbookError {
  return new WorkbookError("invalid-selection", `MTD Bridge cannot find the cells “${address.slice(0, 300)}” in this workbook. Select the cells again, then try again.`);
}

/** Every cell of a sheet: the port refuses it as a selection (nothing sensible to name); a whole row or column is the caller's to judge. */
export function isWholeSheet(area: RangeArea): boolean {
  return areaRows(area) === MAX_ROWS && areaColumns(area) === MAX_COLUMNS;
}
const MAX_SNAPSHOT_CELLS = 2_000_000;
const MAX_NAMES = 50_000;

export class InMemoryWorkbook implements WorkbookPort {
  private readonly sheetList: InMemorySheet[] = [];
  private readonly nameMap = new Map<string, { name: string; refersTo: string }>();
  private readonly tableList: TableData[] = [];
  private readonly documentSettings = new Map<string, SettingValue>();
  private activeId: string | undefined;
  /** Each sheet remembers its own selection, as in Excel (sheet id → blocks); a sheet never selected has A1. */
  private readonly selections = new Map<string, readonly RangeArea[]>();
  private nextSheetNumber = 1;
  private readonly listeners = new Set<(change: WorkbookChange) => void>();
  private batchDepth = 0;
  private pending = new Set<WorkbookChangeKind>();

  // ---- snapshots ---------------------------------------------------------------------------------

  static fromSnapshot(snapshot: WorkbookSnapshot): InMemoryWorkbook {
    const wb = new InMemoryWorkbook();
    wb.load(snapshot);
    return wb;
  }

  private load(s: WorkbookSnapshot): void {
    if (s === null || typeof s !== "object" || s.version !== 1) throw new TypeError("Not a workbook snapshot (version 1).");
    if (!Array.isArray(s.sheets) || !Array.isArray(s.names)) throw new TypeError("A workbook snapshot needs sheets and names arrays.");
    if (s.sheets.length > MAX_SHEETS) throw new RangeError(`A workbook snapshot can hold at most ${MAX_SHEETS} sheets.`);
    if (s.names.length > MAX_NAMES) throw new RangeError(`A workbook snapshot can hold at most ${MAX_NAMES} names.`);
    let cellCount = 0;
    for (const sheet of s.sheets) {
      if (typeof sheet?.name !== "string" || !Array.isArray(sheet.cells)) throw new TypeError("Each snapshot sheet needs a name and cells.");
      const ws = this.addSheet(sheet.name, typeof sheet.id === "string" ? sheet.id : undefined);
      cellCount += sheet.cells.length;
      if (cellCount > MAX_SNAPSHOT_CELLS) throw new RangeError(`A workbook snapshot can hold at most ${MAX_SNAPSHOT_CELLS} cells.`);
      for (const c of sheet.cells) {
        const pos = typeof c?.ref === "string" ? parseCellName(c.ref) : undefined;
        if (!pos) throw new TypeError(`Snapshot cell “${String(c?.ref)}” on ${sheet.name} is not a cell reference.`);
        ws.setCell(pos.row, pos.column, cellFromSnapshot(c, `${sheet.name}!${c.ref}`));
      }
      if (sheet.frozenRows !== undefined) ws.frozenRows = sheet.frozenRows;
      for (const [letters, width] of Object.entries(sheet.columnWidths ?? {})) {
        const column = columnIndex(letters);
        if (column === undefined || typeof width !== "number") throw new TypeError(`Snapshot sheet ${sheet.name} has a bad column width for “${letters}”.`);
        ws.setColumnWidth(column, width);
      }
    }
    for (const n of s.names) {
      if (typeof n?.name !== "string" || typeof n.refersTo !== "string") throw new TypeError("Each snapshot name needs name and refersTo.");
      this.defineName(n.name, n.refersTo);
    }
    for (const t of s.tables ?? []) {
      const parsed = parseAddress(t.ref);
      if (!parsed.ok) throw new TypeError(`Snapshot table ${t.name}: ${parsed.error}`);
      this.addTable(t.sheet, parsed.value, t.name);
    }
    if (s.settings === null || typeof s.settings !== "object") throw new TypeError("Snapshot settings must be an object.");
    for (const [k, v] of Object.entries(s.settings)) this.documentSettings.set(k, JSON.parse(JSON.stringify(v)) as SettingValue);
    if (s.activeSheet !== undefined) this.activeId = this.getSheet(s.activeSheet)?.id;
  }

  toSnapshot(): WorkbookSnapshot {
    const active = this.activeSheet();
    return {
      version: 1,
      sheets: this.sheetList.map((ws) => ({
        name: ws.name,
        id: ws.id,
        ...(ws.frozenRows > 0 ? { frozenRows: ws.frozenRows } : {}),
        ...(Object.keys(ws.columnWidths()).length > 0
          ? { columnWidths: Object.fromEntries(Object.entries(ws.columnWidths()).map(([c, w]) => [columnName(Number(c)), w])) }
          : {}),
        cells: ws.cells().map(({ row, column, cell }) => ({
          ref: cellName(row, column),
          value: cell.value,
          ...(cell.isError ? { error: true as const } : {}),
          ...(cell.formula !== undefined ? { formula: cell.formula } : {}),
          ...(cell.numberFormat !== undefined ? { numberFormat: cell.numberFormat } : {}),
          ...(cell.bold ? { bold: true as const } : {}),
        })),
      })),
      names: [...this.nameMap.values()].map((n) => ({ ...n })),
      tables: this.tableList.map((t) => ({ name: t.name, sheet: this.sheetById(t.sheetId)!.name, ref: formatAddress(t.area) })),
      settings: Object.fromEntries([...this.documentSettings].map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as SettingValue])),
      ...(active ? { activeSheet: active.name } : {}),
    };
  }

  // ---- change notification -----------------------------------------------------------------------

  /** Calls `listener` after every change (once per batch); returns a function that unsubscribes. */
  onChange(listener: (change: WorkbookChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `fn` with notifications held back, then reports its changes once. */
  batch<T>(fn: () => T): T {
    this.batchDepth += 1;
    try {
      return fn();
    } finally {
      this.batchDepth -= 1;
      if (this.batchDepth === 0) this.flush();
    }
  }

  /** @internal */
  notify(kind: WorkbookChangeKind): void {
    this.pending.add(kind);
    if (this.batchDepth === 0) this.flush();
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const change: WorkbookChange = { kinds: [...this.pending].sort() };
    this.pending = new Set();
    for (const l of [...this.listeners]) l(change);
  }

  // ---- sheets --------------------------------------------------------------------------------------

  sheets(): readonly InMemorySheet[] {
    return [...this.sheetList];
  }

  /** By name (any case) or by id. */
  getSheet(nameOrId: string): InMemorySheet | undefined {
    return this.sheetList.find((s) => s.id === nameOrId) ?? this.sheetList.find((s) => sameSheetName(s.name, nameOrId));
  }

  sheetById(id: string): InMemorySheet | undefined {
    return this.sheetList.find((s) => s.id === id);
  }

  /** Adds a sheet at the end (Excel's `worksheets.add`); with no name, the next free `SheetN`. */
  addSheet(name?: string, id?: string): InMemorySheet {
    if (this.sheetList.length >= MAX_SHEETS) throw new WorkbookModelError("InvalidOperation", `A workbook can hold at most ${MAX_SHEETS} sheets here.`);
    let sheetName = name;
    if (sheetName === undefined) {
      let n = this.sheetList.length + 1;
      while (this.getSheet(`Sheet${n}`)) n += 1;
      sheetName = `Sheet${n}`;
    }
    const problem = sheetNameProblem(sheetName);
    if (problem) throw new WorkbookModelError("InvalidArgument", problem);
    if (this.getSheet(sheetName)) throw new WorkbookModelError("ItemAlreadyExists", `A sheet named “${sheetName}” already exists.`);
    const sheetId = id ?? this.newSheetId();
    if (this.sheetById(sheetId)) throw new WorkbookModelError("ItemAlreadyExists", `Sheet id ${sheetId} is already in use.`);
    const ws = new InMemorySheet(this, sheetId, sheetName);
    this.sheetList.push(ws);
    this.activeId ??= ws.id;
    this.notify("sheets");
    return ws;
  }

  private newSheetId(): string {
    for (;;) {
      const n = this.nextSheetNumber++;
      const id = `{00000000-${n.toString(16).padStart(4, "0").toUpperCase()}-0000-0000-000000000000}`;
      if (!this.sheetById(id)) return id;
    }
  }

  /**
   * Deletes a sheet as Excel does: its tables go with it and names that pointed into it now point at
   * `#REF!` (`=#REF!$B$4:$E$4`). Excel never deletes the last sheet.
   */
  deleteSheet(nameOrId: string): void {
    const ws = this.getSheet(nameOrId);
    if (!ws) throw new WorkbookModelError("ItemNotFound", `There is no sheet named “${nameOrId}”.`);
    if (this.sheetList.length === 1) throw new WorkbookModelError("InvalidOperation", "A workbook must contain at least one visible worksheet.");
    this.batch(() => {
      this.sheetList.splice(this.sheetList.indexOf(ws), 1);
      this.selections.delete(ws.id);
      for (let i = this.tableList.length - 1; i >= 0; i -= 1) if (this.tableList[i]!.sheetId === ws.id) this.tableList.splice(i, 1);
      for (const n of this.nameMap.values()) {
        const area = referencedArea(n.refersTo);
        if (area && sameSheetName(area.sheet!, ws.name)) n.refersTo = `=#REF!${formatAddress({ ...area, sheet: undefined }, { absolute: true })}`;
      }
      if (this.activeId === ws.id) this.activeId = this.sheetList[0]?.id;
      this.notify("sheets");
      this.notify("names");
    });
  }

  renameSheet(nameOrId: string, newName: string): void {
    const ws = this.getSheet(nameOrId);
    if (!ws) throw new WorkbookModelError("ItemNotFound", `There is no sheet named “${nameOrId}”.`);
    const problem = sheetNameProblem(newName);
    if (problem) throw new WorkbookModelError("InvalidArgument", problem);
    const clash = this.getSheet(newName);
    if (clash && clash !== ws) throw new WorkbookModelError("ItemAlreadyExists", `A sheet named “${newName}” already exists.`);
    const old = ws.name;
    this.batch(() => {
      ws.setNameUnchecked(newName);
      // Excel rewrites references to a renamed sheet, names included.
      for (const n of this.nameMap.values()) {
        const area = referencedArea(n.refersTo);
        if (area && sameSheetName(area.sheet!, old)) n.refersTo = `=${formatAddress({ ...area, sheet: newName }, { absolute: true })}`;
      }
      this.notify("sheets");
      this.notify("names");
    });
  }

  /** Moves a sheet to a zero-based position (Excel's `Worksheet.position`). */
  moveSheet(nameOrId: string, position: number): void {
    const ws = this.getSheet(nameOrId);
    if (!ws) throw new WorkbookModelError("ItemNotFound", `There is no sheet named “${nameOrId}”.`);
    if (!Number.isInteger(position) || position < 0 || position >= this.sheetList.length) {
      throw new WorkbookModelError("InvalidArgument", `Position ${position} is outside 0…${this.sheetList.length - 1}.`);
    }
    this.sheetList.splice(this.sheetList.indexOf(ws), 1);
    this.sheetList.splice(position, 0, ws);
    this.notify("sheets");
  }

  sheetPosition(ws: InMemorySheet): number {
    return this.sheetList.indexOf(ws);
  }

  activeSheet(): InMemorySheet | undefined {
    return this.activeId === undefined ? undefined : this.sheetById(this.activeId);
  }

  activateSheet(nameOrId: string): void {
    const ws = this.getSheet(nameOrId);
    if (!ws) throw new WorkbookModelError("ItemNotFound", `There is no sheet named “${nameOrId}”.`);
    this.activeId = ws.id;
    this.notify("sheets");
  }

  /** Cell at a sheet-qualified address such as `'Property income'!B5`. */
  cellAt(address: string): CellData | undefined {
    const parsed = parseAddress(address);
    if (!parsed.ok || parsed.value.sheet === undefined) throw new WorkbookModelError("InvalidArgument", `“${address}” is not a sheet-qualified cell address.`);
    return this.getSheet(parsed.value.sheet)?.getCell(parsed.value.top, parsed.value.left);
  }

  /** Types a value into a sheet-qualified cell (the workbench's cell editor). */
  enterAt(address: string, input: unknown): void {
    const parsed = parseAddress(address);
    if (!parsed.ok || parsed.value.sheet === undefined) throw new WorkbookModelError("InvalidArgument", `“${address}” is not a sheet-qualified cell address.`);
    const ws = this.getSheet(parsed.value.sheet);
    if (!ws) throw new WorkbookModelError("ItemNotFound", `There is no sheet named “${parsed.value.sheet}”.`);
    ws.enter(parsed.value.top, parsed.value.left, input);
  }

  // ---- selection -------------------------------------------------------------------------------------

  /**
   * Selects cells as the user does (the workbench grid, tests): `Sheet1!B4:B7`, or several blocks on one sheet
   * separated by commas (`Sheet1!A1,C3:D4`, as Ctrl+click makes). Selecting on a sheet activates it.
   */
  select(address: string): void {
    const parts = address.split(",").map((p) => p.trim());
    const first = parseAddress(parts[0] ?? "");
    if (!first.ok || first.value.sheet === undefined) throw new WorkbookModelError("InvalidArgument", `“${address}” is not a sheet-qualified cell address.`);
    const ws = this.getSheet(first.value.sheet);
    if (!ws) throw new WorkbookModelError("ItemNotFound", `There is no sheet named “${first.value.sheet}”.`);
    const areas = parts.map((part): RangeArea => {
      const parsed = parseAddress(part);
      if (!parsed.ok || (parsed.value.sheet !== undefined && !sameSheetName(parsed.value.sheet, ws.name))) {
        throw new WorkbookModelError("InvalidArgument", `“${part}” is not a block of cells on ${ws.name}.`);
      }
      const { top, left, bottom, right } = parsed.value;
      return { top, left, bottom, right };
    });
    // Selection is not document content: no change notification unless the active sheet changes.
    this.selections.set(ws.id, areas);
    if (this.activeId !== ws.id) this.activateSheet(ws.id);
  }

  /** A sheet's selected blocks (by default the active sheet's; A1 when never selected); undefined with no sheets. */
  selectedAreas(sheet?: InMemorySheet): { readonly sheet: InMemorySheet; readonly areas: readonly RangeArea[] } | undefined {
    const ws = sheet ?? this.activeSheet() ?? this.sheetList[0];
    if (!ws) return undefined;
    return { sheet: ws, areas: this.selections.get(ws.id) ?? [{ top: 0, left: 0, bottom: 0, right: 0 }] };
  }

  // ---- names -----------------------------------------------------------------------------------------

  /** Workbook-scoped names in definition order. */
  names(): readonly NameSnapshot[] {
    return [...this.nameMap.values()].map((n) => ({ ...n }));
  }

  getName(name: string): NameSnapshot | undefined {
    const n = this.nameMap.get(name.toLowerCase());
    return n && { ...n };
  }

  /** Defines (or, for an existing name in any case, redefines) a workbook-scoped name. */
  defineName(name: string, refersTo: string): void {
    const problem = definedNameProblem(name);
    if (problem) throw new WorkbookModelError("InvalidArgument", problem);
    if (refersTo.length === 0 || refersTo.length > 8192) throw new WorkbookModelError("InvalidArgument", "A name must refer to something (at most 8,192 characters).");
    const existing = this.nameMap.get(name.toLowerCase());
    if (!existing && this.nameMap.size >= MAX_NAMES) throw new WorkbookModelError("InvalidOperation", `A workbook can hold at most ${MAX_NAMES} names here.`);
    const text = refersTo.startsWith("=") ? refersTo : `=${refersTo}`;
    if (existing) existing.refersTo = text;
    else this.nameMap.set(name.toLowerCase(), { name, refersTo: text });
    this.notify("names");
  }

  deleteName(name: string): void {
    if (!this.nameMap.delete(name.toLowerCase())) throw new WorkbookModelError("ItemNotFound", `There is no name “${name}”.`);
    this.notify("names");
  }

  // ---- tables ----------------------------------------------------------------------------------------

  tables(): readonly TableData[] {
    return [...this.tableList];
  }

  /**
   * Adds a table over an area whose first row is its header, as `tables.add(range, true)` does: blank
   * headings become `Column1`…, repeated ones get a number, and the header row becomes text.
   */
  addTable(sheetNameOrId: string, area: RangeArea, name?: string): TableData {
    const ws = this.getSheet(sheetNameOrId);
    if (!ws) throw new WorkbookModelError("ItemNotFound", `There is no sheet named “${sheetNameOrId}”.`);
    if (areaCellCount(area) > 5_000_000) throw new WorkbookModelError("InvalidArgument", "That range is too large for a table.");
    for (const t of this.tableList) {
      if (t.sheetId === ws.id && t.area.left <= area.right && area.left <= t.area.right && t.area.top <= area.bottom && area.top <= t.area.bottom) {
        throw new WorkbookModelError("InvalidArgument", "A table can't overlap another table.");
      }
    }
    let tableName = name;
    if (tableName === undefined) {
      let n = 1;
      while (this.isNameTaken(`Table${n}`)) n += 1;
      tableName = `Table${n}`;
    } else {
      this.checkTableName(tableName);
    }
    const seen = new Set<string>();
    this.batch(() => {
      for (let c = area.left; c <= area.right; c += 1) {
        const cell = ws.getCell(area.top, c);
        let heading = cell?.value === null || cell?.value === undefined ? "" : String(cell.value);
        if (heading.trim() === "") heading = `Column${c - area.left + 1}`;
        let unique = heading;
        for (let i = 2; seen.has(unique.toLowerCase()); i += 1) unique = `${heading}${i}`;
        seen.add(unique.toLowerCase());
        ws.setCell(area.top, c, { ...(cell ?? { value: null }), value: unique, isError: false, formula: undefined });
      }
      this.tableList.push({ name: tableName, sheetId: ws.id, area: { top: area.top, left: area.left, bottom: area.bottom, right: area.right } });
      this.notify("tables");
    });
    return this.tableList[this.tableList.length - 1]!;
  }

  renameTable(oldName: string, newName: string): void {
    const i = this.tableList.findIndex((t) => t.name.toLowerCase() === oldName.toLowerCase());
    if (i < 0) throw new WorkbookModelError("ItemNotFound", `There is no table “${oldName}”.`);
    if (oldName.toLowerCase() !== newName.toLowerCase()) this.checkTableName(newName);
    this.tableList[i] = { ...this.tableList[i]!, name: newName };
    this.notify("tables");
  }

  private checkTableName(name: string): void {
    const problem = definedNameProblem(name);
    if (problem) throw new WorkbookModelError("InvalidArgument", problem);
    if (this.isNameTaken(name)) throw new WorkbookModelError("ItemAlreadyExists", `The name “${name}” is already used by a table or a defined name.`);
  }

  /** Table names share one namespace with defined names. */
  private isNameTaken(name: string): boolean {
    return this.nameMap.has(name.toLowerCase()) || this.tableList.some((t) => t.name.toLowerCase() === name.toLowerCase());
  }

  // ---- document settings -------------------------------------------------------------------------

  /** A raw document setting, as `Office.context.document.settings.get` returns it (null when absent). */
  getDocumentSetting(name: string): SettingValue | null {
    const v = this.documentSettings.get(name);
    return v === undefined ? null : (JSON.parse(JSON.stringify(v)) as SettingValue);
  }

  setDocumentSetting(name: string, value: SettingValue): void {
    this.documentSettings.set(name, JSON.parse(JSON.stringify(value)) as SettingValue);
    this.notify("settings");
  }

  removeDocumentSetting(name: string): void {
    if (this.documentSettings.delete(name)) this.notify("settings");
  }

  documentSettingNames(): string[] {
    return [...this.documentSettings.keys()];
  }

  /** Sheets the add-in wrote (sheet name → tag). */
  ownedSheets(): Readonly<Record<string, string>> {
    return decodeOwnedSheets(this.documentSettings.get(OWNED_SHEETS_KEY));
  }

  // ---- WorkbookPort ------------------------------------------------------------------------------

  async readNames(prefix: string): Promise<NamedRangeRead[]> {
    const out: NamedRangeRead[] = [];
    for (const { name, refersTo } of this.nameMap.values()) {
      if (!nameHasPrefix(name, prefix)) continue;
      if (pointsAtRefError(refersTo)) {
        out.push({ name, refersTo, kind: "ref-error", cells: [] });
        continue;
      }
      const area = referencedArea(refersTo);
      if (!area) {
        out.push({ name, refersTo, kind: "not-a-range", cells: [] });
        continue;
      }
      const ws = this.getSheet(area.sheet!);
      if (!ws) {
        out.push({ name, refersTo, kind: "ref-error", cells: [] });
        continue;
      }
      const address = formatAddress({ ...area, sheet: ws.name });
      out.push({ name, refersTo, kind: "range", address, cells: isWithinReadLimit(area) ? readCells(ws, area) : [] });
    }
    return out;
  }

  async writeSheet(sheet: SheetWrite): Promise<void> {
    const layout = layoutSheet(sheet);
    const owned = this.ownedSheets();
    const recorded = ownedSheetName(owned, layout.name);
    const existing = this.getSheet(layout.name);
    if (existing && recorded === undefined) throw sheetOwnedByUser(existing.name);
    this.batch(() => {
      // The same steps, in the same order, as the Office.js adapter's single batch.
      if (existing) this.deleteSheet(existing.id);
      const ws = this.addSheet(layout.name);
      for (const area of layout.textAreas) formatArea(ws, area, TEXT_FORMAT);
      layout.values.forEach((row, r) => row.forEach((v, c) => ws.enter(r, c, v)));
      for (let c = 0; c < layout.width; c += 1) ws.setCell(layout.headerRow, c, { ...ws.getCell(layout.headerRow, c)!, bold: true });
      this.addTable(ws.id, { top: layout.headerRow, left: 0, bottom: layout.height - 1, right: layout.width - 1 });
      for (const area of layout.moneyAreas) formatArea(ws, area, "#,##0.00");
      ws.frozenRows = layout.headerRow + 1;
      autofit(ws, layout.width);
      this.activeId = ws.id;
      this.setDocumentSetting(OWNED_SHEETS_KEY, withOwnedSheet(recorded === undefined ? owned : withoutRecorded(owned, recorded), layout.name, layout.tag));
    });
  }

  /** The whole table at once (there is no request limit in memory); progress is reported once, at the end. */
  async readTable(tableName: string, options: ReadTableOptions = {}): Promise<TableRead> {
    const table = this.tableList.find((t) => t.name.toLowerCase() === tableName.toLowerCase());
    const ws = table && this.sheetById(table.sheetId);
    if (!table || !ws) throw tableNotFound(tableName);
    const { top, left, bottom, right } = table.area;
    const valueAt = (r: number, c: number): CellScalar => ws.getCell(r, c)?.value ?? null;
    const header: string[] = [];
    for (let c = left; c <= right; c += 1) header.push(String(valueAt(top, c) ?? ""));
    const rows: CellScalar[][] = [];
    for (let r = top + 1; r <= bottom; r += 1) {
      const row: CellScalar[] = [];
      for (let c = left; c <= right; c += 1) row.push(valueAt(r, c));
      rows.push(row);
    }
    options.onProgress?.(rows.length, rows.length);
    return { name: table.name, sheet: ws.name, headerRow: top, firstColumn: left, header, rows };
  }

  async readSelection(): Promise<SelectionRead> {
    const selected = this.selectedAreas();
    const [area, ...more] = selected?.areas ?? [];
    if (!selected || !area || more.length > 0) throw severalBlocksSelected();
    if (isWholeSheet(area)) throw wholeSheetSelected();
    return { address: formatAddress({ ...area, sheet: selected.sheet.name }), rowCount: areaRows(area), columnCount: areaColumns(area) };
  }

  async removeName(name: string): Promise<void> {
    if (this.nameMap.has(name.toLowerCase())) this.deleteName(name);
  }

  /** Replaces a name of the same text in any case, so the new name's case is the one stored (as delete + add in Excel). */
  async nameRange(name: string, address: string): Promise<void> {
    if (definedNameProblem(name)) throw invalidName(name);
    const parsed = parseAddress(address);
    const ws = parsed.ok && parsed.value.sheet !== undefined ? this.getSheet(parsed.value.sheet) : undefined;
    if (!parsed.ok || !ws) throw selectionGone(address);
    if (this.tableList.some((t) => t.name.toLowerCase() === name.toLowerCase())) throw nameTakenByTable(name);
    try {
      this.batch(() => {
        if (this.nameMap.has(name.toLowerCase())) this.deleteName(name);
        this.defineName(name, `=${formatAddress({ ...parsed.value, sheet: ws.name }, { absolute: true })}`);
      });
    } catch (e) {
      throw e instanceof WorkbookModelError ? invalidName(name, e) : e;
    }
  }

  async readSettings(): Promise<WorkbookSettings> {
    return decodeSettings(this.documentSettings.get(SETTINGS_KEY));
  }

  async writeSettings(patch: WorkbookSettings): Promise<void> {
    const next = mergeSettings(decodeSettings(this.documentSettings.get(SETTINGS_KEY)), patch);
    this.setDocumentSetting(SETTINGS_KEY, next);
  }
}

function withoutRecorded(owned: Readonly<Record<string, string>>, recorded: string): Record<string, string> {
  const next = { ...owned };
  delete next[recorded];
  return next;
}

/** The same sizing as the fake Excel's `autofitColumns`: longest displayed text plus a margin. */
function autofit(ws: InMemorySheet, width: number): void {
  const longest = new Map<number, number>();
  for (const { column, cell } of ws.cells()) longest.set(column, Math.max(longest.get(column) ?? 0, formatCellText(cell.value, cell.numberFormat).length));
  for (let c = 0; c < width; c += 1) {
    const chars = longest.get(c);
    if (chars !== undefined) ws.setColumnWidth(c, Math.min(255, chars + 2));
  }
}

function formatArea(ws: InMemorySheet, area: RangeArea, numberFormat: string): void {
  for (let r = area.top; r <= area.bottom; r += 1) {
    for (let c = area.left; c <= area.right; c += 1) ws.setCell(r, c, { ...(ws.getCell(r, c) ?? { value: null }), numberFormat });
  }
}

function readCells(ws: InMemorySheet, area: RangeArea): CellRead[][] {
  const rows: CellRead[][] = [];
  for (let r = area.top; r <= area.bottom; r += 1) {
    const row: CellRead[] = [];
    for (let c = area.left; c <= area.right; c += 1) {
      const cell = ws.getCell(r, c);
      row.push({
        address: cellAddress(ws.name, r, c),
        value: cell?.value ?? null,
        type: cellValueType(cell),
        ...(cell?.formula !== undefined ? { formula: cell.formula } : {}),
        numberFormat: cell?.numberFormat ?? GENERAL,
      });
    }
    rows.push(row);
  }
  return rows;
}

