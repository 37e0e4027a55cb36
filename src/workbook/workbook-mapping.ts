/**
 * The mapping choices a workbook carries in its MTD Bridge settings (DESIGN.md §4), read and written the same
 * way by the task pane and the CLI:
 *   `alias.<alias>`                → businessId, country code or propertyId that `MTD.SE.<alias>.…` /
 *                                    `MTD.FP.<alias>.…` names and ledger rows stand for;
 *   `business.<businessId>.mode`   → `names` (named ranges, the default) or `ledger` (the MTD_Ledger table);
 *   `business.<businessId>.allowance` → `none` (default), `trading` (self-employment) or `property`: the £1,000
 *                                    allowance instead of expenses, so quarterly updates carry income only.
 * Anything unrecognised in the settings is ignored rather than trusted.
 */
import type { CumulativeBusinessType } from "../mtd";
import type { AliasMap } from "./cumulative-figures";
import type { WorkbookSettings } from "./port";

export const ALIAS_SETTING_PREFIX = "alias.";
const BUSINESS_PREFIX = "business.";

export type FiguresMode = "names" | "ledger";
export type AllowanceClaim = "none" | "trading" | "property";

export interface BusinessMapping {
  readonly mode: FiguresMode;
  readonly allowance: AllowanceClaim;
}

export const DEFAULT_BUSINESS_MAPPING: BusinessMapping = { mode: "names", allowance: "none" };

export interface WorkbookMapping {
  readonly aliases: AliasMap;
  /** By businessId as HMRC writes it; businesses with no entry use {@link DEFAULT_BUSINESS_MAPPING}. */
  readonly businesses: Readonly<Record<string, BusinessMapping>>;
}

/** An alias as Excel names can carry it: a letter, then letters, digits or underscores (≤ 40). */
export function isAlias(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(text);
}

/** The allowance a business type can claim instead of expenses (`none` for none). */
export function allowanceFor(type: CumulativeBusinessType): Exclude<AllowanceClaim, "none"> {
  return type === "self-employment" ? "trading" : "property";
}

export function mappingFromSettings(settings: WorkbookSettings): WorkbookMapping {
  const aliases: Record<string, string> = {};
  const businesses: Record<string, { mode: FiguresMode; allowance: AllowanceClaim }> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (key.startsWith(ALIAS_SETTING_PREFIX)) {
      const alias = key.slice(ALIAS_SETTING_PREFIX.length);
      if (isAlias(alias) && value.length > 0 && value.length <= 64) aliases[alias] = value;
      continue;
    }
    if (!key.startsWith(BUSINESS_PREFIX)) continue;
    const rest = key.slice(BUSINESS_PREFIX.length);
    const dot = rest.lastIndexOf(".");
    if (dot <= 0) continue;
    const businessId = rest.slice(0, dot);
    const entry = (businesses[businessId] ??= { ...DEFAULT_BUSINESS_MAPPING });
    const setting = rest.slice(dot + 1);
    if (setting === "mode" && (value === "names" || value === "ledger")) entry.mode = value;
    if (setting === "allowance" && (value === "none" || value === "trading" || value === "property")) entry.allowance = value;
  }
  return { aliases, businesses };
}

export function businessMapping(mapping: WorkbookMapping, businessId: string): BusinessMapping {
  return mapping.businesses[businessId] ?? DEFAULT_BUSINESS_MAPPING;
}

/** The settings patch recording one business's choices. */
export function businessMappingPatch(businessId: string, choice: BusinessMapping): Record<string, string> {
  return { [`${BUSINESS_PREFIX}${businessId}.mode`]: choice.mode, [`${BUSINESS_PREFIX}${businessId}.allowance`]: choice.allowance };
}

/** The settings patch recording an alias; refuses one Excel names could not carry. */
export function aliasPatch(alias: string, target: string): Record<string, string> {
  if (!isAlias(alias)) throw new RangeError(`“${alias.slice(0, 60)}” cannot be an alias: use a letter, then letters, digits or underscores (at most 40).`);
  return { [`${ALIAS_SETTING_PREFIX}${alias}`]: target };
}
