/**
 * A foreign property BSAS split by country (2025-26: entries keyed by `countryCode`) or by property (2026-27 on:
 * `propertyId`), so the retrieve's `countryLevelDetail[]` / `propertyLevelDetail[]` come from the same figures and
 * breakdown as its totals: each part is the summary with only that key's entries in its cumulative, annual and
 * adjustments bodies (adjustments name their entries `countryLevelDetail` / `propertyLevelDetail`).
 */
import { isObject } from "../figures";
import type { StoredBsas, SubmittedJson } from "../state";

export type ForeignEntryKey = "countryCode" | "propertyId";

function submittedEntries(body: SubmittedJson | undefined): Record<string, unknown>[] {
  const fp = body?.foreignProperty;
  return Array.isArray(fp) ? fp.filter(isObject) : [];
}

function adjustmentEntries(body: SubmittedJson | undefined): Record<string, unknown>[] {
  const fp = body?.foreignProperty;
  if (!isObject(fp)) return [];
  const detail = fp.propertyLevelDetail ?? fp.countryLevelDetail;
  return Array.isArray(detail) ? detail.filter(isObject) : [];
}

/** The keys the summary's submissions and adjustments report, in the order first seen. */
export function foreignEntryKeys(b: StoredBsas, key: ForeignEntryKey): string[] {
  const all = [...submittedEntries(b.snapshot.cumulative?.body), ...submittedEntries(b.snapshot.annual?.body), ...adjustmentEntries(b.adjustments)];
  return [...new Set(all.map((e) => e[key]).filter((k): k is string => typeof k === "string"))];
}

function keepSubmitted(body: SubmittedJson, key: ForeignEntryKey, keys: ReadonlySet<string>): SubmittedJson {
  return { ...body, foreignProperty: submittedEntries(body).filter((e) => keys.has(e[key] as string)) };
}

function keepAdjustments(body: SubmittedJson, key: ForeignEntryKey, keys: ReadonlySet<string>): SubmittedJson {
  const fp = body.foreignProperty;
  if (!isObject(fp) || fp.zeroAdjustments !== undefined) return body;
  const name = Array.isArray(fp.propertyLevelDetail) ? "propertyLevelDetail" : "countryLevelDetail";
  return { ...body, foreignProperty: { ...fp, [name]: adjustmentEntries(body).filter((e) => keys.has(e[key] as string)) } };
}

/** The summary restricted to the entries whose `key` is one of `keys`. */
export function foreignPart(b: StoredBsas, key: ForeignEntryKey, keys: readonly string[]): StoredBsas {
  const wanted = new Set(keys);
  const { cumulative, annual } = b.snapshot;
  return {
    ...b,
    snapshot: {
      ...(cumulative ? { cumulative: { ...cumulative, body: keepSubmitted(cumulative.body, key, wanted) } } : {}),
      ...(annual ? { annual: { ...annual, body: keepSubmitted(annual.body, key, wanted) } } : {}),
    },
    ...(b.adjustments ? { adjustments: keepAdjustments(b.adjustments, key, wanted) } : {}),
  };
}
