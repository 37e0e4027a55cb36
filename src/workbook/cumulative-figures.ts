/**
 * Year-to-date figures for any business, from the workbook names of DESIGN.md §4:
 *   `MTD.UKP.<field path>`            UK property;
 *   `MTD.SE.<key>.<field path>`       one self-employment, `<key>` its businessId or an alias;
 *   `MTD.FP.<key>.<field path>`       one foreign country (2025-26) or property (2026-27 on), `<key>` the
 *                                     country code or an alias (a propertyId has hyphens, which Excel names
 *                                     cannot hold, so a property is always named by an alias).
 * Aliases come from the workbook's mapping (alias → businessId, countryCode or propertyId), passed in.
 * Names and aliases are matched without regard to case, as Excel matches names.
 */
import { cumulativeField, fieldsFor, foreignPropertyEntryId, MAIN_INCOME_PATH, isBusinessId, isCountryCodeFormat, paramIsValid, type CumulativeBusinessType, type QuarterNumber, type TaxYear } from "../mtd";
import { checkNames, figuresFromNames, nameAddress, nearestField, type CellProblem, type FieldCatalogue, type FiguresResult, type MappedName } from "./figures-from-names";
import type { NamedRangeRead, WorkbookPort } from "./port";
import { suggestUkPropertyField } from "./uk-property-figures";

export const MTD_NAME_PREFIX = "MTD.";

export type FiguresSource =
  | { readonly type: "uk-property" }
  | { readonly type: "self-employment"; /** businessId, or an alias of one */ readonly key: string }
  | { readonly type: "foreign-property"; /** country code (2025-26) or propertyId (2026-27 on), or an alias */ readonly countryOrPropertyId: string };

/** Alias → businessId, countryCode or propertyId, as the workbook's mapping stores it. */
export type AliasMap = Readonly<Record<string, string>>;

export interface CumulativeFiguresRequest {
  readonly source: FiguresSource;
  readonly taxYear: TaxYear;
  readonly quarter: QuarterNumber;
  readonly aliases?: AliasMap;
}

const PREFIXES: Readonly<Record<CumulativeBusinessType, string>> = {
  "uk-property": "MTD.UKP.",
  "self-employment": "MTD.SE.",
  "foreign-property": "MTD.FP.",
};

const SOURCE_LABELS: Readonly<Record<CumulativeBusinessType, string>> = {
  "uk-property": "UK property",
  "self-employment": "self-employment",
  "foreign-property": "foreign property",
};

/** A workbook name split into its source, key and field path; undefined for names outside the MTD.* contract. */
export interface ParsedMtdName {
  readonly type: CumulativeBusinessType;
  /** The key as written in the name (SE and FP only). */
  readonly key?: string;
  readonly path: string;
}

export function parseMtdName(name: string): ParsedMtdName | undefined {
  for (const type of Object.keys(PREFIXES) as CumulativeBusinessType[]) {
    const prefix = PREFIXES[type];
    if (!name.toUpperCase().startsWith(prefix.toUpperCase())) continue;
    const rest = name.slice(prefix.length);
    if (type === "uk-property") return rest ? { type, path: rest } : undefined;
    const dot = rest.indexOf(".");
    if (dot <= 0 || dot === rest.length - 1) return undefined;
    return { type, key: rest.slice(0, dot), path: rest.slice(dot + 1) };
  }
  return undefined;
}

/** What a name's key may hold so Excel accepts the name: letters, digits and underscores (no hyphens). */
const NAME_KEY = /^[A-Za-z0-9_]{1,64}$/;

/**
 * The workbook name for one field of a source (`MTD.SE.shop.periodIncome.turnover`): the inverse of
 * {@link parseMtdName}, used when the task pane or CLI links cells. The key is used as given (an alias, a
 * business ID or a country code); a foreign property's propertyId has hyphens Excel names cannot hold, so it
 * is refused with what to do instead.
 */
export function nameFor(source: FiguresSource, path: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/.test(path)) throw new RangeError(`“${path.slice(0, 80)}” is not an HMRC field path such as income.periodAmount.`);
  const key = sourceKey(source);
  if (key === undefined) return `${PREFIXES[source.type]}${path}`;
  if (!NAME_KEY.test(key)) {
    throw new RangeError(
      source.type === "foreign-property"
        ? `“${key.slice(0, 64)}” cannot be part of a cell name; give the property a short name (letters, digits or underscores) and use that.`
        : `“${key.slice(0, 64)}” cannot be part of a cell name; use a short name of letters, digits or underscores.`,
    );
  }
  return `${PREFIXES[source.type]}${key}.${path}`;
}

