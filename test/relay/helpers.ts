/**
 * Test scaffolding for the relay: a fake HMRC (OAuth token endpoint + a catch-all API that records what it
 * receives), a controllable clock, a "browser" that logs every response it gets, and the connect flow.
 * Everything listens on 127.0.0.1 port 0 and is closed by the tests.
 */
import formbody from "@fastify/formbody";
import Fastify, { type FastifyInstance } from "fastify";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, type RelayConfig } from "../../src/relay/config";
import { startRelay } from "../../src/relay/main";
import type { RelayDeps } from "../../src/relay/app";

export const NINO = "AA123456A";
export const BUSINESS_ID = "XAIS12345678901";
export const TAX_YEAR = "2025-26";
export const CUMULATIVE_PATH = `/individuals/business/property/uk/${NINO}/${BUSINESS_ID}/cumulative/${TAX_YEAR}`;
export const LIST_PATH = `/individuals/business/details/${NINO}/list`;
export const TRIGGER_PATH = `/individuals/calculations/${NINO}/self-assessment/${TAX_YEAR}/trigger/in-year`;
export const CALCULATION_ID = "f2fb30e5-4ab6-4a29-b3c1-c7264259ff1e";

export interface ApiCall {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeHmrc {
  url: string;
  app: FastifyInstance;
  /** API calls (everything but /oauth/*), in arrival order. */
  calls: ApiCall[];
  /** Form bodies posted to /oauth/token. */
  tokenRequests: Array<Record<string, string>>;
  /** Every token the fake ever issued, to scan browser-visible output for. */
  issued: string[];
  clientId: string;
  clientSecret: string;
  /** Lifetime of issued access tokens, seconds. */
  expiresIn: number;
  /** Override the API's answer; return undefined for the default. */
  answer: (call: ApiCall) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>;
  /** When set, /oauth/token waits for this before answering a refresh (to overlap concurrent requests). */
  refreshGate: Promise<void> | null;
  validAccess: Set<string>;
  /** HMRC forgets every refresh token (the user revoked access). */
  revokeRefreshTokens(): void;
}

export const GOOD_CODE = "good-code-123";

export async function startFakeHmrc(redirectUri: () => string): Promise<FakeHmrc> {
  // Force-close so a test can take "HMRC" down while the relay still holds keep-alive connections.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(formbody);
  const fake: FakeHmrc = {
    url: "",
    app,
    calls: [],
    tokenRequests: [],
    issued: [],
    clientId: "test-client",
    clientSecret: "test-secret-not-for-browsers",
    expiresIn: 14400,
    answer: () => undefined,
    refreshGate: null,
    validAccess: new Set(),
    revokeRefreshTokens: () => {
      currentRefresh = null;
    },
  };
  let currentRefresh: string | null = null;
  const issue = () => {
    const access = `hmrc-access-${randomBytes(12).toString("hex")}`;
    const refresh = `hmrc-refresh-${randomBytes(12).toString("hex")}`;
    fake.issued.push(access, refresh);
    fake.validAccess.add(access);
    currentRefresh = refresh;
    return { access_token: access, refresh_token: refresh, expires_in: fake.expiresIn, scope: "read:self-assessment write:self-assessment", token_type: "bearer" };
  };

  app.post("/oauth/token", async (request, reply) => {
    const form = request.body as Record<string, string>;
    fake.tokenRequests.push(form);
    if (form.client_id !== fake.clientId || form.client_secret !== fake.clientSecret) return reply.code(401).send({ error: "invalid_client" });
    if (form.grant_type === "authorization_code") {
      if (form.code !== GOOD_CODE || form.redirect_uri !== redirectUri()) return reply.code(400).send({ error: "invalid_grant" });
      return issue();
    }
    if (form.grant_type === "refresh_token") {
      if (fake.refreshGate) await fake.refreshGate;
      // HMRC rotates refresh tokens: only the newest one works.
      if (form.refresh_token !== currentRefresh) return reply.code(400).send({ error: "invalid_grant" });
      return issue();
    }
    return reply.code(400).send({ error: "unsupported_grant_type" });
  });

  await app.register(async (api) => {
    api.removeAllContentTypeParsers();
    api.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));
    api.route({
      method: ["GET", "PUT", "POST", "DELETE"],
      url: "/*",
      handler: async (request, reply) => {
        const call: ApiCall = { method: request.method, url: request.url, headers: { ...request.headers }, body: (request.body as Buffer | undefined) ?? Buffer.alloc(0) };
        fake.calls.push(call);
        const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
        const custom = await fake.answer(call);
        const a: FakeAnswer = custom ??
          (!bearer || !fake.validAccess.has(bearer)
            ? { status: 401, body: { code: "UNAUTHORIZED", message: "Bearer token is missing or not authorized" } }
            : defaultAnswer(call));
        reply.code(a.status).headers({ "x-correlationid": `corr-${fake.calls.length}`, ...(a.headers ?? {}) });
        return a.body === undefined ? reply.send() : reply.send(a.body);
      },
    });
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address() as { port: number };
  fake.url = `http://127.0.0.1:${address.port}`;
  return fake;
}

function defaultAnswer(call: ApiCall): FakeAnswer {
  if (call.method === "PUT") return { status: 204 };
  if (call.method === "POST" && call.url.includes("/trigger/")) return { status: 202, body: { calculationId: CALCULATION_ID } };
  return { status: 200, body: { listOfBusinesses: [{ typeOfBusiness: "uk-property", businessId: BUSINESS_ID }] } };
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "mtd-relay-test-"));
  tempDirs.push(dir);
  return dir;
}

