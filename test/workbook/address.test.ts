import {
  cellName,
  columnIndex,
  columnName,
  formatAddress,
  formatSheetName,
  MAX_COLUMNS,
  MAX_ROWS,
  parseAddress,
  parseCellName,
  sheetNameProblem,
  withoutSheet,
} from "../../src/workbook/address";
import { formatCellText, isDateFormat, isoDateToSerial, serialToIsoDate } from "../../src/workbook/number-format";

describe("columns", () => {
  test.each([
    [0, "A"],
    [25, "Z"],
    [26, "AA"],
    [701, "ZZ"],
    [702, "AAA"],
    [MAX_COLUMNS - 1, "XFD"],
  ])("column %i is %s and back", (index, letters) => {
    expect(columnName(index)).toBe(letters);
    expect(columnIndex(letters)).toBe(index);
    expect(columnIndex(letters.toLowerCase())).toBe(index);
  });

  test("columns outside Excel's grid are refused", () => {
    expect(columnIndex("XFE")).toBeUndefined();
    expect(columnIndex("A1")).toBeUndefined();
    expect(() => columnName(MAX_COLUMNS)).toThrow(RangeError);
    expect(() => columnName(-1)).toThrow(RangeError);
  });
});

describe("cells", () => {
  test("names and positions", () => {
    expect(cellName(3, 1)).toBe("B4");
    expect(cellName(3, 1, true)).toBe("$B$4");
    expect(parseCellName("$B$4")).toEqual({ row: 3, column: 1 });
    expect(parseCellName("b4")).toEqual({ row: 3, column: 1 });
    expect(parseCellName("A0")).toBeUndefined();
    expect(parseCellName(`A${MAX_ROWS + 1}`)).toBeUndefined();
    expect(parseCellName("B4:C5")).toBeUndefined();
  });
});

describe("parseAddress", () => {
  test.each([
    ["B4", { top: 3, left: 1, bottom: 3, right: 1 }],
    ["=Sheet1!$B$4:$E$4", { sheet: "Sheet1", top: 3, left: 1, bottom: 3, right: 4 }],
    ["'Property income'!$B$6:$B$9", { sheet: "Property income", top: 5, left: 1, bottom: 8, right: 1 }],
    ["'Bob''s flat'!A1", { sheet: "Bob's flat", top: 0, left: 0, bottom: 0, right: 0 }],
    ["Sheet1!C5:B4", { sheet: "Sheet1", top: 3, left: 1, bottom: 4, right: 2 }],
    ["Data!A:B", { sheet: "Data", top: 0, left: 0, bottom: MAX_ROWS - 1, right: 1 }],
    ["Data!$3:$5", { sheet: "Data", top: 2, left: 0, bottom: 4, right: MAX_COLUMNS - 1 }],
  ])("%s", (text, expected) => {
    expect(parseAddress(text)).toEqual({ ok: true, value: expected });
  });

  test.each(["", "=#REF!", "Sheet1!#REF!", "=#REF!$B$4", "A1,B2", "XFE1", "A0", "My Sheet!A1", "'Unclosed!A1", "=SUM(A1:A2)", "Sheet1!", "'a/b'!A1"])(
    "refuses %j",
    (text) => {
      expect(parseAddress(text).ok).toBe(false);
    },
  );
});

describe("formatting addresses", () => {
  test("sheet names are quoted only when Excel needs it", () => {
    expect(formatSheetName("Sheet1")).toBe("Sheet1");
    expect(formatSheetName("Property income")).toBe("'Property income'");
    expect(formatSheetName("Bob's")).toBe("'Bob''s'");
    expect(formatSheetName("A1")).toBe("'A1'");
    expect(formatSheetName("R1C1")).toBe("'R1C1'");
    expect(formatSheetName("2025")).toBe("'2025'");
    expect(formatSheetName("Rents-2025")).toBe("'Rents-2025'");
  });

  test("ranges, single cells, absolute refs and whole columns", () => {
    expect(formatAddress({ sheet: "Property income", top: 5, left: 1, bottom: 5, right: 4 })).toBe("'Property income'!B6:E6");
    expect(formatAddress({ sheet: "S", top: 5, left: 1, bottom: 5, right: 4 }, { absolute: true })).toBe("S!$B$6:$E$6");
    expect(formatAddress({ top: 0, left: 0, bottom: 0, right: 0 })).toBe("A1");
    expect(formatAddress({ sheet: "S", top: 0, left: 2, bottom: MAX_ROWS - 1, right: 2 })).toBe("S!C:C");
    expect(withoutSheet("'Property income'!B7")).toBe("B7");
  });

  test("format and parse are inverse", () => {
    for (const text of ["'My sheet'!B4:E4", "S!$A$1", "'Bob''s'!C3", "'A1'!D9:D12"]) {
      const parsed = parseAddress(text);
      if (!parsed.ok) throw new Error(parsed.error);
      expect(formatAddress(parsed.value, { absolute: text.includes("$") })).toBe(text);
    }
  });

  test("sheet names Excel refuses", () => {
    expect(sheetNameProblem("MTD Receipts")).toBeUndefined();
    expect(sheetNameProblem("")).toMatch(/empty/);
    expect(sheetNameProblem("x".repeat(32))).toMatch(/31/);
    expect(sheetNameProblem("a:b")).toMatch(/characters/);
    expect(sheetNameProblem("'quoted")).toMatch(/apostrophe/);
    expect(sheetNameProblem("History")).toMatch(/reserves/);
  });
});

describe("number formats", () => {
  test.each([
    ["dd/mm/yyyy", true],
    ["d-mmm-yy", true],
    ["yyyy-mm-dd", true],
    ["[h]:mm", true],
    ["hh:mm:ss", true],
    ["General", false],
    ["@", false],
    ["#,##0.00", false],
    ["[Red]#,##0.00;-#,##0.00", false],
    ['"Day "0', false],
    ["£#,##0.00", false],
    ["0.00%", false],
  ])("%s is a date format: %s", (format, expected) => {
    expect(isDateFormat(format)).toBe(expected);
  });

  test("displayed text", () => {
    expect(formatCellText(1234.5, "#,##0.00")).toBe("1,234.50");
    expect(formatCellText(-1234.5, "£#,##0.00")).toBe("-£1,234.50");
    expect(formatCellText(0.125, "0.0%")).toBe("12.5%");
    expect(formatCellText(45753, "dd/mm/yyyy")).toBe("06/04/2025");
    expect(formatCellText(45753, "yyyy-mm-dd")).toBe("2025-04-06");
    expect(formatCellText(0.1 + 0.2, "General")).toBe("0.3");
    expect(formatCellText(true, "General")).toBe("TRUE");
    expect(formatCellText(null, "0.00")).toBe("");
    expect(serialToIsoDate(1)).toBe("1900-01-01");
    expect(serialToIsoDate(61)).toBe("1900-03-01");
    expect(isoDateToSerial("1900-01-01")).toBe(1);
    expect(isoDateToSerial("2025-04-06")).toBe(45753);
  });
});
