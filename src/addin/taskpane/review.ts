/**
 * The review step's data: the chosen business's year-to-date figures for one quarter, read and checked by the
 * one preparation the CLI and tests share (src/workbook/quarterly-update.ts), shaped for the pane. Nothing is
 * sent from here; submit.ts re-runs this immediately before sending.
 */
import type { CumulativeBody, CumulativeBusinessType, Quarter } from "../../mtd";
import type { WorkbookPort } from "../../workbook/port";
import { prepareQuarterlyUpdate, type UpdateRequest } from "../../workbook/quarterly-update";
import { mappingFromSettings } from "../../workbook/workbook-mapping";
import type { Review } from "./state";

export interface ReviewTarget {
  readonly type: CumulativeBusinessType;
  readonly businessId: string;
}

export interface PreparedReview extends Review {
  /** The exact body that would be sent, present only when it passed validation and no cell blocks it. */
  readonly body: CumulativeBody | undefined;
  readonly endpoint: string;
}

/** Reads the workbook's mapping and figures (ledger tables in blocks, reporting rows read) and checks them. */
export async function prepareReview(
  workbook: WorkbookPort,
  target: ReviewTarget,
  quarter: Quarter,
  onProgress?: (rowsRead: number, totalRows: number) => void,
): Promise<PreparedReview> {
  const mapping = mappingFromSettings(await workbook.readSettings());
  const request: UpdateRequest = { target, quarter, mapping };
  const update = await prepareQuarterlyUpdate(workbook, request, onProgress ? { onProgress } : {});
  const entryNames: Record<string, string> = {};
  for (const [alias, id] of Object.entries(mapping.aliases)) if (update.lines.some((l) => l.entry === id)) entryNames[id] = alias;
  return {
    type: target.type,
    mode: update.mode,
    rows: update.lines.map((l) => ({
      ...(l.entry !== undefined ? { entry: l.entry } : {}),
      path: l.path,
      pointer: l.pointer,
      label: l.label,
      section: l.kind,
      pence: l.pence,
      address: l.source,
    })),
    problems: update.problems.map((p) => ({ severity: p.severity, message: p.message, address: p.address || undefined })),
    fromDate: quarter.cumulativeStart,
    toDate: quarter.end,
    canSubmit: update.canSubmit,
    ...(update.ledger ? { ledger: update.ledger } : {}),
    ...(Object.keys(entryNames).length > 0 ? { entryNames } : {}),
    body: update.body,
    endpoint: update.endpoint,
  };
}
