/** The Excel objects the fake offers over an InMemoryWorkbook: workbook (and its selection), names, worksheets, freeze panes and tables. */
import { formatAddress, MAX_COLUMNS, MAX_ROWS, parseAddress, sameSheetName, type RangeArea } from "../workbook/address";
import type { InMemorySheet, InMemoryWorkbook } from "../workbook/in-memory";
import { pointsAtRefError, referencedArea } from "../workbook/named-ranges";
import { EXCEL_ERRORS } from "../workbook/number-format";
import type { CellScalar } from "../workbook/port";
import type { FakeRequestContext } from "./fake-excel";
import { officeError } from "./fake-excel-errors";
import { create, FakeCollection, FakeProxy } from "./fake-excel-proxy";
import { checkedArea, FakeRange } from "./fake-excel-range";

export { FakeRange, FakeRangeFont, FakeRangeFormat } from "./fake-excel-range";

// ---- workbook -----------------------------------------------------------------------------------------

export class FakeWorkbook {
  readonly names: FakeNamedItemCollection;
  readonly worksheets: FakeWorksheetCollection;
  readonly tables: FakeWorkbookTableCollection;
  constructor(private readonly context: FakeRequestContext) {
    this.names = new FakeNamedItemCollection(context);
    this.worksheets = new FakeWorksheetCollection(context);
    this.tables = new FakeWorkbookTableCollection(context);
  }

  /** The selected block of the active sheet; several blocks (Ctrl+click) fail at sync with InvalidSelection. */
  getSelectedRange(): FakeRange {
    const wb = this.context.host.workbook;
    return create(new FakeRange(this.context), this.context, "Workbook.getSelectedRange", () => {
      const selected = wb.selectedAreas();
      if (!selected) throw officeError("ItemNotFound");
      const [area, ...more] = selected.areas;
      if (!area || more.length > 0) throw officeError("InvalidSelection");
      return { sheetId: selected.sheet.id, area };
    }, false);
  }
}

// ---- names --------------------------------------------------------------------------------------------

type NamedItemType = "Range" | "Error" | "Double" | "String" | "Boolean";

/** What Excel reports for a name: its type and value, from its formula. */
function describeName(wb: InMemoryWorkbook, refersTo: string): { type: NamedItemType; value: CellScalar; area?: { sheet: InMemorySheet; area: RangeArea } } {
  if (pointsAtRefError(refersTo)) return { type: "Error", value: "#REF!" };
  const area = referencedArea(refersTo);
  if (area) {
    const sheet = wb.getSheet(area.sheet!);
    if (!sheet) return { type: "Error", value: "#REF!" };
    return { type: "Range", value: formatAddress({ ...area, sheet: sheet.name }, { absolute: true }), area: { sheet, area } };
  }
  const body = refersTo.replace(/^=/, "").trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(body)) return { type: "Double", value: Number(body) };
  if (/^"([^"]|"")*"$/.test(body)) return { type: "String", value: body.slice(1, -1).replace(/""/g, '"') };
  if (/^(TRUE|FALSE)$/i.test(body)) return { type: "Boolean", value: body.toUpperCase() === "TRUE" };
  if (EXCEL_ERRORS.has(body.toUpperCase())) return { type: "Error", value: body.toUpperCase() };
  return { type: "Error", value: "#VALUE!" }; // a formula name: the fake does not calculate
}

export class FakeNamedItem extends FakeProxy<string> {
  protected readonly className = "NamedItem";
  protected readonly loadable = ["name", "type", "value", "formula", "visible", "comment", "scope"] as const;

  get name(): string {
    return this.loaded("name");
  }
  get type(): NamedItemType {
    return this.loaded("type");
  }
  get value(): CellScalar {
    return this.loaded("value");
  }
  get formula(): string {
    return this.loaded("formula");
  }
  get visible(): boolean {
    return this.loaded("visible");
  }
  get comment(): string {
    return this.loaded("comment");
  }
  get scope(): string {
    return this.loaded("scope");
  }

  protected readProperty(prop: string): unknown {
    const n = this.context.host.workbook.getName(this.resolve());
    if (!n) throw officeError("ItemNotFound");
    const d = describeName(this.context.host.workbook, n.refersTo);
    switch (prop) {
      case "name":
        return n.name;
      case "type":
        return d.type;
      case "value":
        return d.value;
      case "formula":
        return n.refersTo;
      case "visible":
        return true;
      case "comment":
        return "";
      default:
        return "Workbook";
    }
  }

