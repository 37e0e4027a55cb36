/**
 * Where Microsoft sign-in happens (host broker, msal popup, or the Office dialog running ms-signin.html), how
 * the dialog's answer comes back (one messageParent string, from our origin, token never in a URL), and how
 * failures become the sentences the sign-in step shows.
 */
import { chooseSignInRoute, MicrosoftSignIn, MicrosoftSignInError, signInFailure, tokenExpiry, type MsalAccount, type MsalApp, type MsalRedirectApp, type MsalResult } from "../../src/addin/auth/microsoft";
import { MICROSOFT_DIALOG_PAGE, parseMicrosoftDialogMessage, signInWithOfficeDialog } from "../../src/addin/auth/microsoft-dialog";
import { failureCode, runMicrosoftDialogPage } from "../../src/addin/dialog/ms-signin";
import type { IdentityInfo } from "../../src/mtd";
import { FakeDialogHost } from "./fake-dialogs";

const ORIGIN = "https://mtd.example";
const SCOPE = "api://6e74172b-be56-4843-9ff4-e66a39bb12e3/access_as_user";
const ENTRA: IdentityInfo = { mode: "entra", tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47", clientId: "6e74172b-be56-4843-9ff4-e66a39bb12e3", scope: SCOPE };
const ALICE: MsalAccount = { homeAccountId: "oid.tid", username: "alice@contoso.example" };

/** An unsigned JWT-shaped token expiring at `exp` (seconds): the pane only reads exp, the relay verifies. */
function jwt(exp: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "RS256" })}.${part({ exp, scp: "access_as_user" })}.c2lnbmF0dXJl`;
}

const msalError = (errorCode: string, message = errorCode) => Object.assign(new Error(message), { errorCode });

class FakeMsal implements MsalApp, MsalRedirectApp {
  accounts: MsalAccount[] = [];
  calls: string[] = [];
  popup: () => Promise<MsalResult> = async () => ({ accessToken: "popup-token", account: ALICE });
  redirectResult: MsalResult | null = null;
  silent: () => Promise<MsalResult> = async () => Promise.reject(msalError("interaction_required"));
  getAllAccounts() {
    return this.accounts;
  }
  acquireTokenSilent() {
    this.calls.push("silent");
    return this.silent();
  }
  ssoSilent() {
    this.calls.push("sso");
    return Promise.reject(msalError("login_required"));
  }
  acquireTokenPopup() {
    this.calls.push("popup");
    return this.popup();
  }
  async handleRedirectPromise() {
    this.calls.push("handleRedirect");
    return this.redirectResult;
  }
  async acquireTokenRedirect(r: { scopes: string[]; prompt?: string }) {
    this.calls.push(`redirect ${r.scopes.join(" ")} ${r.prompt ?? ""}`);
  }
}

describe("choosing how to sign in", () => {
  test.each([
    [{ nestedAppAuth: true, platform: "PC" }, "nested"],
    [{ nestedAppAuth: true, platform: "OfficeOnline" }, "nested"],
    [{ nestedAppAuth: false, platform: "OfficeOnline" }, "popup"],
    [{ nestedAppAuth: false, platform: "PC" }, "dialog"],
    [{ nestedAppAuth: false, platform: "Mac" }, "dialog"],
    [{ nestedAppAuth: false, platform: undefined }, "dialog"],
  ] as const)("%j → %s", (host, route) => {
    expect(chooseSignInRoute(host)).toBe(route);
  });

  test("a desktop host without NAA goes straight to the Office dialog, and reuses its token until near expiry", async () => {
    const msal = new FakeMsal();
    let now = new Date("2026-11-21T10:00:00Z");
    const exp = now.getTime() / 1000 + 3600;
    const opened: string[] = [];
    const signIn = new MicrosoftSignIn(msal, SCOPE, undefined, {
      preferDialog: true,
      dialog: async () => {
        opened.push("dialog");
        return { accessToken: jwt(exp), username: "alice@contoso.example" };
      },
      now: () => now,
    });
    expect(await signIn.signIn()).toBe(jwt(exp));
    expect(signIn.username).toBe("alice@contoso.example");
    expect(msal.calls).not.toContain("popup");
    expect(await signIn.tokenSilently()).toBe(jwt(exp)); // no new window for each relay call
    now = new Date(now.getTime() + 56 * 60 * 1000); // within five minutes of expiry: ask again
    expect(await signIn.tokenSilently()).toBeUndefined();
    expect(opened).toEqual(["dialog"]);
  });

  test("a blocked popup falls back to the Office dialog; without a dialog it says to allow pop-ups", async () => {
    const msal = new FakeMsal();
    msal.popup = () => Promise.reject(msalError("popup_window_error"));
    const withDialog = new MicrosoftSignIn(msal, SCOPE, undefined, { dialog: async () => ({ accessToken: "dialog-token" }) });
    expect(await withDialog.signIn()).toBe("dialog-token");
    expect(msal.calls).toContain("popup");

    const without = new MicrosoftSignIn(msal, SCOPE);
    await expect(without.signIn()).rejects.toMatchObject({ reason: "popup-blocked", message: expect.stringMatching(/Allow pop-ups/) });
  });

  test("a cancelled popup does not open the dialog", async () => {
    const msal = new FakeMsal();
    msal.popup = () => Promise.reject(msalError("user_cancelled"));
    const dialog = jest.fn(async () => ({ accessToken: "dialog-token" }));
    await expect(new MicrosoftSignIn(msal, SCOPE, undefined, { dialog }).signIn()).rejects.toMatchObject({ reason: "cancelled" });
    expect(dialog).not.toHaveBeenCalled();
  });
});

describe("Microsoft's failures in plain English", () => {
  test.each([
    [msalError("consent_required"), "consent-needed"],
    [msalError("invalid_grant", "AADSTS65001: The user or administrator has not consented to use the application"), "consent-needed"],
    [msalError("access_denied", "AADSTS90094: An administrator must grant permission"), "consent-needed"],
    [msalError("invalid_request", "AADSTS50020: User account from identity provider does not exist in tenant"), "wrong-tenant"],
    [msalError("popup_window_error"), "popup-blocked"],
    [msalError("empty_window_error"), "popup-blocked"],
    [msalError("user_cancelled"), "cancelled"],
    [msalError("server_error", "AADSTS50058"), "failed"],
    [new Error("anything"), "failed"],
  ])("%s → %s", (e, reason) => {
    const failure = signInFailure(e);
    expect(failure).toBeInstanceOf(MicrosoftSignInError);
    expect(failure.reason).toBe(reason);
    expect(failure.message).not.toMatch(/AADSTS|_/); // no codes shown to the person
  });

  test("tokenExpiry reads exp, and nothing from a malformed token", () => {
    expect(tokenExpiry(jwt(2_000_000_000))?.toISOString()).toBe("2033-05-18T03:33:20.000Z");
    expect(tokenExpiry("not-a-jwt")).toBeUndefined();
    expect(tokenExpiry("a.%%%.c")).toBeUndefined();
  });
});

describe("the Office dialog fallback, task pane side", () => {
  const token = jwt(2_000_000_000);

  test("opens ms-signin.html on our origin with nothing in the URL, and takes the token from its message", async () => {
    const host = new FakeDialogHost();
    host.script = (d) => {
      d.send(JSON.stringify({ ok: true, accessToken: jwt(1) }), "https://evil.example"); // another origin: ignored
      d.send("not json", ORIGIN);
      d.send(JSON.stringify({ ok: true, accessToken: token, username: "alice@contoso.example" }), ORIGIN);
    };
    expect(await signInWithOfficeDialog(host, ORIGIN)).toEqual({ accessToken: token, username: "alice@contoso.example" });
    expect(host.dialogs[0]!.url).toBe(`${ORIGIN}${MICROSOFT_DIALOG_PAGE}`);
    expect(host.dialogs[0]!.closed).toBe(true);
  });

  test.each([
    [12006, "cancelled", /closed before you finished\. Choose “Sign in with Microsoft”/],
    [12009, "failed", /choose Allow/],
    [12011, "popup-blocked", /Allow pop-ups/],
  ] as const)("Office error %d → %s", async (code, reason, message) => {
    const host = new FakeDialogHost();
    if (code === 12006) host.script = (d) => d.event(code);
    else host.openError = code;
    await expect(signInWithOfficeDialog(host, ORIGIN)).rejects.toMatchObject({ reason, message: expect.stringMatching(message) });
  });

  test("the page's reported failure keeps its meaning (consent, wrong tenant)", async () => {
    const host = new FakeDialogHost();
    host.script = (d) => d.send(JSON.stringify({ ok: false, code: "invalid_grant AADSTS65001" }), ORIGIN);
    await expect(signInWithOfficeDialog(host, ORIGIN)).rejects.toMatchObject({ reason: "consent-needed" });
    host.script = (d) => d.send(JSON.stringify({ ok: false, code: "invalid_request AADSTS50020" }), ORIGIN);
    await expect(signInWithOfficeDialog(host, ORIGIN)).rejects.toMatchObject({ reason: "wrong-tenant" });
  });

  test("messages are bounded and shaped", () => {
    expect(parseMicrosoftDialogMessage(JSON.stringify({ ok: true, accessToken: "x".repeat(30_000) }))).toBeUndefined();
    expect(parseMicrosoftDialogMessage(JSON.stringify({ ok: true, accessToken: "<script>" }))).toBeUndefined();
    expect(parseMicrosoftDialogMessage(JSON.stringify({ ok: false, code: "<b>" }))).toEqual({ ok: false, code: "unknown" });
    expect(parseMicrosoftDialogMessage(42)).toBeUndefined();
    expect(parseMicrosoftDialogMessage(JSON.stringify({ ok: true, accessToken: "a.b.c", username: "<img src=x>" }))).toEqual({ ok: true, accessToken: "a.b.c" });
  });
});

describe("ms-signin.html, the dialog page", () => {
  function page(msal: FakeMsal, identity: IdentityInfo = ENTRA) {
    const told: string[] = [];
    const shown: string[] = [];
    const run = () =>
      runMicrosoftDialogPage({
        identity: async () => identity,
        msal: async () => msal,
        tell: (m) => {
          told.push(m);
          return true;
        },
        show: (title) => shown.push(title),
      });
    return { run, told, shown };
  }

  test("first visit: goes to Microsoft with account selection, telling the task pane nothing yet", async () => {
    const msal = new FakeMsal();
    const p = page(msal);
    expect(await p.run()).toBe("redirecting");
    expect(msal.calls).toEqual(["handleRedirect", `redirect ${SCOPE} select_account`]);
    expect(p.told).toEqual([]);
  });

  test("back from Microsoft: sends the token to the task pane once", async () => {
    const msal = new FakeMsal();
    msal.redirectResult = { accessToken: "redirect-token", account: ALICE };
    const p = page(msal);
    expect(await p.run()).toBe("answered");
    expect(p.told.map((m) => JSON.parse(m) as unknown)).toEqual([{ ok: true, accessToken: "redirect-token", username: "alice@contoso.example" }]);
    expect(p.shown).toEqual(["Signed in"]);
  });

  test("an account msal already holds is used silently", async () => {
    const msal = new FakeMsal();
    msal.accounts = [ALICE];
    msal.silent = async () => ({ accessToken: "silent-token", account: ALICE });
    const p = page(msal);
    await p.run();
    expect(p.told.map((m) => JSON.parse(m) as unknown)).toEqual([{ ok: true, accessToken: "silent-token", username: "alice@contoso.example" }]);
  });

  test("Microsoft's error goes back as a code, with the AADSTS number but no message text", async () => {
    const msal = new FakeMsal();
    msal.handleRedirectPromise = () => Promise.reject(msalError("invalid_request", "AADSTS50020: User account 'bob@fabrikam.example' from identity provider does not exist"));
    const p = page(msal);
    await p.run();
    expect(p.told).toEqual([JSON.stringify({ ok: false, code: "invalid_request AADSTS50020" })]);
    expect(p.shown).toEqual(["Signing in did not complete"]);
    expect(failureCode("nothing")).toBe("unknown");
  });

  test("a relay in local mode has no Microsoft sign-in", async () => {
    const msal = new FakeMsal();
    const p = page(msal, { mode: "local" });
    await p.run();
    expect(p.told).toEqual([JSON.stringify({ ok: false, code: "not_entra" })]);
    expect(msal.calls).toEqual([]);
  });
});
