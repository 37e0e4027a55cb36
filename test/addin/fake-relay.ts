/**
 * A `fetch` that plays the relay of src/mtd/relay-api.ts (and an HMRC behind it) for the task pane's Node
 * tests: connect flow with a real SHA-256 challenge check, bearer sessions, business list, obligations, the
 * cumulative PUT (recording what arrived), receipts and a BISS computed from what was sent.
 */
import { createHash } from "node:crypto";
import type { IdentityInfo, Receipt } from "../../src/mtd";

export const NINO = "AA123456A";
export const BUSINESS_ID = "XPIS12345678901";

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const CUMULATIVE = /^\/individuals\/business\/(self-employment|property\/uk|property\/foreign)\/([^/]+)\/([^/]+)\/cumulative\/([^/]+)$/;
const ENDPOINTS: Readonly<Record<string, string>> = {
  "self-employment": "self-employment.cumulative.amend",
  "property/uk": "property.uk.cumulative.amend",
  "property/foreign": "property.foreign.cumulative.amend",
};

/** Income and expenses (pounds) of a cumulative body of any type, summed in pence: what a BISS would show. */
function totals(body: unknown): { income: number; expenses: number } {
  let income = 0;
  let expenses = 0;
  const walk = (o: unknown, section: "income" | "expenses" | undefined): void => {
    if (Array.isArray(o)) return o.forEach((x) => walk(x, section));
    if (typeof o !== "object" || o === null) return;
    for (const [k, v] of Object.entries(o)) {
      const here = /income/i.test(k) ? "income" : /expense/i.test(k) && !/disallowable/i.test(k) ? "expenses" : /disallowable|periodDates/i.test(k) ? undefined : section;
      if (typeof v === "number" && here === "income" && !/tax/i.test(k)) income += Math.round(v * 100);
      else if (typeof v === "number" && here === "expenses") expenses += Math.round(v * 100);
      else walk(v, here);
    }
  };
  walk(body, undefined);
  return { income: income / 100, expenses: expenses / 100 };
}

