/**
 * Copies what the sandbox's request validation and conformance test need from HMRC's published definitions in
 * ../shared/hmrc-api, so the repository works without ../shared:
 *  - src/sandbox/generated/request-schemas.ts: each body-taking endpoint's request JSON schemas (draft-04), one per
 *    tax-year range HMRC defines ("def1", "def2", …), Handlebars feature-switch tags stripped;
 *  - test/fixtures/hmrc/requests/<endpoint id>.json: the request examples the endpoint's OpenAPI definition
 *    documents (HMRC's valid examples), each with the tax year its name states.
 * Repairs: of shared/hmrc-api/README.md's malformed list only BSAS 7.0's def2 UK property zero-adjustment example
 * is used here (an unquoted key, quoted by repairKnownMalformed); the script fails loudly if another stops parsing.
 * SE 5.0 def4 (2026-27 on) is behind a feature switch (`r21_adjustment_to_profits_for_class4_docs`); its tags are stripped, keeping the content, as HMRC's sandbox does.
 * Run: `npx tsx scripts/generate-sandbox-schemas.ts`.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

const SHARED = resolve(__dirname, "../../shared/hmrc-api");
const OUT = resolve(__dirname, "../src/sandbox/generated/request-schemas.ts");
const FIXTURES = resolve(__dirname, "../test/fixtures/hmrc/requests");

interface Def {
  /** Inclusive tax-year range of the schema, as its title states. */
  from?: string;
  to?: string;
  schema: string;
}

interface Source {
  id: string;
  api: string;
  /** The operation's own file (holding `requestBody`). */
  file: string;
  method?: "put" | "post";
  defs: Def[];
}

const SE = "self-employment-business-api/5.0";
const PB = "property-business-api/6.0";
const BSAS = "self-assessment-bsas-api/7.0";
const LOSSES6 = "individual-losses-api/6.0";
const BD = "business-details-api/2.0";

