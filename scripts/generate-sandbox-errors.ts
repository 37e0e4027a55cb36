/**
 * Generates src/sandbox/generated/hmrc-docs.ts from HMRC's published OpenAPI definitions in ../shared/hmrc-api:
 * for every endpoint the local sandbox serves, the error bodies HMRC documents (status, code, message, taken
 * from each API's common/errors.yaml examples), the Gov-Test-Scenario values of its "Test data" table, and the
 * success examples (used for canned sandbox variants). The output is committed, so the repository works
 * without ../shared.
 * Run: `npx tsx scripts/generate-sandbox-errors.ts`.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

const SHARED = resolve(__dirname, "../../shared/hmrc-api");
const OUT = resolve(__dirname, "../src/sandbox/generated/hmrc-docs.ts");

interface Source {
  /** Catalogue id (or the sandbox's own id for test-support endpoints). */
  id: string;
  /** API folder and version under SHARED. */
  api: string;
  file: string;
  /** Key of the operation inside the file, when the file holds several methods. */
  method?: "get" | "put" | "post" | "delete";
}

const SOURCES: Source[] = [
  { id: "business-details.list", api: "business-details-api/2.0", file: "list.yaml", method: "get" },
  { id: "business-details.retrieve", api: "business-details-api/2.0", file: "retrieve.yaml", method: "get" },
  { id: "business-details.quarterly-period-type", api: "business-details-api/2.0", file: "quarterly_period_type_create_amend.yaml", method: "put" },
  { id: "business-details.accounting-type.retrieve", api: "business-details-api/2.0", file: "retrieve_accounting_type.yaml" },
  { id: "business-details.accounting-type.update", api: "business-details-api/2.0", file: "update_accounting_type.yaml" },
  { id: "business-details.periods-of-account.retrieve", api: "business-details-api/2.0", file: "retrieve_periods_of_account.yaml" },
  { id: "business-details.periods-of-account.update", api: "business-details-api/2.0", file: "create_update_periods_of_account.yaml" },
  { id: "business-details.late-accounting-date-rule.retrieve", api: "business-details-api/2.0", file: "retrieve_late_accounting_date_rule.yaml", method: "get" },
  { id: "business-details.late-accounting-date-rule.disapply", api: "business-details-api/2.0", file: "disapply_late_accounting_date_rule.yaml", method: "post" },
  { id: "business-details.late-accounting-date-rule.withdraw", api: "business-details-api/2.0", file: "withdraw_late_accounting_date_rule.yaml", method: "delete" },
  { id: "obligations.income-and-expenditure", api: "obligations-api/3.0", file: "retrieve_income_tax_income_expenditure.yaml", method: "get" },
  { id: "obligations.final-declaration", api: "obligations-api/3.0", file: "retrieve_income_tax_crystallisation.yaml", method: "get" },
  { id: "property.uk.cumulative.amend", api: "property-business-api/6.0", file: "uk_property_cumulative_summary_create_or_amend.yaml" },
  { id: "property.uk.cumulative.retrieve", api: "property-business-api/6.0", file: "uk_property_cumulative_summary_retrieve.yaml" },
  { id: "biss.retrieve", api: "self-assessment-biss-api/3.0", file: "retrieve_business_income.yaml", method: "get" },
  { id: "self-employment.cumulative.amend", api: "self-employment-business-api/5.0", file: "create_amend_cumulative_period_summary.yaml" },
  { id: "self-employment.cumulative.retrieve", api: "self-employment-business-api/5.0", file: "retrieve_cumulative_period_summary.yaml" },
  { id: "self-employment.annual.amend", api: "self-employment-business-api/5.0", file: "create_and_amend_annual_submission.yaml" },
  { id: "self-employment.annual.retrieve", api: "self-employment-business-api/5.0", file: "retrieve_annual_submission.yaml" },
  { id: "self-employment.annual.delete", api: "self-employment-business-api/5.0", file: "delete_annual_submission.yaml" },
  { id: "self-employment.period.list", api: "self-employment-business-api/5.0", file: "list_period_summaries.yaml", method: "get" },
  { id: "self-employment.period.retrieve", api: "self-employment-business-api/5.0", file: "retrieve_period_summary.yaml" },
  { id: "property.foreign.cumulative.amend", api: "property-business-api/6.0", file: "foreign_property_cumulative_summary_create_or_amend.yaml" },
  { id: "property.foreign.cumulative.retrieve", api: "property-business-api/6.0", file: "foreign_property_cumulative_summary_retrieve.yaml" },
  { id: "property.foreign.details.create", api: "property-business-api/6.0", file: "foreign_property_details_create.yaml" },
  { id: "property.foreign.details.retrieve", api: "property-business-api/6.0", file: "foreign_property_details_retrieve.yaml" },
  { id: "property.foreign.details.update", api: "property-business-api/6.0", file: "foreign_property_details_update.yaml", method: "put" },
  { id: "property.uk.annual.amend", api: "property-business-api/6.0", file: "uk_property_annual_submission_create_and_amend.yaml" },
  { id: "property.uk.annual.retrieve", api: "property-business-api/6.0", file: "uk_property_annual_submission_retrieve.yaml" },
  { id: "property.foreign.annual.amend", api: "property-business-api/6.0", file: "foreign_property_annual_submission_create_and_amend.yaml" },
  { id: "property.foreign.annual.retrieve", api: "property-business-api/6.0", file: "foreign_property_annual_submission_retrieve.yaml" },
  { id: "property.annual.delete", api: "property-business-api/6.0", file: "uk_foreign_property_annual_submission_deletion.yaml", method: "delete" },
  { id: "calculations.trigger", api: "individual-calculations-api/8.0", file: "trigger.yaml", method: "post" },
  { id: "calculations.list", api: "individual-calculations-api/8.0", file: "list.yaml", method: "get" },
  { id: "calculations.retrieve", api: "individual-calculations-api/8.0", file: "retrieve.yaml", method: "get" },
  { id: "calculations.submit", api: "individual-calculations-api/8.0", file: "submit_final_declaration.yaml", method: "post" },
  { id: "bsas.list", api: "self-assessment-bsas-api/7.0", file: "bsas_list.yaml", method: "get" },
  { id: "bsas.trigger", api: "self-assessment-bsas-api/7.0", file: "bsas_trigger.yaml", method: "post" },
  { id: "bsas.self-employment.retrieve", api: "self-assessment-bsas-api/7.0", file: "self_employment_retrieve.yaml", method: "get" },
  { id: "bsas.self-employment.adjust", api: "self-assessment-bsas-api/7.0", file: "self_employment_adjustments_submit.yaml", method: "post" },
  { id: "bsas.uk-property.retrieve", api: "self-assessment-bsas-api/7.0", file: "uk_property_bsas_retrieve.yaml", method: "get" },
  { id: "bsas.uk-property.adjust", api: "self-assessment-bsas-api/7.0", file: "uk_property_accounting_adjustments_submit.yaml", method: "post" },
  { id: "bsas.foreign-property.retrieve", api: "self-assessment-bsas-api/7.0", file: "foreign_property_retrieve.yaml", method: "get" },
  { id: "bsas.foreign-property.adjust", api: "self-assessment-bsas-api/7.0", file: "foreign_property_accounting_adjustments_submit.yaml", method: "post" },
  { id: "losses.bf.create", api: "individual-losses-api/6.0", file: "brought_forward_losses_create.yaml", method: "post" },
  { id: "losses.bf.amend", api: "individual-losses-api/6.0", file: "brought_forward_losses_amend.yaml", method: "post" },
  { id: "losses.bf.list", api: "individual-losses-api/6.0", file: "brought_forward_losses_list.yaml", method: "get" },
  { id: "losses.bf.retrieve", api: "individual-losses-api/6.0", file: "brought_forward_losses_retrieve.yaml", method: "get" },
  { id: "losses.bf.delete", api: "individual-losses-api/6.0", file: "brought_forward_losses_delete.yaml", method: "delete" },
  { id: "losses.claims.create", api: "individual-losses-api/6.0", file: "loss_claims_create.yaml", method: "post" },
  { id: "losses.claims.list", api: "individual-losses-api/6.0", file: "loss_claims_list.yaml", method: "get" },
  { id: "losses.claims.retrieve", api: "individual-losses-api/6.0", file: "loss_claims_retrieve.yaml", method: "get" },
  { id: "losses.claims.delete", api: "individual-losses-api/6.0", file: "loss_claims_delete.yaml", method: "delete" },
  { id: "losses.claims.change-type", api: "individual-losses-api/6.0", file: "loss_claims_amend_type.yaml", method: "post" },
  { id: "losses.claims.order", api: "individual-losses-api/6.0", file: "loss_claims_amend_order.yaml" },
  { id: "losses.business.retrieve", api: "individual-losses-api/7.0", file: "losses_and_claims_retrieve.yaml" },
  { id: "losses.business.amend", api: "individual-losses-api/7.0", file: "losses_and_claims_create_amend.yaml" },
  { id: "losses.business.delete", api: "individual-losses-api/7.0", file: "losses_and_claims_delete.yaml" },
  { id: "test-support.business.create", api: "mtd-sa-test-support-api/1.0", file: "business_create.yaml", method: "post" },
  { id: "test-support.business.delete", api: "mtd-sa-test-support-api/1.0", file: "business_delete.yaml", method: "delete" },
  { id: "test-support.itsa-status", api: "mtd-sa-test-support-api/1.0", file: "itsa_status_create_amend.yaml", method: "post" },
  { id: "test-support.vendor-state.delete", api: "mtd-sa-test-support-api/1.0", file: "vendor_state_delete.yaml" },
  { id: "test-support.checkpoints.list", api: "mtd-sa-test-support-api/1.0", file: "checkpoints_list.yaml" },
  { id: "test-support.checkpoints.create", api: "mtd-sa-test-support-api/1.0", file: "checkpoints_create.yaml" },
  { id: "test-support.checkpoints.delete", api: "mtd-sa-test-support-api/1.0", file: "checkpoints_delete.yaml", method: "delete" },
  { id: "test-support.checkpoints.restore", api: "mtd-sa-test-support-api/1.0", file: "checkpoints_restore.yaml", method: "post" },
];

