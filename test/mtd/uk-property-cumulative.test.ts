import Ajv from "ajv-draft-04";
import schema from "../../src/mtd/generated/schemas/property-uk-cumulative.request.json";
import { isoDate } from "../../src/mtd/dates";
import type { Pence } from "../../src/mtd/money";
import {
  amountsOfUkPropertyBody,
  buildUkPropertyCumulative,
  UK_PROPERTY_CUMULATIVE_FIELDS,
  validateUkPropertyCumulative,
} from "../../src/mtd/uk-property-cumulative";

// HMRC annotates fields with `example`, which strict mode would refuse as an unknown keyword.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
const schemaValid = ajv.compile(schema);

function amounts(entries: Record<string, number>): Map<string, Pence> {
  return new Map(Object.entries(entries).map(([k, v]) => [k, v as Pence]));
}

describe("UK property cumulative payload", () => {
  it("knows every money field of HMRC's schema", () => {
    expect(UK_PROPERTY_CUMULATIVE_FIELDS.map((f) => f.path)).toEqual(
      expect.arrayContaining(["income.periodAmount", "income.rentARoom.rentsReceived", "expenses.consolidatedExpenses", "expenses.residentialFinancialCost"]),
    );
    expect(UK_PROPERTY_CUMULATIVE_FIELDS).toHaveLength(17);
  });

  it("builds a body HMRC's own schema accepts, with exact amounts", () => {
    const body = buildUkPropertyCumulative({
      fromDate: isoDate(2025, 4, 6),
      toDate: isoDate(2025, 7, 5),
      amounts: amounts({ "income.periodAmount": 1234567, "income.rentARoom.rentsReceived": 10, "expenses.repairsAndMaintenance": -84299, "expenses.residentialFinancialCost": 250000 }),
    });
    expect(body).toEqual({
      fromDate: "2025-04-06",
      toDate: "2025-07-05",
      ukProperty: {
        income: { periodAmount: 12345.67, rentARoom: { rentsReceived: 0.1 } },
        expenses: { repairsAndMaintenance: -842.99, residentialFinancialCost: 2500 },
      },
    });
    expect(schemaValid(body)).toBe(true);
    expect(validateUkPropertyCumulative(body)).toEqual([]);
    expect(amountsOfUkPropertyBody(body)).toEqual(amounts({ "income.periodAmount": 1234567, "income.rentARoom.rentsReceived": 10, "expenses.repairsAndMaintenance": -84299, "expenses.residentialFinancialCost": 250000 }));
  });

  it("reports values out of range or with three decimals as FORMAT_VALUE with their paths", () => {
    const errors = validateUkPropertyCumulative({ ukProperty: { income: { periodAmount: -1, otherIncome: 1.234 }, expenses: { other: -5 } } });
    expect(errors).toEqual([
      { code: "FORMAT_VALUE", message: "The value must be between 0 and 99999999999.99", paths: ["/ukProperty/income/periodAmount", "/ukProperty/income/otherIncome"] },
    ]);
  });

  it("reports unknown fields and empty bodies as HMRC does", () => {
    expect(validateUkPropertyCumulative({})).toEqual([{ code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: expect.any(String) }]);
    expect(validateUkPropertyCumulative({ ukProperty: { income: { rent: 1 } } })[0]).toMatchObject({
      code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED",
      paths: ["/ukProperty/income/rent"],
    });
    expect(validateUkPropertyCumulative({ ukProperty: { income: {} } })[0]).toMatchObject({ paths: ["/ukProperty/income"] });
    expect(validateUkPropertyCumulative({ fromDate: "2025-02-30", ukProperty: { income: { periodAmount: 1 } } })[0]).toMatchObject({ code: "FORMAT_FROM_DATE" });
  });

  it("applies HMRC's consolidated-expenses and date-order rules", () => {
    expect(
      validateUkPropertyCumulative({ ukProperty: { expenses: { consolidatedExpenses: 10, residentialFinancialCost: 5, rentARoom: { amountClaimed: 1 } } } }),
    ).toEqual([]);
    expect(validateUkPropertyCumulative({ ukProperty: { expenses: { consolidatedExpenses: 10, repairsAndMaintenance: 5 } } })).toEqual([
      expect.objectContaining({ code: "RULE_BOTH_EXPENSES_SUPPLIED", paths: ["/ukProperty/expenses"] }),
    ]);
    expect(validateUkPropertyCumulative({ fromDate: "2025-07-05", toDate: "2025-04-06", ukProperty: { income: { periodAmount: 1 } } })).toEqual([
      expect.objectContaining({ code: "RULE_TO_DATE_BEFORE_FROM_DATE" }),
    ]);
  });
});
