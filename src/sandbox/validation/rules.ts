/**
 * The cross-field rules HMRC's validators apply to each request body once every field is valid, with the
 * FORMAT_ codes of each endpoint's string fields. Messages here are placeholders: validateRequestBody re-words
 * every error with the endpoint's documented message.
 */
import { taxYearEnd, taxYearStart, type HmrcErrorItem, type TaxYear } from "../../mtd";
import type { BodyRules } from "./request-body";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const item = (code: string, paths?: string[]): HmrcErrorItem => ({ code, message: code, ...(paths && paths.length > 0 ? { paths } : {}) });

/** consolidatedExpenses beside any other expense (other than those `allowed`) → RULE_BOTH_EXPENSES_SUPPLIED. */
function bothExpenses(expenses: unknown, allowed: readonly string[], path: string, alsoItemised = false): HmrcErrorItem[] {
  if (!isObject(expenses) || expenses.consolidatedExpenses === undefined) return [];
  const itemised = alsoItemised || Object.keys(expenses).some((k) => k !== "consolidatedExpenses" && !allowed.includes(k));
  return itemised ? [item("RULE_BOTH_EXPENSES_SUPPLIED", [path])] : [];
}

/** Values of `key` appearing more than once among the entries → the code with every duplicate's path. */
function duplicates(entries: unknown, key: string, at: string, code: string): HmrcErrorItem[] {
  if (!Array.isArray(entries)) return [];
  const seen = new Map<string, string[]>();
  entries.forEach((e, i) => {
    const v = isObject(e) ? e[key] : undefined;
    if (typeof v === "string") seen.set(v, [...(seen.get(v) ?? []), `${at}/${i}/${key}`]);
  });
  const paths = [...seen.values()].filter((p) => p.length > 1).flat();
  return paths.length > 0 ? [item(code, paths)] : [];
}

/** Structure and buildings allowance entries need a postcode with a building name or number. */
function buildingNameNumber(allowances: unknown, at: string): HmrcErrorItem[] {
  if (!isObject(allowances)) return [];
  const paths: string[] = [];
  for (const key of ["structuredBuildingAllowance", "enhancedStructuredBuildingAllowance"]) {
    const list = allowances[key];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const b = isObject(entry) && isObject(entry.building) ? entry.building : undefined;
      if (b && b.name === undefined && b.number === undefined) paths.push(`${at}/${key}/${i}/building`);
    });
  }
  return paths.length > 0 ? [item("RULE_BUILDING_NAME_NUMBER", paths)] : [];
}

/** A single "allowance" claim (trading or property income allowance) excludes every other allowance. */
function bothAllowances(allowances: unknown, single: string, at: string): HmrcErrorItem[] {
  if (!isObject(allowances) || allowances[single] === undefined) return [];
  return Object.keys(allowances).some((k) => k !== single) ? [item("RULE_BOTH_ALLOWANCES_SUPPLIED", [`${at}/allowances`])] : [];
}

/** propertyIncomeAllowance cannot be claimed together with a private-use adjustment. */
function propertyIncomeAllowance(part: Json, at: string): HmrcErrorItem[] {
  const claimed = isObject(part.allowances) && part.allowances.propertyIncomeAllowance !== undefined;
  const privateUse = isObject(part.adjustments) && part.adjustments.privateUseAdjustment !== undefined;
  return claimed && privateUse ? [item("RULE_PROPERTY_INCOME_ALLOWANCE", [`${at}/allowances/propertyIncomeAllowance`])] : [];
}

function toBeforeFrom(from: unknown, to: unknown, code: string, path: string): HmrcErrorItem[] {
  return typeof from === "string" && typeof to === "string" && to < from ? [item(code, [path])] : [];
}

export const SELF_EMPLOYMENT_CUMULATIVE: BodyRules = {
  codes: { periodStartDate: "FORMAT_START_DATE", periodEndDate: "FORMAT_END_DATE" },
  rules: (b) => {
    const d = isObject(b.periodDates) ? b.periodDates : {};
    return [
      ...toBeforeFrom(d.periodStartDate, d.periodEndDate, "RULE_END_DATE_BEFORE_START_DATE", "/periodDates/periodEndDate"),
      // HMRC: consolidated expenses exclude every itemised expense, allowable or disallowable.
      ...bothExpenses(b.periodExpenses, [], "/periodExpenses", b.periodDisallowableExpenses !== undefined),
    ];
  },
};

