/** Behaviour every HMRC endpoint of the sandbox shares: headers, auth, Accept versions, errors, Gov-Test-Scenario. */
import type { FastifyInstance } from "fastify";
import { ENDPOINT_DOCS } from "../../src/sandbox/generated/hmrc-docs";
import { call, clockAt, connect, inject, NINO, OTHER_NINO, paths, q1Body, sandbox, SE, UKP, type Response } from "./helpers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const VALID_BODY = q1Body({ income: { periodAmount: 100 } });

interface Target {
  id: string;
  method: "GET" | "PUT";
  url: (nino?: string) => string;
  /** HMRC's API version for the endpoint (hmrc-apis.md §1). */
  version: string;
  body?: unknown;
}

const TARGETS: Target[] = [
  { id: "business-details.list", method: "GET", url: (n) => paths.list(n), version: "2.0" },
  { id: "business-details.retrieve", method: "GET", url: (n) => paths.details(UKP, n), version: "2.0" },
  { id: "obligations.income-and-expenditure", method: "GET", url: (n) => paths.obligations("", n), version: "3.0" },
  { id: "property.uk.cumulative.amend", method: "PUT", url: (n) => paths.ukCumulative(UKP, "2025-26", n), version: "6.0", body: VALID_BODY },
  { id: "property.uk.cumulative.retrieve", method: "GET", url: (n) => paths.ukCumulative(UKP, "2025-26", n), version: "6.0" },
  { id: "biss.retrieve", method: "GET", url: (n) => paths.biss("uk-property", "2025-26", UKP, n), version: "3.0" },
];

