/**
 * "What we send HMRC": a disclosure below the steps listing each fraud-prevention header the relay would send
 * with an HMRC call made now, its value with personal parts masked, and the verdict of HMRC's validator rules
 * (GET /api/fraud-headers/check). Loaded when opened while connected, and again on "Check again".
 */
import type { FraudHeaderReport, FraudHeadersCheckResponse, HeaderVerdict } from "../../mtd";
import type { DeviceIdentity } from "../fraud/device-id";
import { h } from "./dom";
import type { AppState } from "./state";
import type { Store } from "./store";
import { button, messageBar, spinner, type Intent } from "./views/common";

export interface FraudPanelDeps {
  readonly check: () => Promise<FraudHeadersCheckResponse>;
  /** Whether the device ID could be kept in this browser (known after the first collection). */
  readonly deviceIdPersistence: () => DeviceIdentity["persistence"] | undefined;
  readonly announce: (message: string) => void;
}

type Loaded = { status: "idle" } | { status: "loading" } | { status: "ready"; value: FraudHeadersCheckResponse } | { status: "error"; message: string };

const VERDICTS: Readonly<Record<HeaderVerdict, { icon: string; text: string }>> = {
  valid: { icon: "✓", text: "OK" },
  warning: { icon: "!", text: "Advisory" },
  error: { icon: "×", text: "Problem" },
  missing: { icon: "–", text: "Not sent" },
};

const OVERALL: Readonly<Record<FraudHeadersCheckResponse["code"], { intent: Intent; title: string }>> = {
  VALID_HEADERS: { intent: "success", title: "HMRC's checks pass" },
  POTENTIALLY_INVALID_HEADERS: { intent: "warning", title: "HMRC's checks pass, with advisories" },
  INVALID_HEADERS: { intent: "warning", title: "HMRC's checks find problems" },
};

function headerItem(report: FraudHeaderReport, notSent: string | undefined): HTMLElement {
  const verdict = VERDICTS[report.verdict];
  const messages = [...(notSent ? [notSent] : []), ...report.messages];
  return h(
    "li",
    { className: `fraud-header fraud-header--${report.verdict}` },
    h(
      "div",
      { className: "fraud-header__top" },
      h("span", { className: "fraud-header__name" }, report.header),
      h("span", { className: "fraud-header__verdict" }, h("span", { "aria-hidden": "true" }, verdict.icon), " ", verdict.text),
    ),
    report.value === undefined ? null : h("code", { className: "fraud-header__value" }, report.value === "" ? "(empty)" : report.value),
    messages.length > 0 ? h("ul", { className: "fraud-header__messages" }, messages.map((m) => h("li", {}, m))) : null,
  );
}

function result(value: FraudHeadersCheckResponse, persistence: DeviceIdentity["persistence"] | undefined): HTMLElement {
  const overall = OVERALL[value.code];
  const reasons = new Map(value.notSent.map((n) => [n.header.toLowerCase(), n.reason]));
  return h(
    "div",
    {},
    messageBar(
      overall.intent,
      overall.title,
      h("p", {}, value.message),
      value.strict && value.code === "INVALID_HEADERS" ? h("p", {}, "Until they are fixed, MTD Bridge will not send anything to HMRC.") : null,
    ),
    persistence === "this-session"
      ? messageBar("info", "Device ID kept for this session only", h("p", {}, "This browser blocks storage, so a new device ID is made each time MTD Bridge opens."))
      : null,
    h(
      "ul",
      { className: "fraud-headers", "aria-label": `Fraud-prevention headers (${value.connectionMethod}, spec ${value.specVersion})` },
      value.headers.map((r) => headerItem(r, reasons.get(r.header.toLowerCase()))),
    ),
  );
}

export function mountFraudPanel(root: HTMLElement, store: Store<AppState>, deps: FraudPanelDeps): void {
  const body = h("div", { className: "fraud-panel__body", id: "fraud-panel-body" });
  const details = h(
    "details",
    { className: "fraud-panel", id: "fraud-panel" },
    h("summary", { className: "fraud-panel__summary" }, "What we send HMRC"),
    body,
  );
  root.appendChild(details);
  let loaded: Loaded = { status: "idle" };
  const connected = () => store.state.connection.status === "connected";

  const render = () => {
    const intro = h(
      "p",
      { className: "muted" },
      "HMRC requires fraud-prevention data with every call. Here is what MTD Bridge sends now, checked by HMRC's rules; personal values are partly hidden.",
    );
    let content: HTMLElement;
    if (!connected()) content = h("p", {}, "Connect to HMRC to see it.");
    else if (loaded.status === "loading" || loaded.status === "idle") content = spinner("Checking…");
    else if (loaded.status === "error") content = messageBar("error", "Could not check", h("p", {}, loaded.message));
    else content = result(loaded.value, deps.deviceIdPersistence());
    const again = connected() && loaded.status !== "loading" ? button("Check again", () => void load(), { id: "fraud-check-again" }) : null;
    body.replaceChildren(intro, content, ...(again ? [again] : []));
  };

  const load = async () => {
    if (!connected() || loaded.status === "loading") return;
    loaded = { status: "loading" };
    render();
    try {
      const value = await deps.check();
      loaded = { status: "ready", value };
      deps.announce(`Fraud-prevention check: ${OVERALL[value.code].title}.`);
    } catch (e) {
      loaded = { status: "error", message: e instanceof Error && e.message ? e.message : "Please try again." };
    }
    render();
  };

  details.addEventListener("toggle", () => {
    if (details.open) void load();
  });
  let wasConnected = connected();
  store.subscribe(() => {
    if (connected() === wasConnected) return;
    wasConnected = connected();
    loaded = { status: "idle" };
    if (details.open) void load();
    else render();
  });
  render();
}
