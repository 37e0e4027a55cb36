/**
 * HMRC's records for the workbook's own sheets, fetched through the relay: every business's income summary
 * (BISS) for the year, and every business's deadlines. Used after a send and by "Refresh HMRC's records",
 * which needs no send at all.
 */
import { buildPath, getEndpoint, taxYearEnd, taxYearStart, type BissResponse, type IsoDate, type Nino, type ObligationsResponse, type TaxYear } from "../../mtd";
import type { SheetWrite } from "../../workbook/port";
import { bissSheet, obligationsSheet, type BissSheetInput } from "../../workbook/result-sheets";
import { RelayError, type RelayClient } from "../relay-client";
import type { UpdatableBusiness } from "./model";

/**
 * The MTD BISS sheet for every business in the year. A business with nothing submitted yet (HMRC's
 * RULE_NO_INCOME_SUBMISSIONS_EXIST, or 404) is simply not in the table. Any other failure fails the whole
 * fetch, so a sheet is never rewritten with businesses silently missing.
 */
export async function fetchBissSheet(
  relay: Pick<RelayClient, "hmrc">,
  input: { nino: Nino; taxYear: TaxYear; businesses: readonly UpdatableBusiness[] },
): Promise<SheetWrite> {
  const e = getEndpoint("biss.retrieve");
  const found: BissSheetInput[] = [];
  for (const b of input.businesses) {
    try {
      const res = await relay.hmrc<BissResponse>("GET", buildPath(e, { nino: input.nino, typeOfBusiness: b.typeOfBusiness, taxYear: input.taxYear, businessId: b.businessId }));
      if (!res.body || typeof res.body.total?.income !== "number") throw new Error("HMRC's answer had no income summary");
      found.push({ businessId: b.businessId, taxYear: input.taxYear, typeOfBusiness: b.typeOfBusiness, biss: res.body, retrievedAt: new Date().toISOString() });
    } catch (err) {
      if (err instanceof RelayError && (err.status === 404 || err.code === "RULE_NO_INCOME_SUBMISSIONS_EXIST")) continue;
      throw err;
    }
  }
  return bissSheet(found);
}

/** The MTD Obligations sheet: every business's quarterly periods in the year, with what is overdue today. */
export async function fetchObligationsSheet(relay: Pick<RelayClient, "hmrc">, input: { nino: Nino; taxYear: TaxYear; today: IsoDate }): Promise<SheetWrite> {
  const e = getEndpoint("obligations.income-and-expenditure");
  let body: ObligationsResponse;
  try {
    const res = await relay.hmrc<ObligationsResponse>("GET", buildPath(e, { nino: input.nino }), { query: { fromDate: taxYearStart(input.taxYear), toDate: taxYearEnd(input.taxYear) } });
    if (!Array.isArray(res.body?.obligations)) throw new Error("HMRC's answer had no obligations");
    body = res.body;
  } catch (err) {
    // HMRC answers 404 NO_OBLIGATIONS_FOUND when there are none in the range: an empty table, not a failure.
    if (err instanceof RelayError && err.code === "NO_OBLIGATIONS_FOUND") body = { obligations: [] };
    else throw err;
  }
  return obligationsSheet(body, input.today);
}
