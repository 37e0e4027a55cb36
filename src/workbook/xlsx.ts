/**
 * `.xlsx` files ⇄ InMemoryWorkbook (Node only: the CLI, build scripts and tests). Cells, cached formula
 * results, error values and number formats come through ExcelJS. Defined names and document settings are
 * read from the package XML directly, because ExcelJS rebuilds names from cells and drops any that point at
 * `#REF!`, and it does not read add-in settings at all.
 */
import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { formatAddress, parseAddress } from "./address";
import type { SettingValue } from "./document-settings";
import { InMemoryWorkbook, type CellData } from "./in-memory";
import { EXCEL_ERRORS, GENERAL } from "./number-format";

/** Refuse archives big enough to suggest a mistake (or a zip bomb) before parsing them. */
const MAX_XLSX_BYTES = 50 * 1024 * 1024;
/** Written into every saved file so identical workbooks give identical bytes. */
const FIXED_DATE = new Date(Date.UTC(2025, 0, 1, 0, 0, 0));
const MS_PER_DAY = 86_400_000;

export class XlsxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "XlsxError";
  }
}

function decodeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#[0-9]+);/g, (_m, e: string) => {
    switch (e) {
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
      case "amp":
        return "&";
      default:
        return String.fromCodePoint(e.startsWith("#x") ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    }
  });
}

function encodeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function attribute(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeXml(m[1]!) : undefined;
}

/** Workbook-scoped names from xl/workbook.xml, `#REF!` ones included; built-in `_xlnm.` names skipped. */
function definedNamesOf(workbookXml: string): { name: string; refersTo: string }[] {
  const out: { name: string; refersTo: string }[] = [];
  const re = /<definedName\b([^>]*)>([\s\S]*?)<\/definedName>/g;
  for (let m = re.exec(workbookXml); m; m = re.exec(workbookXml)) {
    const attrs = m[1]!;
    const name = attribute(attrs, "name");
    if (!name || name.startsWith("_xlnm.") || attribute(attrs, "localSheetId") !== undefined) continue;
    out.push({ name, refersTo: `=${decodeXml(m[2]!)}` });
  }
  return out;
}

/** Document settings that Office stored for add-ins (xl/webextensions/webextension*.xml), ours only. */
function settingsOf(parts: string[]): [string, SettingValue][] {
  const out: [string, SettingValue][] = [];
  for (const xml of parts) {
    const re = /<we:property\b([^>]*)\/?>/g;
    for (let m = re.exec(xml); m; m = re.exec(xml)) {
      const name = attribute(m[1]!, "name");
      const raw = attribute(m[1]!, "value");
      if (!name || raw === undefined || !name.startsWith("mtd.")) continue;
      try {
        out.push([name, JSON.parse(raw) as SettingValue]);
      } catch {
        out.push([name, raw]);
      }
    }
  }
  return out;
}

function dateToSerial(d: Date, date1904: boolean): number {
  return Number((d.getTime() / MS_PER_DAY + 25569 - (date1904 ? 1462 : 0)).toPrecision(15));
}

type Result = ExcelJS.CellValue;

/** One ExcelJS cell value as what Excel's `Range.values` would report, plus its formula. */
function toCell(
  value: Result,
  numFmt: string | undefined,
  bold: boolean,
  formula: string | undefined,
  cachedResult: unknown,
  date1904: boolean,
): CellData | undefined {
  const base = { ...(numFmt && numFmt !== GENERAL ? { numberFormat: numFmt } : {}), ...(bold ? { bold: true } : {}) };
  const scalar = (v: unknown): Pick<CellData, "value" | "isError"> => {
    if (v === null || v === undefined) return { value: null };
    if (typeof v === "number") return { value: Number.isFinite(v) ? v : null };
    if (typeof v === "string" || typeof v === "boolean") return { value: v };
    if (v instanceof Date) return { value: dateToSerial(v, date1904) };
    if (typeof v === "object") {
      const o = v as { error?: unknown; richText?: { text: string }[]; text?: unknown };
      if (typeof o.error === "string") return EXCEL_ERRORS.has(o.error) ? { value: o.error, isError: true } : { value: "#VALUE!", isError: true };
      if (Array.isArray(o.richText)) return { value: o.richText.map((r) => r.text).join("") };
      if (typeof o.text === "string") return { value: o.text }; // hyperlink
    }
    return { value: null };
  };
  if (value !== null && typeof value === "object" && !(value instanceof Date) && ("formula" in value || "sharedFormula" in value)) {
    const f = formula ?? (value as { formula?: string }).formula;
    // ExcelJS leaves a falsy cached result (0, FALSE, "") out of `value`; the cell's `result` keeps it.
    const result = cachedResult !== undefined ? cachedResult : (value as { result?: unknown }).result;
    return { ...scalar(result), ...(f ? { formula: `=${f}` } : {}), ...base };
  }
  return { ...scalar(value), ...base };
}