/** What a key stands for: the alias's target when it is an alias (any case), else the key itself. */
export function resolveKey(key: string, aliases: AliasMap = {}): string {
  const wanted = key.toLowerCase();
  for (const [alias, target] of Object.entries(aliases)) if (alias.toLowerCase() === wanted) return target;
  return key;
}

function sameKey(a: string, b: string, aliases: AliasMap): boolean {
  return resolveKey(a, aliases).toLowerCase() === resolveKey(b, aliases).toLowerCase();
}

export function sourceKey(source: FiguresSource): string | undefined {
  return source.type === "self-employment" ? source.key : source.type === "foreign-property" ? source.countryOrPropertyId : undefined;
}

function catalogueFor(type: CumulativeBusinessType, taxYear: TaxYear): FieldCatalogue {
  return {
    lookup: (path) => cumulativeField(type, taxYear, path),
    unknownFieldMessage(name, path) {
      const stem = name.slice(0, name.length - path.length);
      const suggestion = type === "uk-property" ? suggestUkPropertyField(path) : nearestField(path, fieldsFor(type, taxYear))?.field;
      const hint = suggestion ? ` Did you mean ${stem}${suggestion.path} (${suggestion.description})?` : "";
      return `The name ${name} does not match any ${SOURCE_LABELS[type]} field HMRC accepts for ${taxYear}.${hint} Rename it in Formulas ▸ Name Manager.`;
    },
  };
}

/** The names (already read) that belong to one source, with their field paths. */
export function namesOf(names: readonly NamedRangeRead[], source: FiguresSource, aliases: AliasMap): MappedName[] {
  const key = sourceKey(source);
  const out: MappedName[] = [];
  for (const read of names) {
    const parsed = parseMtdName(read.name);
    if (!parsed || parsed.type !== source.type) continue;
    if (key !== undefined && (parsed.key === undefined || !sameKey(parsed.key, key, aliases))) continue;
    out.push({ read, path: parsed.path });
  }
  return out;
}

/** The pure half of {@link readCumulativeFigures}: names already read → amounts, their cells, and problems. */
export function cumulativeFiguresFromNames(names: readonly NamedRangeRead[], request: CumulativeFiguresRequest): FiguresResult {
  const { source, taxYear, quarter, aliases = {} } = request;
  return figuresFromNames(namesOf(names, source, aliases), catalogueFor(source.type, taxYear), { taxYear, quarter });
}

/** Reads one source's names in one batched read and turns their cells into exact year-to-date amounts. */
export async function readCumulativeFigures(port: WorkbookPort, request: CumulativeFiguresRequest): Promise<FiguresResult> {
  return cumulativeFiguresFromNames(await port.readNames(PREFIXES[request.source.type]), request);
}

// ---- discovering and checking a workbook's mapping ------------------------------------------------------

export interface DiscoveredSource {
  readonly source: FiguresSource;
  /** The workbook names mapped to it, as stored. */
  readonly names: readonly string[];
}

export interface DiscoveredNames {
  /** One entry per source, keys resolved through the aliases: UK property first, then by key. */
  readonly sources: readonly DiscoveredSource[];
  /** `MTD.*` names that fit no source's pattern (`MTD.SE.shop` with no field, `MTD.XYZ.…`). */
  readonly unrecognised: readonly string[];
}

/** The pure half of {@link discoverMtdNames}. */
export function discoverFromNames(names: readonly NamedRangeRead[], aliases: AliasMap = {}): DiscoveredNames {
  const groups = new Map<string, { source: FiguresSource; names: string[] }>();
  const unrecognised: string[] = [];
  for (const n of names) {
    if (!n.name.toUpperCase().startsWith(MTD_NAME_PREFIX)) continue;
    const parsed = parseMtdName(n.name);
    if (!parsed) {
      unrecognised.push(n.name);
      continue;
    }
    const key = parsed.key === undefined ? undefined : resolveKey(parsed.key, aliases);
    const id = `${parsed.type}\u0000${key?.toLowerCase() ?? ""}`;
    const source: FiguresSource =
      parsed.type === "uk-property"
        ? { type: "uk-property" }
        : parsed.type === "self-employment"
          ? { type: "self-employment", key: key! }
          : { type: "foreign-property", countryOrPropertyId: key! };
    const group = groups.get(id) ?? { source, names: [] };
    group.names.push(n.name);
    groups.set(id, group);
  }
  const order: CumulativeBusinessType[] = ["uk-property", "self-employment", "foreign-property"];
  const sources = [...groups.values()].sort(
    (a, b) => order.indexOf(a.source.type) - order.indexOf(b.source.type) || (sourceKey(a.source) ?? "").localeCompare(sourceKey(b.source) ?? ""),
  );
  return { sources, unrecognised };
}

/** Lists the workbook's `MTD.*` names by source, in one batched read. */
export async function discoverMtdNames(port: WorkbookPort, aliases: AliasMap = {}): Promise<DiscoveredNames> {
  return discoverFromNames(await port.readNames(MTD_NAME_PREFIX), aliases);
}

