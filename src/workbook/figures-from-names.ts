/**
 * Year-to-date figures from workbook names, whatever the source (DESIGN.md §4): a one-cell name is the
 * year-to-date amount; a four-cell name (one row or one column) holds quarters 1–4 and the year to date is
 * the exact sum of quarters 1 to the period's quarter. Every bad cell or name is reported with its address
 * and what to do about it; a field with any problem is left out of the amounts. Used by the UK property
 * reader and the source-generic reader (cumulative-figures.ts) alike.
 */
import { formatPounds, HMRC_MAX_PENCE, HMRC_MIN_PENCE, parsePounds, type Pence, type QuarterNumber, type TaxYear } from "../mtd";
import { areaColumns, areaRows, formatAddress, parseAddress, withoutSheet, type RangeAddress } from "./address";
import { formatCellText, isDateFormat } from "./number-format";
import type { CellRead, NamedRangeRead } from "./port";

export interface FiguresPeriod {
  readonly taxYear: TaxYear;
  readonly quarter: QuarterNumber;
}

export interface CellProblem {
  /** The cell (`'Property income'!C7`), the name's range, or what a broken name refers to (`=#REF!`). */
  readonly address: string;
  /** The workbook name involved, as stored (`MTD.UKP.income.periodAmount`). */
  readonly name: string;
  /** The HMRC field path when the name maps to one (`income.periodAmount`). */
  readonly field?: string;
  readonly message: string;
  readonly severity: "error" | "warning";
}

export interface FiguresResult {
  /** Year-to-date amounts by field path; fields with only blank cells, or with any error, are absent. */
  readonly amounts: Map<string, Pence>;
  /** Where each amount came from: the cell, or the quarter cells summed. */
  readonly sources: Map<string, string>;
  readonly problems: CellProblem[];
}

/** What the readers need of an HMRC money field (the UK property PayloadField and CumulativeField both fit). */
export interface FiguresField {
  readonly path: string;
  readonly description: string;
  readonly minPence: Pence;
  readonly maxPence: Pence;
}

/** The fields one source's names may map to, and how to describe a name that matches none. */
export interface FieldCatalogue {
  /** The field a path names, ignoring case; undefined when HMRC has no such field. */
  lookup(path: string): FiguresField | undefined;
  /** The plain-English message for a name whose path matches no field. */
  unknownFieldMessage(name: string, path: string): string;
}

/** A workbook name already attributed to a source, with the field path that follows the source's prefix. */
export interface MappedName {
  readonly read: NamedRangeRead;
  readonly path: string;
}

type CellOutcome = { kind: "blank" } | { kind: "amount"; pence: Pence } | { kind: "problem"; message: string; severity: "error" | "warning"; blank: boolean };

const ERROR_HINTS: Record<string, string> = {
  "#DIV/0!": "its formula divides by zero",
  "#N/A": "a lookup in its formula found nothing",
  "#REF!": "its formula refers to cells that were deleted",
  "#VALUE!": "its formula uses text where a number is needed",
  "#NAME?": "its formula uses a function or name Excel does not recognise",
  "#NUM!": "its formula produced an impossible number",
  "#NULL!": "its formula refers to ranges that do not meet",
  "#SPILL!": "its formula's results cannot spill into the cells next to it",
};

function fieldLabel(field: FiguresField): string {
  return `“${field.description}” (${field.path})`;
}

