/**
 * Issue #6: whatever the named cells hold, the reader → builder → validator chain never yields a body HMRC's
 * schema rejects, every cell that cannot be an amount is reported at its own address, and every amount sent is
 * the exact pence sum of its cells. For each business type × tax year × quarter, with one-cell (year to date)
 * and four-cell (quarters in a row or a column) names.
 */
import fc from "fast-check";
import { buildCumulative, fieldsFor, quarterOf, validateCumulative, type CumulativeBody, type CumulativeBusinessType, type CumulativeField, type QuarterNumber, type TaxYear } from "../../src/mtd";
import { formatAddress, cellAddress } from "../../src/workbook/address";
import { cumulativeFiguresFromNames, type AliasMap, type FiguresSource } from "../../src/workbook/cumulative-figures";
import type { CellProblem, FiguresResult } from "../../src/workbook/figures-from-names";
import type { CellRead, NamedRangeRead } from "../../src/workbook/port";
import { cumulativeSchema } from "../support/hmrc-schemas";
import { anyCell, goodCell, penceOfJson, type FuzzCell } from "./cells";

const TAX_YEARS = ["2025-26", "2026-27"] as TaxYear[];
const TYPES: CumulativeBusinessType[] = ["uk-property", "self-employment", "foreign-property"];
const QUARTERS: QuarterNumber[] = [1, 2, 3, 4];
const SE_KEYS = ["XAIS12345678901", "shop"]; // a businessId, or an alias of it
const SE_ALIASES: AliasMap = { shop: "XAIS12345678901" };
const COUNTRIES = ["FRA", "ESP", "DEU", "USA"];
const COUNTRY_ALIASES: AliasMap = { gite: "FRA" };
const PROPERTY_ALIASES: AliasMap = { villa: "8e8b8450-dc1b-4360-8109-7067337b42cb", flat: "0f4a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b", barn: "c6a2d1e0-5b7f-4c3a-9e8d-1f2a3b4c5d6e" };
const PREFIX: Record<CumulativeBusinessType, string> = { "uk-property": "MTD.UKP.", "self-employment": "MTD.SE.", "foreign-property": "MTD.FP." };

type Shape = "single" | "row" | "column";

interface FuzzName {
  readonly field: CumulativeField;
  readonly shape: Shape;
  /** How the name's prefix and field path are written: Excel matches names without regard to case. */
  readonly spell: (text: string) => string;
  /** One cell, or quarters 1 to 4. */
  readonly cells: readonly FuzzCell[];
}

interface FuzzEntry {
  /** The key written in the names (a businessId, country code or alias); undefined for UK property. */
  readonly key?: string;
  /** What the body identifies the entry by (foreign property). */
  readonly id?: string;
  readonly names: readonly FuzzName[];
}

/** A random subset of a type's fields. Consolidated expenses join one run in six: beside itemised ones, HMRC's rule refuses the body before its schema is consulted. */
function fieldSubset(type: CumulativeBusinessType, taxYear: TaxYear): fc.Arbitrary<CumulativeField[]> {
  const all = fieldsFor(type, taxYear);
  const consolidated = all.filter((f) => f.path.endsWith("consolidatedExpenses"));
  const others = all.filter((f) => !consolidated.includes(f));
  return fc
    .tuple(fc.subarray(others, { minLength: 1, maxLength: 8 }), fc.subarray(consolidated), fc.integer({ min: 0, max: 5 }))
    .map(([some, c, die]) => (die === 0 ? [...some, ...c] : some));
}

/** Clean runs hold only readable amounts small enough to sum within range, so most reach HMRC's schema check. */
function fuzzName(field: CumulativeField, clean: boolean): fc.Arbitrary<FuzzName> {
  const cell = clean ? goodCell(field.minPence === 0 ? 0n : -1_000_000_00n, 1_000_000_00n) : fc.oneof(anyCell, goodCell(BigInt(field.minPence), BigInt(field.maxPence)));
  const spelling = fc.constantFrom((t: string) => t, (t: string) => t.toLowerCase(), (t: string) => t.toUpperCase());
  return fc.tuple(fc.constantFrom<Shape>("single", "row", "column"), spelling).chain(([shape, spell]) =>
    fc.array(cell, { minLength: shape === "single" ? 1 : 4, maxLength: shape === "single" ? 1 : 4 }).map((cells) => ({ field, shape, spell, cells })),
  );
}

