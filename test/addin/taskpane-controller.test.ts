/**
 * The task pane's whole journey in Node: the real controller, relay client, review and submit code over an
 * in-memory workbook, a fake Office dialog and a fake relay. What the browser test proves with pixels this
 * proves with state: connect → NINO → business → period → review → send → sheets written.
 */
import { TaskpaneController } from "../../src/addin/taskpane/controller";
import { initialState, type AppState } from "../../src/addin/taskpane/state";
import { Store } from "../../src/addin/taskpane/store";
import { RelayClient } from "../../src/addin/relay-client";
import { SessionStore } from "../../src/addin/session-store";
import type { IsoDate, TaxYear } from "../../src/mtd";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { BISS_SHEET, RECEIPTS_SHEET } from "../../src/workbook/result-sheets";
import { FakeDialogHost, sidOf } from "./fake-dialogs";
import { BUSINESS_ID, FakeRelay, NINO } from "./fake-relay";
import { rowsOf, tableOf, toReview } from "./taskpane-journey";

const ORIGIN = "https://mtd.example";
const TODAY = "2026-11-21" as IsoDate;

/** A landlord's sheet: quarters 1-4 in C:F, named as the workbook contract says. */
function landlordWorkbook(): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  const ws = wb.addSheet("Property");
  const rows: Array<[string, number[]]> = [
    ["income.periodAmount", [3000, 3100.5, 3200, 3300]],
    ["expenses.premisesRunningCosts", [250.25, 260, 270, 280]],
    ["expenses.repairsAndMaintenance", [400, 0, 120.1, 0]],
    ["expenses.residentialFinancialCost", [900, 900, 900, 900]],
  ];
  rows.forEach(([path, quarters], i) => {
    ws.enter(4 + i, 1, path);
    quarters.forEach((v, q) => ws.enter(4 + i, 2 + q, v));
    wb.defineName(`MTD.UKP.${path}`, `=Property!$C$${5 + i}:$F$${5 + i}`);
  });
  return wb;
}

function setup(workbook = landlordWorkbook()) {
  const relay = new FakeRelay();
  const session = new SessionStore(undefined, undefined, () => new Date("2026-11-21T10:00:00Z"));
  const client = new RelayClient({ fetch: relay.fetch, sessionToken: () => session.token });
  const dialogs = new FakeDialogHost();
  dialogs.script = (d) => d.send(JSON.stringify({ ok: true, sid: sidOf(d.url) }), ORIGIN);
  const store = new Store<AppState>(initialState("2026-27" as TaxYear));
  const announcements: string[] = [];
  const controller = new TaskpaneController(store, {
    relay: client,
    session,
    workbook,
    dialogs,
    origin: ORIGIN,
    today: () => TODAY,
    announce: (m) => announcements.push(m),
  });
  return { relay, session, dialogs, store, controller, workbook, announcements };
}



