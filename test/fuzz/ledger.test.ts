/**
 * Issue #6, ledger mode: whatever the transaction rows hold, every bad row of the chosen business in the year to
 * date is reported at its cell, its field stays out, and each total is the exact pence sum of the good rows dated
 * from 6 April to the quarter's end; a body built from the totals passes HMRC's schema whenever our validator does.
 */
import fc from "fast-check";
import { buildCumulative, fieldsFor, quarterOf, validateCumulative, type CumulativeBusinessType, type CumulativeField, type QuarterNumber, type TaxYear } from "../../src/mtd";
import type { AliasMap, FiguresSource } from "../../src/workbook/cumulative-figures";
import { CATEGORY_MAP_TABLE, LEDGER_TABLE, ledgerFigures } from "../../src/workbook/ledger";
import type { CellScalar, TableRead } from "../../src/workbook/port";
import { cumulativeSchema } from "../support/hmrc-schemas";
import { amountLikeText, anyNumber, EXCEL_ERROR_TEXTS, goodNumber, penceOfJson, spacesOnly } from "./cells";

const TAX_YEARS = ["2025-26", "2026-27"] as TaxYear[];
const TYPES: CumulativeBusinessType[] = ["uk-property", "self-employment", "foreign-property"];
const VILLA = "8e8b8450-dc1b-4360-8109-7067337b42cb";
const ALIASES: AliasMap = { shop: "XAIS12345678901", villa: VILLA };
const TYPE_WORDS: Record<CumulativeBusinessType, string[]> = {
  "self-employment": ["Self-employment", "self employment", "SOLE TRADER"],
  "uk-property": ["UK property", "uk-property"],
  "foreign-property": ["Foreign property", "FOREIGN-PROPERTY"],
};
const DAY_MS = 86_400_000;

function sourceFor(type: CumulativeBusinessType, taxYear: TaxYear): FiguresSource {
  if (type === "self-employment") return { type, key: "shop" };
  if (type === "uk-property") return { type };
  return { type, countryOrPropertyId: taxYear === "2025-26" ? "FRA" : "villa" };
}

/** What the Business (and Property) columns say for this source's rows, in the ways users write it, and for other rows. */
function whose(type: CumulativeBusinessType, taxYear: TaxYear): fc.Arbitrary<{ business: CellScalar; property: CellScalar; ours: boolean }> {
  const mine: Record<CumulativeBusinessType, CellScalar[]> = { "self-employment": ["shop", "SHOP", " Shop ", "XAIS12345678901"], "uk-property": ["UK property", " uk PROPERTY"], "foreign-property": ["Foreign property", "foreign property "] };
  const others: CellScalar[] = ["cafe", null, "", "XBIS12345678901", ...Object.values(mine).flat().filter((b) => !mine[type].includes(b))];
  const myProperty: CellScalar[] = type !== "foreign-property" ? [null] : taxYear === "2025-26" ? ["FRA", "fra"] : ["villa", "VILLA", VILLA];
  const otherProperty: CellScalar[] = type === "foreign-property" ? ["ESP", null, "flat"] : ["anything", null];
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...mine[type]), fc.constantFrom(...myProperty)).map(([business, property]) => ({ business, property, ours: true })) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...others), fc.constantFrom(...myProperty, ...otherProperty)).map(([business, property]) => ({ business, property, ours: false })),
    },
    ...(type === "foreign-property"
      ? [{ weight: 1, arbitrary: fc.tuple(fc.constantFrom(...mine[type]), fc.constantFrom(...otherProperty)).map(([business, property]) => ({ business, property, ours: false })) }]
      : []),
  );
}

