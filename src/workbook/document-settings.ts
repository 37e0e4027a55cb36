/**
 * How the product's state is kept in a workbook's document settings (Office's per-document, per-add-in
 * property bag, which travels with the file). Office cannot list the keys of that bag, so everything lives
 * under two known keys; the in-memory workbook and the Office.js adapter both use this encoding, so a
 * workbook written by one is understood by the other.
 */
import type { WorkbookSettings } from "./port";

/** The mapping and choices the user made (NINO, businessId, quarter basis…): string → string. */
export const SETTINGS_KEY = "mtd.settings";
/** Sheets the add-in wrote and may rewrite: sheet name → tag. */
export const OWNED_SHEETS_KEY = "mtd.ownedSheets";

/** A value stored in document settings: Office serialises them as JSON. */
export type SettingValue = string | number | boolean | null | SettingValue[] | { [key: string]: SettingValue };

const MAX_KEYS = 500;
const MAX_KEY_LENGTH = 200;
const MAX_VALUE_LENGTH = 32_767;

/** Reads a string → string record defensively: anything else stored under the key is ignored. */
function stringRecord(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return out;
  let n = 0;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v !== "string" || k.length > MAX_KEY_LENGTH || v.length > MAX_VALUE_LENGTH) continue;
    if (++n > MAX_KEYS) break;
    out[k] = v;
  }
  return out;
}

export function decodeSettings(raw: unknown): WorkbookSettings {
  return stringRecord(raw);
}

/** Merges a patch into stored settings; refuses keys and values beyond sane bounds. */
export function mergeSettings(current: WorkbookSettings, patch: WorkbookSettings): Record<string, string> {
  const next: Record<string, string> = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (typeof v !== "string") throw new TypeError(`Setting “${k}” must be text.`);
    if (k.length === 0 || k.length > MAX_KEY_LENGTH) throw new RangeError(`Setting names must be 1 to ${MAX_KEY_LENGTH} characters.`);
    if (v.length > MAX_VALUE_LENGTH) throw new RangeError(`Setting “${k}” is longer than ${MAX_VALUE_LENGTH} characters.`);
    next[k] = v;
  }
  if (Object.keys(next).length > MAX_KEYS) throw new RangeError(`A workbook can hold at most ${MAX_KEYS} MTD Bridge settings.`);
  return next;
}

export function decodeOwnedSheets(raw: unknown): Record<string, string> {
  return stringRecord(raw);
}

/** The recorded name of an owned sheet, matched without regard to case as Excel matches sheet names. */
export function ownedSheetName(owned: Readonly<Record<string, string>>, sheet: string): string | undefined {
  const lower = sheet.toLocaleLowerCase("en-GB");
  return Object.keys(owned).find((k) => k.toLocaleLowerCase("en-GB") === lower);
}

/** Records `sheet` as the add-in's own (replacing any entry differing only by case). */
export function withOwnedSheet(owned: Readonly<Record<string, string>>, sheet: string, tag: string): Record<string, string> {
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(owned)) if (k.toLocaleLowerCase("en-GB") !== sheet.toLocaleLowerCase("en-GB")) next[k] = v;
  next[sheet] = tag;
  return next;
}

export function withoutOwnedSheet(owned: Readonly<Record<string, string>>, sheet: string): Record<string, string> {
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(owned)) if (k.toLocaleLowerCase("en-GB") !== sheet.toLocaleLowerCase("en-GB")) next[k] = v;
  return next;
}
