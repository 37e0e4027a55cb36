/**
 * The sandbox's memory: per NINO, the businesses (HMRC's default sandbox set, plus any created through the
 * Test Support API) and the UK property cumulative submissions. Created on first touch; bounded so a runaway
 * client cannot grow it without limit.
 */
import { randomInt } from "node:crypto";
import type { BusinessDetailsResponse, QuarterBasis, TypeOfBusiness } from "../mtd";
import type { UkPropertyCumulativeBody } from "../mtd";

export interface LatencyDetails {
  latencyEndDate: string;
  taxYear1: string;
  latencyIndicator1: "A" | "Q";
  taxYear2: string;
  latencyIndicator2: "A" | "Q";
}

/** A business as Business Details 2.0 returns it (only the fields HMRC's response schema allows). */
export interface Business {
  businessId: string;
  typeOfBusiness: TypeOfBusiness;
  tradingType?: string;
  tradingName?: string;
  firstAccountingPeriodStartDate?: string;
  firstAccountingPeriodEndDate?: string;
  latencyDetails?: LatencyDetails;
  quarterlyTypeChoice?: { quarterlyPeriodType: QuarterBasis; taxYearOfChoice: string };
  accountingType?: "CASH" | "ACCRUALS";
  commencementDate?: string;
  cessationDate?: string;
  businessAddressLineOne?: string;
  businessAddressLineTwo?: string;
  businessAddressLineThree?: string;
  businessAddressLineFour?: string;
  businessAddressPostcode?: string;
  businessAddressCountryCode?: string;
}

/** A stored cumulative submission: the latest body (it replaces the previous one) and when each end date first arrived. */
export interface CumulativeSubmission {
  submittedOn: string;
  body: UkPropertyCumulativeBody;
  /** Every accepted end date with the day it was received, oldest first: obligations are fulfilled from these. */
  history: Array<{ toDate: string; receivedDate: string }>;
}

export interface TaxpayerState {
  businesses: Business[];
  /** Key: `${businessId}/${taxYear}`. */
  ukPropertyCumulative: Map<string, CumulativeSubmission>;
}

export const MAX_TAXPAYERS = 10_000;
export const MAX_BUSINESSES_PER_TAXPAYER = 50;

/** HMRC's sandbox businesses (Business Details 2.0 "Test data"): one of each kind, standard quarters. */
export function defaultBusinesses(): Business[] {
  return [
    {
      businessId: "XBIS12345678901",
      typeOfBusiness: "self-employment",
      tradingType: "Plastering",
      tradingName: "RCDTS Plastering",
      commencementDate: "2018-04-06",
      accountingType: "CASH",
      businessAddressLineOne: "1 Acme Road",
      businessAddressLineTwo: "London",
      businessAddressPostcode: "M1 1AG",
      businessAddressCountryCode: "GB",
    },
    { businessId: "XPIS12345678901", typeOfBusiness: "uk-property", commencementDate: "2018-04-06", accountingType: "CASH" },
    { businessId: "XFIS12345678901", typeOfBusiness: "foreign-property", commencementDate: "2018-04-06", accountingType: "CASH" },
  ];
}

/** The one property-unspecified business HMRC's sandbox shows for the UNSPECIFIED scenario. */
export const UNSPECIFIED_BUSINESS: Business = { businessId: "XAIS12345678901", typeOfBusiness: "property-unspecified" };

const ID_LETTER: Readonly<Record<TypeOfBusiness, string>> = {
  "self-employment": "B",
  "uk-property": "P",
  "foreign-property": "F",
  "property-unspecified": "A",
};

export class SandboxState {
  private readonly taxpayers = new Map<string, TaxpayerState>();

  /** The NINO's state, created with HMRC's default businesses on first touch. */
  taxpayer(nino: string): TaxpayerState {
    let t = this.taxpayers.get(nino);
    if (!t) {
      if (this.taxpayers.size >= MAX_TAXPAYERS) {
        // Forget the longest-idle taxpayer: Maps iterate in insertion order and taxpayer() re-inserts on use.
        const oldest = this.taxpayers.keys().next().value;
        if (oldest !== undefined) this.taxpayers.delete(oldest);
      }
      t = { businesses: defaultBusinesses(), ukPropertyCumulative: new Map() };
    } else {
      this.taxpayers.delete(nino);
    }
    this.taxpayers.set(nino, t);
    return t;
  }

  business(nino: string, businessId: string): Business | undefined {
    return this.taxpayer(nino).businesses.find((b) => b.businessId === businessId);
  }

  /** Adds a business with a fresh id of HMRC's shape (`X` + kind letter + `IS` + 11 digits). */
  addBusiness(nino: string, details: Omit<Business, "businessId">): Business {
    const t = this.taxpayer(nino);
    if (t.businesses.length >= MAX_BUSINESSES_PER_TAXPAYER) throw new RangeError("too many businesses for one NINO");
    let businessId: string;
    do {
      businessId = `X${ID_LETTER[details.typeOfBusiness]}IS${String(randomInt(0, 1e11)).padStart(11, "0")}`;
    } while (t.businesses.some((b) => b.businessId === businessId));
    const business: Business = { businessId, ...details };
    t.businesses.push(business);
    return business;
  }

  /** Removes a business and everything submitted for it; false when there was none. */
  deleteBusiness(nino: string, businessId: string): boolean {
    const t = this.taxpayer(nino);
    const before = t.businesses.length;
    t.businesses = t.businesses.filter((b) => b.businessId !== businessId);
    for (const key of [...t.ukPropertyCumulative.keys()]) if (key.startsWith(`${businessId}/`)) t.ukPropertyCumulative.delete(key);
    return t.businesses.length < before;
  }

  cumulative(nino: string, businessId: string, taxYear: string): CumulativeSubmission | undefined {
    return this.taxpayer(nino).ukPropertyCumulative.get(`${businessId}/${taxYear}`);
  }

  /** Stores a submission, replacing the previous one (cumulative figures restate the year to date). */
  putCumulative(nino: string, businessId: string, taxYear: string, body: UkPropertyCumulativeBody, now: Date): void {
    const key = `${businessId}/${taxYear}`;
    const map = this.taxpayer(nino).ukPropertyCumulative;
    const history = [...(map.get(key)?.history ?? [])];
    const receivedDate = now.toISOString().slice(0, 10);
    if (body.toDate && !history.some((h) => h.toDate === body.toDate)) history.push({ toDate: body.toDate, receivedDate });
    map.set(key, { submittedOn: now.toISOString(), body: structuredClone(body), history });
  }
}

/** Business Details 2.0 retrieve shape (drops the internal accountingType, which that response does not carry). */
export function toBusinessDetails(b: Business): BusinessDetailsResponse & Record<string, unknown> {
  const { accountingType: _accountingType, ...rest } = b;
  return structuredClone(rest) as BusinessDetailsResponse & Record<string, unknown>;
}

/** The basis a business reports on: its quarterly type choice when made, standard otherwise. */
export function quarterBasisOf(b: Business): QuarterBasis {
  return b.quarterlyTypeChoice?.quarterlyPeriodType ?? "standard";
}

/** Annual (latent) for a tax year when its latency details say `A` for that year. */
export function reportsAnnuallyIn(b: Business, taxYear: string): boolean {
  const l = b.latencyDetails;
  if (!l) return false;
  return (l.taxYear1 === taxYear && l.latencyIndicator1 === "A") || (l.taxYear2 === taxYear && l.latencyIndicator2 === "A");
}
