/**
 * The sandbox's memory: per NINO, the businesses (HMRC's default sandbox set, plus any created through the
 * Test Support API), the cumulative and annual submissions of every business type, and the foreign properties
 * (Property Business 6.0 details, 2026-27 on). Created on first touch; bounded so a runaway client cannot grow it
 * without limit. Submissions are stored as the JSON that passed HMRC's schema and rules, so later endpoints
 * (BISS, BSAS, calculations) read exactly what was submitted; `src/sandbox/figures.ts` turns them into pence.
 */
import { randomInt, randomUUID } from "node:crypto";
import type { BusinessDetailsResponse, QuarterBasis, TaxYear, TypeOfBusiness } from "../mtd";
import { taxYearStartYear } from "../mtd";

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
  /** Internal: every basis chosen through Business Details (tax year → basis); each applies until the next. */
  quarterBases?: Record<string, QuarterBasis>;
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

/** A request body as accepted (validated JSON: objects, arrays, numbers, strings, booleans). */
export type SubmittedJson = Readonly<Record<string, unknown>>;

/** The period a cumulative submission covers (SE's `periodDates`, property's `fromDate`/`toDate`); none when annual. */
export interface SubmissionPeriod {
  readonly fromDate?: string;
  readonly toDate?: string;
}

/**
 * A stored cumulative submission of any business type: the latest body (it replaces the previous one, as
 * cumulative figures restate the year to date) and when each end date first arrived.
 */
export interface CumulativeSubmission extends SubmissionPeriod {
  submittedOn: string;
  body: SubmittedJson;
  /** Every accepted end date with the day it was received, oldest first: obligations are fulfilled from these. */
  history: Array<{ toDate: string; receivedDate: string }>;
}

/** A stored annual submission (adjustments, allowances, non-financials): the latest body as submitted. */
export interface AnnualSubmission {
  submittedOn: string;
  body: SubmittedJson;
}

/** A foreign property of Property Business 6.0's details endpoints (2026-27 on). */
export interface ForeignProperty {
  readonly propertyId: string;
  readonly businessId: string;
  /** The tax year it was created for; HMRC lists it from then on until the year of its end date. */
  readonly taxYear: string;
  propertyName: string;
  readonly countryCode: string;
  endDate?: string;
  endReason?: string;
  submittedOn: string;
}

export interface TaxpayerState {
  businesses: Business[];
  /** Cumulative submissions of every business type. Key: `${businessId}/${taxYear}`. */
  cumulative: Map<string, CumulativeSubmission>;
  /** Annual submissions of every business type. Key: `${businessId}/${taxYear}`. */
  annual: Map<string, AnnualSubmission>;
  foreignProperties: ForeignProperty[];
  /** Business Details 2.0 accounting type per business and year (else the business's own). Key: `${businessId}/${taxYear}`. */
  accountingTypes: Map<string, AccountingType>;
  /** Business Details 2.0 periods of account as submitted. Key: `${businessId}/${taxYear}`. */
  periodsOfAccount: Map<string, AnnualSubmission>;
  /** Test Support ITSA statuses by tax year, as submitted (HMRC keeps the whole list). */
  itsaStatuses: Map<string, ItsaStatusDetail[]>;
  /**
   * Business Details 2.0 late accounting date rule elections made for a year: true = disapply, false = withdrawn.
   * Key: `${businessId}/${taxYear}`. Created on first use.
   */
  lateAccountingDateRule?: Map<string, boolean>;
  /** Year-end records (BSAS, calculations, declarations, losses); created on first use. */
  yearEnd?: YearEndState;
}

/** Business Details 2.0's accounting types (its retrieve and update; Test Support says `ACCRUALS`). */
export type AccountingType = "CASH" | "ACCRUAL";

/** One entry of Test Support's `itsaStatusDetails`. */
export interface ItsaStatusDetail {
  readonly submittedOn: string;
  readonly status: string;
  readonly statusReason: string;
  readonly businessIncome2YearsPrior?: number;
}

/** A snapshot of one NINO's state (Test Support checkpoints). */
export interface Checkpoint {
  readonly checkpointId: string;
  readonly nino: string;
  readonly checkpointCreationTimestamp: string;
  readonly snapshot: TaxpayerState;
}

