/**
 * "Connect to HMRC" end to end (addin-engineering §3.2): verifier → POST /api/auth/start → Office dialog
 * (HMRC sign-in happens there, on the relay's redirects) → message back → POST /api/auth/claim with the
 * verifier → a relay session token. HMRC's tokens never reach the browser.
 * In entra mode (`signedIn`) start and claim carry the Microsoft token and the claim answers with no session
 * (null): the relay links the HMRC grant to the signed-in person.
 */
import type { SessionResponse } from "../../mtd";
import type { RelayClient } from "../relay-client";
import { runSignInDialog, type DialogFailure, type DialogHost } from "./office-dialog";
import { challengeFor, createVerifier } from "./pkce";

export class ConnectError extends Error {
  constructor(
    readonly reason: DialogFailure,
    message: string,
  ) {
    super(message);
    this.name = "ConnectError";
  }
}

export interface ConnectDeps {
  readonly relay: Pick<RelayClient, "startAuth" | "claim">;
  readonly dialogs: DialogHost;
  /** The task pane's own origin: the dialog must open there and may only answer from there. */
  readonly origin: string;
  readonly crypto?: Crypto;
  readonly onProgress?: (message: string) => void;
  /** Entra mode: the relay calls carry the Microsoft access token. */
  readonly signedIn?: boolean;
}

export async function connectToHmrc(deps: ConnectDeps): Promise<SessionResponse | null> {
  const bearer = { bearer: deps.signedIn === true };
  const verifier = createVerifier(deps.crypto);
  const challenge = await challengeFor(verifier, deps.crypto);
  const { sid, dialogUrl } = await deps.relay.startAuth(challenge, bearer);
  deps.onProgress?.("Sign in to HMRC in the window that opened, then grant MTD Bridge authority.");
  const outcome = await runSignInDialog(deps.dialogs, `${deps.origin}${dialogUrl}`, deps.origin, sid);
  if (!outcome.ok) throw new ConnectError(outcome.reason, outcome.message);
  deps.onProgress?.("Finishing the connection…");
  return deps.relay.claim(sid, verifier, bearer);
}
