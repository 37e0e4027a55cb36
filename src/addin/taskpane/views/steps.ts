/**
 * The five steps as views: each says whether it is locked, current or done, what slice of state it shows
 * (so the app re-renders a step only when that slice changes) and how it renders.
 */
import { maskNino, type IsoDate } from "../../../mtd";
import type { TaskpaneController } from "../controller";
import { h } from "../dom";
import { businessName, formatDate, taxYearChoices, type OpenPeriod } from "../model";
import type { AppState } from "../state";
import { button, linkButton, messageBar, spinner, summary } from "./common";
import { mappingStep } from "./mapping";
import { estimateBlock, reviewBody } from "./review";

/** `hidden`: the step does not apply (Microsoft sign-in in local identity mode). */
export type StepStatus = "hidden" | "locked" | "current" | "done";

export interface StepView {
  readonly id: string;
  readonly title: string;
  status(state: AppState): StepStatus;
  /** What the body depends on; the body is rebuilt only when this changes. */
  slice(state: AppState): unknown;
  body(state: AppState, actions: TaskpaneController, today: IsoDate): Node;
}

const ENVIRONMENT_NAMES = {
  "local-sandbox": "the local test HMRC",
  "hmrc-sandbox": "HMRC's sandbox",
  production: "HMRC",
} as const;

/** IDENTITY_MODE=entra only: who the person is, before anything else. */
const signIn: StepView = {
  id: "sign-in",
  title: "Sign in with Microsoft",
  status: (s) => (s.signIn.status === "checking" || s.signIn.status === "not-needed" ? "hidden" : s.signIn.status === "signed-in" ? "done" : "current"),
  slice: (s) => s.signIn,
  body(s, actions) {
    const m = s.signIn;
    if (m.status === "signed-in") return summary("Signed in as", m.account ?? "your Microsoft work account");
    if (m.status === "unavailable") {
      return h(
        "div",
        {},
        messageBar("error", "Cannot sign in yet", h("p", {}, m.error ?? "MTD Bridge's server could not be reached.")),
        button("Try again", () => void actions.start(), { id: "identity-retry", primary: true }),
      );
    }
    const busy = m.status === "signing-in";
    return h(
      "div",
      {},
      h("p", {}, "Your organisation runs MTD Bridge for you. Sign in with your Microsoft work account first, then connect to HMRC."),
      m.error ? messageBar("error", "Not signed in", h("p", { id: "sign-in-error", "data-autofocus": true, tabindex: -1 }, m.error)) : null,
      busy ? spinner("Waiting for you to finish signing in with Microsoft…") : null,
      button(busy ? "Signing in…" : "Sign in with Microsoft", () => void actions.signInWithMicrosoft(), { id: "microsoft-sign-in", primary: true, disabled: busy }),
    );
  },
};

/** The relay knows who the person is: local mode, or signed in with Microsoft. */
const identified = (s: AppState): boolean => s.signIn.status === "not-needed" || s.signIn.status === "signed-in";

const connect: StepView = {
  id: "connect",
  title: "Connect to HMRC",
  status: (s) => (s.connection.status === "connected" ? "done" : identified(s) || s.signIn.status === "checking" ? "current" : "locked"),
  slice: (s) => s.connection,
  body(s, actions) {
    const c = s.connection;
    if (c.status === "checking") return spinner("Checking your connection…");
    if (c.status === "connected") {
      const until = c.expiresAt ? new Date(c.expiresAt) : undefined;
      return h(
        "div",
        {},
        summary("Connected to", c.environment ? ENVIRONMENT_NAMES[c.environment] : "HMRC", linkButton("Disconnect", () => void actions.disconnect(), "disconnect", "Disconnect from HMRC")),
        until && !Number.isNaN(until.getTime())
          ? h("p", { className: "muted small" }, `Session ends at ${until.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}.`)
          : null,
      );
    }
    const connecting = c.status === "connecting";
    return h(
      "div",
      {},
      h("p", {}, "MTD Bridge needs your permission to send updates to HMRC for you. You sign in with your HMRC (Government Gateway) details in a new window."),
      c.error ? messageBar("error", "Not connected", h("p", {}, c.error)) : null,
      connecting ? spinner(c.progress ?? "Connecting…") : null,
      button(connecting ? "Connecting…" : "Connect to HMRC", () => void actions.connect(), { id: "connect", primary: true, disabled: connecting }),
    );
  },
};