export const MAX_TAXPAYERS = 10_000;
/** Checkpoints hold whole copies of a NINO's state, so few are kept; the oldest go first. */
export const MAX_CHECKPOINTS = 100;
export const MAX_BUSINESSES_PER_TAXPAYER = 50;
export const MAX_FOREIGN_PROPERTIES_PER_TAXPAYER = 200;

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
  private readonly checkpoints = new Map<string, Checkpoint>();

  /**
   * Test Support's "Delete Stateful Test Data": forgets the NINO's state (or every NINO's), so the next touch starts
   * again from HMRC's default businesses. Checkpoints stay, as HMRC documents. False when there was nothing to forget.
   */
  deleteState(nino?: string): boolean {
    if (nino !== undefined) return this.taxpayers.delete(nino);
    const had = this.taxpayers.size > 0;
    this.taxpayers.clear();
    return had;
  }

  /** Snapshots the NINO's state; a fresh UUID, as HMRC's checkpoint ids are. */
  createCheckpoint(nino: string, now: Date): Checkpoint {
    const checkpoint: Checkpoint = { checkpointId: randomUUID(), nino, checkpointCreationTimestamp: now.toISOString(), snapshot: structuredClone(this.taxpayer(nino)) };
    this.checkpoints.set(checkpoint.checkpointId, checkpoint);
    if (this.checkpoints.size > MAX_CHECKPOINTS) this.checkpoints.delete(this.checkpoints.keys().next().value!);
    return checkpoint;
  }

  /** Checkpoints, oldest first, optionally of one NINO. */
  listCheckpoints(nino?: string): Checkpoint[] {
    return [...this.checkpoints.values()].filter((c) => nino === undefined || c.nino === nino);
  }

  deleteCheckpoint(checkpointId: string): boolean {
    return this.checkpoints.delete(checkpointId);
  }

  /** Puts the NINO's state back as it was at the checkpoint (which stays, so it can be restored again). */
  restoreCheckpoint(checkpointId: string): boolean {
    const c = this.checkpoints.get(checkpointId);
    if (!c) return false;
    this.taxpayers.delete(c.nino);
    this.taxpayers.set(c.nino, structuredClone(c.snapshot));
    return true;
  }

  /** The status HMRC would apply for the year: the latest submitted entry (by `submittedOn`), if any. */
  itsaStatus(nino: string, taxYear: string): string | undefined {
    const details = this.taxpayer(nino).itsaStatuses.get(taxYear) ?? [];
    return [...details].sort((a, b) => (a.submittedOn < b.submittedOn ? -1 : 1)).pop()?.status;
  }

  /** The NINO's state, created with HMRC's default businesses on first touch. */
  taxpayer(nino: string): TaxpayerState {
    let t = this.taxpayers.get(nino);
    if (!t) {
      if (this.taxpayers.size >= MAX_TAXPAYERS) {
        // Forget the longest-idle taxpayer: Maps iterate in insertion order and taxpayer() re-inserts on use.
        const oldest = this.taxpayers.keys().next().value;
        if (oldest !== undefined) this.taxpayers.delete(oldest);
      }
      t = { businesses: defaultBusinesses(), cumulative: new Map(), annual: new Map(), foreignProperties: [], accountingTypes: new Map(), periodsOfAccount: new Map(), itsaStatuses: new Map() };
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
    for (const map of [t.cumulative, t.annual, t.accountingTypes, t.periodsOfAccount, t.lateAccountingDateRule ?? new Map()]) for (const key of [...map.keys()]) if (key.startsWith(`${businessId}/`)) map.delete(key);
    t.foreignProperties = t.foreignProperties.filter((p) => p.businessId !== businessId);
    // Its year-end records go too; calculations and declarations are the taxpayer's, not the business's.
    const y = t.yearEnd;
    if (y) {
      y.bsas = y.bsas.filter((b) => b.businessId !== businessId);
      y.broughtForwardLosses = y.broughtForwardLosses.filter((l) => l.businessId !== businessId);
      y.lossClaims = y.lossClaims.filter((c) => c.businessId !== businessId);
      for (const key of [...y.lossesAndClaims.keys()]) if (key.startsWith(`${businessId}/`)) y.lossesAndClaims.delete(key);
    }
    return t.businesses.length < before;
  }

  /** The latest cumulative submission for the business and tax year, whatever the business type. */
  cumulative(nino: string, businessId: string, taxYear: string): CumulativeSubmission | undefined {
    return this.taxpayer(nino).cumulative.get(`${businessId}/${taxYear}`);
  }

  /** Stores a cumulative submission, replacing the previous one (cumulative figures restate the year to date). */
  putCumulative(nino: string, businessId: string, taxYear: string, body: SubmittedJson, period: SubmissionPeriod, now: Date): void {
    const key = `${businessId}/${taxYear}`;
    const map = this.taxpayer(nino).cumulative;
    const history = [...(map.get(key)?.history ?? [])];
    const receivedDate = now.toISOString().slice(0, 10);
    if (period.toDate && !history.some((h) => h.toDate === period.toDate)) history.push({ toDate: period.toDate, receivedDate });
    map.set(key, {
      submittedOn: now.toISOString(),
      ...(period.fromDate ? { fromDate: period.fromDate } : {}),
      ...(period.toDate ? { toDate: period.toDate } : {}),
      body: structuredClone(body),
      history,
    });
  }

  /** The latest annual submission for the business and tax year, whatever the business type. */
  annual(nino: string, businessId: string, taxYear: string): AnnualSubmission | undefined {
    return this.taxpayer(nino).annual.get(`${businessId}/${taxYear}`);
  }

  /** Stores an annual submission, replacing the previous one (HMRC's annual PUT is create-or-replace). */
  putAnnual(nino: string, businessId: string, taxYear: string, body: SubmittedJson, now: Date): void {
    this.taxpayer(nino).annual.set(`${businessId}/${taxYear}`, { submittedOn: now.toISOString(), body: structuredClone(body) });
  }

  /** Removes an annual submission; false when there was none. */
  deleteAnnual(nino: string, businessId: string, taxYear: string): boolean {
    return this.taxpayer(nino).annual.delete(`${businessId}/${taxYear}`);
  }

  /** The NINO's foreign properties (all businesses, all years). */
  foreignProperties(nino: string): readonly ForeignProperty[] {
    return this.taxpayer(nino).foreignProperties;
  }

  foreignProperty(nino: string, propertyId: string): ForeignProperty | undefined {
    return this.taxpayer(nino).foreignProperties.find((p) => p.propertyId === propertyId);
  }

  /** Adds a foreign property with a fresh UUID, as HMRC's create endpoint does. */
  addForeignProperty(nino: string, details: Omit<ForeignProperty, "propertyId">): ForeignProperty {
    const t = this.taxpayer(nino);
    if (t.foreignProperties.length >= MAX_FOREIGN_PROPERTIES_PER_TAXPAYER) throw new RangeError("too many foreign properties for one NINO");
    const property: ForeignProperty = { propertyId: randomUUID(), ...details };
    t.foreignProperties.push(property);
    return property;
  }

  /** The NINO's year-end records: BSAS, calculations, final declarations, losses. */
  yearEnd(nino: string): YearEndState {
    const t = this.taxpayer(nino);
    return (t.yearEnd ??= { bsas: [], calculations: [], declarations: new Map(), amending: new Set(), broughtForwardLosses: [], lossClaims: [], lossesAndClaims: new Map() });
  }

  /**
   * Whether a final declaration has been made for the tax year. Submission endpoints answer
   * RULE_FINAL_DECLARATION_RECEIVED (or their documented equivalent) once it is true.
   */
  isFinalised(nino: string, taxYear: string): boolean {
    return this.taxpayer(nino).yearEnd?.declarations.has(taxYear) ?? false;
  }

  /**
   * Finalised and either no intent-to-amend open or the amendment window closed: writes to the year are refused
   * (hmrc-route.ts `lock`).
   */
  isLocked(nino: string, taxYear: string, now: Date): boolean {
    const y = this.taxpayer(nino).yearEnd;
    if (!(y?.declarations.has(taxYear) ?? false)) return false;
    return !y?.amending.has(taxYear) || amendmentWindowClosed(taxYear, now);
  }
}

