/**
 * The caller's own receipts (the audit trail): `GET /api/receipts/:id`; `GET /api/receipts` with filters and
 * cursor paging; `GET /api/receipts/export?format=csv|json` with the same filters, every matching receipt,
 * streamed page by page. Listings and exports mask the NINO.
 */
import { Readable } from "node:stream";
import type { FastifyPluginAsync } from "fastify";
import {
  addDays,
  endpointById,
  HMRC_MESSAGES,
  isIsoDate,
  isTaxYear,
  parseBusinessId,
  parseNino,
  type HmrcErrorBody,
  type Receipt,
  type ReceiptsPage,
} from "../mtd";
import { refusal, sendRefusal } from "./errors";
import { CSV_HEADER, maskedReceipt, receiptCsvRow } from "./receipts";
import { sessionGuard, type Authenticator } from "./sessions";
import type { ReceiptCursor, ReceiptQuery, RelayStore } from "./store";

export const DEFAULT_RECEIPT_LIMIT = 50;
export const MAX_RECEIPT_LIMIT = 500;
/** Receipts read from the store per step of an export. */
export const EXPORT_PAGE_SIZE = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
const FILTERS = ["nino", "businessId", "taxYear", "endpoint", "from", "to"] as const;

const NOT_FOUND: HmrcErrorBody = { code: "MATCHING_RESOURCE_NOT_FOUND", message: HMRC_MESSAGES.MATCHING_RESOURCE_NOT_FOUND! };

type Filters = Omit<ReceiptQuery, "userId" | "limit" | "after">;

export function receiptsRoutes(d: { store: RelayStore; now: () => Date; authenticate: Authenticator }): FastifyPluginAsync {
  return async (app) => {
    app.addHook("onRequest", sessionGuard(d.authenticate));

    app.get("/api/receipts/export", async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const format = query.format;
      const filters = format === "csv" || format === "json" ? parseFilters(query, ["format"]) : undefined;
      if (!filters) return sendRefusal(reply, refusal(400, "RELAY_BAD_PARAMETER"));
      const rows = allReceipts(d.store, { userId: request.relaySession!.userId, ...filters });
      const day = d.now().toISOString().slice(0, 10);
      reply
        .header("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8")
        .header("content-disposition", `attachment; filename="mtd-bridge-receipts-${day}.${format}"`)
        .header("cache-control", "no-store");
      return reply.send(Readable.from(format === "csv" ? csvLines(rows) : jsonArray(rows)));
    });

    app.get("/api/receipts/:id", async (request, reply) => {
      const { id } = request.params as { id: string };
      const receipt = UUID.test(id) ? await d.store.getReceipt(id) : null;
      // Someone else's receipt is indistinguishable from no receipt.
      if (!receipt || receipt.userId !== request.relaySession!.userId) return reply.code(404).send(NOT_FOUND);
      return receipt;
    });

    app.get("/api/receipts", async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const filters = parseFilters(query, ["cursor", "limit"]);
      const limit = parseLimit(query.limit);
      const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      if (!filters || limit === undefined || after === null) return sendRefusal(reply, refusal(400, "RELAY_BAD_PARAMETER"));
      // One more than asked tells whether another page follows.
      const found = await d.store.listReceipts({ userId: request.relaySession!.userId, ...filters, ...(after ? { after } : {}), limit: limit + 1 });
      const receipts = found.slice(0, limit);
      const last = receipts[receipts.length - 1];
      const page: ReceiptsPage = { receipts: receipts.map(maskedReceipt), nextCursor: found.length > limit && last ? encodeCursor(last) : null };
      return page;
    });
  };
}

/** The filters shared by listing and export; undefined if any is malformed, repeated or unknown. */
function parseFilters(query: Record<string, unknown>, alsoAllowed: readonly string[]): Filters | undefined {
  if (Object.keys(query).some((k) => !(FILTERS as readonly string[]).includes(k) && !alsoAllowed.includes(k))) return undefined;
  const { nino, businessId, taxYear, endpoint, from, to } = query;
  const out: Filters = {};
  if (nino !== undefined) {
    const parsed = parseNino(nino);
    if (!parsed.ok) return undefined;
    out.nino = parsed.value;
  }
  if (businessId !== undefined) {
    const parsed = parseBusinessId(businessId);
    if (!parsed.ok) return undefined;
    out.businessId = parsed.value;
  }
  if (taxYear !== undefined) {
    if (!isTaxYear(taxYear)) return undefined;
    out.taxYear = taxYear;
  }
  if (endpoint !== undefined) {
    if (typeof endpoint !== "string" || !endpointById(endpoint)) return undefined;
    out.endpointId = endpoint;
  }
  // Dates are whole UTC days, both inclusive.
  if (from !== undefined) {
    if (!isIsoDate(from)) return undefined;
    out.from = `${from}T00:00:00.000Z`;
  }
  if (to !== undefined) {
    if (!isIsoDate(to)) return undefined;
    out.before = `${addDays(to, 1)}T00:00:00.000Z`;
  }
  if (out.from !== undefined && out.before !== undefined && out.from >= out.before) return undefined;
  return out;
}

function parseLimit(limit: unknown): number | undefined {
  if (limit === undefined) return DEFAULT_RECEIPT_LIMIT;
  if (typeof limit !== "string" || !/^\d{1,4}$/.test(limit)) return undefined;
  const n = Number(limit);
  return n >= 1 && n <= MAX_RECEIPT_LIMIT ? n : undefined;
}

/** Opaque to clients: base64url of `<receivedAt>|<id>` of the last receipt on the page. */
export function encodeCursor(r: Pick<Receipt, "receivedAt" | "id">): string {
  return Buffer.from(`${r.receivedAt}|${r.id}`, "utf8").toString("base64url");
}

/** The position, or null if the cursor is not one this relay made. */
export function decodeCursor(raw: unknown): ReceiptCursor | null {
  if (typeof raw !== "string" || !CURSOR.test(raw)) return null;
  const [receivedAt, id, ...rest] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  if (rest.length > 0 || !receivedAt || !id || !ISO_INSTANT.test(receivedAt) || !UUID.test(id)) return null;
  return { receivedAt, id };
}

/** Every matching receipt, newest first, masked, read from the store one page at a time. */
async function* allReceipts(store: RelayStore, query: Omit<ReceiptQuery, "limit" | "after">): AsyncGenerator<Receipt> {
  let after: ReceiptCursor | undefined;
  for (;;) {
    const page = await store.listReceipts({ ...query, ...(after ? { after } : {}), limit: EXPORT_PAGE_SIZE });
    for (const r of page) yield maskedReceipt(r);
    const last = page[page.length - 1];
    if (page.length < EXPORT_PAGE_SIZE || !last) return;
    after = { receivedAt: last.receivedAt, id: last.id };
  }
}

async function* csvLines(rows: AsyncIterable<Receipt>): AsyncGenerator<string> {
  yield CSV_HEADER;
  for await (const r of rows) yield receiptCsvRow(r);
}

async function* jsonArray(rows: AsyncIterable<Receipt>): AsyncGenerator<string> {
  let first = true;
  yield "[";
  for await (const r of rows) {
    yield `${first ? "" : ","}\n${JSON.stringify(r)}`;
    first = false;
  }
  yield first ? "]" : "\n]";
}