function entries(type: CumulativeBusinessType, taxYear: TaxYear): fc.Arbitrary<FuzzEntry[]> {
  const names = (clean: boolean) => fieldSubset(type, taxYear).chain((fields) => fc.tuple(...fields.map((f) => fuzzName(f, clean))));
  return fc.boolean().chain((clean) => {
    if (type === "uk-property") return names(clean).map((n) => [{ names: n }]);
    if (type === "self-employment") return fc.tuple(fc.constantFrom(...SE_KEYS), names(clean)).map(([key, n]) => [{ key, names: n }]);
    const keys =
      taxYear === "2025-26"
        ? fc.uniqueArray(fc.constantFrom(...COUNTRIES, "gite"), { minLength: 1, maxLength: 3, selector: (k) => COUNTRY_ALIASES[k] ?? k })
        : fc.uniqueArray(fc.constantFrom(...Object.keys(PROPERTY_ALIASES)), { minLength: 1, maxLength: 3 });
    return keys.chain((ks) => fc.tuple(...ks.map((key) => names(clean).map((n): FuzzEntry => ({ key, id: { ...COUNTRY_ALIASES, ...PROPERTY_ALIASES }[key] ?? key, names: n })))));
  });
}

/** The names as the adapters read them: each on its own rows of the entry's sheet, cells in row-major order. */
function namedRanges(type: CumulativeBusinessType, all: readonly FuzzEntry[]): { reads: NamedRangeRead[]; addresses: string[][][] } {
  const reads: NamedRangeRead[] = [];
  const addresses = all.map((entry, e) => {
    const sheet = e === 0 ? "Figures" : `Property ${e}`; // the second needs quoting: 'Property 1'!B4
    return entry.names.map((n, i) => {
      const top = 2 + i * 6;
      const area = n.shape === "column" ? { sheet, top, left: 7, bottom: top + 3, right: 7 } : { sheet, top, left: 1, bottom: top, right: n.shape === "row" ? 4 : 1 };
      const at = n.cells.map((_c, k) => (n.shape === "column" ? cellAddress(sheet, top + k, 7) : cellAddress(sheet, top, 1 + k)));
      const read = (c: FuzzCell, k: number): CellRead => ({ address: at[k]!, value: c.value, type: c.type, numberFormat: c.numberFormat, ...(c.formula ? { formula: c.formula } : {}) });
      const grid = n.shape === "column" ? n.cells.map((c, k) => [read(c, k)]) : [n.cells.map(read)];
      const name = `${n.spell(PREFIX[type])}${entry.key !== undefined ? `${entry.key}.` : ""}${n.spell(n.field.path)}`;
      reads.push({ name, refersTo: `=${formatAddress(area, { absolute: true })}`, kind: "range", address: formatAddress(area), cells: grid });
      return at;
    });
  });
  return { reads, addresses };
}

/** The chain the task pane and `mtd-bridge preview` run (src/cli/commands.ts previewWorkbook). */
function runChain(type: CumulativeBusinessType, taxYear: TaxYear, quarter: QuarterNumber, all: readonly FuzzEntry[], reads: readonly NamedRangeRead[]): { results: FiguresResult[]; body: CumulativeBody } {
  const aliases: AliasMap = { ...SE_ALIASES, ...COUNTRY_ALIASES, ...PROPERTY_ALIASES };
  const q = quarterOf(taxYear, "standard", quarter);
  const results = all.map((entry) => {
    const source: FiguresSource =
      type === "uk-property" ? { type } : type === "self-employment" ? { type, key: entry.key! } : { type, countryOrPropertyId: entry.id! };
    return cumulativeFiguresFromNames(reads, { source, taxYear, quarter, aliases });
  });
  const amounts = results[0]!.amounts;
  const body =
    type === "foreign-property"
      ? buildCumulative({ type, taxYear, fromDate: q.cumulativeStart, toDate: q.end, entries: all.map((e, i) => ({ id: e.id!, amounts: results[i]!.amounts })) })
      : type === "uk-property"
        ? buildCumulative({ type, taxYear, fromDate: q.cumulativeStart, toDate: q.end, amounts })
        : buildCumulative({ type, taxYear, periodStartDate: q.cumulativeStart, periodEndDate: q.end, amounts });
  return { results, body };
}

/** The business object of entry `i`: the body itself (SE), `ukProperty`, or `foreignProperty[i]`. */
function businessObject(type: CumulativeBusinessType, body: CumulativeBody, i: number): unknown {
  if (type === "self-employment") return body;
  if (type === "uk-property") return body.ukProperty;
  return (body.foreignProperty as CumulativeBody[])[i];
}

function at(object: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (typeof o === "object" && o !== null ? (o as Record<string, unknown>)[k] : undefined), object);
}

/** Every number in the body, with its dotted path. */
function numbersIn(value: unknown, path = ""): Array<[string, unknown]> {
  if (typeof value === "number") return [[path, value]];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => numbersIn(v, path ? `${path}.${k}` : k));
}

const errorsAt = (problems: readonly CellProblem[], field: string) => problems.filter((p) => p.severity === "error" && p.field === field);

