/** The task pane's state: one immutable object, a section per step. */
import type { BusinessSummary, IsoDate, Nino, Pence, SessionInfo, TaxYear } from "../../mtd";
import type { SubmissionDiff } from "../../workbook/submission-diff";
import type { LocatedMessage, OpenPeriod } from "./model";

/** Something fetched or computed: not asked for yet, under way, there, or failed with a plain message. */
export type Async<T> =
  | { readonly status: "idle" }
  | { readonly status: "loading" }
  | { readonly status: "ready"; readonly value: T }
  | { readonly status: "error"; readonly message: string };

export const IDLE = { status: "idle" } as const;
export const LOADING = { status: "loading" } as const;

export interface ConnectionState {
  readonly status: "checking" | "disconnected" | "connecting" | "connected";
  readonly environment?: SessionInfo["environment"];
  readonly expiresAt?: string;
  /** Why the last attempt failed, in plain English. */
  readonly error?: string;
  /** What is happening now, while connecting. */
  readonly progress?: string;
}

/**
 * Signing in with Microsoft, the first step in IDENTITY_MODE=entra. `checking`: asking the relay how it knows
 * people; `not-needed`: local mode (the step is hidden); `unavailable`: the relay or msal could not be reached.
 */
export interface SignInState {
  readonly status: "checking" | "not-needed" | "unavailable" | "signed-out" | "signing-in" | "signed-in";
  /** The Microsoft account's name, once signed in (when msal says). */
  readonly account?: string;
  /** Why the last attempt failed, in plain English. */
  readonly error?: string;
}

export interface TaxpayerState {
  readonly nino?: Nino;
  readonly taxYear: TaxYear;
  /** The NINO form is open (no NINO yet, or the user chose Change). */
  readonly editing: boolean;
  readonly error?: string;
  /** What the person typed and chose, kept while the form shows an error so nothing they typed is lost. */
  readonly draft?: { readonly nino: string; readonly taxYear: string };
}

export interface ReviewRow {
  readonly path: string;
  readonly label: string;
  readonly section: "income" | "expenses";
  readonly pence: Pence;
  readonly address: string | undefined;
}

export interface ReviewProblem {
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly address: string | undefined;
}

export interface Review {
  readonly rows: readonly ReviewRow[];
  readonly problems: readonly ReviewProblem[];
  /** Problems found by HMRC's rules on the built payload (located to cells where possible). */
  readonly payloadErrors: readonly LocatedMessage[];
  readonly fromDate: IsoDate;
  readonly toDate: IsoDate;
  /** True when nothing blocks sending. */
  readonly canSubmit: boolean;
}

export type StepState = "pending" | "active" | "done" | "failed" | "skipped";

export interface ProgressStep {
  readonly id: string;
  readonly label: string;
  readonly state: StepState;
}

export type SubmissionState =
  | { readonly status: "idle" }
  | { readonly status: "sending"; readonly steps: readonly ProgressStep[] }
  | {
      readonly status: "done";
      readonly steps: readonly ProgressStep[];
      readonly correlationId: string | undefined;
      readonly receiptId: string | undefined;
      /** Things that went wrong after HMRC accepted the update (writing sheets, BISS); the update stands. */
      readonly warnings: readonly string[];
    }
  | {
      readonly status: "error";
      readonly steps: readonly ProgressStep[];
      readonly message: string;
      readonly errors: readonly LocatedMessage[];
      readonly correlationId: string | undefined;
    };

/** "Get my tax estimate": HMRC's disclaimer is shown in the pane before the figures go into the sheet. */
export type EstimateState =
  | { readonly status: "idle" }
  | { readonly status: "working"; readonly progress: string }
  | { readonly status: "ready"; readonly disclaimer: string; readonly calculationId: string; readonly warning?: string }
  | { readonly status: "error"; readonly message: string };

export interface AppState {
  /** Office host check: the pane only works inside Excel (or the workbench). */
  readonly host: "starting" | "ready" | "unsupported";
  readonly hostMessage?: string;
  readonly signIn: SignInState;
  readonly connection: ConnectionState;
  readonly taxpayer: TaxpayerState;
  readonly businesses: Async<readonly BusinessSummary[]>;
  readonly businessId?: string;
  readonly periods: Async<readonly OpenPeriod[]>;
  /** The chosen period's end date. */
  readonly periodEnd?: string;
  readonly review: Async<Review>;
  /** The review's figures against the last submission HMRC holds (undefined value: none this year). */
  readonly diff: Async<SubmissionDiff | undefined>;
  readonly submission: SubmissionState;
  readonly estimate: EstimateState;
}

export function initialState(taxYear: TaxYear): AppState {
  return {
    host: "starting",
    signIn: { status: "checking" },
    connection: { status: "checking" },
    taxpayer: { taxYear, editing: true },
    businesses: IDLE,
    periods: IDLE,
    review: IDLE,
    diff: IDLE,
    submission: IDLE,
    estimate: IDLE,
  };
}
