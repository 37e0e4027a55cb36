/**
 * Sending one quarterly (cumulative) update for any business type (DESIGN §3): re-read and re-validate the
 * figures, PUT them through the relay, then record what happened in the workbook — the relay's receipts in
 * "MTD Receipts", HMRC's income summary for every business in "MTD BISS" and every business's deadlines in
 * "MTD Obligations". Progress is reported step by step; once HMRC has accepted the update, later failures are
 * warnings, never a reason to send again.
 */
import { buildPath, getEndpoint, type IsoDate, type Nino, type Quarter, type TaxYear } from "../../mtd";
import type { SheetWrite, WorkbookPort } from "../../workbook/port";
import { receiptsSheet } from "../../workbook/result-sheets";
import { RelayError, type RelayClient } from "../relay-client";
import { locateMessages, type UpdatableBusiness } from "./model";
import { fetchBissSheet, fetchObligationsSheet } from "./records";
import { prepareReview, type PreparedReview } from "./review";
import type { ProgressStep, Review, StepState, SubmissionState } from "./state";

export interface SubmitDeps {
  readonly relay: Pick<RelayClient, "hmrc" | "receipt" | "receipts">;
  readonly workbook: WorkbookPort;
  readonly announce: (message: string) => void;
  /** For the Obligations sheet's overdue status. */
  readonly today: () => IsoDate;
}

export interface SubmitInput {
  readonly nino: Nino;
  readonly taxYear: TaxYear;
  readonly business: UpdatableBusiness;
  /** Every business HMRC lists, for the BISS sheet. */
  readonly businesses: readonly UpdatableBusiness[];
  readonly quarter: Quarter;
}

export const SUBMIT_STEPS = [
  { id: "check", label: "Check the figures in the workbook" },
  { id: "send", label: "Send the update to HMRC" },
  { id: "receipt", label: "Fetch the receipt" },
  { id: "receipts-sheet", label: "Write the MTD Receipts sheet" },
  { id: "biss", label: "Fetch HMRC's income summary" },
  { id: "biss-sheet", label: "Write the MTD BISS sheet" },
  { id: "obligations", label: "Fetch your deadlines from HMRC" },
  { id: "obligations-sheet", label: "Write the MTD Obligations sheet" },
] as const;

type StepId = (typeof SUBMIT_STEPS)[number]["id"];

class Progress {
  private states = new Map<StepId, StepState>(SUBMIT_STEPS.map((s) => [s.id, "pending"]));

  mark(id: StepId, state: StepState): void {
    this.states.set(id, state);
  }

  /** Steps not reached (after a failure) become skipped. */
  skipRest(): void {
    for (const [id, s] of this.states) if (s === "pending" || s === "active") this.states.set(id, "skipped");
  }

