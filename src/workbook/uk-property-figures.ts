/**
 * Year-to-date UK property figures read from the workbook's `MTD.UKP.<field path>` names (DESIGN.md §4),
 * through the source-generic reading in figures-from-names.ts; this module adds the words landlords use,
 * to suggest the field a mistyped name meant.
 */
import { UK_PROPERTY_CUMULATIVE_FIELDS, ukPropertyField, type PayloadField } from "../mtd";
import { figuresFromNames, nearestField, type FieldCatalogue, type FiguresPeriod, type FiguresResult } from "./figures-from-names";
import type { NamedRangeRead, WorkbookPort } from "./port";

export type { CellProblem, FiguresPeriod, FiguresResult } from "./figures-from-names";

export const UK_PROPERTY_NAME_PREFIX = "MTD.UKP.";

/** Reads every `MTD.UKP.` name in one batched read and turns its cells into exact year-to-date amounts. */
export async function readUkPropertyFigures(port: WorkbookPort, period: FiguresPeriod): Promise<FiguresResult> {
  return ukPropertyFiguresFromNames(await port.readNames(UK_PROPERTY_NAME_PREFIX), period);
}

// ---- unknown names -----------------------------------------------------------------------------------

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
  const nearest = nearestField(path, UK_PROPERTY_CUMULATIVE_FIELDS);
  if (nearest?.typo) return nearest.field;
  // Words in the path, preferring a field of the section it names (rent under income is rents received,
  // rent under expenses is a premises running cost).
  const section = wanted.startsWith("income.") ? "income." : wanted.startsWith("expenses.") ? "expenses." : "";
  const words = section ? wanted.slice(section.length) : wanted;
  const hits = FIELD_HINTS.filter(([re]) => re.test(words)).map(([, path]) => path);
  const hint = hits.find((path) => path.startsWith(section)) ?? hits[0];
  return hint ? ukPropertyField(hint) : nearest?.field;
}

// ---- names → amounts -----------------------------------------------------------------------------------

const UK_PROPERTY_CATALOGUE: FieldCatalogue = {
  lookup: ukPropertyField,
  unknownFieldMessage(name, path) {
    const suggestion = suggestUkPropertyField(path);
    const hint = suggestion ? ` Did you mean ${UK_PROPERTY_NAME_PREFIX}${suggestion.path} (${suggestion.description})?` : "";
    return `The name ${name} does not match any UK property field HMRC accepts.${hint} Rename it in Formulas ▸ Name Manager.`;
  },
};

/** The pure half of {@link readUkPropertyFigures}: names already read → amounts, sources and problems. */
export function ukPropertyFiguresFromNames(names: readonly NamedRangeRead[], period: FiguresPeriod): FiguresResult {
  const mapped = names
    .filter((n) => n.name.toUpperCase().startsWith(UK_PROPERTY_NAME_PREFIX.toUpperCase()))
    .map((read) => ({ read, path: read.name.slice(UK_PROPERTY_NAME_PREFIX.length) }));
  return figuresFromNames(mapped, UK_PROPERTY_CATALOGUE, period);
}
