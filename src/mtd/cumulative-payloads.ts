/**
 * Cumulative (year-to-date) period summaries for every business type, from tax year 2025-26, driven by the
 * field tables generated from HMRC's request schemas:
 *  - self-employment: `PUT .../self-employment/{nino}/{businessId}/cumulative/{taxYear}` (SE Business 5.0);
 *  - uk-property:     `PUT .../property/uk/{nino}/{businessId}/cumulative/{taxYear}` (Property Business 6.0);
 *  - foreign-property: `PUT .../property/foreign/{nino}/{businessId}/cumulative/{taxYear}`, one entry per
 *    country (2025-26, def1) or per `propertyId` (2026-27 on, def2).
 * Field paths are dotted and relative to the business object, as the workbook names them
 * (`MTD.SE.shop.periodExpenses.costOfGoods`, `MTD.FP.FRA.income.rentIncome.rentAmount`).
 */
import type { IsoDate } from "./dates";
import type { HmrcErrorItem } from "./errors";
import { HMRC_MESSAGES } from "./errors";
import { paramIsValid } from "./catalogue";
import type { GeneratedField } from "./generated/field";
import { PROPERTY_FOREIGN_CUMULATIVE_BY_COUNTRY_FIELDS } from "./generated/property-foreign-cumulative-by-country.fields";
import { PROPERTY_FOREIGN_CUMULATIVE_BY_PROPERTY_FIELDS } from "./generated/property-foreign-cumulative-by-property.fields";
import { PROPERTY_UK_CUMULATIVE_FIELDS } from "./generated/property-uk-cumulative.fields";
import { SA_FORM_LABELS, type SaFormLabel } from "./generated/sa-form-labels";
import { SELF_EMPLOYMENT_CUMULATIVE_FIELDS } from "./generated/self-employment-cumulative.fields";
import { penceToPounds, poundsToPence, type Pence } from "./money";
import { taxYearStartYear, type TaxYear } from "./tax-year";
import { ErrorCollector, getPointer, validateBody, type BodySpec } from "./validation";

export type CumulativeBusinessType = "self-employment" | "uk-property" | "foreign-property";

/** A money field of a cumulative summary, with the SA-form box it feeds so a user can recognise it. */
export interface CumulativeField {
  /** Path below the business object, dot-separated: `periodExpenses.costOfGoods`, `income.rentIncome.rentAmount`. */
  readonly path: string;
  /** JSON pointer below the business object: `/periodExpenses/costOfGoods`. */
  readonly relativePointer: string;
  readonly minPence: Pence;
  readonly maxPence: Pence;
  /** HMRC's description of the field. */
  readonly description: string;
  /** The SA-form box, when HMRC's mapping names one. */
  readonly box?: Omit<SaFormLabel, "path">;
  /**
   * What to show a user: the form, box and box name when HMRC's mapping names one (`SA103F box 17: Cost of
   * goods…`), with HMRC's description added when several fields share the box; else HMRC's description.
   */
  readonly label: string;
  readonly kind: "income" | "expense" | "disallowable";
}

interface Profile {
  readonly type: CumulativeBusinessType;
  /** Where the business object sits in the body: `` (the body itself), `/ukProperty`, `/foreignProperty/*`. */
  readonly root: string;
  readonly fields: readonly GeneratedField[];
  readonly form: SaFormLabel["form"];
  /** Fields that may accompany consolidated expenses (HMRC's RULE_BOTH_EXPENSES_SUPPLIED exceptions). */
  readonly allowedWithConsolidated: ReadonlySet<string>;
  /** The identifier of each foreign-property entry: `countryCode` (2025-26) or `propertyId` (2026-27 on). */
  readonly entryId?: "countryCode" | "propertyId";
}

const CONSOLIDATED = new Set(["periodExpenses.consolidatedExpenses", "expenses.consolidatedExpenses"]);

