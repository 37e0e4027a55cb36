import { getEndpoint, RELAY_HMRC_PREFIX } from "../../src/mtd";
import { checkBody, isJsonContentType, matchHmrcCall } from "../../src/relay/allow-list";
import { CALCULATION_ID, CUMULATIVE_PATH, NINO } from "./helpers";

const url = (path: string) => `${RELAY_HMRC_PREFIX}${path}`;

describe("matchHmrcCall", () => {
  test("matches a catalogue entry and rebuilds the path", () => {
    const m = matchHmrcCall("PUT", url(CUMULATIVE_PATH));
    expect(m.ok && m.value.endpoint.id).toBe("property.uk.cumulative.amend");
    expect(m.ok && m.value.path).toBe(CUMULATIVE_PATH);
    expect(m.ok && m.value.params).toEqual({ nino: NINO, businessId: "XAIS12345678901", taxYear: "2025-26" });
    expect(m.ok && m.value.query).toBe("");
  });

  test("keeps only declared query parameters, in the catalogue's order", () => {
    const m = matchHmrcCall("GET", url(`/obligations/details/${NINO}/income-and-expenditure?status=open&fromDate=2025-04-06&toDate=2026-04-05`));
    expect(m.ok && m.value.query).toBe("fromDate=2025-04-06&toDate=2026-04-05&status=open");
  });

  test("paths with two ids longer than 100 characters still match", () => {
    const path = `/individuals/calculations/${NINO}/self-assessment/2025-26/${CALCULATION_ID}/final-declaration`;
    expect(path.length).toBeGreaterThan(100);
    const m = matchHmrcCall("POST", url(path));
    expect(m.ok && m.value.endpoint.id).toBe("calculations.submit");
  });

  test.each([
    ["GET", "/individuals/business/details/AA123456A/list/extra", 403, "RELAY_ENDPOINT_NOT_ALLOWED"],
    ["PATCH", CUMULATIVE_PATH, 403, "RELAY_ENDPOINT_NOT_ALLOWED"],
    ["GET", "/individuals/business/details/aa123456a/list", 400, "RELAY_BAD_PARAMETER"],
    ["GET", "/individuals/business/details/AA123456A%2F..%2F/list", 400, "RELAY_BAD_PARAMETER"],
    ["PUT", CUMULATIVE_PATH.replace("2025-26", "2023-24"), 400, "RELAY_TAX_YEAR_NOT_SUPPORTED"],
    ["GET", `/obligations/details/${NINO}/income-and-expenditure?fromDate=2025-02-30`, 400, "RELAY_BAD_PARAMETER"],
    ["GET", `/obligations/details/${NINO}/income-and-expenditure?status=${"o".repeat(65)}`, 400, "RELAY_BAD_PARAMETER"],
    ["GET", `/obligations/details/${NINO}/income-and-expenditure?status=open%0D%0A`, 400, "RELAY_BAD_PARAMETER"],
    ["GET", `/individuals/business/details/${NINO}/list?${"x".repeat(2100)}`, 403, "RELAY_ENDPOINT_NOT_ALLOWED"],
  ])("%s %s → %i %s", (method, path, status, code) => {
    expect(matchHmrcCall(method, url(path))).toEqual({ ok: false, error: { status, code } });
  });
});

describe("checkBody", () => {
  const amend = getEndpoint("property.uk.cumulative.amend");
  const trigger = getEndpoint("calculations.trigger");
  const json = "application/json";

  test("keeps the exact bytes of a JSON object", () => {
    const bytes = Buffer.from('{ "fromDate" : "2025-04-06" }');
    const r = checkBody(amend, "application/json; charset=UTF-8", bytes, 1000);
    expect(r.ok && r.value?.bytes).toBe(bytes);
    expect(r.ok && r.value?.json).toEqual({ fromDate: "2025-04-06" });
  });

  test("refuses what is not a JSON object, or is too large", () => {
    expect(checkBody(amend, json, Buffer.from("[]"), 1000)).toEqual({ ok: false, error: { status: 400, code: "RELAY_BODY_NOT_JSON" } });
    expect(checkBody(amend, json, Buffer.from("null"), 1000)).toEqual({ ok: false, error: { status: 400, code: "RELAY_BODY_NOT_JSON" } });
    expect(checkBody(amend, json, undefined, 1000)).toEqual({ ok: false, error: { status: 400, code: "RELAY_BODY_NOT_JSON" } });
    expect(checkBody(amend, "text/json", Buffer.from("{}"), 1000)).toEqual({ ok: false, error: { status: 415, code: "RELAY_BODY_NOT_JSON" } });
    expect(checkBody(amend, json, Buffer.from("{}".padEnd(1001)), 1000)).toEqual({ ok: false, error: { status: 413, code: "RELAY_BODY_TOO_LARGE" } });
  });

  test("an endpoint without a body takes none", () => {
    expect(checkBody(trigger, undefined, undefined, 1000)).toEqual({ ok: true, value: null });
    expect(checkBody(trigger, json, Buffer.from("{}"), 1000)).toEqual({ ok: false, error: { status: 403, code: "RELAY_ENDPOINT_NOT_ALLOWED" } });
  });

  test("content types", () => {
    expect(isJsonContentType("application/json")).toBe(true);
    expect(isJsonContentType("Application/JSON; charset=utf-8")).toBe(true);
    expect(isJsonContentType("application/json; charset=latin1")).toBe(false);
    expect(isJsonContentType("application/json-patch+json")).toBe(false);
    expect(isJsonContentType(undefined)).toBe(false);
  });
});
