/**
 * Signing in with Microsoft (IDENTITY_MODE=entra; addin-engineering.md §2): msal-browser gets an access token
 * for the relay's own API (`api://<client id>/access_as_user`), which the task pane sends as its bearer; the
 * relay checks it with jose. Where the Office host supports nested app authentication (requirement set
 * NestedAppAuth 1.1) the host brokers the sign-in; elsewhere msal's own popup is used.
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

export type MicrosoftSignInFailure = "popup-blocked" | "cancelled" | "failed";

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

export class MicrosoftSignIn {
  private account: MsalAccount | undefined;

  constructor(
    private readonly app: MsalApp,
    private readonly scope: string,
    /** The Office account's user principal name, when the host tells us (needed for NAA on the web). */
    private readonly loginHint: () => Promise<string | undefined> = async () => undefined,
  ) {}

  /** A token without showing anything, or undefined when the person has to sign in (call `signIn`). */
  async tokenSilently(): Promise<string | undefined> {
    const scopes = [this.scope];
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

  /** Silent if possible, otherwise Microsoft's sign-in window. */
  async signIn(): Promise<string> {
    const silent = await this.tokenSilently();
    if (silent !== undefined) return silent;
    const hint = await this.loginHint();
    try {
      return this.remember(await this.app.acquireTokenPopup({ scopes: [this.scope], ...(hint ? { loginHint: hint } : {}) }));
    } catch (e) {
      const code = errorCode(e);
      if (code === "popup_window_error" || code === "empty_window_error") {
        throw new MicrosoftSignInError("popup-blocked", "Your browser blocked Microsoft's sign-in window. Allow pop-ups for this add-in, then choose “Sign in” again.");
      }
      if (code === "user_cancelled") throw new MicrosoftSignInError("cancelled", "Sign-in was cancelled. Choose “Sign in” when you are ready.");
      throw new MicrosoftSignInError("failed", "Signing in with Microsoft did not complete. Please try again.");
    }
  }

  private remember(result: MsalResult): string {
    if (result.account) this.account = result.account;
    return result.accessToken;
  }
}

/**
 * The real thing: msal-browser loaded on demand (only entra deployments download it), nested where the host
 * brokers sign-in, standard otherwise. `redirectUri` is a page of ours registered on the app registration.
 */
export async function createMicrosoftSignIn(identity: EntraIdentity, options: { nested: boolean; redirectUri: string; loginHint?: () => Promise<string | undefined> }): Promise<MicrosoftSignIn> {
  const msal = await import("@azure/msal-browser");
  const configuration = {
    auth: { clientId: identity.clientId, authority: `https://login.microsoftonline.com/${identity.tenantId}`, redirectUri: options.redirectUri },
    cache: { cacheLocation: "localStorage" as const },
  };
  const app = options.nested ? await msal.createNestablePublicClientApplication(configuration) : await msal.createStandardPublicClientApplication(configuration);
  return new MicrosoftSignIn(app as unknown as MsalApp, identity.scope, options.loginHint);
}
