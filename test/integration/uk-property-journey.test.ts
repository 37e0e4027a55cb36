/**
 * The walking skeleton's spine over loopback: relay + local HMRC sandbox, driven as the task pane drives
 * them — connect through the OAuth dialog flow, list businesses, read obligations, submit a UK property
 * cumulative update built by mtd, read the receipt and the BISS back, and see the obligation fulfilled.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  buildUkPropertyCumulative,
  quarterOf,
  validateUkPropertyCumulative,
  type BissResponse,
  type BusinessListResponse,
  type ObligationsResponse,
  type Pence,
  type Receipt,
  type TaxYear,
} from "../../src/mtd";
import { BROWSER_HEADERS, startLoopback, type Loopback } from "../support/loopback";

const NINO = "AA123456A";
const TAX_YEAR = "2025-26" as TaxYear;

const base64url = (b: Buffer) => b.toString("base64url");

let loop: Loopback;
let session: string;

beforeAll(async () => {
  // The sandbox's clock sits in November 2025, so 2025-26's first two quarters have ended.
  loop = await startLoopback({ sandbox: { now: () => new Date("2025-11-20T10:00:00Z") } });
});

afterAll(async () => {
  await loop?.close();
});

async function relay(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${loop.relayUrl}${path}`, {
    ...init,
    redirect: "manual",
    headers: { ...(session ? { Authorization: `Bearer ${session}` } : {}), ...BROWSER_HEADERS, ...(init.headers as Record<string, string>) },
  });
}

test("connects to HMRC through the dialog flow and claims a relay session", async () => {
  const verifier = base64url(randomBytes(32));
  const challenge = base64url(createHash("sha256").update(verifier).digest());
  const start = await relay("/api/auth/start", { method: "POST", body: JSON.stringify({ challenge }), headers: { "Content-Type": "application/json" } });
  expect(start.status).toBe(200);
  const { sid, dialogUrl } = (await start.json()) as { sid: string; dialogUrl: string };
  expect(dialogUrl).toBe(`/dialog.html?sid=${encodeURIComponent(sid)}`);

  // The dialog page navigates to /auth/start, which sends it to HMRC's sign-in page.
  const toHmrc = await relay(`/auth/start?sid=${encodeURIComponent(sid)}`);
  expect(toHmrc.status).toBe(302);
  const authorize = new URL(toHmrc.headers.get("location")!);
  expect(authorize.origin).toBe(loop.sandbox.url);
  expect(authorize.pathname).toBe("/oauth/authorize");

  // The user grants authority on the sandbox's sign-in page.
  const signIn = await fetch(authorize);
  expect(signIn.status).toBe(200);
  const form = new URLSearchParams(authorize.searchParams);
  form.set("nino", NINO);
  form.set("action", "grant");
  const granted = await fetch(`${loop.sandbox.url}/oauth/authorize`, { method: "POST", body: form, redirect: "manual" });
  expect(granted.status).toBe(302);
  const callback = new URL(granted.headers.get("location")!);
  expect(callback.origin).toBe(loop.relayUrl);

  // HMRC sends the browser back to the relay, which exchanges the code and returns the dialog to our page.
  const back = await fetch(callback, { redirect: "manual" });
  expect(back.status).toBe(302);
  const done = new URL(back.headers.get("location")!, loop.relayUrl);
  expect(done.pathname).toBe("/dialog.html");
  expect(done.searchParams.get("result")).toBe("ok");

  const claim = await relay("/api/auth/claim", { method: "POST", body: JSON.stringify({ sid, verifier }), headers: { "Content-Type": "application/json" } });
  expect(claim.status).toBe(200);
  const claimed = (await claim.json()) as { sessionToken: string };
  session = claimed.sessionToken;
  const info = await relay("/api/session");
  expect(await info.json()).toMatchObject({ connected: true, environment: "local-sandbox" });
});

test("submits a UK property cumulative update and reads HMRC's answers back", async () => {
  const list = await relay(`/api/hmrc/individuals/business/details/${NINO}/list`);
  expect(list.status).toBe(200);
  expect(list.headers.get("x-correlationid")).toMatch(/^[0-9a-f-]{36}$/);
  const businesses = (await list.json()) as BusinessListResponse;
  const property = businesses.listOfBusinesses.find((b) => b.typeOfBusiness === "uk-property");
  expect(property).toBeDefined();
  const businessId = property!.businessId;

  const obligationsPath = `/api/hmrc/obligations/details/${NINO}/income-and-expenditure?typeOfBusiness=uk-property&businessId=${businessId}&fromDate=2025-04-06&toDate=2026-04-05`;
  const before = (await (await relay(obligationsPath)).json()) as ObligationsResponse;
  const q1 = quarterOf(TAX_YEAR, "standard", 1);
  const openQ1 = before.obligations[0]!.obligationDetails.find((o) => o.periodEndDate === q1.end);
  expect(openQ1).toMatchObject({ status: "open", periodStartDate: q1.cumulativeStart, dueDate: q1.due });

  const amounts = new Map<string, Pence>([
    ["income.periodAmount", 1_245_000 as Pence], // £12,450.00 rent
    ["income.otherIncome", 32_050 as Pence], // £320.50
    ["expenses.repairsAndMaintenance", 81_299 as Pence], // £812.99
    ["expenses.premisesRunningCosts", 40_000 as Pence], // £400.00
    ["expenses.residentialFinancialCost", 210_000 as Pence], // £2,100.00, a tax reduction, not an expense in BISS
  ]);
  const body = buildUkPropertyCumulative({ fromDate: q1.cumulativeStart, toDate: q1.end, amounts });
  expect(validateUkPropertyCumulative(body)).toEqual([]);
  const sent = JSON.stringify(body);

  const put = await relay(`/api/hmrc/individuals/business/property/uk/${NINO}/${businessId}/cumulative/${TAX_YEAR}`, {
    method: "PUT",
    body: sent,
    headers: { "Content-Type": "application/json" },
  });
  expect(put.status).toBe(204);
  const receiptId = put.headers.get("x-mtd-receipt-id");
  expect(receiptId).toBeTruthy();

  const receipt = (await (await relay(`/api/receipts/${receiptId}`)).json()) as Receipt;
  expect(receipt).toMatchObject({
    endpointId: "property.uk.cumulative.amend",
    businessId,
    taxYear: TAX_YEAR,
    periodStart: "2025-04-06",
    periodEnd: "2025-07-05",
    status: 204,
    bodySha256: createHash("sha256").update(sent).digest("hex"),
  });
  expect(receipt.correlationId).toMatch(/^[0-9a-f-]{36}$/);

  const stored = await relay(`/api/hmrc/individuals/business/property/uk/${NINO}/${businessId}/cumulative/${TAX_YEAR}`);
  expect(await stored.json()).toMatchObject({ fromDate: "2025-04-06", toDate: "2025-07-05", ukProperty: body.ukProperty });

  const biss = await relay(`/api/hmrc/individuals/self-assessment/income-summary/${NINO}/uk-property/${TAX_YEAR}/${businessId}`);
  expect(biss.status).toBe(200);
  // Income 12,450.00 + 320.50 = 12,770.50; expenses 812.99 + 400.00 = 1,212.99; profit 11,557.51.
  expect((await biss.json()) as BissResponse).toMatchObject({
    total: { income: 12770.5, expenses: 1212.99 },
    profit: { net: 11557.51, taxable: 11557.51 },
    loss: { net: 0, taxable: 0 },
  });

  const after = (await (await relay(obligationsPath)).json()) as ObligationsResponse;
  expect(after.obligations[0]!.obligationDetails.find((o) => o.periodEndDate === q1.end)).toMatchObject({ status: "fulfilled" });
});

test("refuses a request outside the catalogue before it reaches HMRC", async () => {
  const notListed = await relay(`/api/hmrc/oauth/token`, { method: "POST", body: "{}", headers: { "Content-Type": "application/json" } });
  expect(notListed.status).toBe(403);
  expect(await notListed.json()).toMatchObject({ code: "RELAY_ENDPOINT_NOT_ALLOWED" });
  const smuggled = await relay(`/api/hmrc/individuals/business/details/${NINO}%2F..%2F..%2Fx/list`);
  expect(smuggled.status).toBe(400);
  expect(await smuggled.json()).toMatchObject({ code: "RELAY_BAD_PARAMETER" });
  const wrongYear = await relay(`/api/hmrc/individuals/business/property/uk/${NINO}/XPIS12345678901/cumulative/2024-25`, {
    method: "PUT",
    body: "{}",
    headers: { "Content-Type": "application/json" },
  });
  expect(wrongYear.status).toBe(400);
  expect(await wrongYear.json()).toMatchObject({ code: "RELAY_TAX_YEAR_NOT_SUPPORTED" });
});
