/**
 * HMRC's error bodies as the sandbox sends them: the message an endpoint's OpenAPI definition documents for a
 * code, falling back to its API's errors.yaml and then to the shared HMRC wording in src/mtd.
 */
import { errorBodyFor, HMRC_MESSAGES, type HmrcErrorBody, type HmrcErrorItem } from "../mtd";
import { API_MESSAGES, ENDPOINT_DOCS } from "./generated/hmrc-docs";

export interface ErrorResponse {
  readonly status: number;
  readonly body: HmrcErrorBody;
}

/** Codes the API platform itself answers with (not in the per-API definitions). */
const PLATFORM_ERRORS: Readonly<Record<string, { status: number; message: string }>> = {
  ACCEPT_HEADER_INVALID: { status: 406, message: "The accept header is missing or invalid" },
  UNAUTHORIZED: { status: 401, message: "Bearer token is missing or not authorized" },
  INVALID_SCOPE: { status: 403, message: "Cannot access the required resource. Ensure this token has all the required scopes." },
  INVALID_BODY_TYPE: { status: 415, message: "Expecting text/json or application/json body" },
  INVALID_REQUEST: { status: 400, message: "Invalid request" },
  INTERNAL_SERVER_ERROR: { status: 500, message: "An internal server error occurred" },
};

/** HMRC's message for `code` on endpoint `endpointId`. */
export function messageFor(endpointId: string, code: string): string {
  const docs = ENDPOINT_DOCS[endpointId];
  const documented = docs?.errors.find((e) => e.code === code)?.message;
  return documented ?? (docs ? API_MESSAGES[docs.api]?.[code] : undefined) ?? PLATFORM_ERRORS[code]?.message ?? HMRC_MESSAGES[code] ?? code;
}

/** The HTTP status HMRC documents for `code` on the endpoint; otherwise the status its kind of error has. */
export function statusFor(endpointId: string, code: string): number {
  const documented = ENDPOINT_DOCS[endpointId]?.errors.find((e) => e.code === code)?.status;
  if (documented !== undefined) return documented;
  if (PLATFORM_ERRORS[code]) return PLATFORM_ERRORS[code].status;
  if (code === "CLIENT_OR_AGENT_NOT_AUTHORISED") return 403;
  if (code === "MATCHING_RESOURCE_NOT_FOUND" || code.startsWith("NO_") || code.endsWith("_NOT_FOUND")) return 404;
  return 400;
}

export function errorItem(endpointId: string, code: string, paths?: readonly string[]): HmrcErrorItem {
  return { code, message: messageFor(endpointId, code), ...(paths && paths.length > 0 ? { paths: [...paths] } : {}) };
}

/** One error or several (HMRC's INVALID_REQUEST wrapper, always 400). */
export function errorResponse(endpointId: string, items: readonly HmrcErrorItem[]): ErrorResponse {
  if (items.length === 0) throw new Error("errorResponse needs at least one error");
  const body = errorBodyFor(items);
  return { status: items.length === 1 ? statusFor(endpointId, body.code) : 400, body };
}

export function singleError(endpointId: string, code: string, paths?: readonly string[]): ErrorResponse {
  return errorResponse(endpointId, [errorItem(endpointId, code, paths)]);
}

/**
 * Errors from the shared src/mtd validators carry HMRC's generic wording; give them this endpoint's documented
 * wording. FORMAT_VALUE keeps its own message because it states the field's range and HMRC groups paths by it.
 */
export function withDocumentedMessages(endpointId: string, items: readonly HmrcErrorItem[]): HmrcErrorItem[] {
  return items.map((i) => (i.code === "FORMAT_VALUE" ? { ...i } : { ...i, message: messageFor(endpointId, i.code) }));
}
