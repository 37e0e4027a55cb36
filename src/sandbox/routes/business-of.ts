/** Finding the path's business for a business-type-specific endpoint, answering as HMRC does when it is not one. */
import type { TypeOfBusiness } from "../../mtd";
import { singleError, type ErrorResponse } from "../errors";
import type { HmrcContext } from "../hmrc-route";
import type { Business } from "../state";

/**
 * This NINO's business of `type` named by the path's businessId. Another NINO's or unknown id → 404
 * (HMRC's back end says INCOME_SOURCE_NOT_FOUND); when `wrongTypeCode` is given, a business of another type
 * answers with it (e.g. RULE_TYPE_OF_BUSINESS_INCORRECT), otherwise also 404.
 */
export function businessOf(ctx: HmrcContext, endpointId: string, type: TypeOfBusiness, wrongTypeCode?: string): Business | ErrorResponse {
  const b = ctx.state.business(ctx.nino, ctx.params.businessId ?? "");
  if (!b) return singleError(endpointId, "MATCHING_RESOURCE_NOT_FOUND");
  if (b.typeOfBusiness !== type) return singleError(endpointId, wrongTypeCode ?? "MATCHING_RESOURCE_NOT_FOUND");
  return b;
}

export function isErrorResponse(v: Business | ErrorResponse): v is ErrorResponse {
  return "status" in v && "body" in v && !("businessId" in v);
}
