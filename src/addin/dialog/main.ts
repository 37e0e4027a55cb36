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
import { officeReady, show, tellParent } from "./parent";

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
