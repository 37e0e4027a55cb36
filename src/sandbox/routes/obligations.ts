/**
 * Obligations 3.0, income and expenditure. Obligations are derived, not stored: for each quarterly business,
 * each tax year from 2025-26 (the first cumulative year) to the clock's, the four cumulative quarters of the
 * business's quarter basis. One is fulfilled once a cumulative submission for that business and year reaches its
 * period end; `receivedDate` is the day the first such submission arrived.
 */
import type { FastifyInstance } from "fastify";
import {
  addDays,
  compareTaxYears,
  daysBetween,
  isBusinessId,
  isIsoDate,
  quartersOf,
  taxYearFromStartYear,
  taxYearOf,
  taxYearStart,
  taxYearEnd,
  todayIso,
  type BusinessObligations,
  type HmrcErrorItem,
  type IsoDate,
  type ObligationDetail,
  type ObligationsResponse,
  type TaxYear,
} from "../../mtd";
import { errorItem, singleError } from "../errors";
import { catalogueEndpoint, registerHmrcRoute, type HmrcContext, type HmrcRouteDeps } from "../hmrc-route";
import { quarterBasisOf, reportsAnnually, type Business, type SandboxState } from "../state";

const ID = "obligations.income-and-expenditure";
const FIRST_CUMULATIVE_YEAR = 2025;
const TYPES = ["self-employment", "uk-property", "foreign-property"] as const;
const STATUSES = ["open", "fulfilled"] as const;
const EARLIEST_FROM = "2018-04-06";
const LATEST_TO = "2099-12-31";
const MAX_RANGE_DAYS = 366;

/** HMRC's validator (obligations-api v3): formats first, then the missing-type and date-range rules. */
export function validateObligationsQuery(q: Readonly<Record<string, string | undefined>>): HmrcErrorItem[] {
  const errors: HmrcErrorItem[] = [];
  const e = (code: string) => errorItem(ID, code);
  if (q.typeOfBusiness !== undefined && !(TYPES as readonly string[]).includes(q.typeOfBusiness)) errors.push(e("FORMAT_TYPE_OF_BUSINESS"));
  if (q.businessId !== undefined && !isBusinessId(q.businessId)) errors.push(e("FORMAT_BUSINESS_ID"));
  if (q.fromDate !== undefined && q.toDate === undefined) errors.push(e("MISSING_TO_DATE"));
  else if (q.fromDate === undefined && q.toDate !== undefined) errors.push(e("MISSING_FROM_DATE"));
  else if (q.fromDate !== undefined && q.toDate !== undefined) {
    if (!isIsoDate(q.fromDate)) errors.push(e("FORMAT_FROM_DATE"));
    if (!isIsoDate(q.toDate)) errors.push(e("FORMAT_TO_DATE"));
  }
  if (q.status !== undefined && !(STATUSES as readonly string[]).includes(q.status)) errors.push(e("FORMAT_STATUS"));
  if (errors.length > 0) return errors;

  if (q.businessId !== undefined && q.typeOfBusiness === undefined) return [e("MISSING_TYPE_OF_BUSINESS")];
  if (q.fromDate !== undefined && q.toDate !== undefined) {
    const from = q.fromDate as IsoDate;
    const to = q.toDate as IsoDate;
    if (to < from) errors.push(e("RANGE_TO_DATE_BEFORE_FROM_DATE"));
    if (from < EARLIEST_FROM) errors.push(e("RULE_FROM_DATE_NOT_SUPPORTED"));
    if (to > LATEST_TO) errors.push(e("FORMAT_TO_DATE"));
    if (to >= from && (daysBetween(from, to) >= MAX_RANGE_DAYS || to === from)) errors.push(e("RULE_DATE_RANGE_INVALID"));
  }
  return errors;
}

interface Filter {
  typeOfBusiness?: string;
  businessId?: string;
  status?: string;
  from?: IsoDate;
  to?: IsoDate;
}

/** The request's filter; with no dates and a status other than open, HMRC looks from today to 366 days ahead. */
function filterOf(ctx: HmrcContext): Filter {
  const q = ctx.query;
  const filter: Filter = {
    ...(q.typeOfBusiness !== undefined ? { typeOfBusiness: q.typeOfBusiness } : {}),
    ...(q.businessId !== undefined ? { businessId: q.businessId } : {}),
    ...(q.status !== undefined ? { status: q.status } : {}),
  };
  if (q.fromDate !== undefined && q.toDate !== undefined) return { ...filter, from: q.fromDate as IsoDate, to: q.toDate as IsoDate };
  if (q.status !== "open") {
    const today = todayIso(ctx.now);
    return { ...filter, from: today, to: addDays(today, MAX_RANGE_DAYS) };
  }
  return filter;
}

/** Tax years from the first cumulative one to the current one. */
function taxYearsUpTo(current: TaxYear): TaxYear[] {
  const years: TaxYear[] = [];
  for (let y = FIRST_CUMULATIVE_YEAR; compareTaxYears(taxYearFromStartYear(y), current) <= 0; y++) years.push(taxYearFromStartYear(y));
  return years;
}

export function obligationsOf(state: SandboxState, nino: string, business: Business, now: Date): ObligationDetail[] {
  const details: ObligationDetail[] = [];
  for (const ty of taxYearsUpTo(taxYearOf(todayIso(now)))) {
    if (reportsAnnually(state, nino, business, ty)) continue;
    if (business.commencementDate && business.commencementDate > taxYearEnd(ty)) continue;
    if (business.cessationDate && business.cessationDate < taxYearStart(ty)) continue;
    // Every business type's cumulative updates fulfil its quarters (self-employment, UK and foreign property).
    const history = state.cumulative(nino, business.businessId, ty)?.history ?? [];
    for (const q of quartersOf(ty, quarterBasisOf(business, ty))) {
      const received = history.find((h) => h.toDate >= q.end);
      details.push({
        periodStartDate: q.cumulativeStart,
        periodEndDate: q.end,
        dueDate: q.due,
        status: received ? "fulfilled" : "open",
        ...(received ? { receivedDate: received.receivedDate } : {}),
      });
    }
  }
  return details;
}

function matches(o: ObligationDetail, f: Filter): boolean {
  if (f.status !== undefined && o.status !== f.status) return false;
  if (f.from !== undefined && f.to !== undefined && (o.periodEndDate < f.from || o.periodStartDate > f.to)) return false;
  return true;
}

export function obligationsRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: catalogueEndpoint(ID),
    validate: (ctx) => validateObligationsQuery(ctx.query),
    handle: (ctx) => {
      const f = filterOf(ctx);
      const obligations: BusinessObligations[] = [];
      for (const b of ctx.state.taxpayer(ctx.nino).businesses) {
        if (b.typeOfBusiness === "property-unspecified") continue;
        if (f.typeOfBusiness !== undefined && b.typeOfBusiness !== f.typeOfBusiness) continue;
        if (f.businessId !== undefined && b.businessId !== f.businessId) continue;
        const details = obligationsOf(ctx.state, ctx.nino, b, ctx.now).filter((o) => matches(o, f));
        if (details.length > 0) obligations.push({ typeOfBusiness: b.typeOfBusiness, businessId: b.businessId, obligationDetails: details });
      }
      if (obligations.length === 0) return singleError(ID, "NO_OBLIGATIONS_FOUND");
      const body: ObligationsResponse = { obligations };
      return { status: 200, body };
    },
  });
}
