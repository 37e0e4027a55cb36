/**
 * The CLI's commands, on a workbook loaded from .xlsx (any WorkbookPort). Previews go through prepareQuarterlyUpdate
 * with the mapping read by mappingFromSettings, the very preparation the task pane sends, so what `preview`
 * prints is what the add-in would send (DESIGN.md §4).
 */
import { fieldsFor, isBusinessId, MAIN_INCOME_PATH, quarterEndingOn, type CumulativeBusinessType, type IsoDate, type Quarter, type TaxYear } from "../mtd";
import { discoverFromNames, mappingProblems, MTD_NAME_PREFIX, namesOf, parseMtdName, resolveKey, sourceKey, type AliasMap, type FiguresSource } from "../workbook/cumulative-figures";
import { cellAddress } from "../workbook/address";
import type { CellProblem } from "../workbook/figures-from-names";
import { CATEGORY_MAP_TABLE, categoryMapFrom, LEDGER_TABLE, type LedgerCounts } from "../workbook/ledger";
import { WorkbookError, type NamedRangeRead, type TableRead, type WorkbookPort } from "../workbook/port";
import { prepareQuarterlyUpdate, updateMode, type PreparedUpdate, type UpdateTarget } from "../workbook/quarterly-update";
import { mappingFromSettings, type FiguresMode, type WorkbookMapping } from "../workbook/workbook-mapping";

export interface FieldRow {
  readonly path: string;
  readonly label: string;
  readonly box?: string;
  readonly kind: string;
}

export function fieldRows(type: CumulativeBusinessType, taxYear: TaxYear): FieldRow[] {
  return fieldsFor(type, taxYear).map((f) => ({ path: f.path, label: f.label, ...(f.box ? { box: `${f.box.form} ${f.box.box}` } : {}), kind: f.kind }));
}

// ---- --business ------------------------------------------------------------------------------------------

/**
 * `UKP`, `SE.<alias or businessId>`, `FP` (every mapped country or property), `FP.<country or alias>`; and
 * `UKP.<businessId>` / `FP.<businessId>`, because a property business is otherwise unnamed and only its ID
 * selects the mode and allowance recorded for it in the workbook's settings.
 */
export type BusinessChoice =
  | { readonly type: "uk-property"; readonly businessId?: string }
  | { readonly type: "self-employment"; readonly key: string }
  | { readonly type: "foreign-property"; readonly key?: string; readonly businessId?: string };

export function parseBusiness(text: string): BusinessChoice | undefined {
  const lower = text.toLowerCase();
  if (lower === "ukp" || lower === "uk-property") return { type: "uk-property" };
  if (lower === "foreign-property" || lower === "fp") return { type: "foreign-property" };
  const m = /^(se|fp|ukp)\.([A-Za-z0-9_]{1,40})$/i.exec(text);
  if (!m) return undefined;
  const [kind, key] = [m[1]!.toLowerCase(), m[2]!];
  if (kind === "se") return { type: "self-employment", key };
  if (kind === "ukp") return isBusinessId(key) ? { type: "uk-property", businessId: key } : undefined;
  return isBusinessId(key) ? { type: "foreign-property", businessId: key } : { type: "foreign-property", key };
}

/** The preparation's target: a self-employment's alias resolving to a business ID also selects that business's settings. */
export function targetOf(choice: BusinessChoice, mapping: WorkbookMapping): UpdateTarget {
  if (choice.type === "self-employment") {
    const resolved = resolveKey(choice.key, mapping.aliases);
    return { type: choice.type, key: choice.key, ...(isBusinessId(resolved) ? { businessId: resolved } : {}) };
  }
  return { type: choice.type, ...(choice.businessId ? { businessId: choice.businessId } : {}), ...(choice.type === "foreign-property" && choice.key ? { key: choice.key } : {}) };
}

/** The mode prepareQuarterlyUpdate will use: `--ledger`, else the one recorded for the business, else names. */
function modeFor(target: UpdateTarget, mapping: WorkbookMapping, forceLedger: boolean): FiguresMode {
  return updateMode({ target, mapping, ...(forceLedger ? { mode: "ledger" as const } : {}) });
}