const taxpayer: StepView = {
  id: "taxpayer",
  title: "Your details",
  status: (s) => (s.taxpayer.editing ? "current" : "done"),
  slice: (s) => s.taxpayer,
  body(s, actions, today) {
    const t = s.taxpayer;
    if (!t.editing && t.nino) {
      return h(
        "div",
        {},
        summary("National Insurance number", maskNino(t.nino), linkButton("Change", () => actions.editTaxpayer(), "change-taxpayer", "Change National Insurance number or tax year")),
        summary("Tax year", t.taxYear),
      );
    }
    const ninoInput = h("input", {
      id: "nino",
      name: "nino",
      type: "text",
      className: t.error ? "input input--invalid" : "input",
      autocomplete: "off",
      spellcheck: "false",
      autocapitalize: "characters",
      maxlength: 13,
      "aria-describedby": t.error ? "nino-hint nino-error" : "nino-hint",
      "aria-invalid": t.error ? "true" : null,
      "data-autofocus": t.error ? true : null,
      value: t.draft?.nino ?? t.nino ?? "",
    });
    const years = h(
      "select",
      { id: "tax-year", name: "taxYear", className: "input" },
      taxYearChoices(today).map((y) => h("option", { value: y, selected: y === (t.draft?.taxYear ?? t.taxYear) }, y)),
    );
    const form = h(
      "form",
      {
        className: "form",
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          void actions.saveTaxpayer(ninoInput.value, years.value);
        },
      },
      h("label", { for: "nino", className: "label" }, "National Insurance number"),
      h("p", { id: "nino-hint", className: "hint" }, "It's on your payslip or P60. For example, QQ 12 34 56 C."),
      t.error ? h("p", { id: "nino-error", className: "field-error" }, t.error) : null,
      ninoInput,
      h("label", { for: "tax-year", className: "label" }, "Tax year"),
      years,
      h("div", { className: "actions" }, h("button", { type: "submit", id: "save-taxpayer", className: "button button--primary" }, "Continue")),
    );
    return form;
  },
};

interface Choice {
  readonly value: string;
  readonly enabled: boolean;
  readonly content: Node;
}

/**
 * Radios and a Continue button (the GOV.UK pattern): arrow keys move through the options without acting,
 * and nothing happens until the person confirms.
 */
function choiceForm(name: string, legend: string, hint: string | null, choices: readonly Choice[], missing: string, choose: (value: string) => void): HTMLElement {
  const errorId = `${name}-error`;
  const error = h("p", { id: errorId, className: "field-error", hidden: true }, missing);
  const fieldset = h(
    "fieldset",
    { className: "choices", "aria-describedby": hint ? `${name}-hint` : null },
    h("legend", { className: "label" }, legend),
    hint ? h("p", { id: `${name}-hint`, className: "hint" }, hint) : null,
    error,
    choices.map((c) =>
      h(
        "label",
        { className: c.enabled ? "choice" : "choice choice--disabled" },
        h("input", { type: "radio", name, id: `${name}-${c.value}`, value: c.value, disabled: !c.enabled }),
        c.content,
      ),
    ),
  );
  return h(
    "form",
    {
      className: "form",
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const picked = (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>(`input[name="${name}"]:checked`);
        if (picked) {
          choose(picked.value);
          return;
        }
        error.hidden = false;
        fieldset.setAttribute("aria-describedby", [hint ? `${name}-hint` : "", errorId].filter(Boolean).join(" "));
        fieldset.querySelector<HTMLInputElement>("input:not([disabled])")?.focus();
      },
    },
    fieldset,
    h("div", { className: "actions" }, h("button", { type: "submit", id: `choose-${name}`, className: "button button--primary" }, "Continue")),
  );
}

const business: StepView = {
  id: "business",
  title: "Business",
  status: (s) => (s.connection.status !== "connected" || s.taxpayer.editing || !s.taxpayer.nino ? "locked" : s.businessId && s.businesses.status === "ready" ? "done" : "current"),
  slice: (s) => [s.businesses, s.businessId],
  body(s, actions) {
    const b = s.businesses;
    if (b.status === "idle" || b.status === "loading") return spinner("Asking HMRC for your businesses…");
    if (b.status === "error") {
      return h("div", {}, messageBar("error", "Could not list your businesses", h("p", {}, b.message)), button("Try again", () => void actions.loadBusinesses(), { id: "retry-businesses" }));
    }
    const list = b.value;
    const chosen = list.find((x) => x.businessId === s.businessId);
    if (chosen) {
      return summary(
        businessName(chosen),
        h("span", { className: "mono" }, chosen.businessId),
        list.length > 1 ? linkButton("Change", () => actions.changeBusiness(), "change-business", "Choose a different business") : undefined,
      );
    }
    if (list.length === 0) {
      return messageBar(
        "warning",
        "No business to report for",
        h("p", {}, "HMRC has no self-employment or property business signed up to Making Tax Digital for this National Insurance number. Check the number, or sign up the business with HMRC."),
      );
    }
    return choiceForm(
      "business",
      "Which business is this update for?",
      null,
      list.map((x) => ({
        value: x.businessId,
        enabled: true,
        content: h("span", {}, businessName(x), h("span", { className: "muted small mono block" }, x.businessId)),
      })),
      "Choose the business this update is for.",
      (value) => void actions.chooseBusiness(value),
    );
  },
};

