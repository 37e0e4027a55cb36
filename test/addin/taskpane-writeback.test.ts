/**
 * The task pane's write-back and comparison in Node: the diff against the last submission in the review step,
 * the Obligations sheet after a send, and "Get my tax estimate" (trigger → bounded polling → disclaimer → sheet).
 */
import { TaskpaneController } from "../../src/addin/taskpane/controller";
import { RETRIEVE_WAITS_MS } from "../../src/addin/taskpane/estimate";
import { initialState, type AppState } from "../../src/addin/taskpane/state";
import { Store } from "../../src/addin/taskpane/store";
import { RelayClient } from "../../src/addin/relay-client";
import { SessionStore } from "../../src/addin/session-store";
import type { CalculationRetrieveResponse, IsoDate, TaxYear } from "../../src/mtd";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { OBLIGATIONS_SHEET, TAX_ESTIMATE_SHEET } from "../../src/workbook/result-sheets";
import { FakeDialogHost, sidOf } from "./fake-dialogs";
import { BUSINESS_ID, FakeRelay, NINO, type RecordedRequest } from "./fake-relay";
import { rowsOf, toReview } from "./taskpane-journey";

const ORIGIN = "https://mtd.example";
const TODAY = "2026-11-21" as IsoDate;
const CUMULATIVE = `/api/hmrc/individuals/business/property/uk/${NINO}/${BUSINESS_ID}/cumulative/2026-27`;
const CALC_ID = "717f3a7a-db8e-11e9-8a34-2a2ae2dbcce4";

function landlordWorkbook(): InMemoryWorkbook {
  const wb = new InMemoryWorkbook();
  const ws = wb.addSheet("Property");
  const rows: Array<[string, number[]]> = [
    ["income.periodAmount", [3000, 3100.5, 3200, 3300]],
    ["expenses.repairsAndMaintenance", [400, -100, 0, 0]],
  ];
  rows.forEach(([path, quarters], i) => {
    ws.enter(4 + i, 1, path);
    quarters.forEach((v, q) => ws.enter(4 + i, 2 + q, v));
    wb.defineName(`MTD.UKP.${path}`, `=Property!$C$${5 + i}:$F$${5 + i}`);
  });
  return wb;
}

function setup() {
  const relay = new FakeRelay();
  const session = new SessionStore(undefined, undefined, () => new Date("2026-11-21T10:00:00Z"));
  const client = new RelayClient({ fetch: relay.fetch, sessionToken: () => session.token });
  const dialogs = new FakeDialogHost();
  dialogs.script = (d) => d.send(JSON.stringify({ ok: true, sid: sidOf(d.url) }), ORIGIN);
  const store = new Store<AppState>(initialState("2026-27" as TaxYear));
  const workbook = landlordWorkbook();
  const waits: number[] = [];
  const controller = new TaskpaneController(store, {
    relay: client,
    session,
    workbook,
    dialogs,
    origin: ORIGIN,
    today: () => TODAY,
    announce: () => undefined,
    wait: async (ms) => {
      waits.push(ms);
    },
  });
  // HMRC's cumulative GET answers with the last body it accepted (404 before the first).
  relay.answer = (r: RecordedRequest) =>
    r.method === "GET" && r.path === CUMULATIVE
      ? relay.submitted.length === 0
        ? { status: 404, body: { code: "MATCHING_RESOURCE_NOT_FOUND", message: "Matching resource not found" } }
        : { status: 200, body: { submittedOn: "2026-08-01T10:00:00.000Z", ...(relay.submitted[relay.submitted.length - 1] as object) } }
      : undefined;
  return { relay, store, controller, workbook, waits };
}



describe("review: the diff against the last submission", () => {
  it("says it is the first update when HMRC holds none for the year", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    expect(t.store.state.diff).toEqual({ status: "ready", value: undefined });
  });

  it("lists previous, new, change and cell for each field, and warns (without blocking) on a lower figure", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    await t.controller.submit();
    await t.controller.startAnother();
    await t.controller.choosePeriod("2026-10-05");
    const diff = t.store.state.diff.status === "ready" ? t.store.state.diff.value : undefined;
    expect(diff?.rows.map((r) => [r.path, r.previous, r.next, r.change, r.source])).toEqual([
      ["income.periodAmount", 300000, 610050, 310050, "Property!C5:D5"],
      ["expenses.repairsAndMaintenance", 40000, 30000, -10000, "Property!C6:D6"],
    ]);
    expect(diff?.previousToDate).toBe("2026-07-05");
    expect(diff?.warnings.map((w) => w.address)).toEqual(["Property!C6:D6"]);
    const review = t.store.state.review.status === "ready" ? t.store.state.review.value : undefined;
    expect(review?.canSubmit).toBe(true);
  });

  it("a failed comparison is shown as a warning and leaves the review usable", async () => {
    const t = setup();
    t.relay.answer = (r) => (r.method === "GET" && r.path === CUMULATIVE ? { status: 500, body: { code: "INTERNAL_SERVER_ERROR", message: "An internal server error occurred" } } : undefined);
    await toReview(t, "2026-07-05");
    expect(t.store.state.diff.status).toBe("error");
    expect(t.store.state.review.status === "ready" && t.store.state.review.value.canSubmit).toBe(true);
  });
});

