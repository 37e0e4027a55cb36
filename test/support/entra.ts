/**
 * A Microsoft Entra stand-in for tests that need a relay in entra identity mode: a loopback signing-keys
 * endpoint, access tokens for the relay's API, and the HMRC connect flow run the way task pane and dialog
 * run it (the local sandbox's sign-in form submitted).
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type * as Jose from "jose" with { "resolution-mode": "import" };

/** jose 6 is ESM-only and the tests are CommonJS: loaded on first use, as src/relay/identity/entra.ts does. */
const loadJose = (): Promise<typeof Jose> => import("jose");

export const ENTRA_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const ENTRA_API_CLIENT_ID = "6e74172b-be56-4843-9ff4-e66a39bb12e3";

export interface EntraKeys {
  /** ENTRA_JWKS_URL for the relay. */
  url: string;
  /** Relay env for entra mode against these keys. */
  env: Record<string, string>;
  token(claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startEntraKeys(): Promise<EntraKeys> {
  const { exportJWK, generateKeyPair, SignJWT } = await loadJose();
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const server: Server = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  return {
    url,
    env: { IDENTITY_MODE: "entra", ENTRA_TENANT_ID: ENTRA_TENANT, ENTRA_CLIENT_ID: ENTRA_API_CLIENT_ID, ENTRA_JWKS_URL: url },
    /** Signed in five minutes ago; pass `amr: ["pwd", "mfa"]` for a second factor. */
    token(claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ tid: ENTRA_TENANT, oid: "00000000-0000-0000-66f3-3332eca7ea81", scp: "access_as_user", auth_time: now - 300, ...claims })
        .setProtectedHeader({ alg: "RS256", kid: "test-key", typ: "JWT" })
        .setIssuer(`https://login.microsoftonline.com/${ENTRA_TENANT}/v2.0`)
        .setAudience(ENTRA_API_CLIENT_ID)
        .setIssuedAt(now - 60)
        .setNotBefore(now - 60)
        .setExpirationTime(now + 3600)
        .sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Connects the signed-in person to the local sandbox through an entra-mode relay; throws if any step fails. */
export async function connectEntraToSandbox(relayUrl: string, bearer: string, nino = "AA123456A"): Promise<void> {
  const auth = { authorization: `Bearer ${bearer}`, "content-type": "application/json" };
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const start = await fetch(`${relayUrl}/api/auth/start`, { method: "POST", headers: auth, body: JSON.stringify({ challenge }) });
  if (start.status !== 200) throw new Error(`auth start: ${start.status} ${await start.text()}`);
  const { sid } = (await start.json()) as { sid: string };
  const toHmrc = await fetch(`${relayUrl}/auth/start?sid=${sid}`, { redirect: "manual" });
  const authorize = new URL(toHmrc.headers.get("location") ?? "");
  const signIn = await (await fetch(authorize)).text();
  const form = new URLSearchParams();
  for (const m of signIn.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, m[2]!.replace(/&amp;/g, "&"));
  form.set("nino", nino);
  form.set("action", "grant");
  const granted = await fetch(new URL("/oauth/authorize", authorize), { method: "POST", body: form, redirect: "manual" });
  const callback = await fetch(granted.headers.get("location") ?? "", { redirect: "manual" });
  if (callback.headers.get("location") !== `/dialog.html?sid=${sid}&result=ok`) throw new Error(`callback: ${callback.headers.get("location")}`);
  const claim = await fetch(`${relayUrl}/api/auth/claim`, { method: "POST", headers: auth, body: JSON.stringify({ sid, verifier }) });
  if (claim.status !== 204) throw new Error(`claim: ${claim.status} ${await claim.text()}`);
}