const PROFILES = {
  "self-employment": {
    type: "self-employment",
    root: "",
    fields: SELF_EMPLOYMENT_CUMULATIVE_FIELDS,
    form: "SA103F",
    // HMRC: consolidatedExpenses must be the only expense, with no disallowable expenses either.
    allowedWithConsolidated: new Set<string>(),
  },
  "uk-property": {
    type: "uk-property",
    root: "/ukProperty",
    fields: PROPERTY_UK_CUMULATIVE_FIELDS,
    form: "SA105",
    allowedWithConsolidated: new Set(["expenses.residentialFinancialCost", "expenses.residentialFinancialCostsCarriedForward", "expenses.rentARoom.amountClaimed"]),
  },
  "foreign-property-by-country": {
    type: "foreign-property",
    root: "/foreignProperty/*",
    fields: PROPERTY_FOREIGN_CUMULATIVE_BY_COUNTRY_FIELDS,
    form: "SA106",
    allowedWithConsolidated: new Set(["expenses.residentialFinancialCost", "expenses.broughtFwdResidentialFinancialCost"]),
    entryId: "countryCode",
  },
  "foreign-property-by-property": {
    type: "foreign-property",
    root: "/foreignProperty/*",
    fields: PROPERTY_FOREIGN_CUMULATIVE_BY_PROPERTY_FIELDS,
    form: "SA106",
    allowedWithConsolidated: new Set(["expenses.residentialFinancialCost", "expenses.broughtFwdResidentialFinancialCost"]),
    entryId: "propertyId",
  },
} as const satisfies Record<string, Profile>;

/**
 * Each business type's main income: what almost every such business reports (a trade's turnover, a landlord's
 * rents), so it is the field examples name and the one a mapping check expects to find.
 */
export const MAIN_INCOME_PATH: Readonly<Record<CumulativeBusinessType, string>> = {
  "self-employment": "periodIncome.turnover",
  "uk-property": "income.periodAmount",
  "foreign-property": "income.rentIncome.rentAmount",
};

/** Cumulative summaries start with tax year 2025-26; before that HMRC took period-by-period updates. */
export const FIRST_CUMULATIVE_START_YEAR = 2025;

function profileFor(type: CumulativeBusinessType, taxYear: TaxYear): Profile | undefined {
  const year = taxYearStartYear(taxYear);
  if (year < FIRST_CUMULATIVE_START_YEAR) return undefined;
  if (type === "foreign-property") return year === 2025 ? PROFILES["foreign-property-by-country"] : PROFILES["foreign-property-by-property"];
  return PROFILES[type];
}

/** How a foreign-property entry is identified in a tax year: by country (2025-26) or by propertyId (2026-27 on). */
export function foreignPropertyEntryId(taxYear: TaxYear): "countryCode" | "propertyId" | undefined {
  return profileFor("foreign-property", taxYear)?.entryId;
}

function kindOf(path: string): CumulativeField["kind"] {
  if (path.startsWith("periodDisallowableExpenses.")) return "disallowable";
  return path.startsWith("periodIncome.") || path.startsWith("income.") ? "income" : "expense";
}

const fieldCache = new Map<Profile, readonly CumulativeField[]>();

function fieldsOf(profile: Profile): readonly CumulativeField[] {
  const cached = fieldCache.get(profile);
  if (cached) return cached;
  const labels = new Map(SA_FORM_LABELS.filter((l) => l.form === profile.form).map((l) => [l.path, l]));
  const pathOf = (f: GeneratedField) => f.pointer.slice(profile.root.length + 1).split("/").join(".");
  // A box several fields add up to (SA105 PRO20: rents, other income, rent-a-room) gets HMRC's description too.
  const perBox = new Map<string, number>();
  for (const f of profile.fields) {
    const box = labels.get(pathOf(f))?.box;
    if (box) perBox.set(box, (perBox.get(box) ?? 0) + 1);
  }
  const fields = profile.fields.map((f): CumulativeField => {
    const relativePointer = f.pointer.slice(profile.root.length);
    const path = pathOf(f);
    const label = labels.get(path);
    const shared = label && perBox.get(label.box)! > 1 ? ` – ${f.description}` : "";
    return {
      path,
      relativePointer,
      minPence: f.minPence as Pence,
      maxPence: f.maxPence as Pence,
      description: f.description,
      ...(label ? { box: { form: label.form, box: label.box, boxName: label.boxName } } : {}),
      label: label ? `${label.form} box ${label.box}: ${label.boxName}${shared}` : f.description,
      kind: kindOf(path),
    };
  });
  fieldCache.set(profile, fields);
  return fields;
}