describe("after a send: the Obligations sheet", () => {
  it("fetches every business's obligations for the year and writes them with their status", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    await t.controller.submit();
    const sub = t.store.state.submission;
    expect(sub.status === "done" && sub.steps.filter((s) => s.id.startsWith("obligations")).map((s) => s.state)).toEqual(["done", "done"]);
    const all = t.relay.hmrcCalls("GET").filter((r) => r.path.includes("/obligations/")).pop()!;
    expect(Object.fromEntries(all.query)).toEqual({ fromDate: "2026-04-06", toDate: "2027-04-05" });
    const rows = rowsOf(t.workbook, OBLIGATIONS_SHEET);
    const header = rows.find((r) => r.includes("Status"))!;
    const data = rows.slice(rows.indexOf(header) + 1);
    // Both of the fake taxpayer's businesses (its HMRC does not mark periods fulfilled), in HMRC's order.
    const table = data.map((r) => [r[header.indexOf("Business ID")], r[header.indexOf("Period end")], r[header.indexOf("Status")]]);
    expect(table).toEqual(
      ["XBIS12345678901", BUSINESS_ID].flatMap((id) => [
        [id, "2026-07-05", "overdue"],
        [id, "2026-10-05", "overdue"],
        [id, "2027-01-05", "open"],
      ]),
    );
  });

  it("refreshes HMRC's records without sending: every business's deadlines and income summaries", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    await t.controller.submit();
    t.workbook.deleteSheet(OBLIGATIONS_SHEET);
    const putsBefore = t.relay.hmrcCalls("PUT").length;
    t.controller.changePeriod();
    await t.controller.refreshRecords();
    expect(t.store.state.records).toEqual({ status: "done", message: expect.stringMatching(/MTD Obligations and MTD BISS sheets now show HMRC's records for 2026-27/) });
    expect(t.relay.hmrcCalls("PUT")).toHaveLength(putsBefore); // nothing sent
    const biss = t.relay.hmrcCalls("GET").filter((r) => r.path.includes("/income-summary/")).slice(-2).map((r) => r.path);
    expect(biss).toEqual([expect.stringContaining("/self-employment/2026-27/XBIS12345678901"), expect.stringContaining(`/uk-property/2026-27/${BUSINESS_ID}`)]);
    expect(rowsOf(t.workbook, OBLIGATIONS_SHEET).length).toBeGreaterThan(6);
  });

  it("a failed refresh says so and leaves the sheets as they were", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    t.relay.answer = (r) => (r.path.includes("/obligations/") ? { status: 500, body: { code: "INTERNAL_SERVER_ERROR", message: "boom" } } : undefined);
    await t.controller.refreshRecords();
    expect(t.store.state.records).toMatchObject({ status: "error", message: expect.stringMatching(/^HMRC's records were not refreshed/) });
    expect(t.workbook.getSheet(OBLIGATIONS_SHEET)).toBeUndefined();
  });
});

const calculation: CalculationRetrieveResponse = {
  metadata: { calculationId: CALC_ID, taxYear: "2026-27", calculationType: "in-year", calculationTimestamp: "2026-11-21T10:00:05.000Z", periodFrom: "2026-04-06", periodTo: "2027-04-05" },
  inputs: { incomeSources: { businessIncomeSources: [{ incomeSourceId: BUSINESS_ID, latestPeriodEndDate: "2026-07-05" }] } },
  calculation: {
    taxCalculation: {
      incomeTax: { totalIncomeReceivedFromAllSources: 2600, totalAllowancesAndDeductions: 2600, totalTaxableIncome: 0, totalIncomeTaxDue: 0 },
      totalIncomeTaxAndNicsDue: 0,
    },
  },
};

describe("Get my tax estimate", () => {
  function answerCalculation(t: ReturnType<typeof setup>, notReadyTimes: number) {
    let retrieves = 0;
    t.relay.answer = (r) => {
      if (r.method === "POST" && r.path.endsWith("/trigger/in-year")) return { status: 202, body: { calculationId: CALC_ID } };
      if (r.method === "GET" && r.path.endsWith(`/self-assessment/2026-27/${CALC_ID}`)) {
        retrieves += 1;
        return retrieves <= notReadyTimes ? { status: 404, body: { code: "MATCHING_RESOURCE_NOT_FOUND", message: "Matching resource not found" } } : { status: 200, body: calculation };
      }
      return undefined;
    };
  }

  it("triggers in-year, waits 5 s before the first retrieve, backs off while HMRC answers 404, then writes the sheet", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    answerCalculation(t, 2);
    let disclaimerBeforeSheet = false;
    const write = t.workbook.writeSheet.bind(t.workbook);
    t.workbook.writeSheet = async (sheet) => {
      if (sheet.name === TAX_ESTIMATE_SHEET) disclaimerBeforeSheet = t.store.state.estimate.status === "ready";
      return write(sheet);
    };
    await t.controller.getTaxEstimate();
    expect(t.relay.hmrcCalls("POST").map((r) => r.path)).toEqual([`/api/hmrc/individuals/calculations/${NINO}/self-assessment/2026-27/trigger/in-year`]);
    expect(t.waits).toEqual(RETRIEVE_WAITS_MS.slice(0, 3));
    expect(t.waits[0]).toBeGreaterThanOrEqual(5000);
    expect(disclaimerBeforeSheet).toBe(true);
    const state = t.store.state.estimate;
    expect(state.status === "ready" && state.disclaimer).toMatch(/^This is an estimate\. .* to 2026-07-05\./);
    expect(rowsOf(t.workbook, TAX_ESTIMATE_SHEET)[0]![0]).toMatch(/^This is an estimate\./);
  });

  it("gives up after a bounded number of retrieves with a plain message", async () => {
    const t = setup();
    await toReview(t, "2026-07-05");
    answerCalculation(t, Infinity);
    await t.controller.getTaxEstimate();
    expect(t.waits).toHaveLength(RETRIEVE_WAITS_MS.length);
    expect(t.store.state.estimate).toEqual({ status: "error", message: expect.stringMatching(/not finished your tax estimate yet/) });
    expect(t.workbook.getSheet(TAX_ESTIMATE_SHEET)).toBeUndefined();
  });
});