const SOURCES: Source[] = [
  { id: "business-details.quarterly-period-type", api: BD, file: "quarterly_period_type_create_amend.yaml", method: "put", defs: [{ schema: "schemas/createAmendQuarterlyPeriodType/def1/request.json" }] },
  { id: "business-details.accounting-type.update", api: BD, file: "update_accounting_type.yaml", defs: [{ schema: "schemas/updateAccountingType/request.json" }] },
  { id: "business-details.periods-of-account.update", api: BD, file: "create_update_periods_of_account.yaml", defs: [{ schema: "schemas/createUpdatePeriodsOfAccount/request.json" }] },
  { id: "self-employment.cumulative.amend", api: SE, file: "create_amend_cumulative_period_summary.yaml", defs: [{ from: "2025-26", schema: "schemas/createAmendCumulativePeriodSummary/request.json" }] },
  {
    id: "self-employment.annual.amend",
    api: SE,
    file: "create_and_amend_annual_submission.yaml",
    defs: [
      { to: "2023-24", schema: "schemas/createAmendAnnualSubmission/def1/request.json" },
      { from: "2024-25", to: "2024-25", schema: "schemas/createAmendAnnualSubmission/def2/request.json" },
      { from: "2025-26", to: "2025-26", schema: "schemas/createAmendAnnualSubmission/def3/request.json" },
      { from: "2026-27", schema: "schemas/createAmendAnnualSubmission/def4/request.json" },
    ],
  },
  { id: "property.uk.cumulative.amend", api: PB, file: "uk_property_cumulative_summary_create_or_amend.yaml", defs: [{ from: "2025-26", schema: "schemas/uk_property_cumulative_summary_create_and_amend/def1/request.json" }] },
  {
    id: "property.foreign.cumulative.amend",
    api: PB,
    file: "foreign_property_cumulative_summary_create_or_amend.yaml",
    defs: [
      { from: "2025-26", to: "2025-26", schema: "schemas/foreign_property_cumulative_summary_create_and_amend/def1/request.json" },
      { from: "2026-27", schema: "schemas/foreign_property_cumulative_summary_create_and_amend/def2/request.json" },
    ],
  },
  { id: "property.foreign.details.create", api: PB, file: "foreign_property_details_create.yaml", defs: [{ from: "2026-27", schema: "schemas/foreign_property_details_create/def1/request.json" }] },
  { id: "property.foreign.details.update", api: PB, file: "foreign_property_details_update.yaml", method: "put", defs: [{ from: "2026-27", schema: "schemas/foreign_property_details_update/def1/request.json" }] },
  {
    id: "property.uk.annual.amend",
    api: PB,
    file: "uk_property_annual_submission_create_and_amend.yaml",
    defs: [
      { to: "2024-25", schema: "schemas/uk_property_annual_submission_create_and_amend/def1/request.json" },
      { from: "2025-26", schema: "schemas/uk_property_annual_submission_create_and_amend/def2/request.json" },
    ],
  },
  {
    id: "property.foreign.annual.amend",
    api: PB,
    file: "foreign_property_annual_submission_create_and_amend.yaml",
    defs: [
      { to: "2024-25", schema: "schemas/foreign_property_annual_submission_create_and_amend/def1/request.json" },
      { from: "2025-26", to: "2025-26", schema: "schemas/foreign_property_annual_submission_create_and_amend/def2/request.json" },
      { from: "2026-27", schema: "schemas/foreign_property_annual_submission_create_and_amend/def3/request.json" },
    ],
  },
  { id: "bsas.trigger", api: BSAS, file: "bsas_trigger.yaml", method: "post", defs: [{ schema: "schemas/trigger/def1/request.json" }] },
  {
    id: "bsas.self-employment.adjust",
    api: BSAS,
    file: "self_employment_adjustments_submit.yaml",
    method: "post",
    defs: [
      { to: "2023-24", schema: "schemas/submit_self_employment_accounting_adjustments/def1/request.json" },
      { from: "2024-25", schema: "schemas/submit_self_employment_accounting_adjustments/def2/request.json" },
    ],
  },
  {
    id: "bsas.uk-property.adjust",
    api: BSAS,
    file: "uk_property_accounting_adjustments_submit.yaml",
    method: "post",
    defs: [
      { to: "2023-24", schema: "schemas/submit_uk_property_accounting_adjustments/def1/request.json" },
      { from: "2024-25", to: "2024-25", schema: "schemas/submit_uk_property_accounting_adjustments/def2/request.json" },
      { from: "2025-26", schema: "schemas/submit_uk_property_accounting_adjustments/def3/request.json" },
    ],
  },
  {
    id: "bsas.foreign-property.adjust",
    api: BSAS,
    file: "foreign_property_accounting_adjustments_submit.yaml",
    method: "post",
    defs: [
      { to: "2023-24", schema: "schemas/submit_foreign_property_accounting_adjustments/def1/request.json" },
      { from: "2024-25", to: "2024-25", schema: "schemas/submit_foreign_property_accounting_adjustments/def2/request.json" },
      { from: "2025-26", to: "2025-26", schema: "schemas/submit_foreign_property_accounting_adjustments/def3/request.json" },
      { from: "2026-27", schema: "schemas/submit_foreign_property_accounting_adjustments/def4/request.json" },
    ],
  },
  { id: "losses.bf.create", api: LOSSES6, file: "brought_forward_losses_create.yaml", method: "post", defs: [{ schema: "schemas/broughtForwardLosses/createBFLoss/create_request.json" }] },
  { id: "losses.bf.amend", api: LOSSES6, file: "brought_forward_losses_amend.yaml", method: "post", defs: [{ schema: "schemas/broughtForwardLosses/amendBFLoss/amend_request.json" }] },
  { id: "losses.claims.create", api: LOSSES6, file: "loss_claims_create.yaml", method: "post", defs: [{ schema: "schemas/lossClaims/createLossClaim/def1/request.json" }] },
  { id: "losses.claims.change-type", api: LOSSES6, file: "loss_claims_amend_type.yaml", method: "post", defs: [{ schema: "schemas/lossClaims/amendLossClaimType/def1/request.json" }] },
  { id: "losses.claims.order", api: LOSSES6, file: "loss_claims_amend_order.yaml", defs: [{ schema: "schemas/lossClaims/amendLossClaimsOrder/def1/request.json" }] },
  { id: "losses.business.amend", api: "individual-losses-api/7.0", file: "losses_and_claims_create_amend.yaml", defs: [{ schema: "schemas/lossesAndClaims/createAmend/request.json" }] },
  { id: "test-support.itsa-status", api: "mtd-sa-test-support-api/1.0", file: "itsa_status_create_amend.yaml", method: "post", defs: [{ schema: "schemas/itsaStatus/create_amend_request.json" }] },
];

