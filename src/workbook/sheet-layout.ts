/**
 * Where a {@link SheetWrite} lands on its sheet: the single rectangle of values and the formats around it.
 * Both workbook implementations write exactly this layout, so the in-memory workbook shows what Excel shows.
 */
import { sheetNameProblem, type RangeArea } from "./address";
import { MONEY_FORMAT, TEXT_FORMAT } from "./number-format";
import { WorkbookError, type CellScalar, type SheetWrite } from "./port";

/** Bounds that keep one write far inside Excel on the web's 5 MB request limit. */
export const MAX_WRITE_COLUMNS = 100;
export const MAX_WRITE_CELLS = 200_000;
const MAX_CELL_TEXT = 32_767;

export interface SheetLayout {
  readonly name: string;
  readonly tag: string;
  readonly width: number;
  readonly height: number;
  /** The full rectangle from A1, every row `width` long; `""` is an empty cell. */
  readonly values: readonly (readonly (string | number | boolean)[])[];
  /** Zero-based row of the header (the table spans it and the data rows). */
  readonly headerRow: number;
  readonly dataRows: number;
  /** Set to text before values are written, so identifiers and preamble lines are never re-interpreted. */
  readonly textAreas: readonly RangeArea[];
  /** Money format for the data cells of money columns. */
  readonly moneyAreas: readonly RangeArea[];
}

function columnsOf(name: string, list: readonly number[] | undefined, width: number): number[] {
  const out = [...new Set(list ?? [])].sort((a, b) => a - b);
  for (const c of out) {
    if (!Number.isInteger(c) || c < 0 || c >= width) throw new RangeError(`${name} column ${c} is outside the table's ${width} columns`);
  }
  return out;
}

function checkCell(v: CellScalar, where: string): string | number | boolean {
  if (v === null) return "";
  if (typeof v === "number" && !Number.isFinite(v)) throw new RangeError(`${where} is not a finite number`);
  if (typeof v === "string" && v.length > MAX_CELL_TEXT) throw new RangeError(`${where} is longer than Excel's ${MAX_CELL_TEXT} characters per cell`);
  return v;
}

/** Validates a sheet write and lays it out; throws WorkbookError for a bad sheet name, RangeError for bad shapes. */
export function layoutSheet(sheet: SheetWrite): SheetLayout {
  const problem = sheetNameProblem(sheet.name);
  if (problem) throw new WorkbookError("invalid-sheet-name", problem);
  if (sheet.tag.length === 0 || sheet.tag.length > 100) throw new RangeError("A sheet tag must be 1 to 100 characters.");
  const width = sheet.header.length;
  if (width === 0 || width > MAX_WRITE_COLUMNS) throw new RangeError(`A table needs 1 to ${MAX_WRITE_COLUMNS} columns.`);
  const seen = new Set<string>();
  for (const h of sheet.header) {
    const key = h.trim().toLowerCase();
    if (key === "" || seen.has(key)) throw new RangeError(`Column headings must be unique and not blank (“${h}”).`);
    seen.add(key);
  }
  const preamble = sheet.preamble ?? [];
  const headerRow = preamble.length > 0 ? preamble.length + 1 : 0; // a blank line separates the preamble from the table
  const height = headerRow + 1 + sheet.rows.length;
  if (height * width > MAX_WRITE_CELLS) throw new RangeError(`A sheet write is limited to ${MAX_WRITE_CELLS} cells.`);

  const pad = (first: string | number | boolean): (string | number | boolean)[] => [first, ...Array<string>(width - 1).fill("")];
  const values: (string | number | boolean)[][] = [];
  preamble.forEach((line, i) => values.push(pad(checkCell(line, `Preamble line ${i + 1}`))));
  if (preamble.length > 0) values.push(pad(""));
  values.push([...sheet.header]);
  sheet.rows.forEach((row, r) => {
    if (row.length > width) throw new RangeError(`Row ${r + 1} has ${row.length} cells but the table has ${width} columns.`);
    const cells = row.map((v, c) => checkCell(v, `Row ${r + 1}, column ${c + 1}`));
    while (cells.length < width) cells.push("");
    values.push(cells);
  });

  const textColumns = columnsOf("Text", sheet.textColumns, width);
  const moneyColumns = columnsOf("Money", sheet.moneyColumns, width);
  const dataTop = headerRow + 1;
  const dataBottom = height - 1;
  const textAreas: RangeArea[] = [];
  if (preamble.length > 0) textAreas.push({ top: 0, left: 0, bottom: preamble.length - 1, right: 0 });
  textAreas.push({ top: headerRow, left: 0, bottom: headerRow, right: width - 1 });
  const moneyAreas: RangeArea[] = [];
  if (sheet.rows.length > 0) {
    for (const c of textColumns) textAreas.push({ top: dataTop, left: c, bottom: dataBottom, right: c });
    for (const c of moneyColumns) moneyAreas.push({ top: dataTop, left: c, bottom: dataBottom, right: c });
  }
  return { name: sheet.name, tag: sheet.tag, width, height, values, headerRow, dataRows: sheet.rows.length, textAreas, moneyAreas };
}

/** The refusal both WorkbookPort implementations give when a user's sheet has the name we want. */
export function sheetOwnedByUser(name: string): WorkbookError {
  return new WorkbookError(
    "sheet-owned-by-user",
    `Your workbook already has a sheet called “${name}” that MTD Bridge did not create, so it was left untouched. ` +
      `Rename your sheet (right-click its tab and choose Rename), then try again.`,
  );
}

export { MONEY_FORMAT, TEXT_FORMAT };
