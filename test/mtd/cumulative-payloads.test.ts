import {
  amountsOf,
  buildCumulative,
  cumulativeField,
  fieldsFor,
  foreignPropertyEntryId,
  validateCumulative,
} from "../../src/mtd/cumulative-payloads";
import { isoDate } from "../../src/mtd/dates";
import type { Pence } from "../../src/mtd/money";
import type { TaxYear } from "../../src/mtd/tax-year";
import { schemaAccepts } from "../support/hmrc-schemas";

const TY25 = "2025-26" as TaxYear;
const TY26 = "2026-27" as TaxYear;
const PROPERTY_A = "8e8b8450-dc1b-4360-8109-7067337b42cb";
const PROPERTY_B = "0f4a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b";

function pence(entries: Record<string, number>): Map<string, Pence> {
  return new Map(Object.entries(entries).map(([k, v]) => [k, v as Pence]));
}

describe("fieldsFor", () => {
  it("lists every money field of each schema, labelled with its SA-form box", () => {
    const se = fieldsFor("self-employment", TY25);
    expect(se).toHaveLength(34);
    expect(cumulativeField("self-employment", TY25, "PERIODEXPENSES.COSTOFGOODS")).toMatchObject({
      path: "periodExpenses.costOfGoods",
      box: { form: "SA103F", box: "17", boxName: "Cost of goods bought for resale or goods used" },
      label: "SA103F box 17: Cost of goods bought for resale or goods used",
      kind: "expense",
      minPence: -9999999999999,
    });
    expect(cumulativeField("self-employment", TY25, "periodDisallowableExpenses.adminCostsDisallowable")).toMatchObject({ kind: "disallowable", box: { box: "38" } });
    expect(cumulativeField("self-employment", TY25, "periodIncome.turnover")).toMatchObject({ kind: "income", minPence: 0, box: { box: "15" } });

    const uk = fieldsFor("uk-property", TY26);
    expect(uk).toHaveLength(17);
    // PRO20 adds up three fields, so each label also says which part it is.
    expect(cumulativeField("uk-property", TY26, "income.periodAmount")?.label).toBe(
      `SA105 box PRO20: Total rents and other income from property – ${cumulativeField("uk-property", TY26, "income.periodAmount")!.description}`,
    );
    expect(cumulativeField("uk-property", TY26, "income.periodAmount")!.description).not.toBe("");
    expect(cumulativeField("uk-property", TY26, "income.reversePremiums")?.label).toBe("SA105 box PRO23: Reverse premiums and inducements");

    const fp = fieldsFor("foreign-property", TY25);
    expect(fp).toHaveLength(15);
    expect(cumulativeField("foreign-property", TY25, "income.rentIncome.rentAmount")?.box).toEqual({ form: "SA106", box: "FOR14", boxName: "Total rents and other receipts" });
  });

  it("falls back to HMRC's description when no box names the field, and has no fields before 2025-26", () => {
    const unlabelled = fieldsFor("foreign-property", TY26).filter((f) => !f.box);
    for (const f of unlabelled) expect(f.label).toBe(f.description);
    expect(fieldsFor("self-employment", "2024-25" as TaxYear)).toEqual([]);
  });

  it("identifies foreign-property entries by country in 2025-26 and by propertyId from 2026-27", () => {
    expect(foreignPropertyEntryId(TY25)).toBe("countryCode");
    expect(foreignPropertyEntryId(TY26)).toBe("propertyId");
    expect(foreignPropertyEntryId("2027-28" as TaxYear)).toBe("propertyId");
  });
});