/** A transaction date as a serial (maybe with a time), ISO text or UK text, with its ISO date; or something that is no date. */
function dateCell(taxYear: TaxYear, clean: boolean): fc.Arbitrary<{ cell: CellScalar; iso: string | undefined }> {
  const start = Date.UTC(Number(taxYear.slice(0, 4)), 3, 6);
  const day = fc.integer({ min: -40, max: 405 }).map((n) => new Date(start + n * DAY_MS));
  const valid = fc.tuple(day, fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 0.999, noNaN: true })).map(([d, form, time]) => {
    const iso = d.toISOString().slice(0, 10);
    const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    // Excel's serial n is n days after 1899-12-30 from March 1900 on.
    const serial = (d.getTime() - Date.UTC(1899, 11, 30)) / DAY_MS;
    const cell: CellScalar = [serial, serial + time, ` ${iso} `, form === 3 ? `${dd}/${m}/${y}` : `${String(dd).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`][form]!;
    return { cell, iso };
  });
  const bad = fc
    .constantFrom<CellScalar>("next Tuesday", "2025-13-01", "31/02/2025", "2025/04/06", "", " ", null, true, 0, -5, 3e6, NaN, "#VALUE!", "06-04-2025")
    .map((cell) => ({ cell, iso: undefined }));
  return clean ? valid : fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: bad });
}

/** What the ledger's Amount column can hold, with its exact pence or undefined when it cannot be an amount. */
const amountCell: fc.Arbitrary<{ cell: CellScalar; pence: bigint | undefined }> = fc.oneof(
  { weight: 6, arbitrary: goodNumber(0n, 1_000_000_00n).map((n) => ({ cell: n.value, pence: n.pence })) },
  { weight: 3, arbitrary: anyNumber.map((n) => ({ cell: n.value, pence: n.pence })) },
  { weight: 1, arbitrary: fc.oneof(amountLikeText, spacesOnly, fc.constantFrom("", ...EXCEL_ERROR_TEXTS)).map((t) => ({ cell: t, pence: undefined })) },
  { weight: 1, arbitrary: fc.constantFrom<CellScalar>(true, false, null).map((cell) => ({ cell, pence: undefined })) },
);

/** Mostly the largest amount a row may hold (13 whole digits), some refunds of it, and pennies: ten more of the first than the second pass 2^53 pence. */
const hugeAmountCell = fc
  .oneof({ weight: 8, arbitrary: fc.constant(999_999_999_999_999n) }, { weight: 1, arbitrary: fc.constant(-999_999_999_999_999n) }, { weight: 1, arbitrary: fc.constantFrom(1n, -1n) })
  .map((pence) => ({ cell: (Number(pence) / 100) as CellScalar, pence: pence as bigint | undefined }));
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

interface Scenario {
  readonly mapped: readonly CumulativeField[];
  /** Category map rows: category, business type, HMRC field. */
  readonly mapRows: readonly (readonly CellScalar[])[];
  readonly rows: ReadonlyArray<{ date: { cell: CellScalar; iso: string | undefined }; amount: { cell: CellScalar; pence: bigint | undefined }; category: { cell: CellScalar; field?: CumulativeField }; who: { business: CellScalar; property: CellScalar; ours: boolean } }>;
  readonly headerRow: number;
  readonly firstColumn: number;
}

