/**
 * HMRC's digital-links rule: figures must flow from the records to the submission by formula or link, not
 * be retyped. A mapped cell holding a typed number, or a formula reaching into another workbook (which Excel
 * only refreshes when that file is open), is worth a look, but neither blocks sending: a typed year-to-date
 * total can be legitimate (the records may live in that very cell), and the user decides.
 */
import type { QuarterNumber } from "../mtd";
import type { CellProblem } from "./figures-from-names";
import type { CellRead, NamedRangeRead } from "./port";

/**
 * A formula referring to another workbook: `[Book2.xlsx]Sheet1!A1`, `'C:\x\[Book2.xlsx]Sheet 1'!A1`, or
 * the `[1]Sheet1!A1` form files store. Table references (`Table1[Amount]`) and text in quotes are not links.
 */
export function hasExternalLink(formula: string): boolean {
  const withoutStrings = formula.replace(/"(?:[^"]|"")*"/g, '""');
  return /'(?:[^']|'')*\[[^\]]+\](?:[^']|'')*'!|\[[^\][]+\][A-Za-z0-9_.]+!/.test(withoutStrings);
}

function isTypedNumber(cell: CellRead): boolean {
  return cell.type === "Double" && (cell.formula === undefined || !cell.formula.startsWith("="));
}

/** How many typed cells a warning lists before saying "and N more". */
const LISTED = 6;

/**
 * Warnings for the cells a submission takes from these names (one cell, or quarters 1 to `quarter` of a
 * four-cell name): one for all typed numbers together (they are often the records themselves, so one calm
 * note rather than one per cell), and one per cell linking to another workbook.
 */
export function digitalLinkWarnings(names: readonly NamedRangeRead[], quarter: QuarterNumber): CellProblem[] {
  const out: CellProblem[] = [];
  const typed: Array<{ cell: CellRead; name: string }> = [];
  for (const n of names) {
    if (n.kind !== "range") continue;
    const all = n.cells.flat();
    const used = all.length === 1 ? all : all.slice(0, quarter);
    for (const cell of used) {
      if (isTypedNumber(cell)) typed.push({ cell, name: n.name });
      if (cell.formula === undefined || !hasExternalLink(cell.formula)) continue;
      out.push({
        address: cell.address,
        name: n.name,
        message: `${cell.address} links to another workbook (${cell.formula.slice(0, 80)}). Excel only refreshes such links while that file is open: open it, or choose Data ▸ Edit Links ▸ Update Values, before sending.`,
        severity: "warning",
      });
    }
  }
  if (typed.length > 0) {
    // One sheet (the usual case): its name once, then the cells alone.
    const sheets = new Set(typed.map((t) => t.cell.address.slice(0, Math.max(0, t.cell.address.lastIndexOf("!")))));
    const oneSheet = sheets.size === 1 ? [...sheets][0]! : undefined;
    const short = (address: string) => (oneSheet !== undefined ? address.slice(address.lastIndexOf("!") + 1) : address);
    const listed = typed.slice(0, LISTED).map((t) => short(t.cell.address)).join(", ");
    const more = typed.length > LISTED ? ` and ${typed.length - LISTED} more` : "";
    const where = oneSheet ? ` on ${oneSheet}` : "";
    out.unshift({
      address: typed[0]!.cell.address,
      name: typed[0]!.name,
      message:
        typed.length === 1
          ? `${typed[0]!.cell.address} holds a typed number rather than a formula. Fine if it is your record; if it was copied from other records, link it with a formula (HMRC's digital-links rule).`
          : `${typed.length} cells${where} hold typed numbers (${listed}${more}) rather than formulas. Fine if they are your records; if they were copied from other records, link them with formulas (HMRC's digital-links rule).`,
      severity: "warning",
    });
  }
  return out;
}
