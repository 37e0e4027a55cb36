/**
 * UK property cumulative period summary (Property Business 6.0,
 * `PUT /individuals/business/property/uk/{nino}/{businessId}/cumulative/{taxYear}`, tax years from 2025-26).
 * Field paths are relative to `ukProperty`, as the workbook names them: `MTD.UKP.income.periodAmount`.
 */
import type { IsoDate } from "./dates";
import type { HmrcErrorItem } from "./errors";
import { HMRC_MESSAGES } from "./errors";
import { PROPERTY_UK_CUMULATIVE_FIELDS } from "./generated/property-uk-cumulative.fields";
import type { GeneratedField } from "./generated/field";
import { penceToPounds, poundsToPence, type Pence } from "./money";
import { getPointer, validateBody, type BodySpec } from "./validation";

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

/** Expenses that may accompany consolidated expenses (HMRC's RULE_BOTH_EXPENSES_SUPPLIED exceptions). */
const ALLOWED_WITH_CONSOLIDATED = new Set([
  "expenses.consolidatedExpenses",
  "expenses.residentialFinancialCost",
  "expenses.residentialFinancialCostsCarriedForward",
  "expenses.rentARoom.amountClaimed",
]);

export interface UkPropertyCumulativeBody {
  fromDate?: string;
  toDate?: string;
  ukProperty: {
    income?: Record<string, number | Record<string, number>>;
    expenses?: Record<string, number | Record<string, number>>;
  };
}

const SPEC: BodySpec = {
  fields: PROPERTY_UK_CUMULATIVE_FIELDS,
  dates: { "/fromDate": "FORMAT_FROM_DATE", "/toDate": "FORMAT_TO_DATE" },
  required: ["/ukProperty"],
};

/** Schema checks plus HMRC's rules for this endpoint; empty list means HMRC's validators would accept it. */
export function validateUkPropertyCumulative(body: unknown): HmrcErrorItem[] {
  const errors = validateBody(body, SPEC);
  if (errors.length > 0) return errors;
  const b = body as UkPropertyCumulativeBody;
  if (b.fromDate && b.toDate && b.toDate < b.fromDate) {
    errors.push({ code: "RULE_TO_DATE_BEFORE_FROM_DATE", message: HMRC_MESSAGES.RULE_TO_DATE_BEFORE_FROM_DATE!, paths: ["/toDate"] });
  }
  if (getPointer(b, "/ukProperty/expenses/consolidatedExpenses") !== undefined) {
    const itemised = UK_PROPERTY_CUMULATIVE_FIELDS.filter(
      (f) => f.section === "expenses" && !ALLOWED_WITH_CONSOLIDATED.has(f.path) && getPointer(b, f.pointer) !== undefined,
    );
    if (itemised.length > 0) {
      errors.push({ code: "RULE_BOTH_EXPENSES_SUPPLIED", message: HMRC_MESSAGES.RULE_BOTH_EXPENSES_SUPPLIED!, paths: ["/ukProperty/expenses"] });
    }
  }
  return errors;
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
  const ukProperty: UkPropertyCumulativeBody["ukProperty"] = {};
  for (const field of UK_PROPERTY_CUMULATIVE_FIELDS) {
    const amount = input.amounts.get(field.path);
    if (amount === undefined) continue;
    const [section, ...rest] = field.path.split(".") as ["income" | "expenses", ...string[]];
    const target = (ukProperty[section] ??= {});
    if (rest.length === 1) target[rest[0]!] = penceToPounds(amount);
    else {
      const inner = (target[rest[0]!] ??= {}) as Record<string, number>;
      inner[rest[1]!] = penceToPounds(amount);
    }
  }
  return {
    ...(input.fromDate ? { fromDate: input.fromDate } : {}),
    ...(input.toDate ? { toDate: input.toDate } : {}),
    ukProperty,
  };
}

/** Reads the amounts back out of a body (HMRC's retrieve response has the same shape): path → pence. */
export function amountsOfUkPropertyBody(body: { ukProperty?: unknown }): Map<string, Pence> {
  const out = new Map<string, Pence>();
  for (const f of UK_PROPERTY_CUMULATIVE_FIELDS) {
    const v = getPointer(body, f.pointer);
    if (typeof v === "number") out.set(f.path, poundsToPence(v));
  }
  return out;
}
