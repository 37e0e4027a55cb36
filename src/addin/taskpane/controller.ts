/**
 * What the task pane's buttons do. Each action updates the store; views only render state and call these.
 * Every dependency (relay, workbook, Office dialogs, clock) is passed in, so the whole journey runs in Node
 * tests against fakes and in the browser against the real thing.
 */
import {
  buildPath,
  getEndpoint,
  maskNino,
  parseBusinessId,
  parseNino,
  parseTaxYear,
  taxYearEnd,
  taxYearStart,
  type BusinessListResponse,
  type IdentityInfo,
  type IsoDate,
  type ObligationsResponse,
} from "../../mtd";
import type { SheetWrite, WorkbookPort } from "../../workbook/port";
import { taxEstimateDisclaimer, taxEstimateSheet } from "../../workbook/result-sheets";
import { SignInNeeded, type Bearer } from "../auth/bearer";
import { connectToHmrc } from "../auth/connect";
import type { MicrosoftTokens } from "../auth/microsoft";
import type { DialogHost } from "../auth/office-dialog";
import { RelayError, type RelayClient } from "../relay-client";
import type { SessionStore } from "../session-store";
import { businessName, chooseTaxYear, chosenBusiness, openPeriods, taxYearChoices, updatableBusinesses } from "./model";
import { MappingActions } from "./mapping-actions";
import { fetchBissSheet, fetchObligationsSheet } from "./records";
import { fetchTaxEstimate } from "./estimate";
import { compareWithLastSubmission } from "./last-submission";
import { prepareReview } from "./review";
import { IDLE, LOADING, type AppState, type Review, type SignInState } from "./state";
import type { Store } from "./store";
import { submitQuarterlyUpdate } from "./submit";

/** Keys in the workbook's MTD Bridge settings (they travel with the file). */
export const SETTING_NINO = "nino";
export const SETTING_TAX_YEAR = "taxYear";
/** The business last chosen (any type). */
export const SETTING_BUSINESS_ID = "businessId";
/** Where the walking skeleton (UK property only) kept it: still read, so existing workbooks keep their choice. */
const LEGACY_SETTING_BUSINESS_ID = "ukProperty.businessId";

export interface TaskpaneDeps {
  readonly relay: RelayClient;
  readonly session: SessionStore;
  readonly workbook: WorkbookPort;
  readonly dialogs: DialogHost;
  /** The task pane's origin, where the dialog opens and whence it must answer. */
  readonly origin: string;
  readonly today: () => IsoDate;
  /** Waits between HMRC calculation retrieves; tests pass one that returns at once. Default: a timer. */
  readonly wait?: (ms: number) => Promise<void>;
  /** Sends a message to the screen-reader live region (and the visible status line). */
  readonly announce: (message: string) => void;
  /**
   * Entra mode (the relay's GET /api/identity says so): the Microsoft sign-in for those settings, and the
   * relay client's bearer, which then carries Microsoft tokens. Absent: this pane can only use local mode.
   */
  readonly microsoft?: {
    readonly create: (identity: Extract<IdentityInfo, { mode: "entra" }>) => Promise<MicrosoftTokens>;
    readonly bearer: Pick<Bearer, "useMicrosoft">;
  };
}

/** What the relay's refusals of a Microsoft token mean to the person. */
const NOT_ACCEPTED =
  "Microsoft signed you in, but MTD Bridge's server did not accept that account. Sign in with your work account from the organisation that runs this MTD Bridge.";

