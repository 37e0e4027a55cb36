/**
 * The review step's comparison with what HMRC already holds for this business and year. The relay's receipts
 * carry a hash of what was sent, not the figures, so the previous figures are HMRC's cumulative retrieve.
 */
import { buildPath, getEndpoint, type Nino, type Pence, type TaxYear } from "../../mtd";
import { RETRIEVE_ENDPOINT } from "../../workbook/quarterly-update";
import { diffAgainstLastSubmission, diffForeignAgainstLastSubmission, type SubmissionDiff } from "../../workbook/submission-diff";
import { RelayError, type RelayClient } from "../relay-client";
import type { Review } from "./state";

/** The diff against the last submission, or undefined when HMRC holds none for the year (it answers 404). */
export async function compareWithLastSubmission(
  relay: Pick<RelayClient, "hmrc">,
  input: { nino: Nino; taxYear: TaxYear; businessId: string },
  review: Review,
): Promise<SubmissionDiff | undefined> {
  const e = getEndpoint(RETRIEVE_ENDPOINT[review.type]);
  let previous: unknown;
  try {
    previous = (await relay.hmrc<unknown>("GET", buildPath(e, input))).body;
  } catch (err) {
    if (err instanceof RelayError && err.status === 404) return undefined;
    throw err;
  }
  if (review.type === "foreign-property") {
    const ids = [...new Set(review.rows.map((r) => r.entry).filter((id): id is string => id !== undefined))];
    const entries = ids.map((id) => {
      const rows = review.rows.filter((r) => r.entry === id);
      return {
        id,
        next: new Map<string, Pence>(rows.map((r) => [r.path, r.pence])),
        sources: new Map(rows.flatMap((r) => (r.address ? [[r.path, r.address] as const] : []))),
      };
    });
    return diffForeignAgainstLastSubmission({ taxYear: input.taxYear, previous, entries });
  }
  const next = new Map<string, Pence>(review.rows.map((r) => [r.path, r.pence]));
  const sources = new Map(review.rows.flatMap((r) => (r.address ? [[r.path, r.address] as const] : [])));
  return diffAgainstLastSubmission({ type: review.type, taxYear: input.taxYear, previous, next, sources });
}