/** HMRC's files carry Handlebars feature-switch tags and the odd tab; make them plain YAML/JSON. */
function clean(text: string): string {
  return text.replace(/\{\{[#/^]?[^}]*\}\}/g, "").replace(/\t/g, " ");
}

function readYaml(path: string): unknown {
  return parseYaml(clean(readFileSync(path, "utf8")));
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

interface ErrorDoc {
  status: number;
  code: string;
  message: string;
}

/**
 * Values of the "Test data" table: the first cell of each row that is a scenario name (some tables lead with a
 * tax-year column); header, separator and the default row skipped.
 */
function scenariosOf(description: string): string[] {
  const out: string[] = [];
  for (const line of description.split("\n")) {
    if (!/^\s*\|/.test(line)) continue;
    const value = line.split("|").map((c) => c.trim()).find((c) => /^[A-Z][A-Z0-9_]*$/.test(c) && c !== "ALL"); // "ALL" is a tax-year cell
    if (value && !out.includes(value)) out.push(value);
  }
  return out;
}

function resolveRef(baseDir: string, ref: string): unknown {
  const [file, pointer] = ref.split("#");
  const doc = file ? (file.endsWith(".json") ? JSON.parse(clean(readFileSync(join(baseDir, file), "utf8"))) : readYaml(join(baseDir, file))) : undefined;
  if (!pointer) return doc;
  let cur: unknown = doc;
  for (const part of pointer.split("/").filter(Boolean)) cur = isObject(cur) ? cur[part] : undefined;
  return cur;
}

function generateEndpoint(src: Source): { errors: ErrorDoc[]; scenarios: string[]; examples: Record<string, unknown> } {
  const dir = join(SHARED, src.api);
  const doc = readYaml(join(dir, src.file));
  const op = (src.method && isObject(doc) && isObject(doc[src.method]) ? doc[src.method] : doc) as Json;
  const scenarios = scenariosOf(String(op.description ?? ""));
  const errors: ErrorDoc[] = [];
  const examples: Record<string, unknown> = {};
  for (const [status, response] of Object.entries((op.responses ?? {}) as Json)) {
    const content = isObject(response) && isObject(response.content) ? response.content : undefined;
    const json = content && isObject(content["application/json"]) ? (content["application/json"] as Json) : undefined;
    // A single `example` (no named `examples`) is the success body, kept under the response's description.
    if (json && isObject(json.example) && typeof json.example.$ref === "string" && Number(status) < 300) {
      examples[String((response as Json).description ?? status)] = resolveRef(dir, json.example.$ref);
    }
    for (const [name, example] of Object.entries((json?.examples ?? {}) as Json)) {
      if (!isObject(example)) continue;
      if (typeof example.$ref === "string") {
        const value = resolveRef(dir, example.$ref);
        const body = isObject(value) ? value.value : undefined;
        if (isObject(body) && typeof body.code === "string" && typeof body.message === "string") {
          errors.push({ status: Number(status), code: body.code, message: body.message });
        }
      } else if (isObject(example.value) && typeof example.value.$ref === "string" && Number(status) < 300) {
        examples[name] = resolveRef(dir, example.value.$ref);
      }
    }
  }
  return { errors, scenarios, examples };
}

/** Every code → message of an API's errors.yaml (first example wins), for codes the endpoint tables lack. */
function apiMessages(api: string): Record<string, string> {
  const doc = readYaml(join(SHARED, api, "common/errors.yaml"));
  const examples = isObject(doc) && isObject(doc.components) && isObject(doc.components.examples) ? doc.components.examples : {};
  const out: Record<string, string> = {};
  for (const ex of Object.values(examples)) {
    const v = isObject(ex) ? ex.value : undefined;
    if (isObject(v) && typeof v.code === "string" && typeof v.message === "string" && !(v.code in out)) out[v.code] = v.message;
  }
  return out;
}

function main(): void {
  const endpoints: Record<string, ReturnType<typeof generateEndpoint> & { api: string }> = {};
  for (const src of SOURCES) endpoints[src.id] = { api: src.api, ...generateEndpoint(src) };
  const apis: Record<string, Record<string, string>> = {};
  for (const api of new Set(SOURCES.map((s) => s.api))) apis[api] = apiMessages(api);

  const text = `// Generated by scripts/generate-sandbox-errors.ts from shared/hmrc-api (${[...new Set(SOURCES.map((s) => s.api))].join(", ")}). Do not edit.

export interface DocumentedError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export interface EndpointDocs {
  /** HMRC API folder and version the definitions came from. */
  readonly api: string;
  /** Error responses the endpoint's OpenAPI definition documents, with HMRC's example messages. */
  readonly errors: readonly DocumentedError[];
  /** Gov-Test-Scenario values of the endpoint's "Test data" table (the default row omitted). */
  readonly scenarios: readonly string[];
  /** Success examples by HMRC's example name. */
  readonly examples: Readonly<Record<string, unknown>>;
}

export const ENDPOINT_DOCS: Readonly<Record<string, EndpointDocs>> = ${JSON.stringify(endpoints, null, 2)};

/** Every code → message in each API's common/errors.yaml. */
export const API_MESSAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = ${JSON.stringify(apis, null, 2)};
`;
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}

main();
