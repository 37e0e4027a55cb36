import { editText, namesByCell, selectionBlock } from "../../src/workbench/grid";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";

describe("the workbench grid's model", () => {
  const wb = new InMemoryWorkbook();
  const income = wb.addSheet("Property income");
  const other = wb.addSheet("Other");
  income.enter(5, 1, 6300);
  income.enter(5, 5, "=SUM(B6:E6)");
  wb.defineName("MTD.UKP.income.periodAmount", "='Property income'!$B$6:$E$6");
  wb.defineName("Interest", "='Property income'!$F$23");
  wb.defineName("Elsewhere", "=Other!$A$1");
  wb.defineName("Broken", "=#REF!$A$1");

  it("finds every named cell of a sheet, and only that sheet's", () => {
    const names = namesByCell(wb, income);
    expect([...names.keys()].sort()).toEqual(["B6", "C6", "D6", "E6", "F23"]);
    expect(names.get("C6")).toEqual(["MTD.UKP.income.periodAmount"]);
    expect(names.get("F23")).toEqual(["Interest"]);
    expect([...namesByCell(wb, other).keys()]).toEqual(["A1"]);
  });

  it("shows a cell's formula for editing, else its value", () => {
    expect(editText(income, { row: 5, column: 1 })).toBe("6300");
    expect(editText(income, { row: 5, column: 5 })).toBe("=SUM(B6:E6)");
    expect(editText(income, { row: 0, column: 0 })).toBe("");
  });
});

describe("the workbench grid's selected block", () => {
  it.each([
    ["one cell", { row: 3, column: 1 }, { row: 3, column: 1 }, { top: 3, left: 1, bottom: 3, right: 1 }],
    ["Shift+Down ×3 from B4", { row: 3, column: 1 }, { row: 6, column: 1 }, { top: 3, left: 1, bottom: 6, right: 1 }],
    ["Shift+click up and left of the anchor", { row: 5, column: 4 }, { row: 2, column: 1 }, { top: 2, left: 1, bottom: 5, right: 4 }],
  ])("%s", (_label, anchor, active, block) => {
    expect(selectionBlock(anchor, active)).toEqual(block);
  });
});
