/** The WHERE clause of a receipts listing, shared by both stores so they filter and page identically. */
import type { ReceiptQuery } from "./types";

/**
 * Conditions and their values in order; `placeholder(n)` spells the n-th (1-based) parameter
 * (`?` for SQLite, `$n` for PostgreSQL).
 */
export function receiptConditions(q: ReceiptQuery, placeholder: (n: number) => string): { where: string; values: Array<string | number> } {
  const values: Array<string | number> = [];
  const p = (v: string | number) => {
    values.push(v);
    return placeholder(values.length);
  };
  const conditions = [`user_id = ${p(q.userId)}`];
  if (q.nino !== undefined) conditions.push(`nino = ${p(q.nino)}`);
  if (q.businessId !== undefined) conditions.push(`business_id = ${p(q.businessId)}`);
  if (q.taxYear !== undefined) conditions.push(`tax_year = ${p(q.taxYear)}`);
  if (q.endpointId !== undefined) conditions.push(`endpoint_id = ${p(q.endpointId)}`);
  if (q.from !== undefined) conditions.push(`received_at >= ${p(q.from)}`);
  if (q.before !== undefined) conditions.push(`received_at < ${p(q.before)}`);
  if (q.after !== undefined) conditions.push(`(received_at, id) < (${p(q.after.receivedAt)}, ${p(q.after.id)})`);
  return { where: conditions.join(" AND "), values };
}

export const RECEIPT_ORDER = "ORDER BY received_at DESC, id DESC";