/** A config pointing at the fake, in local-sandbox mode, with a random key and the given extra env. */
export function configFor(fake: FakeHmrc, env: Record<string, string> = {}): RelayConfig {
  const dataDir = tempDir();
  return loadConfig({
    PORT: "0",
    HMRC_BASE_URL: fake.url,
    HMRC_CLIENT_ID: fake.clientId,
    HMRC_CLIENT_SECRET: fake.clientSecret,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    DATA_DIR: dataDir,
    DATABASE_PATH: ":memory:",
    ADDIN_DIST_DIR: join(dataDir, "no-addin-here"),
    LOG_LEVEL: "silent",
    // Tests move the clock past HMRC's 4-hour token expiry on one session, and send bursts of requests.
    SESSION_TTL_SECONDS: "28800",
    RATE_LIMIT_BURST: "1000",
    ...env,
  });
}

export class Clock {
  constructor(public t = Date.parse("2025-08-01T10:00:00.000Z")) {}
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Seen {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Plays the task pane / dialog: every response it sees is kept, to prove what a browser could learn. */
export class Browser {
  seen: Seen[] = [];
  constructor(readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Seen> {
    const res = await fetch(`${this.base}${path}`, { redirect: "manual", ...init });
    const seen: Seen = { url: path, status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    this.seen.push(seen);
    return seen;
  }

  json(path: string, body: unknown, init: RequestInit = {}): Promise<Seen> {
    return this.fetch(path, { method: "POST", ...init, headers: { "content-type": "application/json", ...(init.headers ?? {}) }, body: JSON.stringify(body) });
  }

  /** Everything this browser was ever sent, as one string. */
  everything(): string {
    return this.seen.map((s) => `${s.status}\n${JSON.stringify(s.headers)}\n${s.body}`).join("\n");
  }
}

export function challengeOf(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

export interface Relay {
  url: string;
  app: FastifyInstance;
  config: RelayConfig;
  browser: Browser;
}

export async function startRelayFor(fake: FakeHmrc, options: { env?: Record<string, string>; config?: Partial<RelayConfig>; deps?: RelayDeps } = {}): Promise<Relay> {
  const config = { ...configFor(fake, options.env), ...options.config };
  const { app, url } = await startRelay(config, options.deps);
  return { app, url, config, browser: new Browser(url) };
}

export interface Started {
  sid: string;
  verifier: string;
  state: string;
  authorizeUrl: URL;
}

/** Steps 1-3: start, then follow /auth/start to HMRC's authorize URL. */
export async function beginConnect(relay: Relay): Promise<Started> {
  const verifier = randomBytes(32).toString("base64url");
  const start = await relay.browser.json("/api/auth/start", { challenge: challengeOf(verifier) });
  if (start.status !== 200) throw new Error(`start failed: ${start.status} ${start.body}`);
  const { sid, dialogUrl } = JSON.parse(start.body) as { sid: string; dialogUrl: string };
  if (dialogUrl !== `/dialog.html?sid=${sid}`) throw new Error(`unexpected dialogUrl ${dialogUrl}`);
  const redirect = await relay.browser.fetch(`/auth/start?sid=${encodeURIComponent(sid)}`);
  const authorizeUrl = new URL(redirect.headers.location ?? "");
  return { sid, verifier, state: authorizeUrl.searchParams.get("state") ?? "", authorizeUrl };
}

/** The whole flow: returns a session token. */
export async function connect(relay: Relay): Promise<{ sessionToken: string; sid: string }> {
  const started = await beginConnect(relay);
  const callback = await relay.browser.fetch(`/auth/callback?code=${GOOD_CODE}&state=${encodeURIComponent(started.state)}`);
  if (callback.headers.location !== `/dialog.html?sid=${started.sid}&result=ok`) throw new Error(`callback failed: ${callback.headers.location}`);
  const claim = await relay.browser.json("/api/auth/claim", { sid: started.sid, verifier: started.verifier });
  if (claim.status !== 200) throw new Error(`claim failed: ${claim.status} ${claim.body}`);
  return { sessionToken: (JSON.parse(claim.body) as { sessionToken: string }).sessionToken, sid: started.sid };
}

/** Browser-half fraud headers as the task pane sends them (spec examples). */
export const BROWSER_HEADERS: Record<string, string> = {
  "Gov-Client-Browser-JS-User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
  "Gov-Client-Device-ID": "beec798b-b366-47fa-b1f8-92cede14a1ce",
  "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=1.25&colour-depth=24",
  "Gov-Client-Window-Size": "width=350&height=803",
  "Gov-Client-Timezone": "UTC+01:00",
};

export const CUMULATIVE_BODY = JSON.stringify({
  fromDate: "2025-04-06",
  toDate: "2025-07-05",
  ukProperty: { income: { periodAmount: 1234.5 }, expenses: { premisesRunningCosts: 100.25 } },
});
