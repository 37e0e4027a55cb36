/**
 * The "Your figures" step's state: how the chosen business's figures are found in the workbook (named cells
 * or the ledger table, the £1,000 allowance), and the pure decisions behind it — which names belong to the
 * business, which field each links, what blocks confirming. No DOM, no network: unit-tested in Node.
 */
import {
  cumulativeField,
  fieldsFor,
  formatPounds,
  isBusinessId,
  isCountryCodeFormat,
  paramIsValid,
  parsePounds,
  type CumulativeBusinessType,
  type CumulativeField,
  type TaxYear,
} from "../../mtd";
import { mappingProblems, namesOf, parseMtdName, resolveKey, type AliasMap, type FiguresSource } from "../../workbook/cumulative-figures";
import { isFiguresShape, nameAddress, type CellProblem } from "../../workbook/figures-from-names";
import { categoryMapFrom, ledgerFigures, ledgerForeignEntries } from "../../workbook/ledger";
import type { CellRead, NamedRangeRead, SelectionRead, TableRead } from "../../workbook/port";
import { isAlias, type FiguresMode } from "../../workbook/workbook-mapping";

export interface MappingProblem {
  readonly severity: "error" | "warning";
  readonly message: string;
  /** The cell or range concerned, when there is one. */
  readonly address?: string;
}

/** One HMRC field of a group, and the workbook name (if any) that links it to cells. */
export interface FieldRow {
  readonly path: string;
  /** The SA-form box and name (`SA103F box 15: Turnover`), else HMRC's description. */
  readonly label: string;
  readonly kind: CumulativeField["kind"];
  /** The workbook name linking it, as stored. */
  readonly name?: string;
  /** The cells the name refers to (`Summary!C5:F5`), or what a broken name refers to. */
  readonly address?: string;
  /** Four cells: quarters 1 to 4, summed to the period's quarter. */
  readonly quarterly?: boolean;
  /** What the linked cells hold now, as shown to the user (`£1,200.50`, `blank`, `“n/a”`), so a wrong link shows at once. */
  readonly values?: readonly string[];
  /** Why the link cannot be used, when it cannot. */
  readonly problem?: string;
}

/** The fields of one source: the business itself, or one foreign country (2025-26) or property (2026-27 on). */
export interface FigureGroup {
  /** Stable and safe in element ids: `ukp`, `se`, `fp-FRA`, `fp-<propertyId>`. */
  readonly id: string;
  /** Foreign property: `Villa Rosa (FRA)`, `FRA`. */
  readonly title?: string;
  /** Foreign property: the country code or propertyId the group's names stand for. */
  readonly entry?: string;
  /**
   * The key new names are built with (an alias, the business ID, a country code); undefined for a property
   * with no alias yet, since a propertyId cannot be part of a name.
   */
  readonly key?: string;
  /** The group's aliases (SE: the business's; FP: the country's or property's), preferred first. */
  readonly aliases: readonly string[];
  /** A property with no alias yet: a short name made from its name, offered in the alias field. */
  readonly suggestedAlias?: string;
  readonly fields: readonly FieldRow[];
}

export interface NamesView {
  readonly groups: readonly FigureGroup[];
  /** The business's mapping problems (names it owns only), with their cells. */
  readonly problems: readonly MappingProblem[];
  /** Self-employment: keys used in `MTD.SE.<key>.…` names that stand for no business (no alias yet). */
  readonly unclaimedKeys: readonly string[];
  /** Fields linked to cells, over all groups. */
  readonly linked: number;
}

/** A foreign property HMRC holds for the business (2026-27 on). */
export interface ForeignPropertyDetail {
  readonly propertyId: string;
  readonly propertyName: string;
  readonly countryCode: string;
  readonly endDate?: string;
}

export type ForeignView =
  | { readonly byProperty: false }
  | { readonly byProperty: true; readonly properties: readonly ForeignPropertyDetail[]; /** Why HMRC's list could not be fetched. */ readonly error?: string };

