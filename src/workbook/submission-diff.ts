/**
 * What changed since the last submission for the same business and tax year, before the user sends again.
 * The relay's receipts record a hash of what was sent, not the body, so the previous figures come from HMRC's
 * cumulative retrieve for that business and year. HMRC's year-to-date figures normally only grow: a figure lower
 * than last time is a warning (a refund or a correction is legitimate), never a reason to block.
 */
import {
  amountsOf,
  fieldsFor,
  formatPounds,
  isIsoDate,
  type CumulativeAmounts,
  type CumulativeBusinessType,
  type IsoDate,
  type Pence,
  type TaxYear,
} from "../mtd";

export interface DiffRow {
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

export function diffAgainstLastSubmission(input: DiffInput): SubmissionDiff {
  const previous = amountsOf(input.type, input.taxYear, businessObject(input.type, input.previous));
  const previousToDate = toDateOf(input.previous);
  const rows: DiffRow[] = [];
  const warnings: DiffWarning[] = [];
  for (const { path, label } of fieldsFor(input.type, input.taxYear)) {
    const before = previous.get(path);
    const after = input.next.get(path);
    if (before === undefined && after === undefined) continue;
    const change = ((after ?? 0) - (before ?? 0)) as Pence;
    const source = input.sources.get(path);
    const lower = change < 0;
    rows.push({ path, label, previous: before, next: after, change, source, lower });
    if (lower) {
      const where = source ? `${source} (${label})` : label;
      const since = previousToDate ? ` for the year to ${previousToDate}` : "";
      warnings.push({
        path,
        address: source,
        message: `${where} is ${formatPounds((after ?? 0) as Pence)}, lower than the ${formatPounds(before ?? (0 as Pence))} sent last time${since}. Year-to-date figures normally only grow: check the cell is right before sending.`,
      });
    }
  }
  return { rows, warnings, previousToDate };
}