/** HMRC's files carry Handlebars feature-switch tags the portal renders; drop the tags, keep the content. */
function stripHandlebars(text: string): string {
  return text.replace(/\{\{[#/^]?[^}]*\}\}/g, "");
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** BSAS 7.0's def2 zero-adjustment examples (shared/hmrc-api/README.md's malformed list) leave one key unquoted. */
function repairKnownMalformed(path: string, text: string): string {
  return /submit_uk_property_accounting_adjustments\/def2\/.*_zero\.json$/.test(path.replace(/\\/g, "/")) ? text.replace(/(\s)zeroAdjustments:/g, '$1"zeroAdjustments":') : text;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(repairKnownMalformed(path, stripHandlebars(readFileSync(path, "utf8"))));
  } catch (e) {
    throw new Error(`${path} is not valid JSON after stripping Handlebars tags: ${(e as Error).message}`);
  }
}

/** Replaces every `$ref` (a relative file and/or a JSON pointer) with what it points to, so the output stands alone. */
function inlineRefs(schema: unknown, file: string, depth = 0): unknown {
  if (depth > 20) throw new Error(`${file}: $ref nesting too deep`);
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, file, depth));
  if (!isObject(schema)) return schema;
  if (typeof schema.$ref === "string") {
    const [target, pointer = ""] = schema.$ref.split("#");
    const targetFile = target ? join(dirname(file), target) : file;
    let cur: unknown = readJson(targetFile);
    for (const part of pointer.split("/").filter(Boolean)) cur = isObject(cur) ? cur[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    if (cur === undefined) throw new Error(`${file}: unresolved $ref ${schema.$ref}`);
    const { $ref: _ref, ...siblings } = schema;
    return { ...(inlineRefs(cur, targetFile, depth + 1) as Json), ...siblings };
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inlineRefs(v, file, depth)]));
}

/** Drops documentation-only keywords so the committed schemas stay small. */
function slim(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(slim);
  if (!isObject(schema)) return schema;
  const out: Json = {};
  for (const [k, v] of Object.entries(schema)) {
    // "$id", "examples" and the misspelt "descripton" are documentation in the Test Support API's 2019-09 schema.
    if (k === "example" || k === "$schema" || k === "definitions" || k === "$id" || k === "examples" || k === "descripton") continue;
    out[k] = k === "properties" && isObject(v) ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, slim(s)])) : slim(v);
  }
  return out;
}

/** The tax year an example's name states ("… for TY 2026-27 and onwards", "…-TY-2024-25"). */
function taxYearOfName(name: string): string | undefined {
  return /TY[ -](\d{4}-\d{2})/.exec(name)?.[1];
}

interface ExampleFixture {
  name: string;
  taxYear?: string;
  source: string;
  body: unknown;
}

function requestExamples(src: Source): ExampleFixture[] {
  const dir = join(SHARED, src.api);
  const doc = parseYaml(stripHandlebars(readFileSync(join(dir, src.file), "utf8"))) as Json;
  const op = (src.method ? doc[src.method] : doc) as Json;
  const content = ((op.requestBody as Json).content as Json)["application/json"] ?? ((op.requestBody as Json).content as Json)["applicaton/json"];
  const json = content as Json;
  const out: ExampleFixture[] = [];
  const add = (name: string, ref: unknown) => {
    if (!isObject(ref) || typeof ref.$ref !== "string") return;
    const source = join(src.api, ref.$ref).replace(/\\/g, "/");
    const ty = taxYearOfName(name);
    out.push({ name, ...(ty ? { taxYear: ty } : {}), source, body: readJson(join(dir, ref.$ref)) });
  };
  if (json.example) add("example", json.example);
  for (const [name, ex] of Object.entries((json.examples ?? {}) as Json)) {
    if (isObject(ex)) add(name, ex.value);
  }
  return out;
}

function main(): void {
  const schemas: Record<string, Array<{ minTaxYear?: string; maxTaxYear?: string; source: string; schema: unknown }>> = {};
  mkdirSync(FIXTURES, { recursive: true });
  for (const src of SOURCES) {
    schemas[src.id] = src.defs.map((d) => ({
      ...(d.from ? { minTaxYear: d.from } : {}),
      ...(d.to ? { maxTaxYear: d.to } : {}),
      source: `${src.api}/${d.schema}`,
      schema: slim(inlineRefs(readJson(join(SHARED, src.api, d.schema)), join(SHARED, src.api, d.schema))),
    }));
    const examples = requestExamples(src);
    writeFileSync(join(FIXTURES, `${src.id}.json`), `${JSON.stringify(examples, null, 2)}\n`);
    console.log(`${src.id}: ${src.defs.length} schema(s), ${examples.length} example(s)`);
  }
  const text = `// Generated by scripts/generate-sandbox-schemas.ts from shared/hmrc-api. Do not edit.
import type { JsonSchema } from "../validation/json-schema";

export interface RequestSchema {
  /** Inclusive tax-year range HMRC gives the schema (its "defN" title); absent = open-ended. */
  readonly minTaxYear?: string;
  readonly maxTaxYear?: string;
  /** Where it came from under shared/hmrc-api. */
  readonly source: string;
  readonly schema: JsonSchema;
}

export const REQUEST_SCHEMAS: Readonly<Record<string, readonly RequestSchema[]>> = ${JSON.stringify(schemas, null, 2)};
`;
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
}

main();
