/**
 * ms-signin.html, the Office dialog fallback for Microsoft sign-in (src/addin/auth/microsoft-dialog.ts): msal's
 * redirect flow on our own origin. First visit: nothing to handle, so it goes to Microsoft (select account);
 * Microsoft sends the dialog back here, msal finishes, and the page tells the task pane once. The settings come
 * from the relay's public GET /api/identity, so nothing is read from (or written to) the URL by us.
 */
import type { IdentityInfo } from "../../mtd";
import type { MsalApp, MsalRedirectApp, MsalResult } from "../auth/microsoft";
import { microsoftDialogMessage, type MicrosoftDialogMessage } from "../auth/microsoft-dialog";

type EntraIdentity = Extract<IdentityInfo, { mode: "entra" }>;

export interface MicrosoftDialogPageDeps {
  identity(): Promise<IdentityInfo>;
  msal(identity: EntraIdentity): Promise<MsalApp & MsalRedirectApp>;
  /** messageParent (or the workbench's opener); false when nobody is listening. */
  tell(message: string): boolean;
  show(title: string, message: string): void;
}

/** msal's error code plus any AADSTS number in its message: what the task pane needs to explain the failure. */
export function failureCode(e: unknown): string {
  const code = typeof e === "object" && e !== null && typeof (e as { errorCode?: unknown }).errorCode === "string" ? (e as { errorCode: string }).errorCode : "";
  const aadsts = e instanceof Error ? /AADSTS\d{5,6}/.exec(e.message)?.[0] : undefined;
  return [code.replace(/[^A-Za-z0-9_.-]/g, "").slice(0, 60), aadsts].filter(Boolean).join(" ") || "unknown";
}

export async function runMicrosoftDialogPage(d: MicrosoftDialogPageDeps): Promise<"answered" | "redirecting"> {
  const answer = (message: MicrosoftDialogMessage): "answered" => {
    const sent = d.tell(microsoftDialogMessage(message));
    if (message.ok) d.show("Signed in", sent ? "You can close this window." : "You can close this window and return to Excel.");
    else d.show("Signing in did not complete", "You can close this window and choose “Sign in with Microsoft” again.");
    return "answered";
  };
  let identity: IdentityInfo;
  try {
    identity = await d.identity();
  } catch {
    return answer({ ok: false, code: "identity_unavailable" });
  }
  if (identity.mode !== "entra") return answer({ ok: false, code: "not_entra" });
  try {
    const app = await d.msal(identity);
    const scopes = [identity.scope];
    const back: MsalResult | null = await app.handleRedirectPromise();
    if (back?.accessToken) return answer({ ok: true, accessToken: back.accessToken, ...(back.account ? { username: back.account.username } : {}) });
    const account = app.getAllAccounts()[0];
    if (account) {
      try {
        const silent = await app.acquireTokenSilent({ scopes, account });
        return answer({ ok: true, accessToken: silent.accessToken, username: account.username });
      } catch {
        // Microsoft needs the person: go on to the sign-in page
      }
    }
    await app.acquireTokenRedirect({ scopes, prompt: "select_account" });
    return "redirecting";
  } catch (e) {
    return answer({ ok: false, code: failureCode(e) });
  }
}
