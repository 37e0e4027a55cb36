import { MicrosoftSignIn, MicrosoftSignInError, type MsalAccount, type MsalApp, type MsalResult } from "../../src/addin/auth/microsoft";
import { renewIfDue, RENEW_BEFORE_MS, keepSessionFresh } from "../../src/addin/auth/session-renewal";
import { RelayError } from "../../src/addin/relay-client";
import { SessionStore } from "../../src/addin/session-store";

const SCOPE = "api://6e74172b-be56-4843-9ff4-e66a39bb12e3/access_as_user";
const ALICE: MsalAccount = { homeAccountId: "oid.tid", username: "alice@example.co.uk" };

/** msal's errors carry `errorCode`. */
const msalError = (errorCode: string) => Object.assign(new Error(errorCode), { errorCode });

class FakeMsal implements MsalApp {
  accounts: MsalAccount[] = [];
  calls: string[] = [];
  silent: () => Promise<MsalResult> = async () => ({ accessToken: "silent-token", account: ALICE });
  sso: () => Promise<MsalResult> = async () => ({ accessToken: "sso-token", account: ALICE });
  popup: () => Promise<MsalResult> = async () => ({ accessToken: "popup-token", account: ALICE });
  getAllAccounts() {
    return this.accounts;
  }
  acquireTokenSilent(r: { scopes: string[]; account: MsalAccount }) {
    this.calls.push(`silent ${r.scopes.join(" ")} ${r.account.username}`);
    return this.silent();
  }
  ssoSilent(r: { scopes: string[]; loginHint: string }) {
    this.calls.push(`sso ${r.loginHint}`);
    return this.sso();
  }
  acquireTokenPopup(r: { scopes: string[]; loginHint?: string }) {
    this.calls.push(`popup ${r.loginHint ?? ""}`);
    return this.popup();
  }
}

describe("Microsoft sign-in", () => {
  test("with a cached account: silent, for our API's scope", async () => {
    const msal = new FakeMsal();
    msal.accounts = [ALICE];
    expect(await new MicrosoftSignIn(msal, SCOPE).signIn()).toBe("silent-token");
    expect(msal.calls).toEqual([`silent ${SCOPE} alice@example.co.uk`]);
  });

  test("no account yet: single sign-on with the Office account as hint, then silent with the account it found", async () => {
    const msal = new FakeMsal();
    const signIn = new MicrosoftSignIn(msal, SCOPE, async () => "alice@example.co.uk");
    expect(await signIn.tokenSilently()).toBe("sso-token");
    expect(await signIn.tokenSilently()).toBe("silent-token");
    expect(msal.calls).toEqual(["sso alice@example.co.uk", `silent ${SCOPE} alice@example.co.uk`]);
  });

  test("when Microsoft needs the person, silent gives undefined and signIn opens the window", async () => {
    const msal = new FakeMsal();
    msal.accounts = [ALICE];
    msal.silent = async () => Promise.reject(msalError("interaction_required"));
    const signIn = new MicrosoftSignIn(msal, SCOPE, async () => "alice@example.co.uk");
    expect(await signIn.tokenSilently()).toBeUndefined();
    expect(await signIn.signIn()).toBe("popup-token");
    expect(msal.calls.at(-1)).toBe("popup alice@example.co.uk");
  });

  test("no account and no hint: straight to the window", async () => {
    const msal = new FakeMsal();
    expect(await new MicrosoftSignIn(msal, SCOPE).signIn()).toBe("popup-token");
    expect(msal.calls).toEqual(["popup "]);
  });

  test("a blocked or cancelled window, or a broken silent call, become plain errors", async () => {
    const msal = new FakeMsal();
    msal.popup = async () => Promise.reject(msalError("popup_window_error"));
    await expect(new MicrosoftSignIn(msal, SCOPE).signIn()).rejects.toMatchObject({ reason: "popup-blocked", message: expect.stringContaining("Allow pop-ups") });
    msal.popup = async () => Promise.reject(msalError("user_cancelled"));
    await expect(new MicrosoftSignIn(msal, SCOPE).signIn()).rejects.toMatchObject({ reason: "cancelled" });
    msal.accounts = [ALICE];
    msal.silent = async () => Promise.reject(new TypeError("Failed to fetch"));
    await expect(new MicrosoftSignIn(msal, SCOPE).tokenSilently()).rejects.toBeInstanceOf(MicrosoftSignInError);
  });
});

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

describe("keeping a local session fresh", () => {
  let t = Date.parse("2026-11-21T10:00:00Z");
  const now = () => new Date(t);
  const session = () => {
    const s = new SessionStore(new MemoryStorage(), undefined, now);
    s.set({ token: "old", expiresAt: new Date(t + 60 * 60_000).toISOString() });
    return s;
  };

  test("renews only when less than the margin is left, and stores the new token", async () => {
    const s = session();
    const relay = { renewSession: jest.fn(async () => ({ sessionToken: "new", expiresAt: new Date(t + 2 * 3600_000).toISOString() })) };
    expect(await renewIfDue(relay, s, now)).toBe("not-due");
    expect(relay.renewSession).not.toHaveBeenCalled();
    t += 60 * 60_000 - RENEW_BEFORE_MS;
    expect(await renewIfDue(relay, s, now)).toBe("renewed");
    expect(s.token).toBe("new");
  });

  test("a session the relay no longer knows is cleared; a network failure keeps it for the next try", async () => {
    const s = session();
    t += 59 * 60_000;
    const offline = { renewSession: async () => Promise.reject(new RelayError("network", "offline")) };
    expect(await renewIfDue(offline, s, now)).toBe("failed");
    expect(s.token).toBe("old");
    const ended = { renewSession: async () => Promise.reject(new RelayError("http", "ended", 401)) };
    expect(await renewIfDue(ended, s, now)).toBe("ended");
    expect(s.token).toBeUndefined();
  });

  test("checks on a timer and reports a session that ended", async () => {
    let tick: () => void = () => undefined;
    const s = new SessionStore(new MemoryStorage(), undefined);
    s.set({ token: "old", expiresAt: new Date(Date.now() + 60_000).toISOString() });
    const onEnded = jest.fn();
    keepSessionFresh({ renewSession: async () => Promise.reject(new RelayError("http", "ended", 401)) }, s, onEnded, { setInterval: (fn) => (tick = fn) });
    tick();
    await new Promise((r) => setTimeout(r, 0));
    expect(onEnded).toHaveBeenCalledTimes(1);
  });
});