  private rangeOf(orNull: boolean): FakeRange {
    const range = new FakeRange(this.context);
    const wb = this.context.host.workbook;
    return create(range, this.context, orNull ? "NamedItem.getRangeOrNullObject" : "NamedItem.getRange", () => {
      if (this.isNullTarget()) {
        if (orNull) return null;
        throw officeError("ItemNotFound");
      }
      const n = wb.getName(this.resolve());
      if (!n) throw officeError("ItemNotFound");
      const d = describeName(wb, n.refersTo);
      if (!d.area) {
        if (orNull) return null;
        throw officeError("InvalidArgument", "The named item's type is not a range.");
      }
      return { sheetId: d.area.sheet.id, area: d.area.area };
    }, orNull);
  }

  /** Throws (at sync) when the name's type is not a range. */
  getRange(): FakeRange {
    return this.rangeOf(false);
  }

  getRangeOrNullObject(): FakeRange {
    return this.rangeOf(true);
  }

  delete(): void {
    this.queueCall("delete", () => this.context.host.workbook.deleteName(this.resolve()));
  }
}

export class FakeNamedItemCollection extends FakeCollection<FakeNamedItem> {
  protected readonly className = "NamedItemCollection";
  protected readonly loadable = [] as const;
  protected readonly itemLoadable = ["name", "type", "value", "formula", "visible", "comment", "scope"] as const;

  protected itemKeys(): string[] {
    return this.context.host.workbook.names().map((n) => n.name);
  }

  protected makeItem(): FakeNamedItem {
    return new FakeNamedItem(this.context);
  }

  private lookup(name: string, orNull: boolean): FakeNamedItem {
    const wb = this.context.host.workbook;
    return create(new FakeNamedItem(this.context), this.context, orNull ? "NamedItemCollection.getItemOrNullObject" : "NamedItemCollection.getItem", () => {
      const n = wb.getName(name);
      if (!n) throw officeError("ItemNotFound", `The name “${name}” doesn't exist.`);
      return n.name;
    }, orNull);
  }

  getItem(name: string): FakeNamedItem {
    return this.lookup(name, false);
  }

  getItemOrNullObject(name: string): FakeNamedItem {
    return this.lookup(name, true);
  }

  /** Adds a workbook-scoped name for a range or a formula (`=Sheet1!$B$4`). */
  add(name: string, reference: FakeRange | string, comment?: string): FakeNamedItem {
    void comment;
    const wb = this.context.host.workbook;
    return create(new FakeNamedItem(this.context), this.context, "NamedItemCollection.add", () => {
      if (wb.getName(name)) throw officeError("ItemAlreadyExists", `The name “${name}” already exists.`);
      // Tables and defined names share one namespace.
      if (wb.tables().some((t) => t.name.toLowerCase() === name.toLowerCase())) throw officeError("ItemAlreadyExists", `A table is already named “${name}”.`);
      let refersTo: string;
      if (typeof reference === "string") refersTo = reference;
      else {
        const { sheet, area } = reference.located();
        refersTo = `=${formatAddress({ ...area, sheet: sheet.name }, { absolute: true })}`;
      }
      wb.defineName(name, refersTo);
      return name;
    }, false);
  }
}

// ---- worksheets ---------------------------------------------------------------------------------------

export class FakeWorksheetCollection extends FakeCollection<FakeWorksheet> {
  protected readonly className = "WorksheetCollection";
  protected readonly loadable = [] as const;
  protected readonly itemLoadable = ["name", "id", "position", "visibility"] as const;

  protected itemKeys(): string[] {
    return this.context.host.workbook.sheets().map((s) => s.id);
  }

  protected makeItem(): FakeWorksheet {
    return new FakeWorksheet(this.context);
  }

  private lookup(key: string, orNull: boolean): FakeWorksheet {
    const wb = this.context.host.workbook;
    return create(new FakeWorksheet(this.context), this.context, orNull ? "WorksheetCollection.getItemOrNullObject" : "WorksheetCollection.getItem", () => {
      const ws = wb.getSheet(key);
      if (!ws) throw officeError("ItemNotFound", `The worksheet “${key}” doesn't exist.`);
      return ws.id;
    }, orNull);
  }

  /** By name (any case) or id. */
  getItem(key: string): FakeWorksheet {
    return this.lookup(key, false);
  }

