/**
 * The real task pane bundle in headless Chromium (workbench.html: a simulated workbook, a fake Office.js),
 * against the relay and the local HMRC sandbox on loopback. One quarterly update end to end, and a bad cell
 * that must stop everything with a located error. Screenshots go to test-results/.
 */
import type { Browser, BrowserContext, FrameLocator, Page } from "playwright-core";
import { formatPounds, type Pence } from "../../src/mtd";
import { cellAddress, parseAddress } from "../../src/workbook/address";
import type { WorkbookSnapshot } from "../../src/workbook/in-memory";
import { BISS_SHEET, OBLIGATIONS_SHEET, RECEIPTS_SHEET } from "../../src/workbook/result-sheets";
import { launchChromium, newContext, screenshotPath, sheetRows, startStack, starterSnapshot, tableUnder, taskpane, type Stack } from "./harness";

const NINO = "AA123456A";
const TAX_YEAR = "2025-26"; // the starter workbook's year
const UKP_BUSINESS = "XPIS12345678901"; // the sandbox's UK property business
const SE_BUSINESS = "XBIS12345678901"; // the sandbox's trade

/** What HMRC's income summary must say after a quarter-1 update, worked out from the workbook's own cells. */
interface Quarter1 {
  /** Field path → the cell quarter 1 comes from and its amount. */
  fields: Map<string, { address: string; pence: number }>;
  income: number;
  expenses: number;
}

function quarterOneFromSnapshot(snapshot: WorkbookSnapshot): Quarter1 {
  const fields = new Map<string, { address: string; pence: number }>();
  for (const n of snapshot.names) {
    if (!n.name.toUpperCase().startsWith("MTD.UKP.")) continue;
    const area = parseAddress(n.refersTo.replace(/^=/, ""));
    if (!area.ok || area.value.sheet === undefined) throw new Error(`unexpected name ${n.name}`);
    const sheet = snapshot.sheets.find((s) => s.name === area.value.sheet)!;
    const ref = cellAddress(undefined, area.value.top, area.value.left); // quarter 1, or the single year-to-date cell
    const value = sheet.cells.find((c) => c.ref === ref)?.value;
    if (typeof value === "number") fields.set(n.name.slice("MTD.UKP.".length), { address: cellAddress(sheet.name, area.value.top, area.value.left), pence: Math.round(value * 100) });
  }
  let income = 0;
  let expenses = 0;
  for (const [path, { pence }] of fields) {
    // BISS: tax deducted is not income; residential finance costs are a tax reduction, not an expense.
    if (path.startsWith("income.") && path !== "income.taxDeducted") income += pence;
    if (path.startsWith("expenses.") && !path.startsWith("expenses.residentialFinancialCost")) expenses += pence;
  }
  return { fields, income, expenses };
}

async function openWorkbench(stack: Stack, browser: Browser): Promise<{ context: BrowserContext; page: Page; pane: FrameLocator }> {
  const context = await newContext(browser);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${stack.url}/workbench.html`);
  const pane = taskpane(page);
  await pane.getByRole("button", { name: "Connect to HMRC" }).waitFor();
  expect(errors).toEqual([]);
  return { context, page, pane };
}

/** Connect (HMRC's sign-in in the popup dialog), enter the NINO and year, and choose a business. */
async function connectAndChooseBusiness(context: BrowserContext, pane: FrameLocator, businessId: string): Promise<void> {
  const popupOpened = context.waitForEvent("page");
  await pane.getByRole("button", { name: "Connect to HMRC" }).click();
  const popup = await popupOpened;
  await popup.locator("#grant").click(); // the sandbox's sign-in page, NINO prefilled
  await popup.waitForEvent("close"); // the task pane closes the dialog once it has the answer
  await pane.getByText("Connected to").waitFor();

  await pane.getByLabel("National Insurance number").fill("aa 12 34 56 a");
  await pane.getByLabel("Tax year").selectOption(TAX_YEAR);
  await pane.getByRole("button", { name: "Continue" }).click();
  // The sandbox's taxpayer has a trade, a UK and a foreign property business.
  await pane.locator(`#business-${businessId}`).check();
  await pane.locator("#choose-business").click();
}

/** The landlord's path: UK property (its cells are already named), then the first period open to filing. */
async function connectAndChoosePeriod(context: BrowserContext, pane: FrameLocator, beforeChoosing?: () => Promise<void>): Promise<string> {
  await connectAndChooseBusiness(context, pane, UKP_BUSINESS);
  await pane.getByText(UKP_BUSINESS).waitFor();

  const period = pane.locator('input[name="period"]:not([disabled])').first();
  await period.waitFor();
  const end = await period.getAttribute("value");
  await beforeChoosing?.();
  await period.check();
  await pane.locator("#choose-period").click();
  await pane.locator("#figures, .message-bar--error").first().waitFor();
  return end!;
}

