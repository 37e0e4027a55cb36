/** "Check and send": the figures with their cells, every problem with its cell, the send button and its progress. */
import { formatPounds, maskNino, type Pence } from "../../../mtd";
import type { SubmissionDiff } from "../../../workbook/submission-diff";
import { parseAddress, withoutSheet } from "../../../workbook/address";
import type { TaskpaneController } from "../controller";
import { h } from "../dom";
import { formatDate, type LocatedMessage } from "../model";
import type { AppState, ProgressStep, Review, ReviewProblem, ReviewRow, SubmissionState } from "../state";
import { button, messageBar, spinner } from "./common";

const STEP_MARKS: Readonly<Record<ProgressStep["state"], string>> = {
  pending: "○",
  active: "…",
  done: "✓",
  failed: "×",
  skipped: "–",
};

const STEP_STATE_NAMES: Readonly<Record<ProgressStep["state"], string>> = {
  pending: "not started",
  active: "in progress",
  done: "done",
  failed: "failed",
  skipped: "skipped",
};

function progressList(steps: readonly ProgressStep[]): HTMLElement {
  return h(
    "ol",
    { className: "progress", "aria-label": "Progress" },
    steps.map((s) =>
      h(
        "li",
        { className: `progress__step progress__step--${s.state}` },
        h("span", { className: "progress__mark", "aria-hidden": "true" }, STEP_MARKS[s.state]),
        h("span", {}, s.label, h("span", { className: "visually-hidden" }, `: ${STEP_STATE_NAMES[s.state]}`)),
      ),
    ),
  );
}

function cellRef(address: string | undefined): HTMLElement | null {
  return address ? h("span", { className: "cell-ref" }, address) : null;
}

/** Messages start with their cell (`Summary!C7 contains…`); the cell is already shown as a badge. */
function withoutLeadingAddress(message: string, address: string | undefined): string {
  return address && message.startsWith(`${address} `) ? message.slice(address.length + 1) : message;
}

function problemList(problems: readonly ReviewProblem[]): HTMLElement {
  return h(
    "ul",
    { className: "problems" },
    problems.map((p) => h("li", {}, cellRef(p.address), " ", withoutLeadingAddress(p.message, p.address))),
  );
}

function locatedList(errors: readonly LocatedMessage[]): HTMLElement {
  return h(
    "ul",
    { className: "problems" },
    errors.map((e) =>
      h(
        "li",
        {},
        e.cells.map((c) => [cellRef(c), " "]),
        e.message,
        e.fields.length > 0 && e.cells.length === 0 ? h("span", { className: "block small muted" }, `Field: ${e.fields.join(", ")}`) : null,
      ),
    ),
  );
}

/** `'Property income'!B6` shown as the cell with its sheet beneath: narrow enough for a 320 px pane. */
function cellLabel(address: string | undefined): Node {
  if (!address) return document.createTextNode("–");
  const parsed = parseAddress(address);
  if (!parsed.ok || parsed.value.sheet === undefined) return h("span", { className: "figures__cell-ref" }, address);
  return h("span", { title: address }, h("span", { className: "figures__cell-ref" }, withoutSheet(address)), parsed.value.sheet);
}

const SECTION_TITLES: Readonly<Record<ReviewRow["section"], string>> = { income: "Income", expense: "Expenses", disallowable: "Disallowable expenses" };

/** `FRA`, or `villa` with its property ID beneath for 2026-27's properties. */
function entryTitle(review: Review, id: string): string {
  const alias = review.entryNames?.[id];
  return alias ? `${alias} (${id})` : id;
}

