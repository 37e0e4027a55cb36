/**
 * Receipts: the relay's audit record of every write it forwarded to HMRC (DESIGN.md §3 step 5), built from
 * the checked call, the exact bytes sent and HMRC's answer.
 */
import { isIsoDate, maskNino, maskNinosIn, type Receipt } from "../mtd";
import type { CheckedBody, MatchedCall } from "./allow-list";
import { sha256Hex } from "./crypto";

export interface ReceiptFacts {
  id: string;
  receivedAt: Date;
  userId: string;
  call: MatchedCall;
  body: CheckedBody | null;
  /** HMRC's status, or the relay's 502/504 when HMRC did not answer. */
  status: number;
  correlationId: string | null;
  /** HMRC's response body, when there was one. */
  responseBody: Buffer | null;
}

const REFERENCE_FIELDS = ["submissionId", "calculationId", "propertyId"] as const;
const MAX_REFERENCE_LENGTH = 100;

export function buildReceipt(f: ReceiptFacts): Receipt {
  const { endpoint, params } = f.call;
  const [periodStart, periodEnd] = periodOf(f.body?.json);
  return {
    id: f.id,
    receivedAt: f.receivedAt.toISOString(),
    userId: f.userId,
    nino: params.nino ?? "",
    businessId: params.businessId ?? null,
    endpointId: endpoint.id,
    method: endpoint.method,
    path: f.call.query ? `${f.call.path}?${f.call.query}` : f.call.path,
    taxYear: endpoint.taxYearParam ? (params[endpoint.taxYearParam] ?? null) : null,
    periodStart,
    periodEnd,
    bodySha256: f.body ? sha256Hex(f.body.bytes) : null,
    status: f.status,
    correlationId: f.correlationId,
    hmrcReference: referenceIn(f.responseBody),
  };
}

/** The receipt as shown in listings: NINO masked, in its field and inside the path. */
export function maskedReceipt(r: Receipt): Receipt {
  return { ...r, nino: maskNino(r.nino), path: maskNinosIn(r.path) };
}

/** Period dates from a body: `fromDate`/`toDate` (property) or `periodDates` (self-employment). */
function periodOf(json: Record<string, unknown> | undefined): [string | null, string | null] {
  if (!json) return [null, null];
  const dates = typeof json.periodDates === "object" && json.periodDates !== null ? (json.periodDates as Record<string, unknown>) : {};
  const start = json.fromDate ?? dates.periodStartDate;
  const end = json.toDate ?? dates.periodEndDate;
  return [isIsoDate(start) ? start : null, isIsoDate(end) ? end : null];
}

function referenceIn(body: Buffer | null): string | null {
  if (!body || body.length === 0) return null;
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null) return null;
  for (const field of REFERENCE_FIELDS) {
    const v = (json as Record<string, unknown>)[field];
    if (typeof v === "string" && v.length > 0 && v.length <= MAX_REFERENCE_LENGTH) return v;
  }
  return null;
}

/** Export columns, in order: every Receipt field. */
export const RECEIPT_COLUMNS = [
  "id",
  "receivedAt",
  "userId",
  "nino",
  "businessId",
  "endpointId",
  "method",
  "path",
  "taxYear",
  "periodStart",
  "periodEnd",
  "bodySha256",
  "status",
  "correlationId",
  "hmrcReference",
] as const satisfies ReadonlyArray<keyof Receipt>;

/** Characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection), tab and CR included. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 cell: text is always quoted with inner quotes doubled, and text a spreadsheet would run as a
 * formula gets a leading apostrophe; numbers as they are; null empty.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export const CSV_HEADER = `${RECEIPT_COLUMNS.join(",")}\r\n`;

export function receiptCsvRow(r: Receipt): string {
  return `${RECEIPT_COLUMNS.map((c) => csvCell(r[c])).join(",")}\r\n`;
}