describe("self-employment cumulative", () => {
  const input = {
    type: "self-employment" as const,
    taxYear: TY25,
    periodStartDate: isoDate(2025, 4, 6),
    periodEndDate: isoDate(2025, 10, 5),
    amounts: pence({ "periodIncome.turnover": 4500001, "periodExpenses.costOfGoods": 1250050, "periodExpenses.depreciation": -1999, "periodDisallowableExpenses.adminCostsDisallowable": 7 }),
  };

  it("builds the body from year-to-date pence that HMRC's schema accepts", () => {
    const body = buildCumulative(input);
    expect(body).toEqual({
      periodDates: { periodStartDate: "2025-04-06", periodEndDate: "2025-10-05" },
      periodIncome: { turnover: 45000.01 },
      periodExpenses: { costOfGoods: 12500.5, depreciation: -19.99 },
      periodDisallowableExpenses: { adminCostsDisallowable: 0.07 },
    });
    expect(schemaAccepts.se(body)).toBe(true);
    expect(schemaAccepts.se({ ...body, periodIncome: { turnover: 45000.001 } })).toBe(false);
    expect(validateCumulative("self-employment", TY25, body)).toEqual([]);
    expect(amountsOf("self-employment", TY25, body)).toEqual(input.amounts);
  });

  it("refuses consolidated expenses beside any itemised or disallowable expense", () => {
    const consolidatedOnly = buildCumulative({ ...input, amounts: pence({ "periodIncome.turnover": 100, "periodExpenses.consolidatedExpenses": 50 }) });
    expect(validateCumulative("self-employment", TY25, consolidatedOnly)).toEqual([]);
    const withDisallowable = buildCumulative({ ...input, amounts: pence({ "periodExpenses.consolidatedExpenses": 50, "periodDisallowableExpenses.costOfGoodsDisallowable": 1 }) });
    expect(validateCumulative("self-employment", TY25, withDisallowable)).toEqual([
      { code: "RULE_BOTH_EXPENSES_SUPPLIED", message: expect.any(String), paths: ["/periodExpenses"] },
    ]);
  });

  it("reports missing period dates, out-of-range values and dates in the wrong order", () => {
    expect(validateCumulative("self-employment", TY25, { periodIncome: { turnover: -0.01 } })).toEqual([
      { code: "FORMAT_VALUE", message: "The value must be between 0 and 99999999999.99", paths: ["/periodIncome/turnover"] },
      { code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: expect.any(String), paths: ["/periodDates/periodStartDate", "/periodDates/periodEndDate"] },
    ]);
    const backwards = buildCumulative({ ...input, periodStartDate: isoDate(2025, 7, 6), periodEndDate: isoDate(2025, 7, 5) });
    expect(validateCumulative("self-employment", TY25, backwards)).toEqual([{ code: "RULE_END_DATE_BEFORE_START_DATE", message: expect.any(String), paths: ["/periodDates/periodEndDate"] }]);
  });

  it("refuses a tax year before cumulative updates began", () => {
    expect(() => buildCumulative({ ...input, taxYear: "2024-25" as TaxYear })).toThrow(/start with tax year 2025-26/);
    expect(validateCumulative("self-employment", "2024-25" as TaxYear, {})[0]?.code).toBe("RULE_TAX_YEAR_NOT_SUPPORTED");
  });
});

describe("UK property cumulative through the generic builder", () => {
  it("nests rent-a-room amounts and keeps the dates", () => {
    const amounts = pence({ "income.periodAmount": 1234567, "income.rentARoom.rentsReceived": 10, "expenses.residentialFinancialCost": 250000 });
    const body = buildCumulative({ type: "uk-property", taxYear: TY26, fromDate: isoDate(2026, 4, 6), toDate: isoDate(2026, 7, 5), amounts });
    expect(body).toEqual({
      fromDate: "2026-04-06",
      toDate: "2026-07-05",
      ukProperty: { income: { periodAmount: 12345.67, rentARoom: { rentsReceived: 0.1 } }, expenses: { residentialFinancialCost: 2500 } },
    });
    expect(schemaAccepts.uk(body)).toBe(true);
    expect(validateCumulative("uk-property", TY26, body)).toEqual([]);
  });

  it("allows residential finance costs and rent-a-room relief beside consolidated expenses, nothing else", () => {
    const ok = buildCumulative({
      type: "uk-property",
      taxYear: TY25,
      amounts: pence({ "expenses.consolidatedExpenses": 100, "expenses.residentialFinancialCost": 200, "expenses.rentARoom.amountClaimed": 300 }),
    });
    expect(validateCumulative("uk-property", TY25, ok)).toEqual([]);
    const bad = buildCumulative({ type: "uk-property", taxYear: TY25, amounts: pence({ "expenses.consolidatedExpenses": 100, "expenses.travelCosts": 1 }) });
    expect(validateCumulative("uk-property", TY25, bad)).toEqual([{ code: "RULE_BOTH_EXPENSES_SUPPLIED", message: expect.any(String), paths: ["/ukProperty/expenses"] }]);
  });
});