function periodLabel(p: OpenPeriod): string {
  return `${formatDate(p.start)} to ${formatDate(p.end)}`;
}

const period: StepView = {
  id: "period",
  title: "Period",
  status: (s) => (!s.businessId || business.status(s) !== "done" || !s.mapping.confirmed ? "locked" : s.periodEnd ? "done" : "current"),
  slice: (s) => [s.periods, s.periodEnd, s.taxpayer.taxYear, s.periodEnd ? null : [s.records, s.estimate]],
  body(s, actions) {
    const p = s.periods;
    if (p.status === "idle" || p.status === "loading") return spinner("Asking HMRC which periods are due…");
    if (p.status === "error") {
      return h("div", {}, messageBar("error", "Could not fetch your deadlines", h("p", {}, p.message)), button("Try again", () => void actions.loadPeriods(), { id: "retry-periods" }));
    }
    const chosen = p.value.find((x) => x.end === s.periodEnd);
    if (chosen) {
      return summary(
        `Quarter ${chosen.quarter?.quarter ?? "?"} ${s.taxpayer.taxYear}`,
        periodLabel(chosen),
        linkButton("Change", () => actions.changePeriod(), "change-period", "Choose a different period"),
      );
    }
    if (p.value.length === 0) {
      return h(
        "div",
        {},
        messageBar("success", `Nothing due for ${s.taxpayer.taxYear}`, h("p", {}, "HMRC shows no open quarterly periods for this business in this tax year.")),
        hmrcRecords(s, actions),
      );
    }
    const form = choiceForm(
      "period",
      "Which period are you reporting?",
      "Each update covers the tax year so far, up to the end of the period.",
      p.value.map((x) => ({
        value: x.end,
        enabled: x.canSubmit,
        content: h(
          "span",
          {},
          h("span", { className: "block" }, `Quarter ${x.quarter?.quarter ?? "?"}: ${periodLabel(x)}`),
          h(
            "span",
            { className: "small block" },
            x.overdue ? h("span", { className: "tag tag--overdue" }, "Overdue") : null,
            ` Due ${formatDate(x.due)}`,
            x.canSubmit ? null : ` · You can send this from ${formatDate(x.availableFrom)}`,
          ),
        ),
      })),
      "Choose the period you are reporting.",
      (value) => void actions.choosePeriod(value),
    );
    return h("div", {}, form, hmrcRecords(s, actions));
  },
};

/** HMRC's records without sending: deadlines and income summaries into their sheets, and the tax estimate. */
function hmrcRecords(s: AppState, actions: TaskpaneController): HTMLElement {
  const r = s.records;
  const working = r.status === "working";
  return h(
    "details",
    { className: "records", id: "hmrc-records", open: r.status !== "idle" || s.estimate.status !== "idle" },
    h("summary", {}, "HMRC's records and your tax estimate"),
    h("p", { className: "small" }, "Bring the MTD Obligations and MTD BISS sheets up to date with what HMRC holds for every business, without sending anything."),
    working ? spinner(r.progress) : null,
    r.status === "done" ? h("p", { className: "small", id: "records-done" }, r.message) : null,
    r.status === "error" ? messageBar("error", "Not refreshed", h("p", {}, r.message)) : null,
    h("div", { className: "actions" }, button(working ? "Refreshing…" : "Refresh HMRC's records", () => void actions.refreshRecords(), { id: "refresh-records", disabled: working })),
    estimateBlock(s, actions),
  );
}

const review: StepView = {
  id: "review",
  title: "Check and send",
  status: (s) => (period.status(s) !== "done" ? "locked" : s.submission.status === "done" ? "done" : "current"),
  slice: (s) => [s.review, s.submission, s.periodEnd],
  body: (s, actions) => reviewBody(s, actions),
};

export const STEPS: readonly StepView[] = [signIn, connect, taxpayer, business, mappingStep, period, review];
