/**
 * Validates a request body against one of HMRC's request JSON schemas (draft-04, the keywords HMRC's request
 * schemas use: type, properties, additionalProperties, required, items, enum, pattern, format date/uuid,
 * minimum/maximum/multipleOf) and answers as HMRC's validators do:
 *   - the shape first: a body that is not a non-empty object, unknown fields, wrong JSON types, missing required
 *     fields and empty objects or arrays → RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED with every such path (HMRC
 *     reports the shape alone when it is wrong);
 *   - then the values: numbers out of range or with more than two decimals → FORMAT_VALUE with the field's range
 *     message (grouped by message, as HMRC groups them); strings failing a pattern, enum or format → the field's
 *     FORMAT_ code (`FieldCodes`), with paths.
 * Messages come from src/mtd's HMRC wording; routes re-word them per endpoint with withDocumentedMessages.
 */
import { ErrorCollector as Collector, hasAtMostTwoDecimals, HMRC_MESSAGES, isIsoDate, rangeMessage, type HmrcErrorItem } from "../../mtd";

export interface JsonSchema {
  readonly type?: string;
  readonly title?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly additionalProperties?: boolean;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  /** Without effect when `items` is one schema (draft-04), which is how HMRC uses it. */
  readonly additionalItems?: boolean;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly multipleOf?: number;
  readonly deprecated?: boolean;
}

/**
 * HMRC's FORMAT_ code for a string field, by the field's name (the last segment of its path); fields not listed
 * take the default for their kind: `format: date` → FORMAT_DATE, `format: uuid` → FORMAT_PROPERTY_ID, anything
 * else → FORMAT_STRING.
 */
export type FieldCodes = Readonly<Record<string, string>>;

const EMPTY = "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The schema's range in pence, for src/mtd's FORMAT_VALUE wording (HMRC's bounds when the schema states none). */
function rangeOf(s: JsonSchema): { minPence: number; maxPence: number } {
  return { minPence: Math.round((s.minimum ?? 0) * 100), maxPence: Math.round((s.maximum ?? 99999999999.99) * 100) };
}

function typeMatches(s: JsonSchema, v: unknown): boolean {
  switch (s.type) {
    case "object":
      return isPlainObject(v);
    case "array":
      return Array.isArray(v);
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "string":
      return typeof v === "string";
    case "boolean":
      return typeof v === "boolean";
    default:
      return true;
  }
}

/** Pass 1: the body's shape. */
function shapeErrors(schema: JsonSchema, value: unknown, at: string, out: Collector): void {
  if (!typeMatches(schema, value)) {
    out.add(EMPTY, HMRC_MESSAGES[EMPTY]!, at || undefined);
    return;
  }
  if (schema.type === "object" && isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      out.add(EMPTY, HMRC_MESSAGES[EMPTY]!, at || undefined);
      return;
    }
    const props = schema.properties ?? {};
    for (const key of keys) {
      const child = props[key];
      const path = `${at}/${escapePointer(key)}`;
      if (child) shapeErrors(child, value[key], path, out);
      else if (schema.additionalProperties === false) out.add(EMPTY, HMRC_MESSAGES[EMPTY]!, path);
    }
    for (const r of schema.required ?? []) if (!(r in value)) out.add(EMPTY, HMRC_MESSAGES[EMPTY]!, `${at}/${escapePointer(r)}`);
  } else if (schema.type === "array" && Array.isArray(value)) {
    if (value.length === 0) out.add(EMPTY, HMRC_MESSAGES[EMPTY]!, at || undefined);
    else if (schema.items) value.forEach((item, i) => shapeErrors(schema.items!, item, `${at}/${i}`, out));
  }
}

function stringCode(name: string, s: JsonSchema, codes: FieldCodes): string {
  return codes[name] ?? (s.format === "date" ? "FORMAT_DATE" : s.format === "uuid" ? "FORMAT_PROPERTY_ID" : "FORMAT_STRING");
}

function stringValid(s: JsonSchema, v: string): boolean {
  if (s.enum && !s.enum.includes(v)) return false;
  if (s.pattern && !new RegExp(s.pattern, "u").test(v)) return false;
  if (s.format === "date" && !isIsoDate(v)) return false;
  if (s.format === "uuid" && !UUID.test(v)) return false;
  return true;
}

/** Pass 2: the values, once the shape is right. */
function valueErrors(schema: JsonSchema, value: unknown, at: string, codes: FieldCodes, out: Collector): void {
  if (schema.type === "object" && isPlainObject(value)) {
    for (const [key, child] of Object.entries(schema.properties ?? {})) {
      if (key in value) valueErrors(child, value[key], `${at}/${escapePointer(key)}`, codes, out);
    }
  } else if (schema.type === "array" && Array.isArray(value) && schema.items) {
    value.forEach((item, i) => valueErrors(schema.items!, item, `${at}/${i}`, codes, out));
  } else if ((schema.type === "number" || schema.type === "integer") && typeof value === "number") {
    const outOfRange = (schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum);
    if (outOfRange || (schema.multipleOf === 0.01 && !hasAtMostTwoDecimals(value))) out.add("FORMAT_VALUE", rangeMessage(rangeOf(schema)), at);
  } else if (schema.type === "string" && typeof value === "string") {
    const name = at.split("/").pop() ?? "";
    if (!stringValid(schema, value)) {
      const code = stringCode(name, schema, codes);
      out.add(code, HMRC_MESSAGES[code] ?? code, at);
    }
  }
}

/** HMRC's errors for `body` against `schema`; empty when HMRC's schema validation would accept it. */
export function validateJsonSchema(body: unknown, schema: JsonSchema, codes: FieldCodes = {}): HmrcErrorItem[] {
  if (!isPlainObject(body) || Object.keys(body).length === 0) return [{ code: EMPTY, message: HMRC_MESSAGES[EMPTY]! }];
  const shape = new Collector();
  shapeErrors(schema, body, "", shape);
  if (shape.items.length > 0) return shape.items;
  const values = new Collector();
  valueErrors(schema, body, "", codes, values);
  return values.items;
}
