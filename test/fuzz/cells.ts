/**
 * Generators of what a user can put in a cell, each carrying what it must read as: the exact pence (as a
 * BigInt, worked out here from how the value was made, never by the code under test), blank, spaces only, or
 * "bad" (cannot be an amount). Shared by the named-cell and ledger properties.
 */
import fc from "fast-check";
import type { CellScalar, CellValueType } from "../../src/workbook/port";

/** HMRC's limit for every money field, in pence: ±99,999,999,999.99. */
export const HMRC_LIMIT = 9_999_999_999_999n;

/** What a number must read as: its exact pence, or undefined when it cannot be an amount of pounds and pence. */
export interface FuzzNumber {
  readonly value: number;
  readonly pence: bigint | undefined;
  /** How it was made, for the failure report. */
  readonly kind: string;
}

/** Pounds with at most two decimals and at most 13 whole digits: anything larger is no amount HMRC could take. */
const READABLE_PENCE = 1_000_000_000_000_000n;

function fromPence(p: bigint, kind: string): FuzzNumber {
  const magnitude = p < 0n ? -p : p;
  return { value: Number(p) / 100, pence: magnitude < READABLE_PENCE ? p : undefined, kind };
}

const sign = fc.constantFrom(1n, -1n);

/** Whole pence near zero, near HMRC's limits (±1p either side) and up to far beyond them. */
export const pencePlain = fc.oneof(
  { weight: 6, arbitrary: fc.bigInt(-1_000_000_00n, 1_000_000_00n) },
  { weight: 2, arbitrary: fc.tuple(sign, fc.bigInt(-2n, 2n)).map(([s, d]) => s * HMRC_LIMIT + d) },
  { weight: 2, arbitrary: fc.bigInt(-READABLE_PENCE * 10n, READABLE_PENCE * 10n) },
);

/** Pounds as Excel holds them after typing or arithmetic: exact pence, or two pence amounts added in floating point. */
export const goodNumber = (minPence: bigint, maxPence: bigint): fc.Arbitrary<FuzzNumber> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.bigInt(minPence, maxPence).map((p) => fromPence(p, "pence")) },
    {
      // 0.1 + 0.2 style: the double is not exactly a whole number of pence, but Excel's 15 digits show it as one.
      weight: 2,
      arbitrary: fc
        .tuple(fc.bigInt(0n, maxPence / 2n), fc.bigInt(0n, maxPence / 2n), fc.boolean())
        .map(([a, b, negative]) => (negative && -a - b >= minPence ? [-a, -b] : [a, b]))
        .map(([a, b]) => ({ value: Number(a) / 100 + Number(b) / 100, pence: a! + b!, kind: "sum of two pence amounts" })),
    },
    {
      // =B5-B4 of nearly equal amounts up to £100 million leaves noise in the 15th digit (4567.76999999979).
      weight: 2,
      arbitrary: fc.tuple(fc.bigInt(0n, 10_000_000_000n), fc.bigInt(0n, 10_000_000_000n)).map(([a, b]) => {
        const [x, y] = minPence >= 0n && a < b ? [b, a] : [a, b];
        const p = x - y < minPence ? minPence : x - y > maxPence ? maxPence : undefined;
        return p === undefined ? { value: Number(x) / 100 - Number(y) / 100, pence: x - y, kind: "difference of two pence amounts" } : fromPence(p, "pence");
      }),
    },
    { weight: 1, arbitrary: fc.constant({ value: -0, pence: 0n, kind: "-0" }) },
    {
      // Below a millionth a number is floating-point residue (=0.1+0.2-0.3), read as zero (src/mtd/money.ts).
      weight: 1,
      arbitrary: fc.tuple(fc.double({ min: Number.MIN_VALUE, max: 9.99e-7, noNaN: true }), fc.boolean()).map(([v, neg]) => ({ value: neg ? -v : v, pence: 0n, kind: "residue" })),
    },
  );

/** Any number a cell may hold, including ones that are no amount: too many decimals, huge, not finite. */
export const anyNumber: fc.Arbitrary<FuzzNumber> = fc.oneof(
  { weight: 5, arbitrary: pencePlain.map((p) => fromPence(p, "pence")) },
  { weight: 3, arbitrary: goodNumber(-1_000_000_00n, 1_000_000_00n) },
  {
    // 3 to 6 decimals with a non-zero last digit, at most 10 significant digits so Excel's 15 keep them all.
    weight: 3,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 999_999_999 }).filter((k) => k % 10 !== 0), fc.integer({ min: 3, max: 6 }), fc.boolean())
      .map(([k, d, neg]) => ({ value: ((neg ? -1 : 1) * k) / 10 ** d, pence: undefined, kind: `${d} decimals` })),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.double({ min: 1e13, max: Number.MAX_VALUE, noNaN: true }), fc.boolean()).map(([v, neg]) => ({ value: neg ? -v : v, pence: undefined, kind: "huge" })),
  },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity).map((v) => ({ value: v, pence: undefined, kind: "not finite" })) },
);

export const EXCEL_ERROR_TEXTS = ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA", "#BUSY!"] as const;

