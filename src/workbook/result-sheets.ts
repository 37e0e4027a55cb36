/**
 * Layouts of the sheets the add-in writes back (DESIGN.md §3 step 6) as plain tables: what to write, not how.
 * Identifiers and dates are text columns so Excel never re-reads them as numbers, dates or formulas.
 */
import {
  maskNino,
  maskNinosIn,
  penceToPounds,
  poundsToPence,
  type BissResponse,
  type CalculationRetrieveResponse,
  type ObligationDetail,
  type ObligationsResponse,
  type Receipt,
  type TypeOfBusiness,
} from "../mtd";
import type { CellScalar, SheetWrite } from "./port";

export const RECEIPTS_SHEET = "MTD Receipts";
export const BISS_SHEET = "MTD BISS";
export const RECEIPTS_TAG = "mtd-bridge:receipts";
export const BISS_TAG = "mtd-bridge:biss";

const RECEIPT_HEADER = [
  "Time (UTC)",
  "NINO",
  "Business ID",
  "Endpoint",
  "Request",
  "Tax year",
  "Period start",
  "Period end",
  "HMRC status",
  "Correlation ID",
  "HMRC reference",
  "Body SHA-256",
  "Receipt ID",
] as const;
const STATUS_COLUMN = RECEIPT_HEADER.indexOf("HMRC status");

/** `2025-08-01T10:15:03.123Z` → `2025-08-01 10:15:03`: readable, sortable, still exact to the second. */
function utcTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** One row per receipt, newest first; NINOs masked wherever they appear. */
export function receiptsSheet(receipts: readonly Receipt[]): SheetWrite {
  const sorted = [...receipts].sort((a, b) => (a.receivedAt === b.receivedAt ? a.id.localeCompare(b.id) : a.receivedAt < b.receivedAt ? 1 : -1));
  const rows: CellScalar[][] = sorted.map((r) => [
    utcTime(r.receivedAt),
    maskNino(r.nino),
    r.businessId ?? "",
    r.endpointId,
    maskNinosIn(`${r.method} ${r.path}`),
    r.taxYear ?? "",
    r.periodStart ?? "",
    r.periodEnd ?? "",
    r.status,
    r.correlationId ?? "",
    r.hmrcReference ?? "",
    r.bodySha256 ?? "",
    r.id,
  ]);
  return {
    name: RECEIPTS_SHEET,
    tag: RECEIPTS_TAG,
    preamble: [
      "Receipts for what MTD Bridge sent to HMRC (newest first). Keep them with your records.",
      "Quote the correlation ID if you contact HMRC about a submission.",
    ],
    header: RECEIPT_HEADER,
    rows,
    textColumns: RECEIPT_HEADER.map((_, i) => i).filter((i) => i !== STATUS_COLUMN),
  };
}

const BUSINESS_LABEL: Record<TypeOfBusiness, string> = {
  "self-employment": "self-employment",
  "uk-property": "UK property",
  "foreign-property": "foreign property",
  "property-unspecified": "property",
};

export interface BissSheetInput {
  readonly businessId: string;
  readonly taxYear: string;
  readonly typeOfBusiness: TypeOfBusiness;
  readonly biss: BissResponse;
  /** ISO timestamp of when HMRC answered. */
  readonly retrievedAt: string;
}

/** Amounts HMRC sent as JSON numbers, normalised through pence so the cell holds exactly two decimals. */
function money(pounds: number): number {
  return penceToPounds(poundsToPence(pounds));
}

/** One business's BISS as item/amount pairs, optional figures only when HMRC sent them. */
function bissItems(biss: BissResponse): [string, number][] {
  const rows: [string, number][] = [
    ["Income", money(biss.total.income)],
    ["Expenses", money(biss.total.expenses)],
  ];
  const optional: [string, number | undefined][] = [
    ["Additions", biss.total.additions],
    ["Deductions", biss.total.deductions],
    ["Accounting adjustments", biss.total.accountingAdjustments],
  ];
  for (const [label, v] of optional) if (v !== undefined) rows.push([label, money(v)]);
  rows.push(["Net profit", money(biss.profit.net)], ["Net loss", money(biss.loss.net)], ["Taxable profit", money(biss.profit.taxable)], ["Taxable loss", money(biss.loss.taxable)]);
  if (biss.profit.adjusted !== undefined) rows.push(["Adjusted profit", money(biss.profit.adjusted)]);
  if (biss.outstandingBusinessIncome !== undefined) rows.push(["Outstanding business income", money(biss.outstandingBusinessIncome)]);
  return rows;
}

export const BISS_HEADER = ["Business ID", "Business type", "Tax year", "Item", "Amount (£)", "Retrieved (UTC)"] as const;

/**
 * HMRC's Business Income Source Summaries, one block of item/amount rows per business and tax year, so a
 * landlord with a trade sees every business in one table; rewriting replaces the whole table.
 */
export function bissSheet(inputs: readonly BissSheetInput[]): SheetWrite {
  const rows = inputs.flatMap((input) =>
    bissItems(input.biss).map(([item, amount]) => [input.businessId, BUSINESS_LABEL[input.typeOfBusiness], input.taxYear, item, amount, utcTime(input.retrievedAt)]),
  );
  return {
    name: BISS_SHEET,
    tag: BISS_TAG,
    preamble: [
      "Business Income Source Summaries (BISS) from HMRC",
      "HMRC's year-to-date summary of the figures submitted so far, per business. It is not a tax calculation.",
      inputs.length === 0 ? "HMRC has no figures for your businesses yet: they appear after the first quarterly update." : `${inputs.length} business${inputs.length === 1 ? "" : "es"}.`,
    ],
    header: [...BISS_HEADER],
    rows,
    textColumns: [0, 1, 2, 3, 5],
    moneyColumns: [4],
  };
}

