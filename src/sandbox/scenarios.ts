/**
 * Gov-Test-Scenario, as HMRC's sandbox reads it. Every value in an endpoint's "Test data" table is either an
 * error simulation (answered with the documented status and example body) or a success variant (the route
 * decides what it returns; by default the stateful behaviour). `STATEFUL`, `DYNAMIC` and no header mean the
 * sandbox's own stateful behaviour; anything else is HMRC's RULE_INCORRECT_GOV_TEST_SCENARIO.
 */
import { ENDPOINT_DOCS } from "./generated/hmrc-docs";
import { singleError, type ErrorResponse } from "./errors";

/** Scenario values whose error code is not `<value>` or `RULE_<value>`, per endpoint (`*` = every endpoint). */
const CODE_OVERRIDES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "*": { NOT_FOUND: "MATCHING_RESOURCE_NOT_FOUND" },
  "property.uk.cumulative.retrieve": { FOREIGN_PROPERTY: "RULE_TYPE_OF_BUSINESS_INCORRECT" },
  "property.foreign.cumulative.retrieve": { UK_PROPERTY: "RULE_TYPE_OF_BUSINESS_INCORRECT" },
  "property.uk.annual.retrieve": { FOREIGN_PROPERTY: "RULE_TYPE_OF_BUSINESS_INCORRECT" },
  "property.foreign.annual.retrieve": { UK_PROPERTY: "RULE_TYPE_OF_BUSINESS_INCORRECT" },
  "bsas.self-employment.retrieve": { NOT_SELF_EMPLOYMENT: "RULE_TYPE_OF_BUSINESS_INCORRECT" },
  "bsas.uk-property.retrieve": { NOT_UK_PROPERTY: "RULE_TYPE_OF_BUSINESS_INCORRECT" },
  "bsas.self-employment.adjust": { SELF_EMPLOYMENT_OVER_CONSOLIDATED_EXPENSES_THRESHOLD: "RULE_OVER_CONSOLIDATED_EXPENSES_THRESHOLD" },
  "bsas.uk-property.adjust": {
    UK_PROPERTY_OVER_CONSOLIDATED_EXPENSES_THRESHOLD: "RULE_OVER_CONSOLIDATED_EXPENSES_THRESHOLD",
    UK_PROPERTY_INCOME_ALLOWANCE_CLAIMED: "RULE_PROPERTY_INCOME_ALLOWANCE_CLAIMED",
  },
  "bsas.foreign-property.adjust": {
    FOREIGN_PROPERTY_OVER_CONSOLIDATED_EXPENSES_THRESHOLD: "RULE_OVER_CONSOLIDATED_EXPENSES_THRESHOLD",
    FOREIGN_PROPERTY_INCOME_ALLOWANCE_CLAIMED: "RULE_PROPERTY_INCOME_ALLOWANCE_CLAIMED",
  },
  "losses.claims.create": { DUPLICATE: "RULE_DUPLICATE_SUBMISSION" },
};

