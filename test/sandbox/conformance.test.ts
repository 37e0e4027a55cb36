/**
 * Conformance with HMRC's own definitions: every request example HMRC documents for the body-taking endpoints the
 * sandbox serves (copied into test/fixtures/hmrc/requests by scripts/generate-sandbox-schemas.ts) gets the
 * documented success, and reads back as submitted; then, per endpoint, one mutation per validation rule gets the
 * documented error code and JSON-pointer paths.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { getEndpoint } from "../../src/mtd";
import { ENDPOINT_DOCS } from "../../src/sandbox/generated/hmrc-docs";
import { validateRequestBody } from "../../src/sandbox/validation/request-body";
import { call, clockAt, connect, FP, NINO, sandbox, SE, UKP, type Response } from "./helpers";

interface Example {
  name: string;
  taxYear?: string;
  source: string;
  body: Record<string, unknown>;
}

const FIXTURES = join(__dirname, "../fixtures/hmrc/requests");
const EXAMPLES: Record<string, Example[]> = Object.fromEntries(
  readdirSync(FIXTURES).map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(join(FIXTURES, f), "utf8")) as Example[]]),
);
/** HMRC's examples all use this property id; the sandbox issues its own, so the test swaps it in. */
const EXAMPLE_PROPERTY_ID = "8e8b8450-dc1b-4360-8109-7067337b42cb";
/** After every quarter of 2026-27, so no example is an early submission. */
const NOW = "2027-05-01T10:00:00Z";

const BUSINESS: Record<string, string> = {
  "self-employment": SE,
  "property.uk": UKP,
  "property.foreign": FP,
  /** The delete shared by both property types. */
  property: UKP,
};

function businessFor(id: string): string {
  const key = Object.keys(BUSINESS).find((k) => id.startsWith(k));
  return BUSINESS[key!]!;
}

function url(id: string, params: Record<string, string>): string {
  return getEndpoint(id).path.replace(/\{(\w+)\}/g, (_m, n: string) => params[n]!);
}

class Session {
  constructor(
    readonly app: FastifyInstance,
    readonly token: string,
  ) {}

  static async open(): Promise<Session> {
    const clock = clockAt(NOW);
    const app = sandbox(clock);
    return new Session(app, await connect(app));
  }

  send(id: string, params: Record<string, string>, body?: unknown, query = ""): Promise<Response> {
    const e = getEndpoint(id);
    return call(this.app, e.method, `${url(id, { nino: NINO, ...params })}${query}`, { token: this.token, version: e.version, ...(body !== undefined ? { body } : {}) });
  }

  /** A foreign property of the default foreign business, created for 2026-27; returns its id. */
  async createProperty(propertyName = "Villa", countryCode = "FRA"): Promise<string> {
    const res = await this.send("property.foreign.details.create", { businessId: FP, taxYear: "2026-27" }, { propertyName, countryCode });
    expect(res.statusCode).toBe(200);
    return res.json().propertyId as string;
  }
}

function withPropertyId<T>(body: T, propertyId: string): T {
  return JSON.parse(JSON.stringify(body).split(EXAMPLE_PROPERTY_ID).join(propertyId)) as T;
}

/** The endpoint that reads back what `id` stored, when there is one. */
const READ_BACK: Record<string, string> = {
  "self-employment.cumulative.amend": "self-employment.cumulative.retrieve",
  "self-employment.annual.amend": "self-employment.annual.retrieve",
  "property.uk.cumulative.amend": "property.uk.cumulative.retrieve",
  "property.foreign.cumulative.amend": "property.foreign.cumulative.retrieve",
  "property.uk.annual.amend": "property.uk.annual.retrieve",
  "property.foreign.annual.amend": "property.foreign.annual.retrieve",
};

/**
 * The in-year and annual submission endpoints this suite sets up and checks. Other body-taking endpoints with
 * fixtures in the same folder (BSAS trigger and adjust) need a calculation first and are covered by their own suite.
 */
