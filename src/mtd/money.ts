import { err, ok, type Result } from "./result";

declare const penceBrand: unique symbol;
/**
 * An exact amount of money in whole pence. HMRC's largest amount (99,999,999,999.99) is 1e13 pence,
 * far inside the 2^53 integer range of a double, so integer arithmetic on pence is exact.
 */
export type Pence = number & { readonly [penceBrand]: true };

/** HMRC's limit for every monetary field: ±99,999,999,999.99. */
export const HMRC_MAX_PENCE = 9_999_999_999_999 as Pence;
export const HMRC_MIN_PENCE = -9_999_999_999_999 as Pence;
export const ZERO = 0 as Pence;

export type MoneyError =
  | { kind: "not-a-number"; detail: string }
  | { kind: "too-many-decimals"; detail: string }
  | { kind: "out-of-range"; detail: string };

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal amount of pounds exactly. Numbers are first written with 15 significant digits,
 * the precision Excel itself keeps, so `0.1 + 0.2` from a formula reads as 0.30 while a typed 12.345
 * is reported as having three decimals; noise a subtraction leaves in those 15 digits is absorbed too.
 */
export function parsePounds(input: number | string): Result<Pence, MoneyError> {
  let text: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return err({ kind: "not-a-number", detail: "is not a finite number" });
    if (Math.abs(input) >= 1e15) return err({ kind: "out-of-range", detail: "is far outside HMRC's range" });
    text = stripTrailingZeros(input.toPrecision(15));
  } else {
    text = input.trim().replace(/^£/, "").replace(/,/g, "");
    if (text === "") return err({ kind: "not-a-number", detail: "is empty" });
  }
  const m = DECIMAL.exec(text);
  if (!m) return err({ kind: "not-a-number", detail: "is not a number" });
  const fraction = (m[3] ?? "").replace(/0+$/, "");
  if (fraction.length > 2) {
    const cleaned = typeof input === "number" ? withoutSubtractionNoise(input) : undefined;
    if (cleaned !== undefined) return parsePounds(cleaned);
    return err({ kind: "too-many-decimals", detail: `has ${fraction.length} decimal places; HMRC accepts at most 2` });
  }
  const whole = m[2]!.replace(/^0+(?=\d)/, "");
  if (whole.length > 13) return err({ kind: "out-of-range", detail: "is far outside HMRC's range" });
  const pence = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  const signed = m[1] === "-" ? -pence : pence;
  return ok((signed === 0 ? 0 : signed) as Pence);
}

/**
 * Subtracting nearly equal amounts leaves binary noise in Excel's 15 digits (=1234567.89-1230000.12 holds
 * 4567.76999999979), which is no more a third decimal than 0.1 + 0.2's is. A number within a hundred-thousandth
 * of a penny of whole pence reads as those pence (as text), so noise from amounts up to about £100 million is
 * absorbed, while a typed third to sixth decimal (12.345, 12.000001) is at least a ten-thousandth of a penny off.
 */
function withoutSubtractionNoise(n: number): string | undefined {
  const pence = Math.round(n * 100);
  return Math.abs(n * 100 - pence) < 1e-5 ? (pence / 100).toFixed(2) : undefined;
}

function stripTrailingZeros(fixed: string): string {
  if (/e/i.test(fixed)) return Number(fixed).toFixed(2); // tiny numbers; toFixed(2) then reports excess precision as 0
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}

/** Pounds as a JSON number for HMRC's bodies: an integer divided by 100 prints with at most two decimals. */
export function penceToPounds(p: Pence): number {
  return p / 100;
}

/** Reads an amount HMRC sent back (a JSON number with at most two decimals). */
export function poundsToPence(pounds: number): Pence {
  return Math.round(pounds * 100) as Pence;
}

export function addPence(...amounts: Pence[]): Pence {
  let total = 0;
  for (const a of amounts) total += a;
  return total as Pence;
}

export function subtractPence(a: Pence, b: Pence): Pence {
  return (a - b) as Pence;
}

export function isWithin(p: Pence, min: Pence, max: Pence): boolean {
  return p >= min && p <= max;
}

/** `£1,234.56` / `-£12.00` for people. */
export function formatPounds(p: Pence): string {
  const sign = p < 0 ? "-" : "";
  const abs = Math.abs(p);
  const pounds = Math.floor(abs / 100).toLocaleString("en-GB");
  return `${sign}£${pounds}.${String(abs % 100).padStart(2, "0")}`;
}
