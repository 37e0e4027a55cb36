/** What both dialog pages (dialog.html, ms-signin.html) do to talk to the task pane and to the person. */

const OFFICE_READY_TIMEOUT_MS = 5000;

/** Resolves once office.js has initialised, or false when it is absent or never initialises. */
export function officeReady(): Promise<boolean> {
  if (typeof Office === "undefined") return Promise.resolve(false);
  return Promise.race([
    Office.onReady().then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), OFFICE_READY_TIMEOUT_MS)),
  ]);
}

export function show(title: string, message: string): void {
  const h = document.getElementById("dialog-title");
  const p = document.getElementById("dialog-message");
  if (h) h.textContent = title;
  if (p) p.textContent = message;
}

/**
 * Sends the one message to the task pane: Office's `messageParent`, or (the workbench, a plain browser) a
 * postMessage to the opener restricted to our own origin. Never a URL.
 */
export function tellParent(message: string, viaOffice: boolean): boolean {
  if (viaOffice) {
    try {
      Office.context.ui.messageParent(message);
      return true;
    } catch {
      // office.js loaded outside an Office dialog: try the opener
    }
  }
  const opener = window.opener as Window | null;
  if (opener) {
    opener.postMessage({ type: "mtd-dialog-message", message }, location.origin);
    return true;
  }
  return false;
}