const SUBMISSION_ENDPOINTS = [
  "property.foreign.annual.amend",
  "property.foreign.cumulative.amend",
  "property.foreign.details.create",
  "property.foreign.details.update",
  "property.uk.annual.amend",
  "property.uk.cumulative.amend",
  "self-employment.annual.amend",
  "self-employment.cumulative.amend",
];

describe("HMRC's documented request examples", () => {
  const cases = SUBMISSION_ENDPOINTS.flatMap((id) => (EXAMPLES[id] ?? []).map((ex) => [id, ex.name, ex] as const));

  it("has HMRC's examples for every submission endpoint", () => {
    for (const id of SUBMISSION_ENDPOINTS) expect(EXAMPLES[id]?.length ?? 0).toBeGreaterThan(0);
    expect(cases.length).toBe(28);
  });

  it.each(cases)("%s: %s → the documented success, and reads back as sent", async (id, _name, ex) => {
    const s = await Session.open();
    const endpoint = getEndpoint(id);
    const taxYear = ex.taxYear ?? endpoint.minTaxYear ?? "2025-26";
    let body: unknown = ex.body;
    let params: Record<string, string> = { businessId: businessFor(id), taxYear };
    if (id === "property.foreign.details.update") params = { propId: await s.createProperty(), taxYear };
    else if (JSON.stringify(body).includes(EXAMPLE_PROPERTY_ID)) body = withPropertyId(body, await s.createProperty());

    const res = await s.send(id, params, body);
    expect({ status: res.statusCode, body: res.body ? res.json() : undefined }).toEqual({
      status: endpoint.successStatus,
      body: id === "property.foreign.details.create" ? { propertyId: expect.stringMatching(/^[0-9a-f-]{36}$/) } : undefined,
    });

    const readBack = READ_BACK[id];
    if (readBack) {
      const got = await s.send(readBack, params);
      expect(got.statusCode).toBe(200);
      expect(got.json()).toMatchObject(body as Record<string, unknown>);
    }
  });
});

