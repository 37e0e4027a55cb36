import { err, ok, type Result } from "./result";

declare const isoDateBrand: unique symbol;
/** A calendar date as HMRC writes it, `YYYY-MM-DD`, always a real day. */
export type IsoDate = string & { readonly [isoDateBrand]: true };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(input: unknown): Result<IsoDate> {
  if (typeof input !== "string") return err("A date must be text in the form YYYY-MM-DD.");
  const m = ISO_DATE.exec(input);
  if (!m) return err(`"${input.slice(0, 20)}" is not a date in the form YYYY-MM-DD.`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return err(`${input} is not a real calendar date.`);
  }
  return ok(input as IsoDate);
}

export function isIsoDate(input: unknown): input is IsoDate {
  return parseIsoDate(input).ok;
}

/** Builds a date from numbers known to be valid (month 1-12). */
export function isoDate(year: number, month: number, day: number): IsoDate {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.toISOString().slice(0, 10) as IsoDate;
}

/** Today's date in UTC; `now` is injectable so tests and the sandbox can pin the clock. */
export function todayIso(now: Date = new Date()): IsoDate {
  return now.toISOString().slice(0, 10) as IsoDate;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10) as IsoDate;
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** ISO dates compare correctly as strings; this names the intent. */
export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Excel's 1900 date system serial (with its 1900 leap-year bug) to an ISO date. */
export function excelSerialToIsoDate(serial: number, date1904 = false): IsoDate | undefined {
  if (!Number.isFinite(serial) || serial < 1) return undefined;
  const whole = Math.floor(serial);
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  const days = date1904 ? whole : whole;
  return new Date(epoch + days * 86_400_000).toISOString().slice(0, 10) as IsoDate;
}