function figuresTable(review: Review): HTMLElement {
  const rowsOf = (rows: readonly ReviewRow[]) =>
    (["income", "expense", "disallowable"] as const).flatMap((name) => {
      const inSection = rows.filter((r) => r.section === name);
      if (inSection.length === 0) return [];
      return [
        h("tr", { className: "figures__section" }, h("th", { scope: "colgroup", colspan: 3 }, SECTION_TITLES[name])),
        ...inSection.map((r) =>
          h(
            "tr",
            { "data-path": r.path, "data-entry": r.entry },
            h("th", { scope: "row", className: "figures__label" }, r.label),
            h("td", { className: "figures__amount" }, formatPounds(r.pence)),
            h("td", { className: "figures__cell" }, cellLabel(r.address)),
          ),
        ),
      ];
    });
  const entries = [...new Set(review.rows.map((r) => r.entry).filter((e): e is string => e !== undefined))];
  const body =
    entries.length === 0
      ? h("tbody", {}, rowsOf(review.rows))
      : entries.map((id) =>
          h(
            "tbody",
            { "data-entry": id },
            h("tr", { className: "figures__entry" }, h("th", { scope: "rowgroup", colspan: 3 }, entryTitle(review, id))),
            rowsOf(review.rows.filter((r) => r.entry === id)),
          ),
        );
  return h(
    "table",
    { className: "figures", id: "figures" },
    h("caption", {}, `Tax year to date: ${formatDate(review.fromDate)} to ${formatDate(review.toDate)}`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Figure"), h("th", { scope: "col", className: "figures__amount" }, "Amount"), h("th", { scope: "col" }, "Cell"))),
    body,
  );
}

/** Ledger mode: how many transactions made the figures, and why the others were left out. */
function ledgerSummary(review: Review): HTMLElement | null {
  const c = review.ledger;
  if (!c) return null;
  const n = (count: number, what: string) => `${count.toLocaleString("en-GB")} ${what}`;
  const left = [
    c.afterPeriod > 0 ? n(c.afterPeriod, "dated after this period") : "",
    c.outsideTaxYear > 0 ? n(c.outsideTaxYear, "outside the tax year") : "",
    c.otherBusinesses > 0 ? n(c.otherBusinesses, "for other businesses") : "",
    c.rejected > 0 ? n(c.rejected, "with problems (listed above)") : "",
  ].filter(Boolean);
  return h(
    "p",
    { className: "small", id: "ledger-summary" },
    `From the MTD_Ledger table: ${n(c.used, c.used === 1 ? "transaction" : "transactions")} added up.`,
    left.length > 0 ? ` Left out: ${left.join("; ")}.` : null,
  );
}

const NO_FIGURES: Readonly<Record<Review["type"], string>> = {
  "self-employment": "No figures were found for this self-employment: name its cells MTD.SE.<alias>.<field> (see “Your figures”), or use the ledger table.",
  "uk-property": "No cells in this workbook are named for UK property figures (names starting MTD.UKP.), and no ledger rows were used.",
  "foreign-property": "No figures were found for foreign property: name cells MTD.FP.<country or property>.<field> (see “Your figures”), or use the ledger table.",
};

function signedPounds(p: Pence): string {
  return p > 0 ? `+${formatPounds(p)}` : formatPounds(p);
}

/** Before / now / change per field, the cell under the label; lower figures marked in words, not colour alone. */
function diffTable(diff: SubmissionDiff): HTMLElement {
  const amount = (p: Pence | undefined) => h("td", { className: "figures__amount" }, p === undefined ? "–" : formatPounds(p));
  return h(
    "table",
    { className: "figures figures--diff", id: "diff" },
    h("caption", {}, `Changes since your last update${diff.previousToDate ? ` (year to ${formatDate(diff.previousToDate)})` : ""}`),
    h(
      "thead",
      {},
      h("tr", {}, h("th", { scope: "col" }, "Figure"), h("th", { scope: "col", className: "figures__amount" }, "Before"), h("th", { scope: "col", className: "figures__amount" }, "Now"), h("th", { scope: "col", className: "figures__amount" }, "Change")),
    ),
    h(
      "tbody",
      {},
      diff.rows.map((r) =>
        h(
          "tr",
          { "data-path": r.path, className: r.lower ? "figures__row--lower" : undefined },
          h("th", { scope: "row", className: "figures__label" }, r.label, r.source ? h("span", { className: "block small muted" }, cellLabel(r.source)) : null),
          amount(r.previous),
          amount(r.next),
          h("td", { className: "figures__amount" }, r.change === 0 ? "no change" : signedPounds(r.change), r.lower ? h("span", { className: "visually-hidden" }, " (lower)") : null),
        ),
      ),
    ),
  );
}

function diffBlock(s: AppState): HTMLElement | null {
  const d = s.diff;
  if (d.status === "loading") return spinner("Comparing with your last update…");
  if (d.status === "error") return messageBar("warning", "Not compared with your last update", h("p", {}, d.message));
  if (d.status !== "ready") return null;
  if (!d.value) return h("p", { className: "small muted", id: "diff-none" }, "This is your first update for this business and tax year.");
  const diff = d.value;
  return h(
    "div",
    {},
    diff.warnings.length > 0
      ? messageBar("warning", "Lower than your last update", h("ul", { className: "problems" }, diff.warnings.map((w) => h("li", {}, cellRef(w.address), " ", withoutLeadingAddress(w.message, w.address)))))
      : null,
    h("details", { className: "figures-sent", open: diff.warnings.length > 0 }, h("summary", {}, "Compare with your last update"), diffTable(diff)),
  );
}

/** "Get my tax estimate": progress, then HMRC's disclaimer before anything else about the estimate. */
export function estimateBlock(s: AppState, actions: TaskpaneController): HTMLElement {
  const e = s.estimate;
  return h(
    "div",
    { className: "estimate", id: "estimate" },
    e.status === "working" ? spinner(e.progress) : null,
    e.status === "error" ? messageBar("error", "No tax estimate", h("p", {}, e.message)) : null,
    e.status === "ready"
      ? messageBar(
          "info",
          "Your tax estimate",
          h("p", { id: "estimate-disclaimer" }, e.disclaimer),
          e.warning ? h("p", {}, e.warning) : h("p", { className: "small" }, "The figures are in the MTD Tax estimate sheet."),
        )
      : null,
    h(
      "div",
      { className: "actions" },
      button(e.status === "working" ? "Getting your estimate…" : "Get my tax estimate", () => void actions.getTaxEstimate(), {
        id: "get-estimate",
        disabled: e.status === "working",
      }),
    ),
  );
}

/** While sending: the steps, just under the button that started them. */
function progressBlock(sub: SubmissionState): HTMLElement | null {
  return sub.status === "sending" ? h("div", { className: "submission", tabindex: -1, "data-autofocus": true }, progressList(sub.steps)) : null;
}

/** After sending: the outcome first (focused, so it is seen and read), then the detail. */
function outcomeBlock(s: AppState, actions: TaskpaneController): HTMLElement | null {
  const sub = s.submission;
  switch (sub.status) {
    case "idle":
    case "sending":
      return null;
    case "error":
      return h(
        "div",
        { className: "submission", id: "submission-error", tabindex: -1, "data-autofocus": true },
        messageBar(
          "error",
          "Not sent",
          h("p", {}, sub.message),
          sub.errors.length > 0 ? locatedList(sub.errors) : null,
          sub.correlationId ? h("p", { className: "small" }, "HMRC reference: ", h("span", { className: "mono" }, sub.correlationId)) : null,
        ),
        progressList(sub.steps),
      );
    case "done":
      return h(
        "div",
        { className: "submission", id: "submission-result", tabindex: -1, "data-autofocus": true },
        messageBar(
          "success",
          "HMRC accepted your update",
          h("p", {}, "Your receipt is in the MTD Receipts sheet, HMRC's income summaries in MTD BISS and your deadlines in MTD Obligations."),
          sub.correlationId ? h("p", { className: "small" }, "HMRC reference: ", h("span", { className: "mono", id: "correlation-id" }, sub.correlationId)) : null,
        ),
        sub.warnings.length > 0 ? messageBar("warning", "Some records were not written", h("ul", {}, sub.warnings.map((w) => h("li", {}, w)))) : null,
        progressList(sub.steps),
        h("div", { className: "actions" }, button("Send another update", () => void actions.startAnother(), { id: "start-another" })),
        estimateBlock(s, actions),
      );
  }
}

export function reviewBody(s: AppState, actions: TaskpaneController): Node {
  const r = s.review;
  if (r.status === "idle" || r.status === "loading") return spinner(s.reviewProgress ?? "Reading your figures from the workbook…");
  if (r.status === "error") {
    return h("div", {}, messageBar("error", "Could not read the workbook", h("p", {}, r.message)), button("Try again", () => void actions.review(), { id: "retry-review" }));
  }
  const review = r.value;
  const sub = s.submission;
  const errors = review.problems.filter((p) => p.severity === "error");
  const warnings = review.problems.filter((p) => p.severity === "warning");
  const sending = sub.status === "sending";
  const done = sub.status === "done";
  if (done) {
    return h(
      "div",
      {},
      outcomeBlock(s, actions),
      review.rows.length > 0 ? h("details", { className: "figures-sent" }, h("summary", {}, "Figures sent"), figuresTable(review)) : null,
    );
  }
  return h(
    "div",
    {},
    outcomeBlock(s, actions),
    errors.length > 0
      ? messageBar("error", "Correct these cells before sending", problemList(errors), h("p", { className: "small" }, "Then choose “Read the workbook again”."))
      : null,
    warnings.length > 0 ? messageBar("warning", "Please check", problemList(warnings)) : null,
    diffBlock(s),
    review.rows.length > 0 ? figuresTable(review) : messageBar("warning", "No figures found", h("p", {}, NO_FIGURES[review.type])),
    ledgerSummary(review),
    h(
      "div",
      { className: "declaration" },
      h(
        "p",
        { id: "send-note", className: "small" },
        review.canSubmit
          ? `When you choose Send, these year-to-date figures go to HMRC for ${s.taxpayer.nino ? maskNino(s.taxpayer.nino) : "you"}. You can correct them later by sending the period again.`
          : "Sending is not possible until the problems above are corrected.",
      ),
      h(
        "div",
        { className: "actions" },
        button(sending ? "Sending…" : "Send to HMRC", () => void actions.submit(), {
          id: "submit",
          primary: true,
          disabled: !review.canSubmit || sending,
          describedBy: "send-note",
        }),
        button("Read the workbook again", () => void actions.review(), { id: "reread", disabled: sending }),
      ),
    ),
    progressBlock(sub),
  );
}
