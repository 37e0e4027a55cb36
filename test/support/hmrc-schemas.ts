/** HMRC's own JSON schemas for the cumulative bodies, compiled once for the tests that check our bodies against them. */
import Ajv from "ajv-draft-04";
import foreignByCountrySchema from "../../src/mtd/generated/schemas/property-foreign-cumulative-by-country.request.json";
import foreignByPropertySchema from "../../src/mtd/generated/schemas/property-foreign-cumulative-by-property.request.json";
import ukSchema from "../../src/mtd/generated/schemas/property-uk-cumulative.request.json";
import seSchema from "../../src/mtd/generated/schemas/self-employment-cumulative.request.json";
import { foreignPropertyEntryId, type CumulativeBusinessType } from "../../src/mtd/cumulative-payloads";
import type { TaxYear } from "../../src/mtd/tax-year";

// HMRC annotates fields with `example`, which strict mode would refuse as an unknown keyword.
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat("date", /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
// HMRC checks `multipleOf: 0.01` on the decimal text it receives. Ajv divides in binary floating point, which
// fails 45000.01 and, even with a tolerance, large amounts such as -1020655.19; so check the JSON text instead.
ajv.addKeyword({
  keyword: "penceOnly",
  type: "number",
  schemaType: "boolean",
  validate: (_on: boolean, data: number) => /^-?\d+(\.\d{1,2})?$/.test(JSON.stringify(data)),
});

/** The schema with every `multipleOf: 0.01` replaced by the exact `penceOnly` check. */
function exactPence(schema: object): object {
  return JSON.parse(JSON.stringify(schema), (_key, value: unknown) => {
    if (typeof value !== "object" || value === null || (value as { multipleOf?: unknown }).multipleOf !== 0.01) return value;
    const { multipleOf: _dropped, ...rest } = value as Record<string, unknown>;
    return { ...rest, penceOnly: true };
  }) as object;
}

export const schemaAccepts = {
  se: ajv.compile(exactPence(seSchema)),
  uk: ajv.compile(exactPence(ukSchema)),
  fpCountry: ajv.compile(exactPence(foreignByCountrySchema)),
  fpProperty: ajv.compile(exactPence(foreignByPropertySchema)),
};

/** The schema HMRC validates a business type's cumulative body against in a tax year (2025-26 on). */
export function cumulativeSchema(type: CumulativeBusinessType, taxYear: TaxYear): (body: unknown) => boolean {
  if (type === "self-employment") return schemaAccepts.se;
  if (type === "uk-property") return schemaAccepts.uk;
  return foreignPropertyEntryId(taxYear) === "countryCode" ? schemaAccepts.fpCountry : schemaAccepts.fpProperty;
}