  get steps(): ProgressStep[] {
    return SUBMIT_STEPS.map((s) => ({ id: s.id, label: s.label, state: this.states.get(s.id)! }));
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error && e.message ? e.message : "Something went wrong.";
}

export async function submitQuarterlyUpdate(
  deps: SubmitDeps,
  input: SubmitInput,
  report: (submission: SubmissionState, review?: Review) => void,
): Promise<void> {
  const progress = new Progress();
  const step = (id: StepId, announcement: string) => {
    progress.mark(id, "active");
    report({ status: "sending", steps: progress.steps });
    deps.announce(announcement);
  };

  // 1. The workbook may have changed since the review: what is sent is what it holds now.
  step("check", "Checking the figures in the workbook…");
  let review: PreparedReview;
  try {
    review = await prepareReview(deps.workbook, { type: input.business.typeOfBusiness, businessId: input.business.businessId }, input.quarter);
  } catch (e) {
    progress.mark("check", "failed");
    progress.skipRest();
    const message = `Could not read the workbook, so nothing was sent: ${messageOf(e)}`;
    report({ status: "error", steps: progress.steps, message, errors: [], correlationId: undefined });
    deps.announce(message);
    return;
  }
  if (!review.body) {
    progress.mark("check", "failed");
    progress.skipRest();
    const message = "The workbook has problems that must be corrected first. Nothing was sent to HMRC.";
    report({ status: "error", steps: progress.steps, message, errors: [], correlationId: undefined }, review);
    deps.announce(message);
    return;
  }
  progress.mark("check", "done");

  // 2. The update itself.
  step("send", "Sending the update to HMRC…");
  const endpoint = getEndpoint(review.endpoint);
  const path = buildPath(endpoint, { nino: input.nino, businessId: input.business.businessId, taxYear: input.taxYear });
  let correlationId: string | undefined;
  let receiptId: string | undefined;
  try {
    const res = await deps.relay.hmrc<unknown>("PUT", path, { body: review.body });
    correlationId = res.correlationId;
    receiptId = res.receiptId;
  } catch (e) {
    progress.mark("send", "failed");
    progress.skipRest();
    const errors = e instanceof RelayError ? locateMessages(e.details, review.rows.map((r) => ({ pointer: r.pointer, label: r.label, address: r.address }))) : [];
    const lead =
      e instanceof RelayError && (e.failure === "timeout" || e.failure === "network")
        ? e.message
        : `HMRC did not accept the update. ${errors.length > 0 ? "" : messageOf(e)}`.trim();
    report({ status: "error", steps: progress.steps, message: lead, errors, correlationId: e instanceof RelayError ? e.correlationId : undefined }, review);
    deps.announce(lead);
    return;
  }
  progress.mark("send", "done");
  deps.announce("HMRC accepted the update.");

  // 3–6. Records. HMRC already has the update: failures here are reported, never retried as a new send.
  const warnings: string[] = [];
  const attempt = async (id: StepId, announcement: string, work: () => Promise<void>, failure: string): Promise<boolean> => {
    step(id, announcement);
    try {
      await work();
      progress.mark(id, "done");
      return true;
    } catch (e) {
      progress.mark(id, "failed");
      warnings.push(`${failure}: ${messageOf(e)}`);
      return false;
    }
  };

  /** Fetches a record from HMRC and writes its sheet; the write is skipped when the fetch failed. */
  const record = async (
    fetch: { id: StepId; announcement: string; failure: string; work: () => Promise<SheetWrite> },
    write: { id: StepId; announcement: string; failure: string },
  ): Promise<void> => {
    let sheet: SheetWrite | undefined;
    const fetched = await attempt(fetch.id, fetch.announcement, async () => {
      sheet = await fetch.work();
    }, fetch.failure);
    if (fetched && sheet) {
      const done = sheet;
      await attempt(write.id, write.announcement, () => deps.workbook.writeSheet(done), write.failure);
    } else {
      progress.mark(write.id, "skipped");
    }
  };

  await record(
    {
      id: "receipt",
      announcement: "Fetching the receipt…",
      failure: "The receipt could not be fetched",
      work: async () => {
        if (receiptId) await deps.relay.receipt(receiptId);
        return receiptsSheet(await deps.relay.receipts({ nino: input.nino, taxYear: input.taxYear, limit: 200 }));
      },
    },
    { id: "receipts-sheet", announcement: "Writing the MTD Receipts sheet…", failure: "The MTD Receipts sheet could not be written" },
  );
  await record(
    {
      id: "biss",
      announcement: "Fetching HMRC's income summaries…",
      failure: "HMRC's income summary could not be fetched",
      work: () => fetchBissSheet(deps.relay, { nino: input.nino, taxYear: input.taxYear, businesses: input.businesses }),
    },
    { id: "biss-sheet", announcement: "Writing the MTD BISS sheet…", failure: "The MTD BISS sheet could not be written" },
  );
  // Every business's deadlines, now including the period just fulfilled.
  await record(
    {
      id: "obligations",
      announcement: "Fetching your deadlines from HMRC…",
      failure: "Your deadlines could not be fetched from HMRC",
      work: () => fetchObligationsSheet(deps.relay, { nino: input.nino, taxYear: input.taxYear, today: deps.today() }),
    },
    { id: "obligations-sheet", announcement: "Writing the MTD Obligations sheet…", failure: "The MTD Obligations sheet could not be written" },
  );

  report({ status: "done", steps: progress.steps, correlationId, receiptId, warnings });
  deps.announce(
    `Your update for ${input.taxYear} quarter ${input.quarter.quarter} was accepted by HMRC.${correlationId ? ` HMRC reference ${correlationId}.` : ""}`,
  );
}