describe("the task pane journey", () => {
  it("connects, saves the NINO in the workbook, finds the business and its open periods", async () => {
    const t = setup();
    await t.controller.start();
    expect(t.store.state.connection.status).toBe("disconnected");
    expect(t.store.state.taxpayer).toMatchObject({ editing: true, taxYear: "2026-27" });

    await t.controller.connect();
    expect(t.store.state.connection).toMatchObject({ status: "connected", environment: "local-sandbox" });
    expect(t.session.token).toMatch(/^session-/);

    await t.controller.saveTaxpayer("aa 12 34 56 a", "2026-27");
    expect(await t.workbook.readSettings()).toMatchObject({ nino: NINO, taxYear: "2026-27" });
    // A trade and a UK property business: the person chooses; trades are listed first.
    expect(t.store.state.businessId).toBeUndefined();
    const listed = t.store.state.businesses.status === "ready" ? t.store.state.businesses.value : [];
    expect(listed.map((b) => b.typeOfBusiness)).toEqual(["self-employment", "uk-property"]);
    await t.controller.chooseBusiness(BUSINESS_ID);
    expect(await t.workbook.readSettings()).toMatchObject({ businessId: BUSINESS_ID });
    const periods = t.store.state.periods.status === "ready" ? t.store.state.periods.value : [];
    expect(periods.map((p) => [p.end, p.overdue, p.canSubmit])).toEqual([
      ["2026-07-05", true, true],
      ["2026-10-05", true, true],
      ["2027-01-05", false, false],
    ]);
    const obligations = t.relay.hmrcCalls("GET").find((r) => r.path.includes("/obligations/"))!;
    expect(Object.fromEntries(obligations.query)).toEqual({ typeOfBusiness: "uk-property", businessId: BUSINESS_ID, fromDate: "2026-04-06", toDate: "2027-04-05" });
    // The browser half of the fraud headers would ride on every HMRC call; here the client had none configured.
    expect(t.announcements.join(" ")).not.toMatch(/AA123456A/); // only the masked NINO is ever announced
  });

  it("refuses a malformed NINO without saving or calling HMRC", async () => {
    const t = setup();
    await t.controller.start();
    await t.controller.connect();
    expect(await t.controller.saveTaxpayer("QQ12345", "2026-27")).toBe(false);
    expect(t.store.state.taxpayer.error).toMatch(/National Insurance number/);
    expect(t.store.state.taxpayer.draft).toEqual({ nino: "QQ12345", taxYear: "2026-27" }); // what was typed stays in the field
    expect(await t.workbook.readSettings()).toEqual({});
    expect(t.relay.hmrcCalls()).toHaveLength(0);
  });

  it("reviews year-to-date figures for the chosen quarter with their cells", async () => {
    const t = setup();
    await toReview(t, "2026-10-05");
    const review = t.store.state.review.status === "ready" ? t.store.state.review.value : undefined;
    expect(review?.canSubmit).toBe(true);
    expect(review?.rows.map((r) => [r.path, r.pence, r.address])).toEqual([
      ["income.periodAmount", 610050, "Property!C5:D5"],
      ["expenses.premisesRunningCosts", 51025, "Property!C6:D6"],
      ["expenses.repairsAndMaintenance", 40000, "Property!C7:D7"],
      ["expenses.residentialFinancialCost", 180000, "Property!C8:D8"],
    ]);
    expect(review).toMatchObject({ fromDate: "2026-04-06", toDate: "2026-10-05" });
  });

  it("sends the update, then writes the receipt and HMRC's income summary into the workbook", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    await t.controller.submit();
    const sub = t.store.state.submission;
    expect(sub.status).toBe("done");
    expect(sub.status === "done" && sub.warnings).toEqual([]);
    expect(sub.status === "done" && sub.correlationId).toMatch(/^corr-/);
    expect(sub.status === "done" && sub.steps.every((s) => s.state === "done")).toBe(true);

    expect(t.relay.submitted).toEqual([
      {
        fromDate: "2026-04-06",
        toDate: "2026-07-05",
        ukProperty: { income: { periodAmount: 3000 }, expenses: { premisesRunningCosts: 250.25, repairsAndMaintenance: 400, residentialFinancialCost: 900 } },
      },
    ]);
    const put = t.relay.hmrcCalls("PUT")[0]!;
    expect(put.path).toBe(`/api/hmrc/individuals/business/property/uk/${NINO}/${BUSINESS_ID}/cumulative/2026-27`);

    const receipts = rowsOf(t.workbook, RECEIPTS_SHEET);
    const header = receipts.find((r) => r.includes("HMRC status"))!;
    const data = receipts.slice(receipts.indexOf(header) + 1);
    expect(data).toHaveLength(1);
    expect(data[0]![header.indexOf("HMRC status")]).toBe(204);
    expect(data[0]![header.indexOf("Business ID")]).toBe(BUSINESS_ID);

    const biss = tableOf(rowsOf(t.workbook, BISS_SHEET), "Item");
    // Only the business with figures is listed: HMRC has none for the trade (RULE_NO_INCOME_SUBMISSIONS_EXIST).
    expect(biss.map((r) => r["Business ID"])).toEqual(Array(6).fill(BUSINESS_ID));
    expect(biss.find((r) => r.Item === "Income")?.["Amount (£)"]).toBe(3000);
    expect(biss.find((r) => r.Item === "Expenses")?.["Amount (£)"]).toBe(1550.25);
  });

  it("blocks sending while a mapped cell holds text, naming the cell, and sends nothing", async () => {
    const wb = landlordWorkbook();
    wb.enterAt("Property!C6", "two hundred");
    const t = setup(wb);
    await toReview(t, "2026-07-05");
    const review = t.store.state.review.status === "ready" ? t.store.state.review.value : undefined;
    expect(review?.canSubmit).toBe(false);
    expect(review?.problems.filter((p) => p.severity === "error")).toEqual([expect.objectContaining({ address: "Property!C6", message: expect.stringMatching(/two hundred/) as unknown })]);
    // The quarters were typed in, not linked by formula: one calm digital-links warning lists them.
    const warnings = review?.problems.filter((p) => p.severity === "warning") ?? [];
    expect(warnings.map((p) => p.address)).toEqual(["Property!C5"]);
    expect(warnings[0]?.message).toMatch(/^3 cells on Property hold typed numbers \(C5, C7, C8\) rather than formulas/);
    await t.controller.submit();
    expect(t.store.state.submission).toMatchObject({ status: "error", message: expect.stringMatching(/Nothing was sent/) as unknown });
    expect(t.relay.hmrcCalls("PUT")).toHaveLength(0);
    expect(t.workbook.getSheet(RECEIPTS_SHEET)).toBeUndefined();
  });

  it("re-reads the workbook at send time: a cell broken after the review stops the send", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    expect(t.store.state.review.status === "ready" && t.store.state.review.value.canSubmit).toBe(true);
    t.workbook.enterAt("Property!C5", "#REF!");
    await t.controller.submit();
    expect(t.store.state.submission.status).toBe("error");
    expect(t.relay.hmrcCalls("PUT")).toHaveLength(0);
  });

  it("shows HMRC's refusal against the cells it concerns", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    t.relay.answer = (r) =>
      r.method === "PUT"
        ? {
            status: 400,
            headers: { "x-correlationid": "corr-refused" },
            body: { code: "RULE_SUBMISSION_END_DATE_CANNOT_MOVE_BACKWARDS", message: "x", paths: ["/ukProperty/income/periodAmount"] },
          }
        : undefined;
    await t.controller.submit();
    const sub = t.store.state.submission;
    expect(sub).toMatchObject({ status: "error", correlationId: "corr-refused" });
    expect(sub.status === "error" && sub.errors).toEqual([
      { message: expect.stringMatching(/already sent an update to a later date/) as unknown, cells: ["Property!C5"], fields: [expect.any(String) as unknown] },
    ]);
    expect(t.workbook.getSheet(RECEIPTS_SHEET)).toBeUndefined();
  });

  it("keeps the success when a record cannot be written afterwards, and says so", async () => {
    const wb = landlordWorkbook();
    wb.addSheet("MTD BISS"); // the user's own sheet of that name: never overwritten
    const t = setup(wb);
    await toReview(t, "2026-07-05");
    await t.controller.submit();
    const sub = t.store.state.submission;
    expect(sub.status).toBe("done");
    expect(sub.status === "done" && sub.warnings).toEqual([expect.stringMatching(/MTD BISS sheet could not be written.*did not create/)]);
    expect(t.relay.hmrcCalls("PUT")).toHaveLength(1);
  });

  it("flips back to Connect when the relay session has ended", async () => {
    const t = setup();
    await t.controller.start();
    await t.controller.connect();
    t.relay.answer = (r) => (r.path.startsWith("/api/hmrc/") ? { status: 401, body: { code: "RELAY_SESSION_EXPIRED", message: "expired" } } : undefined);
    await t.controller.saveTaxpayer("AA123456A", "2026-27");
    expect(t.store.state.connection).toMatchObject({ status: "disconnected", error: expect.stringMatching(/session has ended/) as unknown });
    expect(t.session.token).toBeUndefined();
  });

  it("chooses the only business without asking", async () => {
    const t = setup();
    t.relay.businesses = t.relay.businesses.filter((b) => b.businessId === BUSINESS_ID);
    await t.controller.start();
    await t.controller.connect();
    await t.controller.saveTaxpayer("aa 12 34 56 a", "2026-27");
    expect(t.store.state.businessId).toBe(BUSINESS_ID);
    expect(t.store.state.periods.status).toBe("ready");
  });

  it("remembers the NINO and business from the workbook on the next start (also where the first version kept it)", async () => {
    const legacy = landlordWorkbook();
    await legacy.writeSettings({ nino: NINO, taxYear: "2025-26", "ukProperty.businessId": BUSINESS_ID });
    const old = setup(legacy);
    await old.controller.start();
    expect(old.store.state.businessId).toBe(BUSINESS_ID);
    const wb = landlordWorkbook();
    await wb.writeSettings({ nino: NINO, taxYear: "2025-26", businessId: BUSINESS_ID });
    const t = setup(wb);
    await t.controller.start();
    expect(t.store.state.taxpayer).toMatchObject({ nino: NINO, taxYear: "2025-26", editing: false });
    expect(t.store.state.businessId).toBe(BUSINESS_ID);
  });
});
