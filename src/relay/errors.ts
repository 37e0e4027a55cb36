/** The relay's own refusals, in HMRC's error-body shape with the codes and messages of the relay contract. */
import type { FastifyReply } from "fastify";
import { RELAY_ERROR_MESSAGES, type HmrcErrorBody, type RelayErrorCode } from "../mtd";

export interface RelayRefusal {
  status: number;
  code: RelayErrorCode;
  /** Sent as Retry-After (whole seconds) when the caller should wait before trying again. */
  retryAfterSeconds?: number;
}

export const refusal = (status: number, code: RelayErrorCode): RelayRefusal => ({ status, code });

export function relayErrorBody(code: RelayErrorCode): HmrcErrorBody {
  return { code, message: RELAY_ERROR_MESSAGES[code] };
}

export function sendRefusal(reply: FastifyReply, r: RelayRefusal): FastifyReply {
  if (r.retryAfterSeconds !== undefined) reply.header("retry-after", String(r.retryAfterSeconds));
  return reply.code(r.status).header("content-type", "application/json; charset=utf-8").send(relayErrorBody(r.code));
}
