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
  ukPropertyField,
  type BusinessSummary,
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

export function ukPropertyBusinesses(list: readonly BusinessSummary[]): BusinessSummary[] {
  return list.filter((b) => b.typeOfBusiness === "uk-property");
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

/** `/ukProperty/income/periodAmount` → `income.periodAmount` (the workbook's field path), when it is a field. */
export function fieldPathOfPointer(pointer: string): string | undefined {
  const prefix = "/ukProperty/";
  if (!pointer.startsWith(prefix)) return undefined;
  return ukPropertyField(pointer.slice(prefix.length).split("/").join("."))?.path;
}

/** A plain label for a field: HMRC's description, which says what goes in it. */
export function fieldLabel(path: string): string {
  return ukPropertyField(path)?.description ?? path;
}

export interface LocatedMessage {
  readonly message: string;
  /** Cell addresses the message concerns (`Summary!C5`), when its paths map to named cells. */
  readonly cells: readonly string[];
  /** Field labels, for paths that map to fields. */
  readonly fields: readonly string[];
}

/** Ties each error's JSON pointers back to the workbook cells the figures came from. */
export function locateMessages(
  details: ReadonlyArray<{ message: string; paths: readonly string[] }>,
  sources: ReadonlyMap<string, string>,
): LocatedMessage[] {
  return details.map((d) => {
    const cells: string[] = [];
    const fields: string[] = [];
    for (const p of d.paths) {
      const path = fieldPathOfPointer(p);
      if (!path) continue;
      fields.push(fieldLabel(path));
      const address = sources.get(path);
      if (address && !cells.includes(address)) cells.push(address);
    }
    return { message: d.message, cells, fields };
  });
}
