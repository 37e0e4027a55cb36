/**
 * What changed since the last submission for the same business and tax year, before the user sends again.
 * The relay's receipts record a hash of what was sent, not the body, so the previous figures come from HMRC's
 * cumulative retrieve for that business and year. HMRC's year-to-date figures normally only grow: a figure lower
 * than last time is a warning (a refund or a correction is legitimate), never a reason to block.
 */
import {
  amountsOf,
  fieldsFor,
  foreignPropertyEntryId,
  formatPounds,
  isIsoDate,
  type CumulativeAmounts,
  type CumulativeBusinessType,
  type IsoDate,
  type Pence,
  type TaxYear,
} from "../mtd";

export interface DiffRow {
  /** The foreign-property entry (country code or property ID) the field belongs to; absent for other types. */
  readonly entry?: string;
  /** Field path relative to the business object (`income.periodAmount`). */
  readonly path: string;
  readonly label: string;
  /** Last submission's year-to-date figure; undefined when it did not include the field. */
  readonly previous: Pence | undefined;
  /** The figure about to be sent; undefined when the workbook no longer supplies it. */
  readonly next: Pence | undefined;
  /** next − previous, absent figures counting as zero (a cumulative submission replaces the last one whole). */
  readonly change: Pence;
  /** The cell the new figure comes from. */
  readonly source: string | undefined;
  readonly lower: boolean;
}

export interface DiffWarning {
  readonly entry?: string;
  readonly path: string;
  readonly address: string | undefined;
  readonly message: string;
}

export interface SubmissionDiff {
  /** Every field in either submission, in HMRC's field order; unchanged fields included with change 0. */
  readonly rows: readonly DiffRow[];
  readonly warnings: readonly DiffWarning[];
  /** The end of the period the previous submission covered, when HMRC said. */
  readonly previousToDate: IsoDate | undefined;
}

export interface DiffInput {
  readonly type: Exclude<CumulativeBusinessType, "foreign-property">;
  readonly taxYear: TaxYear;
  /** HMRC's cumulative retrieve body for the business and year (the last submission as HMRC holds it). */
  readonly previous: unknown;
  readonly next: CumulativeAmounts;
  /** Field path → cell address the new figure was read from. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Where the business object sits in the retrieve body: UK property nests it; self-employment is the body. */
function businessObject(type: DiffInput["type"], body: unknown): unknown {
  if (type === "self-employment") return body;
  return typeof body === "object" && body !== null ? (body as { ukProperty?: unknown }).ukProperty : undefined;
}

function toDateOf(body: unknown): IsoDate | undefined {
  const v = typeof body === "object" && body !== null ? (body as { toDate?: unknown }).toDate : undefined;
  return isIsoDate(v) ? v : undefined;
}

/** One business object's fields, before and after; `entry` labels a foreign-property entry's rows. */
function diffObject(
  type: CumulativeBusinessType,
  taxYear: TaxYear,
  previousObject: unknown,
  next: CumulativeAmounts,
  sources: ReadonlyMap<string, string>,
  previousToDate: IsoDate | undefined,
  entry: string | undefined,
): { rows: DiffRow[]; warnings: DiffWarning[] } {
  const previous = amountsOf(type, taxYear, previousObject);
  const rows: DiffRow[] = [];
  const warnings: DiffWarning[] = [];
  const tag = entry === undefined ? {} : { entry };
  for (const { path, label } of fieldsFor(type, taxYear)) {
    const before = previous.get(path);
    const after = next.get(path);
    if (before === undefined && after === undefined) continue;
    const change = ((after ?? 0) - (before ?? 0)) as Pence;
    const source = sources.get(path);
    const lower = change < 0;
    rows.push({ ...tag, path, label, previous: before, next: after, change, source, lower });
    if (lower) {
      const where = source ? `${source} (${label}${entry ? `, ${entry}` : ""})` : `${label}${entry ? ` (${entry})` : ""}`;
      const since = previousToDate ? ` for the year to ${previousToDate}` : "";
      warnings.push({
        ...tag,
        path,
        address: source,
        message: `${where} is ${formatPounds((after ?? 0) as Pence)}, lower than the ${formatPounds(before ?? (0 as Pence))} sent last time${since}. Year-to-date figures normally only grow: check the cell is right before sending.`,
      });
    }
  }
  return { rows, warnings };
}

export function diffAgainstLastSubmission(input: DiffInput): SubmissionDiff {
  const previousToDate = toDateOf(input.previous);
  const { rows, warnings } = diffObject(input.type, input.taxYear, businessObject(input.type, input.previous), input.next, input.sources, previousToDate, undefined);
  return { rows, warnings, previousToDate };
}

export interface ForeignDiffInput {
  readonly taxYear: TaxYear;
  /** HMRC's foreign-property cumulative retrieve body: `{ toDate, foreignProperty: [{ countryCode | propertyId, … }] }`. */
  readonly previous: unknown;
  /** The entries about to be sent, by country code (2025-26) or property ID (2026-27 on). */
  readonly entries: ReadonlyArray<{ readonly id: string; readonly next: CumulativeAmounts; readonly sources: ReadonlyMap<string, string> }>;
}

/** The foreign-property diff, entry by entry; an entry sent last time and missing now shows every figure falling to nothing. */
export function diffForeignAgainstLastSubmission(input: ForeignDiffInput): SubmissionDiff {
  const previousToDate = toDateOf(input.previous);
  const idKey = foreignPropertyEntryId(input.taxYear) ?? "countryCode";
  const list = typeof input.previous === "object" && input.previous !== null ? (input.previous as { foreignProperty?: unknown }).foreignProperty : undefined;
  // By lower-case id (property IDs are UUIDs, whose case HMRC does not fix), keeping the id as HMRC wrote it.
  const previousEntries = new Map<string, { id: string; entry: unknown }>();
  if (Array.isArray(list)) {
    for (const e of list) {
      const id = typeof e === "object" && e !== null ? (e as Record<string, unknown>)[idKey] : undefined;
      if (typeof id === "string") previousEntries.set(id.toLowerCase(), { id, entry: e });
    }
  }
  const ids = [...input.entries.map((e) => e.id), ...[...previousEntries.entries()].filter(([k]) => !input.entries.some((e) => e.id.toLowerCase() === k)).map(([, v]) => v.id)];
  const rows: DiffRow[] = [];
  const warnings: DiffWarning[] = [];
  for (const id of ids) {
    const now = input.entries.find((e) => e.id.toLowerCase() === id.toLowerCase());
    const part = diffObject("foreign-property", input.taxYear, previousEntries.get(id.toLowerCase())?.entry, now?.next ?? new Map(), now?.sources ?? new Map(), previousToDate, id);
    rows.push(...part.rows);
    warnings.push(...part.warnings);
  }
  return { rows, warnings, previousToDate };
}
