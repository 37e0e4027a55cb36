import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONTENT_SECURITY_POLICY } from "../../src/relay/static";
import { loggerOptions, safeUrlForLog } from "../../src/relay/logging";
import { Writable } from "node:stream";
import {
  BROWSER_HEADERS,
  connect,
  CUMULATIVE_BODY,
  CUMULATIVE_PATH,
  GOOD_CODE,
  NINO,
  startFakeHmrc,
  startRelayFor,
  tempDir,
  type FakeHmrc,
  type Relay,
} from "./helpers";

describe("static hosting and security headers", () => {
  let fake: FakeHmrc;
  let relay: Relay;
  beforeAll(async () => {
    const dist = join(tempDir(), "addin");
    mkdirSync(join(dist, "assets"), { recursive: true });
    writeFileSync(join(dist, "taskpane.html"), "<!doctype html><title>Task pane</title>");
    writeFileSync(join(dist, "dialog.html"), "<!doctype html><title>Dialog</title>");
    writeFileSync(join(dist, "taskpane.js"), "console.log('hi')");
    writeFileSync(join(dist, ".env"), "SECRET=1");
    fake = await startFakeHmrc(() => relay.config.redirectUri);
    relay = await startRelayFor(fake, { env: { ADDIN_DIST_DIR: dist } });
  });
  afterAll(async () => {
    await relay.app.close();
    await fake.app.close();
  });

  test("/ is the task pane, with a CSP that allows office.js and no COOP or frame blocking", async () => {
    const res = await relay.browser.fetch("/");
    expect(res.status).toBe(200);
    expect(res.body).toContain("Task pane");
    expect(res.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' https://appsforoffice.microsoft.com");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["cross-origin-opener-policy"]).toBeUndefined();
    expect(res.headers["x-frame-options"]).toBeUndefined();
    expect(res.headers["strict-transport-security"]).toBeUndefined();
  });

  test("dialog.html is served without COOP", async () => {
    const res = await relay.browser.fetch("/dialog.html?sid=abc");
    expect(res.status).toBe(200);
    expect(res.headers["cross-origin-opener-policy"]).toBeUndefined();
    expect(res.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
  });

  test("scripts get nosniff but no CSP; dotfiles and escapes are not served", async () => {
    const js = await relay.browser.fetch("/taskpane.js");
    expect(js.status).toBe(200);
    expect(js.headers["x-content-type-options"]).toBe("nosniff");
    expect(js.headers["content-security-policy"]).toBeUndefined();
    expect((await relay.browser.fetch("/.env")).status).not.toBe(200);
    expect((await relay.browser.fetch("/%2e%2e/%2e%2e/etc/passwd")).status).not.toBe(200);
  });

  test("API answers are not cached and still win over static files", async () => {
    const health = await relay.browser.fetch("/healthz");
    expect(health.headers["cache-control"]).toBe("no-store");
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
    const unknown = await relay.browser.fetch("/api/nothing-here");
    expect(unknown.status).toBe(404);
    expect(unknown.headers["cache-control"]).toBe("no-store");
  });
});

describe("logging", () => {
  test("URLs are logged with NINOs masked and OAuth values redacted", () => {
    expect(safeUrlForLog("/api/hmrc/individuals/business/details/AA123456A/list")).toBe("/api/hmrc/individuals/business/details/AA****56A/list");
    expect(safeUrlForLog("/auth/callback?code=abc&state=def")).toBe("/auth/callback?code=[redacted]&state=[redacted]");
    expect(safeUrlForLog("/api/receipts?nino=AA123456A&limit=5")).toBe("/api/receipts?nino=AA****56A&limit=5");
  });

  test("the logger is off when silent", () => {
    expect(loggerOptions("silent")).toBe(false);
  });

  test("a full connect and submission logs no token, code, secret or NINO", async () => {
    let logged = "";
    const logStream = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString("utf8");
        done();
      },
    });
    const box: { relay?: Relay } = {};
    const fake = await startFakeHmrc(() => box.relay!.config.redirectUri);
    const relay = (box.relay = await startRelayFor(fake, { env: { LOG_LEVEL: "debug" }, deps: { logStream } }));
    try {
      const { sessionToken } = await connect(relay);
      const auth = { authorization: `Bearer ${sessionToken}` };
      await relay.browser.fetch(`/api/hmrc${CUMULATIVE_PATH}`, { method: "PUT", headers: { ...auth, ...BROWSER_HEADERS, "content-type": "application/json" }, body: CUMULATIVE_BODY });
      await relay.browser.fetch(`/api/receipts?nino=${NINO}`, { headers: auth });
      await relay.browser.fetch(`/api/hmrc${CUMULATIVE_PATH}`, { method: "PUT", headers: { ...auth, "content-type": "application/json", "gov-client-timezone": "bad" }, body: CUMULATIVE_BODY });
    } finally {
      await relay.app.close();
      await fake.app.close();
    }
    // Logging happened, including the URLs with masked NINOs and the refused header's name.
    expect(logged).toContain("AA****56A");
    expect(logged).toContain("/auth/callback?code=[redacted]&state=[redacted]");
    expect(logged).toContain("Gov-Client-Timezone");
    for (const secret of [...fake.issued, fake.clientSecret, GOOD_CODE, NINO, relay.config.tokenKey.key.toString("base64")]) {
      expect(logged).not.toContain(secret);
    }
    const sessionTokens = relay.browser.seen.flatMap((s) => /"sessionToken":"([^"]+)"/.exec(s.body)?.[1] ?? []);
    expect(sessionTokens).toHaveLength(1);
    expect(logged).not.toContain(sessionTokens[0]);
  });
});
