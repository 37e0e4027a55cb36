import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { RELAY_ERROR_MESSAGES } from "../../src/mtd";
import {
  beginConnect,
  BROWSER_HEADERS,
  Clock,
  connect,
  GOOD_CODE,
  LIST_PATH,
  startFakeHmrc,
  startRelayFor,
  tempDir,
  type FakeHmrc,
  type Relay,
} from "./helpers";

let fake: FakeHmrc;
let relay: Relay;
let clock: Clock;

beforeEach(async () => {
  clock = new Clock();
  fake = await startFakeHmrc(() => relay.config.redirectUri);
  relay = await startRelayFor(fake, { deps: { now: clock.now } });
});

afterEach(async () => {
  await relay.app.close();
  await fake.app.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("connect flow", () => {
  test("start → /auth/start → HMRC authorize with our client, scopes, redirect URI and a state", async () => {
    const started = await beginConnect(relay);
    const u = started.authorizeUrl;
    expect(`${u.origin}${u.pathname}`).toBe(`${fake.url}/oauth/authorize`);
    expect(u.searchParams.get("response_type")).toBe("code");
    expect(u.searchParams.get("client_id")).toBe(fake.clientId);
    expect(u.searchParams.get("scope")).toBe("read:self-assessment write:self-assessment");
    expect(u.searchParams.get("redirect_uri")).toBe(`${relay.config.publicUrl}/auth/callback`);
    expect(started.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(started.state).not.toBe(started.sid);
    expect(u.searchParams.has("client_secret")).toBe(false);
  });

  test("callback exchanges the code with the client secret; claim with the verifier gives a session", async () => {
    const started = await beginConnect(relay);
    const callback = await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${started.state}`);
    expect(callback.status).toBe(302);
    expect(callback.headers.location).toBe(`/dialog.html?sid=${started.sid}&result=ok`);
    expect(fake.tokenRequests).toEqual([
      {
        grant_type: "authorization_code",
        code: GOOD_CODE,
        redirect_uri: relay.config.redirectUri,
        client_id: fake.clientId,
        client_secret: fake.clientSecret,
      },
    ]);

    const claim = await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier });
    expect(claim.status).toBe(200);
    const { sessionToken, expiresAt } = JSON.parse(claim.body) as { sessionToken: string; expiresAt: string };
    expect(sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(new Date(clock.t + 8 * 3600 * 1000).toISOString());

    const session = await relay.browser.fetch("/api/session", { headers: bearer(sessionToken) });
    expect(session.status).toBe(200);
    const info = JSON.parse(session.body) as Record<string, unknown>;
    expect(info).toEqual({
      connected: true,
      userId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      expiresAt,
      environment: "local-sandbox",
      identity: "local",
      multiFactor: false,
    });
  });

  test("a wrong verifier is refused, and the right one still works afterwards", async () => {
    const started = await beginConnect(relay);
    await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${started.state}`);
    const wrong = await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: "x".repeat(43) });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.body)).toEqual({ code: "RELAY_AUTH_FAILED", message: RELAY_ERROR_MESSAGES.RELAY_AUTH_FAILED });
    const right = await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier });
    expect(right.status).toBe(200);
  });

  test("a sid can be claimed once only", async () => {
    const started = await beginConnect(relay);
    await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${started.state}`);
    expect((await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier })).status).toBe(200);
    const again = await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier });
    expect(again.status).toBe(400);
    expect(JSON.parse(again.body).code).toBe("RELAY_AUTH_FAILED");
  });

  test("claiming before HMRC's callback is refused", async () => {
    const started = await beginConnect(relay);
    const early = await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier });
    expect(early.status).toBe(400);
  });

  test("a callback with an unknown state completes nothing and exchanges no code", async () => {
    const started = await beginConnect(relay);
    const forged = await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${"A".repeat(43)}`);
    expect(forged.status).toBe(302);
    expect(forged.headers.location).toBe("/dialog.html?result=error&code=RELAY_AUTH_FAILED");
    expect(fake.tokenRequests).toHaveLength(0);
    const claim = await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier });
    expect(claim.status).toBe(400);
  });

  test("a replayed callback is refused (state is single use)", async () => {
    const started = await beginConnect(relay);
    await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${started.state}`);
    const replay = await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${started.state}`);
    expect(replay.headers.location).toBe("/dialog.html?result=error&code=RELAY_AUTH_FAILED");
    expect(fake.tokenRequests).toHaveLength(1);
  });

  test("the user declining at HMRC reaches the dialog as access_denied", async () => {
    const started = await beginConnect(relay);
    const denied = await relay.browser.fetch(`/auth/callback?error=access_denied&state=${started.state}`);
    expect(denied.headers.location).toBe(`/dialog.html?sid=${started.sid}&result=error&code=access_denied`);
    expect(fake.tokenRequests).toHaveLength(0);
    expect((await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier })).status).toBe(400);
  });

  test("a code HMRC rejects ends as RELAY_AUTH_FAILED", async () => {
    const started = await beginConnect(relay);
    const bad = await relay.browser.fetch(`/auth/callback?code=not-the-code&state=${started.state}`);
    expect(bad.headers.location).toBe(`/dialog.html?sid=${started.sid}&result=error&code=RELAY_AUTH_FAILED`);
    expect((await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier })).status).toBe(400);
  });

  test("a connect attempt expires after 10 minutes", async () => {
    const started = await beginConnect(relay);
    clock.advance(10 * 60 * 1000 + 1);
    const late = await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${started.state}`);
    expect(late.headers.location).toBe("/dialog.html?result=error&code=RELAY_AUTH_FAILED");
    expect(fake.tokenRequests).toHaveLength(0);
  });

  test("/auth/start with an unknown sid goes back to the dialog with an error, not to HMRC", async () => {
    const res = await relay.browser.fetch(`/auth/start?sid=${"B".repeat(43)}`);
    expect(res.headers.location).toBe(`/dialog.html?sid=${"B".repeat(43)}&result=error&code=RELAY_AUTH_FAILED`);
  });

  test("malformed start and claim bodies are refused", async () => {
    expect((await relay.browser.json("/api/auth/start", { challenge: "short" })).status).toBe(400);
    expect((await relay.browser.json("/api/auth/start", {})).status).toBe(400);
    const notJson = await relay.browser.fetch("/api/auth/start", { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).code).toBe("RELAY_BODY_NOT_JSON");
    expect((await relay.browser.json("/api/auth/claim", { sid: 1, verifier: [] })).status).toBe(400);
  });

  test("the browser never receives an HMRC token or the client secret", async () => {
    const { sessionToken } = await connect(relay);
    await relay.browser.fetch("/api/session", { headers: bearer(sessionToken) });
    await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...bearer(sessionToken), ...BROWSER_HEADERS } });
    expect(fake.calls).toHaveLength(1);
    expect(fake.issued.length).toBeGreaterThan(0);
    const seen = relay.browser.everything();
    for (const secret of [...fake.issued, fake.clientSecret]) expect(seen).not.toContain(secret);
    // The relay did use the token upstream, so the scan above looked for the right thing.
    expect(fake.calls[0]!.headers.authorization).toBe(`Bearer ${fake.issued[0]}`);
  });

  test("disconnect deletes the grant and every session on it", async () => {
    const { sessionToken } = await connect(relay);
    const other = (await connect(relay)).sessionToken;
    const res = await relay.browser.fetch("/api/auth/disconnect", { method: "POST", headers: { ...bearer(sessionToken), "content-type": "application/json" } });
    expect(res.status).toBe(204);
    // Another connection is untouched, and disconnect works with no body at all.
    expect((await relay.browser.fetch("/api/session", { headers: bearer(other) })).status).toBe(200);
    expect((await relay.browser.fetch("/api/auth/disconnect", { method: "POST", headers: bearer(other) })).status).toBe(204);
    const after = await relay.browser.fetch("/api/session", { headers: bearer(sessionToken) });
    expect(after.status).toBe(401);
    expect(JSON.parse(after.body).code).toBe("RELAY_NOT_CONNECTED");
    const call = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: bearer(sessionToken) });
    expect(call.status).toBe(401);
    expect(fake.calls).toHaveLength(0);
  });

  test("missing, forged and expired sessions are refused", async () => {
    const { sessionToken } = await connect(relay);
    const none = await relay.browser.fetch("/api/session");
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toEqual({ code: "RELAY_NOT_CONNECTED", message: RELAY_ERROR_MESSAGES.RELAY_NOT_CONNECTED });
    const forged = await relay.browser.fetch("/api/session", { headers: bearer("C".repeat(43)) });
    expect(forged.status).toBe(401);
    expect((await relay.browser.fetch("/api/session", { headers: { authorization: sessionToken } })).status).toBe(401);

    clock.advance(relay.config.sessionTtlSeconds * 1000);
    const expired = await relay.browser.fetch("/api/session", { headers: bearer(sessionToken) });
    expect(expired.status).toBe(401);
    expect(JSON.parse(expired.body).code).toBe("RELAY_SESSION_EXPIRED");
  });

  test("health reports the service, version and HMRC environment", async () => {
    const res = await relay.browser.fetch("/healthz");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ status: "ok", service: "mtd-bridge-relay", version: relay.config.relayVersion, environment: "local-sandbox" });
  });

  test("no cookies and no CORS on any answer", async () => {
    await connect(relay);
    await relay.browser.fetch("/healthz", { headers: { origin: "https://evil.example" } });
    for (const s of relay.browser.seen) {
      expect(s.headers["set-cookie"]).toBeUndefined();
      expect(s.headers["access-control-allow-origin"]).toBeUndefined();
    }
  });
});

describe("tokens at rest", () => {
  test("the SQLite file holds no plaintext HMRC token, session token or verifier", async () => {
    await relay.app.close();
    const dir = tempDir();
    const dbPath = join(dir, "relay.sqlite");
    relay = await startRelayFor(fake, { env: { DATABASE_PATH: dbPath }, deps: { now: clock.now } });
    const started = await beginConnect(relay);
    await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${started.state}`);
    const claim = await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier });
    const { sessionToken } = JSON.parse(claim.body) as { sessionToken: string };
    // Force a refresh so a rotated pair is stored too.
    clock.advance(4 * 3600 * 1000);
    const call = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: bearer(sessionToken) });
    expect(call.status).toBe(200);
    expect(fake.issued).toHaveLength(4);

    const bytes = ["", "-wal"].map((s) => dbPath + s).filter(existsSync).map((f) => readFileSync(f).toString("latin1")).join("");
    expect(bytes.length).toBeGreaterThan(0);
    // The file is the store: the encrypted blob and the session hash are in it.
    expect(bytes).toContain(`v1.${relay.config.tokenKey.id}.`);
    for (const secret of [...fake.issued, sessionToken, started.verifier, fake.clientSecret]) expect(bytes).not.toContain(secret);
  });
});
