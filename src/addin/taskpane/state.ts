/** The task pane's state: one immutable object, a section per step. */
import type { CumulativeBusinessType, IsoDate, Nino, Pence, SessionInfo, TaxYear } from "../../mtd";
import type { LedgerCounts } from "../../workbook/ledger";
import type { FiguresMode } from "../../workbook/workbook-mapping";
import type { SubmissionDiff } from "../../workbook/submission-diff";
import { INITIAL_MAPPING, type MappingState } from "./mapping-state";
import type { LocatedMessage, OpenPeriod, UpdatableBusiness } from "./model";

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
  /** The foreign-property entry (country code or property ID) the figure belongs to. */
  readonly entry?: string;
  readonly path: string;
  /** Where the figure sits in the body sent (`/foreignProperty/0/income/rentIncome/rentAmount`). */
  readonly pointer: string;
  readonly label: string;
  readonly section: "income" | "expense" | "disallowable";
  readonly pence: Pence;
  /** The cell, the quarter cells summed, or the ledger rows the figure came from. */
  readonly address: string | undefined;
}

export interface ReviewProblem {
  readonly severity: "error" | "warning";
  readonly message: string;
  readonly address: string | undefined;
}

export interface Review {
  readonly type: CumulativeBusinessType;
  /** Named cells or the ledger table. */
  readonly mode: FiguresMode;
  readonly rows: readonly ReviewRow[];
  /** Errors (blocking) and warnings, each with its cell where there is one, HMRC's rules on the payload included. */
  readonly problems: readonly ReviewProblem[];
  readonly fromDate: IsoDate;
  readonly toDate: IsoDate;
  /** True when nothing blocks sending. */
  readonly canSubmit: boolean;
  /** Ledger mode: how the transactions were used. */
  readonly ledger?: LedgerCounts;
  /** Foreign property: the alias the workbook uses for each entry's ID, to show beside it. */
  readonly entryNames?: Readonly<Record<string, string>>;
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

/** "Refresh HMRC's records": the MTD Obligations and MTD BISS sheets brought up to date without sending. */
export type RecordsState =
  | { readonly status: "idle" }
  | { readonly status: "working"; readonly progress: string }
  | { readonly status: "done"; readonly message: string }
  | { readonly status: "error"; readonly message: string };

export interface AppState {
  /** Office host check: the pane only works inside Excel (or the workbench). */
  readonly host: "starting" | "ready" | "unsupported";
  readonly hostMessage?: string;
  readonly signIn: SignInState;
  readonly connection: ConnectionState;
  readonly taxpayer: TaxpayerState;
  /** The businesses updates can be sent for, in the order shown (see updatableBusinesses). */
  readonly businesses: Async<readonly UpdatableBusiness[]>;
  readonly businessId?: string;
  /** How the chosen business's figures are found in the workbook (the "Your figures" step). */
  readonly mapping: MappingState;
  readonly periods: Async<readonly OpenPeriod[]>;
  /** The chosen period's end date. */
  readonly periodEnd?: string;
  readonly review: Async<Review>;
  /** What reading the figures is doing now (ledger tables are read in blocks). */
  readonly reviewProgress?: string;
  /** The review's figures against the last submission HMRC holds (undefined value: none this year). */
  readonly diff: Async<SubmissionDiff | undefined>;
  readonly submission: SubmissionState;
  readonly estimate: EstimateState;
  readonly records: RecordsState;
}

export function initialState(taxYear: TaxYear): AppState {
  return {
    host: "starting",
    signIn: { status: "checking" },
    connection: { status: "checking" },
    taxpayer: { taxYear, editing: true },
    businesses: IDLE,
    mapping: INITIAL_MAPPING,
    periods: IDLE,
    review: IDLE,
    diff: IDLE,
    submission: IDLE,
    estimate: IDLE,
    records: IDLE,
  };
}