/** Documented values that simulate a success response (not an error). */
const SUCCESS_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  "business-details.list": ["PROPERTY", "FOREIGN_PROPERTY", "BUSINESS_AND_PROPERTY", "UNSPECIFIED"],
  "business-details.retrieve": ["PROPERTY", "FOREIGN_PROPERTY", "UNSPECIFIED"],
  "business-details.periods-of-account.retrieve": ["NO_PERIODS_OF_ACCOUNT"],
  "obligations.income-and-expenditure": ["OPEN", "FULFILLED", "CUMULATIVE"],
  "property.uk.cumulative.retrieve": ["UK_PROPERTY_CONSOLIDATED", "UK_PROPERTY_FULL_EXPENSES"],
  "self-employment.cumulative.retrieve": ["CONSOLIDATED_EXPENSES"],
  "self-employment.annual.retrieve": ["TRADING_ALLOWANCE"],
  "self-employment.annual.delete": ["DELETE"],
  "self-employment.period.retrieve": ["CONSOLIDATED_EXPENSES"],
  "property.foreign.cumulative.retrieve": ["FOREIGN_PROPERTY_FULL_EXPENSES", "FOREIGN_PROPERTY_CONSOLIDATED"],
  "property.uk.annual.retrieve": ["UK_PROPERTY", "UK_ALL_OTHER_ALLOWANCES", "UK_PROPERTY_ALLOWANCE", "UK_FHL_ALL_OTHER_ALLOWANCES", "UK_FHL_PROPERTY_ALLOWANCE"],
  "property.foreign.annual.retrieve": ["FOREIGN_PROPERTY", "FOREIGN_ALL_OTHER_ALLOWANCES", "FOREIGN_PROPERTY_ALLOWANCE", "FOREIGN_FHL_ALL_OTHER_ALLOWANCES", "FOREIGN_FHL_PROPERTY_ALLOWANCE"],
  "obligations.final-declaration": ["MULTIPLE"],
  "calculations.retrieve": ["ERROR_MESSAGES_EXIST", "UK_MULTIPLE_INCOMES_EXAMPLE", "UK_PROP_DIVIDENDS_EXAMPLE", "UK_PROP_GIFTAID_EXAMPLE", "UK_PROP_SAVINGS_EXAMPLE", "UK_SE_GIFTAID_EXAMPLE", "UK_SE_SAVINGS_EXAMPLE", "SCOT_SE_DIVIDENDS_EXAMPLE"],
  "bsas.list": ["SELF_EMPLOYMENT", "UK_PROPERTY", "UK_PROPERTY_FHL", "FOREIGN_PROPERTY", "FOREIGN_PROPERTY_FHL"],
  "bsas.self-employment.retrieve": ["SELF_EMPLOYMENT_PROFIT", "DYNAMIC_SELF_EMPLOYMENT_PROFIT", "SELF_EMPLOYMENT_LOSS", "DYNAMIC_SELF_EMPLOYMENT_LOSS", "SELF_EMPLOYMENT_CONSOLIDATED", "DYNAMIC_SELF_EMPLOYMENT_CONSOLIDATED", "TRADING_ALLOWANCE", "DYNAMIC_TRADING_ALLOWANCE", "SELF_EMPLOYMENT_UNADJUSTED", "DYNAMIC_SELF_EMPLOYMENT_UNADJUSTED", "SELF_EMPLOYMENT_STATUS_INVALID", "DYNAMIC_SELF_EMPLOYMENT_STATUS_INVALID", "SELF_EMPLOYMENT_STATUS_SUPERSEDED", "DYNAMIC_SELF_EMPLOYMENT_STATUS_SUPERSEDED", "SELF_EMPLOYMENT_ZERO_ADJUSTMENTS"],
  "bsas.uk-property.retrieve": ["UK_PROPERTY_STATUS_INVALID", "DYNAMIC_UK_PROPERTY_STATUS_INVALID", "UK_PROPERTY_STATUS_SUPERSEDED", "DYNAMIC_UK_PROPERTY_STATUS_SUPERSEDED", "UK_PROPERTY_PROFIT", "DYNAMIC_UK_PROPERTY_PROFIT", "UK_PROPERTY_LOSS", "DYNAMIC_UK_PROPERTY_LOSS", "UK_PROPERTY_CONSOLIDATED", "DYNAMIC_UK_PROPERTY_CONSOLIDATED", "UK_PROPERTY_ALLOWANCE", "DYNAMIC_UK_PROPERTY_ALLOWANCE", "UK_PROPERTY_FHL_PROFIT", "DYNAMIC_UK_PROPERTY_FHL_PROFIT", "UK_PROPERTY_FHL_LOSS", "DYNAMIC_UK_PROPERTY_FHL_LOSS", "UK_PROPERTY_FHL_CONSOLIDATED", "DYNAMIC_UK_PROPERTY_FHL_CONSOLIDATED", "UK_FHL_PROPERTY_ALLOWANCE", "DYNAMIC_UK_FHL_PROPERTY_ALLOWANCE", "UK_PROPERTY_ZERO_ADJUSTMENTS"],
  "bsas.foreign-property.retrieve": ["FOREIGN_PROPERTY_STATUS_INVALID", "DYNAMIC_FOREIGN_PROPERTY_STATUS_INVALID", "FOREIGN_PROPERTY_STATUS_SUPERSEDED", "DYNAMIC_FOREIGN_PROPERTY_STATUS_SUPERSEDED", "FOREIGN_PROPERTY_PROFIT", "DYNAMIC_FOREIGN_PROPERTY_PROFIT", "FOREIGN_PROPERTY_LOSS", "DYNAMIC_FOREIGN_PROPERTY_LOSS", "FOREIGN_PROPERTY_CONSOLIDATED", "DYNAMIC_FOREIGN_PROPERTY_CONSOLIDATED", "FOREIGN_PROPERTY_ALLOWANCE", "DYNAMIC_FOREIGN_PROPERTY_ALLOWANCE", "FOREIGN_PROPERTY_FHL_PROFIT", "DYNAMIC_FOREIGN_PROPERTY_FHL_PROFIT", "FOREIGN_PROPERTY_FHL_LOSS", "DYNAMIC_FOREIGN_PROPERTY_FHL_LOSS", "FOREIGN_PROPERTY_FHL_CONSOLIDATED", "DYNAMIC_FOREIGN_PROPERTY_FHL_CONSOLIDATED", "FOREIGN_FHL_PROPERTY_ALLOWANCE", "DYNAMIC_FOREIGN_FHL_PROPERTY_ALLOWANCE", "FOREIGN_PROPERTY_ZERO_ADJUSTMENTS"],
  "losses.bf.amend": ["CLASS_4", "FOREIGN_PROPERTY", "FOREIGN_PROPERTY_FHL_EEA", "UK_PROPERTY_FHL", "UK_PROPERTY"],
  "losses.bf.list": ["SELF_EMPLOYMENT", "UK_PROPERTY", "FOREIGN_PROPERTY"],
  "losses.bf.retrieve": ["UK_PROPERTY_FHL", "FOREIGN_PROPERTY"],
  "losses.claims.list": ["UK_PROPERTY", "FOREIGN_PROPERTY"],
  "losses.claims.retrieve": ["UK_PROPERTY", "FOREIGN_PROPERTY"],
  "losses.claims.change-type": ["FP_FORWARD", "FP_SIDEWAYS", "UK_FORWARD", "UK_FORWARD_TO_SIDEWAYS", "UK_SIDEWAYS", "UK_SIDEWAYS_FHL", "SE_FORWARD", "SE_SIDEWAYS"],
  "losses.business.retrieve": ["TERMINAL_LOSS_CLAIM"],
};

