/**
 * Signing in with Microsoft (IDENTITY_MODE=entra; addin-engineering.md §2): msal-browser gets an access token
 * for the relay's own API (`api://<client id>/access_as_user`), which the task pane sends as its bearer; the
 * relay checks it with jose. Where the Office host supports nested app authentication (requirement set
 * NestedAppAuth 1.1) the host brokers the sign-in; elsewhere msal's own popup is used, or, where a popup cannot
 * work (a desktop webview, or the browser blocked it), the Office dialog running ms-signin.html (§2.2 step 5).
 * Silent first (with the Office account as login hint where known), interactive only when Microsoft asks.
 */
import type { IdentityInfo } from "../../mtd";

type EntraIdentity = Extract<IdentityInfo, { mode: "entra" }>;

/** What this module uses of an msal-browser PublicClientApplication (the real one fits; tests pass a fake). */
export interface MsalApp {
  getAllAccounts(): MsalAccount[];
  acquireTokenSilent(request: { scopes: string[]; account: MsalAccount }): Promise<MsalResult>;
  ssoSilent(request: { scopes: string[]; loginHint: string }): Promise<MsalResult>;
  acquireTokenPopup(request: { scopes: string[]; loginHint?: string }): Promise<MsalResult>;
}

export interface MsalAccount {
  homeAccountId: string;
  username: string;
}

export interface MsalResult {
  accessToken: string;
  account: MsalAccount | null;
}

export type MicrosoftSignInFailure = "popup-blocked" | "cancelled" | "consent-needed" | "wrong-tenant" | "failed";

/** How the person signs in when Microsoft has to ask them. */
export type SignInRoute = "nested" | "popup" | "dialog";

/**
 * The fallback decision (addin-engineering §2.1–2.2): the host brokers sign-in where it supports nested app
 * authentication; in a browser (Office on the web) msal's popup works; in a desktop or mobile webview a popup
 * is not usable, so the Office dialog runs msal's redirect flow instead.
 */
export function chooseSignInRoute(host: { nestedAppAuth: boolean; platform: string | undefined }): SignInRoute {
  if (host.nestedAppAuth) return "nested";
  return host.platform === "OfficeOnline" ? "popup" : "dialog";
}

export class MicrosoftSignInError extends Error {
  constructor(
    readonly reason: MicrosoftSignInFailure,
    message: string,
  ) {
    super(message);
    this.name = "MicrosoftSignInError";
  }
}

/** msal error codes that mean "ask the person" rather than "something is broken". */
const NEEDS_INTERACTION = new Set(["interaction_required", "consent_required", "login_required", "no_account_error", "no_tokens_found", "token_refresh_required"]);

function errorCode(e: unknown): string | undefined {
  return typeof e === "object" && e !== null && typeof (e as { errorCode?: unknown }).errorCode === "string" ? (e as { errorCode: string }).errorCode : undefined;
}

/** msal's error code and message together: Entra's AADSTS numbers arrive inside the message. */
function errorText(e: unknown): string {
  const message = e instanceof Error ? e.message : typeof e === "object" && e !== null ? String((e as { errorMessage?: unknown }).errorMessage ?? "") : "";
  return `${errorCode(e) ?? ""} ${message}`;
}

/**
 * An interactive sign-in that failed, as the plain sentence to show. Also used for what the dialog page
 * reports (its `code` is msal's error code or an AADSTS number).
 */
export function signInFailure(e: unknown): MicrosoftSignInError {
  const code = errorCode(e);
  const text = errorText(e);
  if (code === "popup_window_error" || code === "empty_window_error") {
    return new MicrosoftSignInError("popup-blocked", "Your browser blocked Microsoft's sign-in window. Allow pop-ups for this add-in, then choose “Sign in with Microsoft” again.");
  }
  if (code === "user_cancelled") return new MicrosoftSignInError("cancelled", "Sign-in was cancelled. Choose “Sign in with Microsoft” when you are ready.");
  // AADSTS65001: the app has not been granted the permission; AADSTS90094: only an administrator may grant it.
  if (code === "consent_required" || /AADSTS(65001|90094|90008)/.test(text)) {
    return new MicrosoftSignInError(
      "consent-needed",
      "Your organisation has not yet allowed MTD Bridge to use your Microsoft sign-in. Ask your Microsoft 365 administrator to grant consent for MTD Bridge, then sign in again.",
    );
  }
  // AADSTS50020 / 500200: the account belongs to another tenant (or is a personal account).
  if (/AADSTS(50020|500200|50177|700016)/.test(text)) {
    return new MicrosoftSignInError(
      "wrong-tenant",
      "That Microsoft account is not part of the organisation that runs this MTD Bridge. Sign in with your work account from that organisation.",
    );
  }
  return new MicrosoftSignInError("failed", "Signing in with Microsoft did not complete. Please try again.");
}

/** What the interactive part needs besides msal: the Office dialog fallback and when to use it straight away. */
export interface InteractiveOptions {
  /** The Office dialog running ms-signin.html; resolves to an access token and the account's name. */
  readonly dialog?: () => Promise<{ readonly accessToken: string; readonly username?: string }>;
  /** The host cannot show a popup: go to the dialog without trying one. */
  readonly preferDialog?: boolean;
  readonly now?: () => Date;
}

/** A token from the dialog is kept in memory until shortly before it expires (msal's cache there is not ours). */
const DIALOG_TOKEN_MARGIN_MS = 5 * 60 * 1000;