/** What one cell contributes to a field. */
export function readCell(cell: CellRead, field: FiguresField): CellOutcome {
  const at = cell.address;
  switch (cell.type) {
    case "Empty":
      return { kind: "blank" };
    case "Error": {
      const code = String(cell.value);
      const hint = ERROR_HINTS[code] ? ` (${ERROR_HINTS[code]})` : "";
      return { kind: "problem", severity: "error", blank: false, message: `${at} shows the error ${code}${hint}; correct it or clear the cell.` };
    }
    case "Boolean":
      return { kind: "problem", severity: "error", blank: false, message: `${at} contains ${cell.value ? "TRUE" : "FALSE"}, not an amount; enter an amount or leave it blank.` };
    case "String": {
      const text = String(cell.value ?? "");
      if (text === "") return { kind: "blank" }; // a formula such as =IF(A1="","",A1) showing nothing
      if (text.trim() === "") {
        return { kind: "problem", severity: "warning", blank: true, message: `${at} contains only spaces, so it was treated as blank.` };
      }
      const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
      if (parsePounds(text).ok) {
        return {
          kind: "problem",
          severity: "error",
          blank: false,
          message: `${at} holds “${shown}” as text, not as a number; re-enter it as a number (Excel marks numbers stored as text with a green triangle).`,
        };
      }
      return { kind: "problem", severity: "error", blank: false, message: `${at} contains the text “${shown}”; enter an amount or leave it blank.` };
    }
    case "Double":
      break;
  }
  const value = cell.value;
  if (typeof value !== "number") return { kind: "problem", severity: "error", blank: false, message: `${at} does not contain a number; enter an amount or leave it blank.` };
  if (isDateFormat(cell.numberFormat)) {
    return {
      kind: "problem",
      severity: "error",
      blank: false,
      message: `${at} is formatted as a date (it shows ${formatCellText(value, cell.numberFormat)}); HMRC needs an amount in pounds. Format the cell as Number or Currency and check the figure.`,
    };
  }
  const parsed = parsePounds(value);
  if (!parsed.ok) {
    if (parsed.error.kind === "too-many-decimals") {
      return {
        kind: "problem",
        severity: "error",
        blank: false,
        message: `${at} has ${/\d+/.exec(parsed.error.detail)?.[0] ?? "more than 2"} decimal places (${String(value)}); HMRC takes pounds and pence only, so round it to 2 decimal places (for example with =ROUND(…, 2)).`,
      };
    }
    return { kind: "problem", severity: "error", blank: false, message: `${at} is far beyond HMRC's limit of ${formatPounds(HMRC_MAX_PENCE)} for ${fieldLabel(field)}.` };
  }
  return rangeCheck(at, parsed.value, field) ?? { kind: "amount", pence: parsed.value };
}

export function rangeCheck(at: string, pence: Pence, field: FiguresField): Extract<CellOutcome, { kind: "problem" }> | undefined {
  if (pence < field.minPence) {
    const message =
      field.minPence === 0
        ? `${at} is negative (${formatPounds(pence)}), but HMRC does not accept a negative amount for ${fieldLabel(field)}; enter it as a positive amount or leave it blank.`
        : `${at} (${formatPounds(pence)}) is below HMRC's minimum of ${formatPounds(field.minPence)} for ${fieldLabel(field)}.`;
    return { kind: "problem", severity: "error", blank: false, message };
  }
  if (pence > field.maxPence) {
    return { kind: "problem", severity: "error", blank: false, message: `${at} (${formatPounds(pence)}) is beyond HMRC's limit of ${formatPounds(field.maxPence)} for ${fieldLabel(field)}.` };
  }
  return undefined;
}

// ---- suggestions for mistyped names ---------------------------------------------------------------------

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = prev[j]!;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length]!;
}

/** The field a mistyped path most probably meant, when it is within a few typing slips of one. */
export function nearestField<F extends FiguresField>(path: string, fields: readonly F[]): { field: F; typo: boolean } | undefined {
  const wanted = path.toLowerCase();
  let best: F | undefined;
  let bestDistance = Infinity;
  for (const f of fields) {
    const d = editDistance(wanted, f.path.toLowerCase());
    if (d < bestDistance) {
      best = f;
      bestDistance = d;
    }
  }
  return best ? { field: best, typo: bestDistance <= Math.max(2, Math.floor(wanted.length * 0.25)) } : undefined;
}

// ---- names → amounts -----------------------------------------------------------------------------------

export function nameAddress(n: NamedRangeRead): string {
  return n.address ?? n.refersTo;
}

function shapeOf(n: NamedRangeRead): { rows: number; columns: number; area?: RangeAddress } {
  const parsed = n.address !== undefined ? parseAddress(n.address) : undefined;
  const area = parsed?.ok ? parsed.value : undefined;
  if (n.cells.length > 0) return { rows: n.cells.length, columns: n.cells[0]!.length, ...(area ? { area } : {}) };
  return area ? { rows: areaRows(area), columns: areaColumns(area), area } : { rows: 0, columns: 0 };
}

/** The address of the quarter cells summed (`'Property income'!C7:D7`), or the single cell. */
function sourceOf(cells: readonly CellRead[], area: RangeAddress | undefined): string {
  if (cells.length === 1 || !area) return cells.length === 1 ? cells[0]!.address : cells.map((c) => c.address).join(",");
  const first = parseAddress(cells[0]!.address);
  const last = parseAddress(cells[cells.length - 1]!.address);
  if (!first.ok || !last.ok) return cells.map((c) => c.address).join(",");
  return formatAddress({ sheet: area.sheet, top: first.value.top, left: first.value.left, bottom: last.value.bottom, right: last.value.right });
}

