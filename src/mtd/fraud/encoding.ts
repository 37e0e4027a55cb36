/**
 * HMRC's encoding of fraud-prevention header values (spec 3.3, "Getting it right"; reference/fraud-headers.md
 * §2.1): every key and value is percent-encoded per RFC 3986 §2.1, the `=`, `&` and `,` separators never are,
 * and list items must not be empty. The builders here are the only encoder the add-in and relay use; the
 * parsers are what the validator uses to find raw reserved characters, encoded separators and empty items.
 */

/** A correctly encoded key or value: unreserved characters and `%XX` escapes only. */
const ENCODED = /^(?:[A-Za-z0-9\-._~]|%[0-9A-Fa-f]{2})*$/;
/** An escaped `=`, `&` or `,`: a separator that was encoded along with the values. */
const ENCODED_SEPARATOR = /%(?:3D|26|2C)/i;

/**
 * RFC 3986 percent-encoding of UTF-8: everything but `A–Z a–z 0–9 - . _ ~` becomes `%XX` (upper-case hex).
 * encodeURIComponent leaves `! ' ( ) *` alone, so those five are encoded on top.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Decodes `%XX` escapes; undefined when an escape is malformed or the bytes are not UTF-8. */
export function percentDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** True when `value` is a properly percent-encoded key or value (no raw reserved, space or non-ASCII character). */
export function isPercentEncoded(value: string): boolean {
  return ENCODED.test(value);
}

/** `k1=v1&k2=v2`: keys and values encoded separately, separators never encoded. Pairs with an empty key are dropped. */
export function keyValues(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs
    .filter(([k]) => k !== "")
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join("&");
}

/** `v1,v2`: each value encoded, commas never encoded; empty values are left out (HMRC: items "must not be empty"). */
export function list(values: readonly string[]): string {
  return values
    .filter((v) => v !== "")
    .map(percentEncode)
    .join(",");
}

/** A list of key-value structures (`k=v&k=v,k=v&k=v`), as Screens, Forwarded and Multi-Factor use; empty structures are left out. */
export function keyValueList(structures: ReadonlyArray<ReadonlyArray<readonly [string, string]>>): string {
  return structures
    .map(keyValues)
    .filter((s) => s !== "")
    .join(",");
}

/** What is wrong with a header value's structure or encoding, in the terms of HMRC's messages. */
export type EncodingProblem =
  /** Not `k=v&k=v`: a pair without `=`, with two `=`, or with an empty key. */
  | "NOT_KEY_VALUE"
  /** A raw reserved character, space or non-ASCII character, or a malformed `%` escape, in a key or value. */
  | "NOT_PERCENT_ENCODED"
  /** An `=`, `&` or `,` escaped as `%3D`, `%26` or `%2C`. */
  | "SEPARATOR_ENCODED"
  /** An empty list item or an empty pair (`a=1&&b=2`, `x,,y`, trailing separator). */
  | "EMPTY_ITEM"
  /** The same key twice in one structure. */
  | "DUPLICATE_KEY";

export interface ParsedKeyValues {
  /** The pairs, decoded, in order; pairs that could not be read are left out. */
  readonly pairs: ReadonlyArray<readonly [string, string]>;
  /** Each problem found, once. */
  readonly problems: readonly EncodingProblem[];
}

export interface ParsedList {
  /** The raw (still encoded) items, in order, empty ones included so callers can count them. */
  readonly items: readonly string[];
  readonly problems: readonly EncodingProblem[];
}

function encodingProblemsOf(piece: string, separators: RegExp): EncodingProblem[] {
  const problems: EncodingProblem[] = [];
  if (!isPercentEncoded(piece) || percentDecode(piece) === undefined) problems.push("NOT_PERCENT_ENCODED");
  if (separators.test(piece)) problems.push("SEPARATOR_ENCODED");
  return problems;
}

/** An encoded `=` in a key or value is always a mistake; an encoded `&` only when a pair follows it (`a%26b%3Dc`). */
const ENCODED_KV_SEPARATOR = /%3D/i;

/** Parses `k=v&k=v` (one structure), checking structure and encoding of every key and value. */
export function parseKeyValues(value: string): ParsedKeyValues {
  const problems = new Set<EncodingProblem>();
  const pairs: Array<readonly [string, string]> = [];
  const seen = new Set<string>();
  if (value === "") return { pairs, problems: ["NOT_KEY_VALUE"] };
  for (const pair of value.split("&")) {
    if (pair === "") {
      problems.add("EMPTY_ITEM");
      continue;
    }
    const eq = pair.indexOf("=");
    if (eq <= 0 || pair.indexOf("=", eq + 1) !== -1) {
      problems.add(ENCODED_SEPARATOR.test(pair) ? "SEPARATOR_ENCODED" : "NOT_KEY_VALUE");
      if (!isPercentEncoded(pair.replace(/=/g, ""))) problems.add("NOT_PERCENT_ENCODED");
      continue;
    }
    const rawKey = pair.slice(0, eq);
    const rawValue = pair.slice(eq + 1);
    for (const piece of [rawKey, rawValue]) for (const p of encodingProblemsOf(piece, ENCODED_KV_SEPARATOR)) problems.add(p);
    const key = percentDecode(rawKey) ?? rawKey;
    if (seen.has(key)) problems.add("DUPLICATE_KEY");
    seen.add(key);
    pairs.push([key, percentDecode(rawValue) ?? rawValue]);
  }
  return { pairs, problems: [...problems] };
}

/** Parses `v1,v2` (a list of plain values), checking for empty items, raw reserved characters and encoded commas. */
export function parseList(value: string): ParsedList {
  const problems = new Set<EncodingProblem>();
  const items = value.split(",");
  for (const item of items) {
    if (item === "") problems.add("EMPTY_ITEM");
    else for (const p of encodingProblemsOf(item, ENCODED_SEPARATOR)) problems.add(p);
  }
  return { items, problems: [...problems] };
}

/** Parses `k=v&k=v,k=v&k=v` (a list of structures): each item parsed by parseKeyValues; empty items reported. */
export function parseKeyValueList(value: string): { readonly items: readonly ParsedKeyValues[]; readonly problems: readonly EncodingProblem[] } {
  const problems = new Set<EncodingProblem>();
  const items: ParsedKeyValues[] = [];
  for (const item of value.split(",")) {
    if (item === "") {
      problems.add("EMPTY_ITEM");
      continue;
    }
    const parsed = parseKeyValues(item);
    for (const p of parsed.problems) problems.add(p);
    items.push(parsed);
  }
  return { items, problems: [...problems] };
}