/** The `exp` of a JWT, read without verifying it (the relay verifies; this only decides when to ask again). */
export function tokenExpiry(token: string): Date | undefined {
  const payload = token.split(".")[1];
  if (!payload || payload.length > 16384) return undefined;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
    return typeof json.exp === "number" ? new Date(json.exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/** What the task pane needs of a Microsoft sign-in (MicrosoftSignIn; tests pass a fake). */
export interface MicrosoftTokens {
  /** A fresh token without showing anything, or undefined when the person has to sign in again. */
  tokenSilently(): Promise<string | undefined>;
  /** Silent if possible, otherwise asks the person; throws MicrosoftSignInError. */
  signIn(): Promise<string>;
  /** The signed-in account's name, when known. */
  readonly username: string | undefined;
}

export class MicrosoftSignIn implements MicrosoftTokens {
  private account: MsalAccount | undefined;
  private dialogToken: { token: string; expiresAt: number } | undefined;
  private dialogUsername: string | undefined;

  constructor(
    private readonly app: MsalApp,
    private readonly scope: string,
    /** The Office account's user principal name, when the host tells us (needed for NAA on the web). */
    private readonly loginHint: () => Promise<string | undefined> = async () => undefined,
    private readonly interactive: InteractiveOptions = {},
  ) {}

  get username(): string | undefined {
    return this.account?.username ?? this.dialogUsername;
  }

  /** A token without showing anything, or undefined when the person has to sign in (call `signIn`). */
  async tokenSilently(): Promise<string | undefined> {
    const scopes = [this.scope];
    const now = (this.interactive.now ?? (() => new Date()))().getTime();
    if (this.dialogToken) {
      if (this.dialogToken.expiresAt - DIALOG_TOKEN_MARGIN_MS > now) return this.dialogToken.token;
      this.dialogToken = undefined;
    }
    try {
      const account = this.account ?? this.app.getAllAccounts()[0];
      if (account) return this.remember(await this.app.acquireTokenSilent({ scopes, account }));
      const hint = await this.loginHint();
      if (hint) return this.remember(await this.app.ssoSilent({ scopes, loginHint: hint }));
      return undefined;
    } catch (e) {
      if (NEEDS_INTERACTION.has(errorCode(e) ?? "")) return undefined;
      throw new MicrosoftSignInError("failed", "Signing in with Microsoft did not work just now. Check your connection and try again.");
    }
  }

  /** Silent if possible, otherwise Microsoft's sign-in window (the popup, or the Office dialog where a popup cannot work). */
  async signIn(): Promise<string> {
    const silent = await this.tokenSilently();
    if (silent !== undefined) return silent;
    const { dialog, preferDialog } = this.interactive;
    if (dialog && preferDialog) return this.viaDialog(dialog);
    const hint = await this.loginHint();
    try {
      return this.remember(await this.app.acquireTokenPopup({ scopes: [this.scope], ...(hint ? { loginHint: hint } : {}) }));
    } catch (e) {
      const failure = signInFailure(e);
      if (failure.reason === "popup-blocked" && dialog) return this.viaDialog(dialog);
      throw failure;
    }
  }

  private async viaDialog(dialog: NonNullable<InteractiveOptions["dialog"]>): Promise<string> {
    const { accessToken: token, username } = await dialog();
    this.dialogUsername = username;
    const expiresAt = tokenExpiry(token)?.getTime();
    if (expiresAt !== undefined) this.dialogToken = { token, expiresAt };
    return token;
  }

  private remember(result: MsalResult): string {
    if (result.account) this.account = result.account;
    return result.accessToken;
  }
}

/**
 * The real thing: msal-browser loaded on demand (only entra deployments download it), nested where the host
 * brokers sign-in, standard otherwise (with the Office dialog as the interactive fallback). `redirectUri` is a
 * page of ours registered on the app registration.
 */
export async function createMicrosoftSignIn(
  identity: EntraIdentity,
  options: { route: SignInRoute; redirectUri: string; loginHint?: () => Promise<string | undefined>; dialog?: InteractiveOptions["dialog"] },
): Promise<MicrosoftSignIn> {
  const app = await createMsalApp(identity, options.route === "nested", options.redirectUri);
  return new MicrosoftSignIn(app, identity.scope, options.loginHint, {
    ...(options.dialog ? { dialog: options.dialog } : {}),
    preferDialog: options.route === "dialog",
  });
}

/** One msal configuration for the task pane and the dialog page (ms-signin.html). */
export async function createMsalApp(identity: EntraIdentity, nested: boolean, redirectUri: string): Promise<MsalApp & MsalRedirectApp> {
  const msal = await import("@azure/msal-browser");
  const configuration = {
    auth: { clientId: identity.clientId, authority: `https://login.microsoftonline.com/${identity.tenantId}`, redirectUri },
    cache: { cacheLocation: "localStorage" as const },
  };
  const app = nested ? await msal.createNestablePublicClientApplication(configuration) : await msal.createStandardPublicClientApplication(configuration);
  return app as unknown as MsalApp & MsalRedirectApp;
}

/** The redirect half of msal, used only by the dialog page. */
export interface MsalRedirectApp {
  handleRedirectPromise(): Promise<MsalResult | null>;
  acquireTokenRedirect(request: { scopes: string[]; prompt?: string; loginHint?: string }): Promise<void>;
}
