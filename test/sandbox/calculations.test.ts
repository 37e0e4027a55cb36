/**
 * Individual Calculations 8.0 on the sandbox: trigger / list / retrieve / final declaration / amendment, figures
 * from src/sandbox/tax on what was submitted (sums stated), and the year locking after a final declaration.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
import type { FastifyInstance } from "fastify";
import { call, clockAt, connect, paths, sandbox, type Clock } from "./helpers";

const CALC = "/individuals/calculations/AA123456A/self-assessment";
const V = "8.0";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The whole of 2025-26 in one cumulative update: £30,000 rent, £4,000 residential finance costs. */
const fullYear = (rent = 30_000, financeCosts = 4_000) => ({
  fromDate: "2025-04-06",
  toDate: "2026-04-05",
  ukProperty: { income: { periodAmount: rent }, expenses: { residentialFinancialCost: financeCosts } },
});

describe("sandbox: Individual Calculations 8.0", () => {
  let app: FastifyInstance;
  let token: string;
  let clock: Clock;
  beforeEach(async () => {
    clock = clockAt("2026-04-20T10:00:00Z"); // 2025-26 has ended
    app = sandbox(clock);
    token = await connect(app);
  });
  afterEach(() => app.close());

  const submitUk = async (body: unknown = fullYear()) => {
    const res = await call(app, "PUT", paths.ukCumulative(), { token, version: "6.0", body });
    expect(res.statusCode).toBe(204);
  };
  const trigger = (type: string, taxYear = "2025-26", scenario?: string) =>
    call(app, "POST", `${CALC}/${taxYear}/trigger/${type}`, { token, version: V, ...(scenario ? { scenario } : {}) });
  const retrieve = (id: string, taxYear = "2025-26", scenario?: string) => call(app, "GET", `${CALC}/${taxYear}/${id}`, { token, version: V, ...(scenario ? { scenario } : {}) });
  const list = (query = "", taxYear = "2025-26") => call(app, "GET", `${CALC}/${taxYear}${query}`, { token, version: V });
  const submit = (id: string, type: string, taxYear = "2025-26") => call(app, "POST", `${CALC}/${taxYear}/${id}/${type}`, { token, version: V });
  const idOf = async (type: string, taxYear = "2025-26") => {
    const res = await trigger(type, taxYear);
    expect(res.statusCode).toBe(202);
    return (res.json() as { calculationId: string }).calculationId;
  };

  it("calculates on what was submitted: £30,000 rent with £4,000 finance costs", async () => {
    await submitUk();
    const res = await trigger("intent-to-finalise");
    expect(res.statusCode).toBe(202);
    const { calculationId } = res.json();
    expect(calculationId).toMatch(UUID);

    const calc = await retrieve(calculationId);
    expect(calc.statusCode).toBe(200);
    const body = calc.json();
    expect(body.metadata).toMatchObject({ calculationId, taxYear: "2025-26", calculationType: "intent-to-finalise", periodFrom: "2025-04-06", periodTo: "2026-04-05" });
    expect(body.inputs.incomeSources.businessIncomeSources).toEqual([
      expect.objectContaining({ incomeSourceId: "XPIS12345678901", incomeSourceType: "uk-property", source: "MTD-SA", latestPeriodEndDate: "2026-04-05" }),
    ]);
    // Profit 30,000 (finance costs are not expenses); allowance 12,570; taxable 17,430 × 20% = 3,486;
    // reduction 20% × min(4,000, 30,000, 17,430) = 800; due 2,686.
    const c = body.calculation;
    expect(c.businessProfitAndLoss[0]).toMatchObject({ totalIncome: 30000, totalExpenses: 0, netProfit: 30000, taxableProfit: 30000 });
    expect(c.allowancesAndDeductions.personalAllowance).toBe(12570);
    expect(c.reliefs.residentialFinanceCosts).toMatchObject({ relievableAmount: 4000, rate: 20, totalResidentialFinanceCostsRelief: 800 });
    expect(c.taxCalculation.incomeTax).toMatchObject({ totalIncomeReceivedFromAllSources: 30000, totalTaxableIncome: 17430, incomeTaxCharged: 3486, totalIncomeTaxDue: 2686 });
    expect(c.taxCalculation.incomeTax.payPensionsProfit.taxBands).toEqual([{ name: "basic-rate", rate: 20, bandLimit: 37700, apportionedBandLimit: 37700, income: 17430, taxAmount: 3486 }]);
    expect(c.taxCalculation.nics).toBeUndefined();
    expect(c.taxCalculation.totalIncomeTaxAndNicsDue).toBe(2686);
    expect(body.messages.info.map((m: { text: string }) => m.text).join(" ")).toMatch(/Scottish/);

    const listed = await list();
    expect(listed.statusCode).toBe(200);
    expect(listed.json().calculations).toEqual([
      { calculationId, calculationTimestamp: "2026-04-20T10:00:00.000Z", calculationType: "intent-to-finalise", calculationTrigger: "attended", calculationOutcome: "PROCESSED", liabilityAmount: 2686 },
    ]);
  });

  it("refuses with nothing submitted, and answers 404 for unknown calculations and empty lists", async () => {
    const none = await trigger("in-year");
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe("RULE_NO_INCOME_SUBMISSIONS_EXIST");
    expect((await list()).statusCode).toBe(404);
    await submitUk();
    const id = await idOf("in-year");
    expect((await retrieve("0b2f6d3a-1c5e-4f7a-9b8c-0d1e2f3a4b5c")).json().code).toBe("MATCHING_RESOURCE_NOT_FOUND");
    expect((await retrieve(id, "2024-25")).statusCode).toBe(404); // the id belongs to 2025-26
    expect((await retrieve("not-an-id")).json().code).toBe("FORMAT_CALCULATION_ID");
  });

  it("allows intent-to-finalise and the final declaration only after the tax year", async () => {
    clock.now = new Date("2025-07-20T10:00:00Z");
    await submitUk({ fromDate: "2025-04-06", toDate: "2025-07-05", ukProperty: { income: { periodAmount: 5000 } } });
    expect((await trigger("intent-to-finalise")).json().code).toBe("RULE_TAX_YEAR_NOT_ENDED");
    const inYear = await idOf("in-year");
    expect((await submit(inYear, "final-declaration")).json().code).toBe("RULE_FINAL_DECLARATION_TAX_YEAR");
  });

  it("declares, locks the year, then allows an amendment to be confirmed", async () => {
    await submitUk();
    const inYear = await idOf("in-year");
    expect((await trigger("intent-to-amend")).json().code).toBe("RULE_DECLARATION_NOT_RECEIVED");
    expect((await submit(inYear, "final-declaration")).json().code).toBe("RULE_SUBMISSION_FAILED"); // not an intent-to-finalise
    const final = await idOf("intent-to-finalise");
    const declared = await submit(final, "final-declaration");
    expect(declared.statusCode).toBe(204);
    expect(declared.body).toBe("");

    expect((await submit(final, "final-declaration")).json().code).toBe("RULE_FINAL_DECLARATION_RECEIVED");
    expect((await trigger("in-year")).json().code).toBe("RULE_FINAL_DECLARATION_RECEIVED");
    expect((await trigger("intent-to-finalise")).json().code).toBe("RULE_FINAL_DECLARATION_RECEIVED");
    const retrieved = (await retrieve(final)).json();
    expect(retrieved.metadata).toMatchObject({ calculationType: "declare-finalisation", finalisationTimestamp: "2026-04-20T10:00:00.000Z" });
    expect((await list("?calculationType=final-declaration")).json().calculations.map((c: { calculationId: string }) => c.calculationId)).toEqual([final]);

    const amend = await idOf("intent-to-amend");
    expect((await submit(final, "confirm-amendment")).json().code).toBe("RULE_SUBMISSION_FAILED"); // not an intent-to-amend
    expect((await submit(amend, "confirm-amendment")).statusCode).toBe(204);
    expect((await retrieve(amend)).json().metadata).toMatchObject({ calculationType: "confirm-amendment", confirmationTimestamp: "2026-04-20T10:00:00.000Z" });
    expect((await list("?calculationType=confirm-amendment")).json().calculations).toHaveLength(1);
  });

  it("derives the final declaration obligations (Obligations 3.0) from the declarations", async () => {
    const obligations = (query: string) => call(app, "GET", `/obligations/details/AA123456A/crystallisation${query}`, { token, version: "3.0" });
    // The clock is in 2026-27, so 2025-26 and 2026-27 each have one.
    expect((await obligations("")).json().obligations).toEqual([
      { periodStartDate: "2025-04-06", periodEndDate: "2026-04-05", dueDate: "2027-01-31", status: "open" },
      { periodStartDate: "2026-04-06", periodEndDate: "2027-04-05", dueDate: "2028-01-31", status: "open" },
    ]);
    await submitUk();
    expect((await submit(await idOf("intent-to-finalise"), "final-declaration")).statusCode).toBe(204);
    expect((await obligations("?taxYear=2025-26")).json().obligations).toEqual([
      { periodStartDate: "2025-04-06", periodEndDate: "2026-04-05", dueDate: "2027-01-31", status: "fulfilled", receivedDate: "2026-04-20" },
    ]);
    expect((await obligations("?taxYear=2025-26&status=open")).json().code).toBe("NO_OBLIGATIONS_FOUND");
    expect((await obligations("?status=closed")).json().code).toBe("FORMAT_STATUS");
    expect((await obligations("?taxYear=2016-17")).json().code).toBe("RULE_TAX_YEAR_NOT_SUPPORTED");
  });

  it("refuses a declaration when a submission arrived after the calculation", async () => {
    await submitUk();
    const final = await idOf("intent-to-finalise");
    clock.advanceSeconds(60);
    await submitUk(fullYear(31_000));
    expect((await submit(final, "final-declaration")).json().code).toBe("RULE_RECENT_SUBMISSIONS_EXIST");
    clock.advanceSeconds(60);
    const again = await idOf("intent-to-finalise");
    expect((await submit(again, "final-declaration")).statusCode).toBe(204);
    // 31,000 − 12,570 = 18,430 × 20% = 3,686 − 800 = 2,886.
    expect((await retrieve(again)).json().calculation.taxCalculation.totalIncomeTaxAndNicsDue).toBe(2886);
  });

  it("validates the path and query, and knows HMRC's scenarios", async () => {
    expect((await trigger("bogus")).json().code).toBe("FORMAT_CALCULATION_TYPE");
    expect((await trigger("intent-to-amend", "2024-25")).json().code).toBe("RULE_CALCULATION_TYPE_NOT_ALLOWED");
    expect((await list("?calculationType=intent-to-amend", "2024-25")).json().code).toBe("RULE_CALCULATION_TYPE_NOT_ALLOWED");
    expect((await list("?calculationType=nope")).json().code).toBe("FORMAT_CALCULATION_TYPE");
    expect((await submit("0b2f6d3a-1c5e-4f7a-9b8c-0d1e2f3a4b5c", "declare")).json().code).toBe("FORMAT_CALCULATION_TYPE");
    const scenario = await trigger("in-year", "2025-26", "CALCULATION_IN_PROGRESS");
    expect(scenario.statusCode).toBe(400);
    expect(scenario.json().code).toBe("RULE_CALCULATION_IN_PROGRESS");
    const canned = await retrieve("0b2f6d3a-1c5e-4f7a-9b8c-0d1e2f3a4b5c", "2025-26", "UK_MULTIPLE_INCOMES_EXAMPLE");
    expect(canned.statusCode).toBe(200);
    expect(canned.json().metadata.taxYear).toBeDefined();
    expect((await trigger("in-year", "2025-26", "NOPE")).json().code).toBe("RULE_INCORRECT_GOV_TEST_SCENARIO");
  });

  it("answers on HMRC's Accept version only", async () => {
    const res = await call(app, "POST", `${CALC}/2025-26/trigger/in-year`, { token, version: "7.0" });
    expect(res.statusCode).toBe(406);
  });

  // HMRC's retrieve schema (def3, 2025-26) lives in ../shared, which a fresh checkout does not have.
  const SCHEMA_DIR = join(__dirname, "../../../shared/hmrc-api/individual-calculations-api/8.0/schemas/retrieve/def3");
  (existsSync(SCHEMA_DIR) ? it : it.skip)("produces a body HMRC's 2025-26 retrieve schema accepts (needs ../shared)", async () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, unicodeRegExp: false, logger: false });
    // HMRC labels some definitions with draft-04 `id` strings that clash across files; they are not references.
    const dropIds = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(dropIds);
      if (typeof v !== "object" || v === null) return v;
      return Object.fromEntries(Object.entries(v).filter(([k, x]) => !((k === "id" || k === "$schema") && typeof x === "string")).map(([k, x]) => [k, dropIds(x)]));
    };
    const load = (file: string) => dropIds(JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8"))) as Record<string, unknown>;
    for (const f of ["common_defs.json", "metadata.json", "inputs.json", "messages.json"]) ajv.addSchema(load(f), f);
    for (const f of readdirSync(join(SCHEMA_DIR, "calculation"))) ajv.addSchema(load(join("calculation", f)), `calculation/${f}`);
    ajv.addSchema(load("calculation.json"), "calculation.json");
    const validate = ajv.compile(load("retrieve_response.json"));
    expect(validate({ metadata: {} })).toBe(false);

    // Property with finance costs, the allowance tapered away and the additional rate reached.
    await submitUk(fullYear(130_000, 4_000));
    const body = (await retrieve(await idOf("intent-to-finalise"))).json();
    const ok = validate(body);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});
