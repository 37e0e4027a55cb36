/** Shapes of the HMRC responses the product reads (Business Details 2.0, Obligations 3.0, BISS 3.0, Calculations 8.0). */
import type { QuarterBasis } from "./quarters";

export type TypeOfBusiness = "self-employment" | "uk-property" | "foreign-property" | "property-unspecified";

export interface BusinessSummary {
  typeOfBusiness: TypeOfBusiness;
  businessId: string;
  tradingName?: string;
}

export interface BusinessListResponse {
  listOfBusinesses: BusinessSummary[];
}

export interface BusinessDetailsResponse extends BusinessSummary {
  quarterlyTypeChoice?: { quarterlyPeriodType: QuarterBasis; taxYearOfChoice: string };
  commencementDate?: string;
  cessationDate?: string;
}

export type ObligationStatus = "open" | "fulfilled";

export interface ObligationDetail {
  periodStartDate: string;
  periodEndDate: string;
  dueDate: string;
  status: ObligationStatus;
  receivedDate?: string;
}

export interface BusinessObligations {
  typeOfBusiness: Exclude<TypeOfBusiness, "property-unspecified">;
  businessId: string;
  obligationDetails: ObligationDetail[];
}

export interface ObligationsResponse {
  obligations: BusinessObligations[];
}

export interface BissResponse {
  total: { income: number; expenses: number; additions?: number; deductions?: number; accountingAdjustments?: number };
  profit: { net: number; taxable: number; adjusted?: number };
  loss: { net: number; taxable: number };
  outstandingBusinessIncome?: number;
}

/** Individual Calculations 8.0 trigger (202). */
export interface CalculationTriggerResponse {
  calculationId: string;
}

export interface CalculationTaxBand {
  name: string;
  rate: number;
  income: number;
  taxAmount: number;
}

/** The subset of Individual Calculations 8.0 retrieve the tax-estimate sheet reads (def3/def4). */
export interface CalculationRetrieveResponse {
  metadata: { calculationId: string; taxYear: string; calculationType: string; calculationTimestamp?: string; periodFrom: string; periodTo: string };
  inputs?: { incomeSources?: { businessIncomeSources?: { incomeSourceId: string; latestPeriodEndDate?: string }[] } };
  calculation?: {
    allowancesAndDeductions?: { personalAllowance?: number };
    taxCalculation?: {
      incomeTax: {
        totalIncomeReceivedFromAllSources: number;
        totalAllowancesAndDeductions: number;
        totalTaxableIncome: number;
        payPensionsProfit?: { taxBands?: CalculationTaxBand[] };
        totalIncomeTaxDue?: number;
      };
      nics?: { class4Nics?: { totalAmount: number } };
      totalIncomeTaxAndNicsDue?: number;
    };
  };
  messages?: { info?: { id: string; text: string }[]; warnings?: { id: string; text: string }[]; errors?: { id: string; text: string }[] };
}