/** Text a user might type or paste where an amount goes; all of it is text, however numeric it looks. */
export const amountLikeText = fc.oneof(
  fc.constantFrom("1,234.50", "£12", " 12 ", "1e5", "12.345", "-0", "0", "(12.00)", "12-", "£ 12", "12.5.1", "Infinity", "NaN", "0x1F", "£1,000,000,000,000.00", "#REF!", "TRUE"),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.stringMatching(/^-?\d{1,16}(\.\d{1,5})?$/),
);

/** Text that is nothing but whitespace, which JavaScript's trim() and \s agree on. */
export const spacesOnly = fc.constantFrom(" ", "   ", "\t", "\u00a0", " \n ");

export type CellExpectation = { kind: "blank" } | { kind: "spaces" } | { kind: "amount"; pence: bigint } | { kind: "bad"; why: string };

export interface FuzzCell {
  readonly value: CellScalar;
  readonly type: CellValueType;
  readonly numberFormat: string;
  readonly formula?: string;
  readonly expect: CellExpectation;
}

const MONEY_FORMATS = ["General", "#,##0.00", "£#,##0.00", "0.00", "£#,##0.00;[Red]-£#,##0.00", '#,##0.00 "GBP"', "0.00_);(0.00)", "@"];
const DATE_FORMATS = ["dd/mm/yyyy", "d-mmm-yy", "yyyy-mm-dd", "hh:mm", "[h]:mm:ss", "mmm yyyy", "[$-en-GB]dd/mm/yyyy", "dd/mm/yyyy hh:mm"];
const formula = fc.option(fc.constantFrom("=SUM(B2:B9)", "=B4*1.2", "=IF(A1=\"\",\"\",A1)", "=VLOOKUP(A1,T,2,0)"), { nil: undefined });

function numberCell(n: FuzzNumber, numberFormat: string, f: string | undefined): FuzzCell {
  const expect: CellExpectation = n.pence === undefined ? { kind: "bad", why: n.kind } : { kind: "amount", pence: n.pence };
  return { value: n.value, type: "Double", numberFormat, ...(f ? { formula: f } : {}), expect };
}

const blankCell = fc.constantFrom<FuzzCell>(
  { value: null, type: "Empty", numberFormat: "General", expect: { kind: "blank" } },
  // A formula such as =IF(A1="","",A1) showing nothing.
  { value: "", type: "String", numberFormat: "General", formula: '=IF(A1="","",A1)', expect: { kind: "blank" } },
);

/** A cell holding a number that reads as an amount within [minPence, maxPence], or a blank. */
export const goodCell = (minPence: bigint, maxPence: bigint): fc.Arbitrary<FuzzCell> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.tuple(goodNumber(minPence, maxPence), fc.constantFrom(...MONEY_FORMATS), formula).map(([n, nf, f]) => numberCell(n, nf, f)) },
    { weight: 1, arbitrary: blankCell },
  );

/** Anything Excel's `Range.values`/`valueTypes`/`numberFormat` can report for one cell. */
export const anyCell: fc.Arbitrary<FuzzCell> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(anyNumber, fc.constantFrom(...MONEY_FORMATS), formula).map(([n, nf, f]) => numberCell(n, nf, f)) },
  {
    // A date (or a time) is a number underneath; Excel's format is what says it is a date, not an amount.
    weight: 2,
    arbitrary: fc.tuple(fc.oneof(anyNumber.map((n) => n.value), fc.double({ min: 1, max: 2_958_465 })), fc.constantFrom(...DATE_FORMATS)).map(([v, nf]) => ({
      value: v,
      type: "Double" as const,
      numberFormat: nf,
      expect: { kind: "bad", why: "date format" } as const,
    })),
  },
  { weight: 2, arbitrary: amountLikeText.filter((t) => !/^\s*$/.test(t)).map((t): FuzzCell => ({ value: t, type: "String", numberFormat: "@", expect: { kind: "bad", why: "text" } })) },
  { weight: 1, arbitrary: spacesOnly.map((t): FuzzCell => ({ value: t, type: "String", numberFormat: "General", expect: { kind: "spaces" } })) },
  { weight: 2, arbitrary: fc.constantFrom(...EXCEL_ERROR_TEXTS).map((e): FuzzCell => ({ value: e, type: "Error", numberFormat: "General", formula: "=A1/0", expect: { kind: "bad", why: "error" } })) },
  { weight: 1, arbitrary: fc.boolean().map((b): FuzzCell => ({ value: b, type: "Boolean", numberFormat: "General", expect: { kind: "bad", why: "boolean" } })) },
  { weight: 2, arbitrary: blankCell },
);

/** Exact pence of a JSON number HMRC would read: at most two decimals, or undefined when it has more (or is no number). */
export function penceOfJson(v: unknown): bigint | undefined {
  if (typeof v !== "number" || !Number.isFinite(v) || Object.is(v, -0)) return undefined;
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(String(v));
  if (!m) return undefined;
  const pence = BigInt(m[2]!) * 100n + BigInt((m[3] ?? "").padEnd(2, "0"));
  return m[1] === "-" ? -pence : pence;
}