export function describeBusiness(choice: BusinessChoice): string {
  if (choice.type === "self-employment") return `SE.${choice.key}`;
  if (choice.type === "uk-property") return `UKP${choice.businessId ? `.${choice.businessId}` : ""}`;
  return `FP${choice.key ? `.${choice.key}` : choice.businessId ? `.${choice.businessId}` : ""}`;
}

// ---- reading the workbook --------------------------------------------------------------------------------

function errorProblem(message: string, address = ""): CellProblem {
  return { address, name: "", message, severity: "error" };
}

/** A table, or undefined when the workbook has none of that name (other workbook errors propagate). */
async function tableOrNone(wb: WorkbookPort, name: string): Promise<TableRead | undefined> {
  try {
    return await wb.readTable(name);
  } catch (e) {
    if (e instanceof WorkbookError && e.code === "table-not-found") return undefined;
    throw e;
  }
}

function ledgerHint(choice: BusinessChoice): string {
  const byId = choice.type === "uk-property" ? "UKP.<business ID>" : choice.type === "foreign-property" ? "FP.<business ID>" : "SE.<alias or business ID>";
  return `This workbook keeps its transactions in ${LEDGER_TABLE}: add --ledger, or name the business as ${byId} so the mode recorded in its settings applies.`;
}

/** The business's own `MTD.*` names (every foreign property's when no country or property is given). */
function ownNames(names: readonly NamedRangeRead[], target: UpdateTarget, aliases: AliasMap): NamedRangeRead[] {
  const source = sourceOf(target);
  return source ? namesOf(names, source, aliases).map((m) => m.read) : names.filter((n) => parseMtdName(n.name)?.type === "foreign-property");
}

/** A hint only when names mode found no names for the business but a ledger is there to be used. */
async function hintFor(wb: WorkbookPort, choice: BusinessChoice, target: UpdateTarget, mode: FiguresMode, mapping: WorkbookMapping): Promise<string | undefined> {
  if (mode !== "names" || ownNames(await wb.readNames(MTD_NAME_PREFIX), target, mapping.aliases).length > 0) return undefined;
  return (await tableOrNone(wb, LEDGER_TABLE)) ? ledgerHint(choice) : undefined;
}

