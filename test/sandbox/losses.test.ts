/**
 * Individual Losses 6.0 (to 2025-26) and 7.0 (from 2026-27) on the sandbox: CRUD, HMRC's rules, the version
 * boundary, and losses brought forward reducing the same business's profit in the calculation (sums stated).
 */
import type { FastifyInstance } from "fastify";
import { getEndpoint } from "../../src/mtd";
import { call, clockAt, connect, NINO, sandbox, SE, UKP, type Response } from "./helpers";

function url(id: string, params: Record<string, string>): string {
  return getEndpoint(id).path.replace(/\{(\w+)\}/g, (_m, n: string) => ({ nino: NINO, ...params })[n]!);
}
const LOSS_ID = /^[A-Za-z0-9]{15}$/;

describe("sandbox: Individual Losses", () => {
  let app: FastifyInstance;
  let token: string;
  beforeEach(async () => {
    app = sandbox(clockAt("2027-05-01T10:00:00Z")); // 2025-26 and 2026-27 have ended
    token = await connect(app);
  });
  afterEach(() => app.close());

  const send = (id: string, params: Record<string, string>, body?: unknown, query = ""): Promise<Response> => {
    const e = getEndpoint(id);
    return call(app, e.method, `${url(id, params)}${query}`, { token, version: e.version, ...(body !== undefined ? { body } : {}) });
  };
  const code = async (res: Promise<Response>) => (await res).json().code as string;
  const createLoss = (body: Record<string, unknown>, taxYear = "2024-25") =>
    send("losses.bf.create", { taxYear }, { taxYearBroughtForwardFrom: taxYear, typeOfLoss: "self-employment", businessId: SE, lossAmount: 5000, ...body });

  it("creates, lists, amends, retrieves and deletes a brought-forward loss (6.0)", async () => {
    const created = await createLoss({});
    expect(created.statusCode).toBe(201);
    const { lossId } = created.json();
    expect(lossId).toMatch(LOSS_ID);
    expect(await code(createLoss({}))).toBe("RULE_DUPLICATE_SUBMISSION");

    const listed = await send("losses.bf.list", { taxYearBroughtForwardFrom: "2024-25" }, undefined, "?typeOfLoss=self-employment");
    expect(listed.json()).toEqual({ losses: [{ lossId, businessId: SE, typeOfLoss: "self-employment", lossAmount: 5000, taxYearBroughtForwardFrom: "2024-25", lastModified: "2027-05-01T10:00:00.000Z" }] });
    expect((await send("losses.bf.list", { taxYearBroughtForwardFrom: "2024-25" }, undefined, "?typeOfLoss=uk-property")).statusCode).toBe(404);

    const amended = await send("losses.bf.amend", { lossId, taxYear: "2024-25" }, { lossAmount: 4000 });
    expect(amended.statusCode).toBe(200);
    expect(amended.json()).toMatchObject({ lossAmount: 4000, typeOfLoss: "self-employment" });
    expect(await code(send("losses.bf.amend", { lossId, taxYear: "2024-25" }, { lossAmount: 4000 }))).toBe("RULE_NO_CHANGE");
    expect((await send("losses.bf.retrieve", { lossId })).json().lossAmount).toBe(4000);

    expect((await send("losses.bf.delete", { lossId, taxYear: "2024-25" })).statusCode).toBe(204);
    expect(await code(send("losses.bf.retrieve", { lossId }))).toBe("MATCHING_RESOURCE_NOT_FOUND");
  });

  it("applies the brought-forward loss rules", async () => {
    expect(await code(createLoss({ typeOfLoss: "uk-property-fhl", businessId: UKP }, "2025-26"))).toBe("RULE_BFL_NOT_SUPPORTED_FOR_FHL_PROPERTIES");
    expect(await code(createLoss({ typeOfLoss: "uk-property", businessId: SE }))).toBe("MATCHING_RESOURCE_NOT_FOUND");
    expect(await code(createLoss({ typeOfLoss: "bogus" }))).toBe("FORMAT_TYPE_OF_LOSS");
    expect(await code(createLoss({ lossAmount: -1 }))).toBe("FORMAT_VALUE");
    expect(await code(createLoss({ taxYearBroughtForwardFrom: "2024-26" }))).toBe("RULE_TAX_YEAR_RANGE_INVALID");
    expect(await code(send("losses.bf.list", { taxYearBroughtForwardFrom: "2026-27" }))).toBe("RULE_TAX_YEAR_FOR_VERSION_NOT_SUPPORTED");
    expect(await code(send("losses.bf.retrieve", { lossId: "bad" }))).toBe("FORMAT_LOSS_ID");
  });

  it("creates loss claims, changes their type and orders carry-sideways claims (6.0)", async () => {
    const create = (body: Record<string, unknown>) =>
      send("losses.claims.create", {}, { taxYearClaimedFor: "2025-26", typeOfLoss: "uk-property", typeOfClaim: "carry-sideways", businessId: UKP, ...body });
    const created = await create({});
    expect(created.statusCode).toBe(201);
    const { claimId } = created.json();
    expect(await code(create({}))).toBe("RULE_DUPLICATE_SUBMISSION");
    expect(await code(create({ typeOfClaim: "carry-forward" }))).toBe("RULE_TYPE_OF_CLAIM_INVALID");
    expect(await code(create({ typeOfClaim: "carry-sideways-fhl" }))).toBe("RULE_CSFHL_CLAIM_NOT_SUPPORTED");
    expect(await code(create({ taxYearClaimedFor: "2026-27" }))).toBe("RULE_TAX_YEAR_FOR_VERSION_NOT_SUPPORTED");
    expect(await code(create({ taxYearClaimedFor: "2018-19" }))).toBe("RULE_TAX_YEAR_NOT_SUPPORTED");
    const se = await create({ typeOfLoss: "self-employment", businessId: SE });
    expect(se.statusCode).toBe(201);

    expect((await send("losses.claims.retrieve", { claimId })).json()).toEqual({
      businessId: UKP, typeOfLoss: "uk-property", typeOfClaim: "carry-sideways", taxYearClaimedFor: "2025-26", lastModified: "2027-05-01T10:00:00.000Z",
    });
    const listed = await send("losses.claims.list", { taxYearClaimedFor: "2025-26" }, undefined, "?typeOfClaim=carry-sideways");
    expect(listed.json().claims.map((c: { claimId: string }) => c.claimId).sort()).toEqual([claimId, se.json().claimId].sort());

    const order = (list: Array<{ claimId: string; sequence: number }>) => send("losses.claims.order", { taxYearClaimedFor: "2025-26" }, { typeOfClaim: "carry-sideways", listOfLossClaims: list });
    expect(await code(order([{ claimId, sequence: 2 }, { claimId: se.json().claimId, sequence: 3 }]))).toBe("RULE_INVALID_SEQUENCE_START");
    expect(await code(order([{ claimId, sequence: 1 }, { claimId: se.json().claimId, sequence: 3 }]))).toBe("RULE_SEQUENCE_ORDER_BROKEN");
    expect(await code(order([{ claimId, sequence: 1 }]))).toBe("RULE_LOSS_CLAIMS_MISSING");
    expect((await order([{ claimId, sequence: 2 }, { claimId: se.json().claimId, sequence: 1 }])).statusCode).toBe(200);
    expect((await send("losses.claims.retrieve", { claimId })).json().sequence).toBe(2);

    const change = (typeOfClaim: string) => send("losses.claims.change-type", { claimId, taxYearClaimedFor: "2025-26" }, { typeOfClaim });
    expect(await code(change("carry-sideways"))).toBe("RULE_NO_CHANGE");
    expect(await code(change("carry-forward"))).toBe("RULE_TYPE_OF_CLAIM_INVALID");
    expect((await change("carry-forward-to-carry-sideways")).json().typeOfClaim).toBe("carry-forward-to-carry-sideways");
    expect((await send("losses.claims.delete", { claimId, taxYearClaimedFor: "2025-26" })).statusCode).toBe(204);
    expect((await send("losses.claims.retrieve", { claimId })).statusCode).toBe(404);
  });

  it("keeps one losses-and-claims record per business and year (7.0)", async () => {
    const params = { businessId: SE, taxYear: "2026-27" };
    expect((await send("losses.business.retrieve", params)).statusCode).toBe(404);
    const body = { claims: { carryForward: { currentYearLosses: 1200.5 } }, losses: { broughtForwardLosses: 3000 } };
    expect((await send("losses.business.amend", params, body)).statusCode).toBe(204);
    expect((await send("losses.business.retrieve", params)).json()).toEqual({ submittedOn: "2027-05-01T10:00:00.000Z", ...body });

    const both = { claims: { carryBack: { previousYearGeneralIncome: 1 }, carrySideways: { currentYearGeneralIncome: 1 } } };
    expect(await code(send("losses.business.amend", params, both))).toBe("RULE_MISSING_PREFERENCE_ORDER");
    expect(await code(send("losses.business.amend", params, { claims: { preferenceOrder: { applyFirst: "carry-back" }, carrySideways: { currentYearGeneralIncome: 1 } } }))).toBe(
      "RULE_PREFERENCE_ORDER_NOT_ALLOWED",
    );
    expect(await code(send("losses.business.amend", params, { claims: { carryBack: { terminalLosses: 1 }, carryForward: { currentYearLosses: 1 } } }))).toBe(
      "RULE_CARRY_FORWARD_AND_TERMINAL_LOSS_NOT_ALLOWED",
    );
    expect(await code(send("losses.business.amend", { businessId: UKP, taxYear: "2026-27" }, { claims: { carryBack: { earlyYearLosses: 1 } } }))).toBe("RULE_CARRY_BACK_CLAIM");
    expect(await code(send("losses.business.amend", { businessId: SE, taxYear: "2027-28" }, body))).toBe("RULE_TAX_YEAR_NOT_ENDED");
    // HMRC's sandbox-only header allows the in-year submission; "false" does not.
    const inYear = (value: string) =>
      call(app, "PUT", url("losses.business.amend", { businessId: SE, taxYear: "2027-28" }), { token, version: "7.0", body, headers: { "suspend-temporal-validations": value } });
    expect((await inYear("false")).json().code).toBe("RULE_TAX_YEAR_NOT_ENDED");
    expect((await inYear("true")).statusCode).toBe(204);
    expect((await send("losses.business.retrieve", { businessId: SE, taxYear: "2027-28" })).json()).toMatchObject(body);
    expect(await code(send("losses.business.amend", params, {}))).toBe("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED");
    expect(await code(send("losses.business.retrieve", { businessId: SE, taxYear: "2025-26" }))).toBe("RULE_TAX_YEAR_NOT_SUPPORTED");

    expect((await send("losses.business.delete", params)).statusCode).toBe(204);
    expect((await send("losses.business.delete", params)).statusCode).toBe(404);
  });

  it("reduces the same business's profit by its losses brought forward", async () => {
    const cumulative = await send("self-employment.cumulative.amend", { businessId: SE, taxYear: "2025-26" }, {
      periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2026-04-05" },
      periodIncome: { turnover: 20_000 },
    });
    expect(cumulative.statusCode).toBe(204);
    expect((await createLoss({ lossAmount: 5000 })).statusCode).toBe(201);
    const calcId = (await send("calculations.trigger", { taxYear: "2025-26", calculationType: "intent-to-finalise" })).json().calculationId as string;
    const calc = (await send("calculations.retrieve", { taxYear: "2025-26", calculationId: calcId })).json().calculation;
    // 20,000 − 5,000 = 15,000: tax (15,000 − 12,570) × 20% = 486; Class 4 2,430 × 6% = 145.80; total 631.80.
    expect(calc.businessProfitAndLoss[0]).toMatchObject({ taxableProfit: 20000, totalBroughtForwardIncomeTaxLosses: 5000, broughtForwardIncomeTaxLossesUsed: 5000, taxableProfitAfterIncomeTaxLossesDeduction: 15000 });
    expect(calc.taxCalculation.incomeTax.totalIncomeTaxDue).toBe(486);
    expect(calc.taxCalculation.nics.class4Nics.totalAmount).toBe(145.8);
    expect(calc.taxCalculation.totalIncomeTaxAndNicsDue).toBe(631.8);
  });
});
