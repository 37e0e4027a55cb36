import { err, ok, type Result } from "./result";

declare const ninoBrand: unique symbol;
declare const businessIdBrand: unique symbol;
/** A National Insurance number, upper case, no spaces, as HMRC's paths want it. */
export type Nino = string & { readonly [ninoBrand]: true };
/** HMRC's income-source identifier, e.g. `XPIS12345678901`. */
export type BusinessId = string & { readonly [businessIdBrand]: true };

// HMRC's resolver (ResolveNino): valid prefixes, six digits, optional suffix A-D.
const NINO =
  /^([ACEHJLMOPRSWXY][A-CEGHJ-NPR-TW-Z]|B[A-CEHJ-NPR-TW-Z]|G[ACEGHJ-NPR-TW-Z]|[KT][A-CEGHJ-MPR-TW-Z]|N[A-CEGHJL-NPR-SW-Z]|Z[A-CEGHJ-NPR-TW-Y])[0-9]{6}[A-D]?$/;
const NINO_FORBIDDEN_PREFIXES = ["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"];
const BUSINESS_ID = /^X[A-Z0-9]IS[0-9]{11}$/;

/** Accepts the spaced, lower-case way people type a NINO and returns HMRC's form. */
export function parseNino(input: unknown): Result<Nino, "FORMAT_NINO"> {
  if (typeof input !== "string") return err("FORMAT_NINO");
  const compact = input.replace(/\s+/g, "").toUpperCase();
  if (compact.length > 9 || !NINO.test(compact)) return err("FORMAT_NINO");
  if (NINO_FORBIDDEN_PREFIXES.includes(compact.slice(0, 2))) return err("FORMAT_NINO");
  return ok(compact as Nino);
}

/** Strict form for paths: HMRC rejects spaces and lower case there, and so do we. */
export function isNino(input: unknown): input is Nino {
  return typeof input === "string" && parseNino(input).ok && !/[\sa-z]/.test(input);
}

export function parseBusinessId(input: unknown): Result<BusinessId, "FORMAT_BUSINESS_ID"> {
  if (typeof input !== "string" || !BUSINESS_ID.test(input)) return err("FORMAT_BUSINESS_ID");
  return ok(input as BusinessId);
}

export function isBusinessId(input: unknown): input is BusinessId {
  return parseBusinessId(input).ok;
}

/** `AA123456A` → `AA****56A`: enough to recognise, not enough to misuse. Logs and UIs show only this. */
export function maskNino(nino: string): string {
  if (nino.length < 5) return "*".repeat(nino.length);
  return `${nino.slice(0, 2)}${"*".repeat(Math.max(0, nino.length - 5))}${nino.slice(-3)}`;
}

/** Masks every NINO-shaped token inside free text (URLs, messages) before it is logged. */
export function maskNinosIn(text: string): string {
  return text.replace(/\b([A-Z]{2})(\d{6})([A-D]?)\b/gi, (_m, p: string, d: string, s: string) => maskNino(`${p}${d}${s}`));
}
