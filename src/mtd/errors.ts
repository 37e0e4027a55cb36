/**
 * HMRC's error model and what each code means to the person at the keyboard. Every code a user can meet on
 * the endpoints we call has a message here that says what happened and what to do; unknown codes fall back
 * to HMRC's own message so nothing is ever swallowed.
 */

/** One HMRC error: a code, HMRC's message, and the JSON pointers of the fields it concerns. */
export interface HmrcErrorItem {
  code: string;
  message: string;
  paths?: string[];
}

/** HMRC's error body: a single error, or `INVALID_REQUEST` wrapping several. */
export interface HmrcErrorBody extends HmrcErrorItem {
  errors?: HmrcErrorItem[];
}

export function isHmrcErrorBody(value: unknown): value is HmrcErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === "string" && typeof v.message === "string";
}

/** The individual errors in a body, flattening HMRC's multiple-error wrapper. */
export function errorItems(body: HmrcErrorBody): HmrcErrorItem[] {
  return body.errors && body.errors.length > 0 ? body.errors : [body];
}

const MESSAGES: Readonly<Record<string, string>> = {
  // Access and connection
  UNAUTHORIZED: "Your connection to HMRC has expired or was withdrawn. Choose “Connect to HMRC” and sign in again.",
  INVALID_CREDENTIALS: "HMRC did not accept the sign-in. Choose “Connect to HMRC” and sign in again.",
  CLIENT_OR_AGENT_NOT_AUTHORISED:
    "The HMRC account you connected with is not allowed to act for this National Insurance number. Check the NINO, or if you are an agent, check your client authorisation in HMRC's agent services account.",
  ACCEPT_HEADER_INVALID: "MTD Bridge asked HMRC for an API version it no longer offers. Update MTD Bridge; your figures were not sent.",
  INVALID_BODY_TYPE: "MTD Bridge sent HMRC something that was not JSON. Nothing was saved; please report this to support.",
  INVALID_HTTP_METHOD: "HMRC does not allow that action on this record. Nothing was changed.",
  MATCHING_RESOURCE_NOT_FOUND: "HMRC has no record matching this request. Check the NINO, business and tax year.",
  NOT_FOUND: "HMRC has no record matching this request. Check the NINO, business and tax year.",
  NO_BUSINESS_FOUND: "HMRC has no business with that ID for this NINO. Refresh the business list and choose again.",
  NO_OBLIGATIONS_FOUND: "HMRC has no deadlines for this business in the period asked. If you expected some, check the business is signed up for Making Tax Digital.",
  INTERNAL_SERVER_ERROR: "HMRC had a problem and could not answer. Nothing was lost: try again in a few minutes.",
  SERVICE_UNAVAILABLE: "HMRC's service is unavailable just now. Nothing was lost: try again later.",
  GATEWAY_TIMEOUT: "HMRC took too long to answer. Check the Receipts sheet before trying again: the update may have arrived.",
  MESSAGE_THROTTLED_OUT: "Too many requests were sent to HMRC in a short time. Wait a minute and try again.",
  BUSINESS_ERROR: "HMRC could not process this request. Check the figures and try again.",
  RULE_INCORRECT_GOV_TEST_SCENARIO: "The test scenario chosen is not one HMRC's sandbox knows for this action. Clear the test scenario or choose another.",

  // Identifiers and formats
  FORMAT_NINO: "The National Insurance number is not in the right format. It looks like QQ123456C: two letters, six digits, then A, B, C or D.",
  FORMAT_BUSINESS_ID: "The business ID is not valid. Refresh the business list and choose the business again.",
  FORMAT_TAX_YEAR: "The tax year must be written like 2025-26.",
  RULE_TAX_YEAR_RANGE_INVALID: "The tax year must span one year, like 2025-26 (not 2025-27).",
  RULE_TAX_YEAR_NOT_SUPPORTED: "HMRC does not accept this kind of submission for that tax year. Choose a tax year this form applies to.",
  RULE_TAX_YEAR_NOT_ENDED: "This can only be done after the tax year has ended (after 5 April).",
  INVALID_TAX_YEAR_PARAMETER: "That tax year is too early for this kind of record.",
  FORMAT_VALUE: "One or more amounts are outside HMRC's limits or have more than two decimal places. The cells are listed; correct them and submit again.",
  FORMAT_FROM_DATE: "The period start date is not a valid date (YYYY-MM-DD).",
  FORMAT_TO_DATE: "The period end date is not a valid date (YYYY-MM-DD).",
  FORMAT_START_DATE: "The start date is not a valid date (YYYY-MM-DD).",
  FORMAT_END_DATE: "The end date is not a valid date (YYYY-MM-DD).",
  FORMAT_TYPE_OF_BUSINESS: "The type of business is not one HMRC recognises for this tax year.",
  FORMAT_STATUS: "The obligation status must be open or fulfilled.",
  MISSING_FROM_DATE: "A period end date was given without a start date.",
  MISSING_TO_DATE: "A period start date was given without an end date.",
  MISSING_TYPE_OF_BUSINESS: "A business ID was given without its type of business.",
  RANGE_TO_DATE_BEFORE_FROM_DATE: "The period ends before it starts. Check the dates.",
  RULE_TO_DATE_BEFORE_FROM_DATE: "The period ends before it starts. Check the dates.",
  RULE_END_DATE_BEFORE_START_DATE: "The period ends before it starts. Check the dates.",
  RULE_DATE_RANGE_INVALID: "The date range must be under a year long and start and end on different days.",
  RULE_FROM_DATE_NOT_SUPPORTED: "HMRC holds no records before 6 April 2018.",
  RULE_INSOLVENT_TRADER: "HMRC's records show this person as insolvent, so updates cannot be made through software. Contact HMRC.",
  RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED: "There were no figures to send, or HMRC did not recognise one of the fields. Map at least one amount and try again.",

  // Quarterly (cumulative) updates
  RULE_BOTH_EXPENSES_SUPPLIED: "You gave both a consolidated expenses total and itemised expenses. Use one or the other (residential finance costs may always be given separately).",
  RULE_EARLY_DATA_SUBMISSION_NOT_ACCEPTED: "It is too early to send this update: HMRC accepts it from 10 days before the period ends.",
  RULE_ADVANCE_SUBMISSION_REQUIRES_PERIOD_END_DATE: "An update sent before the period ends must cover the whole period up to its end date.",
  RULE_START_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE: "The start date does not match your quarter type (standard quarters start on 6 April, calendar quarters on 1 April). Check the quarter basis in the Settings.",
  RULE_END_DATE_NOT_ALIGNED_WITH_REPORTING_TYPE: "The end date does not fall on a quarter end for your quarter type. Choose the period from your obligations list.",
  RULE_START_DATE_NOT_ALIGNED_TO_COMMENCEMENT_DATE: "The start date must be the date your business started, as HMRC has it.",
  RULE_MISSING_SUBMISSION_DATES: "HMRC needs the period start and end dates for this update.",
  RULE_START_AND_END_DATE_NOT_ALLOWED: "You report annually for this business, so the update must be sent without period dates.",
  RULE_OUTSIDE_AMENDMENT_WINDOW: "The time allowed to change this tax year's records has passed. Contact HMRC if a correction is needed.",
  RULE_SUBMISSION_END_DATE_CANNOT_MOVE_BACKWARDS: "You have already sent an update to a later date. Send figures up to that date or later.",
  RULE_TYPE_OF_BUSINESS_INCORRECT: "The business chosen is not of the type this form is for. Choose a business of the right type.",
  RULE_NO_INCOME_SUBMISSIONS_EXIST: "HMRC has no quarterly updates for this business and year yet. Send an update first, then ask again.",
  RULE_BUSINESS_VALIDATION_FAILURE: "HMRC found a problem with the figures it holds. Read the calculation messages and correct the figures.",
};

