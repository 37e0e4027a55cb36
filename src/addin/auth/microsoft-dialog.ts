/**
 * The Office dialog fallback for Microsoft sign-in (addin-engineering §2.2 step 5, §3.1): where the host cannot
 * broker sign-in and cannot show msal's popup, the task pane opens ms-signin.html (our own origin) in the
 * Office dialog; that page runs msal's redirect flow and answers with one `messageParent` string. The token
 * travels only in that message, to the parent window, never in a URL.
 */
import { awaitDialogAnswer, parseDialogJson, type DialogHost } from "./office-dialog";
import { MicrosoftSignInError, signInFailure } from "./microsoft";

/** The page the dialog opens (built by webpack from src/addin/dialog/ms-signin-main.ts). */
export const MICROSOFT_DIALOG_PAGE = "/ms-signin.html";
/** Where Microsoft returns, popup and redirect alike: msal 5's redirect bridge (src/addin/dialog/ms-redirect-main.ts). Register it as a SPA redirect URI. */
export const MICROSOFT_REDIRECT_PAGE = "/ms-redirect.html";

/** What ms-signin.html may say. */
export type MicrosoftDialogMessage = { readonly ok: true; readonly accessToken: string; readonly username?: string } | { readonly ok: false; readonly code: string };

/** What the dialog hands the task pane: the token, and the account's name to show. */
export interface DialogSignIn {
  readonly accessToken: string;
  readonly username?: string;
}

const TOKEN = /^[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{1,16384}\.[A-Za-z0-9_-]{0,2048}$/;
const CODE = /^[A-Za-z0-9_.: -]{1,100}$/;
/** A user principal name or e-mail address: printable, no markup. */
const USERNAME = /^[^\s<>"'&]{1,256}$/;

export function microsoftDialogMessage(message: MicrosoftDialogMessage): string {
  return JSON.stringify(message);
}

export function parseMicrosoftDialogMessage(raw: unknown): MicrosoftDialogMessage | undefined {
  const m = parseDialogJson(raw, 24_000);
  if (!m) return undefined;
  if (m.ok === true && typeof m.accessToken === "string" && TOKEN.test(m.accessToken)) {
    return { ok: true, accessToken: m.accessToken, ...(typeof m.username === "string" && USERNAME.test(m.username) ? { username: m.username } : {}) };
  }
  if (m.ok === false) return { ok: false, code: typeof m.code === "string" && CODE.test(m.code) ? m.code : "unknown" };
  return undefined;
}

/** Opens the dialog and resolves to the access token (and account name), or throws a MicrosoftSignInError with the sentence to show. */
export async function signInWithOfficeDialog(host: DialogHost, origin: string): Promise<DialogSignIn> {
  let refused: MicrosoftSignInError | undefined;
  const outcome = await awaitDialogAnswer<DialogSignIn>(host, `${origin}${MICROSOFT_DIALOG_PAGE}`, origin, "Sign in with Microsoft", (raw) => {
    const msg = parseMicrosoftDialogMessage(raw);
    if (!msg) return undefined;
    if (msg.ok) return { ok: true, value: { accessToken: msg.accessToken, ...(msg.username ? { username: msg.username } : {}) } };
    refused = signInFailure({ errorCode: msg.code, errorMessage: msg.code });
    return { ok: false, reason: "auth-failed", message: refused.message };
  });
  if (outcome.ok) return outcome.value;
  if (refused) throw refused;
  throw new MicrosoftSignInError(outcome.reason === "closed" ? "cancelled" : outcome.reason === "blocked" ? "popup-blocked" : "failed", outcome.message);
}
