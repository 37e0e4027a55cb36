import type { BissResponse, Receipt } from "../../src/mtd";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import { BISS_SHEET, bissSheet, RECEIPTS_SHEET, receiptsSheet } from "../../src/workbook/result-sheets";
import { layoutSheet } from "../../src/workbook/sheet-layout";

function receipt(overrides: Partial<Receipt>): Receipt {
  return {
    id: "rcpt-1",
    receivedAt: "2025-08-01T10:15:03.123Z",
    userId: "user-1",
    nino: "AA123456A",
    businessId: "XPIS12345678901",
    endpointId: "property-uk-cumulative-amend",
    method: "PUT",
    path: "/individuals/business/property/uk/AA123456A/XPIS12345678901/cumulative/2025-26",
    taxYear: "2025-26",
    periodStart: "2025-04-06",
    periodEnd: "2025-07-05",
    bodySha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    status: 204,
    correlationId: "0123-abcd",
    hmrcReference: null,
    ...overrides,
  };
}

describe("receiptsSheet", () => {
  const older = receipt({ id: "rcpt-0", receivedAt: "2025-07-01T09:00:00.000Z", status: 422, businessId: null, periodStart: null, periodEnd: null });
  const newer = receipt({});
  const sheet = receiptsSheet([older, newer]);

  test("one row per receipt, newest first, identifiers as text columns", () => {
    expect(sheet.name).toBe(RECEIPTS_SHEET);
    expect(sheet.rows.map((r) => r[sheet.header.indexOf("Receipt ID")])).toEqual(["rcpt-1", "rcpt-0"]);
    const status = sheet.header.indexOf("HMRC status");
    expect(sheet.rows.map((r) => r[status])).toEqual([204, 422]);
    expect(sheet.textColumns).toEqual(sheet.header.map((_, i) => i).filter((i) => i !== status));
    expect(sheet.rows[0]![0]).toBe("2025-08-01 10:15:03");
  });

  test("NINOs are masked everywhere, including inside the request path", () => {
    const text = JSON.stringify(sheet);
    expect(text).not.toContain("AA123456A");
    expect(sheet.rows[0]![sheet.header.indexOf("NINO")]).toBe("AA****56A");
    expect(sheet.rows[0]![sheet.header.indexOf("Request")]).toBe("PUT /individuals/business/property/uk/AA****56A/XPIS12345678901/cumulative/2025-26");
  });

  test("missing values are blank cells and the layout is valid", async () => {
    const old = sheet.rows[1]!;
    expect(old[sheet.header.indexOf("Business ID")]).toBe("");
    expect(old[sheet.header.indexOf("HMRC reference")]).toBe("");
    expect(() => layoutSheet(sheet)).not.toThrow();
    const wb = new InMemoryWorkbook();
    wb.addSheet("Records");
    await wb.writeSheet(sheet);
    const ws = wb.getSheet(RECEIPTS_SHEET)!;
    const dataRow = 4;
    // dates and IDs that Excel would otherwise turn into numbers stay exactly as HMRC sent them
    expect(ws.getCell(dataRow, sheet.header.indexOf("Period start"))).toEqual({ value: "2025-04-06", numberFormat: "@" });
    expect(ws.getCell(dataRow, sheet.header.indexOf("Correlation ID"))).toEqual({ value: "0123-abcd", numberFormat: "@" });
    expect(ws.getCell(dataRow, sheet.header.indexOf("HMRC status"))).toEqual({ value: 204 });
  });

  test("an empty list still gives a valid sheet", () => {
    expect(() => layoutSheet(receiptsSheet([]))).not.toThrow();
  });
});

describe("bissSheet", () => {
  const biss: BissResponse = { total: { income: 11890, expenses: 2751.39, additions: 0 }, profit: { net: 9138.61, taxable: 9138.61 }, loss: { net: 0, taxable: 0 } };
  const ukp = { businessId: "XPIS12345678901", taxYear: "2025-26", typeOfBusiness: "uk-property" as const, biss, retrievedAt: "2025-08-02T08:00:00Z" };
  const sheet = bissSheet([ukp]);

  test("HMRC's summary as business/item/amount rows with a money column", () => {
    expect(sheet.name).toBe(BISS_SHEET);
    expect(sheet.name.length).toBeLessThanOrEqual(31);
    expect(sheet.header).toEqual(["Business ID", "Business type", "Tax year", "Item", "Amount (£)", "Retrieved (UTC)"]);
    expect(sheet.rows.map((r) => [r[0], r[1], r[2], r[3], r[4]])).toEqual(
      [
        ["Income", 11890],
        ["Expenses", 2751.39],
        ["Additions", 0],
        ["Net profit", 9138.61],
        ["Net loss", 0],
        ["Taxable profit", 9138.61],
        ["Taxable loss", 0],
      ].map(([item, amount]) => ["XPIS12345678901", "UK property", "2025-26", item, amount]),
    );
    expect(sheet.moneyColumns).toEqual([4]);
    expect(sheet.textColumns).toEqual([0, 1, 2, 3, 5]);
    expect(sheet.preamble!.join("\n")).toMatch(/not a tax calculation/);
    expect(() => layoutSheet(sheet)).not.toThrow();
  });

  test("every business in one table, optional figures only when HMRC sent them", () => {
    const se = {
      businessId: "XAIS12345678901",
      taxYear: "2025-26",
      typeOfBusiness: "self-employment" as const,
      biss: { ...biss, total: { ...biss.total, deductions: 10.1, accountingAdjustments: -5 }, profit: { ...biss.profit, adjusted: 9000 }, outstandingBusinessIncome: 12.3 },
      retrievedAt: "2025-08-02T08:00:00Z",
    };
    const both = bissSheet([ukp, se]);
    expect(both.rows.filter((r) => r[0] === "XAIS12345678901").map((r) => r[3])).toEqual([
      "Income",
      "Expenses",
      "Additions",
      "Deductions",
      "Accounting adjustments",
      "Net profit",
      "Net loss",
      "Taxable profit",
      "Taxable loss",
      "Adjusted profit",
      "Outstanding business income",
    ]);
    expect(both.rows.filter((r) => r[0] === "XPIS12345678901")).toHaveLength(7);
    expect(() => layoutSheet(both)).not.toThrow();
    expect(bissSheet([]).preamble!.join(" ")).toMatch(/no figures for your businesses yet/);
  });
});
