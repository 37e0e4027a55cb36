/**
 * The task pane for every business type: a sole trader's trade (by alias), a foreign property (2026-27, by a
 * property alias), and a trade kept in ledger mode — chosen, reviewed with their cells, sent to the right
 * endpoint, compared with the last update, and summarised in MTD BISS.
 */
import { TaskpaneController } from "../../src/addin/taskpane/controller";
import { initialState, type AppState, type Review } from "../../src/addin/taskpane/state";
import { Store } from "../../src/addin/taskpane/store";
import { RelayClient } from "../../src/addin/relay-client";
import { SessionStore } from "../../src/addin/session-store";
import type { IsoDate, TaxYear } from "../../src/mtd";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { BISS_SHEET } from "../../src/workbook/result-sheets";
import { ledgerWorkbook } from "../workbook/ledger-fixtures";
import { FakeDialogHost, sidOf } from "./fake-dialogs";
import { FakeRelay, NINO } from "./fake-relay";
import { rowsOf, tableOf, toReview } from "./taskpane-journey";

const ORIGIN = "https://mtd.example";
const SE_ID = "XBIS12345678901";
const FP_ID = "XFIS12345678901";
const VILLA = "8e8b8450-dc1b-4360-8109-7067337b42cb";

function setup(workbook: InMemoryWorkbook) {
  const relay = new FakeRelay();
  relay.businesses = [...relay.businesses, { typeOfBusiness: "foreign-property", businessId: FP_ID, tradingName: "Villa" }];
  const session = new SessionStore(undefined, undefined, () => new Date("2026-11-21T10:00:00Z"));
  const client = new RelayClient({ fetch: relay.fetch, sessionToken: () => session.token });
  const dialogs = new FakeDialogHost();
  dialogs.script = (d) => d.send(JSON.stringify({ ok: true, sid: sidOf(d.url) }), ORIGIN);
  const store = new Store<AppState>(initialState("2026-27" as TaxYear));
  const progress: string[] = [];
  store.subscribe((s) => s.reviewProgress && progress.push(s.reviewProgress));
  const controller = new TaskpaneController(store, { relay: client, session, workbook, dialogs, origin: ORIGIN, today: () => "2026-11-21" as IsoDate, announce: () => undefined });
  return { relay, store, controller, workbook, progress };
}

/** Names on one sheet, each a row of four quarter cells (formulas' cached results, so no digital-link warnings). */
function namedWorkbook(sheet: string, rows: Record<string, number[]>, settings: Record<string, string>): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  const ws = wb.addSheet(sheet);
  Object.entries(rows).forEach(([name, quarters], i) => {
    quarters.forEach((v, q) => ws.setCell(1 + i, 1 + q, { value: v, formula: `=Records!Z${i + 1}*1` }));
    wb.defineName(name, `=${sheet}!$B$${2 + i}:$E$${2 + i}`);
  });
  void wb.writeSettings(settings);
  return wb;
}

function reviewOf(state: AppState): Review {
  if (state.review.status !== "ready") throw new Error(`review is ${state.review.status}`);
  return state.review.value;
}

test("a trade named by its alias: reviewed with its cells, sent to the self-employment endpoint", async () => {
  const wb = namedWorkbook("Shop", { "MTD.SE.shop.periodIncome.turnover": [5000, 6000, 0, 0], "MTD.SE.shop.periodExpenses.costOfGoods": [1200.5, 800, 0, 0] }, { "alias.shop": SE_ID });
  const t = setup(wb);
  await toReview(t, "2026-10-05", SE_ID);
  const review = reviewOf(t.store.state);
  expect(review.type).toBe("self-employment");
  expect(review.rows.map((r) => [r.path, r.section, r.pence, r.address])).toEqual([
    ["periodIncome.turnover", "income", 1100000, "Shop!B2:C2"],
    ["periodExpenses.costOfGoods", "expense", 200050, "Shop!B3:C3"],
  ]);
  expect(review.problems).toEqual([]);
  expect(t.store.state.diff).toEqual({ status: "ready", value: undefined }); // nothing sent before

  await t.controller.submit();
  expect(t.store.state.submission.status).toBe("done");
  const put = t.relay.hmrcCalls("PUT")[0]!;
  expect(put.path).toBe(`/api/hmrc/individuals/business/self-employment/${NINO}/${SE_ID}/cumulative/2026-27`);
  expect(put.body).toEqual({ periodDates: { periodStartDate: "2026-04-06", periodEndDate: "2026-10-05" }, periodIncome: { turnover: 11000 }, periodExpenses: { costOfGoods: 2000.5 } });
  const biss = tableOf(rowsOf(t.workbook, BISS_SHEET), "Item");
  expect(biss.find((r) => r["Business ID"] === SE_ID && r.Item === "Income")?.["Amount (£)"]).toBe(11000);
  expect(biss.find((r) => r["Business ID"] === SE_ID && r.Item === "Expenses")?.["Amount (£)"]).toBe(2000.5);
});