/** The properties, for one run; the counter records how many bodies went all the way to HMRC's schema. */
function checkRun(type: CumulativeBusinessType, taxYear: TaxYear, quarter: QuarterNumber, all: readonly FuzzEntry[], reached: { schema: number }): void {
  const { reads, addresses } = namedRanges(type, all);
  const { results, body } = runChain(type, taxYear, quarter, all, reads);

  all.forEach((entry, e) => {
    const { problems } = results[e]!;
    const object = businessObject(type, body, e);
    const expectedPaths = new Set<string>();
    entry.names.forEach((n, i) => {
      const { field } = n;
      const count = n.shape === "single" ? 1 : quarter;
      const used = n.cells.slice(0, count);
      const where = addresses[e]![i]!;
      const inRange = (p: bigint) => p >= BigInt(field.minPence) && p <= BigInt(field.maxPence);
      const isBad = (c: FuzzCell) => c.expect.kind === "bad" || (c.expect.kind === "amount" && !inRange(c.expect.pence));
      const bad = used.flatMap((c, k) => (isBad(c) ? [where[k]!] : []));
      const fieldErrors = errorsAt(problems, field.path);
      const context = `${field.path} (${n.shape}, Q${quarter}): ${JSON.stringify(used.map((c) => [c.value, c.type, c.numberFormat, c.expect]), (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))}`;

      // (b) each cell that cannot be an amount is an error at that very cell, and its field stays out.
      for (const address of bad) expect([context, address, fieldErrors.some((p) => p.address === address)]).toEqual([context, address, true]);
      used.forEach((c, k) => {
        if (c.expect.kind === "spaces") expect([context, problems.some((p) => p.severity === "warning" && p.address === where[k])]).toEqual([context, true]);
      });
      const amounts = used.flatMap((c) => (c.expect.kind === "amount" ? [c.expect.pence] : []));
      const sum = amounts.reduce((a, b) => a + b, 0n);
      if (bad.length > 0) {
        expect([context, at(object, field.path)]).toEqual([context, undefined]);
        // No error names a cell that was fine.
        const badAddresses = new Set(bad);
        expect([context, fieldErrors.filter((p) => !badAddresses.has(p.address)).map((p) => p.message)]).toEqual([context, []]);
      } else if (amounts.length === 0) {
        expect([context, at(object, field.path), fieldErrors]).toEqual([context, undefined, []]);
      } else if (!inRange(sum)) {
        // Each quarter within HMRC's limits, their sum not: one error for the quarters summed.
        expect([context, at(object, field.path), fieldErrors.length]).toEqual([context, undefined, 1]);
      } else {
        // (c) the exact pence sum of the cells, read back from the JSON number HMRC would receive.
        expect([context, penceOfJson(at(object, field.path)), fieldErrors]).toEqual([context, sum, []]);
        expectedPaths.add(field.path);
      }
    });
    // (d) only those fields, each a finite number with at most two decimals, never -0 (penceOfJson refuses all three).
    const numbers = numbersIn(object);
    expect(numbers.map(([p]) => p).sort()).toEqual([...expectedPaths].sort());
    for (const [path, v] of numbers) expect([path, v, penceOfJson(v) !== undefined]).toEqual([path, v, true]);
  });

  // (a) a body our validator passes is one HMRC's own schema accepts; the only rules left are HMRC's business rules.
  const problems = results.flatMap((r) => r.problems);
  const verdict = validateCumulative(type, taxYear, body);
  const schemaOk = cumulativeSchema(type, taxYear)(body);
  if (verdict.length === 0) {
    expect([JSON.stringify(body), schemaOk]).toEqual([JSON.stringify(body), true]);
    if (!problems.some((p) => p.severity === "error")) reached.schema += 1;
  }
  // An empty business object (every cell blank or bad) and consolidated beside itemised expenses are HMRC rules
  // about what was mapped; any other code would mean the reader let a malformed amount through.
  expect(verdict.map((v) => v.code).filter((c) => c !== "RULE_BOTH_EXPENSES_SUPPLIED" && c !== "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED")).toEqual([]);
}

describe.each(TYPES)("named cells for %s: fuzzed cells never reach HMRC unreported", (type) => {
  const combos = TAX_YEARS.flatMap((taxYear) => QUARTERS.map((quarter) => [taxYear, quarter] as const));
  test.each(combos)("%s quarter %i", (taxYear, quarter) => {
    const reached = { schema: 0 };
    fc.assert(
      fc.property(entries(type, taxYear), (all) => checkRun(type, taxYear, quarter, all, reached)),
      { seed: 20_251_121 + quarter, numRuns: 60 },
    );
    // Guards the guard: enough runs were clean that HMRC's schema really was consulted.
    expect(reached.schema).toBeGreaterThan(5);
  });
});