/** The HMRC money fields of a business type's cumulative summary in a tax year; empty before 2025-26. */
export function fieldsFor(type: CumulativeBusinessType, taxYear: TaxYear): readonly CumulativeField[] {
  const profile = profileFor(type, taxYear);
  return profile ? fieldsOf(profile) : [];
}

/** Looks a field up by its dotted path, ignoring case as Excel names do. */
export function cumulativeField(type: CumulativeBusinessType, taxYear: TaxYear, path: string): CumulativeField | undefined {
  const wanted = path.toLowerCase();
  return fieldsFor(type, taxYear).find((f) => f.path.toLowerCase() === wanted);
}

// ---- building ---------------------------------------------------------------------------------------

/** Year-to-date amounts by field path (`periodIncome.turnover`); unmapped fields are simply left out. */
export type CumulativeAmounts = ReadonlyMap<string, Pence>;

export type CumulativeInput =
  | { readonly type: "self-employment"; readonly taxYear: TaxYear; readonly periodStartDate: IsoDate; readonly periodEndDate: IsoDate; readonly amounts: CumulativeAmounts }
  | { readonly type: "uk-property"; readonly taxYear: TaxYear; readonly fromDate?: IsoDate; readonly toDate?: IsoDate; readonly amounts: CumulativeAmounts }
  | {
      readonly type: "foreign-property";
      readonly taxYear: TaxYear;
      readonly fromDate?: IsoDate;
      readonly toDate?: IsoDate;
      /** One entry per country code (2025-26) or propertyId (2026-27 on). */
      readonly entries: ReadonlyArray<{ readonly id: string; readonly amounts: CumulativeAmounts }>;
    };

export type CumulativeBody = { [key: string]: CumulativeJson };
export type CumulativeJson = number | string | boolean | CumulativeBody | CumulativeJson[];

/** Puts the known fields' amounts into a fresh object, nesting by path; unknown paths are ignored. */
function businessObject(fields: readonly CumulativeField[], amounts: CumulativeAmounts): CumulativeBody {
  const out: CumulativeBody = {};
  for (const field of fields) {
    const amount = amounts.get(field.path);
    if (amount === undefined) continue;
    const parts = field.path.split(".");
    let target = out;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as CumulativeBody;
    target[parts[parts.length - 1]!] = penceToPounds(amount);
  }
  return out;
}

/**
 * Builds the request body from year-to-date amounts. Field paths must be known fields (the mapping layer
 * reports unknown names with their cells before this point); the result still goes through
 * {@link validateCumulative} before anything is sent. Throws for a tax year before 2025-26.
 */
export function buildCumulative(input: CumulativeInput): CumulativeBody {
  const profile = profileFor(input.type, input.taxYear);
  if (!profile) throw new Error(`Cumulative updates start with tax year 2025-26; ${input.taxYear} uses period-by-period updates.`);
  const fields = fieldsOf(profile);
  switch (input.type) {
    case "self-employment":
      return { periodDates: { periodStartDate: input.periodStartDate, periodEndDate: input.periodEndDate }, ...businessObject(fields, input.amounts) };
    case "uk-property":
      return { ...datesOf(input), ukProperty: businessObject(fields, input.amounts) };
    case "foreign-property":
      return {
        ...datesOf(input),
        foreignProperty: input.entries.map((e) => ({ [profile.entryId!]: e.id, ...businessObject(fields, e.amounts) })),
      };
  }
}

function datesOf(input: { fromDate?: IsoDate; toDate?: IsoDate }): CumulativeBody {
  return { ...(input.fromDate ? { fromDate: input.fromDate } : {}), ...(input.toDate ? { toDate: input.toDate } : {}) };
}

/** Reads the amounts back out of one business object (HMRC's retrieve responses share the request's shape). */
export function amountsOf(type: CumulativeBusinessType, taxYear: TaxYear, businessObject: unknown): Map<string, Pence> {
  const out = new Map<string, Pence>();
  for (const f of fieldsFor(type, taxYear)) {
    const v = getPointer(businessObject, f.relativePointer);
    if (typeof v === "number") out.set(f.path, poundsToPence(v));
  }
  return out;
}

// ---- validation -------------------------------------------------------------------------------------

