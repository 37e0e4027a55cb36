import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RELAY_ERROR_MESSAGES } from "../../src/mtd";
import { TokenBuckets } from "../../src/relay/rate-limit";
import { CONTENT_SECURITY_POLICY, contentSecurityPolicy, PERMISSIONS_POLICY } from "../../src/relay/static";
import { openSqliteStore, type RelayStore } from "../../src/relay/store";
import { BROWSER_HEADERS, Clock, connect, LIST_PATH, startFakeHmrc, startRelayFor, tempDir, type FakeHmrc, type Relay } from "./helpers";

describe("token buckets", () => {
  test("a burst is allowed, then one request per refill interval, with the wait until the next", () => {
    let t = 0;
    const buckets = new TokenBuckets({ ratePerMinute: 60, burst: 3, now: () => t });
    expect([1, 2, 3].map(() => buckets.take("alice").ok)).toEqual([true, true, true]);
    expect(buckets.take("alice")).toEqual({ ok: false, error: { retryAfterMs: 1000 } });
    t += 400;
    expect(buckets.take("alice")).toEqual({ ok: false, error: { retryAfterMs: 600 } });
    t += 600;
    expect(buckets.take("alice").ok).toBe(true);
    expect(buckets.take("alice").ok).toBe(false);
    // Never more than the burst, however long the pause.
    t += 3_600_000;
    expect([1, 2, 3, 4].map(() => buckets.take("alice").ok)).toEqual([true, true, true, false]);
  });

  test("each user has their own bucket; the least recently seen are forgotten beyond maxKeys", () => {
    const buckets = new TokenBuckets({ ratePerMinute: 1, burst: 1, now: () => 0, maxKeys: 2 });
    expect(buckets.take("a").ok).toBe(true);
    expect(buckets.take("b").ok).toBe(true);
    expect(buckets.take("a").ok).toBe(false);
    expect(buckets.take("c").ok).toBe(true); // forgets b, the least recently seen
    expect(buckets.take("a").ok).toBe(false);
    expect(buckets.take("b").ok).toBe(true);
  });
});

describe("rate limit in the relay", () => {
  let fake: FakeHmrc;
  let relay: Relay;
  let t: number;

  beforeEach(async () => {
    t = 0;
    fake = await startFakeHmrc(() => relay.config.redirectUri);
    relay = await startRelayFor(fake, { env: { RATE_LIMIT_PER_MINUTE: "30", RATE_LIMIT_BURST: "2" }, deps: { now: new Clock().now, monotonic: () => t } });
  });
  afterEach(async () => {
    await relay.app.close();
    await fake.app.close();
  });

  test("over the limit: 429, Retry-After, an HMRC-shaped body with a plain message, and nothing sent to HMRC", async () => {
    const alice = (await connect(relay)).sessionToken;
    const bob = (await connect(relay)).sessionToken;
    const call = (token: string) => relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { authorization: `Bearer ${token}`, ...BROWSER_HEADERS } });
    expect((await call(alice)).status).not.toBe(429);
    expect((await call(alice)).status).not.toBe(429);
    const limited = await call(alice);
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("2");
    expect(JSON.parse(limited.body)).toEqual({ code: "RELAY_RATE_LIMITED", message: RELAY_ERROR_MESSAGES.RELAY_RATE_LIMITED });
    expect(fake.calls).toHaveLength(2);
    // Other users are not affected.
    expect((await call(bob)).status).not.toBe(429);
    t += 2000;
    expect((await call(alice)).status).not.toBe(429);
  });

  test("connect attempts are limited per client address", async () => {
    const start = () => relay.browser.json("/api/auth/start", { challenge: "c".repeat(43) });
    expect((await start()).status).toBe(200);
    expect((await start()).status).toBe(200);
    const limited = await start();
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("2");
    expect(JSON.parse(limited.body).code).toBe("RELAY_RATE_LIMITED");
  });

  test("requests that are not signed in are refused as such, not counted", async () => {
    for (let i = 0; i < 4; i++) expect((await relay.browser.fetch("/api/session")).status).toBe(401);
  });
});

describe("health and readiness", () => {
  let fake: FakeHmrc;
  let relay: Relay;
  let store: RelayStore;
  let storeDown: boolean;

  beforeEach(async () => {
    const real = openSqliteStore(":memory:");
    storeDown = false;
    store = {
      ...real,
      ping: async () => {
        if (storeDown) throw new Error("database is locked");
        return real.ping();
      },
    };
    fake = await startFakeHmrc(() => relay.config.redirectUri);
    relay = await startRelayFor(fake, { deps: { store } });
  });
  afterEach(async () => {
    await relay.app.close();
    await fake.app.close();
    await store.close();
  });

  test("/healthz says the process is up; /readyz says whether the store answers", async () => {
    expect((await relay.browser.fetch("/healthz")).status).toBe(200);
    const ready = await relay.browser.fetch("/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: "ready" });
    expect(ready.headers["cache-control"]).toBe("no-store");
    storeDown = true;
    const notReady = await relay.browser.fetch("/readyz");
    expect(notReady.status).toBe(503);
    expect(JSON.parse(notReady.body)).toEqual({ status: "not-ready" });
    expect((await relay.browser.fetch("/healthz")).status).toBe(200);
  });
});

describe("security headers on pages", () => {
  let fake: FakeHmrc;
  let relay: Relay;
  const dist = join(tempDir(), "addin");

  beforeAll(async () => {
    mkdirSync(dist, { recursive: true });
    writeFileSync(join(dist, "taskpane.html"), "<!doctype html><title>Task pane</title>");
    fake = await startFakeHmrc(() => relay.config.redirectUri);
  });
  afterEach(() => relay.app.close());
  afterAll(() => fake.app.close());

  test("pages get a strict CSP and Permissions-Policy; API answers may not be embedded elsewhere", async () => {
    relay = await startRelayFor(fake, { env: { ADDIN_DIST_DIR: dist } });
    const page = await relay.browser.fetch("/taskpane.html");
    const csp = page.headers["content-security-policy"]!;
    for (const directive of ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-src 'self'", "worker-src 'none'", "connect-src 'self'"]) {
      expect(csp.split("; ")).toContain(directive);
    }
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(page.headers["permissions-policy"]).toBe(PERMISSIONS_POLICY);
    expect(page.headers["x-permitted-cross-domain-policies"]).toBe("none");
    const api = await relay.browser.fetch("/api/session");
    expect(api.headers["cross-origin-resource-policy"]).toBe("same-origin");
    expect(api.headers["content-security-policy"]).toBeUndefined();
  });

  test("in entra mode the pages may also reach Microsoft's sign-in, and nothing else new", async () => {
    relay = await startRelayFor(fake, {
      env: { ADDIN_DIST_DIR: dist, IDENTITY_MODE: "entra", ENTRA_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47", ENTRA_CLIENT_ID: "6e74172b-be56-4843-9ff4-e66a39bb12e3" },
    });
    const csp = (await relay.browser.fetch("/taskpane.html")).headers["content-security-policy"];
    expect(csp).toBe(contentSecurityPolicy("entra"));
    expect(csp).toContain("connect-src 'self' https://login.microsoftonline.com");
    expect(csp).toContain("frame-src 'self' https://login.microsoftonline.com");
    expect(contentSecurityPolicy("local")).toBe(CONTENT_SECURITY_POLICY);
  });
});
