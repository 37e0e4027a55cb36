/**
 * One quarterly (cumulative) update, from the workbook to the exact body HMRC would receive, for any business
 * type: the one preparation the task pane reviews and sends, the CLI previews, and the integration tests
 * drive. Figures come from named ranges (DESIGN.md §4) or the ledger table; HMRC's rules are applied before
 * anything is sent, every error names its cell, and warnings (typed numbers, links to other workbooks,
 * consolidated expenses near the threshold, expenses left out under an allowance) never block.
 */
import {
  buildCumulative,
  fieldsFor,
  formatPounds,
  foreignPropertyEntryId,
  MAIN_INCOME_PATH,
  validateCumulative,
  type CumulativeBody,
  type CumulativeBusinessType,
  type CumulativeField,
  type Pence,
  type Quarter,
} from "../mtd";
import {
  cumulativeFiguresFromNames,
  discoverFromNames,
  MTD_NAME_PREFIX,
  namesOf,
  resolveKey,
  sourceKey,
  unknownKeyMessage,
  type FiguresSource,
} from "./cumulative-figures";
import { digitalLinkWarnings } from "./digital-links";
import { nameAddress, type CellProblem, type FiguresResult } from "./figures-from-names";
import { CATEGORY_MAP_TABLE, LEDGER_TABLE, ledgerFigures, ledgerForeignEntries, type LedgerCounts } from "./ledger";
import type { NamedRangeRead, ReadTableOptions, TableRead, WorkbookPort } from "./port";
import { businessMapping, DEFAULT_BUSINESS_MAPPING, type BusinessMapping, type FiguresMode, type WorkbookMapping } from "./workbook-mapping";

/** HMRC's consolidated-expenses threshold: one expenses total is only allowed under £90,000 of turnover. */
export const CONSOLIDATED_THRESHOLD_PENCE = 9_000_000 as Pence;
/** The trading and property allowances are £1,000 each. */
export const ALLOWANCE_PENCE = 100_000 as Pence;

export const UPDATE_ENDPOINT = {
  "self-employment": "self-employment.cumulative.amend",
  "uk-property": "property.uk.cumulative.amend",
  "foreign-property": "property.foreign.cumulative.amend",
} as const satisfies Record<CumulativeBusinessType, string>;

export const RETRIEVE_ENDPOINT = {
  "self-employment": "self-employment.cumulative.retrieve",
  "uk-property": "property.uk.cumulative.retrieve",
  "foreign-property": "property.foreign.cumulative.retrieve",
} as const satisfies Record<CumulativeBusinessType, string>;

export interface UpdateTarget {
  readonly type: CumulativeBusinessType;
  /** HMRC's business ID: selects the business's mode and allowance, and for self-employment its names. */
  readonly businessId?: string;
  /**
   * Self-employment with no business ID known (the CLI's `--business SE.shop`): the key its names use.
   * Foreign property: send just this country or property (an alias is resolved) rather than every one mapped.
   */
  readonly key?: string;
}

export interface UpdateRequest {
  readonly target: UpdateTarget;
  readonly quarter: Quarter;
  readonly mapping: WorkbookMapping;
  /** Overrides the business's recorded mode (the CLI's `--ledger`). */
  readonly mode?: FiguresMode;
}

export interface UpdateLine {
  /** The foreign-property entry (country code or property ID); absent for other types. */
  readonly entry?: string;
  readonly path: string;
  readonly label: string;
  readonly kind: CumulativeField["kind"];
  readonly pence: Pence;
  /** Where the figure sits in the body (`/foreignProperty/0/income/rentIncome/rentAmount`). */
  readonly pointer: string;
  /** The cell, the quarter cells summed, or the ledger rows it came from. */
  readonly source: string | undefined;
}

export interface PreparedUpdate {
  readonly target: UpdateTarget;
  readonly quarter: Quarter;
  readonly mode: FiguresMode;
  readonly endpoint: (typeof UPDATE_ENDPOINT)[CumulativeBusinessType];
  /** The figures that would be sent, in HMRC's field order (entry by entry for foreign property). */
  readonly lines: readonly UpdateLine[];
  /** Errors block sending; warnings are shown and never block. Each names its cell where there is one. */
  readonly problems: readonly CellProblem[];
  readonly canSubmit: boolean;
  /** The exact body to send; only when nothing blocks. */
  readonly body: CumulativeBody | undefined;
  /** The body as built, whatever its problems (for previews and tests). */
  readonly draft: CumulativeBody;
  /** Ledger mode: how the transactions were used. */
  readonly ledger?: LedgerCounts;
}

interface EntryFigures {
  /** Foreign property: the country code or property ID. */
  readonly id?: string;
  readonly figures: FiguresResult;
}