/** HMRC's codes this module raises that the shared message table does not carry. */
const MESSAGES: Readonly<Record<string, string>> = {
  RULE_END_DATE_BEFORE_START_DATE: "The End date must be after the Start date",
  FORMAT_COUNTRY_CODE: "The format of the country code is invalid",
  RULE_DUPLICATE_COUNTRY_CODE: "You cannot supply the same country code for multiple properties",
  FORMAT_PROPERTY_ID: "The format of the supplied property ID is invalid",
  RULE_DUPLICATE_PROPERTY_ID: "You cannot supply the same property ID for multiple properties",
};

function message(code: string): string {
  return HMRC_MESSAGES[code] ?? MESSAGES[code] ?? code;
}

function withRoot(fields: readonly CumulativeField[], root: string): GeneratedField[] {
  return fields.map((f) => ({ pointer: `${root}${f.relativePointer}`, minPence: f.minPence, maxPence: f.maxPence, description: f.description }));
}

/** RULE_BOTH_EXPENSES_SUPPLIED for one business object, whose pointer is `at`. */
function consolidatedProblem(profile: Profile, object: unknown, at: string): HmrcErrorItem | undefined {
  const fields = fieldsOf(profile);
  const consolidated = fields.find((f) => CONSOLIDATED.has(f.path));
  if (!consolidated || getPointer(object, consolidated.relativePointer) === undefined) return undefined;
  const itemised = fields.filter(
    (f) => f.kind !== "income" && f !== consolidated && !profile.allowedWithConsolidated.has(f.path) && getPointer(object, f.relativePointer) !== undefined,
  );
  if (itemised.length === 0) return undefined;
  // HMRC points at the expenses object, not at each itemised field.
  const expenses = consolidated.relativePointer.slice(0, consolidated.relativePointer.lastIndexOf("/"));
  return { code: "RULE_BOTH_EXPENSES_SUPPLIED", message: message("RULE_BOTH_EXPENSES_SUPPLIED"), paths: [`${at}${expenses}`] };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** ISO 3166-1 alpha-3 shape; HMRC additionally checks the code exists (RULE_COUNTRY_CODE), which needs its list. */
export function isCountryCodeFormat(v: unknown): v is string {
  return typeof v === "string" && /^[A-Z]{3}$/.test(v);
}

/**
 * Schema checks plus HMRC's body rules for a business type's cumulative summary in a tax year; an empty
 * list means HMRC's validators would accept it. Paths are JSON pointers into the body.
 */
export function validateCumulative(type: CumulativeBusinessType, taxYear: TaxYear, body: unknown): HmrcErrorItem[] {
  const profile = profileFor(type, taxYear);
  if (!profile) return [{ code: "RULE_TAX_YEAR_NOT_SUPPORTED", message: message("RULE_TAX_YEAR_NOT_SUPPORTED") }];
  const fields = fieldsOf(profile);
  if (profile.type === "self-employment") {
    const spec: BodySpec = {
      fields: withRoot(fields, ""),
      dates: { "/periodDates/periodStartDate": "FORMAT_START_DATE", "/periodDates/periodEndDate": "FORMAT_END_DATE" },
      required: ["/periodDates/periodStartDate", "/periodDates/periodEndDate"],
    };
    const schemaErrors = validateBody(body, spec);
    return schemaErrors.length > 0 ? schemaErrors : bodyRules(body, profile, "", ["/periodDates/periodStartDate", "/periodDates/periodEndDate", "RULE_END_DATE_BEFORE_START_DATE"]);
  }
  if (profile.type === "uk-property") {
    const spec: BodySpec = { fields: withRoot(fields, "/ukProperty"), dates: { "/fromDate": "FORMAT_FROM_DATE", "/toDate": "FORMAT_TO_DATE" }, required: ["/ukProperty"] };
    const schemaErrors = validateBody(body, spec);
    return schemaErrors.length > 0 ? schemaErrors : bodyRules(body, profile, "/ukProperty", ["/fromDate", "/toDate", "RULE_TO_DATE_BEFORE_FROM_DATE"]);
  }
  return validateForeign(body, profile);
}

/** Date order and consolidated expenses, checked once the body is well formed (HMRC reports format errors first). */
function bodyRules(body: unknown, profile: Profile, root: string, [from, to, code]: [string, string, string]): HmrcErrorItem[] {
  const errors: HmrcErrorItem[] = [];
  const start = getPointer(body, from);
  const end = getPointer(body, to);
  if (typeof start === "string" && typeof end === "string" && end < start) errors.push({ code, message: message(code), paths: [to] });
  const both = consolidatedProblem(profile, root ? getPointer(body, root) : body, root);
  if (both) errors.push(both);
  return errors;
}

function validateForeign(body: unknown, profile: Profile): HmrcErrorItem[] {
  const idKey = profile.entryId!;
  const errors = new ErrorCollector();
  const add = (item: HmrcErrorItem): void => {
    if (!item.paths || item.paths.length === 0) errors.add(item.code, item.message);
    for (const p of item.paths ?? []) errors.add(item.code, item.message, p);
  };
  if (!isObject(body)) return [{ code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: message("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED") }];
  const { foreignProperty, ...top } = body;
  // The dates sit beside the array; validateBody checks them (and unknown keys) with no money fields.
  if (Object.keys(top).length > 0) validateBody(top, { fields: [], dates: { "/fromDate": "FORMAT_FROM_DATE", "/toDate": "FORMAT_TO_DATE" } }).forEach(add);
  if (!Array.isArray(foreignProperty) || foreignProperty.length === 0) {
    add({ code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: message("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED"), paths: ["/foreignProperty"] });
    return errors.items;
  }
  const fields = fieldsOf(profile);
  const seen = new Map<string, number>();
  const wellFormed: Array<[Record<string, unknown>, string]> = [];
  foreignProperty.forEach((entry: unknown, i) => {
    const at = `/foreignProperty/${i}`;
    if (!isObject(entry)) {
      add({ code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: message("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED"), paths: [at] });
      return;
    }
    const { [idKey]: id, ...rest } = entry;
    const income = isObject(rest.income) ? rest.income : undefined;
    const { foreignTaxCreditRelief, ...moneyIncome } = income ?? {};
    const checked = income ? { ...rest, income: moneyIncome } : rest;
    // An income object holding only the relief flag is still an income object.
    if (income && foreignTaxCreditRelief !== undefined && Object.keys(moneyIncome).length === 0) delete checked.income;
    const entryErrors = Object.keys(checked).length > 0 ? validateBody(checked, { fields: withRoot(fields, "") }) : [];
    for (const e of entryErrors) add({ ...e, paths: (e.paths ?? [""]).map((p) => `${at}${p}`) });
    if (foreignTaxCreditRelief !== undefined && typeof foreignTaxCreditRelief !== "boolean") {
      add({ code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: message("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED"), paths: [`${at}/income/foreignTaxCreditRelief`] });
    }
    const idOk = idKey === "countryCode" ? isCountryCodeFormat(id) : typeof id === "string" && paramIsValid("propertyId", id);
    if (id === undefined) add({ code: "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED", message: message("RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED"), paths: [`${at}/${idKey}`] });
    else if (!idOk) add({ code: idKey === "countryCode" ? "FORMAT_COUNTRY_CODE" : "FORMAT_PROPERTY_ID", message: message(idKey === "countryCode" ? "FORMAT_COUNTRY_CODE" : "FORMAT_PROPERTY_ID"), paths: [`${at}/${idKey}`] });
    else if (seen.has((id as string).toLowerCase())) {
      const code = idKey === "countryCode" ? "RULE_DUPLICATE_COUNTRY_CODE" : "RULE_DUPLICATE_PROPERTY_ID";
      add({ code, message: message(code), paths: [`${at}/${idKey}`] });
    } else seen.set((id as string).toLowerCase(), i);
    if (entryErrors.length === 0) wellFormed.push([entry, at]);
  });
  if (errors.items.length > 0) return errors.items;
  const from = body.fromDate;
  const to = body.toDate;
  if (typeof from === "string" && typeof to === "string" && to < from) add({ code: "RULE_TO_DATE_BEFORE_FROM_DATE", message: message("RULE_TO_DATE_BEFORE_FROM_DATE"), paths: ["/toDate"] });
  for (const [entry, at] of wellFormed) {
    const both = consolidatedProblem(profile, entry, at);
    if (both) add(both);
  }
  return errors.items;
}
