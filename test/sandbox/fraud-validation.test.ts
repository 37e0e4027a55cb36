import type { FastifyInstance } from "fastify";
import { VALID_FRAUD_HEADERS, withHeaders } from "../mtd/fraud/fixtures";
import { FraudHeaderLog } from "../../src/sandbox/routes/fraud-validation";
import { call, clockAt, connect, inject, NINO, paths, sandbox, UKP, type Clock } from "./helpers";

const ACCEPT = "application/vnd.hmrc.1.0+json";
const VALIDATE = "/test/fraud-prevention-headers/validate";
const feedbackUrl = (api: string, query = "?connectionMethod=WEB_APP_VIA_SERVER") => `/test/fraud-prevention-headers/${api}/validation-feedback${query}`;

let clock: Clock;
let app: FastifyInstance;
let token: string;

beforeEach(async () => {
  clock = clockAt("2026-11-21T08:30:00.000Z");
  app = sandbox(clock);
  token = await connect(app);
});
afterEach(() => app.close());

function get(url: string, headers: Record<string, string | undefined> = {}, auth = `Bearer ${token}`) {
  const defined = Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined));
  return inject(app, { url, headers: { accept: ACCEPT, authorization: auth, ...defined } });
}

describe("GET /test/fraud-prevention-headers/validate", () => {
  test("a complete WEB_APP_VIA_SERVER set → VALID_HEADERS", async () => {
    const res = await get(VALIDATE, VALID_FRAUD_HEADERS);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      specVersion: "3.3",
      code: "VALID_HEADERS",
      message: "All headers required for your connection method have been supplied and all appear to be valid. Validation is based on a single request. We have access to all requests and can draw additional conclusions.",
    });
  });

  test("validates the headers of that very request: errors and warnings in HMRC's shape", async () => {
    const res = await get(VALIDATE, withHeaders({ "Gov-Client-Public-IP": "127.0.0.1", "Gov-Vendor-Forwarded": "by=51.140.12.34&for=127.0.0.1", "Gov-Client-Multi-Factor": undefined }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      specVersion: "3.3",
      code: "INVALID_HEADERS",
      message: "At least 1 header is invalid",
      errors: [{ code: "INVALID_HEADER", message: "Value is not a public IP address", headers: ["gov-client-public-ip", "gov-vendor-forwarded"] }],
      warnings: [{ code: "MISSING_HEADER", message: expect.stringContaining("single factor authentication"), headers: ["gov-client-multi-factor"] }],
    });
  });

  test("no fraud-prevention headers → INVALID_HEADERS with HMRC's message", async () => {
    const res = await get(VALIDATE);
    expect(res.json()).toEqual({ specVersion: "3.3", code: "INVALID_HEADERS", message: "No fraud prevention headers submitted. These are required by law. Check the specification." });
  });

  test("the API platform's checks: Accept 1.0 (406), then a live token (401)", async () => {
    const wrongAccept = await inject(app, { url: VALIDATE, headers: { accept: "application/vnd.hmrc.2.0+json", authorization: `Bearer ${token}` } });
    expect(wrongAccept.statusCode).toBe(406);
    expect(wrongAccept.json().code).toBe("ACCEPT_HEADER_INVALID");
    const noToken = await get(VALIDATE, VALID_FRAUD_HEADERS, "");
    expect(noToken.statusCode).toBe(401);
    expect(noToken.json().code).toBe("UNAUTHORIZED");
    const unknownToken = await get(VALIDATE, VALID_FRAUD_HEADERS, "Bearer 0123456789abcdef");
    expect(unknownToken.statusCode).toBe(401);
  });
});