function withoutRepeats(problems: readonly CellProblem[]): CellProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.severity}\u0000${p.address}\u0000${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

// ---- preview ---------------------------------------------------------------------------------------------

export interface PreviewReport {
  readonly business: CumulativeBusinessType;
  readonly taxYear: TaxYear;
  readonly quarter?: Quarter;
  /** The preparation, when the period end and tax year allowed one. */
  readonly prepared?: PreparedUpdate;
  readonly problems: readonly CellProblem[];
  readonly hint?: string;
}

/** The quarter ending on `periodEnd`, or the plain-English reason there is none. */
function quarterFor(taxYear: TaxYear, periodEnd: IsoDate, type: CumulativeBusinessType): Quarter | CellProblem {
  const quarter = quarterEndingOn(taxYear, periodEnd);
  if (!quarter) return errorProblem(`${periodEnd} is not the last day of a standard or calendar quarter of ${taxYear} (for example ${taxYear.slice(0, 4)}-07-05 or ${taxYear.slice(0, 4)}-06-30).`);
  if (fieldsFor(type, taxYear).length === 0) return errorProblem(`Cumulative updates start with tax year 2025-26; ${taxYear} is not supported.`);
  return quarter;
}

/** A missing table in ledger mode is a problem with the workbook, reported like any other. */
async function prepare(wb: WorkbookPort, target: UpdateTarget, quarter: Quarter, mapping: WorkbookMapping, forceLedger: boolean): Promise<PreparedUpdate | CellProblem> {
  try {
    return await prepareQuarterlyUpdate(wb, { target, quarter, mapping, ...(forceLedger ? { mode: "ledger" as const } : {}) });
  } catch (e) {
    if (e instanceof WorkbookError && e.code === "table-not-found") return errorProblem(e.message);
    throw e;
  }
}

export async function previewUpdate(wb: WorkbookPort, choice: BusinessChoice, taxYear: TaxYear, periodEnd: IsoDate, options: { readonly ledger?: boolean } = {}): Promise<PreviewReport> {
  const base = { business: choice.type, taxYear };
  const quarter = quarterFor(taxYear, periodEnd, choice.type);
  if (!("quarter" in quarter)) return { ...base, problems: [quarter] };
  const mapping = mappingFromSettings(await wb.readSettings());
  const target = targetOf(choice, mapping);
  const prepared = await prepare(wb, target, quarter, mapping, options.ledger === true);
  if (!("draft" in prepared)) return { ...base, quarter, problems: [prepared] };
  const hint = prepared.canSubmit ? undefined : await hintFor(wb, choice, target, prepared.mode, mapping);
  return { ...base, quarter, prepared, problems: prepared.problems, ...(hint ? { hint } : {}) };
}

/** Where each sent figure came from, by JSON pointer into the body: a cell, quarter cells, or ledger rows. */
export function cellsOf(prepared: PreparedUpdate): Record<string, string> {
  return Object.fromEntries(prepared.lines.flatMap((l) => (l.source ? [[l.pointer, l.source] as const] : [])));
}

// ---- check -----------------------------------------------------------------------------------------------

/**
 * The one income figure `check --business` insists on for each type. HMRC needs no particular field, but a
 * business reporting none of its main income (a trade's turnover, a landlord's rents) is almost always a
 * mapping mistake, and every business has that income even when claiming the £1,000 allowance. Other income
 * fields (premiums, tax deducted, other income) are occasional, so requiring them would cry wolf.
 */
export const REQUIRED_FIELDS: Readonly<Record<CumulativeBusinessType, readonly string[]>> = {
  "self-employment": [MAIN_INCOME_PATH["self-employment"]],
  "uk-property": [MAIN_INCOME_PATH["uk-property"]],
  "foreign-property": [MAIN_INCOME_PATH["foreign-property"]],
};

export interface LedgerSummary {
  readonly table: string;
  /** Rows in MTD_Ledger, blank ones included. */
  readonly rows: number;
  /** Rows in MTD_CategoryMap; undefined when the workbook has no such table. */
  readonly categories?: number;
}

export interface BusinessCheck {
  readonly type: CumulativeBusinessType;
  readonly key?: string;
  readonly businessId?: string;
  readonly mode: FiguresMode;
  /** Field paths that must be mapped (named, or a category mapped to them in ledger mode). */
  readonly required: readonly string[];
  /** With --period-end: the quarter fully prepared. */
  readonly quarter?: number;
  readonly basis?: string;
  readonly ledger?: LedgerCounts;
}

export interface CheckReport {
  readonly taxYear: TaxYear;
  /** The `MTD.*` names, grouped by business, keys resolved through the aliases. */
  readonly sources: ReadonlyArray<{ readonly type: CumulativeBusinessType; readonly key?: string; readonly names: readonly string[] }>;
  readonly ledger?: LedgerSummary;
  readonly business?: BusinessCheck;
  readonly problems: readonly CellProblem[];
  readonly hint?: string;
}

export interface CheckOptions {
  readonly business?: BusinessChoice;
  /** Also prepare this quarter in full, so cell contents and HMRC's rules are checked too (needs `business`). */
  readonly periodEnd?: IsoDate;
  readonly ledger?: boolean;
}

/** Category-map problems for every business type, each reported once. */
function categoryMapProblems(map: TableRead, types: readonly CumulativeBusinessType[], taxYear: TaxYear): CellProblem[] {
  const problems: CellProblem[] = [];
  for (const type of types) categoryMapFrom(map, type, taxYear, problems);
  return withoutRepeats(problems);
}

/** Ledger mode's counterpart of a required name: some category must map to the field. */
function requiredCategoryProblems(map: TableRead, type: CumulativeBusinessType, taxYear: TaxYear): CellProblem[] {
  const mapped = new Set([...categoryMapFrom(map, type, taxYear, []).values()].map((f) => f.path));
  return REQUIRED_FIELDS[type]
    .filter((path) => !mapped.has(path))
    .map((path) => ({
      address: cellAddress(map.sheet, map.headerRow, map.firstColumn),
      name: map.name,
      field: path,
      message: `${map.name} maps no category to ${path} for ${type}: add a row with your category for it, Business type “${type}” and HMRC field ${path}.`,
      severity: "error" as const,
    }));
}

/** The source named as the user typed it (an alias stays an alias), so messages suggest the names they would write. */
function sourceOf(target: UpdateTarget): FiguresSource | undefined {
  if (target.type === "uk-property") return { type: "uk-property" };
  if (target.type === "self-employment") return { type: "self-employment", key: target.key ?? target.businessId! };
  return target.key !== undefined ? { type: "foreign-property", countryOrPropertyId: target.key } : undefined;
}

export async function checkWorkbook(wb: WorkbookPort, taxYear: TaxYear, options: CheckOptions = {}): Promise<CheckReport> {
  const mapping = mappingFromSettings(await wb.readSettings());
  const aliases = mapping.aliases;
  const names = await wb.readNames(MTD_NAME_PREFIX);
  const { sources } = discoverFromNames(names, aliases);
  const ledgerTable = await tableOrNone(wb, LEDGER_TABLE);
  const mapTable = await tableOrNone(wb, CATEGORY_MAP_TABLE);
  const listed = sources.map(({ source, names: n }) => ({ type: source.type, ...(sourceKey(source) !== undefined ? { key: sourceKey(source)! } : {}), names: n }));
  const ledger: LedgerSummary | undefined = ledgerTable ? { table: ledgerTable.name, rows: ledgerTable.rows.length, ...(mapTable ? { categories: mapTable.rows.length } : {}) } : undefined;
  const problems: CellProblem[] = [];
  const choice = options.business;

  if (!choice) {
    problems.push(...mappingProblems(names, { taxYear, aliases }));
    if (ledgerTable && !mapTable) problems.push(errorProblem(`${LEDGER_TABLE} needs a ${CATEGORY_MAP_TABLE} table beside it, mapping each Category to an HMRC field.`));
    if (mapTable) problems.push(...categoryMapProblems(mapTable, ["self-employment", "uk-property", "foreign-property"], taxYear));
    return { taxYear, sources: listed, ...(ledger ? { ledger } : {}), problems };
  }

  const target = targetOf(choice, mapping);
  const mode = modeFor(target, mapping, options.ledger === true);
  const required = REQUIRED_FIELDS[choice.type];
  if (mode === "names") {
    // Only this business's names: `required` applies to every source of the type, and the others are not asked about.
    const source = sourceOf(target);
    problems.push(...mappingProblems(ownNames(names, target, aliases), { taxYear, aliases, ...(source ? { expected: [source] } : {}), required: { [choice.type]: required } }));
    if (!source && !sources.some((s) => s.source.type === "foreign-property")) {
      problems.push(errorProblem(`No cells are mapped for foreign property: name them ${MTD_NAME_PREFIX}FP.<country or alias>.${required[0]!}.`));
    }
  } else if (!mapTable) {
    problems.push(errorProblem(`This business is in ledger mode but the workbook has no ${CATEGORY_MAP_TABLE} table: add one mapping each Category to an HMRC field.`));
  } else {
    problems.push(...categoryMapProblems(mapTable, [choice.type], taxYear), ...requiredCategoryProblems(mapTable, choice.type, taxYear));
    if (!ledgerTable) problems.push(errorProblem(`This business is in ledger mode but the workbook has no ${LEDGER_TABLE} table: add your transactions as a table of that name.`));
  }

  let business: BusinessCheck = { type: target.type, ...(target.key !== undefined ? { key: target.key } : {}), ...(target.businessId ? { businessId: target.businessId } : {}), mode, required };
  const tablesMissing = mode === "ledger" && (!ledgerTable || !mapTable); // already reported above
  if (options.periodEnd !== undefined && !tablesMissing) {
    const quarter = quarterFor(taxYear, options.periodEnd, choice.type);
    if (!("quarter" in quarter)) problems.push(quarter);
    else {
      const prepared = await prepare(wb, target, quarter, mapping, options.ledger === true);
      if ("draft" in prepared) {
        problems.push(...prepared.problems);
        business = { ...business, quarter: quarter.quarter, basis: quarter.basis, ...(prepared.ledger ? { ledger: prepared.ledger } : {}) };
      } else problems.push(prepared);
    }
  }
  const unique = withoutRepeats(problems);
  const hint = await hintFor(wb, choice, target, mode, mapping);
  return { taxYear, sources: listed, ...(ledger ? { ledger } : {}), business, problems: unique, ...(hint ? { hint } : {}) };
}