export class FakeRelay {
  readonly requests: RecordedRequest[] = [];
  readonly receipts: Receipt[] = [];
  /** Bodies the fake HMRC accepted for the cumulative endpoint. */
  readonly submitted: unknown[] = [];
  /** The last body accepted per business, which the cumulative retrieve and the BISS answer from. */
  readonly byBusiness = new Map<string, unknown>();
  /** Override an answer (return undefined for the default). */
  answer: (r: RecordedRequest) => Answer | undefined = () => undefined;
  obligations = [
    { periodStartDate: "2026-04-06", periodEndDate: "2026-07-05", dueDate: "2026-08-07", status: "open" },
    { periodStartDate: "2026-07-06", periodEndDate: "2026-10-05", dueDate: "2026-11-07", status: "open" },
    { periodStartDate: "2026-10-06", periodEndDate: "2027-01-05", dueDate: "2027-02-07", status: "open" },
  ];
  businesses = [
    { typeOfBusiness: "self-employment", businessId: "XBIS12345678901", tradingName: "Plastering" },
    { typeOfBusiness: "uk-property", businessId: BUSINESS_ID },
  ];
  /** GET /api/identity; set entra to play a relay in IDENTITY_MODE=entra. */
  identity: IdentityInfo = { mode: "local" };
  /** Entra mode: the Microsoft access tokens the relay accepts (anything else is 401 RELAY_NOT_SIGNED_IN). */
  readonly microsoftTokens = new Set<string>();
  /** Entra mode: Microsoft's signing keys cannot be fetched (503 RELAY_SIGN_IN_UNAVAILABLE). */
  signInUnavailable = false;
  /** Entra mode: the signed-in person's HMRC grant is linked. */
  linked = false;
  private pending = new Map<string, string>();
  private sessions = new Set<string>();
  private correlation = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), "http://relay.test");
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const request: RecordedRequest = {
      method: init?.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers,
      body: typeof init?.body === "string" ? (JSON.parse(init.body) as unknown) : undefined,
    };
    this.requests.push(request);
    const a = this.answer(request) ?? this.route(request);
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), {
      status: a.status,
      headers: { "content-type": "application/json", ...(a.headers ?? {}) },
    });
  };

  /** Requests that reached "HMRC" (the /api/hmrc forwarder). */
  hmrcCalls(method?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith("/api/hmrc/") && (!method || r.method === method));
  }

  /** POST /api/auth/start: remembers the PKCE challenge under a new sid. */
  private startAuth(r: RecordedRequest): Answer {
    const sid = `sid-${this.pending.size + 1}-abcdefgh`;
    this.pending.set(sid, (r.body as { challenge: string }).challenge);
    return { status: 200, body: { sid, dialogUrl: `/dialog.html?sid=${sid}` } };
  }

  /** POST /api/auth/claim: the sid when its verifier matches the challenge (a real SHA-256 check), else undefined. */
  private claimedSid(r: RecordedRequest): string | undefined {
    const { sid, verifier } = r.body as { sid: string; verifier: string };
    const expected = this.pending.get(sid);
    return expected && createHash("sha256").update(verifier).digest("base64url") === expected ? sid : undefined;
  }

  private route(r: RecordedRequest): Answer {
    if (r.method === "GET" && r.path === "/api/identity") return { status: 200, body: this.identity };
    if (this.identity.mode === "entra") return this.entraRoute(r);
    if (r.method === "POST" && r.path === "/api/auth/start") return this.startAuth(r);
    if (r.method === "POST" && r.path === "/api/auth/claim") {
      const sid = this.claimedSid(r);
      if (sid === undefined) return { status: 400, body: { code: "RELAY_AUTH_FAILED", message: "no" } };
      const token = `session-${sid}`;
      this.sessions.add(token);
      return { status: 200, body: { sessionToken: token, expiresAt: "2099-01-01T00:00:00.000Z" } };
    }
    const bearer = /^Bearer (.+)$/.exec(r.headers.authorization ?? "")?.[1];
    if (!bearer || !this.sessions.has(bearer)) return { status: 401, body: { code: "RELAY_SESSION_EXPIRED", message: "expired" } };
    if (r.path === "/api/session") return { status: 200, body: { connected: true, userId: "u1", expiresAt: "2099-01-01T00:00:00.000Z", environment: "local-sandbox" } };
    if (r.path === "/api/auth/disconnect") {
      this.sessions.delete(bearer);
      return { status: 204 };
    }
    return this.hmrcRoute(r);
  }

  /** The relay in entra mode: every call needs an accepted Microsoft token; claim links the grant and answers 204. */
  private entraRoute(r: RecordedRequest): Answer {
    const bearer = /^Bearer (.+)$/.exec(r.headers.authorization ?? "")?.[1];
    if (this.signInUnavailable) return { status: 503, body: { code: "RELAY_SIGN_IN_UNAVAILABLE", message: "keys unavailable" } };
    if (!bearer || !this.microsoftTokens.has(bearer)) return { status: 401, body: { code: "RELAY_NOT_SIGNED_IN", message: "not signed in" } };
    if (r.method === "POST" && r.path === "/api/auth/start") return this.startAuth(r);
    if (r.method === "POST" && r.path === "/api/auth/claim") {
      if (this.claimedSid(r) === undefined) return { status: 400, body: { code: "RELAY_AUTH_FAILED", message: "no" } };
      this.linked = true;
      return { status: 204 };
    }
    if (r.path === "/api/session") {
      return { status: 200, body: { connected: this.linked, userId: "entra:t:o", expiresAt: "2099-01-01T00:00:00.000Z", environment: "local-sandbox", identity: "entra" } };
    }
    if (r.path === "/api/auth/disconnect") {
      this.linked = false;
      return { status: 204 };
    }
    if (!this.linked) return { status: 401, body: { code: "RELAY_NOT_CONNECTED", message: "not connected" } };
    return this.hmrcRoute(r);
  }

  private hmrcRoute(r: RecordedRequest): Answer {
    if (r.path.startsWith("/api/receipts/")) {
      const receipt = this.receipts.find((x) => x.id === decodeURIComponent(r.path.slice("/api/receipts/".length)));
      return receipt ? { status: 200, body: receipt } : { status: 404, body: { code: "MATCHING_RESOURCE_NOT_FOUND", message: "none" } };
    }
    if (r.path === "/api/receipts") return { status: 200, body: { receipts: this.receipts } };
    const hmrc = r.path.slice("/api/hmrc".length);
    const corr = { "x-correlationid": `corr-${++this.correlation}` };
    if (hmrc === `/individuals/business/details/${NINO}/list`) return { status: 200, headers: corr, body: { listOfBusinesses: this.businesses } };
    if (hmrc === `/obligations/details/${NINO}/income-and-expenditure`) {
      const wanted = r.query.get("businessId");
      const groups = this.businesses
        .filter((b) => wanted === null || b.businessId === wanted)
        .map((b) => ({ typeOfBusiness: b.typeOfBusiness, businessId: b.businessId, obligationDetails: this.obligations }));
      return { status: 200, headers: corr, body: { obligations: groups } };
    }
    const put = CUMULATIVE.exec(hmrc);
    if (put && r.method === "PUT") {
      const [, kind, , businessId, taxYear] = put;
      this.submitted.push(r.body);
      this.byBusiness.set(businessId!, r.body);
      const body = r.body as { fromDate?: string; toDate?: string; periodDates?: { periodStartDate?: string; periodEndDate?: string } };
      const id = `receipt-${this.receipts.length + 1}`;
      this.receipts.push({
        id,
        receivedAt: new Date(Date.UTC(2026, 10, 21, 10, this.receipts.length)).toISOString(),
        userId: "u1",
        nino: "AA****56A",
        businessId: businessId!,
        endpointId: ENDPOINTS[kind!]!,
        method: "PUT",
        path: hmrc,
        taxYear: taxYear!,
        periodStart: body.fromDate ?? body.periodDates?.periodStartDate ?? null,
        periodEnd: body.toDate ?? body.periodDates?.periodEndDate ?? null,
        bodySha256: "ab".repeat(32),
        status: 204,
        correlationId: corr["x-correlationid"],
        hmrcReference: null,
      });
      return { status: 204, headers: { ...corr, "x-mtd-receipt-id": id } };
    }
    if (put && r.method === "GET") {
      const last = this.byBusiness.get(put[3]!);
      return last ? { status: 200, headers: corr, body: { submittedOn: "2026-08-01T10:00:00.000Z", ...(last as object) } } : { status: 404, body: { code: "MATCHING_RESOURCE_NOT_FOUND", message: "Matching resource not found" } };
    }
    const biss = new RegExp(`^/individuals/self-assessment/income-summary/${NINO}/([a-z-]+)/([^/]+)/([^/]+)$`).exec(hmrc);
    if (biss) {
      const last = this.byBusiness.get(biss[3]!);
      // As HMRC's BISS 3.0 answers for a business with no quarterly update in the year.
      if (!last) return { status: 400, body: { code: "RULE_NO_INCOME_SUBMISSIONS_EXIST", message: "No income submissions exist" } };
      const { income, expenses } = totals(last);
      return { status: 200, headers: corr, body: { total: { income, expenses }, profit: { net: Math.max(0, income - expenses), taxable: Math.max(0, income - expenses) }, loss: { net: 0, taxable: 0 } } };
    }
    return { status: 404, body: { code: "MATCHING_RESOURCE_NOT_FOUND", message: "Matching resource not found" } };
  }
}