describe("foreign property cumulative", () => {
  it("2025-26: one entry per country, accepted by HMRC's def1 schema", () => {
    const body = buildCumulative({
      type: "foreign-property",
      taxYear: TY25,
      fromDate: isoDate(2025, 4, 6),
      toDate: isoDate(2026, 1, 5),
      entries: [
        { id: "FRA", amounts: pence({ "income.rentIncome.rentAmount": 900050, "expenses.residentialFinancialCost": 120000, "expenses.consolidatedExpenses": 33333 }) },
        { id: "ESP", amounts: pence({ "income.foreignTaxPaidOrDeducted": 1, "expenses.repairsAndMaintenance": -250 }) },
      ],
    });
    expect(body).toEqual({
      fromDate: "2025-04-06",
      toDate: "2026-01-05",
      foreignProperty: [
        { countryCode: "FRA", income: { rentIncome: { rentAmount: 9000.5 } }, expenses: { residentialFinancialCost: 1200, consolidatedExpenses: 333.33 } },
        { countryCode: "ESP", income: { foreignTaxPaidOrDeducted: 0.01 }, expenses: { repairsAndMaintenance: -2.5 } },
      ],
    });
    expect(schemaAccepts.fpCountry(body)).toBe(true);
    expect(validateCumulative("foreign-property", TY25, body)).toEqual([]);
  });

  it("2026-27: one entry per propertyId, accepted by HMRC's def2 schema and refused by def1's", () => {
    const body = buildCumulative({ type: "foreign-property", taxYear: TY26, entries: [{ id: PROPERTY_A, amounts: pence({ "income.premiumsOfLeaseGrant": 5 }) }] });
    expect(body).toEqual({ foreignProperty: [{ propertyId: PROPERTY_A, income: { premiumsOfLeaseGrant: 0.05 } }] });
    expect(schemaAccepts.fpProperty(body)).toBe(true);
    expect(schemaAccepts.fpCountry(body)).toBe(false);
    expect(validateCumulative("foreign-property", TY26, body)).toEqual([]);
    expect(validateCumulative("foreign-property", TY25, body)[0]?.code).toBe("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED");
  });

  it("reports duplicate and malformed countries and property IDs at their entries", () => {
    const countries = { foreignProperty: [{ countryCode: "FRA" }, { countryCode: "FRA" }, { countryCode: "France" }, { countryCode: "fra" }] };
    expect(validateCumulative("foreign-property", TY25, countries)).toEqual([
      { code: "RULE_DUPLICATE_COUNTRY_CODE", message: expect.any(String), paths: ["/foreignProperty/1/countryCode"] },
      { code: "FORMAT_COUNTRY_CODE", message: expect.any(String), paths: ["/foreignProperty/2/countryCode", "/foreignProperty/3/countryCode"] },
    ]);
    const properties = { foreignProperty: [{ propertyId: PROPERTY_A }, { propertyId: PROPERTY_B }, { propertyId: PROPERTY_A }, { propertyId: "house-1" }] };
    expect(validateCumulative("foreign-property", TY26, properties)).toEqual([
      { code: "RULE_DUPLICATE_PROPERTY_ID", message: expect.any(String), paths: ["/foreignProperty/2/propertyId"] },
      { code: "FORMAT_PROPERTY_ID", message: expect.any(String), paths: ["/foreignProperty/3/propertyId"] },
    ]);
  });

  it("locates format errors and the consolidated-expenses rule inside each entry", () => {
    const body = { foreignProperty: [{ countryCode: "FRA", income: { rentIncome: { rentAmount: 1.005 }, foreignTaxCreditRelief: true }, expenses: { travelCosts: 1 } }] };
    expect(validateCumulative("foreign-property", TY25, body)).toEqual([
      { code: "FORMAT_VALUE", message: "The value must be between 0 and 99999999999.99", paths: ["/foreignProperty/0/income/rentIncome/rentAmount"] },
    ]);
    const both = { foreignProperty: [{ countryCode: "DEU", expenses: { consolidatedExpenses: 1, broughtFwdResidentialFinancialCost: 2, travelCosts: 3 } }] };
    expect(validateCumulative("foreign-property", TY25, both)).toEqual([
      { code: "RULE_BOTH_EXPENSES_SUPPLIED", message: expect.any(String), paths: ["/foreignProperty/0/expenses"] },
    ]);
    expect(validateCumulative("foreign-property", TY25, { foreignProperty: [] })).toEqual([
      { code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: expect.any(String), paths: ["/foreignProperty"] },
    ]);
  });
});
