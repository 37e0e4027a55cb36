/**
 * Pure decisions behind the task pane's steps: which tax years to offer, which businesses and periods can
 * be chosen, how HMRC's error paths find their way back to cells. No DOM, no network: unit-tested in Node.
 */
import {
  addDays,
  compareDates,
  isIsoDate,
  parseTaxYear,
  quarterEndingOn,
  taxYearFromStartYear,
  taxYearOf,
  taxYearStartYear,
  type BusinessSummary,
  type CumulativeBusinessType,
  type IsoDate,
  type ObligationsResponse,
  type Quarter,
  type TaxYear,
} from "../../mtd";

/** Cumulative quarterly updates exist from 2025-26 (Property Business 6.0). */
export const FIRST_CUMULATIVE_TAX_YEAR = "2025-26" as TaxYear;

/** The tax year `today` falls in, but never earlier than the first year this product files for. */
export function defaultTaxYear(today: IsoDate): TaxYear {
  const current = taxYearOf(today);
  return taxYearStartYear(current) < taxYearStartYear(FIRST_CUMULATIVE_TAX_YEAR) ? FIRST_CUMULATIVE_TAX_YEAR : current;
}

/** Years offered in the picker: from 2025-26 to the current one, newest first. */
export function taxYearChoices(today: IsoDate): TaxYear[] {
  const last = taxYearStartYear(defaultTaxYear(today));
  const out: TaxYear[] = [];
  for (let y = last; y >= taxYearStartYear(FIRST_CUMULATIVE_TAX_YEAR); y--) out.push(taxYearFromStartYear(y));
  return out;
}

/** A stored tax year if it is one we can file for, else the default. */
export function chooseTaxYear(stored: string | undefined, today: IsoDate): TaxYear {
  const parsed = parseTaxYear(stored);
  if (parsed.ok && taxYearChoices(today).includes(parsed.value)) return parsed.value;
  return defaultTaxYear(today);
}

/** A business MTD Bridge can send quarterly updates for: self-employment, UK or foreign property. */
export type UpdatableBusiness = BusinessSummary & { readonly typeOfBusiness: CumulativeBusinessType };

const TYPE_ORDER: readonly CumulativeBusinessType[] = ["self-employment", "uk-property", "foreign-property"];

/** The businesses quarterly updates are sent for, trades first, then property; by name within a type. */
export function updatableBusinesses(list: readonly BusinessSummary[]): UpdatableBusiness[] {
  return list
    .filter((b): b is UpdatableBusiness => (TYPE_ORDER as readonly string[]).includes(b.typeOfBusiness))
    .sort((a, b) => TYPE_ORDER.indexOf(a.typeOfBusiness) - TYPE_ORDER.indexOf(b.typeOfBusiness) || (a.tradingName ?? "").localeCompare(b.tradingName ?? ""));
}

/** The business chosen in the Business step, once HMRC's list has it. */
export function chosenBusiness(state: { readonly businesses: { readonly status: string; readonly value?: readonly UpdatableBusiness[] }; readonly businessId?: string }): UpdatableBusiness | undefined {
  if (state.businesses.status !== "ready" || !state.businessId) return undefined;
  return state.businesses.value?.find((b) => b.businessId === state.businessId);
}

const TYPE_NAMES: Readonly<Record<CumulativeBusinessType, string>> = {
  "self-employment": "self-employment",
  "uk-property": "UK property",
  "foreign-property": "foreign property",
};

/** `Corner shop (self-employment)`, `UK property business`. */
export function businessName(b: UpdatableBusiness): string {
  return b.tradingName ? `${b.tradingName} (${TYPE_NAMES[b.typeOfBusiness]})` : `${TYPE_NAMES[b.typeOfBusiness].replace(/^./, (c) => c.toUpperCase())} business`;
}

/** One open period the user can pick. */
export interface OpenPeriod {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly due: IsoDate;
  readonly overdue: boolean;
  /** The quarter this period closes (undefined when its end is not a quarter end we know). */
  readonly quarter: Quarter | undefined;
  /** First day HMRC accepts the update (10 days before the period ends). */
  readonly availableFrom: IsoDate;
  readonly canSubmit: boolean;
}

/** HMRC accepts an update from 10 days before its period ends (RULE_EARLY_DATA_SUBMISSION_NOT_ACCEPTED). */
export const EARLY_SUBMISSION_DAYS = 10;

/** The open obligations of one business in one tax year, oldest first. Malformed entries are dropped. */
export function openPeriods(response: ObligationsResponse | undefined, businessId: string, taxYear: TaxYear, today: IsoDate): OpenPeriod[] {
  const out: OpenPeriod[] = [];
  for (const group of response?.obligations ?? []) {
    if (group.businessId !== businessId) continue;
    for (const o of group.obligationDetails ?? []) {
      if (o.status !== "open" || !isIsoDate(o.periodStartDate) || !isIsoDate(o.periodEndDate) || !isIsoDate(o.dueDate)) continue;
      if (taxYearOf(o.periodEndDate) !== taxYear) continue;
      const availableFrom = addDays(o.periodEndDate, -EARLY_SUBMISSION_DAYS);
      const quarter = quarterEndingOn(taxYear, o.periodEndDate);
      out.push({
        start: o.periodStartDate,
        end: o.periodEndDate,
        due: o.dueDate,
        overdue: compareDates(o.dueDate, today) < 0,
        quarter,
        availableFrom,
        canSubmit: quarter !== undefined && compareDates(availableFrom, today) <= 0,
      });
    }
  }
  return out.sort((a, b) => compareDates(a.end, b.end));
}

/** `6 Apr 2026` */
export function formatDate(date: IsoDate): string {
  const d = new Date(`${date}T00:00:00Z`);
  return d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

export interface LocatedMessage {
  readonly message: string;
  /** Cell addresses the message concerns (`Summary!C5`), when its paths map to named cells. */
  readonly cells: readonly string[];
  /** Field labels, for paths that map to fields. */
  readonly fields: readonly string[];
}

/** What an HMRC error path can be tied to: the figures sent, by JSON pointer into the body. */
export interface PointedFigure {
  readonly pointer: string;
  readonly label: string;
  readonly address: string | undefined;
}

/**
 * Ties each error's JSON pointers back to the workbook cells the figures came from: a pointer at a figure
 * names its cell, a pointer at an object (HMRC points RULE_BOTH_EXPENSES_SUPPLIED at `/periodExpenses`) names
 * every figure inside it.
 */
export function locateMessages(details: ReadonlyArray<{ message: string; paths: readonly string[] }>, figures: readonly PointedFigure[]): LocatedMessage[] {
  return details.map((d) => {
    const cells: string[] = [];
    const fields: string[] = [];
    for (const p of d.paths) {
      if (p === "") continue;
      for (const f of figures) {
        if (f.pointer !== p && !f.pointer.startsWith(`${p}/`)) continue;
        if (!fields.includes(f.label)) fields.push(f.label);
        if (f.address && !cells.includes(f.address)) cells.push(f.address);
      }
    }
    return { message: d.message, cells, fields };
  });
}