export const SELF_EMPLOYMENT_ANNUAL: BodyRules = {
  codes: { class4NicsExemptionReason: "FORMAT_CLASS_4_EXEMPTION_REASON" },
  rules: (b) => [...bothAllowances(b.allowances, "tradingIncomeAllowance", ""), ...buildingNameNumber(b.allowances, "/allowances")],
};

export const FOREIGN_CUMULATIVE: BodyRules = {
  codes: { fromDate: "FORMAT_FROM_DATE", toDate: "FORMAT_TO_DATE", propertyId: "FORMAT_PROPERTY_ID" },
  rules: (b) => {
    const entries = Array.isArray(b.foreignProperty) ? b.foreignProperty : [];
    return [
      ...toBeforeFrom(b.fromDate, b.toDate, "RULE_TO_DATE_BEFORE_FROM_DATE", "/toDate"),
      ...entries.flatMap((e, i) => (isObject(e) ? bothExpenses(e.expenses, ["residentialFinancialCost", "broughtFwdResidentialFinancialCost"], `/foreignProperty/${i}/expenses`) : [])),
      ...duplicates(entries, "countryCode", "/foreignProperty", "RULE_DUPLICATE_COUNTRY_CODE"),
      ...duplicates(entries, "propertyId", "/foreignProperty", "RULE_DUPLICATE_PROPERTY_ID"),
    ];
  },
};

function endDetails(b: Json, taxYear: string | undefined): HmrcErrorItem[] {
  if ((b.endDate === undefined) !== (b.endReason === undefined)) return [item("RULE_MISSING_END_DETAILS")];
  if (typeof b.endDate !== "string" || !taxYear) return [];
  const ty = taxYear as TaxYear;
  if (b.endDate < taxYearStart(ty)) return [item("RULE_END_DATE_BEFORE_TAX_YEAR_START", ["/endDate"])];
  if (b.endDate > taxYearEnd(ty)) return [item("RULE_END_DATE_AFTER_TAX_YEAR_END", ["/endDate"])];
  return [];
}

const DETAILS_CODES = { propertyName: "FORMAT_PROPERTY_NAME", endDate: "FORMAT_END_DATE", endReason: "FORMAT_END_REASON" };
/** HMRC: a property name must not be empty or only whitespace (the schema's pattern allows spaces). */
const blankName = (b: Json): HmrcErrorItem[] => (typeof b.propertyName === "string" && b.propertyName.trim() === "" ? [item("FORMAT_PROPERTY_NAME", ["/propertyName"])] : []);

export const FOREIGN_DETAILS: BodyRules = {
  codes: DETAILS_CODES,
  rules: (b, taxYear) => {
    const blank = blankName(b);
    return blank.length > 0 ? blank : endDetails(b, taxYear);
  },
};

export const UK_ANNUAL: BodyRules = {
  rules: (b) => {
    const uk = isObject(b.ukProperty) ? b.ukProperty : {};
    return [
      ...bothAllowances(uk.allowances, "propertyIncomeAllowance", "/ukProperty"),
      ...buildingNameNumber(uk.allowances, "/ukProperty/allowances"),
      ...propertyIncomeAllowance(uk, "/ukProperty"),
    ];
  },
};

export const FOREIGN_ANNUAL: BodyRules = {
  codes: { propertyId: "FORMAT_PROPERTY_ID" },
  rules: (b) => {
    const entries = Array.isArray(b.foreignProperty) ? b.foreignProperty : [];
    return [
      ...entries.flatMap((e, i) =>
        isObject(e)
          ? [
              ...bothAllowances(e.allowances, "propertyIncomeAllowance", `/foreignProperty/${i}`),
              ...buildingNameNumber(e.allowances, `/foreignProperty/${i}/allowances`),
              ...propertyIncomeAllowance(e, `/foreignProperty/${i}`),
            ]
          : [],
      ),
      ...duplicates(entries, "countryCode", "/foreignProperty", "RULE_DUPLICATE_COUNTRY_CODE"),
      ...duplicates(entries, "propertyId", "/foreignProperty", "RULE_DUPLICATE_PROPERTY_ID"),
    ];
  },
};
