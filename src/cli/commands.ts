/**
 * The CLI's three commands, on an in-memory workbook loaded from .xlsx: the same readers, builders and
 * validators the add-in uses, so what `preview` prints is what the add-in would send.
 */
import {
  buildCumulative,
  fieldsFor,
  quarterEndingOn,
  validateCumulative,
  type CumulativeBody,
  type CumulativeBusinessType,
  type IsoDate,
  type Quarter,
  type TaxYear,
} from "../mtd";
import { cumulativeFiguresFromNames, discoverFromNames, mappingProblems, MTD_NAME_PREFIX, resolveKey, type AliasMap, type FiguresSource } from "../workbook/cumulative-figures";
import type { CellProblem } from "../workbook/figures-from-names";
import type { InMemoryWorkbook } from "../workbook/in-memory";

/** Aliases kept in the workbook's `mtd.settings` as `alias.<alias>` → businessId, country code or propertyId. */
export const ALIAS_SETTING_PREFIX = "alias.";

export async function aliasesOf(wb: InMemoryWorkbook): Promise<AliasMap> {
  const settings = await wb.readSettings();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings)) if (k.startsWith(ALIAS_SETTING_PREFIX) && k.length > ALIAS_SETTING_PREFIX.length) out[k.slice(ALIAS_SETTING_PREFIX.length)] = v;
  return out;
}

export interface FieldRow {
  readonly path: string;
  readonly label: string;
  readonly box?: string;
  readonly kind: string;
}

export function fieldRows(type: CumulativeBusinessType, taxYear: TaxYear): FieldRow[] {
  return fieldsFor(type, taxYear).map((f) => ({ path: f.path, label: f.label, ...(f.box ? { box: `${f.box.form} ${f.box.box}` } : {}), kind: f.kind }));
}

export interface CheckReport {
  readonly taxYear: TaxYear;
  readonly sources: ReadonlyArray<{ readonly type: CumulativeBusinessType; readonly key?: string; readonly names: readonly string[] }>;
  readonly problems: readonly CellProblem[];
}

export async function checkWorkbook(wb: InMemoryWorkbook, taxYear: TaxYear): Promise<CheckReport> {
  const aliases = await aliasesOf(wb);
  const names = await wb.readNames(MTD_NAME_PREFIX);
  const { sources } = discoverFromNames(names, aliases);
  return {
    taxYear,
    sources: sources.map(({ source, names: n }) => ({ type: source.type, ...(keyOf(source) !== undefined ? { key: keyOf(source)! } : {}), names: n })),
    problems: mappingProblems(names, { taxYear, aliases }),
  };
}

function keyOf(source: FiguresSource): string | undefined {
  return source.type === "self-employment" ? source.key : source.type === "foreign-property" ? source.countryOrPropertyId : undefined;
}

/** `UKP`, `uk-property`, `SE.<key>`, `FP.<key>` (foreign property: every mapped country or property). */
export type BusinessChoice = { readonly type: "uk-property" } | { readonly type: "self-employment"; readonly key: string } | { readonly type: "foreign-property"; readonly key?: string };

export function parseBusiness(text: string): BusinessChoice | undefined {
  const lower = text.toLowerCase();
  if (lower === "ukp" || lower === "uk-property") return { type: "uk-property" };
  if (lower === "foreign-property" || lower === "fp") return { type: "foreign-property" };
  const m = /^(se|fp)\.([A-Za-z0-9_]{1,40})$/i.exec(text);
  if (!m) return undefined;
  return m[1]!.toLowerCase() === "se" ? { type: "self-employment", key: m[2]! } : { type: "foreign-property", key: m[2]! };
}

export interface PreviewReport {
  readonly business: CumulativeBusinessType;
  readonly taxYear: TaxYear;
  readonly quarter?: Quarter;
  readonly body?: CumulativeBody;
  /** Where each payload figure came from, by JSON pointer into the body. */
  readonly cells: Readonly<Record<string, string>>;
  readonly problems: readonly CellProblem[];
}

function errorProblem(message: string): CellProblem {
  return { address: "", name: "", message, severity: "error" };
}

export async function previewWorkbook(wb: InMemoryWorkbook, choice: BusinessChoice, taxYear: TaxYear, periodEnd: IsoDate): Promise<PreviewReport> {
  const quarter = quarterEndingOn(taxYear, periodEnd);
  const base = { business: choice.type, taxYear, cells: {} };
  if (!quarter) {
    return { ...base, problems: [errorProblem(`${periodEnd} is not the last day of a standard or calendar quarter of ${taxYear} (for example ${taxYear.slice(0, 4)}-07-05 or ${taxYear.slice(0, 4)}-06-30).`)] };
  }
  if (fieldsFor(choice.type, taxYear).length === 0) return { ...base, quarter, problems: [errorProblem(`Cumulative updates start with tax year 2025-26; ${taxYear} is not supported.`)] };
  const aliases = await aliasesOf(wb);
  const names = await wb.readNames(MTD_NAME_PREFIX);
  const request = (source: FiguresSource) => cumulativeFiguresFromNames(names, { source, taxYear, quarter: quarter.quarter, aliases });
  const problems: CellProblem[] = [];
  const cells: Record<string, string> = {};
  let body: CumulativeBody;
  if (choice.type === "foreign-property") {
    const all = discoverFromNames(names, aliases).sources.filter((s) => s.source.type === "foreign-property");
    const wanted = choice.key === undefined ? all : all.filter((s) => keyOf(s.source)!.toLowerCase() === resolveKey(choice.key!, aliases).toLowerCase());
    if (wanted.length === 0) return { ...base, quarter, problems: [errorProblem(`No MTD.FP.${choice.key ?? "<country>"}.… names are defined in this workbook.`)] };
    const entries = wanted.map((s, i) => {
      const r = request(s.source);
      problems.push(...r.problems);
      for (const [path, at] of r.sources) cells[`/foreignProperty/${i}/${path.split(".").join("/")}`] = at;
      return { id: keyOf(s.source)!, amounts: r.amounts };
    });
    body = buildCumulative({ type: "foreign-property", taxYear, fromDate: quarter.cumulativeStart, toDate: quarter.end, entries });
  } else {
    const source: FiguresSource = choice.type === "uk-property" ? { type: "uk-property" } : { type: "self-employment", key: choice.key };
    const r = request(source);
    problems.push(...r.problems);
    if (r.amounts.size === 0 && r.problems.length === 0) problems.push(errorProblem(`No figures were found for ${choice.type === "uk-property" ? "MTD.UKP" : `MTD.SE.${choice.key}`}.… names in this workbook.`));
    const root = choice.type === "uk-property" ? "/ukProperty/" : "/";
    for (const [path, at] of r.sources) cells[`${root}${path.split(".").join("/")}`] = at;
    body =
      choice.type === "uk-property"
        ? buildCumulative({ type: "uk-property", taxYear, fromDate: quarter.cumulativeStart, toDate: quarter.end, amounts: r.amounts })
        : buildCumulative({ type: "self-employment", taxYear, periodStartDate: quarter.cumulativeStart, periodEndDate: quarter.end, amounts: r.amounts });
  }
  if (!problems.some((p) => p.severity === "error")) {
    for (const e of validateCumulative(choice.type, taxYear, body)) {
      const path = e.paths?.[0] ?? "";
      const at = Object.entries(cells).find(([pointer]) => pointer === path || pointer.startsWith(`${path}/`))?.[1] ?? "";
      problems.push({ address: at, name: "", message: `${e.message} (${e.code}${path ? ` at ${path}` : ""}).`, severity: "error" });
    }
  }
  return { ...base, quarter, body, cells, problems };
}
