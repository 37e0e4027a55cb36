/**
 * Gov-Test-Scenario on the year-end endpoints (BSAS, Individual Calculations, final declaration obligations,
 * Individual Losses): every value HMRC documents is known, and every error value answers with its documented status
 * and code on an otherwise valid request.
 */
import type { FastifyInstance } from "fastify";
import { getEndpoint } from "../../src/mtd";
import { ENDPOINT_DOCS } from "../../src/sandbox/generated/hmrc-docs";
import { classifyScenario } from "../../src/sandbox/scenarios";
import { call, clockAt, connect, NINO, sandbox, SE, UKP } from "./helpers";

const UUID = "0b2f6d3a-1c5e-4f7a-9b8c-0d1e2f3a4b5c";
const LOSS_ID = "AAZZ1234567890a";
const ZERO = { ukProperty: { zeroAdjustments: true } };

/** A valid request for each endpoint: path parameters and body. */
const REQUESTS: Record<string, { params: Record<string, string>; body?: unknown }> = {
  "calculations.trigger": { params: { taxYear: "2025-26", calculationType: "in-year" } },
  "calculations.list": { params: { taxYear: "2025-26" } },
  "calculations.retrieve": { params: { taxYear: "2025-26", calculationId: UUID } },
  "calculations.submit": { params: { taxYear: "2025-26", calculationId: UUID, calculationType: "final-declaration" } },
  "obligations.final-declaration": { params: {} },
  "bsas.trigger": { params: {}, body: { accountingPeriod: { startDate: "2025-04-06", endDate: "2026-04-05" }, typeOfBusiness: "uk-property", businessId: UKP } },
  "bsas.list": { params: { taxYear: "2025-26" } },
  "bsas.self-employment.retrieve": { params: { calculationId: UUID, taxYear: "2025-26" } },
  "bsas.uk-property.retrieve": { params: { calculationId: UUID, taxYear: "2025-26" } },
  "bsas.foreign-property.retrieve": { params: { calculationId: UUID, taxYear: "2025-26" } },
  "bsas.self-employment.adjust": { params: { calculationId: UUID, taxYear: "2025-26" }, body: { zeroAdjustments: true } },
  "bsas.uk-property.adjust": { params: { calculationId: UUID, taxYear: "2025-26" }, body: ZERO },
  "bsas.foreign-property.adjust": { params: { calculationId: UUID, taxYear: "2025-26" }, body: { foreignProperty: { zeroAdjustments: true } } },
  "losses.bf.create": { params: { taxYear: "2024-25" }, body: { taxYearBroughtForwardFrom: "2024-25", typeOfLoss: "self-employment", businessId: SE, lossAmount: 10 } },
  "losses.bf.amend": { params: { lossId: LOSS_ID, taxYear: "2024-25" }, body: { lossAmount: 10 } },
  "losses.bf.list": { params: { taxYearBroughtForwardFrom: "2024-25" } },
  "losses.bf.retrieve": { params: { lossId: LOSS_ID } },
  "losses.bf.delete": { params: { lossId: LOSS_ID, taxYear: "2024-25" } },
  "losses.claims.create": { params: {}, body: { taxYearClaimedFor: "2024-25", typeOfLoss: "self-employment", typeOfClaim: "carry-forward", businessId: SE } },
  "losses.claims.list": { params: { taxYearClaimedFor: "2024-25" } },
  "losses.claims.retrieve": { params: { claimId: LOSS_ID } },
  "losses.claims.delete": { params: { claimId: LOSS_ID, taxYearClaimedFor: "2024-25" } },
  "losses.claims.change-type": { params: { claimId: LOSS_ID, taxYearClaimedFor: "2024-25" }, body: { typeOfClaim: "carry-sideways" } },
  "losses.claims.order": { params: { taxYearClaimedFor: "2024-25" }, body: { typeOfClaim: "carry-sideways", listOfLossClaims: [{ claimId: LOSS_ID, sequence: 1 }] } },
  "losses.business.retrieve": { params: { businessId: SE, taxYear: "2026-27" } },
  "losses.business.amend": { params: { businessId: SE, taxYear: "2026-27" }, body: { losses: { broughtForwardLosses: 10 } } },
  "losses.business.delete": { params: { businessId: SE, taxYear: "2026-27" } },
};

const IDS = Object.keys(REQUESTS);
const errorCases = IDS.flatMap((id) =>
  ENDPOINT_DOCS[id]!.scenarios.flatMap((value) => {
    const c = classifyScenario(id, value);
    return c?.kind === "error" ? [[id, value, c.code] as const] : [];
  }),
);

describe("sandbox: Gov-Test-Scenario on the year-end endpoints", () => {
  let app: FastifyInstance;
  let token: string;
  beforeAll(async () => {
    app = sandbox(clockAt("2027-05-01T10:00:00Z"));
    token = await connect(app);
  });
  afterAll(() => app.close());

  it("has generated docs for every year-end endpoint, and knows every documented value", () => {
    expect(IDS.filter((id) => !ENDPOINT_DOCS[id])).toEqual([]);
    expect(IDS.flatMap((id) => ENDPOINT_DOCS[id]!.scenarios.filter((v) => !classifyScenario(id, v)).map((v) => `${id}: ${v}`))).toEqual([]);
    expect(errorCases.length).toBeGreaterThan(60);
  });

  it.each(errorCases)("%s with %s answers %s as documented", async (id, value, code) => {
    const e = getEndpoint(id);
    const { params, body } = REQUESTS[id]!;
    const path = e.path.replace(/\{(\w+)\}/g, (_m, n: string) => ({ nino: NINO, ...params })[n]!);
    const res = await call(app, e.method, path, { token, version: e.version, scenario: value, ...(body !== undefined ? { body } : {}) });
    const documented = ENDPOINT_DOCS[id]!.errors.find((d) => d.code === code)!;
    expect({ status: res.statusCode, code: res.json().code }).toEqual({ status: documented.status, code });
  });

  it("answers an unknown value with RULE_INCORRECT_GOV_TEST_SCENARIO", async () => {
    const res = await call(app, "GET", `/individuals/calculations/${NINO}/self-assessment/2025-26`, { token, version: "8.0", scenario: "NO_SUCH_THING" });
    expect(res.json().code).toBe("RULE_INCORRECT_GOV_TEST_SCENARIO");
  });
});