/** Reads an .xlsx file (path or bytes) into an InMemoryWorkbook. */
export async function loadXlsx(source: string | Uint8Array): Promise<InMemoryWorkbook> {
  const bytes = typeof source === "string" ? await readFile(source) : Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  if (bytes.byteLength > MAX_XLSX_BYTES) throw new XlsxError(`The workbook is larger than ${MAX_XLSX_BYTES / 1024 / 1024} MB.`);
  let zip: JSZip;
  const book = new ExcelJS.Workbook();
  try {
    zip = await JSZip.loadAsync(bytes);
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (e) {
    throw new XlsxError("The file is not an Excel workbook (.xlsx) or it is damaged.", { cause: e });
  }
  const date1904 = book.properties.date1904 === true;
  const wb = new InMemoryWorkbook();
  wb.batch(() => {
    for (const ws of book.worksheets) {
      const sheet = wb.addSheet(ws.name);
      ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
          if (cell.type === ExcelJS.ValueType.Merge) return; // Excel reports merged-away cells as empty
          const isFormula = cell.type === ExcelJS.ValueType.Formula;
          const formula = isFormula ? cell.formula : undefined;
          const cached: unknown = isFormula ? (cell as unknown as { result?: unknown }).result : undefined;
          const data = toCell(cell.value, cell.numFmt, cell.font?.bold === true, formula || undefined, cached, date1904);
          if (data) sheet.setCell(rowNumber - 1, colNumber - 1, data);
        });
      });
      ws.columns?.forEach((col, i) => {
        if (typeof col.width === "number") sheet.setColumnWidth(i, col.width);
      });
      const frozen = (ws.views ?? []).find((v) => v.state === "frozen") as { ySplit?: number } | undefined;
      if (frozen?.ySplit) sheet.frozenRows = frozen.ySplit;
    }
    const active = ((book.views ?? [])[0] as { activeTab?: number } | undefined)?.activeTab;
    const activeSheet = active !== undefined ? book.worksheets[active] : undefined;
    if (activeSheet) wb.activateSheet(activeSheet.name);
  });
  const workbookXml = await zip.file("xl/workbook.xml")?.async("string");
  if (workbookXml === undefined) throw new XlsxError("The workbook has no xl/workbook.xml part; it is damaged.");
  for (const n of definedNamesOf(workbookXml)) {
    try {
      wb.defineName(n.name, n.refersTo);
    } catch {
      // A name Excel itself would not accept: leave it out rather than fail the whole file.
    }
  }
  for (const ws of book.worksheets) {
    for (const table of Object.values((ws as unknown as { tables?: Record<string, { table?: { ref?: string; tableRef?: string; name?: string } }> }).tables ?? {})) {
      const ref = table.table?.tableRef ?? table.table?.ref; // ExcelJS reads `tableRef`, writes from `ref`
      const parsed = ref ? parseAddress(ref) : undefined;
      if (parsed?.ok && table.table?.name) {
        try {
          wb.addTable(ws.name, parsed.value, table.table.name);
        } catch {
          // overlapping or misnamed tables in a damaged file are skipped
        }
      }
    }
  }
  const extensionParts = await Promise.all(
    Object.keys(zip.files)
      .filter((p) => /^xl\/webextensions\/webextension\d*\.xml$/.test(p))
      .sort()
      .map((p) => zip.file(p)!.async("string")),
  );
  for (const [k, v] of settingsOf(extensionParts)) wb.setDocumentSetting(k, v);
  return wb;
}

