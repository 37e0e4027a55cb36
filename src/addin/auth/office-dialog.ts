/**
 * The HMRC sign-in dialog as one promise (addin-engineering §3.1–3.2): open our own-origin page with
 * `displayDialogAsync`, wait for its single `messageParent` message, check where it came from, close it.
 * Office's error numbers become plain sentences here, so the task pane only shows `message`.
 */

/** The slice of `Office.context.ui` this needs (the real object and the workbench fake both fit). */
export interface DialogHost {
  displayDialogAsync(
    startAddress: string,
    options: { height: number; width: number; promptBeforeOpen?: boolean },
    callback: (result: DialogOpenResult) => void,
  ): void;
}

export interface DialogOpenResult {
  readonly status: string; // Office.AsyncResultStatus: "succeeded" | "failed"
  readonly value: DialogHandle;
  readonly error?: { readonly code: number; readonly message: string };
}

export interface DialogHandle {
  addEventHandler(eventType: string, handler: (arg: DialogArg) => void): void;
  close(): void;
}

/** `DialogMessageReceived` carries message (+ origin where DialogOrigin 1.1 exists); `DialogEventReceived` carries error. */
export type DialogArg = { message?: string; origin?: string; error?: number };

const MESSAGE_RECEIVED = "dialogMessageReceived"; // Office.EventType.DialogMessageReceived
const EVENT_RECEIVED = "dialogEventReceived"; // Office.EventType.DialogEventReceived

export type DialogOutcome =
  | { readonly ok: true; readonly sid: string }
  | { readonly ok: false; readonly reason: DialogFailure; readonly message: string };

export type DialogFailure = "closed" | "already-open" | "ignored" | "blocked" | "denied" | "auth-failed" | "unavailable";

/**
 * Office's dialog error numbers (dialog-handle-errors-events.md) → what the person should do. `action` is the
 * button that starts it again ("Connect to HMRC", "Sign in with Microsoft").
 */
export function dialogErrorMessage(code: number, action = "Connect to HMRC"): { reason: DialogFailure; message: string } {
  switch (code) {
    case 12006:
      return { reason: "closed", message: `The sign-in window was closed before you finished. Choose “${action}” to try again.` };
    case 12007:
      return { reason: "already-open", message: `A sign-in window is already open. Finish signing in there, or close it and choose “${action}” again.` };
    case 12009:
      return { reason: "ignored", message: `Office did not open the sign-in window. Choose “${action}” again and, when Office asks, choose Allow.` };
    case 12011:
      return { reason: "blocked", message: `Your browser blocked the sign-in window. Allow pop-ups for this site, then choose “${action}” again.` };
    default:
      return { reason: "unavailable", message: `The sign-in window could not be shown (Office error ${code}). Choose “${action}” to try again.` };
  }
}

/** A dialog's message as a JSON object, or undefined when it is not a string of at most `maxLength` holding one. */
export function parseDialogJson(raw: unknown, maxLength: number): Record<string, unknown> | undefined {
  if (typeof raw !== "string" || raw.length > maxLength) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** What the dialog page may say: `{ok:true,sid}` or `{ok:false,code}` (src/addin/dialog/main.ts). */
export function parseDialogMessage(raw: unknown): { ok: true; sid: string } | { ok: false; code: string } | undefined {
  const m = parseDialogJson(raw, 2000);
  if (!m) return undefined;
  if (m.ok === true && typeof m.sid === "string" && m.sid.length > 0 && m.sid.length <= 200) return { ok: true, sid: m.sid };
  if (m.ok === false) return { ok: false, code: typeof m.code === "string" ? m.code.slice(0, 100) : "unknown" };
  return undefined;
}

function authFailure(code: string): { reason: DialogFailure; message: string } {
  if (code === "access_denied") {
    return { reason: "denied", message: "You did not grant MTD Bridge authority in HMRC's sign-in, so nothing is connected. Choose “Connect to HMRC” if you want to try again." };
  }
  return { reason: "auth-failed", message: "Connecting to HMRC did not complete. Please choose “Connect to HMRC” and try again." };
}

/**
 * Opens `url` (same origin as the task pane) and resolves when the dialog reports back or fails.
 * Messages from any other origin, or about another sign-in than `sid`, are ignored.
 */
export function runSignInDialog(host: DialogHost, url: string, expectedOrigin: string, sid: string): Promise<DialogOutcome> {
  return awaitDialogAnswer<string>(host, url, expectedOrigin, "Connect to HMRC", (raw) => {
    const msg = parseDialogMessage(raw);
    if (!msg) return undefined;
    if (msg.ok) return msg.sid === sid ? { ok: true, value: sid } : undefined;
    return { ok: false, ...authFailure(msg.code) };
  }).then((outcome) => (outcome.ok ? { ok: true, sid: outcome.value } : outcome));
}

/** What a dialog's message means: undefined to ignore it, else the outcome that closes the dialog. */
export type DialogAnswer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: DialogFailure; readonly message: string };

/**
 * The one way we run an Office dialog: open our own-origin `url`, hand every message from `expectedOrigin` to
 * `accept` until it settles the outcome, turn Office's error numbers into sentences, and close the dialog.
 */
export function awaitDialogAnswer<T>(host: DialogHost, url: string, expectedOrigin: string, action: string, accept: (raw: unknown) => DialogAnswer<T> | undefined): Promise<DialogAnswer<T>> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (dialog: DialogHandle | undefined, outcome: DialogAnswer<T>) => {
      if (settled) return;
      settled = true;
      try {
        dialog?.close();
      } catch {
        // already closed by the user: nothing to do
      }
      resolve(outcome);
    };
    // A fresh options object each time: Office on Mac mutates it (office-js #349).
    host.displayDialogAsync(url, { height: 60, width: 30 }, (result) => {
      if (result.status !== "succeeded") {
        finish(undefined, { ok: false, ...dialogErrorMessage(result.error?.code ?? 0, action) });
        return;
      }
      const dialog = result.value;
      dialog.addEventHandler(MESSAGE_RECEIVED, (arg) => {
        if (arg.origin !== undefined && arg.origin !== expectedOrigin) return;
        const outcome = accept(arg.message);
        if (outcome) finish(dialog, outcome);
      });
      dialog.addEventHandler(EVENT_RECEIVED, (arg) => finish(dialog, { ok: false, ...dialogErrorMessage(arg.error ?? 0, action) }));
    });
  });
}

/** Adapts `Office.context.ui` to DialogHost (its typings declare numeric enums where office.js passes strings). */
export function officeDialogHost(ui: Office.UI): DialogHost {
  return {
    displayDialogAsync(url, options, callback) {
      ui.displayDialogAsync(url, { height: options.height, width: options.width }, (result) => {
        const dialog = result.value;
        callback({
          status: String(result.status),
          value: {
            addEventHandler: (type, handler) => dialog.addEventHandler(type as unknown as Office.EventType, (arg) => handler(arg as DialogArg)),
            close: () => dialog.close(),
          },
          ...(result.error ? { error: { code: result.error.code, message: result.error.message } } : {}),
        });
      });
    },
  };
}
