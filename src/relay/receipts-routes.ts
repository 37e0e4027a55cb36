/** `GET /api/receipts/:id` and `GET /api/receipts?nino=&taxYear=&limit=`: the caller's own receipts only. */
import type { FastifyPluginAsync } from "fastify";
import { HMRC_MESSAGES, isTaxYear, parseNino, type HmrcErrorBody, type Receipt } from "../mtd";
import { refusal, sendRefusal } from "./errors";
import { maskedReceipt } from "./receipts";
import { sessionGuard } from "./sessions";
import type { RelayStore } from "./store";

export const DEFAULT_RECEIPT_LIMIT = 50;
export const MAX_RECEIPT_LIMIT = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const NOT_FOUND: HmrcErrorBody = { code: "MATCHING_RESOURCE_NOT_FOUND", message: HMRC_MESSAGES.MATCHING_RESOURCE_NOT_FOUND! };

export function receiptsRoutes(d: { store: RelayStore; now: () => Date }): FastifyPluginAsync {
  return async (app) => {
    app.addHook("onRequest", sessionGuard(d.store, d.now));

    app.get("/api/receipts/:id", async (request, reply) => {
      const { id } = request.params as { id: string };
      const receipt = UUID.test(id) ? await d.store.getReceipt(id) : null;
      // Someone else's receipt is indistinguishable from no receipt.
      if (!receipt || receipt.userId !== request.relaySession!.userId) return reply.code(404).send(NOT_FOUND);
      return receipt;
    });

    app.get("/api/receipts", async (request, reply) => {
      const query = request.query as Record<string, unknown>;
      const filters = receiptFilters(query);
      if (!filters) return sendRefusal(reply, refusal(400, "RELAY_BAD_PARAMETER"));
      const receipts = await d.store.listReceipts({ userId: request.relaySession!.userId, ...filters });
      return { receipts: receipts.map(maskedReceipt) } satisfies { receipts: Receipt[] };
    });
  };
}

function receiptFilters(query: Record<string, unknown>): { nino?: string; taxYear?: string; limit: number } | undefined {
  const { nino, taxYear, limit } = query;
  const out: { nino?: string; taxYear?: string; limit: number } = { limit: DEFAULT_RECEIPT_LIMIT };
  if (nino !== undefined) {
    const parsed = parseNino(nino);
    if (!parsed.ok) return undefined;
    out.nino = parsed.value;
  }
  if (taxYear !== undefined) {
    if (!isTaxYear(taxYear)) return undefined;
    out.taxYear = taxYear;
  }
  if (limit !== undefined) {
    if (typeof limit !== "string" || !/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_RECEIPT_LIMIT) return undefined;
    out.limit = Number(limit);
  }
  return out;
}