function error(message: string, address = ""): CellProblem {
  return { address, name: "", message, severity: "error" };
}

/** The self-employment's key in names and ledger rows: its business ID, or the CLI's key resolved through the aliases. */
function selfEmploymentKey(target: UpdateTarget, aliases: WorkbookMapping["aliases"]): string | undefined {
  return target.businessId ?? (target.key === undefined ? undefined : resolveKey(target.key, aliases));
}

/** The recorded choices of the business a request is for (the defaults when no business is known). */
function recordedChoices(request: Pick<UpdateRequest, "target" | "mapping">): BusinessMapping {
  const { target, mapping } = request;
  const id = target.businessId ?? (target.key ? resolveKey(target.key, mapping.aliases) : undefined);
  return id ? businessMapping(mapping, id) : DEFAULT_BUSINESS_MAPPING;
}

/** Where a request's figures come from: its `mode`, else the business's recorded mode, else named cells. */
export function updateMode(request: Pick<UpdateRequest, "target" | "mapping" | "mode">): FiguresMode {
  return request.mode ?? recordedChoices(request).mode;
}

function allowanceOf(request: UpdateRequest): boolean {
  return recordedChoices(request).allowance !== "none";
}

// ---- named ranges ----------------------------------------------------------------------------------------

/** The pure half of {@link prepareQuarterlyUpdate} for named ranges: every `MTD.*` name already read. */
export function prepareFromNames(names: readonly NamedRangeRead[], request: UpdateRequest): PreparedUpdate {
  const { target, quarter, mapping } = request;
  const aliases = mapping.aliases;
  const taxYear = quarter.taxYear;
  const problems: CellProblem[] = [];
  const entries: EntryFigures[] = [];
  const sources: FiguresSource[] = [];
  if (target.type === "uk-property") sources.push({ type: "uk-property" });
  else if (target.type === "self-employment") {
    const key = selfEmploymentKey(target, aliases);
    if (key === undefined) problems.push(error("Choose which self-employment to send: MTD Bridge needs its business ID or alias."));
    else sources.push({ type: "self-employment", key });
  } else {
    const all = discoverFromNames(names, aliases).sources.filter((s) => s.source.type === "foreign-property");
    const wanted = target.key === undefined ? all : all.filter((s) => sourceKey(s.source)!.toLowerCase() === resolveKey(target.key!, aliases).toLowerCase());
    sources.push(...wanted.map((s) => s.source));
  }
  for (const source of sources) {
    const keyProblem = unknownKeyMessage(source, taxYear);
    const own = namesOf(names, source, aliases);
    if (keyProblem) {
      for (const m of own) problems.push({ address: nameAddress(m.read), name: m.read.name, message: keyProblem(m.read.name), severity: "error" });
      continue;
    }
    if (own.length === 0) continue;
    const figures = cumulativeFiguresFromNames(names, { source, taxYear, quarter: quarter.quarter, aliases });
    entries.push({ ...(source.type === "foreign-property" ? { id: source.countryOrPropertyId } : {}), figures });
    problems.push(...digitalLinkWarnings(own.map((m) => m.read), quarter.quarter));
  }
  if (entries.length === 0 && !problems.some((p) => p.severity === "error")) problems.push(error(noNamesMessage(request)));
  return finish(request, "names", entries, problems);
}

function noNamesMessage(request: UpdateRequest): string {
  const { target, quarter } = request;
  const example = MAIN_INCOME_PATH[target.type];
  if (target.type === "uk-property") return `No cells are named for UK property: name the cells holding its figures, for example ${MTD_NAME_PREFIX}UKP.${example}, or switch this business to ledger mode.`;
  if (target.type === "self-employment") {
    return `No cells are named for this self-employment (${target.key ?? target.businessId ?? "?"}): name its cells ${MTD_NAME_PREFIX}SE.<business ID or alias>.${example}, or switch it to ledger mode.`;
  }
  const by = foreignPropertyEntryId(quarter.taxYear) === "propertyId" ? "<property alias>" : "<country code>";
  return target.key === undefined
    ? `No cells are named for foreign property: name them ${MTD_NAME_PREFIX}FP.${by}.${example}, or switch this business to ledger mode.`
    : `No ${MTD_NAME_PREFIX}FP.${target.key}.… names are defined in this workbook.`;
}

// ---- ledger ---------------------------------------------------------------------------------------------