export interface LedgerView {
  /** MTD_Ledger's data rows; undefined when the workbook has no such table. */
  readonly ledgerRows?: number;
  readonly categoryMap: boolean;
  /** The categories mapped to this business type's fields, as written in MTD_CategoryMap. */
  readonly categories: ReadonlyArray<{ readonly category: string; readonly label: string }>;
  /** Transactions for this business dated in the tax year. */
  readonly transactions: number;
  /** The tables' structure and the category map: what must be right before figures can be read. */
  readonly problems: readonly MappingProblem[];
}

/** What the last action came to, shown beside the control that caused it (`target` is that place's id). */
export interface MappingOutcome {
  readonly target: string;
  readonly intent: "success" | "error" | "warning" | "info";
  readonly message: string;
}

export interface MappingState {
  /** The user has accepted how the chosen business's figures are read (automatic when nothing blocks). */
  readonly confirmed: boolean;
  readonly status: "idle" | "loading" | "ready" | "error";
  /** Why the workbook could not be read. */
  readonly error?: string;
  /** The business this state describes. */
  readonly businessId?: string;
  readonly mode: FiguresMode;
  /** The £1,000 trading or property allowance is claimed instead of expenses. */
  readonly allowance: boolean;
  readonly names?: NamesView;
  readonly foreign?: ForeignView;
  readonly ledger?: LedgerView;
  /** Reading a big ledger: rows so far. */
  readonly progress?: { readonly read: number; readonly total: number };
  /** The action under way (`link:<group>:<path>`, `settings`, `alias:<group>`, `country`, `property`, `confirm`). */
  readonly busy?: string;
  readonly outcome?: MappingOutcome;
  /** What was typed into the step's forms (by input id), kept across re-renders until the action succeeds. */
  readonly drafts?: Readonly<Record<string, string>>;
}

export const INITIAL_MAPPING: MappingState = { confirmed: false, status: "idle", mode: "names", allowance: false };

// ---- names mode -------------------------------------------------------------------------------------------

/** The aliases standing for `target`, sorted; the one `preferred` names first when it is among them. */
export function aliasesOf(target: string, aliases: AliasMap, preferred?: string): string[] {
  const wanted = target.toLowerCase();
  const list = Object.keys(aliases)
    .filter((a) => aliases[a]!.toLowerCase() === wanted)
    .sort((a, b) => a.localeCompare(b));
  const first = preferred ? list.find((a) => a.toLowerCase() === preferred.toLowerCase()) : undefined;
  return first ? [first, ...list.filter((a) => a !== first)] : list;
}

