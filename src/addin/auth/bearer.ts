/**
 * The bearer every relay call carries: this device's relay session (local mode), or, once the task pane has
 * found the relay in entra mode, a fresh Microsoft access token per call (msal answers from its cache and
 * renews silently; when Microsoft needs the person again the call fails as "not signed in").
 */
import { RelayError } from "../relay-client";
import type { SessionStore } from "../session-store";
import type { MicrosoftTokens } from "./microsoft";

/** Microsoft needs the person again (their sign-in ended or was revoked): the pane goes back to "Sign in". */
export class SignInNeeded extends RelayError {
  constructor() {
    super("http", "Your Microsoft sign-in has ended. Choose “Sign in with Microsoft” to continue.", 401, { code: "RELAY_NOT_SIGNED_IN", message: "Not signed in" });
  }
}

export class Bearer {
  private microsoft: MicrosoftTokens | undefined;

  constructor(private readonly session: Pick<SessionStore, "token">) {}

  /** Entra mode from now on: every call gets a Microsoft token. */
  useMicrosoft(microsoft: MicrosoftTokens): void {
    this.microsoft = microsoft;
  }

  async token(): Promise<string | undefined> {
    if (!this.microsoft) return this.session.token;
    const token = await this.microsoft.tokenSilently();
    if (token === undefined) throw new SignInNeeded();
    return token;
  }
}
