/**
 * Validates a request body the way HMRC does, driven by the field tables generated from HMRC's schemas:
 * unknown or empty objects → RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED, amounts out of range or with more than
 * two decimals → FORMAT_VALUE, bad dates → the date's FORMAT_ code. Errors carry JSON-pointer `paths` and
 * are grouped by code and message as HMRC groups them. The add-in runs this before sending and the
 * sandbox runs the same code on arrival, so one definition of "valid" serves both.
 */
import { isIsoDate } from "./dates";
import type { HmrcErrorBody, HmrcErrorItem } from "./errors";
import type { GeneratedField } from "./generated/field";
import { HMRC_MESSAGES } from "./errors";

export interface BodySpec {
  readonly fields: readonly GeneratedField[];
  /** Date fields: JSON pointer → HMRC's error code for a bad value. */
  readonly dates?: Readonly<Record<string, string>>;
  /** Pointers that must be present. */
  readonly required?: readonly string[];
}

/** HMRC's FORMAT_VALUE message for an amount's range: "The value must be between 0 and 99999999999.99". */
export function rangeMessage(f: Pick<GeneratedField, "minPence" | "maxPence">): string {
  const fmt = (p: number) => (p / 100).toFixed(2).replace(/\.00$/, "");
  return `The value must be between ${fmt(f.minPence)} and ${fmt(f.maxPence)}`;
}

/** Exact check that a JSON number has at most two decimals, without trusting float multiplication. */
export function hasAtMostTwoDecimals(n: number): boolean {
  const text = Math.abs(n).toPrecision(15);
  const [, fraction = ""] = Number(text).toString().split(".");
  return fraction.length <= 2 && !/e/.test(String(n));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Groups errors by code and message, as HMRC does, keeping first-seen order and paths in order of discovery. */
export class ErrorCollector {
  private readonly byKey = new Map<string, HmrcErrorItem>();
  add(code: string, message: string, path?: string): void {
    const key = `${code}\u0000${message}`;
    const existing = this.byKey.get(key);
    if (existing) {
      if (path && !existing.paths?.includes(path)) existing.paths = [...(existing.paths ?? []), path];
      return;
    }
    this.byKey.set(key, { code, message, ...(path ? { paths: [path] } : {}) });
  }
  get items(): HmrcErrorItem[] {
    return [...this.byKey.values()];
  }
}

export function validateBody(body: unknown, spec: BodySpec): HmrcErrorItem[] {
  const errors = new ErrorCollector();
  const emptyCode = "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED";
  const emptyMessage = HMRC_MESSAGES[emptyCode]!;
  const fieldByPointer = new Map(spec.fields.map((f) => [f.pointer, f]));
  const dates = spec.dates ?? {};
  const objectPointers = new Set<string>();
  for (const p of [...fieldByPointer.keys(), ...Object.keys(dates)]) {
    const parts = p.split("/");
    for (let i = 1; i < parts.length - 1; i++) objectPointers.add(parts.slice(0, i + 1).join("/"));
  }

  if (!isPlainObject(body) || Object.keys(body).length === 0) {
    errors.add(emptyCode, emptyMessage);
    return errors.items;
  }

  const visit = (obj: Record<string, unknown>, at: string): void => {
    const keys = Object.keys(obj);
    if (keys.length === 0) {
      errors.add(emptyCode, emptyMessage, at);
      return;
    }
    for (const key of keys) {
      const pointer = `${at}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`;
      const value = obj[key];
      const field = fieldByPointer.get(pointer);
      if (field) {
        if (typeof value !== "number") errors.add(emptyCode, emptyMessage, pointer);
        else if (value < field.minPence / 100 || value > field.maxPence / 100 || !hasAtMostTwoDecimals(value)) {
          errors.add("FORMAT_VALUE", rangeMessage(field), pointer);
        }
      } else if (pointer in dates) {
        if (typeof value !== "string" || !isIsoDate(value)) errors.add(dates[pointer]!, HMRC_MESSAGES[dates[pointer]!] ?? "The date is invalid");
      } else if (objectPointers.has(pointer)) {
        if (isPlainObject(value)) visit(value, pointer);
        else errors.add(emptyCode, emptyMessage, pointer);
      } else {
        errors.add(emptyCode, emptyMessage, pointer);
      }
    }
  };
  visit(body, "");
  for (const r of spec.required ?? []) {
    if (getPointer(body, r) === undefined) errors.add(emptyCode, emptyMessage, r);
  }
  return errors.items;
}

export function getPointer(body: unknown, pointer: string): unknown {
  let cur: unknown = body;
  for (const part of pointer.split("/").slice(1)) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return cur;
}

/** HMRC's response body for a list of errors: the error itself, or INVALID_REQUEST wrapping several. */
export function errorBodyFor(items: readonly HmrcErrorItem[]): HmrcErrorBody {
  if (items.length === 1) return { ...items[0]! };
  return { code: "INVALID_REQUEST", message: HMRC_MESSAGES.INVALID_REQUEST!, errors: [...items] };
}