describe("sandbox: behaviour common to HMRC endpoints", () => {
  let app: FastifyInstance;
  let token: string;
  beforeEach(async () => {
    app = sandbox(clockAt("2025-07-20T10:00:00Z"));
    token = await connect(app);
  });
  afterEach(() => app.close());

  const send = (t: Target, extra: { version?: string; scenario?: string; nino?: string; token?: string } = {}): Promise<Response> =>
    call(app, t.method, t.url(extra.nino), {
      token: extra.token ?? token,
      version: extra.version ?? t.version,
      ...(t.body !== undefined ? { body: t.body } : {}),
      ...(extra.scenario ? { scenario: extra.scenario } : {}),
    });

  it("answers /healthz", async () => {
    const res = await inject(app, { url: "/healthz" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok", service: "hmrc-sandbox" });
  });

  it("puts a fresh X-CorrelationId UUID on every response, errors and OAuth included", async () => {
    const responses = [
      await inject(app, { url: "/healthz" }),
      await inject(app, { url: "/no/such/thing" }),
      await inject(app, { url: "/oauth/authorize" }),
      await send(TARGETS[0]!),
      await send(TARGETS[0]!, { version: "1.0" }),
      await send(TARGETS[0]!, { token: "nope" }),
    ];
    const ids = responses.map((r) => r.headers["x-correlationid"]);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  describe.each(TARGETS)("$id", (t) => {
    it(`accepts exactly application/vnd.hmrc.${t.version}+json`, async () => {
      const res = await send(t);
      expect(res.statusCode).not.toBe(406);
      expect(res.headers["x-correlationid"]).toMatch(UUID);
    });

    it.each(["1.0", "2.0", "3.0", "5.0", "6.0", "8.0"].filter((v) => v !== t.version))("refuses Accept version %s with 406", async (v) => {
      const res = await send(t, { version: v });
      expect(res.statusCode).toBe(406);
      expect(res.json()).toEqual({ code: "ACCEPT_HEADER_INVALID", message: "The accept header is missing or invalid" });
    });

    it("refuses a plain JSON Accept header and checks it before the token", async () => {
      const res = await inject(app, { method: t.method, url: t.url(), headers: { accept: "application/json" } });
      expect(res.statusCode).toBe(406);
    });

    it.each([
      ["no Authorization header", {}],
      ["an unknown token", { authorization: "Bearer 0123456789abcdef0123456789abcdef" }],
      ["a non-bearer scheme", { authorization: "Basic abc" }],
    ])("answers 401 UNAUTHORIZED to %s", async (_name, auth) => {
      const res = await inject(app, { method: t.method, url: t.url(), headers: { accept: `application/vnd.hmrc.${t.version}+json`, ...auth } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: "UNAUTHORIZED", message: "Bearer token is missing or not authorized" });
    });

    it("answers 403 CLIENT_OR_AGENT_NOT_AUTHORISED for another person's NINO, with HMRC's documented message", async () => {
      const res = await send(t, { nino: OTHER_NINO });
      expect(res.statusCode).toBe(403);
      const documented = ENDPOINT_DOCS[t.id]!.errors.find((e) => e.code === "CLIENT_OR_AGENT_NOT_AUTHORISED")!;
      expect(res.json()).toEqual({ code: "CLIENT_OR_AGENT_NOT_AUTHORISED", message: documented.message });
    });

    it.each(["AA12345", "aa123456a", "QQ12345X"])("answers FORMAT_NINO for path NINO %s before the ownership check", async (nino) => {
      const res = await send(t, { nino });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: "FORMAT_NINO", message: "The provided NINO is invalid" });
    });

    it("answers an unknown Gov-Test-Scenario with RULE_INCORRECT_GOV_TEST_SCENARIO", async () => {
      const res = await send(t, { scenario: "NO_SUCH_SCENARIO" });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: "RULE_INCORRECT_GOV_TEST_SCENARIO", message: "The supplied Gov-Test-Scenario is not valid" });
    });

    it("treats STATEFUL and DYNAMIC as the stateful behaviour", async () => {
      const plain = await send(t);
      for (const scenario of ["STATEFUL", "DYNAMIC"]) {
        const res = await send(t, { scenario });
        expect(res.statusCode).toBe(plain.statusCode);
        expect(res.body).toBe(plain.body);
      }
    });
  });

  describe("Gov-Test-Scenario error simulations answer as HMRC documents them", () => {
    // Hand-copied from each endpoint's "Test data" table and the example bodies in its OpenAPI definition.
    const NOT_FOUND = [404, "MATCHING_RESOURCE_NOT_FOUND", "Matching resource not found"] as const;
    const TY_NOT_SUPPORTED = [400, "RULE_TAX_YEAR_NOT_SUPPORTED", "The tax year specified does not lie within the supported range"] as const;
    const EXPECTED: Record<string, Record<string, readonly [number, string, string]>> = {
      "business-details.list": { NOT_FOUND },
      "business-details.retrieve": { NOT_FOUND },
      "obligations.income-and-expenditure": {
        NOT_FOUND,
        INSOLVENT_TRADER: [400, "RULE_INSOLVENT_TRADER", "The remote endpoint has indicated that the Trader is insolvent"],
        NO_OBLIGATIONS_FOUND: [404, "NO_OBLIGATIONS_FOUND", "No obligations found using this filter"],
      },
      "property.uk.cumulative.amend": {
        NOT_FOUND,
        TAX_YEAR_NOT_SUPPORTED: TY_NOT_SUPPORTED,
        START_DATE_NOT_ALIGNED_TO_COMMENCEMENT_DATE: [400, "RULE_START_DATE_NOT_ALIGNED_TO_COMMENCEMENT_DATE", "Start date does not align with the commencement date"],
        END_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE: [400, "RULE_END_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE", "End date does not align with the reporting type"],
        MISSING_SUBMISSION_DATES: [400, "RULE_MISSING_SUBMISSION_DATES", "Submission start/end date not provided"],
        START_AND_END_DATE_NOT_ALLOWED: [400, "RULE_START_AND_END_DATE_NOT_ALLOWED", "Start/end date not accepted for annual/latent submission"],
        EARLY_DATA_SUBMISSION_NOT_ACCEPTED: [400, "RULE_EARLY_DATA_SUBMISSION_NOT_ACCEPTED", "Cannot submit data more than 10 days before end of period"],
        OUTSIDE_AMENDMENT_WINDOW: [400, "RULE_OUTSIDE_AMENDMENT_WINDOW", "You are outside the amendment window"],
        ADVANCE_SUBMISSION_REQUIRES_PERIOD_END_DATE: [400, "RULE_ADVANCE_SUBMISSION_REQUIRES_PERIOD_END_DATE", "For advance submission, end date must be the end of the period"],
        SUBMISSION_END_DATE_CANNOT_MOVE_BACKWARDS: [400, "RULE_SUBMISSION_END_DATE_CANNOT_MOVE_BACKWARDS", "Submission end date cannot be earlier than existing submission"],
        START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE: [400, "RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE", "Start date does not align with the reporting type"],
      },
      "property.uk.cumulative.retrieve": {
        NOT_FOUND,
        TAX_YEAR_NOT_SUPPORTED: TY_NOT_SUPPORTED,
        FOREIGN_PROPERTY: [400, "RULE_TYPE_OF_BUSINESS_INCORRECT", "The businessId is for a different type of business"],
      },
      "biss.retrieve": {
        NOT_FOUND,
        NO_INCOME_SUBMISSIONS_EXIST: [400, "RULE_NO_INCOME_SUBMISSIONS_EXIST", "No income submissions exist"],
      },
    };
    /** The documented values that simulate success rather than an error. */
    const SUCCESS: Record<string, string[]> = {
      "business-details.list": ["PROPERTY", "FOREIGN_PROPERTY", "BUSINESS_AND_PROPERTY", "UNSPECIFIED", "STATEFUL"],
      "business-details.retrieve": ["PROPERTY", "FOREIGN_PROPERTY", "UNSPECIFIED", "DYNAMIC", "STATEFUL"],
      "obligations.income-and-expenditure": ["OPEN", "FULFILLED", "DYNAMIC", "CUMULATIVE"],
      "property.uk.cumulative.amend": ["STATEFUL"],
      "property.uk.cumulative.retrieve": ["UK_PROPERTY_CONSOLIDATED", "UK_PROPERTY_FULL_EXPENSES", "STATEFUL"],
      "biss.retrieve": [],
    };

    it("covers every value of every endpoint's Test data table", () => {
      for (const t of TARGETS) {
        expect([...ENDPOINT_DOCS[t.id]!.scenarios].sort()).toEqual([...Object.keys(EXPECTED[t.id]!), ...SUCCESS[t.id]!].sort());
      }
    });

    const cases = TARGETS.flatMap((t) => Object.entries(EXPECTED[t.id]!).map(([scenario, expected]) => ({ t, scenario, expected })));
    it.each(cases)("$t.id with $scenario", async ({ t, scenario, expected: [status, code, message] }) => {
      const res = await send(t, { scenario });
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual({ code, message });
    });

    const successCases = TARGETS.flatMap((t) => SUCCESS[t.id]!.map((scenario) => ({ t, scenario })));
    it.each(successCases)("$t.id accepts the success scenario $scenario", async ({ t, scenario }) => {
      const res = await send(t, { scenario });
      expect(res.statusCode).toBeLessThan(500);
      expect(res.body ? res.json().code : undefined).not.toBe("RULE_INCORRECT_GOV_TEST_SCENARIO");
    });

    it("simulated errors change nothing", async () => {
      const put = TARGETS.find((t) => t.id === "property.uk.cumulative.amend")!;
      expect((await send(put, { scenario: "EARLY_DATA_SUBMISSION_NOT_ACCEPTED" })).statusCode).toBe(400);
      const get = await call(app, "GET", paths.ukCumulative(), { token, version: "6.0" });
      expect(get.statusCode).toBe(404);
    });

    it("validates the request before simulating", async () => {
      const res = await call(app, "GET", paths.details("XPIS123"), { token, version: "2.0", scenario: "NOT_FOUND" });
      expect(res.json()).toEqual({ code: "FORMAT_BUSINESS_ID", message: "The provided Business ID is invalid" });
    });
  });

  describe("request bodies", () => {
    const put = (headers: Record<string, string>, payload: string) =>
      inject(app, {
        method: "PUT",
        url: paths.ukCumulative(),
        headers: { authorization: `Bearer ${token}`, accept: "application/vnd.hmrc.6.0+json", ...headers },
        payload,
      });

    it("answers 415 INVALID_BODY_TYPE when the body is not declared as JSON", async () => {
      for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
        const res = await put({ "content-type": type }, JSON.stringify(VALID_BODY));
        expect(res.statusCode).toBe(415);
        expect(res.json()).toEqual({ code: "INVALID_BODY_TYPE", message: "Expecting text/json or application/json body" });
      }
    });

    it("accepts text/json and a charset parameter", async () => {
      expect((await put({ "content-type": "text/json" }, JSON.stringify(VALID_BODY))).statusCode).toBe(204);
      expect((await put({ "content-type": "application/json; charset=utf-8" }, JSON.stringify(VALID_BODY))).statusCode).toBe(204);
    });

    it("answers malformed JSON with HMRC's INVALID_REQUEST", async () => {
      const res = await put({ "content-type": "application/json" }, '{"ukProperty": ');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ code: "INVALID_REQUEST", message: "Invalid request" });
    });

    it("reports path-parameter errors together with the body's shape errors, as HMRC's validators do", async () => {
      const res = await call(app, "PUT", paths.ukCumulative("XPIS123", "2025-27"), { token, version: "6.0", body: {} });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        code: "INVALID_REQUEST",
        message: "Invalid request",
        errors: [
          { code: "RULE_TAX_YEAR_RANGE_INVALID", message: expect.any(String) },
          { code: "FORMAT_BUSINESS_ID", message: "The provided Business ID is invalid" },
          { code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: expect.any(String) },
        ],
      });
      // Shape errors only: field values wait until the path parameters are valid (HMRC's `andThen`).
      const values = await call(app, "PUT", paths.ukCumulative("XPIS123"), { token, version: "6.0", body: { ...VALID_BODY, ukProperty: { income: { periodAmount: -1 } } } });
      expect(values.json()).toEqual({ code: "FORMAT_BUSINESS_ID", message: "The provided Business ID is invalid" });
      // A schema-validated body on another API: unknown field → shape error with its path.
      const se = await call(app, "PUT", `/individuals/business/self-employment/${NINO}/XBIS1/cumulative/2025-26`, { token, version: "5.0", body: { bogus: 1 } });
      expect(se.json().errors.map((e: { code: string }) => e.code)).toEqual(["FORMAT_BUSINESS_ID", "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED"]);
      // Where the body's schema depends on the tax year, an invalid tax year is reported without the body's errors
      // (HMRC's validator factory cannot pick a schema), though with the other path errors.
      const annual = await call(app, "PUT", `/individuals/business/property/uk/${NINO}/XPIS1/annual/2025`, { token, version: "6.0", body: { bogus: 1 } });
      expect(annual.json().errors.map((e: { code: string }) => e.code)).toEqual(["FORMAT_TAX_YEAR", "FORMAT_BUSINESS_ID"]);
      // The NINO is still reported alone: HMRC's MtdIdLookupService refuses an invalid NINO before any validator runs.
      const nino = await call(app, "PUT", paths.ukCumulative("XPIS123", "2025-27", "BAD"), { token, version: "6.0", body: {} });
      expect(nino.json()).toEqual({ code: "FORMAT_NINO", message: expect.any(String) });
    });

    it("refuses bodies far larger than HMRC's", async () => {
      const res = await put({ "content-type": "application/json" }, JSON.stringify({ ukProperty: { income: { periodAmount: 1 } }, pad: "x".repeat(70_000) }));
      expect(res.statusCode).toBe(413);
      expect(res.json().code).toBe("INVALID_REQUEST");
    });
  });

  it("answers unknown paths with 404 in HMRC's shape", async () => {
    const res = await call(app, "GET", `/individuals/business/details/${NINO}/${SE}/extra/thing`, { token, version: "2.0" });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe("MATCHING_RESOURCE_NOT_FOUND");
  });
});
