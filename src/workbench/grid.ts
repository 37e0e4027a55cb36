/**
 * The workbench's picture of a worksheet: an accessible grid (role=grid, column letters, row numbers) of the
 * in-memory workbook's cells as Excel would show them, with workbook names highlighted, one active cell
 * moved by the arrow keys, a selected block extended with Shift (click or arrows, as in Excel), and a
 * formula bar to type into cells (Excel's typing rules apply).
 */
import { cellAddress, cellName, columnName, parseAddress, sameSheetName, type RangeArea } from "../workbook/address";
import type { CellData, InMemorySheet, InMemoryWorkbook } from "../workbook/in-memory";
import { formatCellText } from "../workbook/number-format";

const MIN_ROWS = 24;
const MIN_COLUMNS = 8;
const MAX_ROWS_SHOWN = 400;
const MAX_COLUMNS_SHOWN = 40;

export interface GridPosition {
  row: number;
  column: number;
}

/** The block between where a selection started (the anchor) and the active cell, whichever way it was dragged. */
export function selectionBlock(anchor: GridPosition, active: GridPosition): RangeArea {
  return {
    top: Math.min(anchor.row, active.row),
    left: Math.min(anchor.column, active.column),
    bottom: Math.max(anchor.row, active.row),
    right: Math.max(anchor.column, active.column),
  };
}

/** Names by cell on one sheet (`B4` → [`MTD.UKP.income.periodAmount`]). */
export function namesByCell(workbook: InMemoryWorkbook, sheet: InMemorySheet): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of workbook.names()) {
    const parsed = parseAddress(n.refersTo.replace(/^=/, ""));
    if (!parsed.ok || parsed.value.sheet === undefined || !sameSheetName(parsed.value.sheet, sheet.name)) continue;
    const a = parsed.value;
    if ((a.bottom - a.top + 1) * (a.right - a.left + 1) > 10_000) continue;
    for (let r = a.top; r <= a.bottom; r += 1) {
      for (let c = a.left; c <= a.right; c += 1) {
        const key = cellName(r, c);
        out.set(key, [...(out.get(key) ?? []), n.name]);
      }
    }
  }
  return out;
}

/** A stored cell of the in-memory model (plain data, not an Office.js proxy: nothing to load or sync). */
function storedCell(sheet: InMemorySheet, row: number, column: number): CellData | undefined {
  return sheet.getCell(row, column);
}

/** What the formula bar shows for a cell: its formula, else its value as typed. */
export function editText(sheet: InMemorySheet, pos: GridPosition): string {
  const cell = storedCell(sheet, pos.row, pos.column);
  if (!cell) return "";
  if (cell.formula !== undefined) return cell.formula;
  if (cell.value === null) return "";
  if (typeof cell.value === "boolean") return cell.value ? "TRUE" : "FALSE";
  return String(cell.value);
}

export interface GridView {
  readonly element: HTMLElement;
  render(sheet: InMemorySheet): void;
  readonly active: GridPosition;
  focus(): void;
}

/** Called with the active cell, its names, and the selected block (the active cell alone unless Shift extended it). */
export type OnGridSelect = (sheet: InMemorySheet, pos: GridPosition, names: readonly string[], block: RangeArea) => void;