  getItemOrNullObject(key: string): FakeWorksheet {
    return this.lookup(key, true);
  }

  /** Adds a sheet at the end; an existing name (any case) fails with ItemAlreadyExists. */
  add(name?: string): FakeWorksheet {
    const wb = this.context.host.workbook;
    return create(new FakeWorksheet(this.context), this.context, "WorksheetCollection.add", () => wb.addSheet(name).id, false);
  }

  getActiveWorksheet(): FakeWorksheet {
    const wb = this.context.host.workbook;
    return create(new FakeWorksheet(this.context), this.context, "WorksheetCollection.getActiveWorksheet", () => wb.activeSheet()?.id ?? null, false);
  }
}

export class FakeWorksheet extends FakeProxy<string> {
  protected readonly className = "Worksheet";
  protected readonly loadable = ["name", "id", "position", "visibility"] as const;
  readonly tables: FakeTableCollection;
  readonly freezePanes: FakeFreezePanes;

  constructor(context: FakeRequestContext) {
    super(context);
    this.tables = new FakeTableCollection(context, this);
    this.freezePanes = new FakeFreezePanes(context, this);
  }

  /** @internal */
  sheet(): InMemorySheet {
    const ws = this.context.host.workbook.sheetById(this.resolve());
    if (!ws) throw officeError("ItemNotFound", "The worksheet was deleted.");
    return ws;
  }

  get name(): string {
    return this.loaded("name");
  }
  set name(value: string) {
    this.queueSet("name", value, () => this.context.host.workbook.renameSheet(this.sheet().id, value));
  }
  get id(): string {
    return this.loaded("id");
  }
  get position(): number {
    return this.loaded("position");
  }
  set position(value: number) {
    this.queueSet("position", value, () => this.context.host.workbook.moveSheet(this.sheet().id, value));
  }
  get visibility(): string {
    return this.loaded("visibility");
  }

  protected readProperty(prop: string): unknown {
    const ws = this.sheet();
    switch (prop) {
      case "name":
        return ws.name;
      case "id":
        return ws.id;
      case "position":
        return this.context.host.workbook.sheetPosition(ws);
      default:
        return "Visible";
    }
  }

  private range(location: string, area: () => RangeArea | null, orNull = false): FakeRange {
    return create(new FakeRange(this.context), this.context, location, () => {
      const a = area();
      return a === null ? null : { sheetId: this.sheet().id, area: a };
    }, orNull);
  }

  /** `getRange("B4:E4")`; no address means the whole sheet. An address on another sheet is refused. */
  getRange(address?: string): FakeRange {
    return this.range("Worksheet.getRange", () => {
      if (address === undefined) return { top: 0, left: 0, bottom: MAX_ROWS - 1, right: MAX_COLUMNS - 1 };
      const parsed = parseAddress(address);
      if (!parsed.ok) throw officeError("InvalidArgument", `“${address}” is not a valid range address.`);
      if (parsed.value.sheet !== undefined && !sameSheetName(parsed.value.sheet, this.sheet().name)) {
        throw officeError("InvalidArgument", "The address refers to a different worksheet.");
      }
      return parsed.value;
    });
  }

  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): FakeRange {
    return this.range("Worksheet.getRangeByIndexes", () => checkedArea(startRow, startColumn, rowCount, columnCount));
  }

  /** The used range; a blank sheet gives A1 (Excel's documented behaviour). */
  getUsedRange(valuesOnly?: boolean): FakeRange {
    return this.range("Worksheet.getUsedRange", () => this.sheet().usedArea(valuesOnly ?? false) ?? { top: 0, left: 0, bottom: 0, right: 0 });
  }

  getUsedRangeOrNullObject(valuesOnly?: boolean): FakeRange {
    return this.range("Worksheet.getUsedRangeOrNullObject", () => this.sheet().usedArea(valuesOnly ?? false) ?? null, true);
  }

  activate(): void {
    this.queueCall("activate", () => this.context.host.workbook.activateSheet(this.sheet().id));
  }

  /** Fails with InvalidOperation for the workbook's last sheet, as Excel does. */
  delete(): void {
    this.queueCall("delete", () => this.context.host.workbook.deleteSheet(this.sheet().id));
  }
}

export class FakeFreezePanes {
  constructor(
    private readonly context: FakeRequestContext,
    private readonly worksheet: FakeWorksheet,
  ) {}

