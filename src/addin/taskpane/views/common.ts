/** Building blocks shared by the step views: message bars, spinners, buttons. */
import { h, type Child } from "../dom";

export type Intent = "info" | "success" | "warning" | "error";

/** A Fluent-style message bar. Errors use role=alert so they are read at once; others rely on the status region. */
export function messageBar(intent: Intent, title: string, ...body: Child[]): HTMLElement {
  return h(
    "div",
    { className: `message-bar message-bar--${intent}`, role: intent === "error" ? "alert" : null },
    h("span", { className: "message-bar__icon", "aria-hidden": "true" }, ICONS[intent]),
    h("div", { className: "message-bar__text" }, h("strong", {}, title), ...body),
  );
}

const ICONS: Readonly<Record<Intent, string>> = { info: "i", success: "✓", warning: "!", error: "×" };

export function spinner(label: string): HTMLElement {
  return h("p", { className: "loading" }, h("span", { className: "spinner", "aria-hidden": "true" }), label);
}

export function button(
  label: string,
  onclick: () => void,
  options: { id?: string; primary?: boolean; disabled?: boolean; describedBy?: string } = {},
): HTMLButtonElement {
  return h(
    "button",
    {
      type: "button",
      id: options.id,
      className: options.primary ? "button button--primary" : "button",
      disabled: options.disabled === true,
      "aria-describedby": options.describedBy,
      onclick: () => onclick(),
    },
    label,
  );
}

/** A quiet text-style button for "Change" links beside a completed step's summary. */
export function linkButton(label: string, onclick: () => void, id: string, accessibleLabel?: string): HTMLButtonElement {
  return h("button", { type: "button", id, className: "link-button", "aria-label": accessibleLabel, onclick: () => onclick() }, label);
}

/** A summary line of a completed step: a term and its value, with an optional action kept top right. */
export function summary(term: string, value: Child, action?: HTMLElement): HTMLElement {
  return h(
    "div",
    { className: "summary" },
    h("p", { className: "summary__text" }, h("span", { className: "summary__term" }, term), " ", h("span", { className: "summary__value" }, value)),
    action ?? null,
  );
}
