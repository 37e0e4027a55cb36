/** Excel's Range in the fake: loadable cell properties, shape-checked writes, derived ranges and formats. */
import { areaCellCount, areaColumns, areaRows, formatAddress, MAX_COLUMNS, MAX_ROWS, type RangeArea } from "../workbook/address";
import { cellValueType, enterValue, type CellData, type InMemorySheet } from "../workbook/in-memory";
import { formatCellText, GENERAL } from "../workbook/number-format";
import type { CellScalar } from "../workbook/port";
import type { FakeRequestContext } from "./fake-excel";
import { officeError, SHAPE_MISMATCH } from "./fake-excel-errors";
import { create, FakeProxy } from "./fake-excel-proxy";

/** Beyond 5,000,000 cells Excel returns null rather than the values. */
const READ_CELL_LIMIT = 5_000_000;

/** A rectangle from zero-based start and size, refused (InvalidArgument) when empty or off the sheet. */
export function checkedArea(startRow: number, startColumn: number, rowCount: number, columnCount: number): RangeArea {
  const ints = [startRow, startColumn, rowCount, columnCount].every(Number.isInteger);
  if (!ints || startRow < 0 || startColumn < 0 || rowCount < 1 || columnCount < 1 || startRow + rowCount > MAX_ROWS || startColumn + columnCount > MAX_COLUMNS) {
    throw officeError("InvalidArgument", "The range is outside the worksheet or has no cells.");
  }
  return { top: startRow, left: startColumn, bottom: startRow + rowCount - 1, right: startColumn + columnCount - 1 };
}

interface RangeTarget {
  readonly sheetId: string;
  readonly area: RangeArea;
}

type Grid<T> = T[][];

export class FakeRange extends FakeProxy<RangeTarget> {
  protected readonly className = "Range";
  protected readonly loadable = [
    "address",
    "addressLocal",
    "values",
    "valueTypes",
    "formulas",
    "numberFormat",
    "text",
    "rowCount",
    "columnCount",
    "rowIndex",
    "columnIndex",
    "cellCount",
  ] as const;
  readonly format: FakeRangeFormat;

  constructor(context: FakeRequestContext) {
    super(context);
    this.format = new FakeRangeFormat(context, this);
  }

  /** @internal the sheet and area this range stands for, at execution time */
  located(): { sheet: InMemorySheet; area: RangeArea } {
    const t = this.resolve();
    const sheet = this.context.host.workbook.sheetById(t.sheetId);
    if (!sheet) throw officeError("ItemNotFound", "The range's worksheet was deleted.");
    return { sheet, area: t.area };
  }

  get address(): string {
    return this.loaded("address");
  }
  get addressLocal(): string {
    return this.loaded("addressLocal");
  }
  get values(): Grid<CellScalar> {
    return this.loaded("values");
  }
  set values(input: unknown) {
    this.queueSet("values", input, () => this.write("values", input, (cell, v) => enterValue(cell, v)));
  }
  get valueTypes(): Grid<string> {
    return this.loaded("valueTypes");
  }
  get formulas(): Grid<CellScalar> {
    return this.loaded("formulas");
  }
  set formulas(input: unknown) {
    this.queueSet("formulas", input, () => this.write("formulas", input, (cell, v) => enterValue(cell, v)));
  }
  get numberFormat(): Grid<string> {
    return this.loaded("numberFormat");
  }
  set numberFormat(input: unknown) {
    this.queueSet("numberFormat", input, () =>
      this.write("numberFormat", input, (cell, v) => {
        if (typeof v !== "string") throw officeError("InvalidArgument", "A number format must be text.");
        return { ...(cell ?? { value: null }), numberFormat: v };
      }),
    );
  }
  get text(): Grid<string> {
    return this.loaded("text");
  }
  get rowCount(): number {
    return this.loaded("rowCount");
  }
  get columnCount(): number {
    return this.loaded("columnCount");
  }
  get rowIndex(): number {
    return this.loaded("rowIndex");
  }
  get columnIndex(): number {
    return this.loaded("columnIndex");
  }
  get cellCount(): number {
    return this.loaded("cellCount");
  }

  protected readProperty(prop: string): unknown {
    const { sheet, area } = this.located();
    const big = areaCellCount(area) > READ_CELL_LIMIT; // Excel returns null rather than more than 5M cells
    const each = <T>(fn: (cell: CellData | undefined) => T): Grid<T> | null => {
      if (big) return null;
      const out: Grid<T> = [];
      for (let r = area.top; r <= area.bottom; r += 1) {
        const row: T[] = [];
        for (let c = area.left; c <= area.right; c += 1) row.push(fn(sheet.getCell(r, c)));
        out.push(row);
      }
      return out;
    };
    switch (prop) {
      case "address":
      case "addressLocal":
        return formatAddress({ ...area, sheet: sheet.name });
      case "values":
        return each((cell) => (cell?.value ?? ""));
      case "valueTypes":
        return each((cell) => cellValueType(cell));
      case "formulas":
        return each((cell) => cell?.formula ?? cell?.value ?? "");
      case "numberFormat":
        return each((cell) => cell?.numberFormat ?? GENERAL);
      case "text":
        return each((cell) => formatCellText(cell?.value ?? null, cell?.numberFormat));
      case "rowCount":
        return areaRows(area);
      case "columnCount":
        return areaColumns(area);
      case "rowIndex":
        return area.top;
      case "columnIndex":
        return area.left;
      default:
        return areaCellCount(area);
    }
  }

