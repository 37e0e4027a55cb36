import { createHash } from "node:crypto";
import { Clock, connect, LIST_PATH, startFakeHmrc, startRelayFor, tempDir, type FakeHmrc, type Relay } from "./helpers";
import { openSqliteStore, type RelayStore } from "../../src/relay/store";
import { join } from "node:path";
import { readFileSync } from "node:fs";

let fake: FakeHmrc;
let relay: Relay;
let clock: Clock;

async function setUp(env: Record<string, string> = {}, store?: RelayStore): Promise<void> {
  clock = new Clock();
  fake = await startFakeHmrc(() => relay.config.redirectUri);
  relay = await startRelayFor(fake, { env: { SESSION_TTL_SECONDS: "3600", ...env }, deps: { now: clock.now, ...(store ? { store } : {}) } });
}

afterEach(async () => {
  await relay.app.close();
  await fake.app.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const post = (path: string, token: string) => relay.browser.fetch(path, { method: "POST", headers: bearer(token) });
const sessionOf = async (token: string) => relay.browser.fetch("/api/session", { headers: bearer(token) });

describe("local sessions", () => {
  beforeEach(() => setUp());

  test("a session lasts an hour by default", async () => {
    const { sessionToken } = await connect(relay);
    const info = JSON.parse((await sessionOf(sessionToken)).body) as { expiresAt: string };
    expect(info.expiresAt).toBe(new Date(clock.t + 3600_000).toISOString());
    clock.advance(3600_000);
    const expired = await sessionOf(sessionToken);
    expect(expired.status).toBe(401);
    expect(JSON.parse(expired.body).code).toBe("RELAY_SESSION_EXPIRED");
  });

  test("renewing gives a new token for the same user and grant; the old token stops working", async () => {
    const { sessionToken } = await connect(relay);
    const before = JSON.parse((await sessionOf(sessionToken)).body) as { userId: string };
    clock.advance(50 * 60_000);

    const renewed = await post("/api/session/renew", sessionToken);
    expect(renewed.status).toBe(200);
    const next = JSON.parse(renewed.body) as { sessionToken: string; expiresAt: string };
    expect(next.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(next.sessionToken).not.toBe(sessionToken);
    expect(next.expiresAt).toBe(new Date(clock.t + 3600_000).toISOString());

    expect((await sessionOf(sessionToken)).status).toBe(401);
    expect((await post("/api/session/renew", sessionToken)).status).toBe(401);
    const after = await sessionOf(next.sessionToken);
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body).userId).toBe(before.userId);

    // Past the first token's expiry the renewed one still works, and HMRC calls go on with the same grant.
    clock.advance(30 * 60_000);
    const call = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: bearer(next.sessionToken) });
    expect(call.status).toBe(200);
    expect(fake.tokenRequests.filter((f) => f.grant_type === "authorization_code")).toHaveLength(1);
  });

  test("an expired session cannot be renewed", async () => {
    const { sessionToken } = await connect(relay);
    clock.advance(3600_000);
    const res = await post("/api/session/renew", sessionToken);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).code).toBe("RELAY_SESSION_EXPIRED");
  });

  test("a forged token cannot renew or revoke", async () => {
    await connect(relay);
    const forged = "A".repeat(43);
    expect((await post("/api/session/renew", forged)).status).toBe(401);
    expect((await post("/api/session/revoke", forged)).status).toBe(401);
    expect((await relay.browser.fetch("/api/session/renew", { method: "POST" })).status).toBe(401);
  });

  test("revoking ends this session only; the HMRC grant stays until disconnect", async () => {
    const { sessionToken } = await connect(relay);
    const renewed = JSON.parse((await post("/api/session/renew", sessionToken)).body) as { sessionToken: string };
    const res = await post("/api/session/revoke", renewed.sessionToken);
    expect(res.status).toBe(204);
    expect((await sessionOf(renewed.sessionToken)).status).toBe(401);
    expect((await post("/api/session/renew", renewed.sessionToken)).status).toBe(401);
    expect(fake.calls).toHaveLength(0);
  });

  test("renewal ignores whatever body the caller sends", async () => {
    const { sessionToken } = await connect(relay);
    const res = await relay.browser.fetch("/api/session/renew", {
      method: "POST",
      headers: { ...bearer(sessionToken), "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
  });
});

test("the store keeps only the SHA-256 of renewed session tokens", async () => {
  const dbPath = join(tempDir(), "relay.sqlite");
  const store = openSqliteStore(dbPath);
  await setUp({}, store);
  const { sessionToken } = await connect(relay);
  const next = JSON.parse((await post("/api/session/renew", sessionToken)).body) as { sessionToken: string };
  const bytes = ["", "-wal"].map((s) => { try { return readFileSync(dbPath + s).toString("latin1"); } catch { return ""; } }).join("");
  expect(bytes).not.toContain(next.sessionToken);
  expect(bytes).toContain(createHash("sha256").update(next.sessionToken).digest("hex"));
  await relay.app.close();
  await store.close();
});