describe("GET /test/fraud-prevention-headers/{api}/validation-feedback", () => {
  test("feedback on the latest request to each endpoint of the API", async () => {
    await call(app, "GET", paths.list(), { token, version: "2.0", headers: withHeaders({ "Gov-Client-Timezone": "GMT" }) as Record<string, string> });
    clock.advanceSeconds(5);
    await call(app, "GET", paths.list(), { token, version: "2.0", headers: { ...VALID_FRAUD_HEADERS, "Gov-Test-Scenario": "DEFAULT" } });
    clock.advanceSeconds(5);
    await call(app, "GET", paths.details(UKP), { token, version: "2.0", headers: withHeaders({ "Gov-Client-Public-Port": undefined }) as Record<string, string> });

    const res = await get(feedbackUrl("business-details-mtd"));
    expect(res.statusCode).toBe(200);
    const { requests } = res.json();
    expect(requests).toHaveLength(2);
    expect(requests[0]).toEqual({
      path: paths.list(),
      method: "GET",
      requestTimestamp: "2026-11-21T08:30:05.000Z",
      code: "VALID_HEADERS",
      headers: expect.arrayContaining([
        { header: "gov-client-timezone", value: "UTC+00:00", code: "VALID_HEADER", errors: [], warnings: [] },
        { header: "gov-test-scenario", value: "DEFAULT", code: "TEST_SCENARIO_HEADER", errors: [], warnings: [] },
      ]),
      crossValidation: [{ headers: ["gov-vendor-forwarded", "gov-client-public-ip", "gov-vendor-public-ip"], code: "VALID_HEADERS", errors: [] }],
    });
    expect(requests[1]).toEqual(
      expect.objectContaining({
        path: `/individuals/business/details/${NINO}/${UKP}`,
        requestTimestamp: "2026-11-21T08:30:10.000Z",
        code: "INVALID_HEADERS",
        headers: expect.arrayContaining([{ header: "gov-client-public-port", code: "MISSING_HEADER", errors: [expect.stringContaining("Header missing")], warnings: [] }]),
      }),
    );
  });

  test("a request with no Gov-* headers is NO_HEADERS; other APIs are kept apart", async () => {
    await call(app, "GET", paths.obligations(), { token, version: "3.0" });
    expect((await get(feedbackUrl("obligations-mtd", ""))).json().requests).toEqual([
      { path: paths.obligations(), method: "GET", requestTimestamp: "2026-11-21T08:30:00.000Z", code: "NO_HEADERS", headers: [], crossValidation: [] },
    ]);
    expect((await get(feedbackUrl("business-details-mtd"))).json()).toEqual({ requests: [] });
  });

  test("BISS and property requests are filed under HMRC's API names", async () => {
    await call(app, "GET", paths.biss(), { token, version: "3.0", headers: VALID_FRAUD_HEADERS });
    await call(app, "GET", paths.ukCumulative(), { token, version: "6.0", headers: VALID_FRAUD_HEADERS });
    expect((await get(feedbackUrl("business-income-source-summary-mtd"))).json().requests).toHaveLength(1);
    expect((await get(feedbackUrl("property-business-mtd"))).json().requests[0].path).toBe(paths.ukCumulative());
  });

  test("connectionMethod filters requests by their Gov-Client-Connection-Method", async () => {
    await call(app, "GET", paths.list(), { token, version: "2.0", headers: withHeaders({ "Gov-Client-Connection-Method": "DESKTOP_APP_VIA_SERVER" }) as Record<string, string> });
    expect((await get(feedbackUrl("business-details-mtd"))).json()).toEqual({ requests: [] });
    expect((await get(feedbackUrl("business-details-mtd", "?connectionMethod=DESKTOP_APP_VIA_SERVER"))).json().requests).toHaveLength(1);
    const bad = await get(feedbackUrl("business-details-mtd", "?connectionMethod=CARRIER_PIGEON"));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe("INVALID_REQUEST");
  });

  test("an application sees only its own requests; endpoints outside the feedback APIs are not recorded", () => {
    const log = new FraudHeaderLog();
    const req = { method: "GET", url: `${paths.list()}?x=1`, headers: { "gov-client-timezone": "UTC+00:00", accept: ACCEPT } };
    log.record("app-a", "business-details.list", req, clock.now);
    log.record("app-a", "test-support.business.create", req, clock.now);
    expect(log.latest("app-a", "business-details-mtd")).toEqual([{ path: paths.list(), method: "GET", requestTimestamp: "2026-11-21T08:30:00.000Z", headers: { "gov-client-timezone": "UTC+00:00" } }]);
    expect(log.latest("app-b", "business-details-mtd")).toEqual([]);
  });

  test("an unknown API → 404 MATCHING_RESOURCE_NOT_FOUND; Accept and token checked first", async () => {
    const res = await get(feedbackUrl("property-mtd"));
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: "MATCHING_RESOURCE_NOT_FOUND", message: "A resource with the name in the request can not be found in the API" });
    expect((await get(feedbackUrl("business-details-mtd"), {}, "")).statusCode).toBe(401);
    expect((await inject(app, { url: feedbackUrl("business-details-mtd"), headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(406);
  });

  test("requests refused before authorisation are not recorded", async () => {
    await call(app, "GET", paths.list(), { token: "not-a-token", version: "2.0", headers: VALID_FRAUD_HEADERS });
    expect((await get(feedbackUrl("business-details-mtd"))).json()).toEqual({ requests: [] });
  });
});