export const OBLIGATIONS_SHEET = "MTD Obligations";
export const OBLIGATIONS_TAG = "mtd-bridge:obligations";

const OBLIGATION_HEADER = ["Business type", "Business ID", "Period start", "Period end", "Due date", "Status", "Received"] as const;

/** HMRC says open or fulfilled; an open period past its due date is overdue for the person reading the sheet. */
export function obligationState(o: ObligationDetail, today: string): "open" | "fulfilled" | "overdue" {
  if (o.status === "fulfilled") return "fulfilled";
  return o.dueDate < today ? "overdue" : "open";
}

/** Every business's obligations, by business then period; status computed against `today` (ISO date). */
export function obligationsSheet(response: ObligationsResponse, today: string): SheetWrite {
  const rows: CellScalar[][] = [];
  const businesses = [...response.obligations].sort((a, b) => a.typeOfBusiness.localeCompare(b.typeOfBusiness) || a.businessId.localeCompare(b.businessId));
  for (const b of businesses) {
    const periods = [...b.obligationDetails].sort((x, y) => x.periodStartDate.localeCompare(y.periodStartDate));
    for (const o of periods) {
      rows.push([BUSINESS_LABEL[b.typeOfBusiness], b.businessId, o.periodStartDate, o.periodEndDate, o.dueDate, obligationState(o, today), o.receivedDate ?? ""]);
    }
  }
  return {
    name: OBLIGATIONS_SHEET,
    tag: OBLIGATIONS_TAG,
    preamble: ["Quarterly update deadlines from HMRC for all your businesses", `Status as of ${today}: overdue means open after its due date.`],
    header: OBLIGATION_HEADER,
    rows,
    textColumns: OBLIGATION_HEADER.map((_, i) => i),
  };
}

export const TAX_ESTIMATE_SHEET = "MTD Tax estimate";
export const TAX_ESTIMATE_TAG = "mtd-bridge:tax-estimate";

/** The latest period end HMRC has figures for: the date its in-year calculation runs to. */
function figuresUpTo(calc: CalculationRetrieveResponse): string {
  const ends = (calc.inputs?.incomeSources?.businessIncomeSources ?? []).flatMap((s) => (s.latestPeriodEndDate ? [s.latestPeriodEndDate] : []));
  return ends.length > 0 ? ends.reduce((a, b) => (a > b ? a : b)) : calc.metadata.periodTo;
}

/**
 * HMRC's minimum functionality standards require a disclaimer before an in-year estimate is shown; this is
 * the service guide's suggested wording (Tax calculations), preceded by saying plainly it is an estimate.
 */
export function taxEstimateDisclaimer(calc: CalculationRetrieveResponse): string {
  return `This is an estimate. This calculation is only based on information HMRC have received about your income and expenses to ${figuresUpTo(calc)}. This may change as we receive further information about you during the tax year.`;
}

/** HMRC's in-year calculation as a two-column table (item, pounds); its error messages when it has no result. */
export function taxEstimateSheet(calc: CalculationRetrieveResponse): SheetWrite {
  const rows: [string, number | string][] = [];
  // HMRC omits what does not apply; a figure that is not a number is left out rather than guessed.
  const add = (label: string, pounds: unknown) => {
    if (typeof pounds === "number" && Number.isFinite(pounds)) rows.push([label, money(pounds)]);
  };
  const tax = calc.calculation?.taxCalculation;
  if (tax) {
    const it = tax.incomeTax;
    add("Total income", it?.totalIncomeReceivedFromAllSources);
    add("Allowances and deductions", it?.totalAllowancesAndDeductions);
    add("Taxable income", it?.totalTaxableIncome);
    for (const band of it?.payPensionsProfit?.taxBands ?? []) {
      const on = typeof band.income === "number" ? ` on £${money(band.income).toFixed(2)}` : "";
      add(`Income tax: ${band.name} rate ${band.rate}%${on}`, band.taxAmount);
    }
    add("Income tax due", it?.totalIncomeTaxDue);
    add("Class 4 National Insurance", tax.nics?.class4Nics?.totalAmount ?? 0);
    add("Total Income Tax and NICs due", tax.totalIncomeTaxAndNicsDue);
  }
  for (const m of calc.messages?.errors ?? []) rows.push([`HMRC error ${m.id}: ${m.text}`, ""]);
  return {
    name: TAX_ESTIMATE_SHEET,
    tag: TAX_ESTIMATE_TAG,
    preamble: [
      taxEstimateDisclaimer(calc),
      `In-year tax estimate for ${calc.metadata.taxYear} from HMRC`,
      `Calculation ID ${calc.metadata.calculationId}${calc.metadata.calculationTimestamp ? `, calculated ${utcTime(calc.metadata.calculationTimestamp)} UTC` : ""}`,
    ],
    header: ["Item", "Amount (£)"],
    rows,
    textColumns: [0],
    moneyColumns: [1],
  };
}