/** The pure half of {@link prepareQuarterlyUpdate} for ledger mode: both tables already read. */
export function prepareFromLedger(ledger: TableRead, categoryMap: TableRead, request: UpdateRequest): PreparedUpdate {
  const { target, quarter, mapping } = request;
  const aliases = mapping.aliases;
  const base = { taxYear: quarter.taxYear, quarter: quarter.quarter, basis: quarter.basis, aliases };
  const problems: CellProblem[] = [];
  const entries: EntryFigures[] = [];
  const counts: Record<keyof LedgerCounts, number> = { used: 0, outsideTaxYear: 0, afterPeriod: 0, otherBusinesses: 0, blank: 0, rejected: 0 };
  const run = (source: FiguresSource, id?: string): void => {
    const result = ledgerFigures(ledger, categoryMap, { ...base, source });
    entries.push({ ...(id !== undefined ? { id } : {}), figures: result });
    for (const k of Object.keys(counts) as (keyof LedgerCounts)[]) counts[k] += result.counts[k];
  };
  if (target.type === "uk-property") run({ type: "uk-property" });
  else if (target.type === "self-employment") {
    const key = selfEmploymentKey(target, aliases);
    if (key === undefined) problems.push(error("Choose which self-employment to send: MTD Bridge needs its business ID or alias."));
    else run({ type: "self-employment", key });
  } else {
    const all = ledgerForeignEntries(ledger, aliases);
    const ids = target.key === undefined ? all : all.filter((id) => id.toLowerCase() === resolveKey(target.key!, aliases).toLowerCase());
    for (const id of ids) {
      const source: FiguresSource = { type: "foreign-property", countryOrPropertyId: id };
      const keyProblem = unknownKeyMessage(source, quarter.taxYear);
      if (keyProblem) problems.push(error(keyProblem(`${ledger.name} (Property “${id}”)`)));
      else run(source, id);
    }
    if (ids.length === 0) problems.push(error(`${ledger.name} has no rows for foreign property: put Foreign property in the Business column and the country code or property alias in the Property column.`));
  }
  // Each foreign entry's pass sees every row: its own rows are counted once across the passes, but blank rows and
  // other businesses' rows once per pass, so those two are worked out from the table's size instead.
  if (target.type === "foreign-property" && entries.length > 1) {
    counts.blank /= entries.length;
    counts.otherBusinesses = ledger.rows.length - counts.blank - counts.used - counts.outsideTaxYear - counts.afterPeriod - counts.rejected;
  }
  return finish(request, "ledger", entries, problems, counts);
}

/** Reads what the business's mode needs (named ranges: ≤ 2 syncs; ledger: the two tables in blocks) and prepares the update. */
export async function prepareQuarterlyUpdate(port: WorkbookPort, request: UpdateRequest, options: Pick<ReadTableOptions, "onProgress"> = {}): Promise<PreparedUpdate> {
  if (updateMode(request) === "ledger") {
    const categoryMap = await port.readTable(CATEGORY_MAP_TABLE);
    const ledger = await port.readTable(LEDGER_TABLE, options);
    return prepareFromLedger(ledger, categoryMap, request);
  }
  return prepareFromNames(await port.readNames(MTD_NAME_PREFIX), request);
}

// ---- HMRC's rules, the body, and where its errors point ----------------------------------------------------

function pointerOf(type: CumulativeBusinessType, index: number, field: CumulativeField): string {
  if (type === "uk-property") return `/ukProperty${field.relativePointer}`;
  if (type === "foreign-property") return `/foreignProperty/${index}${field.relativePointer}`;
  return field.relativePointer;
}

/** Income that counts towards the £90,000 and £1,000 tests: everything but tax already taken off. */
function isTurnover(field: Pick<CumulativeField, "kind" | "path">): boolean {
  return field.kind === "income" && !/tax/i.test(field.path);
}

const CONSOLIDATED_PATHS = new Set(["periodExpenses.consolidatedExpenses", "expenses.consolidatedExpenses"]);