/** Always accepted: the sandbox's own persistent behaviour. */
export const STATEFUL_VALUES: readonly string[] = ["STATEFUL", "DYNAMIC"];

export type ScenarioClass = { kind: "stateful" } | { kind: "variant"; name: string } | { kind: "error"; code: string };

/** How a documented (or stateful) scenario value behaves on an endpoint; undefined when HMRC does not know it. */
export function classifyScenario(endpointId: string, value: string): ScenarioClass | undefined {
  if (STATEFUL_VALUES.includes(value)) return { kind: "stateful" };
  const docs = ENDPOINT_DOCS[endpointId];
  if (!docs?.scenarios.includes(value)) return undefined;
  if (SUCCESS_VARIANTS[endpointId]?.includes(value)) return { kind: "variant", name: value };
  const override = CODE_OVERRIDES[endpointId]?.[value] ?? CODE_OVERRIDES["*"]?.[value];
  const documented = (code: string) => docs.errors.some((e) => e.code === code);
  // NOT_FOUND means HMRC's 404 even where an endpoint's definition forgets to list MATCHING_RESOURCE_NOT_FOUND.
  const code = [override, value, `RULE_${value}`].find((c): c is string => c !== undefined && documented(c)) ?? CODE_OVERRIDES["*"]?.[value];
  return code ? { kind: "error", code } : undefined;
}

export type ScenarioOutcome = { kind: "proceed"; variant?: string } | { kind: "respond"; response: ErrorResponse };

/** What to do with the request's Gov-Test-Scenario header value. */
export function resolveScenario(endpointId: string, header: string | undefined): ScenarioOutcome {
  const value = header?.trim();
  if (!value) return { kind: "proceed" };
  const c = classifyScenario(endpointId, value);
  if (!c) return { kind: "respond", response: singleError(endpointId, "RULE_INCORRECT_GOV_TEST_SCENARIO") };
  if (c.kind === "error") return { kind: "respond", response: singleError(endpointId, c.code) };
  return c.kind === "variant" ? { kind: "proceed", variant: c.name } : { kind: "proceed" };
}