function messageOf(e: unknown): string {
  if (e instanceof RelayError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return "Something went wrong. Please try again.";
}

export class TaskpaneController {
  private microsoft: MicrosoftTokens | undefined;
  /** The "Your figures" step: how the chosen business's figures are found; confirming it lists the periods. */
  readonly mapping: MappingActions;

  constructor(
    private readonly store: Store<AppState>,
    private readonly deps: TaskpaneDeps,
  ) {
    this.mapping = new MappingActions(
      store,
      { workbook: deps.workbook, relay: deps.relay, announce: deps.announce, relayFailed: (e) => this.sessionLost(e) },
      () => this.loadPeriods(),
    );
  }

  private set(change: (s: AppState) => AppState): void {
    this.store.update(change);
  }

  private get state(): AppState {
    return this.store.state;
  }

  /** Reads the workbook's saved choices and checks for a live relay session. */
  async start(): Promise<void> {
    let settings: Readonly<Record<string, string>> = {};
    try {
      settings = await this.deps.workbook.readSettings();
    } catch (e) {
      this.deps.announce(`Could not read MTD Bridge's settings from this workbook: ${messageOf(e)}`);
    }
    const nino = parseNino(settings[SETTING_NINO]);
    const taxYear = chooseTaxYear(settings[SETTING_TAX_YEAR], this.deps.today());
    const businessId = parseBusinessId(settings[SETTING_BUSINESS_ID] ?? settings[LEGACY_SETTING_BUSINESS_ID]);
    this.set((s) => ({
      ...s,
      host: "ready",
      taxpayer: { taxYear, editing: !nino.ok, ...(nino.ok ? { nino: nino.value } : {}) },
      ...(businessId.ok ? { businessId: businessId.value } : {}),
    }));
    await this.findIdentity();
    const signIn = this.state.signIn.status;
    if (signIn === "not-needed" || signIn === "signed-in") await this.refreshSession();
    else this.set((s) => ({ ...s, connection: { status: "disconnected" } }));
  }

  private get entra(): boolean {
    return this.microsoft !== undefined;
  }

  private setSignIn(signIn: SignInState): void {
    this.set((s) => ({ ...s, signIn }));
  }

  /** Asks the relay how it knows people; in entra mode prepares msal and signs in silently if it can. */
  private async findIdentity(): Promise<void> {
    if (this.microsoft) return this.signInSilently();
    let identity: IdentityInfo;
    try {
      identity = await this.deps.relay.identity();
    } catch (e) {
      this.setSignIn({ status: "unavailable", error: messageOf(e) });
      return;
    }
    if (identity.mode === "local") {
      this.setSignIn({ status: "not-needed" });
      return;
    }
    const microsoft = this.deps.microsoft;
    if (!microsoft) {
      this.setSignIn({ status: "unavailable", error: "This MTD Bridge needs a Microsoft sign-in, which this copy of the task pane cannot do. Tell whoever runs your MTD Bridge." });
      return;
    }
    try {
      this.microsoft = await microsoft.create(identity);
    } catch {
      this.setSignIn({ status: "unavailable", error: "Microsoft's sign-in could not be loaded. Check your connection, then choose “Try again”." });
      return;
    }
    microsoft.bearer.useMicrosoft(this.microsoft);
    await this.signInSilently();
  }

  private async signInSilently(): Promise<void> {
    const microsoft = this.microsoft!;
    let token: string | undefined;
    try {
      token = await microsoft.tokenSilently();
    } catch {
      token = undefined; // a failed silent attempt just means asking the person
    }
    this.setSignIn(token === undefined ? { status: "signed-out" } : { status: "signed-in", ...(microsoft.username ? { account: microsoft.username } : {}) });
  }

  /** The "Sign in with Microsoft" button: Microsoft's window (popup, host or Office dialog), then the HMRC connection's state. */
  async signInWithMicrosoft(): Promise<void> {
    const microsoft = this.microsoft;
    if (!microsoft || this.state.signIn.status === "signing-in") return;
    this.setSignIn({ status: "signing-in" });
    this.deps.announce("Opening Microsoft's sign-in…");
    try {
      await microsoft.signIn();
    } catch (e) {
      const error = messageOf(e);
      this.setSignIn({ status: "signed-out", error });
      this.deps.announce(error);
      return;
    }
    this.setSignIn({ status: "signed-in", ...(microsoft.username ? { account: microsoft.username } : {}) });
    this.deps.announce("Signed in with Microsoft.");
    await this.refreshSession();
  }

  /** The relay refused the Microsoft token (401) or could not check it (503): back to the sign-in step. */
  private signInRefused(e: RelayError): void {
    const error = e instanceof SignInNeeded || e.code === "RELAY_SIGN_IN_UNAVAILABLE" ? e.message : NOT_ACCEPTED;
    this.setSignIn({ status: "signed-out", error });
    this.set((s) => ({ ...s, connection: { status: "disconnected" } }));
    this.deps.announce(error);
  }

  private async refreshSession(): Promise<void> {
    if (!this.entra && !this.deps.session.token) {
      this.set((s) => ({ ...s, connection: { status: "disconnected" } }));
      return;
    }
    try {
      const info = await this.deps.relay.session();
      if (!info.connected) throw new RelayError("http", "Not connected", 401);
      this.set((s) => ({ ...s, connection: { status: "connected", environment: info.environment, expiresAt: info.expiresAt } }));
      await this.afterConnected();
    } catch (e) {
      if (this.entra && e instanceof RelayError && (e.code === "RELAY_NOT_SIGNED_IN" || e.code === "RELAY_SIGN_IN_UNAVAILABLE")) {
        this.signInRefused(e);
        return;
      }
      if (e instanceof RelayError && e.status === 401) this.deps.session.clear();
      this.set((s) => ({ ...s, connection: { status: "disconnected" } }));
    }
  }

  private async afterConnected(): Promise<void> {
    if (this.state.taxpayer.nino && !this.state.taxpayer.editing) await this.loadBusinesses();
  }

  async connect(): Promise<void> {
    if (this.state.connection.status === "connecting") return;
    if (this.entra && this.state.signIn.status !== "signed-in") return;
    this.set((s) => ({ ...s, connection: { status: "connecting", progress: "Opening HMRC's sign-in…" } }));
    this.deps.announce("Opening HMRC's sign-in window…");
    try {
      const session = await connectToHmrc({
        relay: this.deps.relay,
        dialogs: this.deps.dialogs,
        origin: this.deps.origin,
        onProgress: (progress) => this.set((s) => ({ ...s, connection: { ...s.connection, progress } })),
        signedIn: this.entra,
      });
      // Entra mode has no relay session: the Microsoft token is the bearer.
      if (session) this.deps.session.set({ token: session.sessionToken, expiresAt: session.expiresAt });
      const info = await this.deps.relay.session();
      this.set((s) => ({ ...s, connection: { status: "connected", environment: info.environment, expiresAt: info.expiresAt } }));
      this.deps.announce("Connected to HMRC.");
      await this.afterConnected();
    } catch (e) {
      if (this.entra && e instanceof RelayError && (e.code === "RELAY_NOT_SIGNED_IN" || e.code === "RELAY_SIGN_IN_UNAVAILABLE")) {
        this.signInRefused(e);
        return;
      }
      const error = messageOf(e);
      this.set((s) => ({ ...s, connection: { status: "disconnected", error } }));
      this.deps.announce(error);
    }
  }

  async disconnect(): Promise<void> {
    try {
      await this.deps.relay.disconnect();
    } catch {
      // the session may already have ended; forgetting it locally is what matters
    }
    this.deps.session.clear();
    this.set((s) => ({ ...s, connection: { status: "disconnected" }, businesses: IDLE, periods: IDLE, review: IDLE, diff: IDLE, submission: IDLE, estimate: IDLE, records: IDLE }));
    this.deps.announce("Disconnected from HMRC.");
  }

  editTaxpayer(): void {
    this.set((s) => ({ ...s, taxpayer: { ...s.taxpayer, editing: true, error: undefined, draft: undefined } }));
  }

  /** Validates and saves the NINO and tax year into the workbook, then lists the businesses. */
  async saveTaxpayer(ninoInput: string, taxYearInput: string): Promise<boolean> {
    const nino = parseNino(ninoInput);
    const taxYear = parseTaxYear(taxYearInput);
    const draft = { nino: ninoInput.slice(0, 20), taxYear: taxYearInput.slice(0, 10) };
    if (!nino.ok) {
      const error = "Enter a National Insurance number like QQ 12 34 56 C: two letters, six digits, then A, B, C or D.";
      this.set((s) => ({ ...s, taxpayer: { ...s.taxpayer, error, draft } }));
      this.deps.announce(error);
      return false;
    }
    if (!taxYear.ok || !taxYearChoices(this.deps.today()).includes(taxYear.value)) {
      const error = "Choose a tax year from the list.";
      this.set((s) => ({ ...s, taxpayer: { ...s.taxpayer, error, draft } }));
      this.deps.announce(error);
      return false;
    }
    const changed = nino.value !== this.state.taxpayer.nino || taxYear.value !== this.state.taxpayer.taxYear;
    try {
      await this.deps.workbook.writeSettings({ [SETTING_NINO]: nino.value, [SETTING_TAX_YEAR]: taxYear.value });
    } catch (e) {
      const error = `Could not save to the workbook: ${messageOf(e)}`;
      this.set((s) => ({ ...s, taxpayer: { ...s.taxpayer, error, draft } }));
      this.deps.announce(error);
      return false;
    }
    this.set((s) => ({
      ...s,
      taxpayer: { nino: nino.value, taxYear: taxYear.value, editing: false },
      ...(changed ? { periods: IDLE, periodEnd: undefined, review: IDLE, submission: IDLE } : {}),
    }));
    if (changed) this.mapping.reset(); // the fields, and a foreign property's entries, differ by year
    this.deps.announce(`Saved National Insurance number ${maskNino(nino.value)} and tax year ${taxYear.value}.`);
    await this.loadBusinesses();
    return true;
  }

  async loadBusinesses(): Promise<void> {
    const nino = this.state.taxpayer.nino;
    if (!nino || this.state.connection.status !== "connected") return;
    this.set((s) => ({ ...s, businesses: LOADING }));
    try {
      const e = getEndpoint("business-details.list");
      const res = await this.deps.relay.hmrc<BusinessListResponse>("GET", buildPath(e, { nino }));
      const list = updatableBusinesses(res.body?.listOfBusinesses ?? []);
      this.set((s) => ({ ...s, businesses: { status: "ready", value: list } }));
      const remembered = list.find((b) => b.businessId === this.state.businessId);
      const only = list.length === 1 ? list[0] : undefined;
      const pick = remembered ?? only;
      if (pick) await this.chooseBusiness(pick.businessId);
      else this.deps.announce(list.length === 0 ? "HMRC lists no business signed up to Making Tax Digital for this NINO." : `Choose one of your ${list.length} businesses.`);
    } catch (e) {
      this.failed(e, (message) => this.set((s) => ({ ...s, businesses: { status: "error", message } })));
    }
  }

  async chooseBusiness(businessId: string): Promise<void> {
    const list = this.state.businesses.status === "ready" ? this.state.businesses.value : [];
    if (!list.some((b) => b.businessId === businessId)) return;
    const changed = businessId !== this.state.businessId;
    this.set((s) => ({ ...s, businessId, ...(changed ? { periodEnd: undefined, review: IDLE, diff: IDLE, submission: IDLE, records: IDLE } : {}) }));
    if (changed) this.mapping.reset();
    try {
      await this.deps.workbook.writeSettings({ [SETTING_BUSINESS_ID]: businessId });
    } catch (e) {
      this.deps.announce(`The business was chosen but could not be saved in the workbook: ${messageOf(e)}`);
    }
    // Where its figures are comes next; once that is settled (at once, when nothing blocks) the periods load.
    if (this.state.mapping.confirmed && !changed) await this.loadPeriods();
    else await this.mapping.load();
  }

  async loadPeriods(): Promise<void> {
    const { nino, taxYear } = this.state.taxpayer;
    const business = chosenBusiness(this.state);
    if (!nino || !business) return;
    const businessId = business.businessId;
    this.set((s) => ({ ...s, periods: LOADING }));
    try {
      const e = getEndpoint("obligations.income-and-expenditure");
      const res = await this.deps.relay.hmrc<ObligationsResponse>("GET", buildPath(e, { nino }), {
        query: { typeOfBusiness: business.typeOfBusiness, businessId, fromDate: taxYearStart(taxYear), toDate: taxYearEnd(taxYear) },
      });
      const periods = openPeriods(res.body, businessId, taxYear, this.deps.today());
      this.set((s) => ({ ...s, periods: { status: "ready", value: periods } }));
      this.deps.announce(periods.length === 0 ? `No open periods for ${taxYear}.` : `${periods.length} open period${periods.length === 1 ? "" : "s"} for ${taxYear}.`);
    } catch (e) {
      // HMRC answers 404 NO_OBLIGATIONS_FOUND when every period is fulfilled: that is an empty list, not a failure.
      if (e instanceof RelayError && e.code === "NO_OBLIGATIONS_FOUND") {
        this.set((s) => ({ ...s, periods: { status: "ready", value: [] } }));
        this.deps.announce(`No open periods for ${taxYear}.`);
        return;
      }
      this.failed(e, (message) => this.set((s) => ({ ...s, periods: { status: "error", message } })));
    }
  }

  async choosePeriod(end: string): Promise<void> {
    const periods = this.state.periods.status === "ready" ? this.state.periods.value : [];
    const period = periods.find((p) => p.end === end);
    if (!period || !period.canSubmit) return;
    this.set((s) => ({ ...s, periodEnd: end, submission: IDLE }));
    await this.review();
  }

  /** Back to the period list without sending anything. */
  changePeriod(): void {
    this.set((s) => ({ ...s, periodEnd: undefined, review: IDLE, submission: IDLE }));
  }

  /** Lets the user pick another of their businesses. */
  changeBusiness(): void {
    this.mapping.reset();
    this.set((s) => ({ ...s, businessId: undefined, periods: IDLE, periodEnd: undefined, review: IDLE, diff: IDLE, submission: IDLE, records: IDLE }));
  }

  /** "Change" on the Your figures step: back to the mapping, leaving any period chosen and its review. */
  async editFigures(): Promise<void> {
    this.set((s) => ({ ...s, periodEnd: undefined, review: IDLE, diff: IDLE, submission: IDLE }));
    await this.mapping.edit();
  }

  /** Reads the figures for the chosen period from the workbook and checks them as HMRC would. */
  async review(): Promise<void> {
    const period = this.chosenPeriod();
    const business = chosenBusiness(this.state);
    if (!period?.quarter || !business) return;
    this.set((s) => ({ ...s, review: LOADING, reviewProgress: undefined, diff: IDLE, submission: IDLE }));
    this.deps.announce("Reading your figures from the workbook…");
    // Ledger tables are read in blocks: say how far, but announce only every quarter so a screen reader is not flooded.
    let announced = 0;
    const onProgress = (read: number, total: number) => {
      this.set((s) => ({ ...s, reviewProgress: `Read ${read.toLocaleString("en-GB")} of ${total.toLocaleString("en-GB")} transactions…` }));
      const quarterDone = Math.floor((read / Math.max(total, 1)) * 4);
      if (quarterDone > announced && read < total) {
        announced = quarterDone;
        this.deps.announce(`Read ${quarterDone * 25}% of your transactions.`);
      }
    };
    try {
      const review = await prepareReview(this.deps.workbook, { type: business.typeOfBusiness, businessId: business.businessId }, period.quarter, onProgress);
      this.set((s) => ({ ...s, review: { status: "ready", value: review }, reviewProgress: undefined }));
      const blocking = review.problems.filter((p) => p.severity === "error").length;
      this.deps.announce(
        blocking > 0
          ? `${blocking} problem${blocking === 1 ? "" : "s"} in the workbook must be corrected before sending.`
          : `${review.rows.length} figure${review.rows.length === 1 ? "" : "s"} ready to review.`,
      );
      await this.compare(review);
    } catch (e) {
      const message = `Could not read the workbook: ${messageOf(e)}`;
      this.set((s) => ({ ...s, review: { status: "error", message }, reviewProgress: undefined }));
      this.deps.announce(message);
    }
  }

  /** The figures against the last submission HMRC holds: shown beside the review, never blocking it. */
  private async compare(review: Review): Promise<void> {
    const { nino, taxYear } = this.state.taxpayer;
    const businessId = this.state.businessId;
    if (!nino || !businessId || review.rows.length === 0) return;
    this.set((s) => ({ ...s, diff: LOADING }));
    try {
      const diff = await compareWithLastSubmission(this.deps.relay, { nino, taxYear, businessId }, review);
      this.set((s) => ({ ...s, diff: { status: "ready", value: diff } }));
      if (diff && diff.warnings.length > 0) this.deps.announce(`${diff.warnings.length} figure${diff.warnings.length === 1 ? " is" : "s are"} lower than in your last update.`);
    } catch (e) {
      this.set((s) => ({ ...s, diff: { status: "error", message: `Your last update could not be fetched from HMRC to compare: ${messageOf(e)}` } }));
    }
  }

  /** "Get my tax estimate": HMRC's in-year calculation, its disclaimer in the pane, then the MTD Tax estimate sheet. */
  async getTaxEstimate(): Promise<void> {
    const { nino, taxYear } = this.state.taxpayer;
    if (!nino || this.state.estimate.status === "working") return;
    const progress = (message: string) => {
      this.set((s) => ({ ...s, estimate: { status: "working", progress: message } }));
      this.deps.announce(message);
    };
    const wait = this.deps.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    let disclaimer: string;
    let calculationId: string;
    let sheet: SheetWrite;
    try {
      const calc = await fetchTaxEstimate({ relay: this.deps.relay, wait, progress }, { nino, taxYear });
      disclaimer = taxEstimateDisclaimer(calc);
      calculationId = calc.metadata.calculationId;
      sheet = taxEstimateSheet(calc);
    } catch (e) {
      this.failed(e, (message) => this.set((s) => ({ ...s, estimate: { status: "error", message } })));
      return;
    }
    // The disclaimer first, as HMRC requires; then the figures.
    this.set((s) => ({ ...s, estimate: { status: "ready", disclaimer, calculationId } }));
    this.deps.announce(disclaimer);
    try {
      await this.deps.workbook.writeSheet(sheet);
      this.deps.announce(`Your tax estimate is in the ${sheet.name} sheet.`);
    } catch (e) {
      const warning = `The estimate could not be written to the workbook: ${messageOf(e)}`;
      this.set((s) => ({ ...s, estimate: { status: "ready", disclaimer, calculationId, warning } }));
      this.deps.announce(warning);
    }
  }

  private chosenPeriod() {
    const periods = this.state.periods.status === "ready" ? this.state.periods.value : [];
    return periods.find((p) => p.end === this.state.periodEnd);
  }

  /** Sends the update: re-reads and re-validates first, so what is sent is what the workbook holds now. */
  async submit(): Promise<void> {
    const period = this.chosenPeriod();
    const { nino, taxYear } = this.state.taxpayer;
    const business = chosenBusiness(this.state);
    if (!period?.quarter || !nino || !business || this.state.submission.status === "sending") return;
    const businesses = this.state.businesses.status === "ready" ? this.state.businesses.value : [business];
    await submitQuarterlyUpdate(
      { relay: this.deps.relay, workbook: this.deps.workbook, announce: this.deps.announce, today: this.deps.today },
      { nino, taxYear, business, businesses, quarter: period.quarter },
      (submission, review) =>
        this.set((s) => ({ ...s, submission, ...(review ? { review: { status: "ready", value: review } } : {}) })),
    );
  }

  /** After a successful update: back to the list of periods, which HMRC has now brought up to date. */
  async startAnother(): Promise<void> {
    this.set((s) => ({ ...s, periodEnd: undefined, review: IDLE, submission: IDLE }));
    await this.loadPeriods();
  }

  /**
   * "Refresh HMRC's records": every business's deadlines and income summaries into MTD Obligations and MTD BISS,
   * without sending anything — for a workbook opened after updates were sent elsewhere, or to check a deadline.
   */
  async refreshRecords(): Promise<void> {
    const { nino, taxYear } = this.state.taxpayer;
    if (!nino || this.state.records.status === "working") return;
    const businesses = this.state.businesses.status === "ready" ? this.state.businesses.value : [];
    const progress = (message: string) => {
      this.set((s) => ({ ...s, records: { status: "working", progress: message } }));
      this.deps.announce(message);
    };
    try {
      progress("Fetching your deadlines from HMRC…");
      const obligations = await fetchObligationsSheet(this.deps.relay, { nino, taxYear, today: this.deps.today() });
      progress(`Fetching HMRC's income summaries for ${businesses.length === 1 ? businessName(businesses[0]!) : `${businesses.length} businesses`}…`);
      const biss = await fetchBissSheet(this.deps.relay, { nino, taxYear, businesses });
      progress("Writing the MTD Obligations and MTD BISS sheets…");
      await this.deps.workbook.writeSheet(obligations);
      await this.deps.workbook.writeSheet(biss);
    } catch (e) {
      this.failed(e, (message) => this.set((s) => ({ ...s, records: { status: "error", message: `HMRC's records were not refreshed: ${message}` } })));
      return;
    }
    const message = `The MTD Obligations and MTD BISS sheets now show HMRC's records for ${taxYear}.`;
    this.set((s) => ({ ...s, records: { status: "done", message } }));
    this.deps.announce(message);
  }

  /** Shows a failure; an ended session also flips the pane back to "Connect". */
  private failed(e: unknown, show: (message: string) => void): void {
    const message = messageOf(e);
    show(message);
    this.deps.announce(message);
    if (e instanceof RelayError) this.sessionLost(e);
  }

  /** An ended relay session (or, in entra mode, a refused sign-in) flips the pane back to "Connect" or "Sign in". */
  private sessionLost(e: RelayError): void {
    if (this.entra && (e.code === "RELAY_NOT_SIGNED_IN" || e.code === "RELAY_SIGN_IN_UNAVAILABLE")) {
      this.signInRefused(e);
      return;
    }
    if (e.code === "RELAY_SESSION_EXPIRED" || e.code === "RELAY_NOT_CONNECTED") {
      this.deps.session.clear();
      this.set((s) => ({ ...s, connection: { status: "disconnected", error: e.message } }));
    }
  }
}