function byLowerName(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The shapes a name may have: one cell (the year to date) or four in one row or column (quarters 1 to 4). */
export function isFiguresShape(rows: number, columns: number): boolean {
  return (rows === 1 && columns === 1) || (rows === 1 && columns === 4) || (rows === 4 && columns === 1);
}

/** A name that passed the checks that need no cell values: one field, one name, one or four cells. */
export interface UsableName {
  readonly mapped: MappedName;
  readonly field: FiguresField;
  readonly single: boolean;
  readonly area?: RangeAddress;
}

/**
 * The checks that need no cell values: unknown field, two names for one field, a name pointing at #REF!
 * or at no cells, and a shape other than one cell or four in a line. Names are taken in name order.
 */
export function checkNames(names: readonly MappedName[], catalogue: FieldCatalogue): { usable: UsableName[]; problems: CellProblem[] } {
  const problems: CellProblem[] = [];
  const usable: UsableName[] = [];
  const ordered = [...names].sort((a, b) => byLowerName(a.read.name, b.read.name));

  // Two names for one field: neither is used, since we cannot know which the user meant.
  const byField = new Map<string, MappedName[]>();
  for (const m of ordered) {
    const field = catalogue.lookup(m.path);
    if (field) byField.set(field.path, [...(byField.get(field.path) ?? []), m]);
  }

  for (const m of ordered) {
    const n = m.read;
    const field = catalogue.lookup(m.path);
    const problem = (address: string, message: string): void => {
      problems.push({ address, name: n.name, ...(field ? { field: field.path } : {}), message, severity: "error" });
    };
    if (!field) {
      problem(nameAddress(n), catalogue.unknownFieldMessage(n.name, m.path));
      continue;
    }
    const twins = byField.get(field.path)!;
    if (twins.length > 1) {
      const others = twins.filter((t) => t !== m).map((t) => t.read.name);
      problem(nameAddress(n), `${n.name} and ${others.join(", ")} both map to ${field.path}; delete all but one in Formulas ▸ Name Manager.`);
      continue;
    }
    if (n.kind === "ref-error") {
      problem(n.refersTo, `The name ${n.name} points at #REF! because the cells it referred to were deleted; point it at the cells holding the amount in Formulas ▸ Name Manager.`);
      continue;
    }
    if (n.kind === "not-a-range") {
      problem(n.refersTo, `The name ${n.name} refers to “${n.refersTo}”, not to cells; point it at one cell (the year to date) or four cells (quarters 1 to 4) in Formulas ▸ Name Manager.`);
      continue;
    }
    const shape = shapeOf(n);
    const single = shape.rows === 1 && shape.columns === 1;
    if (!isFiguresShape(shape.rows, shape.columns) || n.cells.length === 0) {
      problem(
        nameAddress(n),
        `The name ${n.name} refers to ${withoutSheet(nameAddress(n))} (${shape.rows} row${shape.rows === 1 ? "" : "s"} × ${shape.columns} column${shape.columns === 1 ? "" : "s"}); ` +
          `it must be one cell (the year-to-date amount) or four cells in one row or column (quarters 1 to 4).`,
      );
      continue;
    }
    usable.push({ mapped: m, field, single, ...(shape.area ? { area: shape.area } : {}) });
  }
  return { usable, problems };
}

/** Names already read and attributed to one source → exact year-to-date amounts, their cells, and problems. */
export function figuresFromNames(names: readonly MappedName[], catalogue: FieldCatalogue, period: FiguresPeriod): FiguresResult {
  const amounts = new Map<string, Pence>();
  const sources = new Map<string, string>();
  const { usable, problems } = checkNames(names, catalogue);
  for (const { mapped, field, single, area } of usable) {
    const n = mapped.read;
    const problem = (address: string, message: string, severity: "error" | "warning" = "error"): void => {
      problems.push({ address, name: n.name, field: field.path, message, severity });
    };
    const all = n.cells.flat();
    const used = single ? all : all.slice(0, period.quarter);
    let total = 0;
    let anyAmount = false;
    let failed = false;
    for (const cell of used) {
      const outcome = readCell(cell, field);
      if (outcome.kind === "amount") {
        total += outcome.pence;
        anyAmount = true;
      } else if (outcome.kind === "problem") {
        problem(cell.address, outcome.message, outcome.severity);
        if (!outcome.blank) failed = true;
      }
    }
    if (failed || !anyAmount) continue;
    const source = sourceOf(used, area);
    const sumProblem = !single && used.length > 1 ? rangeCheck(`The quarters summed in ${source}`, total as Pence, field) : undefined;
    if (sumProblem || total > HMRC_MAX_PENCE || total < HMRC_MIN_PENCE) {
      problem(source, sumProblem?.message ?? `The quarters summed in ${source} are beyond HMRC's limits for ${field.path}.`);
      continue;
    }
    amounts.set(field.path, total as Pence);
    sources.set(field.path, source);
  }
  // Name order, as the user sees names in Name Manager; the sort is stable, so a name's cells stay in order.
  problems.sort((a, b) => byLowerName(a.name, b.name));
  return { amounts, sources, problems };
}
