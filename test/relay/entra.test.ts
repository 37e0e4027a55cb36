import type * as Jose from "jose" with { "resolution-mode": "import" };
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { err, ok } from "../../src/mtd";
import { createEntraVerifier } from "../../src/relay/identity/entra";
import { createAuthenticator } from "../../src/relay/sessions";
import type { EntraSettings } from "../../src/relay/identity/settings";
import { loadConfig } from "../../src/relay/config";
import { openSqliteStore, type RelayStore } from "../../src/relay/store";
import { BROWSER_HEADERS, challengeOf, Clock, GOOD_CODE, LIST_PATH, startFakeHmrc, startRelayFor, type FakeHmrc, type Relay } from "./helpers";

type CryptoKey = Jose.CryptoKey;
type JWTPayload = Jose.JWTPayload;
/** jose 6 is ESM-only and the tests are CommonJS: loaded once, before the tests. */
let jose: typeof Jose;

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const API_CLIENT_ID = "6e74172b-be56-4843-9ff4-e66a39bb12e3";
const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

interface KeyServer {
  url: string;
  server: Server;
  privateKey: CryptoKey;
  /** How many times the key set was fetched. */
  hits: number;
}

/** A local stand-in for the tenant's discovery keys endpoint, on loopback. */
async function startKeyServer(): Promise<KeyServer> {
  const { publicKey, privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const ks: KeyServer = { url: "", server: createServer(), privateKey, hits: 0 };
  ks.server.on("request", (_req, res) => {
    ks.hits += 1;
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => ks.server.listen(0, "127.0.0.1", resolve));
  ks.url = `http://127.0.0.1:${(ks.server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  return ks;
}

const clock = new Clock();
const nowSeconds = () => Math.floor(clock.t / 1000);
const OID = "00000000-0000-0000-66f3-3332eca7ea81";

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    aud: API_CLIENT_ID,
    tid: TENANT,
    oid: OID,
    scp: "access_as_user",
    iat: nowSeconds() - 60,
    nbf: nowSeconds() - 60,
    exp: nowSeconds() + 3600,
    ...overrides,
  };
}

async function sign(key: CryptoKey, payload: JWTPayload, alg = "RS256"): Promise<string> {
  return new jose.SignJWT(payload).setProtectedHeader({ alg, kid: "test-key", typ: "JWT" }).sign(key);
}

let keys: KeyServer;
beforeAll(async () => {
  jose = await import("jose");
  keys = await startKeyServer();
});
afterAll(() => new Promise<void>((resolve) => keys.server.close(() => resolve())));

const settings = (): EntraSettings => ({ tenantId: TENANT, audience: API_CLIENT_ID, requiredScope: "access_as_user", jwksUrl: keys.url, issuer: ISSUER });

describe("checking a Microsoft access token", () => {
  test("a valid token gives a stable user id from tid and oid, and no second factor without amr", async () => {
    const verify = createEntraVerifier(settings(), clock.now);
    const result = await verify(await sign(keys.privateKey, claims()));
    expect(result).toEqual({ ok: true, value: { userId: `entra:${TENANT}:${OID}`, expiresAt: new Date((nowSeconds() + 3600) * 1000).toISOString() } });
    const again = await verify(await sign(keys.privateKey, claims({ iat: nowSeconds() })));
    expect(again.ok && again.value.userId).toBe(`entra:${TENANT}:${OID}`);
  });

  test("a sign-in with a second factor gives Gov-Client-Multi-Factor data", async () => {
    const verify = createEntraVerifier(settings(), clock.now);
    const authTime = nowSeconds() - 300;
    const mfa = await verify(await sign(keys.privateKey, claims({ amr: ["pwd", "mfa"], auth_time: authTime })));
    expect(mfa.ok && mfa.value.multiFactor).toEqual({
      type: "OTHER",
      timestamp: new Date(authTime * 1000).toISOString(),
      uniqueReference: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const sms = await verify(await sign(keys.privateKey, claims({ amr: ["pwd", "sms"] })));
    expect(sms.ok && sms.value.multiFactor?.type).toBe("AUTH_CODE");
    expect(sms.ok && sms.value.multiFactor?.timestamp).toBe(new Date((nowSeconds() - 60) * 1000).toISOString());
    // The reference identifies person and factor consistently, without revealing either.
    const mfaAgain = await verify(await sign(keys.privateKey, claims({ amr: ["mfa"] })));
    expect(mfaAgain.ok && mfaAgain.value.multiFactor?.uniqueReference).toBe(mfa.ok && mfa.value.multiFactor?.uniqueReference);
    expect(mfa.ok && mfa.value.multiFactor?.uniqueReference).not.toContain(OID);
    const password = await verify(await sign(keys.privateKey, claims({ amr: ["pwd"] })));
    expect(password.ok && password.value.multiFactor).toBeUndefined();
  });

  test.each([
    ["another audience", { aud: randomUUID() }],
    ["another issuer", { iss: "https://login.microsoftonline.com/common/v2.0" }],
    ["another tenant", { tid: randomUUID(), iss: ISSUER }],
    ["expired", { exp: nowSeconds() - 120 }],
    ["not yet valid", { nbf: nowSeconds() + 600 }],
    ["without the scope", { scp: "User.Read" }],
    ["without an oid", { oid: undefined }],
    ["with an oid that is not a GUID", { oid: "alice" }],
  ])("a token %s is refused", async (_label, overrides) => {
    const verify = createEntraVerifier(settings(), clock.now);
    expect(await verify(await sign(keys.privateKey, claims(overrides as JWTPayload)))).toEqual({ ok: false, error: "invalid" });
  });

  test("a token signed with another key, with HS256, unsigned, or not a JWT is refused", async () => {
    const verify = createEntraVerifier(settings(), clock.now);
    const other = await jose.generateKeyPair("RS256");
    expect((await verify(await sign(other.privateKey, claims()))).ok).toBe(false);
    const hs = await new jose.SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: "test-key" }).sign(new Uint8Array(randomBytes(32)));
    expect((await verify(hs)).ok).toBe(false);
    const [header, payload] = (await sign(keys.privateKey, claims())).split(".");
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${payload}.`;
    expect((await verify(none)).ok).toBe(false);
    expect((await verify(`${header}.${payload}`)).ok).toBe(false);
    expect((await verify("not a token")).ok).toBe(false);
  });

  test("when Microsoft's keys cannot be fetched, that is told apart from a bad token", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/keys`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const verify = createEntraVerifier({ ...settings(), jwksUrl: url }, clock.now);
    expect(await verify(await sign(keys.privateKey, claims()))).toEqual({ ok: false, error: "unavailable" });
  });

  test("the key set is fetched once and cached", async () => {
    const before = keys.hits;
    const verify = createEntraVerifier(settings(), clock.now);
    for (let i = 0; i < 3; i++) expect((await verify(await sign(keys.privateKey, claims()))).ok).toBe(true);
    expect(keys.hits - before).toBe(1);
  });
});

describe("the entra authenticator", () => {
  test("a bad token is 401 RELAY_NOT_SIGNED_IN; keys out of reach is 503 RELAY_SIGN_IN_UNAVAILABLE; a good one finds the grant", async () => {
    const store = openSqliteStore(":memory:");
    const outcomes = { bad: err("invalid" as const), down: err("unavailable" as const), good: ok({ userId: "entra:t:o", expiresAt: "2025-08-01T11:00:00.000Z" }) };
    const authenticate = createAuthenticator({ mode: "entra", store, now: clock.now, entra: async (token) => outcomes[token as keyof typeof outcomes] });
    expect(await authenticate("Bearer bad")).toEqual(err({ status: 401, code: "RELAY_NOT_SIGNED_IN" }));
    expect(await authenticate("Bearer down")).toEqual(err({ status: 503, code: "RELAY_SIGN_IN_UNAVAILABLE" }));
    expect(await authenticate(undefined)).toEqual(err({ status: 401, code: "RELAY_NOT_SIGNED_IN" }));
    expect(await authenticate("Bearer good")).toEqual(ok({ mode: "entra", userId: "entra:t:o", grantId: null, expiresAt: "2025-08-01T11:00:00.000Z", tokenHash: null }));
    await store.close();
  });
});

describe("entra configuration", () => {
  test("needs a tenant and the API's client id, and an https key URL", () => {
    expect(() => loadConfig({ IDENTITY_MODE: "entra", DATABASE_PATH: ":memory:", TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64") })).toThrow(
      /ENTRA_TENANT_ID[\s\S]*ENTRA_CLIENT_ID/,
    );
    expect(() =>
      loadConfig({ IDENTITY_MODE: "entra", ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: API_CLIENT_ID, ENTRA_JWKS_URL: "http://keys.example/keys", DATABASE_PATH: ":memory:", TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64") }),
    ).toThrow(/ENTRA_JWKS_URL must be an https URL/);
    expect(() => loadConfig({ IDENTITY_MODE: "azure" })).toThrow(/IDENTITY_MODE must be local or entra/);
    const c = loadConfig({ IDENTITY_MODE: "entra", ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: API_CLIENT_ID, DATABASE_PATH: ":memory:", TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64") });
    expect(c.identity).toEqual({
      mode: "entra",
      entra: { tenantId: TENANT, audience: API_CLIENT_ID, requiredScope: "access_as_user", issuer: ISSUER, jwksUrl: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys` },
    });
  });
});

