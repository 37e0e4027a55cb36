/**
 * dialog.html, the page Office's dialog opens (addin-engineering §3.2). Two visits:
 *   1. `?sid=…`: the first page must be on the add-in's own origin, so it starts here and then goes on to
 *      the relay's `/auth/start`, which redirects to HMRC's sign-in.
 *   2. `?sid=…&result=ok|error&code=…`: the relay sends the dialog back here after HMRC's callback; this
 *      page tells the task pane with `messageParent` (never a token: only the sid, which is useless
 *      without the task pane's verifier).
 * Without Office (the workbench, or a plain browser) it falls back to postMessage to its opener.
 */
import { parseDialogPage, type DialogPage } from "./page";

const OFFICE_READY_TIMEOUT_MS = 5000;

/** Resolves once office.js has initialised, or false when it is absent or never initialises. */
function officeReady(): Promise<boolean> {
  if (typeof Office === "undefined") return Promise.resolve(false);
  return Promise.race([
    Office.onReady().then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), OFFICE_READY_TIMEOUT_MS)),
  ]);
}

function show(title: string, message: string): void {
  const h = document.getElementById("dialog-title");
  const p = document.getElementById("dialog-message");
  if (h) h.textContent = title;
  if (p) p.textContent = message;
}

function tellParent(message: string, viaOffice: boolean): boolean {
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

async function run(page: DialogPage): Promise<void> {
  const viaOffice = await officeReady();
  switch (page.kind) {
    case "start":
      // Redirect only after office.js has initialised (fixes messageParent on Mac, office-js #5479).
      location.replace(`/auth/start?sid=${encodeURIComponent(page.sid)}`);
      return;
    case "result": {
      const sent = tellParent(page.message, viaOffice);
      if (page.ok) show("Connected to HMRC", sent ? "You can close this window." : "You can close this window and return to Excel.");
      else show("Connecting did not complete", "You can close this window and choose “Connect to HMRC” again.");
      return;
    }
    case "invalid":
      show("This page was opened on its own", "Start from “Connect to HMRC” in the MTD Bridge task pane. You can close this window.");
      return;
  }
}

void run(parseDialogPage(location.search));
