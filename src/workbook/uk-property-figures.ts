/**
 * Year-to-date UK property figures read from the workbook's `MTD.UKP.<field path>` names (DESIGN.md §4):
 * a one-cell name is the year-to-date amount; a four-cell name (one row or one column) holds quarters 1–4
 * and the year to date is the exact sum of quarters 1 to the period's quarter. Every bad cell is reported
 * with its address and what to do about it; a field with any problem is left out of the amounts.
 */
import {
  formatPounds,
  HMRC_MAX_PENCE,
  HMRC_MIN_PENCE,
  parsePounds,
  UK_PROPERTY_CUMULATIVE_FIELDS,
  ukPropertyField,
  type PayloadField,
  type Pence,
  type QuarterNumber,
  type TaxYear,
} from "../mtd";
import { areaColumns, areaRows, formatAddress, parseAddress, withoutSheet, type RangeAddress } from "./address";
import { formatCellText, isDateFormat } from "./number-format";
import type { CellRead, NamedRangeRead, WorkbookPort } from "./port";

export const UK_PROPERTY_NAME_PREFIX = "MTD.UKP.";

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

/** Reads every `MTD.UKP.` name in one batched read and turns its cells into exact year-to-date amounts. */
export async function readUkPropertyFigures(port: WorkbookPort, period: FiguresPeriod): Promise<FiguresResult> {
  return ukPropertyFiguresFromNames(await port.readNames(UK_PROPERTY_NAME_PREFIX), period);
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

function fieldLabel(field: PayloadField): string {
  return `“${field.description}” (${field.path})`;
}

/** What one cell contributes to a field. */
function readCell(cell: CellRead, field: PayloadField): CellOutcome {
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

function rangeCheck(at: string, pence: Pence, field: PayloadField): Extract<CellOutcome, { kind: "problem" }> | undefined {
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

// ---- unknown names -----------------------------------------------------------------------------------

function editDistance(a: string, b: string): number {
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

/** Words landlords use for each field, checked in order (most specific first). */
const FIELD_HINTS: readonly [RegExp, string][] = [
  [/room.*(claim|expense|relief|allowance)/, "expenses.rentARoom.amountClaimed"],
  [/rentaroom|rent.?a.?room|room/, "income.rentARoom.rentsReceived"],
  [/reverse/, "income.reversePremiums"],
  [/premium|lease/, "income.premiumsOfLeaseGrant"],
  [/tax|deduct|withh/, "income.taxDeducted"],
  [/carried|forward|brought/, "expenses.residentialFinancialCostsCarriedForward"],
  [/mortgage|interest|financ|loan/, "expenses.residentialFinancialCost"],
  [/repair|mainten/, "expenses.repairsAndMaintenance"],
  [/insur|rates|ground|running|utilit|council|premises|rent/, "expenses.premisesRunningCosts"],
  [/legal|fee|agent|accountan|letting|managem|profession/, "expenses.professionalFees"],
  [/travel|car|van|mileage|motor/, "expenses.travelCosts"],
  [/service|wage|clean|garden/, "expenses.costOfServices"],
  [/consolidat|total.?expense|allexpenses/, "expenses.consolidatedExpenses"],
  [/otherinc|service|parking/, "income.otherIncome"],
  [/rent|income|receiv/, "income.periodAmount"],
  [/other|sundr|misc/, "expenses.other"],
];

/** The real field a mistyped or invented path most probably meant (`income.rent` → `income.periodAmount`). */
export function suggestUkPropertyField(path: string): PayloadField | undefined {
  const wanted = path.toLowerCase();
  let best: PayloadField | undefined;
  let bestDistance = Infinity;
  for (const f of UK_PROPERTY_CUMULATIVE_FIELDS) {
    const d = editDistance(wanted, f.path.toLowerCase());
    if (d < bestDistance) {
      best = f;
      bestDistance = d;
    }
  }
  if (best && bestDistance <= Math.max(2, Math.floor(wanted.length * 0.25))) return best; // a typo
  // Words in the path, preferring a field of the section it names (rent under income is rents received,
  // rent under expenses is a premises running cost).
  const section = wanted.startsWith("income.") ? "income." : wanted.startsWith("expenses.") ? "expenses." : "";
  const words = section ? wanted.slice(section.length) : wanted;
  const hits = FIELD_HINTS.filter(([re]) => re.test(words)).map(([, path]) => path);
  const hint = hits.find((path) => path.startsWith(section)) ?? hits[0];
  return hint ? ukPropertyField(hint) : best;
}

// ---- names → amounts -----------------------------------------------------------------------------------

function nameAddress(n: NamedRangeRead): string {
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

/** The pure half of {@link readUkPropertyFigures}: names already read → amounts, sources and problems. */
export function ukPropertyFiguresFromNames(names: readonly NamedRangeRead[], period: FiguresPeriod): FiguresResult {
  const amounts = new Map<string, Pence>();
  const sources = new Map<string, string>();
  const problems: CellProblem[] = [];
  const ordered = [...names].filter((n) => n.name.toUpperCase().startsWith(UK_PROPERTY_NAME_PREFIX.toUpperCase()));
  ordered.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));

  // Two names for one field: neither is used, since we cannot know which the user meant.
  const byField = new Map<string, NamedRangeRead[]>();
  for (const n of ordered) {
    const field = ukPropertyField(n.name.slice(UK_PROPERTY_NAME_PREFIX.length));
    if (field) byField.set(field.path, [...(byField.get(field.path) ?? []), n]);
  }

  for (const n of ordered) {
    const path = n.name.slice(UK_PROPERTY_NAME_PREFIX.length);
    const field = ukPropertyField(path);
    const problem = (address: string, message: string, severity: "error" | "warning" = "error"): void => {
      problems.push({ address, name: n.name, ...(field ? { field: field.path } : {}), message, severity });
    };
    if (!field) {
      const suggestion = suggestUkPropertyField(path);
      const hint = suggestion ? ` Did you mean ${UK_PROPERTY_NAME_PREFIX}${suggestion.path} (${suggestion.description})?` : "";
      problem(nameAddress(n), `The name ${n.name} does not match any UK property field HMRC accepts.${hint} Rename it in Formulas ▸ Name Manager.`);
      continue;
    }
    const twins = byField.get(field.path)!;
    if (twins.length > 1) {
      const others = twins.filter((t) => t !== n).map((t) => t.name);
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
    const quarterly = (shape.rows === 1 && shape.columns === 4) || (shape.rows === 4 && shape.columns === 1);
    if ((!single && !quarterly) || n.cells.length === 0) {
      problem(
        nameAddress(n),
        `The name ${n.name} refers to ${withoutSheet(nameAddress(n))} (${shape.rows} row${shape.rows === 1 ? "" : "s"} × ${shape.columns} column${shape.columns === 1 ? "" : "s"}); ` +
          `it must be one cell (the year-to-date amount) or four cells in one row or column (quarters 1 to 4).`,
      );
      continue;
    }
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
    const source = sourceOf(used, shape.area);
    const sumProblem = quarterly && used.length > 1 ? rangeCheck(`The quarters summed in ${source}`, total as Pence, field) : undefined;
    if (sumProblem || total > HMRC_MAX_PENCE || total < HMRC_MIN_PENCE) {
      problem(source, sumProblem?.message ?? `The quarters summed in ${source} are beyond HMRC's limits for ${field.path}.`);
      continue;
    }
    amounts.set(field.path, total as Pence);
    sources.set(field.path, source);
  }
  return { amounts, sources, problems };
}
