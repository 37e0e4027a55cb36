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
};

/** Documented values that simulate a success response (not an error). */
const SUCCESS_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  "business-details.list": ["PROPERTY", "FOREIGN_PROPERTY", "BUSINESS_AND_PROPERTY", "UNSPECIFIED"],
  "business-details.retrieve": ["PROPERTY", "FOREIGN_PROPERTY", "UNSPECIFIED"],
  "obligations.income-and-expenditure": ["OPEN", "FULFILLED", "CUMULATIVE"],
  "property.uk.cumulative.retrieve": ["UK_PROPERTY_CONSOLIDATED", "UK_PROPERTY_FULL_EXPENSES"],
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
  const code = [override, value, `RULE_${value}`].find((c): c is string => c !== undefined && documented(c));
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
