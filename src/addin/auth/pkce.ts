/**
 * The PKCE-like binding between the task pane and the relay's pending sign-in (addin-engineering §3.2):
 * the task pane keeps a random verifier and sends only its SHA-256; whoever claims the session must
 * present the verifier, so a leaked `sid` is useless on its own.
 */

/** RFC 4648 §5 base64url without padding. */
export function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes (256 bits) from the platform's CSPRNG, base64url: 43 characters. */
export function createVerifier(crypto: Crypto = globalThis.crypto): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** base64url(SHA-256(verifier)), as the relay checks it at claim time. */
export async function challengeFor(verifier: string, crypto: Crypto = globalThis.crypto): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}