  /** Freezes the top `count` rows (1 when omitted; 0 unfreezes). */
  freezeRows(count = 1): void {
    this.context.enqueue({
      location: "WorksheetFreezePanes.freezeRows",
      statement: `freezePanes.freezeRows(${count});`,
      apply: () => {
        this.worksheet.sheet().frozenRows = count;
      },
    });
  }

  unfreeze(): void {
    this.freezeRows(0);
  }
}

// ---- tables -------------------------------------------------------------------------------------------

export class FakeTableCollection extends FakeCollection<FakeTable> {
  protected readonly className = "TableCollection";
  protected readonly loadable = [] as const;
  protected readonly itemLoadable = ["name", "id"] as const;

  constructor(
    context: FakeRequestContext,
    private readonly worksheet: FakeWorksheet,
  ) {
    super(context);
  }

  protected itemKeys(): string[] {
    const id = this.worksheet.sheet().id;
    return this.context.host.workbook
      .tables()
      .filter((t) => t.sheetId === id)
      .map((t) => t.name);
  }

  protected makeItem(): FakeTable {
    return new FakeTable(this.context);
  }

  /** A table over a range (or address) on this sheet whose first row is its header. */
  add(address: FakeRange | string, hasHeaders: boolean): FakeTable {
    const wb = this.context.host.workbook;
    return create(new FakeTable(this.context), this.context, "TableCollection.add", () => {
      if (!hasHeaders) throw officeError("InvalidArgument", "The fake Excel only supports tables whose first row is the header (hasHeaders true).");
      const sheet = this.worksheet.sheet();
      let area: RangeArea;
      if (typeof address === "string") {
        const parsed = parseAddress(address);
        if (!parsed.ok || (parsed.value.sheet !== undefined && !sameSheetName(parsed.value.sheet, sheet.name))) throw officeError("InvalidArgument");
        area = parsed.value;
      } else {
        const located = address.located();
        if (located.sheet.id !== sheet.id) throw officeError("InvalidArgument", "The range is on a different worksheet.");
        area = located.area;
      }
      return wb.addTable(sheet.id, area).name;
    }, false);
  }
}

/** `workbook.tables`: every table in the workbook, looked up by name in any case. */
export class FakeWorkbookTableCollection extends FakeCollection<FakeTable> {
  protected readonly className = "TableCollection";
  protected readonly loadable = [] as const;
  protected readonly itemLoadable = ["name", "id"] as const;

  protected itemKeys(): string[] {
    return this.context.host.workbook.tables().map((t) => t.name);
  }

  protected makeItem(): FakeTable {
    return new FakeTable(this.context);
  }

  getItem(name: string): FakeTable {
    return create(new FakeTable(this.context), this.context, "TableCollection.getItem", () => {
      const t = this.context.host.workbook.tables().find((x) => x.name.toLowerCase() === name.toLowerCase());
      if (!t) throw officeError("ItemNotFound");
      return t.name;
    }, false);
  }
}

export class FakeTable extends FakeProxy<string> {
  protected readonly className = "Table";
  protected readonly loadable = ["name", "id"] as const;

  get name(): string {
    return this.loaded("name");
  }
  set name(value: string) {
    this.queueSet("name", value, () => {
      const old = this.resolve();
      this.context.host.workbook.renameTable(old, value);
      this.bind(value);
    });
  }
  get id(): string {
    return this.loaded("id");
  }

  protected readProperty(prop: string): unknown {
    const t = this.context.host.workbook.tables().find((x) => x.name === this.resolve());
    if (!t) throw officeError("ItemNotFound");
    return prop === "id" ? String(this.context.host.workbook.tables().indexOf(t) + 1) : t.name;
  }

  private rangeOf(location: string, rows: (area: RangeArea) => RangeArea): FakeRange {
    return create(new FakeRange(this.context), this.context, `Table.${location}`, () => {
      const t = this.context.host.workbook.tables().find((x) => x.name === this.resolve());
      if (!t) throw officeError("ItemNotFound");
      return { sheetId: t.sheetId, area: rows(t.area) };
    }, false);
  }

  /** The whole table, header included. */
  getRange(): FakeRange {
    return this.rangeOf("getRange", (a) => a);
  }

  getHeaderRowRange(): FakeRange {
    return this.rangeOf("getHeaderRowRange", (a) => ({ ...a, bottom: a.top }));
  }
}
