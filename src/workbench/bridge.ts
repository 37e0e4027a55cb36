/**
 * What workbench.html shares with the task pane in its iframe (same origin): the simulated workbook and the
 * fake Excel.run over it. The iframe's stand-in Office (fake-office.ts) reaches them as
 * `window.parent.mtdWorkbench`; the browser tests read the workbook through it too.
 */
import type { InMemoryWorkbook } from "../workbook/in-memory";

export interface WorkbenchExcel {
  /** `Excel.run`, both overloads: `run(batch)` and `run(options, batch)`. */
  run(...args: unknown[]): Promise<unknown>;
  /** `context.sync()` calls made so far. */
  syncCount(): number;
}

export interface WorkbenchBridge {
  readonly workbook: InMemoryWorkbook;
  readonly excel: WorkbenchExcel;
}

export const BRIDGE_KEY = "mtdWorkbench";

export function bridgeOf(win: Window): WorkbenchBridge | undefined {
  try {
    const bridge = (win as unknown as Record<string, unknown>)[BRIDGE_KEY];
    return bridge && typeof bridge === "object" ? (bridge as WorkbenchBridge) : undefined;
  } catch {
    return undefined; // a cross-origin parent: not the workbench
  }
}