describe("the task pane in the workbench", () => {
  let stack: Stack;
  let browser: Browser;
  const expected = quarterOneFromSnapshot(starterSnapshot());

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it("files the first quarter from the workbook and writes the receipt and HMRC's summary back", async () => {
    const { context, page, pane } = await openWorkbench(stack, browser);
    const periodEnd = await connectAndChoosePeriod(context, pane, () => page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-periods.png") }).then(() => undefined));
    expect(periodEnd).toBe("2025-07-05"); // quarter 1 of 2025-26: ended, open and overdue in the sandbox

    // Review: each figure with the amount and the cell it came from.
    const rows = await pane.locator("#figures tbody tr[data-path]").evaluateAll((trs) =>
      trs.map((tr) => ({
        path: (tr as HTMLElement).dataset.path,
        amount: tr.querySelector(".figures__amount")?.textContent,
        cell: tr.querySelector(".figures__cell [title]")?.getAttribute("title"), // the full address; the cell shows B6 over its sheet
      })),
    );
    expect(rows.length).toBe(expected.fields.size);
    for (const [path, { address, pence }] of expected.fields) {
      expect(rows).toContainEqual({ path, amount: formatPounds(pence as Pence), cell: address });
    }
    // Every control has an accessible name, and ids (which labels and descriptions point at) are unique.
    const audit = await pane.locator("body").evaluate((body) => {
      const unnamed = [...body.querySelectorAll("button, input, select, a[href]")]
        .filter((el) => {
          const e = el as HTMLInputElement;
          const labelled = (e.labels?.length ?? 0) > 0 || e.getAttribute("aria-label") || e.getAttribute("aria-labelledby") || (e.textContent ?? "").trim();
          return !labelled && e.type !== "hidden";
        })
        .map((el) => el.outerHTML.slice(0, 80));
      const ids = [...body.querySelectorAll("[id]")].map((el) => el.id);
      return { unnamed, duplicates: ids.filter((id, i) => ids.indexOf(id) !== i) };
    });
    expect(audit).toEqual({ unnamed: [], duplicates: [] });
    await page.screenshot({ path: screenshotPath("workbench-review.png") });
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-review.png") });
    await page.locator("#pane-width").selectOption("320");
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-320-review.png") });

    await pane.getByRole("button", { name: "Send to HMRC" }).click();
    await pane.locator("#submission-result").waitFor({ timeout: 30_000 });
    const correlationId = await pane.locator("#correlation-id").textContent();
    expect(correlationId).toBeTruthy();
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-320-done.png") });
    await page.locator("#pane-width").selectOption("350");
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-done.png") });

    // The workbook now holds the relay's receipt…
    const receipts = tableUnder((await sheetRows(page, RECEIPTS_SHEET)) ?? [], "HMRC status");
    expect(receipts).toContainEqual(
      expect.objectContaining({ "HMRC status": 204, "Business ID": UKP_BUSINESS, "Tax year": TAX_YEAR, "Period end": periodEnd, "Correlation ID": correlationId }),
    );
    // …and HMRC's year-to-date summary, matching the workbook's quarter-1 figures.
    const biss = tableUnder((await sheetRows(page, BISS_SHEET)) ?? [], "Item").filter((r) => r["Business ID"] === UKP_BUSINESS);
    const amount = (label: string) => biss.find((r) => r.Item === label)?.["Amount (£)"];
    expect(amount("Income")).toBe(expected.income / 100);
    expect(amount("Expenses")).toBe(expected.expenses / 100);
    // …and the deadlines, with the quarter just sent now fulfilled.
    const obligations = tableUnder((await sheetRows(page, OBLIGATIONS_SHEET)) ?? [], "Status");
    expect(obligations).toContainEqual(expect.objectContaining({ "Business ID": UKP_BUSINESS, "Period end": periodEnd, Status: "fulfilled" }));
    await page.screenshot({ path: screenshotPath("workbench-after-submit.png") });
    await context.close();
  });

  it("stops at a mapped cell holding text, says which cell, and sends nothing", async () => {
    const { context, page, pane } = await openWorkbench(stack, browser);
    const bad = expected.fields.get("expenses.premisesRunningCosts")!.address; // a quarter-1 cell: in every year-to-date sum
    await page.evaluate((address) => {
      (window as unknown as { mtdWorkbench: { workbook: { enterAt(a: string, v: unknown): void } } }).mtdWorkbench.workbook.enterAt(address, "four hundred");
    }, bad);
    await connectAndChoosePeriod(context, pane);

    const alert = pane.locator(".message-bar--error");
    await alert.waitFor();
    expect(await alert.textContent()).toContain(bad);
    expect(await alert.textContent()).toContain("four hundred");
    const send = pane.getByRole("button", { name: "Send to HMRC" });
    expect(await send.isDisabled()).toBe(true);

    const token = await page.evaluate(() => (JSON.parse(localStorage.getItem("mtd-bridge.session") ?? "{}") as { token?: string }).token);
    const receiptCount = async () => {
      const res = await fetch(`${stack.url}/api/receipts?nino=${NINO}&taxYear=${TAX_YEAR}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { receipts: unknown[] }).receipts.length;
    };
    const receiptsBefore = await receiptCount();
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-bad-cell.png") });

    // Correcting the cell and reading again makes sending possible; nothing was sent meanwhile.
    await page.evaluate((address) => {
      (window as unknown as { mtdWorkbench: { workbook: { enterAt(a: string, v: unknown): void } } }).mtdWorkbench.workbook.enterAt(address, 412.5);
    }, bad);
    const syncs = async () => Number(await page.locator("#sync-count").textContent());
    const before = await syncs();
    await pane.getByRole("button", { name: "Read the workbook again" }).click();
    await pane.locator(".message-bar--error").waitFor({ state: "detached" });
    // Reading every mapped name is one batched read: at most two context.sync() calls (DESIGN §3), not one per field.
    const used = (await syncs()) - before;
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(2);
    expect(await send.isDisabled()).toBe(false);
    expect(await receiptCount()).toBe(receiptsBefore);
    expect(await sheetRows(page, RECEIPTS_SHEET)).toBeNull();
    await context.close();
  });

  it("explains a sign-in window closed before granting, and stays disconnected", async () => {
    const { context, pane } = await openWorkbench(stack, browser);
    const popupOpened = context.waitForEvent("page");
    await pane.getByRole("button", { name: "Connect to HMRC" }).click();
    const popup = await popupOpened;
    await popup.locator("#grant").waitFor(); // HMRC's sign-in page is showing
    await popup.close();
    const alert = pane.locator(".message-bar--error");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/sign-in window was closed/);
    expect(await pane.getByRole("button", { name: "Connect to HMRC" }).isEnabled()).toBe(true);
    await context.close();
  });

  it("links a selected cell to a trade's turnover, then reviews it from that cell", async () => {
    const { context, page, pane } = await openWorkbench(stack, browser);
    await connectAndChooseBusiness(context, pane, SE_BUSINESS);

    // The landlord's workbook has nothing for the trade: the step opens its editor instead of the periods.
    await pane.locator("#step-mapping-body").getByText("Not linked").first().waitFor();
    expect(await pane.locator("#step-period").getAttribute("data-status")).toBe("locked");

    // Type a year-to-date turnover in an empty cell (the workbench computes no formulas), select it, and link it.
    const sheet = await page.locator("#sheet-tabs [aria-selected=true]").textContent();
    // The last row the grid shows is below the records: an empty cell to type into.
    const lastRow = await page.locator("#grid-panel td[data-row]").evaluateAll((tds) => Math.max(...tds.map((td) => Number((td as HTMLElement).dataset.row))));
    const cell = page.locator(`#grid-panel td[data-row="${lastRow}"][data-column="1"]`);
    expect((await cell.textContent())?.trim()).toBe("");
    await cell.click();
    await page.locator("#formula-bar").fill("1234.5");
    await page.locator("#formula-bar").press("Enter");
    await cell.click();
    await pane.getByRole("button", { name: /^Link selected cells to SA103F box 15/ }).click();
    const address = `${/^[A-Za-z0-9_]+$/.test(sheet!) ? sheet : `'${sheet}'`}!B${lastRow + 1}`;
    await pane.locator(".mapping-field").filter({ hasText: "SA103F box 15" }).getByText(`B${lastRow + 1}`).first().waitFor();
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-mapping.png") });
    const names = await page.evaluate(() => (window as unknown as { mtdWorkbench: { workbook: { names(): Array<{ name: string; refersTo: string }> } } }).mtdWorkbench.workbook.names());
    const linked = names.find((n) => /^MTD\.SE\.[^.]+\.periodIncome\.turnover$/i.test(n.name));
    expect(linked?.refersTo.replace(/\$/g, "")).toBe(`=${address}`);

    // Continue: the periods come, and the review reads the linked cell.
    await pane.locator("#mapping-continue-button").click();
    const period = pane.locator('input[name="period"]:not([disabled])').first();
    await period.check();
    await pane.locator("#choose-period").click();
    await pane.locator("#figures, #step-review-body .message-bar--error").first().waitFor();
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-se-review.png") });
    const rows = await pane.locator("#figures tbody tr[data-path]").evaluateAll((trs) =>
      trs.map((tr) => [(tr as HTMLElement).dataset.path, tr.querySelector(".figures__amount")?.textContent, tr.querySelector(".figures__cell [title]")?.getAttribute("title")]),
    );
    expect(rows).toEqual([["periodIncome.turnover", "£1,234.50", address]]);
    await page.locator("#taskpane").screenshot({ path: screenshotPath("taskpane-350-se-review.png") });
    await context.close();
  });
});