/** Plain-English message for one HMRC error: ours where we have one, HMRC's own otherwise. */
export function messageForError(item: HmrcErrorItem): string {
  return MESSAGES[item.code] ?? `${item.message} (HMRC code ${item.code})`;
}

export function hasPlainMessage(code: string): boolean {
  return code in MESSAGES;
}

/** Messages for a whole error body, one per error, with the affected fields attached. */
export function describeErrorBody(body: HmrcErrorBody): Array<{ code: string; message: string; paths: string[] }> {
  return errorItems(body).map((i) => ({ code: i.code, message: messageForError(i), paths: i.paths ?? [] }));
}

/**
 * HMRC's own wording for the codes our validators produce (property-business-api 6.0 common/errors.yaml and
 * siblings), so a locally refused request reads exactly as HMRC's answer would. The sandbox prefers each
 * endpoint's documented example where an API words a code differently.
 */
export const HMRC_MESSAGES: Readonly<Record<string, string>> = {
  FORMAT_NINO: "The provided NINO is invalid",
  FORMAT_TAX_YEAR: "The provided tax year is invalid",
  FORMAT_BUSINESS_ID: "The provided Business ID is invalid",
  RULE_TAX_YEAR_RANGE_INVALID: "Tax year range invalid. A tax year range of one year is required",
  RULE_TAX_YEAR_NOT_SUPPORTED: "The tax year specified does not lie within the supported range",
  FORMAT_VALUE: "The value must be between 0 and 99999999999.99",
  FORMAT_FROM_DATE: "The provided From date is invalid",
  FORMAT_TO_DATE: "The provided To date is invalid",
  RULE_TO_DATE_BEFORE_FROM_DATE: "The To date cannot be earlier than the From date",
  RULE_BOTH_EXPENSES_SUPPLIED: "Both expenses and consolidatedExpenses can not be present at the same time",
  RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED: "An empty or non-matching body was submitted",
  RULE_INCORRECT_GOV_TEST_SCENARIO: "The supplied value for the Gov-Test-Scenario header is not supported",
  MATCHING_RESOURCE_NOT_FOUND: "Matching resource not found",
  CLIENT_OR_AGENT_NOT_AUTHORISED: "The client and/or agent is not authorised",
  UNAUTHORIZED: "Bearer token is missing or not authorized",
  ACCEPT_HEADER_INVALID: "The accept header is missing or invalid",
  INVALID_REQUEST: "Invalid request",
  INTERNAL_SERVER_ERROR: "An internal server error occurred",
  INVALID_BODY_TYPE: "Expecting text/json or application/json body",
  NO_OBLIGATIONS_FOUND: "No obligations found using this filter",
  RULE_NO_INCOME_SUBMISSIONS_EXIST: "No income submissions exist",
};
