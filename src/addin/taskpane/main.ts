/**
 * Entry point of taskpane.html (in Excel) and workbench-taskpane.html (the same bundle over a fake Office):
 * waits for Office, checks the host, wires the real dependencies together and mounts the UI.
 */
import { isoDate, type IdentityInfo, type IsoDate } from "../../mtd";
import { Bearer } from "../auth/bearer";
import { chooseSignInRoute, createMicrosoftSignIn } from "../auth/microsoft";
import { MICROSOFT_REDIRECT_PAGE, signInWithOfficeDialog } from "../auth/microsoft-dialog";
import { officeDialogHost, type DialogHost } from "../auth/office-dialog";
import { keepSessionFresh } from "../auth/session-renewal";
import { OfficeJsWorkbook } from "../excel-workbook";
import { BrowserFraudData } from "../fraud/browser-headers";
import { officeDocumentSettings } from "../office-settings";
import { RelayClient } from "../relay-client";
import { SessionStore } from "../session-store";
import { createAnnouncer, mountTaskpane } from "./app";
import { TaskpaneController } from "./controller";
import { mountFraudPanel } from "./fraud-panel";
import { defaultTaxYear } from "./model";
import { initialState, type AppState } from "./state";
import { Store } from "./store";

/** Today in the user's own time zone: a deadline is a UK calendar day, not a UTC one. */
function localToday(): IsoDate {
  const d = new Date();
  return isoDate(d.getFullYear(), d.getMonth() + 1, d.getDate());
}

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // blocked by browser policy: the session lives in memory only
  }
}

function unsupported(store: Store<AppState>, message: string): void {
  store.update((s) => ({ ...s, host: "unsupported", hostMessage: message }));
}

/** The Office account's name, which nested app authentication on the web needs as a login hint. */
async function officeLoginHint(): Promise<string | undefined> {
  try {
    const auth = (Office as { auth?: { getAuthContext?: () => Promise<{ userPrincipalName?: string }> } }).auth;
    return (await auth?.getAuthContext?.())?.userPrincipalName || undefined;
  } catch {
    return undefined; // not available in this host: msal asks for the account
  }
}

/** Entra mode's Microsoft sign-in for this host: nested where Office brokers it, else popup or the Office dialog. */
function microsoftSignInFor(dialogs: DialogHost, platform: unknown) {
  return (identity: Extract<IdentityInfo, { mode: "entra" }>) => {
    const nestedAppAuth = Office.context.requirements.isSetSupported("NestedAppAuth", "1.1");
    const origin = window.location.origin;
    return createMicrosoftSignIn(identity, {
      route: chooseSignInRoute({ nestedAppAuth, platform: typeof platform === "string" ? platform : undefined }),
      redirectUri: `${origin}${MICROSOFT_REDIRECT_PAGE}`,
      loginHint: officeLoginHint,
      dialog: () => signInWithOfficeDialog(dialogs, origin),
    });
  };
}

function start(): void {
  const root = document.getElementById("app");
  const region = document.getElementById("status");
  if (!root || !region) return;
  const store = new Store<AppState>(initialState(defaultTaxYear(localToday())));
  const announce = createAnnouncer(region);

  if (typeof Office === "undefined") {
    root.replaceChildren();
    root.textContent = "MTD Bridge could not load Office's script. Check your connection, then close and reopen the task pane.";
    return;
  }
  void Office.onReady((info) => {
    const partitionKey = Office.context.partitionKey;
    const session = new SessionStore(localStorageOrUndefined(), partitionKey);
    const fraudData = new BrowserFraudData(window, partitionKey);
    const bearer = new Bearer(session);
    const relay = new RelayClient({
      sessionToken: () => bearer.token(),
      clientHeaders: () => fraudData.headers(),
    });
    const workbook = new OfficeJsWorkbook({
      run: (options, batch) => Excel.run(options, (context) => batch(context)),
      settings: officeDocumentSettings(Office.context.document.settings),
    });
    const dialogs = officeDialogHost(Office.context.ui);
    const controller = new TaskpaneController(store, {
      relay,
      session,
      workbook,
      dialogs,
      origin: window.location.origin,
      today: localToday,
      announce,
      microsoft: { create: microsoftSignInFor(dialogs, info.platform), bearer },
    });
    mountTaskpane(root, store, controller, localToday);
    mountFraudPanel(root, store, { check: () => relay.fraudHeadersCheck(), deviceIdPersistence: () => fraudData.deviceIdPersistence, announce });
    // Compare with the enum's value so the workbench's stand-in Office needs no enums.
    if ((info.host as unknown) !== "Excel") {
      unsupported(store, "MTD Bridge works inside Excel. Open it from the Home tab of an Excel workbook.");
      return;
    }
    if (!Office.context.requirements.isSetSupported("ExcelApi", "1.7")) {
      unsupported(store, "MTD Bridge needs a newer version of Excel (Excel API 1.7: Microsoft 365, Excel 2021 or later, or Excel on the web).");
      return;
    }
    // Relay sessions last an hour: renew them while the pane is open; one that ended shows as disconnected.
    keepSessionFresh(relay, session, () => void controller.start());
    void controller.start();
  });
}

start();
