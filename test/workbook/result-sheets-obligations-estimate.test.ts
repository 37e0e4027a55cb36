import type { CalculationRetrieveResponse, ObligationsResponse } from "../../src/mtd";
import { InMemoryWorkbook } from "../../src/workbook/in-memory";
import {
  OBLIGATIONS_SHEET,
  obligationsSheet,
  TAX_ESTIMATE_SHEET,
  taxEstimateDisclaimer,
  taxEstimateSheet,
} from "../../src/workbook/result-sheets";

const obligations: ObligationsResponse = {
  obligations: [
    {
      typeOfBusiness: "uk-property",
      businessId: "XPIS12345678901",
      obligationDetails: [
        { periodStartDate: "2025-07-06", periodEndDate: "2025-10-05", dueDate: "2025-11-07", status: "open" },
        { periodStartDate: "2025-04-06", periodEndDate: "2025-07-05", dueDate: "2025-08-07", status: "fulfilled", receivedDate: "2025-08-01" },
        { periodStartDate: "2025-10-06", periodEndDate: "2026-01-05", dueDate: "2026-02-07", status: "open" },
      ],
    },
    {
      typeOfBusiness: "self-employment",
      businessId: "XAIS00000000001",
      obligationDetails: [{ periodStartDate: "2025-04-06", periodEndDate: "2025-07-05", dueDate: "2025-08-07", status: "open" }],
    },
  ],
};

describe("obligationsSheet", () => {
  const sheet = obligationsSheet(obligations, "2025-11-21");
  const col = (name: string) => sheet.header.indexOf(name);

  test("every business, by type then period, with open / fulfilled / overdue against today", () => {
    expect(sheet.name).toBe(OBLIGATIONS_SHEET);
    expect(sheet.rows.map((r) => [r[col("Business type")], r[col("Period start")], r[col("Status")], r[col("Received")]])).toEqual([
      ["self-employment", "2025-04-06", "overdue", ""],
      ["UK property", "2025-04-06", "fulfilled", "2025-08-01"],
      ["UK property", "2025-07-06", "overdue", ""],
      ["UK property", "2025-10-06", "open", ""],
    ]);
  });

  test("an open period due today is still open", () => {
    const onDueDay = obligationsSheet(obligations, "2025-11-07");
    expect(onDueDay.rows.find((r) => r[col("Due date")] === "2025-11-07")![col("Status")]).toBe("open");
  });

  test("written as text so Excel keeps business IDs and dates exactly; a re-run replaces the sheet in place", async () => {
    const wb = new InMemoryWorkbook();
    wb.addSheet("Records");
    await wb.writeSheet(sheet);
    await wb.writeSheet(obligationsSheet({ obligations: [obligations.obligations[1]!] }, "2025-11-21"));
    const ws = wb.getSheet(OBLIGATIONS_SHEET)!;
    const headerRow = sheet.preamble!.length + 1;
    expect(ws.getCell(headerRow + 1, col("Business ID"))).toEqual({ value: "XAIS00000000001", numberFormat: "@" });
    expect(ws.getCell(headerRow + 1, col("Due date"))).toEqual({ value: "2025-08-07", numberFormat: "@" });
    expect(ws.getCell(headerRow + 2, 0)?.value ?? null).toBeNull();
  });
});

const calc: CalculationRetrieveResponse = {
  metadata: {
    calculationId: "f2fb30e5-4ab6-4a29-b3c1-c7264259ff1c",
    taxYear: "2025-26",
    calculationType: "in-year",
    calculationTimestamp: "2025-11-21T09:30:12.000Z",
    periodFrom: "2025-04-06",
    periodTo: "2026-04-05",
  },
  inputs: {
    incomeSources: {
      businessIncomeSources: [
        { incomeSourceId: "XPIS12345678901", latestPeriodEndDate: "2025-10-05" },
        { incomeSourceId: "XAIS00000000001", latestPeriodEndDate: "2025-07-05" },
      ],
    },
  },
  calculation: {
    taxCalculation: {
      incomeTax: {
        totalIncomeReceivedFromAllSources: 30000,
        totalAllowancesAndDeductions: 12570,
        totalTaxableIncome: 17430,
        payPensionsProfit: { taxBands: [{ name: "BRT", rate: 20, income: 17430, taxAmount: 3486 }] },
        totalIncomeTaxDue: 3486,
      },
      nics: { class4Nics: { totalAmount: 1041.3 } },
      totalIncomeTaxAndNicsDue: 4527.3,
    },
  },
};

describe("taxEstimateSheet", () => {
  test("HMRC's disclaimer comes first, dated to the latest period HMRC has figures for", () => {
    const sheet = taxEstimateSheet(calc);
    expect(sheet.name).toBe(TAX_ESTIMATE_SHEET);
    expect(sheet.preamble![0]).toBe(taxEstimateDisclaimer(calc));
    expect(sheet.preamble![0]).toMatch(/^This is an estimate\. This calculation is only based on information HMRC have received about your income and expenses to 2025-10-05\. This may change/);
    expect(sheet.preamble!.join("\n")).toContain("f2fb30e5-4ab6-4a29-b3c1-c7264259ff1c");
    expect(sheet.preamble!.join("\n")).toContain("2025-11-21 09:30:12");
  });

  test("income, allowances, taxable income, tax by band, Class 4 and the total, in pounds", () => {
    expect(taxEstimateSheet(calc).rows).toEqual([
      ["Total income", 30000],
      ["Allowances and deductions", 12570],
      ["Taxable income", 17430],
      ["Income tax: BRT rate 20% on £17430.00", 3486],
      ["Income tax due", 3486],
      ["Class 4 National Insurance", 1041.3],
      ["Total Income Tax and NICs due", 4527.3],
    ]);
  });

  test("a calculation with errors and no result lists HMRC's messages instead", () => {
    const failed: CalculationRetrieveResponse = { metadata: calc.metadata, messages: { errors: [{ id: "C55001", text: "Bad figures" }] } };
    const sheet = taxEstimateSheet(failed);
    expect(sheet.rows).toEqual([["HMRC error C55001: Bad figures", ""]]);
    // no period ends: the disclaimer falls back to the calculation's period
    expect(sheet.preamble![0]).toContain("to 2026-04-05.");
  });

  test("figures HMRC left out are left out, not written as zero or NaN", () => {
    const partial = JSON.parse(JSON.stringify(calc)) as CalculationRetrieveResponse;
    const it = partial.calculation!.taxCalculation!.incomeTax as unknown as Record<string, unknown>;
    delete it.totalAllowancesAndDeductions;
    delete it.totalIncomeTaxDue;
    const labels = taxEstimateSheet(partial).rows.map((r) => r[0]);
    expect(labels).not.toContain("Allowances and deductions");
    expect(labels).not.toContain("Income tax due");
    expect(labels).toContain("Taxable income");
  });

  test("writes as a formatted table with money columns", async () => {
    const wb = new InMemoryWorkbook();
    wb.addSheet("Records");
    const sheet = taxEstimateSheet(calc);
    await wb.writeSheet(sheet);
    const ws = wb.getSheet(TAX_ESTIMATE_SHEET)!;
    const first = sheet.preamble!.length + 1 + 1;
    expect(ws.getCell(first, 1)).toMatchObject({ value: 30000, numberFormat: "#,##0.00" });
    expect(ws.getCell(0, 0)?.value).toBe(taxEstimateDisclaimer(calc));
  });
});