function finish(request: UpdateRequest, mode: FiguresMode, entries: readonly EntryFigures[], problems: CellProblem[], ledger?: LedgerCounts): PreparedUpdate {
  const { target, quarter } = request;
  const type = target.type;
  const fields = fieldsFor(type, quarter.taxYear);
  const allowance = allowanceOf(request);
  let kept: Array<{ id?: string; amounts: Map<string, Pence>; sources: ReadonlyMap<string, string> }> = [];

  for (const entry of entries) {
    const amounts = new Map<string, Pence>();
    for (const field of fields) {
      const pence = entry.figures.amounts.get(field.path);
      if (pence === undefined) continue;
      if (allowance && field.kind !== "income") {
        const source = entry.figures.sources.get(field.path);
        problems.push({
          address: source ?? "",
          name: "",
          field: field.path,
          message: `${source ? `${source} (${field.label})` : field.label} is not sent: this business claims the £1,000 ${type === "self-employment" ? "trading" : "property"} allowance instead of expenses. To send expenses, stop claiming the allowance in the add-in's settings for this business.`,
          severity: "warning",
        });
        continue;
      }
      amounts.set(field.path, pence);
    }
    problems.push(...entry.figures.problems);
    kept.push({ ...(entry.id !== undefined ? { id: entry.id } : {}), amounts, sources: entry.figures.sources });
  }
  // A country or property with nothing yet this year is left out rather than reported to HMRC as empty — unless
  // none has figures, when the update is a nil return and every entry stays.
  if (type === "foreign-property" && kept.some((k) => k.amounts.size > 0)) {
    for (const empty of kept.filter((k) => k.amounts.size === 0)) {
      problems.push({ address: "", name: "", message: `${empty.id} has no figures for the year to ${quarter.end} yet, so it is left out of this update.`, severity: "warning" });
    }
    kept = kept.filter((k) => k.amounts.size > 0);
  }

  // The lines, pointing at the entries as the body will hold them.
  const lines: UpdateLine[] = kept.flatMap((k, index) =>
    fields.flatMap((field): UpdateLine[] => {
      const pence = k.amounts.get(field.path);
      if (pence === undefined) return [];
      return [{ ...(k.id !== undefined ? { entry: k.id } : {}), path: field.path, label: field.label, kind: field.kind, pence, pointer: pointerOf(type, index, field), source: k.sources.get(field.path) }];
    }),
  );
  const turnover = lines.filter((l) => isTurnover(l)).reduce((sum, l) => sum + l.pence, 0);
  const consolidated = lines.filter((l) => CONSOLIDATED_PATHS.has(l.path));

  for (const line of consolidated) {
    const where = line.source ? `${line.source} (${line.label})` : line.label;
    if (turnover >= CONSOLIDATED_THRESHOLD_PENCE) {
      problems.push({
        address: line.source ?? "",
        name: "",
        field: line.path,
        message: `${where} sends one total for expenses, which HMRC only allows while turnover is under £90,000; the year to date is already ${formatPounds(turnover as Pence)}. Map the expenses item by item instead.`,
        severity: "error",
      });
    } else if (quarter.quarter < 4 && Math.floor((turnover * 4) / quarter.quarter) >= CONSOLIDATED_THRESHOLD_PENCE) {
      problems.push({
        address: line.source ?? "",
        name: "",
        field: line.path,
        message: `At this rate the year's turnover (${formatPounds(turnover as Pence)} so far) will pass £90,000, and then HMRC will not accept consolidated expenses: consider mapping expenses item by item now.`,
        severity: "warning",
      });
    }
  }
  if (allowance && turnover > ALLOWANCE_PENCE) {
    problems.push({
      address: "",
      name: "",
      message: `Income so far is ${formatPounds(turnover as Pence)}, more than the £1,000 allowance. You can still claim it (the first £1,000 is tax-free), but if your expenses are higher, claiming them instead would save more tax.`,
      severity: "warning",
    });
  }

  const draft = buildBody(request, kept);
  const cells = new Map(lines.flatMap((l) => (l.source ? [[l.pointer, l.source] as const] : [])));
  const blocked = problems.some((p) => p.severity === "error");
  if (!blocked && kept.length > 0) {
    for (const e of validateCumulative(type, quarter.taxYear, draft)) {
      const paths = e.paths && e.paths.length > 0 ? e.paths : [""];
      for (const path of paths) {
        const at = [...cells].find(([pointer]) => path !== "" && (pointer === path || pointer.startsWith(`${path}/`)))?.[1] ?? "";
        problems.push({ address: at, name: "", message: `${e.message} (${e.code}${path ? ` at ${path}` : ""}).`, severity: "error" });
      }
    }
  }
  const canSubmit = kept.length > 0 && !problems.some((p) => p.severity === "error");
  return {
    target,
    quarter,
    mode,
    endpoint: UPDATE_ENDPOINT[type],
    lines,
    problems,
    canSubmit,
    body: canSubmit ? draft : undefined,
    draft,
    ...(ledger ? { ledger } : {}),
  };
}

function buildBody(request: UpdateRequest, kept: ReadonlyArray<{ id?: string; amounts: Map<string, Pence> }>): CumulativeBody {
  const { quarter, target } = request;
  const taxYear = quarter.taxYear;
  switch (target.type) {
    case "self-employment":
      return buildCumulative({ type: "self-employment", taxYear, periodStartDate: quarter.cumulativeStart, periodEndDate: quarter.end, amounts: kept[0]?.amounts ?? new Map() });
    case "uk-property":
      return buildCumulative({ type: "uk-property", taxYear, fromDate: quarter.cumulativeStart, toDate: quarter.end, amounts: kept[0]?.amounts ?? new Map() });
    case "foreign-property":
      return buildCumulative({ type: "foreign-property", taxYear, fromDate: quarter.cumulativeStart, toDate: quarter.end, entries: kept.map((k) => ({ id: k.id!, amounts: k.amounts })) });
  }
}