export interface MappingCheck {
  readonly taxYear: TaxYear;
  readonly aliases?: AliasMap;
  /** Sources the user has said they file for; each must have at least one mapped field. */
  readonly expected?: readonly FiguresSource[];
  /** Field paths that must be mapped for every source of a type (the task pane's or CLI's own choice). */
  readonly required?: Partial<Readonly<Record<CumulativeBusinessType, readonly string[]>>>;
}

function describeSource(source: FiguresSource): string {
  const key = sourceKey(source);
  return key === undefined ? SOURCE_LABELS[source.type] : `${SOURCE_LABELS[source.type]} ${key}`;
}

/** Why a name's key (after aliases) cannot identify a business HMRC knows, if it cannot. */
export function unknownKeyMessage(source: FiguresSource, taxYear: TaxYear): ((name: string) => string) | undefined {
  if (source.type === "self-employment" && !isBusinessId(source.key)) {
    return (name) => `The name ${name} uses “${source.key}”, which is neither a business ID nor an alias of one; add the alias in the add-in's Settings or rename it in Formulas ▸ Name Manager.`;
  }
  if (source.type !== "foreign-property") return undefined;
  const id = source.countryOrPropertyId;
  if (foreignPropertyEntryId(taxYear) === "propertyId" && !paramIsValid("propertyId", id)) {
    return (name) =>
      `The name ${name} uses “${id}”, but from 2026-27 HMRC identifies each foreign property by its property ID; give the property an alias in the add-in's Settings and use it in the name.`;
  }
  if (foreignPropertyEntryId(taxYear) === "countryCode" && !isCountryCodeFormat(id)) {
    return (name) => `The name ${name} uses “${id}”, which is not a three-letter country code in capitals (such as FRA or ESP); for ${taxYear} HMRC takes foreign property figures by country.`;
  }
  return undefined;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function exampleName(source: FiguresSource, path: string): string {
  const key = sourceKey(source);
  return `${PREFIXES[source.type]}${key === undefined ? "" : `${key}.`}${path}`;
}

/**
 * A mapping's problems that need no cell values: names matching no field, two names for one field, names
 * pointing at #REF! or at no cells, names of the wrong shape, unrecognised `MTD.*` names, and expected
 * sources or required fields with no name. Cell contents are checked when figures are read.
 */
export function mappingProblems(names: readonly NamedRangeRead[], check: MappingCheck): CellProblem[] {
  const aliases = check.aliases ?? {};
  const { sources, unrecognised } = discoverFromNames(names, aliases);
  const problems: CellProblem[] = [];
  const byName = new Map(names.map((n) => [n.name, n]));
  for (const name of unrecognised) {
    problems.push({
      address: nameAddress(byName.get(name)!),
      name,
      message: `The name ${name} does not follow the pattern MTD.UKP.<field>, MTD.SE.<business>.<field> or MTD.FP.<country or property>.<field>; rename it in Formulas ▸ Name Manager.`,
      severity: "error",
    });
  }
  for (const { source, names: sourceNames } of sources) {
    const keyProblem = unknownKeyMessage(source, check.taxYear);
    if (keyProblem) {
      for (const name of sourceNames) problems.push({ address: nameAddress(byName.get(name)!), name, message: keyProblem(name), severity: "error" });
      continue;
    }
    problems.push(...checkNames(namesOf(names, source, aliases), catalogueFor(source.type, check.taxYear)).problems);
  }
  const wanted = [...(check.expected ?? []), ...sources.map((s) => s.source)];
  const seen = new Set<string>();
  for (const source of wanted) {
    const id = `${source.type}\u0000${resolveKey(sourceKey(source) ?? "", aliases).toLowerCase()}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const mapped = namesOf(names, source, aliases);
    if (mapped.length === 0) {
      problems.push({
        address: "",
        name: "",
        message: `No cells are mapped for ${describeSource(source)}: name the cells holding its figures, for example ${exampleName(source, MAIN_INCOME_PATH[source.type])}.`,
        severity: "error",
      });
      continue;
    }
    const catalogue = catalogueFor(source.type, check.taxYear);
    const present = new Set(mapped.map((m) => catalogue.lookup(m.path)?.path).filter((p): p is string => p !== undefined));
    for (const path of check.required?.[source.type] ?? []) {
      if (present.has(path)) continue;
      const field = cumulativeField(source.type, check.taxYear, path);
      problems.push({
        address: "",
        name: "",
        field: path,
        message: `${capitalise(describeSource(source))} needs ${field ? `“${field.label}”` : path}: name the cell holding it ${exampleName(source, path)}.`,
        severity: "error",
      });
    }
  }
  return problems;
}
