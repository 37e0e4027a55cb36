import type { FastifyInstance } from "fastify";
import { DEV_CLIENT } from "../../src/sandbox/app";
import { authorize, call, inject, CALLBACK, clockAt, exchange, form, NINO, paths, sandbox, tokenRequest, type Clock } from "./helpers";

const authorizeUrl = (params: Record<string, string>) => `/oauth/authorize?${new URLSearchParams(params).toString()}`;
const validQuery = { response_type: "code", client_id: DEV_CLIENT.clientId, redirect_uri: CALLBACK, scope: "read:self-assessment write:self-assessment", state: "abc" };
const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("sandbox OAuth", () => {
  let clock: Clock;
  let app: FastifyInstance;
  beforeEach(() => {
    clock = clockAt("2025-07-20T10:00:00Z");
    app = sandbox(clock);
  });
  afterEach(() => app.close());

  describe("GET /oauth/authorize", () => {
    it("shows an accessible sign-in page with the NINO prefilled and both buttons", async () => {
      const res = await inject(app, { url: authorizeUrl(validQuery) });
      expect(res.statusCode).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.body).toContain("<h1>HMRC sandbox — sign in</h1>");
      expect(res.body).toMatch(/<label for="nino">[^<]+<\/label>/);
      expect(res.body).toMatch(/<input type="text" id="nino" name="nino" value="AA123456A"/);
      expect(res.body).toMatch(/<button type="submit" id="grant"[^>]*>Grant authority<\/button>/);
      expect(res.body).toMatch(/<button[^>]*>Cancel<\/button>/);
      expect(res.body).toContain('name="state" value="abc"');
    });

    it("prefills the configured test NINO", async () => {
      const custom = sandbox(clock, { defaultTestNino: "AB123456C" });
      const res = await inject(custom, { url: authorizeUrl(validQuery) });
      expect(res.body).toContain('value="AB123456C"');
      await custom.close();
    });

    it("escapes what it echoes back", async () => {
      const res = await inject(app, { url: authorizeUrl({ ...validQuery, state: '"><script>alert(1)</script>' }) });
      expect(res.body).not.toContain("<script>");
      expect(res.body).toContain("&quot;&gt;&lt;script&gt;");
    });

    it("accepts the dev client's callback on any loopback port", async () => {
      for (const uri of ["http://localhost:9/auth/callback", "http://127.0.0.1:61234/auth/callback", "http://localhost:3000/auth/callback"]) {
        const res = await inject(app, { url: authorizeUrl({ ...validQuery, redirect_uri: uri }) });
        expect(res.statusCode).toBe(200);
      }
    });

    it.each([
      ["an unknown client", { client_id: "someone-else" }],
      ["an unregistered redirect URI", { redirect_uri: "https://evil.example/auth/callback" }],
      ["a loopback URI with another path", { redirect_uri: "http://localhost:3000/elsewhere" }],
      ["a missing redirect URI", { redirect_uri: "" }],
    ])("answers %s with a 400 page and never redirects", async (_name, change) => {
      const res = await inject(app, { url: authorizeUrl({ ...validQuery, ...change }) });
      expect(res.statusCode).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.body).toContain("<h1>HMRC sandbox — sign-in problem</h1>");
    });

    it("allows only exactly registered URIs for clients without the loopback allowance", async () => {
      const custom = sandbox(clock, { clients: [{ clientId: "c1", clientSecret: "s1", redirectUris: ["https://app.example/auth/callback"] }] });
      const ok = await inject(custom, { url: authorizeUrl({ ...validQuery, client_id: "c1", redirect_uri: "https://app.example/auth/callback" }) });
      const loopback = await inject(custom, { url: authorizeUrl({ ...validQuery, client_id: "c1", redirect_uri: "http://localhost:3000/auth/callback" }) });
      expect(ok.statusCode).toBe(200);
      expect(loopback.statusCode).toBe(400);
      await custom.close();
    });

    it("redirects protocol errors back to a valid redirect URI with the state", async () => {
      const badScope = await inject(app, { url: authorizeUrl({ ...validQuery, scope: "read:vat" }) });
      expect(badScope.statusCode).toBe(302);
      expect(new URL(String(badScope.headers.location)).searchParams.get("error")).toBe("invalid_scope");
      expect(new URL(String(badScope.headers.location)).searchParams.get("state")).toBe("abc");
      const badType = await inject(app, { url: authorizeUrl({ ...validQuery, response_type: "token" }) });
      expect(new URL(String(badType.headers.location)).searchParams.get("error")).toBe("unsupported_response_type");
    });
  });

  describe("POST /oauth/authorize", () => {
    const post = (fields: Record<string, string>) => inject(app, { method: "POST", url: "/oauth/authorize", headers: FORM, payload: form(fields) });
    const grantFields = { ...validQuery, nino: NINO, action: "grant" };

    it("grants: redirects with a code and the state", async () => {
      const res = await post(grantFields);
      expect(res.statusCode).toBe(302);
      const location = new URL(String(res.headers.location));
      expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
      expect(location.searchParams.get("code")).toMatch(/^[0-9a-f]{32}$/);
      expect(location.searchParams.get("state")).toBe("abc");
    });

    it("cancels: redirects with access_denied and the state, no code", async () => {
      const res = await post({ ...grantFields, action: "cancel" });
      const location = new URL(String(res.headers.location));
      expect(location.searchParams.get("error")).toBe("access_denied");
      expect(location.searchParams.get("state")).toBe("abc");
      expect(location.searchParams.get("code")).toBeNull();
    });

    it("re-shows the page with a located error for a malformed NINO", async () => {
      const res = await post({ ...grantFields, nino: "NOT-A-NINO" });
      expect(res.statusCode).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.body).toContain('role="alert"');
      expect(res.body).toContain('aria-invalid="true"');
    });

    it("re-checks the client and redirect URI on submission", async () => {
      const res = await post({ ...grantFields, redirect_uri: "https://evil.example/cb" });
      expect(res.statusCode).toBe(400);
      expect(res.headers.location).toBeUndefined();
    });

    it("binds the code to the NINO typed (normalised)", async () => {
      const code = await authorize(app, "ab 12 34 56 c");
      const tokens = await exchange(app, code);
      const mine = await call(app, "GET", paths.list("AB123456C"), { token: tokens.access_token, version: "2.0" });
      const theirs = await call(app, "GET", paths.list(NINO), { token: tokens.access_token, version: "2.0" });
      expect(mine.statusCode).toBe(200);
      expect(theirs.statusCode).toBe(403);
    });
  });

  describe("POST /oauth/token", () => {
    const codeFields = (code: string) => ({
      grant_type: "authorization_code",
      code,
      redirect_uri: CALLBACK,
      client_id: DEV_CLIENT.clientId,
      client_secret: DEV_CLIENT.clientSecret,
    });

    it("exchanges a code for HMRC-shaped tokens", async () => {
      const res = await tokenRequest(app, codeFields(await authorize(app)));
      expect(res.statusCode).toBe(200);
      expect(res.headers["cache-control"]).toBe("no-store");
      const body = res.json();
      expect(body).toEqual({
        access_token: expect.stringMatching(/^[0-9a-f]{32}$/),
        refresh_token: expect.stringMatching(/^[0-9a-f]{32}$/),
        expires_in: 14400,
        scope: "read:self-assessment write:self-assessment",
        token_type: "bearer",
      });
      expect(body.access_token).not.toBe(body.refresh_token);
    });

    it("accepts client credentials by HTTP Basic too", async () => {
      const { client_id: _id, client_secret: _secret, ...fields } = codeFields(await authorize(app));
      const basic = Buffer.from(`${DEV_CLIENT.clientId}:${DEV_CLIENT.clientSecret}`).toString("base64");
      const res = await inject(app, { method: "POST", url: "/oauth/token", headers: { ...FORM, authorization: `Basic ${basic}` }, payload: form(fields) });
      expect(res.statusCode).toBe(200);
    });

    it("makes codes single-use, and a replay revokes the tokens the code gave", async () => {
      const code = await authorize(app);
      const first = await tokenRequest(app, codeFields(code));
      const second = await tokenRequest(app, codeFields(code));
      expect(first.statusCode).toBe(200);
      expect(second.statusCode).toBe(400);
      expect(second.json()).toEqual({ error: "invalid_grant", error_description: expect.any(String) });
      const api = await call(app, "GET", paths.list(), { token: first.json().access_token, version: "2.0" });
      expect(api.statusCode).toBe(401);
    });

    it("rejects a wrong client secret and an unknown client as invalid_client (401)", async () => {
      const code = await authorize(app);
      const wrongSecret = await tokenRequest(app, { ...codeFields(code), client_secret: "nope" });
      const unknown = await tokenRequest(app, { ...codeFields(code), client_id: "other" });
      for (const res of [wrongSecret, unknown]) {
        expect(res.statusCode).toBe(401);
        expect(res.json().error).toBe("invalid_client");
      }
      // The code was not spent by the failed attempts.
      expect((await tokenRequest(app, codeFields(code))).statusCode).toBe(200);
    });

    it("requires the same redirect_uri as the authorization", async () => {
      const res = await tokenRequest(app, { ...codeFields(await authorize(app)), redirect_uri: "http://localhost:3000/auth/callback" });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe("invalid_grant");
    });

    it("lets a code live 10 minutes by the sandbox clock", async () => {
      const fresh = await authorize(app);
      clock.advanceSeconds(9 * 60 + 59);
      expect((await tokenRequest(app, codeFields(fresh))).statusCode).toBe(200);
      const stale = await authorize(app);
      clock.advanceSeconds(10 * 60);
      const res = await tokenRequest(app, codeFields(stale));
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe("invalid_grant");
    });

    it("rejects missing and unsupported grant types", async () => {
      const missing = await tokenRequest(app, { client_id: DEV_CLIENT.clientId, client_secret: DEV_CLIENT.clientSecret });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error).toBe("invalid_request");
      const other = await tokenRequest(app, { grant_type: "password", client_id: DEV_CLIENT.clientId, client_secret: DEV_CLIENT.clientSecret });
      expect(other.statusCode).toBe(400);
      expect(other.json().error).toBe("unsupported_grant_type");
      const noCode = await tokenRequest(app, { grant_type: "authorization_code", client_id: DEV_CLIENT.clientId, client_secret: DEV_CLIENT.clientSecret });
      expect(noCode.json().error).toBe("invalid_request");
    });

    it("rotates refresh tokens: the new pair works, the old refresh token dies", async () => {
      const tokens = await exchange(app, await authorize(app));
      const refresh = (refreshToken: string) =>
        tokenRequest(app, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: DEV_CLIENT.clientId, client_secret: DEV_CLIENT.clientSecret });
      const renewed = await refresh(tokens.refresh_token);
      expect(renewed.statusCode).toBe(200);
      const next = renewed.json();
      expect(next.refresh_token).not.toBe(tokens.refresh_token);
      expect(next.access_token).not.toBe(tokens.access_token);
      expect(next.scope).toBe(tokens.scope);
      const replay = await refresh(tokens.refresh_token);
      expect(replay.statusCode).toBe(400);
      expect(replay.json().error).toBe("invalid_grant");
      expect((await call(app, "GET", paths.list(), { token: next.access_token, version: "2.0" })).statusCode).toBe(200);
      expect((await refresh(next.refresh_token)).statusCode).toBe(200);
    });

    it("refuses a refresh token presented by another client", async () => {
      const multi = sandbox(clock, { clients: [DEV_CLIENT, { clientId: "c2", clientSecret: "s2", redirectUris: [] }] });
      const tokens = await exchange(multi, await authorize(multi));
      const res = await tokenRequest(multi, { grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: "c2", client_secret: "s2" });
      expect(res.json().error).toBe("invalid_grant");
      await multi.close();
    });

    it("expires access tokens after 4 hours and refresh tokens after their lifetime, by the clock", async () => {
      const tokens = await exchange(app, await authorize(app));
      clock.advanceSeconds(4 * 3600 - 1);
      expect((await call(app, "GET", paths.list(), { token: tokens.access_token, version: "2.0" })).statusCode).toBe(200);
      clock.advanceSeconds(1);
      const expired = await call(app, "GET", paths.list(), { token: tokens.access_token, version: "2.0" });
      expect(expired.statusCode).toBe(401);
      expect(expired.json().code).toBe("UNAUTHORIZED");

      const shortLived = sandbox(clock, { refreshTokenTtlSeconds: 3600 });
      const t2 = await exchange(shortLived, await authorize(shortLived));
      clock.advanceSeconds(3600);
      const res = await tokenRequest(shortLived, { grant_type: "refresh_token", refresh_token: t2.refresh_token, client_id: DEV_CLIENT.clientId, client_secret: DEV_CLIENT.clientSecret });
      expect(res.json().error).toBe("invalid_grant");
      await shortLived.close();
    });

    it("grants only the scopes asked for: a read-only token cannot write", async () => {
      const tokens = await exchange(app, await authorize(app, NINO, "read:self-assessment"));
      expect(tokens.scope).toBe("read:self-assessment");
      expect((await call(app, "GET", paths.list(), { token: tokens.access_token, version: "2.0" })).statusCode).toBe(200);
      const write = await call(app, "PUT", paths.ukCumulative(), { token: tokens.access_token, version: "6.0", body: { ukProperty: {} } });
      expect(write.statusCode).toBe(403);
      expect(write.json().code).toBe("INVALID_SCOPE");
    });
  });
});
