/** Shared rules for reading workbook-scoped names, so every WorkbookPort classifies a name the same way. */
import { areaCellCount, parseAddress, type RangeAddress } from "./address";
import type { CellValueType } from "./port";

/**
 * Larger names are reported by address only, without their cells: a mapped field is one or four cells, and
 * reading a whole column (`A:A`, a million cells) would break Excel on the web's 5 MB response limit.
 */
export const MAX_CELLS_PER_NAME = 1_000;

/** Excel compares names without regard to case. */
export function nameHasPrefix(name: string, prefix: string): boolean {
  return name.toLowerCase().startsWith(prefix.toLowerCase());
}

export function pointsAtRefError(refersTo: string): boolean {
  return refersTo.toUpperCase().includes("#REF!");
}

/** The single area a name refers to, when its formula is a plain reference. */
export function referencedArea(refersTo: string): RangeAddress | undefined {
  const parsed = parseAddress(refersTo);
  return parsed.ok && parsed.value.sheet !== undefined ? parsed.value : undefined;
}

export function isWithinReadLimit(area: RangeAddress): boolean {
  return areaCellCount(area) <= MAX_CELLS_PER_NAME;
}

/** Excel's `Range.valueTypes` entries mapped to the port's; `Integer` is a number, anything exotic is text. */
export function toCellValueType(excelType: string): CellValueType {
  switch (excelType) {
    case "Empty":
    case "String":
    case "Double":
    case "Boolean":
    case "Error":
      return excelType;
    case "Integer":
      return "Double";
    default:
      return "String";
  }
}

/** A valid Excel defined name: starts with a letter, `_` or `\`; letters, digits, `.` and `_`; not a cell reference. */
export function definedNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 255) return "A name must be 1 to 255 characters.";
  if (!/^[A-Za-z_\\\u00C0-\uFFFF][A-Za-z0-9_.\\\u00C0-\uFFFF]*$/.test(name)) return `“${name}” is not a valid Excel name.`;
  if (/^[A-Za-z]{1,3}[0-9]+$/.test(name) || /^[RrCc]$/.test(name) || /^[Rr][0-9]*[Cc][0-9]*$/.test(name)) {
    return `“${name}” looks like a cell reference, which Excel does not allow as a name.`;
  }
  return undefined;
}
