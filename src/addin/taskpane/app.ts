/**
 * Mounts the task pane: one <section> per step, each re-rendered only when its slice of state changes,
 * keyboard focus kept (or moved to where the work continues), and a polite live region for progress.
 */
import type { IsoDate } from "../../mtd";
import type { TaskpaneController } from "./controller";
import { h } from "./dom";
import type { AppState } from "./state";
import type { Store } from "./store";
import { STEPS, type StepStatus, type StepView } from "./views/steps";

const ENVIRONMENT_BADGES = {
  "local-sandbox": { text: "Local test HMRC", className: "badge badge--test" },
  "hmrc-sandbox": { text: "HMRC sandbox", className: "badge badge--test" },
  production: { text: "Live HMRC", className: "badge badge--live" },
} as const;

interface Mounted {
  readonly view: StepView;
  readonly section: HTMLElement;
  readonly heading: HTMLElement;
  readonly body: HTMLElement;
  key: string | undefined;
  status: StepStatus | undefined;
}

/** Writes to the live region; clearing first makes a repeated message be read again. */
export function createAnnouncer(region: HTMLElement): (message: string) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (message: string) => {
    region.textContent = "";
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      region.textContent = message;
    }, 50);
  };
}

export function mountTaskpane(root: HTMLElement, store: Store<AppState>, actions: TaskpaneController, today: () => IsoDate): void {
  document.getElementById("loading")?.remove();
  const list = h("ol", { className: "steps" });
  root.appendChild(list);
  const mounted: Mounted[] = STEPS.map((view) => {
    const heading = h(
      "h2",
      { id: `step-${view.id}-title`, className: "step__title", tabindex: -1 },
      h("span", { className: "step__number", "aria-hidden": "true" }),
      h("span", {}, view.title),
      h("span", { className: "visually-hidden step__state" }),
    );
    const body = h("div", { className: "step__body", id: `step-${view.id}-body` });
    const section = h("section", { className: "step", id: `step-${view.id}`, "aria-labelledby": heading.id }, heading, body);
    list.appendChild(h("li", { className: "steps__item" }, section));
    return { view, section, heading, body, key: undefined, status: undefined };
  });

  /** Steps that do not apply are left out of the list, and the others numbered 1, 2, 3… as shown. */
  const renumber = () => {
    let n = 0;
    for (const m of mounted) {
      const hidden = m.status === "hidden";
      (m.section.parentElement as HTMLElement).hidden = hidden;
      m.heading.querySelector(".step__number")!.textContent = hidden ? "" : String(++n);
    }
  };

  const render = (state: AppState) => {
    renderEnvironment(state);
    if (state.host === "unsupported") {
      root.replaceChildren(h("p", { className: "message-bar message-bar--warning", role: "alert" }, state.hostMessage ?? "Open MTD Bridge from Excel."));
      return;
    }
    const active = document.activeElement;
    const focusedStep = mounted.find((m) => active instanceof HTMLElement && m.section.contains(active));
    const focusId = active instanceof HTMLElement ? active.id : "";
    let lostFocus = false;

    for (const m of mounted) {
      const status = m.view.status(state);
      if (status !== m.status) {
        m.status = status;
        m.section.dataset.status = status;
        m.heading.querySelector(".step__state")!.textContent = status === "done" ? " (done)" : status === "locked" ? " (not available yet)" : "";
        m.key = undefined; // status changes always re-render the body
      }
      const key = status === "locked" || status === "hidden" ? status : JSON.stringify(m.view.slice(state));
      if (key === m.key) continue;
      m.key = key;
      const hadFocus = focusedStep === m;
      const shown = status === "current" || status === "done";
      m.body.replaceChildren(shown ? m.view.body(state, actions, today()) : document.createTextNode(""));
      m.body.hidden = !shown;
      if (hadFocus) {
        const again = focusId ? document.getElementById(focusId) : null;
        const outcome = m.body.querySelector<HTMLElement>("[data-autofocus]");
        // What the user just did has an outcome to read (progress, a result, the field in error): go there.
        if (outcome) outcome.focus();
        else if (again && m.body.contains(again) && !(again as HTMLButtonElement).disabled) again.focus();
        else lostFocus = true;
      }
    }
    renumber();
    // The control the user was on went away (the step finished): continue where the work now is.
    if (lostFocus || (document.activeElement === document.body && focusedStep)) {
      const current = mounted.find((m) => m.status === "current") ?? focusedStep;
      current?.heading.focus();
    }
  };

  store.subscribe((state) => render(state));
  render(store.state);
}

function renderEnvironment(state: AppState): void {
  const badge = document.getElementById("environment");
  if (!badge) return;
  const env = state.connection.status === "connected" ? state.connection.environment : undefined;
  if (!env) {
    badge.hidden = true;
    return;
  }
  const b = ENVIRONMENT_BADGES[env];
  badge.textContent = b.text;
  badge.className = b.className;
  badge.hidden = false;
}