function scenario(type: CumulativeBusinessType, taxYear: TaxYear): fc.Arbitrary<Scenario> {
  const fields = fieldsFor(type, taxYear).filter((f) => !f.path.endsWith("consolidatedExpenses"));
  return fc.subarray(fields, { minLength: 1, maxLength: 5 }).chain((mapped) => {
    const categoryOf = (i: number) => `Cat ${i}`;
    const mappedCategory = fc
      .tuple(fc.integer({ min: 0, max: mapped.length - 1 }), fc.constantFrom((c: string) => c, (c: string) => c.toUpperCase(), (c: string) => ` ${c.toLowerCase()} `))
      .map(([i, spell]): { cell: CellScalar; field?: CumulativeField } => ({ cell: spell(categoryOf(i)), field: mapped[i]! }));
    const category = fc.oneof(
      { weight: 6, arbitrary: mappedCategory },
      { weight: 1, arbitrary: fc.constantFrom<CellScalar>("Misc", null, "Cat 99", "Other type").map((cell) => ({ cell })) },
    );
    const mapRows: CellScalar[][] = [
      ...mapped.map((f, i) => [categoryOf(i), TYPE_WORDS[type][i % TYPE_WORDS[type].length]!, f.path]),
      // Mapped for another business type only: not this source's category.
      ["Other type", type === "uk-property" ? "Self-employment" : "UK property", type === "uk-property" ? "periodIncome.turnover" : "income.periodAmount"],
    ];
    // One run in five has only good rows, so that enough bodies go all the way to HMRC's schema; one in five has
    // many rows of the largest amounts in one field, whose running total can outgrow a double's exact integers.
    const good = goodNumber(0n, 1_000_000_00n).map((n) => ({ cell: n.value as CellScalar, pence: n.pence as bigint | undefined }));
    const firstCategory = fc.constant({ cell: categoryOf(0) as CellScalar, field: mapped[0]! });
    const row = (mode: "normal" | "good" | "huge") =>
      fc.record({
        date: dateCell(taxYear, mode !== "normal"),
        amount: mode === "huge" ? hugeAmountCell : mode === "good" ? good : amountCell,
        category: mode === "huge" ? firstCategory : mode === "good" ? mappedCategory : category,
        who: whose(type, taxYear),
      });
    return fc.record({
      mapped: fc.constant(mapped),
      mapRows: fc.constant(mapRows),
      rows: fc
        .constantFrom("huge", "good", "normal", "normal", "normal")
        .chain((mode) => fc.array(row(mode), mode === "huge" ? { minLength: 20, maxLength: 60 } : { maxLength: 40 })),
      headerRow: fc.integer({ min: 0, max: 5 }),
      firstColumn: fc.integer({ min: 0, max: 3 }),
    });
  });
}

function tables(s: Scenario): { ledger: TableRead; map: TableRead } {
  const ledger: TableRead = {
    name: LEDGER_TABLE,
    sheet: "Ledger",
    headerRow: s.headerRow,
    firstColumn: s.firstColumn,
    header: ["Date", "Amount", "Category", "Business", "Property"],
    rows: s.rows.map((r) => [r.date.cell, r.amount.cell, r.category.cell, r.who.business, r.who.property]),
  };
  const map: TableRead = { name: CATEGORY_MAP_TABLE, sheet: "Map", headerRow: 0, firstColumn: 0, header: ["Category", "Business type", "HMRC field"], rows: s.mapRows };
  return { ledger, map };
}

/** `Ledger!C7`, worked out here: the table's columns stay within A–Z. */
function address(s: Scenario, r: number, c: number): string {
  return `Ledger!${String.fromCharCode(65 + s.firstColumn + c)}${s.headerRow + 2 + r}`;
}

/** The last day of the year to date for standard quarters: 5 July, 5 October, 5 January, 5 April. */
function periodEnd(taxYear: TaxYear, quarter: QuarterNumber): string {
  const y = Number(taxYear.slice(0, 4));
  return [`${y}-07-05`, `${y}-10-05`, `${y + 1}-01-05`, `${y + 1}-04-05`][quarter - 1]!;
}