/**
 * Writes the workbook as .xlsx bytes: values, cached formula results, error values, number formats, bold,
 * frozen rows, tables and defined names (`#REF!` ones too). The output is byte-for-byte deterministic.
 * Document settings are not written (they belong to an installed add-in's part of the file).
 */
export async function saveXlsx(wb: InMemoryWorkbook): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "MTD Bridge";
  book.lastModifiedBy = "MTD Bridge";
  book.created = FIXED_DATE;
  book.modified = FIXED_DATE;
  const active = wb.activeSheet();
  for (const sheet of wb.sheets()) {
    const ws = book.addWorksheet(sheet.name, sheet.frozenRows > 0 ? { views: [{ state: "frozen", ySplit: sheet.frozenRows, xSplit: 0 }] } : {});
    for (const [column, width] of Object.entries(sheet.columnWidths())) ws.getColumn(Number(column) + 1).width = width;
    for (const { row, column, cell } of sheet.cells()) {
      const target = ws.getCell(row + 1, column + 1);
      const value: ExcelJS.CellValue = cell.isError
        ? { error: cell.value as ExcelJS.CellErrorValue["error"] }
        : (cell.value as string | number | boolean | null);
      target.value = cell.formula !== undefined ? { formula: cell.formula.replace(/^=/, ""), result: (value ?? undefined) as ExcelJS.CellFormulaValue["result"] } : value;
      if (cell.numberFormat) target.numFmt = cell.numberFormat;
      if (cell.bold) target.font = { bold: true };
    }
    for (const table of wb.tables().filter((t) => t.sheetId === sheet.id)) {
      const headers: string[] = [];
      for (let c = table.area.left; c <= table.area.right; c += 1) headers.push(String(sheet.getCell(table.area.top, c)?.value ?? `Column${c - table.area.left + 1}`));
      const rows: ExcelJS.CellValue[][] = [];
      for (let r = table.area.top + 1; r <= table.area.bottom; r += 1) {
        const cells: ExcelJS.CellValue[] = [];
        for (let c = table.area.left; c <= table.area.right; c += 1) cells.push(ws.getCell(r + 1, c + 1).value);
        rows.push(cells);
      }
      ws.addTable({
        name: table.name,
        ref: formatAddress({ top: table.area.top, left: table.area.left, bottom: table.area.top, right: table.area.left }),
        headerRow: true,
        columns: headers.map((name) => ({ name })),
        rows: rows.length > 0 ? rows : [headers.map(() => null)],
      });
    }
  }
  if (active) book.views = [{ activeTab: wb.sheets().indexOf(active), x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, visibility: "visible" }];
  const written = await book.xlsx.writeBuffer();
  const zip = await JSZip.loadAsync(written as ArrayBuffer);
  const workbookXml = await zip.file("xl/workbook.xml")!.async("string");
  const names = wb.names();
  const definedNames =
    names.length === 0
      ? ""
      : `<definedNames>${names.map((n) => `<definedName name="${encodeXml(n.name)}">${encodeXml(n.refersTo.replace(/^=/, ""))}</definedName>`).join("")}</definedNames>`;
  const withNames = workbookXml.replace(/<definedNames>[\s\S]*?<\/definedNames>|<definedNames\/>/, "").replace("</sheets>", `</sheets>${definedNames}`);
  const out = new JSZip();
  for (const path of Object.keys(zip.files).sort()) {
    const entry = zip.files[path]!;
    if (entry.dir) continue;
    const content = path === "xl/workbook.xml" ? withNames : await entry.async("uint8array");
    out.file(path, content, { date: FIXED_DATE, createFolders: false });
  }
  return out.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 9 }, platform: "UNIX" });
}
