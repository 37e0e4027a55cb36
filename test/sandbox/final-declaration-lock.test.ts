/**
 * A final declaration locks its tax year: every in-year and annual write for it answers the endpoint's documented
 * amendment-window error, until an intent-to-amend calculation opens the window; confirming the amendment locks
 * the year again.
 */
import type { FastifyInstance } from "fastify";
import { getEndpoint } from "../../src/mtd";
import { call, clockAt, connect, FP, NINO, sandbox, SE, UKP, type Clock, type Response } from "./helpers";

function url(id: string, params: Record<string, string>): string {
  return getEndpoint(id).path.replace(/\{(\w+)\}/g, (_m, n: string) => ({ nino: NINO, ...params })[n]!);
}

interface Write {
  id: string;
  params: Record<string, string>;
  body?: unknown;
  code?: string;
}

describe("sandbox: the final declaration locks the year", () => {
  let app: FastifyInstance;
  let token: string;
  let clock: Clock;
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
  const calculate = async (taxYear: string, calculationType: string): Promise<string> =>
    (await ok("calculations.trigger", { taxYear, calculationType })).json().calculationId as string;
  const declare = async (taxYear: string) => {
    const calculationId = await calculate(taxYear, "intent-to-finalise");
    await ok("calculations.submit", { taxYear, calculationId, calculationType: "final-declaration" });
  };
  const codes = async (writes: readonly Write[]) => {
    const out: Record<string, string> = {};
    for (const w of writes) {
      const res = await send(w.id, w.params, w.body);
      out[w.id] = res.body === "" ? "accepted" : (res.json().code as string);
    }
    return out;
  };

  it("2026-27: cumulative, annual, foreign details, BSAS and Losses 7.0 writes are refused, then allowed while amending", async () => {
    clock = clockAt("2027-04-20T10:00:00Z");
    app = sandbox(clock);
    token = await connect(app);
    const ty = "2026-27";
    const fullYear = { fromDate: "2026-04-06", toDate: "2027-04-05" };
    const ukBody = { ...fullYear, ukProperty: { income: { periodAmount: 30_000 } } };
    await ok("property.uk.cumulative.amend", { businessId: UKP, taxYear: ty }, ukBody);
    const propertyId = (await ok("property.foreign.details.create", { businessId: FP, taxYear: ty }, { propertyName: "Villa Rosa", countryCode: "FRA" })).json().propertyId as string;
    const bsasBody = (typeOfBusiness: string, businessId: string) => ({ accountingPeriod: { startDate: "2026-04-06", endDate: "2027-04-05" }, typeOfBusiness, businessId });
    const bsasId = (await ok("bsas.trigger", {}, bsasBody("uk-property", UKP))).json().calculationId as string;
    clock.advanceSeconds(60);
    await declare(ty);

    const writes: Write[] = [
      { id: "property.uk.cumulative.amend", params: { businessId: UKP, taxYear: ty }, body: ukBody },
      { id: "property.uk.annual.amend", params: { businessId: UKP, taxYear: ty }, body: { ukProperty: { allowances: { costOfReplacingDomesticItems: 500 } } } },
      { id: "property.annual.delete", params: { businessId: UKP, taxYear: ty } },
      { id: "property.foreign.cumulative.amend", params: { businessId: FP, taxYear: ty }, body: { ...fullYear, foreignProperty: [{ propertyId, income: { rentIncome: { rentAmount: 100 } } }] } },
      { id: "property.foreign.annual.amend", params: { businessId: FP, taxYear: ty }, body: { foreignProperty: [{ propertyId, allowances: { otherCapitalAllowance: 100 } }] } },
      { id: "property.foreign.details.create", params: { businessId: FP, taxYear: ty }, body: { propertyName: "Casa Azul", countryCode: "ESP" } },
      { id: "property.foreign.details.update", params: { propId: propertyId, taxYear: ty }, body: { propertyName: "Villa Rosa II" } },
      { id: "self-employment.cumulative.amend", params: { businessId: SE, taxYear: ty }, body: { periodDates: { periodStartDate: "2026-04-06", periodEndDate: "2027-04-05" }, periodIncome: { turnover: 100 } } },
      { id: "self-employment.annual.amend", params: { businessId: SE, taxYear: ty }, body: { allowances: { annualInvestmentAllowance: 100 } } },
      { id: "self-employment.annual.delete", params: { businessId: SE, taxYear: ty } },
      { id: "bsas.trigger", params: {}, body: bsasBody("uk-property", UKP) },
      { id: "bsas.uk-property.adjust", params: { calculationId: bsasId, taxYear: ty }, body: { ukProperty: { expenses: { repairsAndMaintenance: 300 } } } },
      { id: "losses.business.amend", params: { businessId: SE, taxYear: ty }, body: { losses: { broughtForwardLosses: 100 } } },
      { id: "losses.business.delete", params: { businessId: SE, taxYear: ty } },
    ];
    const locked = Object.fromEntries(writes.map((w) => [w.id, "RULE_OUTSIDE_AMENDMENT_WINDOW"]));
    expect(await codes(writes)).toEqual(locked);
    // Reads are not locked, and neither is another year.
    expect((await send("property.uk.cumulative.retrieve", { businessId: UKP, taxYear: ty })).statusCode).toBe(200);
    expect((await send("property.uk.cumulative.amend", { businessId: UKP, taxYear: "2025-26" }, { fromDate: "2025-04-06", toDate: "2026-04-05", ukProperty: { income: { periodAmount: 1 } } })).statusCode).toBe(204);

    // An intent-to-amend opens the amendment window: the same writes now reach their own rules.
    clock.advanceSeconds(60);
    await calculate(ty, "intent-to-amend");
    const amending = await codes(writes);
    expect(Object.values(amending)).not.toContain("RULE_OUTSIDE_AMENDMENT_WINDOW");
    expect(amending["property.uk.cumulative.amend"]).toBe("accepted");

    // Confirming the amendment locks the year again.
    clock.advanceSeconds(60);
    const amendment = await calculate(ty, "intent-to-amend");
    await ok("calculations.submit", { taxYear: ty, calculationId: amendment, calculationType: "confirm-amendment" });
    expect((await send("property.uk.cumulative.amend", { businessId: UKP, taxYear: ty }, ukBody)).json().code).toBe("RULE_OUTSIDE_AMENDMENT_WINDOW");
  });

  it("2025-26: Losses 6.0 writes are refused; deleting a brought-forward loss answers RULE_DELETE_AFTER_FINAL_DECLARATION", async () => {
    clock = clockAt("2026-04-20T10:00:00Z");
    app = sandbox(clock);
    token = await connect(app);
    const ty = "2025-26";
    await ok("property.uk.cumulative.amend", { businessId: UKP, taxYear: ty }, { fromDate: "2025-04-06", toDate: "2026-04-05", ukProperty: { income: { periodAmount: 30_000 } } });
    const lossId = (await ok("losses.bf.create", { taxYear: ty }, { taxYearBroughtForwardFrom: ty, typeOfLoss: "self-employment", businessId: SE, lossAmount: 1000 })).json().lossId as string;
    const claimId = (await ok("losses.claims.create", {}, { taxYearClaimedFor: ty, typeOfLoss: "uk-property", typeOfClaim: "carry-sideways", businessId: UKP })).json().claimId as string;
    clock.advanceSeconds(60);
    await declare(ty);

    expect(
      await codes([
        { id: "losses.bf.create", params: { taxYear: ty }, body: { taxYearBroughtForwardFrom: ty, typeOfLoss: "uk-property", businessId: UKP, lossAmount: 1000 } },
        { id: "losses.bf.amend", params: { lossId, taxYear: ty }, body: { lossAmount: 2000 } },
        { id: "losses.bf.delete", params: { lossId, taxYear: ty } },
        { id: "losses.claims.create", params: {}, body: { taxYearClaimedFor: ty, typeOfLoss: "self-employment", typeOfClaim: "carry-sideways", businessId: SE } },
        { id: "losses.claims.change-type", params: { claimId, taxYearClaimedFor: ty }, body: { typeOfClaim: "carry-forward-to-carry-sideways" } },
        { id: "losses.claims.order", params: { taxYearClaimedFor: ty }, body: { typeOfClaim: "carry-sideways", listOfLossClaims: [{ claimId, sequence: 1 }] } },
        { id: "losses.claims.delete", params: { claimId, taxYearClaimedFor: ty } },
      ]),
    ).toEqual({
      "losses.bf.create": "RULE_OUTSIDE_AMENDMENT_WINDOW",
      "losses.bf.amend": "RULE_OUTSIDE_AMENDMENT_WINDOW",
      "losses.bf.delete": "RULE_DELETE_AFTER_FINAL_DECLARATION",
      "losses.claims.create": "RULE_OUTSIDE_AMENDMENT_WINDOW",
      "losses.claims.change-type": "RULE_OUTSIDE_AMENDMENT_WINDOW",
      "losses.claims.order": "RULE_OUTSIDE_AMENDMENT_WINDOW",
      "losses.claims.delete": "RULE_OUTSIDE_AMENDMENT_WINDOW",
    });
    // Another year's loss is not locked.
    expect((await send("losses.bf.create", { taxYear: "2024-25" }, { taxYearBroughtForwardFrom: "2024-25", typeOfLoss: "uk-property", businessId: UKP, lossAmount: 1000 })).statusCode).toBe(201);
  });

  it("2025-26: the amendment window closes after 31 January 2028, even with an intent-to-amend open", async () => {
    clock = clockAt("2026-04-20T10:00:00Z");
    app = sandbox(clock);
    token = await connect(app);
    const ty = "2025-26";
    const body = (periodAmount: number) => ({ fromDate: "2025-04-06", toDate: "2026-04-05", ukProperty: { income: { periodAmount } } });
    await ok("property.uk.cumulative.amend", { businessId: UKP, taxYear: ty }, body(30_000));
    clock.advanceSeconds(60);
    await declare(ty);

    // The last day of the window: an intent-to-amend opens it and a write is accepted.
    clock.now = new Date("2028-01-31T23:00:00Z");
    token = await connect(app);
    await calculate(ty, "intent-to-amend");
    expect((await send("property.uk.cumulative.amend", { businessId: UKP, taxYear: ty }, body(31_000))).statusCode).toBe(204);

    // The next day the open amendment no longer lets writes through, and no new one can start.
    clock.now = new Date("2028-02-01T00:30:00Z");
    token = await connect(app);
    expect((await send("property.uk.cumulative.amend", { businessId: UKP, taxYear: ty }, body(32_000))).json().code).toBe("RULE_OUTSIDE_AMENDMENT_WINDOW");
    const late = await send("calculations.trigger", { taxYear: ty, calculationType: "intent-to-amend" });
    expect({ status: late.statusCode, code: late.json().code }).toEqual({ status: 400, code: "RULE_OUTSIDE_AMENDMENT_WINDOW" });
  });
});
