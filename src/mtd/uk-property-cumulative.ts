/**
 * UK property cumulative period summary (Property Business 6.0,
 * `PUT /individuals/business/property/uk/{nino}/{businessId}/cumulative/{taxYear}`, tax years from 2025-26).
 * Field paths are relative to `ukProperty`, as the workbook names them: `MTD.UKP.income.periodAmount`.
 */
import { amountsOf, buildCumulative, validateCumulative } from "./cumulative-payloads";
import type { IsoDate } from "./dates";
import type { HmrcErrorItem } from "./errors";
import { PROPERTY_UK_CUMULATIVE_FIELDS } from "./generated/property-uk-cumulative.fields";
import type { GeneratedField } from "./generated/field";
import type { Pence } from "./money";
import { taxYearFromStartYear } from "./tax-year";

const ROOT = "/ukProperty/";

export interface PayloadField {
  /** Path below the business object, dot-separated: `income.periodAmount`. */
  readonly path: string;
  readonly pointer: string;
  readonly minPence: Pence;
  readonly maxPence: Pence;
  readonly description: string;
  readonly section: "income" | "expenses";
}

function toPayloadField(f: GeneratedField): PayloadField {
  const path = f.pointer.slice(ROOT.length).split("/").join(".");
  return {
    path,
    pointer: f.pointer,
    minPence: f.minPence as Pence,
    maxPence: f.maxPence as Pence,
    description: f.description,
    section: path.startsWith("income.") ? "income" : "expenses",
  };
}

export const UK_PROPERTY_CUMULATIVE_FIELDS: readonly PayloadField[] = PROPERTY_UK_CUMULATIVE_FIELDS.map(toPayloadField);

const FIELD_BY_PATH = new Map(UK_PROPERTY_CUMULATIVE_FIELDS.map((f) => [f.path.toLowerCase(), f]));

/** Looks a field up by its dotted path, ignoring case as Excel names do. */
export function ukPropertyField(path: string): PayloadField | undefined {
  return FIELD_BY_PATH.get(path.toLowerCase());
}

/** The UK property body is the same in every cumulative year, so this module uses the first. */
const CUMULATIVE_YEAR = taxYearFromStartYear(2025);

export interface UkPropertyCumulativeBody {
  fromDate?: string;
  toDate?: string;
  ukProperty: {
    income?: Record<string, number | Record<string, number>>;
    expenses?: Record<string, number | Record<string, number>>;
  };
}

/** Schema checks plus HMRC's rules for this endpoint; empty list means HMRC's validators would accept it. */
export function validateUkPropertyCumulative(body: unknown): HmrcErrorItem[] {
  return validateCumulative("uk-property", CUMULATIVE_YEAR, body);
}

export interface UkPropertyCumulativeInput {
  readonly fromDate?: IsoDate;
  readonly toDate?: IsoDate;
  /** Year-to-date amounts by field path (`income.periodAmount`). Unmapped fields are simply left out. */
  readonly amounts: ReadonlyMap<string, Pence>;
}

/**
 * Builds the request body from year-to-date amounts. Field paths must be known fields (the mapping
 * layer reports unknown names with their cells before this point); the result still goes through
 * {@link validateUkPropertyCumulative} before anything is sent.
 */
export function buildUkPropertyCumulative(input: UkPropertyCumulativeInput): UkPropertyCumulativeBody {
  return buildCumulative({ type: "uk-property", taxYear: CUMULATIVE_YEAR, ...input }) as unknown as UkPropertyCumulativeBody;
}

/** Reads the amounts back out of a body (HMRC's retrieve response has the same shape): path → pence. */
export function amountsOfUkPropertyBody(body: { ukProperty?: unknown }): Map<string, Pence> {
  return amountsOf("uk-property", CUMULATIVE_YEAR, body.ukProperty);
}
