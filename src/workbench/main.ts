/**
 * workbench.html: MTD Bridge without Excel. A simulated workbook (the starter landlord workbook, loaded from
 * the snapshot the build makes) shown as a spreadsheet, with the real task pane beside it in an iframe
 * talking to a fake Excel over that workbook. Every change the add-in makes appears in the grid at once.
 */
import { areaCellCount, cellAddress, formatAddress } from "../workbook/address";
import { InMemoryWorkbook, type InMemorySheet, type WorkbookSnapshot } from "../workbook/in-memory";
import { BRIDGE_KEY, type WorkbenchBridge, type WorkbenchExcel } from "./bridge";
import { createFakeExcel, type FakeExcel } from "./fake-excel";
import { createGrid, editText, type GridPosition } from "./grid";

const SNAPSHOT_URL = "workbench/starter-landlord.json";
const PANE_WIDTHS = [320, 350, 400, 480] as const;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`workbench.html is missing #${id}`);
  return el as T;
}

async function loadSnapshot(): Promise<WorkbookSnapshot> {
  const res = await fetch(SNAPSHOT_URL, { cache: "no-store" });
  if (!res.ok) throw new Error(`The starter workbook could not be loaded (HTTP ${res.status}). Run npm run build.`);
  return (await res.json()) as WorkbookSnapshot;
}

/** Counts Excel.run calls and keeps the sync badge current after each. */
function instrument(excel: FakeExcel, onRun: () => void): WorkbenchExcel {
  const run = excel.run as (...args: unknown[]) => Promise<unknown>;
  return {
    run: async (...args: unknown[]) => {
      try {
        return await run(...args);
      } finally {
        onRun();
      }
    },
    syncCount: () => excel.syncCount,
  };
}

function renderTabs(workbook: InMemoryWorkbook, shown: InMemorySheet, onPick: (sheet: InMemorySheet) => void): void {
  const tabs = byId("sheet-tabs");
  const owned = workbook.ownedSheets();
  const focused = tabs.contains(document.activeElement);
  tabs.replaceChildren(
    ...workbook.sheets().map((ws) => {
      const selected = ws === shown;
      const tab = document.createElement("button");
      tab.type = "button";
      tab.className = `sheet-tab${selected ? " sheet-tab--active" : ""}${ws.name in owned ? " sheet-tab--owned" : ""}`;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", String(selected));
      tab.setAttribute("aria-controls", "grid-panel");
      tab.tabIndex = selected ? 0 : -1;
      tab.textContent = ws.name;
      if (ws.name in owned) tab.title = "Written by MTD Bridge";
      tab.addEventListener("click", () => onPick(ws));
      tab.addEventListener("keydown", (e) => {
        const list = workbook.sheets();
        const i = list.indexOf(ws);
        const next = e.key === "ArrowRight" ? list[(i + 1) % list.length] : e.key === "ArrowLeft" ? list[(i - 1 + list.length) % list.length] : undefined;
        if (next) {
          e.preventDefault();
          onPick(next);
          byId("sheet-tabs").querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
        }
      });
      return tab;
    }),
  );
  if (focused) tabs.querySelector<HTMLElement>('[aria-selected="true"]')?.focus();
}

async function start(): Promise<void> {
  const status = byId("workbench-status");
  let workbook: InMemoryWorkbook;
  try {
    workbook = InMemoryWorkbook.fromSnapshot(await loadSnapshot());
  } catch (e) {
    status.textContent = e instanceof Error ? e.message : String(e);
    status.classList.add("wb-status--error");
    return;
  }
  const badge = byId("sync-count");
  const fake = createFakeExcel(workbook);
  const excel = instrument(fake, () => {
    badge.textContent = String(excel.syncCount());
  });
  const bridge: WorkbenchBridge = { workbook, excel };
  (window as unknown as Record<string, unknown>)[BRIDGE_KEY] = bridge;

  const nameBox = byId<HTMLInputElement>("name-box");
  const formula = byId<HTMLInputElement>("formula-bar");
  let shown = workbook.activeSheet() ?? workbook.sheets()[0]!;
  let selected: GridPosition = { row: 0, column: 0 };

  const grid = createGrid(
    workbook,
    (sheet, pos, names, block) => {
      selected = { ...pos };
      // What the add-in's readSelection sees, as Excel's selection would be.
      workbook.select(formatAddress({ ...block, sheet: sheet.name }));
      const address = cellAddress(undefined, pos.row, pos.column);
      const blockText = areaCellCount(block) > 1 ? ` (selected ${formatAddress(block)})` : "";
      nameBox.value = names.length > 0 ? names[0]! : address;
      nameBox.title = (names.length > 0 ? `${address}: ${names.join(", ")}` : address) + blockText;
      formula.value = editText(sheet, pos);
    },
    (initial) => {
      formula.value = initial ?? formula.value;
      formula.focus();
      if (initial === undefined) formula.select();
    },
  );
  byId("grid-panel").appendChild(grid.element);

  const commit = () => {
    workbook.enterAt(cellAddress(shown.name, selected.row, selected.column), formula.value);
    grid.focus();
  };
  formula.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      try {
        commit();
      } catch (err) {
        status.textContent = err instanceof Error ? err.message : String(err);
      }
    } else if (e.key === "Escape") {
      e.preventDefault();
      formula.value = editText(shown, selected);
      grid.focus();
    }
  });

  const pick = (sheet: InMemorySheet) => {
    shown = sheet;
    paint();
  };
  let scheduled = false;
  const paint = () => {
    scheduled = false;
    if (!workbook.sheets().includes(shown)) shown = workbook.activeSheet() ?? workbook.sheets()[0]!;
    renderTabs(workbook, shown, pick);
    grid.render(shown);
    badge.textContent = String(excel.syncCount());
  };
  workbook.onChange((change) => {
    // The add-in activates the sheets it writes, as Excel does: follow it.
    if (change.kinds.includes("sheets")) shown = workbook.activeSheet() ?? shown;
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(paint);
    }
  });
  paint();

  const width = byId<HTMLSelectElement>("pane-width");
  width.replaceChildren(...PANE_WIDTHS.map((w) => new Option(`${w} px`, String(w), w === 350, w === 350)));
  const pane = byId("taskpane");
  const applyWidth = () => pane.style.setProperty("--pane-width", `${width.value}px`);
  width.addEventListener("change", applyWidth);
  applyWidth();

  // The task pane starts only now, so its fake Office finds the workbook ready.
  const frame = document.createElement("iframe");
  frame.id = "taskpane-frame";
  frame.title = "MTD Bridge task pane";
  frame.src = "workbench-taskpane.html";
  byId("taskpane-body").appendChild(frame);
  status.textContent = "";
}

void start();
