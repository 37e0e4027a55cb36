/**
 * BSAS 7.0 foreign property retrieve: `countryLevelDetail[]` per country (2025-26) and, from 2026-27,
 * `propertyLevelDetail[]` per property inside its country, for both the adjustable and the adjusted summary, from
 * the cumulative and annual submissions and the per-entry adjustments (sums stated). Checked against HMRC's retrieve
 * schemas (2025-26 def2, 2026-27 def3) when ../shared is present.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
import type { FastifyInstance } from "fastify";
import { getEndpoint } from "../../src/mtd";
import { call, clockAt, connect, FP, NINO, sandbox, type Response } from "./helpers";

const SCHEMAS = join(__dirname, "../../../shared/hmrc-api/self-assessment-bsas-api/7.0/schemas/retrieve_foreign_property");

function url(id: string, params: Record<string, string>): string {
  return getEndpoint(id).path.replace(/\{(\w+)\}/g, (_m, n: string) => ({ nino: NINO, ...params })[n]!);
}

/** HMRC's retrieve schema for a definition, or undefined without ../shared. */
function schemaCheck(def: string): ((body: unknown) => unknown[]) | undefined {
  const file = join(SCHEMAS, def, "retrieve_foreign_property.json");
  if (!existsSync(file)) return undefined;
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, unicodeRegExp: false, logger: false });
  const validate = ajv.compile(JSON.parse(readFileSync(file, "utf8").replace(/\{\{[#/^]?[^}]*\}\}/g, "")) as object);
  return (body) => (validate(body) ? [] : (validate.errors ?? []));
}

describe("sandbox: BSAS foreign property detail", () => {
  let app: FastifyInstance;
  let token: string;
  afterEach(() => app.close());

  const send = (id: string, params: Record<string, string>, body?: unknown): Promise<Response> => {
    const e = getEndpoint(id);
    return call(app, e.method, url(id, params), { token, version: e.version, ...(body !== undefined ? { body } : {}) });
  };
  const ok = async (id: string, params: Record<string, string>, body?: unknown): Promise<Response> => {
    const res = await send(id, params, body);
    expect({ id, status: res.statusCode < 300 ? "ok" : res.body }).toEqual({ id, status: "ok" });
    return res;
  };
  const summarise = async (taxYear: string, startDate: string, endDate: string, adjustments: unknown) => {
    const calculationId = (await ok("bsas.trigger", {}, { accountingPeriod: { startDate, endDate }, typeOfBusiness: "foreign-property", businessId: FP })).json().calculationId as string;
    await ok("bsas.foreign-property.adjust", { calculationId, taxYear }, adjustments);
    return (await ok("bsas.foreign-property.retrieve", { calculationId, taxYear })).json() as Record<string, Record<string, unknown>>;
  };

  it("2025-26: one entry per country, adjusted by country", async () => {
    app = sandbox(clockAt("2026-04-20T10:00:00Z"));
    token = await connect(app);
    const ty = { businessId: FP, taxYear: "2025-26" };
    await ok("property.foreign.cumulative.amend", ty, {
      fromDate: "2025-04-06",
      toDate: "2026-04-05",
      foreignProperty: [
        { countryCode: "FRA", income: { rentIncome: { rentAmount: 9_000 } }, expenses: { repairsAndMaintenance: 1_500 } },
        { countryCode: "ESP", income: { rentIncome: { rentAmount: 4_000 }, premiumsOfLeaseGrant: 500 }, expenses: { other: 1_000 } },
      ],
    });
    await ok("property.foreign.annual.amend", ty, {
      foreignProperty: [
        { countryCode: "FRA", allowances: { otherCapitalAllowance: 200 } },
        { countryCode: "ESP", adjustments: { privateUseAdjustment: 100 } },
      ],
    });
    const body = await summarise("2025-26", "2025-04-06", "2026-04-05", {
      foreignProperty: { countryLevelDetail: [{ countryCode: "FRA", income: { totalRentsReceived: 500 } }, { countryCode: "ESP", expenses: { repairsAndMaintenance: 250 } }] },
    });

    // Totals: income 9,000 + 4,500 = 13,500; expenses 2,500; net 11,000; + additions 100 − deductions 200 = 10,900.
    expect(body.adjustableSummaryCalculation).toMatchObject({ totalIncome: 13_500, totalExpenses: 2_500, taxableProfit: 10_900 });
    // FRA: 9,000 − 1,500 − 200 = 7,300; ESP: 4,500 − 1,000 + 100 = 3,600.
    expect(body.adjustableSummaryCalculation!.countryLevelDetail).toEqual([
      { countryCode: "FRA", totalIncome: 9_000, income: { totalRentsReceived: 9_000 }, totalExpenses: 1_500, expenses: { repairsAndMaintenance: 1_500 }, netProfit: 7_500, netLoss: 0, totalAdditions: 0, totalDeductions: 200, deductions: { otherCapitalAllowance: 200 }, taxableProfit: 7_300, adjustedIncomeTaxLoss: 0 },
      { countryCode: "ESP", totalIncome: 4_500, income: { totalRentsReceived: 4_000, premiumsOfLeaseGrant: 500 }, totalExpenses: 1_000, expenses: { other: 1_000 }, netProfit: 3_500, netLoss: 0, totalAdditions: 100, additions: { privateUseAdjustment: 100 }, totalDeductions: 0, taxableProfit: 3_600, adjustedIncomeTaxLoss: 0 },
    ]);
    // Adjusted: FRA income + 500 → 7,800; ESP expenses + 250 → 3,350; total 11,150.
    expect(body.adjustedSummaryCalculation).toMatchObject({
      taxableProfit: 11_150,
      countryLevelDetail: [
        { countryCode: "FRA", totalIncome: 9_500, income: { totalRentsReceived: 9_500 }, taxableProfit: 7_800 },
        { countryCode: "ESP", totalExpenses: 1_250, expenses: { other: 1_000, repairsAndMaintenance: 250 }, taxableProfit: 3_350 },
      ],
    });
    const check = schemaCheck("def2");
    if (check) expect(check(body)).toEqual([]);
  });

  it("2026-27: one entry per property inside its country, adjusted by propertyId", async () => {
    app = sandbox(clockAt("2027-04-20T10:00:00Z"));
    token = await connect(app);
    const ty = { businessId: FP, taxYear: "2026-27" };
    const create = async (propertyName: string, countryCode: string) => (await ok("property.foreign.details.create", ty, { propertyName, countryCode })).json().propertyId as string;
    const [a, b, c] = [await create("Villa Rosa", "FRA"), await create("Gîte", "FRA"), await create("Casa Azul", "ESP")];
    await ok("property.foreign.cumulative.amend", ty, {
      fromDate: "2026-04-06",
      toDate: "2027-04-05",
      foreignProperty: [
        { propertyId: a, income: { rentIncome: { rentAmount: 6_000 } }, expenses: { repairsAndMaintenance: 1_000 } },
        { propertyId: b, income: { rentIncome: { rentAmount: 3_000 } }, expenses: { other: 500 } },
        { propertyId: c, income: { rentIncome: { rentAmount: 2_000 } } },
      ],
    });
    await ok("property.foreign.annual.amend", ty, { foreignProperty: [{ propertyId: a, allowances: { otherCapitalAllowance: 400 } }] });
    const body = await summarise("2026-27", "2026-04-06", "2027-04-05", { foreignProperty: { propertyLevelDetail: [{ propertyId: b, income: { totalRentsReceived: 100 } }] } });

    type Entry = { countryCode?: string; propertyId?: string; totalIncome: number; taxableProfit: number; propertyLevelDetail?: Entry[] };
    const shape = (entries: unknown) =>
      (entries as Entry[]).map((e) => ({ countryCode: e.countryCode, totalIncome: e.totalIncome, taxableProfit: e.taxableProfit, properties: e.propertyLevelDetail!.map((p) => [p.propertyId, p.totalIncome, p.taxableProfit]) }));
    // FRA: 9,000 − 1,500 − 400 = 7,100 (A: 6,000 − 1,000 − 400 = 4,600; B: 3,000 − 500 = 2,500); ESP: C 2,000.
    expect(shape(body.adjustableSummaryCalculation!.countryLevelDetail)).toEqual([
      { countryCode: "FRA", totalIncome: 9_000, taxableProfit: 7_100, properties: [[a, 6_000, 4_600], [b, 3_000, 2_500]] },
      { countryCode: "ESP", totalIncome: 2_000, taxableProfit: 2_000, properties: [[c, 2_000, 2_000]] },
    ]);
    // Adjusted: B's rent + 100, so B 2,600 and FRA 7,200; the others as submitted.
    expect(shape(body.adjustedSummaryCalculation!.countryLevelDetail)).toEqual([
      { countryCode: "FRA", totalIncome: 9_100, taxableProfit: 7_200, properties: [[a, 6_000, 4_600], [b, 3_100, 2_600]] },
      { countryCode: "ESP", totalIncome: 2_000, taxableProfit: 2_000, properties: [[c, 2_000, 2_000]] },
    ]);
    expect(body.adjustedSummaryCalculation).toMatchObject({ totalIncome: 11_100, taxableProfit: 9_200 });
    const check = schemaCheck("def3");
    if (check) expect(check(body)).toEqual([]);
  });
});