/** A short name for cell names from a property's name (`Villa Rosa, Nice` → `Villa_Rosa_Nice`), unused so far. */
export function suggestAlias(propertyName: string, aliases: AliasMap): string {
  const words = propertyName.normalize("NFKD").replace(/[^A-Za-z0-9 ]/g, " ").trim().split(/\s+/).filter(Boolean);
  let base = words.join("_").slice(0, 24).replace(/_+$/, "");
  if (base === "") base = "Property";
  else if (!/^[A-Za-z]/.test(base)) base = `P_${base}`;
  const taken = new Set(Object.keys(aliases).map((a) => a.toLowerCase()));
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base}_${n}`;
  return candidate;
}

/** Why an alias cannot be used for `target`: not a valid alias, or already standing for something else. */
export function aliasProblem(alias: string, target: string, aliases: AliasMap): string | undefined {
  if (!isAlias(alias)) return "Use a short name that starts with a letter, then letters, digits or underscores (at most 40), such as shop or Villa_Rosa.";
  const looksLikeAnId = isBusinessId(alias.toUpperCase()) || /^[A-Z]{3}$/.test(alias);
  if (looksLikeAnId) return `“${alias}” looks like a business ID or a country code; choose a different short name.`;
  const existing = Object.keys(aliases).find((a) => a.toLowerCase() === alias.toLowerCase());
  if (existing && aliases[existing]!.toLowerCase() !== target.toLowerCase()) {
    return `“${alias}” already stands for ${aliases[existing]} in this workbook; choose a different short name.`;
  }
  return undefined;
}

/** A selection can be linked when it is one cell (the year to date) or four in a row or column (quarters 1–4). */
export function selectionProblem(selection: SelectionRead): string | undefined {
  const { rowCount: rows, columnCount: columns } = selection;
  if (isFiguresShape(rows, columns)) return undefined;
  const size = `${rows.toLocaleString("en-GB")} row${rows === 1 ? "" : "s"} × ${columns.toLocaleString("en-GB")} column${columns === 1 ? "" : "s"}`;
  return `You have selected ${selection.address} (${size}). Select one cell (the year to date) or four cells in one row or column (quarters 1 to 4), then choose “Link selected cells” again.`;
}

/** The names of the workbook that belong to the business (self-employment: through its ID or aliases). */
export function businessNames(names: readonly NamedRangeRead[], type: CumulativeBusinessType, businessId: string, aliases: AliasMap): NamedRangeRead[] {
  // Foreign property: every country or property the workbook names belongs to the one foreign property business.
  if (type === "foreign-property") return names.filter((n) => parseMtdName(n.name)?.type === type);
  return namesOf(names, type === "uk-property" ? { type } : { type, key: businessId }, aliases).map((m) => m.read);
}

/** Keys of `MTD.SE.<key>.…` names that are neither a business ID nor an alias: names waiting for an alias. */
export function unclaimedSelfEmploymentKeys(names: readonly NamedRangeRead[], aliases: AliasMap): string[] {
  const out = new Map<string, string>();
  for (const n of names) {
    const parsed = parseMtdName(n.name);
    if (parsed?.type !== "self-employment") continue;
    if (isBusinessId(resolveKey(parsed.key!, aliases))) continue;
    if (!out.has(parsed.key!.toLowerCase())) out.set(parsed.key!.toLowerCase(), parsed.key!);
  }
  return [...out.values()].sort((a, b) => a.localeCompare(b));
}

function toProblem(p: CellProblem): MappingProblem {
  return { severity: p.severity, message: p.message, ...(p.address ? { address: p.address } : {}) };
}

/** A cell's content as the field list shows it: money as exact pounds and pence, anything else as it is. */
function shownValue(cell: CellRead): string {
  if (cell.value === null || cell.type === "Empty") return "blank";
  if (typeof cell.value === "number") {
    const pence = parsePounds(cell.value);
    return pence.ok ? formatPounds(pence.value) : String(cell.value);
  }
  return `“${String(cell.value).slice(0, 30)}”`;
}

/** One group's rows: every field HMRC takes, with the first name (in name order) linking it. */
function fieldRows(type: CumulativeBusinessType, taxYear: TaxYear, own: readonly NamedRangeRead[], problems: readonly CellProblem[]): FieldRow[] {
  const byPath = new Map<string, NamedRangeRead>();
  for (const n of [...own].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()))) {
    const path = parseMtdName(n.name)?.path;
    const field = path === undefined ? undefined : cumulativeField(type, taxYear, path);
    if (field && !byPath.has(field.path)) byPath.set(field.path, n);
  }
  return fieldsFor(type, taxYear).map((f): FieldRow => {
    const n = byPath.get(f.path);
    if (!n) return { path: f.path, label: f.label, kind: f.kind };
    const problem = problems.find((p) => p.name === n.name && p.severity === "error")?.message;
    const cells = n.cells.flat();
    return {
      path: f.path,
      label: f.label,
      kind: f.kind,
      name: n.name,
      address: nameAddress(n),
      ...(cells.length === 4 ? { quarterly: true } : {}),
      ...(cells.length === 1 || cells.length === 4 ? { values: cells.map(shownValue) } : {}),
      ...(problem ? { problem } : {}),
    };
  });
}

export interface NamesInput {
  readonly type: CumulativeBusinessType;
  readonly taxYear: TaxYear;
  readonly businessId: string;
  /** Every `MTD.*` name of the workbook, already read. */
  readonly names: readonly NamedRangeRead[];
  readonly aliases: AliasMap;
  /** Target (business ID, country code, propertyId) → the alias to build new names with when it has several: the one last saved. */
  readonly preferredAliases?: Readonly<Record<string, string>>;
  /** Foreign property 2025-26: countries added in the pane that have no names yet. */
  readonly countries?: readonly string[];
  /** Foreign property 2026-27 on: the properties HMRC holds. */
  readonly properties?: readonly ForeignPropertyDetail[];
  /** Foreign property 2026-27 on: HMRC's list could not be fetched, so `properties` is not the whole story. */
  readonly propertiesUnavailable?: boolean;
}

/** The step's picture of named cells for one business: its groups of fields, links and problems. */
export function namesView(input: NamesInput): NamesView {
  const { type, taxYear, businessId, aliases } = input;
  const aliasList = (target: string): string[] => aliasesOf(target, aliases, input.preferredAliases?.[target]);
  const own = businessNames(input.names, type, businessId, aliases);
  const cellProblems = mappingProblems(own, { taxYear, aliases });
  const problems: MappingProblem[] = cellProblems.map(toProblem);
  const groups: FigureGroup[] = [];
  const group = (id: string, source: FiguresSource, extra: Omit<FigureGroup, "id" | "fields">): void => {
    groups.push({ id, ...extra, fields: fieldRows(type, taxYear, namesOf(own, source, aliases).map((m) => m.read), cellProblems) });
  };

  if (type === "uk-property") group("ukp", { type }, { aliases: [] });
  else if (type === "self-employment") {
    const list = aliasList(businessId);
    group("se", { type, key: businessId }, { key: list[0] ?? businessId, aliases: list });
  } else if (input.properties || input.propertiesUnavailable) {
    const properties = input.properties ?? [];
    for (const p of properties) {
      const list = aliasList(p.propertyId);
      group(`fp-${p.propertyId}`, { type, countryOrPropertyId: p.propertyId }, {
        title: `${p.propertyName} (${p.countryCode})`,
        entry: p.propertyId,
        aliases: list,
        ...(list[0] ? { key: list[0] } : { suggestedAlias: suggestAlias(p.propertyName, aliases) }),
      });
    }
    // Names for a property ID HMRC does not list would be sent and refused (RULE_PROPERTY_ID_MISMATCH).
    const known = new Set(properties.map((p) => p.propertyId.toLowerCase()));
    for (const n of input.propertiesUnavailable ? [] : own) {
      const id = resolveKey(parseMtdName(n.name)!.key!, aliases);
      if (paramIsValid("propertyId", id) && !known.has(id.toLowerCase())) {
        problems.push({ severity: "error", address: nameAddress(n), message: `The name ${n.name} is for property ${id}, which HMRC does not list for this business in ${taxYear}; rename it in Formulas ▸ Name Manager to use the short name of a property listed here.` });
      }
    }
  } else {
    const countries = new Map<string, string>();
    for (const c of input.countries ?? []) countries.set(c.toUpperCase(), c.toUpperCase());
    for (const n of own) {
      const id = resolveKey(parseMtdName(n.name)!.key!, aliases);
      if (isCountryCodeFormat(id)) countries.set(id, id);
    }
    for (const code of [...countries.keys()].sort()) {
      const list = aliasList(code);
      group(`fp-${code}`, { type, countryOrPropertyId: code }, { title: code, entry: code, key: list[0] ?? code, aliases: list });
    }
  }
  const linked = groups.reduce((n, g) => n + g.fields.filter((f) => f.name !== undefined).length, 0);
  return { groups, problems, unclaimedKeys: type === "self-employment" ? unclaimedSelfEmploymentKeys(input.names, aliases) : [], linked };
}

// ---- ledger mode --------------------------------------------------------------------------------------------

export interface LedgerInput {
  readonly type: CumulativeBusinessType;
  readonly taxYear: TaxYear;
  readonly businessId: string;
  readonly aliases: AliasMap;
  /** Undefined: the workbook has no such table. */
  readonly ledger?: TableRead;
  readonly categoryMap?: TableRead;
}

/** The step's picture of ledger mode: which tables exist, the category map's problems, this business's rows. */
export function ledgerView(input: LedgerInput): LedgerView {
  const { type, taxYear, aliases, ledger, categoryMap } = input;
  const problems: MappingProblem[] = [];
  if (!ledger || !categoryMap) {
    return { ...(ledger ? { ledgerRows: ledger.rows.length } : {}), categoryMap: categoryMap !== undefined, categories: [], transactions: 0, problems };
  }
  const map = categoryMapFrom(categoryMap, type, taxYear, []);
  // The category map keys categories in lower case; show them as the user wrote them.
  const written = new Map<string, string>();
  const categoryColumn = categoryMap.header.findIndex((h) => h.trim().toLowerCase() === "category");
  for (const row of categoryMap.rows) {
    const text = String(row[categoryColumn] ?? "").trim();
    if (text && !written.has(text.toLowerCase())) written.set(text.toLowerCase(), text);
  }
  const categories = [...map].map(([category, field]) => ({
    category: written.get(category) ?? category,
    label: cumulativeField(type, taxYear, field.path)?.label ?? field.path,
  }));

  // The tables' structure: the category map's problems and missing ledger columns, which an empty ledger
  // reports on its own. Row-by-row problems are the review's to show, for the chosen quarter.
  const sources: FiguresSource[] =
    type === "foreign-property"
      ? ledgerForeignEntries(ledger, aliases).map((id) => ({ type, countryOrPropertyId: id }))
      : [type === "uk-property" ? { type } : { type, key: input.businessId }];
  const structure = ledgerFigures({ ...ledger, rows: [] }, categoryMap, { source: sources[0] ?? { type: "foreign-property", countryOrPropertyId: "" }, taxYear, quarter: 4, aliases });
  problems.push(...structure.problems.map(toProblem));
  // This business's transactions in the whole tax year (quarter 4 reaches its end).
  let transactions = 0;
  if (!structure.problems.some((p) => p.severity === "error")) {
    for (const source of sources) {
      const counts = ledgerFigures(ledger, categoryMap, { source, taxYear, quarter: 4, aliases }).counts;
      transactions += counts.used + counts.rejected;
    }
  }
  return { ledgerRows: ledger.rows.length, categoryMap: true, categories, transactions, problems };
}

// ---- confirming -------------------------------------------------------------------------------------------

/** Why the mapping cannot be confirmed yet, in plain English; undefined when it can. */
export function confirmBlocker(state: MappingState): string | undefined {
  if (state.status !== "ready") return "MTD Bridge has not finished reading the workbook yet.";
  if (state.mode === "ledger") {
    const l = state.ledger;
    if (!l || l.ledgerRows === undefined || !l.categoryMap) return "Ledger mode needs both tables, MTD_Ledger and MTD_CategoryMap, in this workbook. Add them, or switch to named cells.";
    if (l.problems.some((p) => p.severity === "error")) return "Fix the problems listed with the ledger tables, then choose Continue again.";
    return undefined;
  }
  const n = state.names;
  if (!n) return "MTD Bridge has not finished reading the workbook yet.";
  if (state.foreign?.byProperty && state.foreign.error) return "MTD Bridge could not fetch your foreign properties from HMRC, so it cannot check their cells. Choose Try again.";
  if (n.problems.some((p) => p.severity === "error")) return "Fix the problems listed above (each names its cell), then choose Continue again.";
  if (n.linked === 0) return "Link at least one figure to its cells: select the cells in the sheet, then choose “Link selected cells” beside the figure.";
  return undefined;
}