test("a foreign property in 2026-27: one entry per property alias, the diff compares entry by entry", async () => {
  const wb = namedWorkbook(
    "Villa",
    { "MTD.FP.villa.income.rentIncome.rentAmount": [2400, 2400, 0, 0], "MTD.FP.villa.expenses.repairsAndMaintenance": [300, 0, 0, 0] },
    { "alias.villa": VILLA },
  );
  const t = setup(wb);
  // HMRC knows the property (created earlier through the details endpoint): the figures step accepts the alias.
  t.relay.answer = (r) =>
    r.path.endsWith(`/property/foreign/${NINO}/${FP_ID}/details/2026-27`)
      ? { status: 200, body: { foreignPropertyDetails: [{ submittedOn: "2026-04-10T09:00:00.000Z", propertyId: VILLA, propertyName: "Villa Rosa", countryCode: "ESP" }] } }
      : undefined;
  await toReview(t, "2026-07-05", FP_ID);
  expect(t.store.state.mapping.confirmed).toBe(true);
  const first = reviewOf(t.store.state);
  expect(first.rows.map((r) => [r.entry, r.pointer, r.pence])).toEqual([
    [VILLA, "/foreignProperty/0/income/rentIncome/rentAmount", 240000],
    [VILLA, "/foreignProperty/0/expenses/repairsAndMaintenance", 30000],
  ]);
  expect(first.entryNames).toEqual({ [VILLA]: "villa" });
  await t.controller.submit();
  expect(t.relay.hmrcCalls("PUT")[0]!.body).toEqual({
    fromDate: "2026-04-06",
    toDate: "2026-07-05",
    foreignProperty: [{ propertyId: VILLA, income: { rentIncome: { rentAmount: 2400 } }, expenses: { repairsAndMaintenance: 300 } }],
  });

  // Quarter 2, with the quarter-1 repair corrected downwards: shown as lower than last time, not blocking.
  wb.getSheet("Villa")!.setCell(2, 1, { value: 250, formula: "=Records!Z2*1" });
  await t.controller.startAnother();
  await t.controller.choosePeriod("2026-10-05");
  const diff = t.store.state.diff.status === "ready" ? t.store.state.diff.value : undefined;
  expect(diff?.rows.map((r) => [r.entry, r.path, r.previous, r.next])).toEqual([
    [VILLA, "income.rentIncome.rentAmount", 240000, 480000],
    [VILLA, "expenses.repairsAndMaintenance", 30000, 25000],
  ]);
  expect(diff?.warnings).toEqual([expect.objectContaining({ entry: VILLA, address: "Villa!B3:C3" })]);
  expect(reviewOf(t.store.state).canSubmit).toBe(true);
});

test("a trade kept in ledger mode: figures from MTD_Ledger with the counts, progress shown while reading", async () => {
  const wb = ledgerWorkbook([
    ["2026-04-10", 100.1, "Sales", "shop"],
    ["2026-06-30", 50, "Stock", "shop"],
    ["2026-07-06", 999, "Sales", "shop"],
    ["2026-05-01", 70, "Rent received", "UK property"],
  ]);
  await wb.writeSettings({ "alias.shop": SE_ID, [`business.${SE_ID}.mode`]: "ledger" });
  const t = setup(wb);
  await toReview(t, "2026-07-05", SE_ID);
  const review = reviewOf(t.store.state);
  expect(review.mode).toBe("ledger");
  expect(review.rows.map((r) => [r.path, r.pence, r.address])).toEqual([
    ["periodIncome.turnover", 10010, "MTD_Ledger (1 transaction)"],
    ["periodExpenses.costOfGoods", 5000, "MTD_Ledger (1 transaction)"],
  ]);
  expect(review.ledger).toMatchObject({ used: 2, afterPeriod: 1, otherBusinesses: 1 });
  expect(t.progress.some((p) => /^Read \d+ of 4 transactions…$/.test(p))).toBe(true);
  expect(t.store.state.reviewProgress).toBeUndefined();
});

test("a session that ends while the figures step asks HMRC for the properties turns the pane back to Connect", async () => {
  const wb = namedWorkbook("Villa", { "MTD.FP.villa.income.rentIncome.rentAmount": [2400, 0, 0, 0] }, { "alias.villa": VILLA });
  const t = setup(wb);
  t.relay.answer = (r) => (r.path.includes("/details/2026-27") ? { status: 401, body: { code: "RELAY_SESSION_EXPIRED", message: "Your session has ended." } } : undefined);
  await t.controller.start();
  await t.controller.connect();
  await t.controller.saveTaxpayer("aa 12 34 56 a", "2026-27");
  await t.controller.chooseBusiness(FP_ID);
  expect(t.store.state.mapping.confirmed).toBe(false);
  expect(t.store.state.connection).toMatchObject({ status: "disconnected", error: expect.stringMatching(/session has ended/) });
});