/**
 * The last day a declared year can be amended: 12 months after the 31 January filing deadline, so 31 January two
 * years after the tax year ends (2025-26: 31 January 2028).
 */
export function amendmentWindowLastDay(taxYear: string): string {
  return `${taxYearStartYear(taxYear as TaxYear) + 3}-01-31`;
}

/** Whether the clock (UTC date) is past the year's amendment window. */
export function amendmentWindowClosed(taxYear: string, now: Date): boolean {
  return now.toISOString().slice(0, 10) > amendmentWindowLastDay(taxYear);
}

/** Business Details 2.0 retrieve shape (drops the internal accountingType and quarterBases, which that response does not carry). */
export function toBusinessDetails(b: Business): BusinessDetailsResponse & Record<string, unknown> {
  const { accountingType: _accountingType, quarterBases: _quarterBases, ...rest } = b;
  return structuredClone(rest) as BusinessDetailsResponse & Record<string, unknown>;
}

/**
 * The basis a business reports on in a tax year: the latest choice made for that year or an earlier one (a choice
 * carries forward until the next), standard when none.
 */
export function quarterBasisOf(b: Business, taxYear: string): QuarterBasis {
  const choices: Record<string, QuarterBasis> = { ...b.quarterBases };
  const c = b.quarterlyTypeChoice;
  if (c && !(c.taxYearOfChoice in choices)) choices[c.taxYearOfChoice] = c.quarterlyPeriodType;
  const year = Object.keys(choices)
    .filter((y) => y <= taxYear)
    .sort()
    .pop();
  return year === undefined ? "standard" : choices[year]!;
}