  /**
   * Excel's rule for writes: a single value applies to every cell; otherwise the array must match the
   * range exactly (numberFormat also broadcasts a 1×1 array). `null` entries leave their cell unchanged.
   */
  private write(property: string, input: unknown, next: (cell: CellData | undefined, v: unknown) => CellData): void {
    const { sheet, area } = this.located();
    const rows = areaRows(area);
    const columns = areaColumns(area);
    let at: (r: number, c: number) => unknown;
    if (!Array.isArray(input)) {
      at = () => input;
    } else {
      const broadcast = property === "numberFormat" && input.length === 1 && Array.isArray(input[0]) && input[0].length === 1;
      if (broadcast) at = () => (input[0] as unknown[])[0];
      else {
        if (input.length !== rows || !input.every((row) => Array.isArray(row) && row.length === columns)) throw officeError("InvalidArgument", SHAPE_MISMATCH);
        at = (r, c) => (input[r] as unknown[])[c];
      }
    }
    if (rows * columns > READ_CELL_LIMIT) throw officeError("InvalidArgument", "The range is too large to write at once.");
    for (let r = 0; r < rows; r += 1) {
      for (let c = 0; c < columns; c += 1) {
        const v = at(r, c);
        if (v === null || v === undefined) continue;
        const row = area.top + r;
        const column = area.left + c;
        sheet.setCell(row, column, next(sheet.getCell(row, column), v));
      }
    }
  }

  private derived(location: string, fn: (area: RangeArea) => RangeArea): FakeRange {
    return create(new FakeRange(this.context), this.context, location, () => {
      const { sheet, area } = this.located();
      return { sheetId: sheet.id, area: fn(area) };
    }, false);
  }

  /** The cell at a zero-based offset from the top-left (it may lie outside this range, as in Excel). */
  getCell(row: number, column: number): FakeRange {
    return this.derived("Range.getCell", (a) => checkedArea(a.top + row, a.left + column, 1, 1));
  }

  getResizedRange(deltaRows: number, deltaColumns: number): FakeRange {
    return this.derived("Range.getResizedRange", (a) => checkedArea(a.top, a.left, areaRows(a) + deltaRows, areaColumns(a) + deltaColumns));
  }

  getOffsetRange(rowOffset: number, columnOffset: number): FakeRange {
    return this.derived("Range.getOffsetRange", (a) => checkedArea(a.top + rowOffset, a.left + columnOffset, areaRows(a), areaColumns(a)));
  }

  /** `All` (default), `Contents` (values and formulas) or `Formats`. */
  clear(applyTo: "All" | "Contents" | "Formats" = "All"): void {
    this.queueCall("clear", () => {
      const { sheet, area } = this.located();
      for (const { row, column, cell } of sheet.cells()) {
        if (row < area.top || row > area.bottom || column < area.left || column > area.right) continue;
        if (applyTo === "All") sheet.setCell(row, column, undefined);
        else if (applyTo === "Contents") sheet.setCell(row, column, { ...(cell.numberFormat ? { numberFormat: cell.numberFormat } : {}), ...(cell.bold ? { bold: true } : {}), value: null });
        else sheet.setCell(row, column, { value: cell.value, ...(cell.isError ? { isError: true } : {}), ...(cell.formula ? { formula: cell.formula } : {}) });
      }
    });
  }
}

export class FakeRangeFormat {
  readonly font: FakeRangeFont;
  constructor(
    private readonly context: FakeRequestContext,
    private readonly range: FakeRange,
  ) {
    this.font = new FakeRangeFont(context, range);
  }

  /** Sizes each column of the range to its longest displayed text (an approximation of Excel's font metrics). */
  autofitColumns(): void {
    this.context.enqueue({
      location: "RangeFormat.autofitColumns",
      statement: "format.autofitColumns();",
      apply: () => {
        const { sheet, area } = this.range.located();
        const longest = new Map<number, number>();
        for (const { row, column, cell } of sheet.cells()) {
          if (row < area.top || row > area.bottom || column < area.left || column > area.right) continue;
          const text = formatCellText(cell.value, cell.numberFormat);
          longest.set(column, Math.max(longest.get(column) ?? 0, text.length));
        }
        for (let c = area.left; c <= Math.min(area.right, area.left + 999); c += 1) {
          const chars = longest.get(c);
          sheet.setColumnWidth(c, chars === undefined ? undefined : Math.min(255, chars + 2));
        }
      },
    });
  }

  autofitRows(): void {
    this.context.enqueue({ location: "RangeFormat.autofitRows", statement: "format.autofitRows();", apply: () => void this.range.located() });
  }
}

export class FakeRangeFont extends FakeProxy<true> {
  protected readonly className = "RangeFont";
  protected readonly loadable = ["bold"] as const;

  constructor(
    context: FakeRequestContext,
    private readonly range: FakeRange,
  ) {
    super(context);
    this.bindNow(true);
  }

  /** true or false when every cell agrees, null when mixed (as Excel reports). */
  get bold(): boolean | null {
    return this.loaded("bold");
  }
  set bold(value: boolean | null) {
    this.queueSet("bold", value, () => {
      if (typeof value !== "boolean") throw officeError("InvalidArgument", "bold must be true or false.");
      const { sheet, area } = this.range.located();
      for (let r = area.top; r <= area.bottom; r += 1) {
        for (let c = area.left; c <= area.right; c += 1) sheet.setCell(r, c, { ...(sheet.getCell(r, c) ?? { value: null }), bold: value });
      }
    });
  }

  protected readProperty(): unknown {
    const { sheet, area } = this.range.located();
    let seen: boolean | undefined;
    for (let r = area.top; r <= area.bottom; r += 1) {
      for (let c = area.left; c <= area.right; c += 1) {
        const b = sheet.getCell(r, c)?.bold ?? false;
        if (seen === undefined) seen = b;
        else if (seen !== b) return null;
      }
    }
    return seen ?? false;
  }
}

