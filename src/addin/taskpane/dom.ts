/** A tiny element builder: enough to write the task pane's views as plain functions without a framework. */

export type Child = Node | string | number | null | undefined | false | readonly Child[];
type Handler = (event: Event) => void;
export type Props = Readonly<Record<string, string | number | boolean | Handler | null | undefined>>;

/**
 * `h("button", {type: "button", onclick: fn, "aria-describedby": "x"}, "Label")`. String props become
 * attributes (`className` → class); `true` sets a boolean attribute, `false`/null/undefined omit it;
 * function props named `on…` become event listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") {
      if (!key.startsWith("on")) throw new TypeError(`h(): function prop ${key} must be an event handler`);
      el.addEventListener(key.slice(2), value);
    } else if (key === "className") {
      el.className = String(value);
    } else if (key === "value" && (el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) {
      el.value = String(value);
    } else if (key === "checked" && el instanceof HTMLInputElement) {
      el.checked = value === true;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c as readonly Child[]);
    else if (typeof c === "string" || typeof c === "number") parent.appendChild(document.createTextNode(String(c)));
    else parent.appendChild(c as Node);
  }
}

/** Replaces an element's content, keeping keyboard focus on the "same" control (by id) when it was inside. */
export function replaceContent(container: HTMLElement, content: Node): void {
  const active = document.activeElement;
  const hadFocus = active instanceof HTMLElement && container.contains(active);
  const focusId = hadFocus ? active.id : "";
  container.replaceChildren(content);
  if (!hadFocus) return;
  const again = focusId ? document.getElementById(focusId) : null;
  if (again && container.contains(again) && !(again as HTMLButtonElement).disabled) again.focus();
  else container.querySelector<HTMLElement>("[data-focus-target]")?.focus();
}