function checkRun(type: CumulativeBusinessType, taxYear: TaxYear, quarter: QuarterNumber, s: Scenario, reached: { schema: number; overflow: number }): void {
  const { ledger, map } = tables(s);
  const result = ledgerFigures(ledger, map, { source: sourceFor(type, taxYear), taxYear, quarter, aliases: ALIASES });
  const errors = result.problems.filter((p) => p.severity === "error");
  const [from, to] = [`${taxYear.slice(0, 4)}-04-06`, periodEnd(taxYear, quarter)];

  const expectedErrors: Array<{ address: string; field?: string }> = [];
  const sums = new Map<string, bigint>();
  const broken = new Set<string>();
  let used = 0;
  s.rows.forEach((row, r) => {
    if (!row.who.ours) return;
    if (row.date.iso === undefined) return void expectedErrors.push({ address: address(s, r, 0) });
    if (row.date.iso < from || row.date.iso > to) return; // before the year, or not yet in the year to date
    const field = row.category.field;
    if (!field) return void expectedErrors.push({ address: address(s, r, 2) });
    if (row.amount.pence === undefined) {
      broken.add(field.path);
      return void expectedErrors.push({ address: address(s, r, 1), field: field.path });
    }
    const total = (sums.get(field.path) ?? 0n) + row.amount.pence;
    if (total > MAX_SAFE || total < -MAX_SAFE) {
      // Past 2^53 pence the total can no longer be exact: the row that takes it there is refused.
      broken.add(field.path);
      reached.overflow += 1;
      return void expectedErrors.push({ address: address(s, r, 1), field: field.path });
    }
    sums.set(field.path, total);
    used += 1;
  });
  const context = JSON.stringify({ quarter, rows: s.rows.map((r) => [r.date.cell, r.amount.cell, r.category.cell, r.who.business, r.who.property]) });

  // (b) each bad row is an error at its own cell (with its field when the row has one), and nothing else is.
  for (const want of expectedErrors) {
    expect([context, want, errors.some((p) => p.address === want.address && p.field === want.field)]).toEqual([context, want, true]);
  }
  const header = `Ledger!${String.fromCharCode(65 + s.firstColumn)}${s.headerRow + 1}`;
  expect([context, result.counts.rejected, result.counts.used]).toEqual([context, expectedErrors.length, used]);

  // (c) each total is the exact pence sum of the good rows; fields with a bad row, or out of HMRC's range, stay out.
  const expected = new Map<string, bigint>();
  const outOfRange = new Set<string>();
  for (const f of s.mapped) {
    const sum = sums.get(f.path);
    if (sum === undefined || broken.has(f.path)) continue;
    if (sum < BigInt(f.minPence) || sum > BigInt(f.maxPence)) outOfRange.add(f.path);
    else expected.set(f.path, sum);
  }
  // Out-of-range totals are reported on the table's header cell; no other error names a cell that was fine.
  const totalErrors = errors.filter((p) => p.address === header).map((p) => p.field);
  expect([context, totalErrors.sort()]).toEqual([context, [...outOfRange].sort()]);
  const stray = errors.filter((p) => p.address !== header && !expectedErrors.some((w) => w.address === p.address));
  expect([context, stray]).toEqual([context, []]);
  const got = new Map([...result.amounts].map(([path, p]) => [path, Number.isSafeInteger(p) ? BigInt(p) : NaN]));
  expect([context, got]).toEqual([context, expected]);

  // (a) the body built from the totals: exact JSON amounts, and HMRC's schema accepts whatever our validator passes.
  const q = quarterOf(taxYear, "standard", quarter);
  const body =
    type === "self-employment"
      ? buildCumulative({ type, taxYear, periodStartDate: q.cumulativeStart, periodEndDate: q.end, amounts: result.amounts })
      : type === "uk-property"
        ? buildCumulative({ type, taxYear, fromDate: q.cumulativeStart, toDate: q.end, amounts: result.amounts })
        : buildCumulative({ type, taxYear, fromDate: q.cumulativeStart, toDate: q.end, entries: [{ id: taxYear === "2025-26" ? "FRA" : VILLA, amounts: result.amounts }] });
  const object: unknown = type === "self-employment" ? body : type === "uk-property" ? body.ukProperty : (body.foreignProperty as unknown[])[0];
  for (const [path, sum] of expected) {
    const json = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], object);
    expect([context, path, penceOfJson(json)]).toEqual([context, path, sum]);
  }
  const verdict = validateCumulative(type, taxYear, body);
  if (verdict.length === 0) {
    expect([JSON.stringify(body), cumulativeSchema(type, taxYear)(body)]).toEqual([JSON.stringify(body), true]);
    if (errors.length === 0) reached.schema += 1;
  }
  expect(verdict.map((v) => v.code).filter((c) => c !== "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED")).toEqual([]);
}

describe.each(TYPES)("ledger rows for %s: fuzzed rows never reach HMRC unreported", (type) => {
  test.each(TAX_YEARS)("%s, every quarter", (taxYear) => {
    const reached = { schema: 0, overflow: 0 };
    fc.assert(
      fc.property(scenario(type, taxYear), fc.constantFrom<QuarterNumber>(1, 2, 3, 4), (s, quarter) => checkRun(type, taxYear, quarter, s, reached)),
      { seed: 6_2025, numRuns: 100 },
    );
    // Guards the guards: HMRC's schema was consulted, and some runs did take a total past 2^53 pence.
    expect([reached.schema > 5, reached.overflow > 0]).toEqual([true, true]);
  });
});