interface Mutation {
  rule: string;
  id: string;
  taxYear: string;
  /** Index of the HMRC example to start from. */
  from?: number;
  mutate: (body: Record<string, unknown>, propertyId: string) => unknown;
  code: string;
  paths?: string[];
  status?: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- mutations reach into HMRC's example JSON */
const clone = <T>(v: T): any => structuredClone(v);
const set = (path: string, value: unknown) => (b: Record<string, unknown>) => {
  const out = clone(b);
  const parts = path.split("/").slice(1);
  let cur = out;
  for (const p of parts.slice(0, -1)) cur = cur[p] ??= {};
  if (value === undefined) delete cur[parts[parts.length - 1]!];
  else cur[parts[parts.length - 1]!] = value;
  return out;
};

const SE_CUM = "self-employment.cumulative.amend";
const SE_ANN = "self-employment.annual.amend";
const FP_CUM = "property.foreign.cumulative.amend";
const FP_NEW = "property.foreign.details.create";
const FP_UPD = "property.foreign.details.update";
const UK_ANN = "property.uk.annual.amend";
const FP_ANN = "property.foreign.annual.amend";

const MUTATIONS: Mutation[] = [
  // Self-employment cumulative
  { rule: "empty body", id: SE_CUM, taxYear: "2025-26", mutate: () => ({}), code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED" },
  { rule: "unknown field", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodIncome/bonus", 1), code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", paths: ["/periodIncome/bonus"] },
  { rule: "wrong type", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodIncome/turnover", "1000"), code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", paths: ["/periodIncome/turnover"] },
  { rule: "missing required", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodDates/periodEndDate", undefined), code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", paths: ["/periodDates/periodEndDate"] },
  { rule: "amount out of range", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodIncome/turnover", -1), code: "FORMAT_VALUE", paths: ["/periodIncome/turnover"] },
  { rule: "three decimals", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodExpenses/costOfGoods", 1.234), code: "FORMAT_VALUE", paths: ["/periodExpenses/costOfGoods"] },
  { rule: "start date format", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodDates/periodStartDate", "06/04/2025"), code: "FORMAT_START_DATE", paths: ["/periodDates/periodStartDate"] },
  { rule: "end date format", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodDates/periodEndDate", "2025-13-05"), code: "FORMAT_END_DATE", paths: ["/periodDates/periodEndDate"] },
  { rule: "end before start", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodDates/periodEndDate", "2025-04-05"), code: "RULE_END_DATE_BEFORE_START_DATE", paths: ["/periodDates/periodEndDate"] },
  { rule: "consolidated with itemised", id: SE_CUM, taxYear: "2025-26", from: 0, mutate: set("/periodExpenses/consolidatedExpenses", 10), code: "RULE_BOTH_EXPENSES_SUPPLIED", paths: ["/periodExpenses"] },
  { rule: "start not on the basis", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodDates/periodStartDate", "2025-05-01"), code: "RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE" },
  { rule: "end not a quarter end", id: SE_CUM, taxYear: "2025-26", mutate: set("/periodDates/periodEndDate", "2025-07-31"), code: "RULE_END_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE" },
  { rule: "another business type", id: SE_CUM, taxYear: "2025-26", mutate: (b) => b, code: "MATCHING_RESOURCE_NOT_FOUND", status: 404 },

  // Self-employment annual
  { rule: "amount out of range", id: SE_ANN, taxYear: "2025-26", from: 5, mutate: set("/allowances/annualInvestmentAllowance", 100000000000), code: "FORMAT_VALUE", paths: ["/allowances/annualInvestmentAllowance"] },
  { rule: "string pattern", id: SE_ANN, taxYear: "2025-26", from: 5, mutate: set("/allowances/structuredBuildingAllowance/0/building/name", "x".repeat(91)), code: "FORMAT_STRING", paths: ["/allowances/structuredBuildingAllowance/0/building/name"] },
  { rule: "date format", id: SE_ANN, taxYear: "2025-26", from: 5, mutate: set("/allowances/structuredBuildingAllowance/0/firstYear/qualifyingDate", "2021-11-31"), code: "FORMAT_DATE", paths: ["/allowances/structuredBuildingAllowance/0/firstYear/qualifyingDate"] },
  { rule: "class 4 exemption reason", id: SE_ANN, taxYear: "2025-26", from: 4, mutate: set("/nonFinancials/class4NicsExemptionReason", "pensioner"), code: "FORMAT_CLASS_4_EXEMPTION_REASON", paths: ["/nonFinancials/class4NicsExemptionReason"] },
  { rule: "trading allowance with others", id: SE_ANN, taxYear: "2025-26", from: 4, mutate: set("/allowances/annualInvestmentAllowance", 10), code: "RULE_BOTH_ALLOWANCES_SUPPLIED", paths: ["/allowances"] },
  { rule: "building without name or number", id: SE_ANN, taxYear: "2025-26", from: 5, mutate: set("/allowances/structuredBuildingAllowance/0/building/name", undefined), code: "RULE_BUILDING_NAME_NUMBER", paths: ["/allowances/structuredBuildingAllowance/0/building"] },

  // Foreign property cumulative
  { rule: "country code format", id: FP_CUM, taxYear: "2025-26", from: 2, mutate: set("/foreignProperty/0/countryCode", "FR"), code: "FORMAT_COUNTRY_CODE", paths: ["/foreignProperty/0/countryCode"] },
  { rule: "country code not ISO", id: FP_CUM, taxYear: "2025-26", from: 2, mutate: set("/foreignProperty/0/countryCode", "QQQ"), code: "RULE_COUNTRY_CODE", paths: ["/foreignProperty/0/countryCode"] },
  {
    rule: "duplicate country code",
    id: FP_CUM,
    taxYear: "2025-26",
    from: 2,
    mutate: (b: any) => ({ ...b, foreignProperty: [b.foreignProperty[0], b.foreignProperty[0]] }),
    code: "RULE_DUPLICATE_COUNTRY_CODE",
    paths: ["/foreignProperty/0/countryCode", "/foreignProperty/1/countryCode"],
  },
  { rule: "from date format", id: FP_CUM, taxYear: "2025-26", from: 2, mutate: set("/fromDate", "2025-4-6"), code: "FORMAT_FROM_DATE", paths: ["/fromDate"] },
  { rule: "to before from", id: FP_CUM, taxYear: "2025-26", from: 2, mutate: set("/toDate", "2025-04-01"), code: "RULE_TO_DATE_BEFORE_FROM_DATE", paths: ["/toDate"] },
  { rule: "consolidated with itemised", id: FP_CUM, taxYear: "2025-26", from: 2, mutate: set("/foreignProperty/0/expenses/consolidatedExpenses", 5), code: "RULE_BOTH_EXPENSES_SUPPLIED", paths: ["/foreignProperty/0/expenses"] },
  { rule: "amount out of range", id: FP_CUM, taxYear: "2025-26", from: 2, mutate: set("/foreignProperty/0/income/rentIncome/rentAmount", -0.01), code: "FORMAT_VALUE", paths: ["/foreignProperty/0/income/rentIncome/rentAmount"] },
  { rule: "property id format", id: FP_CUM, taxYear: "2026-27", from: 0, mutate: set("/foreignProperty/0/propertyId", "not-a-uuid"), code: "FORMAT_PROPERTY_ID", paths: ["/foreignProperty/0/propertyId"] },
  {
    rule: "duplicate property id",
    id: FP_CUM,
    taxYear: "2026-27",
    from: 0,
    mutate: (b: any) => ({ ...b, foreignProperty: [b.foreignProperty[0], b.foreignProperty[0]] }),
    code: "RULE_DUPLICATE_PROPERTY_ID",
    paths: ["/foreignProperty/0/propertyId", "/foreignProperty/1/propertyId"],
  },
  { rule: "property id not the business's", id: FP_CUM, taxYear: "2026-27", from: 0, mutate: set("/foreignProperty/0/propertyId", "11111111-2222-4333-8444-555555555555"), code: "RULE_PROPERTY_ID_MISMATCH", paths: ["/foreignProperty/0/propertyId"] },
  { rule: "missing dates", id: FP_CUM, taxYear: "2025-26", from: 2, mutate: set("/toDate", undefined), code: "RULE_MISSING_SUBMISSION_DATES" },

  // Foreign property details
  { rule: "empty body", id: FP_NEW, taxYear: "2026-27", mutate: () => ({}), code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED" },
  { rule: "name too long", id: FP_NEW, taxYear: "2026-27", mutate: set("/propertyName", "x".repeat(106)), code: "FORMAT_PROPERTY_NAME", paths: ["/propertyName"] },
  { rule: "blank name", id: FP_NEW, taxYear: "2026-27", mutate: set("/propertyName", "   "), code: "FORMAT_PROPERTY_NAME", paths: ["/propertyName"] },
  { rule: "end date format", id: FP_NEW, taxYear: "2026-27", mutate: set("/endDate", "24-08-2026"), code: "FORMAT_END_DATE", paths: ["/endDate"] },
  { rule: "end reason", id: FP_NEW, taxYear: "2026-27", mutate: set("/endReason", "sold"), code: "FORMAT_END_REASON", paths: ["/endReason"] },
  { rule: "country code format", id: FP_NEW, taxYear: "2026-27", mutate: set("/countryCode", "fra"), code: "FORMAT_COUNTRY_CODE", paths: ["/countryCode"] },
  { rule: "end details together", id: FP_NEW, taxYear: "2026-27", mutate: set("/endReason", undefined), code: "RULE_MISSING_END_DETAILS" },
  { rule: "end before the tax year", id: FP_NEW, taxYear: "2026-27", mutate: set("/endDate", "2026-04-05"), code: "RULE_END_DATE_BEFORE_TAX_YEAR_START", paths: ["/endDate"] },
  { rule: "end after the tax year", id: FP_NEW, taxYear: "2026-27", mutate: set("/endDate", "2027-04-06"), code: "RULE_END_DATE_AFTER_TAX_YEAR_END", paths: ["/endDate"] },
  { rule: "same name in the same country", id: FP_NEW, taxYear: "2026-27", mutate: (b) => ({ ...b, propertyName: " villa " }), code: "RULE_DUPLICATE_PROPERTY_NAME" },
  { rule: "tax year before 2026-27", id: FP_NEW, taxYear: "2025-26", mutate: (b) => b, code: "RULE_TAX_YEAR_NOT_SUPPORTED" },
  { rule: "unknown field", id: FP_UPD, taxYear: "2026-27", mutate: set("/countryCode", "FRA"), code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", paths: ["/countryCode"] },
  { rule: "end reason", id: FP_UPD, taxYear: "2026-27", mutate: set("/endReason", "sold"), code: "FORMAT_END_REASON", paths: ["/endReason"] },
  { rule: "same name as a sibling", id: FP_UPD, taxYear: "2026-27", mutate: (b) => ({ ...b, propertyName: "Villa" }), code: "RULE_DUPLICATE_PROPERTY_NAME" },

  // UK property annual
  { rule: "amount out of range", id: UK_ANN, taxYear: "2025-26", from: 3, mutate: set("/ukProperty/allowances/annualInvestmentAllowance", 1.001), code: "FORMAT_VALUE", paths: ["/ukProperty/allowances/annualInvestmentAllowance"] },
  { rule: "date format", id: UK_ANN, taxYear: "2025-26", from: 3, mutate: set("/ukProperty/allowances/structuredBuildingAllowance/0/firstYear/qualifyingDate", "2020-02-30"), code: "FORMAT_DATE", paths: ["/ukProperty/allowances/structuredBuildingAllowance/0/firstYear/qualifyingDate"] },
  { rule: "string pattern", id: UK_ANN, taxYear: "2025-26", from: 3, mutate: set("/ukProperty/allowances/structuredBuildingAllowance/0/building/number", ""), code: "FORMAT_STRING", paths: ["/ukProperty/allowances/structuredBuildingAllowance/0/building/number"] },
  { rule: "property allowance with others", id: UK_ANN, taxYear: "2025-26", from: 2, mutate: set("/ukProperty/allowances/annualInvestmentAllowance", 1), code: "RULE_BOTH_ALLOWANCES_SUPPLIED", paths: ["/ukProperty/allowances"] },
  { rule: "building without name or number", id: UK_ANN, taxYear: "2025-26", from: 3, mutate: (b: any) => set("/ukProperty/allowances/structuredBuildingAllowance/0/building/number", undefined)(set("/ukProperty/allowances/structuredBuildingAllowance/0/building/name", undefined)(b)), code: "RULE_BUILDING_NAME_NUMBER", paths: ["/ukProperty/allowances/structuredBuildingAllowance/0/building"] },
  { rule: "property allowance with private use", id: UK_ANN, taxYear: "2025-26", from: 2, mutate: set("/ukProperty/adjustments/privateUseAdjustment", 1), code: "RULE_PROPERTY_INCOME_ALLOWANCE", paths: ["/ukProperty/allowances/propertyIncomeAllowance"] },
  { rule: "unknown field", id: UK_ANN, taxYear: "2025-26", from: 2, mutate: set("/ukFhlProperty", { adjustments: { balancingCharge: 1 } }), code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", paths: ["/ukFhlProperty"] },

  // Foreign property annual
  { rule: "country code format", id: FP_ANN, taxYear: "2025-26", from: 3, mutate: set("/foreignProperty/0/countryCode", "L8N"), code: "FORMAT_COUNTRY_CODE", paths: ["/foreignProperty/0/countryCode"] },
  {
    rule: "duplicate country code",
    id: FP_ANN,
    taxYear: "2025-26",
    from: 3,
    mutate: (b: any) => ({ ...b, foreignProperty: [b.foreignProperty[0], b.foreignProperty[0]] }),
    code: "RULE_DUPLICATE_COUNTRY_CODE",
    paths: ["/foreignProperty/0/countryCode", "/foreignProperty/1/countryCode"],
  },
  { rule: "property id format", id: FP_ANN, taxYear: "2026-27", from: 5, mutate: set("/foreignProperty/0/propertyId", "8e8b8450"), code: "FORMAT_PROPERTY_ID", paths: ["/foreignProperty/0/propertyId"] },
  { rule: "property id not the business's", id: FP_ANN, taxYear: "2026-27", from: 5, mutate: set("/foreignProperty/0/propertyId", "11111111-2222-4333-8444-555555555555"), code: "RULE_PROPERTY_ID_MISMATCH", paths: ["/foreignProperty/0/propertyId"] },
];
/* eslint-enable @typescript-eslint/no-explicit-any */

describe("one mutation per validation rule → HMRC's code and paths", () => {
  it.each(MUTATIONS.map((m) => [m.id, m.rule, m] as const))("%s: %s", async (id, _rule, m) => {
    const s = await Session.open();
    const propertyId = await s.createProperty();
    const list = EXAMPLES[id]!;
    const example = list[m.from ?? 0]!;
    const body = m.mutate(withPropertyId(example.body, propertyId), propertyId);
    let params: Record<string, string> = { businessId: m.rule === "another business type" ? UKP : businessFor(id), taxYear: m.taxYear };
    if (id === FP_UPD) {
      const other = await s.createProperty("Chalet");
      params = { propId: other, taxYear: m.taxYear };
    }
    const res = await s.send(id, params, body);
    const documented = ENDPOINT_DOCS[id]!.errors.find((e) => e.code === m.code);
    expect(documented).toBeDefined();
    expect(res.statusCode).toBe(m.status ?? documented!.status);
    const got = res.json();
    expect(got.code).toBe(m.code);
    if (m.code !== "FORMAT_VALUE") expect(got.message).toBe(documented!.message);
    if (m.paths) expect(got.paths).toEqual(m.paths);
    else expect(got.paths).toBeUndefined();
  });

  it("several errors come back as INVALID_REQUEST, one entry per code, paths grouped", async () => {
    const s = await Session.open();
    const body = set("/periodDates/periodStartDate", "2025/04/06")(set("/periodIncome/turnover", -5)(set("/periodIncome/other", 1e12)(EXAMPLES[SE_CUM]![0]!.body)));
    const res = await s.send(SE_CUM, { businessId: SE, taxYear: "2025-26" }, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      code: "INVALID_REQUEST",
      message: "Invalid request",
      errors: [
        { code: "FORMAT_START_DATE", message: expect.any(String), paths: ["/periodDates/periodStartDate"] },
        { code: "FORMAT_VALUE", message: "The value must be between 0 and 99999999999.99", paths: ["/periodIncome/turnover", "/periodIncome/other"] },
      ],
    });
  });

  it("states each amount's own range in FORMAT_VALUE (negative amounts allowed where HMRC allows them)", async () => {
    const s = await Session.open();
    const body = set("/periodExpenses/consolidatedExpenses", -100000000000)(EXAMPLES[SE_CUM]![1]!.body);
    const res = await s.send(SE_CUM, { businessId: SE, taxYear: "2025-26" }, body);
    expect(res.json()).toEqual({ code: "FORMAT_VALUE", message: "The value must be between -99999999999.99 and 99999999999.99", paths: ["/periodExpenses/consolidatedExpenses"] });
  });
});

describe("path parameters and tax years, per submission endpoint → HMRC's documented code, status and message", () => {
  const IDS = [
    ...SUBMISSION_ENDPOINTS,
    "self-employment.cumulative.retrieve",
    "self-employment.annual.retrieve",
    "self-employment.annual.delete",
    "self-employment.period.list",
    "self-employment.period.retrieve",
    "property.uk.cumulative.retrieve",
    "property.foreign.cumulative.retrieve",
    "property.foreign.details.retrieve",
    "property.uk.annual.retrieve",
    "property.foreign.annual.retrieve",
    "property.annual.delete",
  ];

  const okYearOf = (id: string): string => {
    const e = getEndpoint(id);
    return e.maxTaxYear ?? (e.minTaxYear && e.minTaxYear > "2025-26" ? e.minTaxYear : "2025-26");
  };
  const cases = IDS.flatMap((id) => {
    const e = getEndpoint(id);
    const okYear = okYearOf(id);
    const valid: Record<string, string> = { nino: NINO, businessId: businessFor(id), taxYear: okYear, propId: "11111111-2222-4333-8444-555555555555", periodId: "2024-04-06_2024-07-05" };
    const bad: Array<[string, string, string]> = [
      ["nino", "AA12", "FORMAT_NINO"],
      ["taxYear", "2025", "FORMAT_TAX_YEAR"],
      ["taxYear", "2025-27", "RULE_TAX_YEAR_RANGE_INVALID"],
      ["businessId", "XBIS1", "FORMAT_BUSINESS_ID"],
      ["propId", "villa", "FORMAT_PROPERTY_ID"],
      ["periodId", "2024-04-06", "FORMAT_PERIOD_ID"],
    ];
    if (e.minTaxYear) bad.push(["taxYear", `${Number(e.minTaxYear.slice(0, 4)) - 1}-${e.minTaxYear.slice(2, 4)}`, "RULE_TAX_YEAR_NOT_SUPPORTED"]);
    if (e.maxTaxYear) bad.push(["taxYear", `${Number(e.maxTaxYear.slice(0, 4)) + 1}-${String(Number(e.maxTaxYear.slice(5)) + 1).padStart(2, "0")}`, "RULE_TAX_YEAR_NOT_SUPPORTED"]);
    return bad.filter(([name]) => e.path.includes(`{${name}}`)).map(([name, value, code]) => [id, `${name}=${value}`, { ...valid, [name]: value }, code] as const);
  });

  it.each(cases)("%s with %s", async (id, _what, params, code) => {
    const s = await Session.open();
    const e = getEndpoint(id);
    // An example HMRC's schema for the valid tax year accepts, so the path error is the only one.
    const year = e.path.includes("{taxYear}") ? okYearOf(id) : undefined;
    const example = EXAMPLES[id]?.find((x) => validateRequestBody(id, year, withPropertyId(x.body, EXAMPLE_PROPERTY_ID)).every((err) => err.code !== "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED"));
    const body = e.hasBody ? example!.body : undefined;
    const res = await call(s.app, e.method, url(id, params), { token: s.token, version: e.version, ...(body ? { body } : {}) });
    const documented = ENDPOINT_DOCS[id]!.errors.find((d) => d.code === code);
    expect({ code: res.json().code, documented: documented !== undefined }).toEqual({ code, documented: true });
    expect(res.statusCode).toBe(documented!.status);
    expect(res.json().message).toBe(documented!.message);
  });

  it.each(IDS)("%s refuses a wrong Accept version (406) and a missing token (401)", async (id) => {
    const s = await Session.open();
    const e = getEndpoint(id);
    const params = { nino: NINO, businessId: businessFor(id), taxYear: e.minTaxYear ?? "2024-25", propId: "11111111-2222-4333-8444-555555555555", periodId: "2024-04-06_2024-07-05" };
    expect((await call(s.app, e.method, url(id, params), { token: s.token, version: "1.0" })).statusCode).toBe(406);
    expect((await call(s.app, e.method, url(id, params), { token: "nope", version: e.version })).statusCode).toBe(401);
  });
});
