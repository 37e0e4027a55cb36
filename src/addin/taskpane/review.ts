/**
 * The review step's data: the year-to-date figures read from the workbook's named ranges for one quarter,
 * the payload built from them and HMRC's rules applied to it, with every problem tied to its cell.
 * Nothing is sent from here; submit.ts re-runs this immediately before sending.
 */
import {
  buildUkPropertyCumulative,
  describeErrorBody,
  UK_PROPERTY_CUMULATIVE_FIELDS,
  validateUkPropertyCumulative,
  type Quarter,
  type UkPropertyCumulativeBody,
} from "../../mtd";
import type { WorkbookPort } from "../../workbook/port";
import { readUkPropertyFigures } from "../../workbook/uk-property-figures";
import { fieldLabel, locateMessages } from "./model";
import type { Review, ReviewProblem, ReviewRow } from "./state";

export interface PreparedReview extends Review {
  /** The exact body that would be sent, present only when it passed validation and no cell blocks it. */
  readonly body: UkPropertyCumulativeBody | undefined;
}

export async function prepareReview(workbook: WorkbookPort, quarter: Quarter): Promise<PreparedReview> {
  const figures = await readUkPropertyFigures(workbook, { taxYear: quarter.taxYear, quarter: quarter.quarter });
  const rows: ReviewRow[] = [];
  for (const field of UK_PROPERTY_CUMULATIVE_FIELDS) {
    const pence = figures.amounts.get(field.path);
    if (pence === undefined) continue;
    rows.push({ path: field.path, label: fieldLabel(field.path), section: field.section, pence, address: figures.sources.get(field.path) });
  }
  const problems: ReviewProblem[] = figures.problems.map((p) => ({
    severity: p.severity,
    message: p.message,
    address: p.address,
  }));
  const body = buildUkPropertyCumulative({ fromDate: quarter.cumulativeStart, toDate: quarter.end, amounts: figures.amounts });
  const validation = validateUkPropertyCumulative(body);
  const payloadErrors = locateMessages(
    validation.length > 0 ? describeErrorBody(validation.length === 1 ? validation[0]! : { code: "INVALID_REQUEST", message: "Invalid request", errors: validation }) : [],
    figures.sources,
  );
  const canSubmit = payloadErrors.length === 0 && !problems.some((p) => p.severity === "error");
  return { rows, problems, payloadErrors, fromDate: quarter.cumulativeStart, toDate: quarter.end, canSubmit, body: canSubmit ? body : undefined };
}