export function createGrid(workbook: InMemoryWorkbook, onSelect: OnGridSelect, onEdit: (initial?: string) => void): GridView {
  const table = document.createElement("table");
  table.className = "grid";
  table.setAttribute("role", "grid");
  table.setAttribute("aria-label", "Worksheet");
  table.setAttribute("aria-readonly", "false");
  table.setAttribute("aria-multiselectable", "true");
  const wrap = document.createElement("div");
  wrap.className = "grid-wrap";
  wrap.appendChild(table);

  let current: InMemorySheet | undefined;
  let names = new Map<string, string[]>();
  let rows = 0;
  let columns = 0;
  const active: GridPosition = { row: 0, column: 0 };
  /** Where the selected block started: the active cell, unless Shift moved the active cell away from it. */
  const anchor: GridPosition = { row: 0, column: 0 };

  /** The rendered cells by row and column (a lookup, not a DOM query: Shift+arrows repaint whole blocks). */
  let cellEls: HTMLElement[][] = [];
  const cellEl = (pos: GridPosition): HTMLElement | undefined => cellEls[pos.row]?.[pos.column];
  const markBlock = (on: boolean) => {
    const block = selectionBlock(anchor, active);
    for (let r = block.top; r <= block.bottom; r += 1) {
      for (let c = block.left; c <= block.right; c += 1) cellEl({ row: r, column: c })?.setAttribute("aria-selected", String(on));
    }
  };

  /** Moves the active cell to `pos`; with `extend` (Shift held) the block grows from the anchor instead of restarting. */
  const select = (pos: GridPosition, focus: boolean, extend = false) => {
    markBlock(false);
    const before = cellEl(active);
    if (before) {
      before.tabIndex = -1;
      before.classList.remove("grid__cell--active");
    }
    active.row = Math.max(0, Math.min(rows - 1, pos.row));
    active.column = Math.max(0, Math.min(columns - 1, pos.column));
    if (!extend) {
      anchor.row = active.row;
      anchor.column = active.column;
    }
    markBlock(true);
    const el = cellEl(active);
    if (el) {
      el.tabIndex = 0;
      el.classList.add("grid__cell--active");
      if (focus) el.focus();
    }
    if (current) onSelect(current, active, names.get(cellName(active.row, active.column)) ?? [], selectionBlock(anchor, active));
  };

  table.addEventListener("click", (e) => {
    const td = (e.target as HTMLElement).closest<HTMLElement>("[data-cell]");
    if (!td) return;
    select({ row: Number(td.dataset.row), column: Number(td.dataset.column) }, true, e.shiftKey);
  });
  table.addEventListener("dblclick", () => onEdit());
  table.addEventListener("keydown", (e) => {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      select({ row: active.row + move[0], column: active.column + move[1] }, true, e.shiftKey);
    } else if (e.key === "Home") {
      e.preventDefault();
      select({ row: e.ctrlKey ? 0 : active.row, column: 0 }, true, e.shiftKey);
    } else if (e.key === "End") {
      e.preventDefault();
      select({ row: e.ctrlKey ? rows - 1 : active.row, column: columns - 1 }, true, e.shiftKey);
    } else if (e.key === "Enter" || e.key === "F2") {
      e.preventDefault();
      onEdit();
    } else if (e.key === "Delete" || e.key === "Backspace") {
      e.preventDefault();
      if (current) workbook.enterAt(cellAddress(current.name, active.row, active.column), "");
    } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      onEdit(e.key); // typing over a cell starts editing with that character, as in Excel
    }
  });

  const render = (sheet: InMemorySheet) => {
    const focusInside = wrap.contains(document.activeElement);
    if (current !== sheet) {
      // Back on a sheet: its own selection, as Excel remembers one per sheet.
      const block = workbook.selectedAreas(sheet)?.areas[0] ?? { top: 0, left: 0, bottom: 0, right: 0 };
      anchor.row = block.top;
      anchor.column = block.left;
      active.row = block.bottom;
      active.column = block.right;
    }
    current = sheet;
    names = namesByCell(workbook, sheet);
    const used = sheet.usedArea();
    rows = Math.min(MAX_ROWS_SHOWN, Math.max(MIN_ROWS, (used?.bottom ?? 0) + 4));
    columns = Math.min(MAX_COLUMNS_SHOWN, Math.max(MIN_COLUMNS, (used?.right ?? 0) + 3));
    table.setAttribute("aria-rowcount", String(rows + 1));
    table.setAttribute("aria-colcount", String(columns + 1));
    table.setAttribute("aria-label", `Worksheet ${sheet.name}`);

    const head = document.createElement("thead");
    const headRow = document.createElement("tr");
    headRow.setAttribute("role", "row");
    const corner = document.createElement("th");
    corner.className = "grid__corner";
    corner.setAttribute("role", "columnheader");
    corner.setAttribute("aria-label", "Row numbers");
    headRow.appendChild(corner);
    for (let c = 0; c < columns; c += 1) {
      const th = document.createElement("th");
      th.setAttribute("role", "columnheader");
      th.setAttribute("scope", "col");
      th.textContent = columnName(c);
      headRow.appendChild(th);
    }
    head.appendChild(headRow);

    const body = document.createElement("tbody");
    cellEls = [];
    for (let r = 0; r < rows; r += 1) {
      const rowEls: HTMLElement[] = [];
      cellEls.push(rowEls);
      const tr = document.createElement("tr");
      tr.setAttribute("role", "row");
      tr.setAttribute("aria-rowindex", String(r + 2));
      if (r < sheet.frozenRows) tr.className = "grid__frozen";
      const th = document.createElement("th");
      th.setAttribute("role", "rowheader");
      th.setAttribute("scope", "row");
      th.textContent = String(r + 1);
      tr.appendChild(th);
      for (let c = 0; c < columns; c += 1) {
        const td = document.createElement("td");
        const ref = cellName(r, c);
        const cell = storedCell(sheet, r, c);
        td.setAttribute("role", "gridcell");
        td.dataset.cell = ref;
        td.dataset.row = String(r);
        td.dataset.column = String(c);
        td.tabIndex = -1;
        td.setAttribute("aria-selected", "false");
        const text = cell ? formatCellText(cell.value, cell.numberFormat) : "";
        td.textContent = text;
        const classes = ["grid__cell"];
        if (cell && typeof cell.value === "number") classes.push("grid__cell--number");
        if (cell?.isError) classes.push("grid__cell--error");
        if (cell?.bold) classes.push("grid__cell--bold");
        const cellNames = names.get(ref);
        if (cellNames) {
          classes.push(cellNames.some((n) => n.toUpperCase().startsWith("MTD.")) ? "grid__cell--mapped" : "grid__cell--named");
          td.title = `${ref}: ${cellNames.join(", ")}`;
          td.setAttribute("aria-description", `Named ${cellNames.join(", ")}`);
        } else if (text.length > 24) {
          td.title = text;
        }
        td.className = classes.join(" ");
        tr.appendChild(td);
        rowEls.push(td);
      }
      body.appendChild(tr);
    }
    table.replaceChildren(head, body);
    // Keep the block across repaints; it may have shrunk with the sheet.
    for (const p of [anchor, active]) {
      p.row = Math.min(p.row, rows - 1);
      p.column = Math.min(p.column, columns - 1);
    }
    select(active, focusInside, true);
  };

  return {
    element: wrap,
    render,
    active,
    focus: () => cellEl(active)?.focus(),
  };
}