/** Records a Business Details quarterly period type choice for the tax year; earlier years keep theirs. */
export function chooseQuarterBasis(b: Business, taxYear: string, basis: QuarterBasis): void {
  const bases = (b.quarterBases ??= {});
  const previous = b.quarterlyTypeChoice;
  if (previous) bases[previous.taxYearOfChoice] ??= previous.quarterlyPeriodType;
  bases[taxYear] = basis;
  b.quarterlyTypeChoice = { quarterlyPeriodType: basis, taxYearOfChoice: taxYear };
}

/**
 * Whether the business reports annually in the tax year: latent (`A` in its latency details) or the taxpayer's
 * ITSA status for the year is "Annual" (Test Support), so cumulative updates carry no dates and owe no quarters.
 */
export function reportsAnnually(state: SandboxState, nino: string, b: Business, taxYear: string): boolean {
  return reportsAnnuallyIn(b, taxYear) || state.itsaStatus(nino, taxYear) === "Annual";
}

/** Annual (latent) for a tax year when its latency details say `A` for that year. */
export function reportsAnnuallyIn(b: Business, taxYear: string): boolean {
  const l = b.latencyDetails;
  if (!l) return false;
  return (l.taxYear1 === taxYear && l.latencyIndicator1 === "A") || (l.taxYear2 === taxYear && l.latencyIndicator2 === "A");
}

/** Year-end records per NINO are capped; the oldest go first. */
export const MAX_YEAR_END_RECORDS = 500;

/** Appends, dropping the oldest entries beyond MAX_YEAR_END_RECORDS. */
export function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_YEAR_END_RECORDS) list.splice(0, list.length - MAX_YEAR_END_RECORDS);
}

export type BsasTypeOfBusiness = "self-employment" | "uk-property" | "foreign-property";

/** A Business Source Adjustable Summary as triggered (BSAS 7.0); figures are computed on read from `snapshot`. */
export interface StoredBsas {
  readonly calculationId: string;
  readonly typeOfBusiness: BsasTypeOfBusiness;
  readonly businessId: string;
  readonly taxYear: string;
  readonly accountingPeriod: { readonly startDate: string; readonly endDate: string };
  readonly requestedDateTime: string;
  /** The cumulative and annual submissions as they stood when triggered. */
  readonly snapshot: { readonly cumulative?: CumulativeSubmission; readonly annual?: AnnualSubmission };
  /** The accepted adjustments body (deltas), once; `adjustedDateTime` when it arrived. */
  adjustments?: SubmittedJson;
  adjustedDateTime?: string;
}

export type TriggeredCalculationType = "in-year" | "intent-to-finalise" | "intent-to-amend";

/** A tax calculation (Individual Calculations 8.0): its retrieve body is fixed when triggered. */
export interface StoredCalculation {
  readonly calculationId: string;
  readonly taxYear: string;
  readonly calculationType: TriggeredCalculationType;
  readonly calculationTimestamp: string;
  /** Total liability in pence, for the list endpoint. */
  readonly liability: number;
  readonly retrieve: SubmittedJson;
  /** Set when submitted as a final declaration or confirmed amendment. */
  submitted?: { readonly type: "final-declaration" | "confirm-amendment"; readonly timestamp: string };
}

export interface StoredBroughtForwardLoss {
  readonly lossId: string;
  readonly businessId: string;
  readonly typeOfLoss: string;
  readonly taxYearBroughtForwardFrom: string;
  lossAmount: number;
  lastModified: string;
}

export interface StoredLossClaim {
  readonly claimId: string;
  readonly businessId: string;
  readonly typeOfLoss: string;
  typeOfClaim: string;
  readonly taxYearClaimedFor: string;
  sequence?: number;
  lastModified: string;
}

export interface YearEndState {
  bsas: StoredBsas[];
  calculations: StoredCalculation[];
  /** Tax year → the declared calculation's id and when. */
  declarations: Map<string, { calculationId: string; timestamp: string }>;
  /** Tax years with an intent-to-amend triggered and not yet confirmed: the amendment window is open. */
  amending: Set<string>;
  broughtForwardLosses: StoredBroughtForwardLoss[];
  lossClaims: StoredLossClaim[];
  /** Individual Losses 7.0 bodies. Key: `${businessId}/${taxYear}`. */
  lossesAndClaims: Map<string, AnnualSubmission>;
}
