/**
 * The browser tests' world: the local HMRC sandbox and the relay (serving the BUILT add-in from dist/addin)
 * in this process on 127.0.0.1 ephemeral ports, and Debian's Chromium driven by playwright-core. Every
 * request that is not to 127.0.0.1 is aborted, office.js from Microsoft's CDN included, so nothing leaves
 * the machine (the workbench page does not need office.js; the dialog page falls back without it).
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type FrameLocator, type Page } from "playwright-core";
import type { RunningRelay } from "../../src/relay/main";
import type { RunningSandbox } from "../../src/sandbox";
import { startLoopback } from "../support/loopback";
import type { InMemoryWorkbook, WorkbookSnapshot } from "../../src/workbook/in-memory";

export const ROOT = join(__dirname, "..", "..");
export const DIST = join(ROOT, "dist", "addin");
export const RESULTS = join(ROOT, "test-results");

export interface Stack {
  readonly relay: RunningRelay;
  readonly sandbox: RunningSandbox;
  /** http://127.0.0.1:<port>, the add-in's origin. */
  readonly url: string;
  close(): Promise<void>;
}

/** The built add-in must exist: these tests exercise the real bundles, not sources. */
export function requireBuild(): void {
  for (const page of ["workbench.html", "workbench-taskpane.html", "dialog.html", "workbench/starter-landlord.json"]) {
    if (!existsSync(join(DIST, page))) {
      throw new Error(`The browser tests need the built add-in, but ${join("dist", "addin", page)} is missing. Run \`npm run build\` first (or \`npm run test:e2e\`, which builds).`);
    }
  }
}

/** The starter workbook exactly as the workbench loads it. */
export function starterSnapshot(): WorkbookSnapshot {
  return JSON.parse(readFileSync(join(DIST, "workbench", "starter-landlord.json"), "utf8")) as WorkbookSnapshot;
}

export async function startStack(): Promise<Stack> {
  requireBuild();
  const loop = await startLoopback({ env: { ADDIN_DIST_DIR: DIST, DATABASE_PATH: ":memory:" } });
  return { relay: loop.relay, sandbox: loop.sandbox, url: loop.relayUrl, close: () => loop.close() };
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(`Chromium was not found at ${executablePath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** A fresh browser profile (own localStorage) that can reach nothing but loopback. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: "en-GB", timezoneId: "Europe/London" });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" && url.protocol === "http:") return route.continue();
    return route.abort(); // office.js from appsforoffice.microsoft.com, and anything else off this machine
  });
  return context;
}

export function taskpane(page: Page): FrameLocator {
  return page.frameLocator("#taskpane-frame");
}

export function screenshotPath(name: string): string {
  mkdirSync(RESULTS, { recursive: true });
  return join(RESULTS, name);
}

/** Rows of a sheet of the workbench's workbook, read in the page (values as Excel holds them). */
export async function sheetRows(page: Page, sheet: string): Promise<Array<Array<string | number | boolean | null>> | null> {
  return page.evaluate((name) => {
    const wb = (window as unknown as { mtdWorkbench: { workbook: InMemoryWorkbook } }).mtdWorkbench.workbook;
    const ws = wb.getSheet(name);
    if (!ws) return null;
    const area = ws.usedArea();
    if (!area) return [];
    const rows: Array<Array<string | number | boolean | null>> = [];
    for (let r = area.top; r <= area.bottom; r++) {
      const row: Array<string | number | boolean | null> = [];
      for (let c = area.left; c <= area.right; c++) row.push(ws.getCell(r, c)?.value ?? null);
      rows.push(row);
    }
    return rows;
  }, sheet);
}

/** The table under a header row that contains `marker`, as objects keyed by heading. */
export function tableUnder(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>, marker: string): Array<Record<string, string | number | boolean | null>> {
  const h = rows.findIndex((r) => r.includes(marker));
  if (h < 0) return [];
  const header = rows[h]!.map(String);
  return rows.slice(h + 1).map((r) => Object.fromEntries(header.map((k, i) => [k, r[i] ?? null])));
}