describe("a relay in entra mode", () => {
  let fake: FakeHmrc;
  let relay: Relay;
  let store: RelayStore;

  beforeEach(async () => {
    store = openSqliteStore(":memory:");
    fake = await startFakeHmrc(() => relay.config.redirectUri);
    relay = await startRelayFor(fake, {
      env: { IDENTITY_MODE: "entra", ENTRA_TENANT_ID: TENANT, ENTRA_CLIENT_ID: API_CLIENT_ID, ENTRA_JWKS_URL: keys.url },
      deps: { now: clock.now, store },
    });
  });
  afterEach(async () => {
    await relay.app.close();
    await fake.app.close();
    await store.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  /** Start → HMRC sign-in → callback → claim, as the signed-in Microsoft user. */
  async function connectAs(token: string): Promise<number> {
    const verifier = randomBytes(32).toString("base64url");
    const start = await relay.browser.json("/api/auth/start", { challenge: challengeOf(verifier) }, { headers: bearer(token) });
    const { sid } = JSON.parse(start.body) as { sid: string };
    const redirect = await relay.browser.fetch(`/auth/start?sid=${sid}`);
    const state = new URL(redirect.headers.location!).searchParams.get("state")!;
    await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${state}`);
    return (await relay.browser.json("/api/auth/claim", { sid, verifier }, { headers: bearer(token) })).status;
  }

  test("without a Microsoft sign-in nothing works, not even starting to connect", async () => {
    for (const res of [
      await relay.browser.fetch("/api/session"),
      await relay.browser.json("/api/auth/start", { challenge: challengeOf("x".repeat(43)) }),
      await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: bearer("a.b.c") }),
    ]) {
      expect(res.status).toBe(401);
      expect(JSON.parse(res.body).code).toBe("RELAY_NOT_SIGNED_IN");
    }
    expect(fake.calls).toHaveLength(0);
  });

  test("signed in but not connected: the session says so, and HMRC calls are refused", async () => {
    const token = await sign(keys.privateKey, claims({ amr: ["pwd", "mfa"] }));
    const info = JSON.parse((await relay.browser.fetch("/api/session", { headers: bearer(token) })).body);
    expect(info).toMatchObject({ connected: false, userId: `entra:${TENANT}:${OID}`, identity: "entra", multiFactor: true });
    const call = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...bearer(token), ...BROWSER_HEADERS } });
    expect(call.status).toBe(401);
    expect(JSON.parse(call.body).code).toBe("RELAY_NOT_CONNECTED");
    expect(fake.calls).toHaveLength(0);
  });

  test("the HMRC grant is linked to the person: a new token (another device) reaches it, another person does not", async () => {
    const token = await sign(keys.privateKey, claims());
    expect(await connectAs(token)).toBe(204);
    // Renewal and revocation are for local device sessions only.
    expect((await relay.browser.fetch("/api/session/renew", { method: "POST", headers: bearer(token) })).status).toBe(404);

    const laterToken = await sign(keys.privateKey, claims({ iat: nowSeconds(), exp: nowSeconds() + 7200 }));
    expect(JSON.parse((await relay.browser.fetch("/api/session", { headers: bearer(laterToken) })).body).connected).toBe(true);
    const call = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...bearer(laterToken), ...BROWSER_HEADERS } });
    expect(call.status).toBe(200);
    expect(fake.calls[0]!.headers["gov-client-user-ids"]).toContain(encodeURIComponent(`entra:${TENANT}:${OID}`));

    const someoneElse = await sign(keys.privateKey, claims({ oid: randomUUID() }));
    expect(JSON.parse((await relay.browser.fetch("/api/session", { headers: bearer(someoneElse) })).body).connected).toBe(false);

    // The grant has no device session, yet survives the purge of expired records.
    clock.advance(20 * 60_000);
    await store.purgeExpired(clock.now().toISOString());
    const stillToken = await sign(keys.privateKey, claims({ iat: nowSeconds(), exp: nowSeconds() + 3600 }));
    expect(JSON.parse((await relay.browser.fetch("/api/session", { headers: bearer(stillToken) })).body).connected).toBe(true);
  });

  test("connecting again replaces the person's grant; disconnect removes it", async () => {
    const token = await sign(keys.privateKey, claims());
    expect(await connectAs(token)).toBe(204);
    expect(await connectAs(token)).toBe(204);
    await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...bearer(token), ...BROWSER_HEADERS } });
    // The newest grant's access token is the one used.
    expect(fake.calls[0]!.headers.authorization).toBe(`Bearer ${fake.issued[2]}`);
    expect((await relay.browser.fetch("/api/auth/disconnect", { method: "POST", headers: bearer(token) })).status).toBe(204);
    expect(JSON.parse((await relay.browser.fetch("/api/session", { headers: bearer(token) })).body).connected).toBe(false);
  });
});
