/**
 * Business Details 2.0 late accounting date rule election: retrieve, disapply, withdraw — eligibility from the
 * periods of account, the five-year term, HMRC's documented rules and Gov-Test-Scenarios.
 */
import type { FastifyInstance } from "fastify";
import { getEndpoint } from "../../src/mtd";
import { call, clockAt, connect, NINO, sandbox, SE, UKP, type Clock, type Response } from "./helpers";

const RETRIEVE = "business-details.late-accounting-date-rule.retrieve";
const DISAPPLY = "business-details.late-accounting-date-rule.disapply";
const WITHDRAW = "business-details.late-accounting-date-rule.withdraw";

function url(id: string, params: Record<string, string>): string {
  return getEndpoint(id).path.replace(/\{(\w+)\}/g, (_m, n: string) => ({ nino: NINO, ...params })[n]!);
}

describe("sandbox: late accounting date rule election", () => {
  let app: FastifyInstance;
  let token: string;
  let clock: Clock;
  beforeEach(async () => {
    clock = clockAt("2026-05-20T10:00:00Z");
    app = sandbox(clock);
    token = await connect(app);
  });
  afterEach(() => app.close());

  const send = (id: string, params: Record<string, string>, options: { body?: unknown; scenario?: string } = {}): Promise<Response> => {
    const e = getEndpoint(id);
    return call(app, e.method, url(id, params), {
      token,
      version: e.version,
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(options.scenario ? { headers: { "gov-test-scenario": options.scenario } } : {}),
    });
  };
  const outcome = async (res: Promise<Response>) => {
    const r = await res;
    return r.statusCode < 300 ? r.statusCode : { status: r.statusCode, code: r.json().code as string };
  };
  const yearOf = (taxYear: string, businessId = SE) => ({ businessId, taxYear });
  /** A 2025-26 period of account starting 1 April 2025 and ending on the given date. */
  const periodEnding = (taxYear: string, endDate: string) =>
    send("business-details.periods-of-account.update", yearOf(taxYear), { body: { periodsOfAccount: true, periodsOfAccountDates: [{ startDate: "2025-04-01", endDate }] } });

  it("disapplies for an eligible year, shows the five-year term, and withdraws", async () => {
    expect(await outcome(periodEnding("2025-26", "2026-03-31"))).toBe(204);
    expect((await send(RETRIEVE, yearOf("2025-26"))).json()).toEqual({ disapply: false, eligible: true });

    expect(await outcome(send(DISAPPLY, yearOf("2025-26")))).toBe(204);
    // Elected for 2025-26: in force to 2029-30 (that year and the next four), as HMRC's example shows.
    expect((await send(RETRIEVE, yearOf("2025-26"))).json()).toEqual({ disapply: true, eligible: true, taxYearOfElection: "2025-26", taxYearElectionExpires: "2029-30" });
    expect((await send(RETRIEVE, yearOf("2029-30"))).json()).toMatchObject({ disapply: true, taxYearOfElection: "2025-26" });
    expect((await send(RETRIEVE, yearOf("2030-31"))).json()).toMatchObject({ disapply: false });

    expect(await outcome(send(WITHDRAW, yearOf("2025-26")))).toBe(204);
    expect((await send(RETRIEVE, yearOf("2025-26"))).json()).toEqual({ disapply: false, eligible: true });
    // Nothing left to withdraw.
    expect(await outcome(send(WITHDRAW, yearOf("2025-26")))).toEqual({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
  });

  it("applies HMRC's rules", async () => {
    // Not eligible: the period of account ends 5 April, outside 31 March – 4 April; or there is none.
    expect(await outcome(send(DISAPPLY, yearOf("2025-26")))).toEqual({ status: 422, code: "RULE_NO_ACCOUNTING_DATE_FOUND" });
    expect(await outcome(periodEnding("2025-26", "2026-04-05"))).toBe(204);
    expect(await outcome(send(DISAPPLY, yearOf("2025-26")))).toEqual({ status: 422, code: "RULE_NO_ACCOUNTING_DATE_FOUND" });
    // A property business, an unknown one; the year not ended; before 2025-26; a bad business id.
    expect(await outcome(send(DISAPPLY, yearOf("2025-26", UKP)))).toEqual({ status: 422, code: "RULE_TYPE_OF_BUSINESS_INCORRECT" });
    expect(await outcome(send(RETRIEVE, yearOf("2025-26", UKP)))).toEqual({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
    expect(await outcome(send(DISAPPLY, yearOf("2025-26", "XAIS99999999999")))).toEqual({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
    expect(await outcome(send(DISAPPLY, yearOf("2026-27")))).toEqual({ status: 400, code: "RULE_TAX_YEAR_NOT_ENDED" });
    expect(await outcome(send(WITHDRAW, yearOf("2026-27")))).toEqual({ status: 400, code: "RULE_TAX_YEAR_NOT_ENDED" });
    expect(await outcome(send(DISAPPLY, yearOf("2024-25")))).toEqual({ status: 400, code: "RULE_TAX_YEAR_NOT_SUPPORTED" });
    expect(await outcome(send(RETRIEVE, yearOf("2025-26", "XAIS1")))).toEqual({ status: 400, code: "FORMAT_BUSINESS_ID" });
  });

  it("binds an election once its year is declared: a later year cannot change it, the declared year is locked", async () => {
    expect(await outcome(periodEnding("2025-26", "2026-04-01"))).toBe(204);
    expect(await outcome(send(DISAPPLY, yearOf("2025-26")))).toBe(204);
    await call(app, "PUT", url("self-employment.cumulative.amend", yearOf("2025-26")), {
      token,
      version: "5.0",
      body: { periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2026-04-05" }, periodIncome: { turnover: 1_000 } },
    });
    const trigger = (calculationType: string) => send("calculations.trigger", { taxYear: "2025-26", calculationType });
    const calculationId = (await trigger("intent-to-finalise")).json().calculationId as string;
    expect(await outcome(send("calculations.submit", { taxYear: "2025-26", calculationId, calculationType: "final-declaration" }))).toBe(204);

    expect(await outcome(send(WITHDRAW, yearOf("2025-26")))).toEqual({ status: 400, code: "RULE_OUTSIDE_AMENDMENT_WINDOW" });
    clock.now = new Date("2027-05-20T10:00:00Z");
    token = await connect(app);
    expect(await outcome(send(WITHDRAW, yearOf("2026-27")))).toEqual({ status: 422, code: "RULE_ELECTION_PERIOD_NOT_EXPIRED" });
  });

  it("answers HMRC's documented scenarios", async () => {
    expect(await outcome(send(RETRIEVE, yearOf("2025-26"), { scenario: "NOT_FOUND" }))).toEqual({ status: 404, code: "MATCHING_RESOURCE_NOT_FOUND" });
    for (const [scenario, status, code] of [
      ["NO_ACCOUNTING_DATE_FOUND", 422, "RULE_NO_ACCOUNTING_DATE_FOUND"],
      ["ELECTION_PERIOD_NOT_EXPIRED", 422, "RULE_ELECTION_PERIOD_NOT_EXPIRED"],
      ["OUTSIDE_AMENDMENT_WINDOW", 400, "RULE_OUTSIDE_AMENDMENT_WINDOW"],
      ["TYPE_OF_BUSINESS_INCORRECT", 422, "RULE_TYPE_OF_BUSINESS_INCORRECT"],
    ] as const) {
      expect({ scenario, got: await outcome(send(DISAPPLY, yearOf("2025-26"), { scenario })) }).toEqual({ scenario, got: { status, code } });
    }
    expect(await outcome(send(WITHDRAW, yearOf("2025-26"), { scenario: "ELECTION_PERIOD_NOT_EXPIRED" }))).toEqual({ status: 422, code: "RULE_ELECTION_PERIOD_NOT_EXPIRED" });
    expect(await outcome(send(WITHDRAW, yearOf("2025-26"), { scenario: "NOPE" }))).toEqual({ status: 400, code: "RULE_INCORRECT_GOV_TEST_SCENARIO" });
  });
});
