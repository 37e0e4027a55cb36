/** The schema-driven body validator and the pence arithmetic, at unit level. */
import type { Pence } from "../../src/mtd";
import { annualTotals, cumulativeTotals, taxableResult } from "../../src/sandbox/figures";
import { validateJsonSchema, type JsonSchema } from "../../src/sandbox/validation/json-schema";
import { requestSchemaFor, validateRequestBody } from "../../src/sandbox/validation/request-body";

const SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    name: { type: "string", pattern: "^[a-z]{1,5}$" },
    amount: { type: "number", minimum: 0, maximum: 100, multipleOf: 0.01 },
    list: { type: "array", items: { type: "object", properties: { when: { type: "string", format: "date" } } } },
  },
};

describe("validateJsonSchema", () => {
  it("reports the shape alone when it is wrong (value errors wait)", () => {
    expect(validateJsonSchema({ name: "TOOLONG", amount: 1000, extra: 1 }, SCHEMA)).toEqual([
      { code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: expect.any(String), paths: ["/extra"] },
    ]);
    expect(validateJsonSchema({ list: [] }, SCHEMA)[0]!.paths).toEqual(["/list", "/name"]);
    expect(validateJsonSchema([], SCHEMA)).toEqual([{ code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: expect.any(String) }]);
  });

  it("then the values: ranges, decimals, patterns and formats, with the field's code", () => {
    expect(validateJsonSchema({ name: "TOOLONG", amount: 1.005, list: [{ when: "2025-02-29" }] }, SCHEMA, { name: "FORMAT_NAME" })).toEqual([
      { code: "FORMAT_NAME", message: "FORMAT_NAME", paths: ["/name"] },
      { code: "FORMAT_VALUE", message: "The value must be between 0 and 100", paths: ["/amount"] },
      { code: "FORMAT_DATE", message: expect.any(String), paths: ["/list/0/when"] },
    ]);
  });
});

describe("validateRequestBody", () => {
  it("picks HMRC's schema for the tax year", () => {
    expect(requestSchemaFor("property.foreign.cumulative.amend", "2025-26").source).toMatch(/def1/);
    expect(requestSchemaFor("property.foreign.cumulative.amend", "2030-31").source).toMatch(/def2/);
    expect(requestSchemaFor("self-employment.annual.amend", "2019-20").source).toMatch(/def1/);
  });

  it("checks what field names imply when the schema leaves it unstated, with the endpoint's messages", () => {
    const body = { foreignProperty: [{ countryCode: "FRA", allowances: { structuredBuildingAllowance: [{ amount: 1, firstYear: { qualifyingDate: "2020-13-01", qualifyingAmountExpenditure: 1 }, building: { postcode: "AB1 2CD", number: "1" } }] } }] };
    expect(validateRequestBody("property.foreign.annual.amend", "2025-26", body)).toEqual([
      { code: "FORMAT_DATE", message: "The supplied date format is not valid", paths: ["/foreignProperty/0/allowances/structuredBuildingAllowance/0/firstYear/qualifyingDate"] },
    ]);
  });
});

describe("figures (pence)", () => {
  it("adds up a foreign property cumulative body over its entries", () => {
    const body = {
      foreignProperty: [
        { countryCode: "FRA", income: { rentIncome: { rentAmount: 100.1 }, foreignTaxPaidOrDeducted: 5, foreignTaxCreditRelief: true }, expenses: { other: 0.2, residentialFinancialCost: 9 } },
        { countryCode: "ESP", income: { premiumsOfLeaseGrant: 0.1 }, expenses: { consolidatedExpenses: 0.1 } },
      ],
    };
    // income 100.10 + 0.10 = 100.20 (10020p); expenses 0.20 + 0.10 = 0.30 (30p): exact in pence, not 0.30000000000000004
    expect(cumulativeTotals("foreign-property", body)).toEqual({ income: 10020, expenses: 30, disallowable: 0 });
  });

  it("counts a structure and buildings allowance's amount, not the qualifying expenditure", () => {
    const annual = { ukProperty: { adjustments: { privateUseAdjustment: 10 }, allowances: { structuredBuildingAllowance: [{ amount: 30, firstYear: { qualifyingDate: "2020-01-01", qualifyingAmountExpenditure: 1000 }, building: { number: "1", postcode: "AB1 2CD" } }] } } };
    const a = annualTotals("uk-property", annual);
    expect(a).toEqual({ additions: 1000, deductions: 3000, accountingAdjustments: 0 });
    // 500 − 100 + 10 − 30 = 380.00
    const pence = (n: number) => n as Pence;
    expect(taxableResult({ income: pence(50000), expenses: pence(10000), disallowable: pence(0) }, a)).toBe(38000);
  });
});
