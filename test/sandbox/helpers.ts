/**
 * Shared set-up for the sandbox tests: a pinned, movable clock, the OAuth dance, and HMRC calls.
 * Requests go through Fastify's `inject` (no socket); redirects are returned, not followed.
 */
import type { FastifyInstance } from "fastify";
import { createSandbox, DEV_CLIENT, type SandboxOptions } from "../../src/sandbox/app";

export interface Response {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience, like light-my-request's json()
  json<T = any>(): T;
}

export interface RequestOptions {
  method?: "GET" | "PUT" | "POST" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}

/** Sends one request to the app. */
export async function inject(app: FastifyInstance, o: RequestOptions): Promise<Response> {
  const res = await app.inject({ method: o.method ?? "GET", url: o.url, headers: o.headers ?? {}, ...(o.payload !== undefined ? { payload: o.payload } : {}) });
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(res.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(", ") : String(value);
  return { statusCode: res.statusCode, headers, body: res.body, json: () => JSON.parse(res.body) };
}

export const NINO = "AA123456A";
export const OTHER_NINO = "AB123456C";
export const UKP = "XPIS12345678901";
export const SE = "XBIS12345678901";
export const FP = "XFIS12345678901";
export const CALLBACK = "http://127.0.0.1:45678/auth/callback";
export const BOTH_SCOPES = "read:self-assessment write:self-assessment";

export interface Clock {
  now: Date;
  advanceSeconds(s: number): void;
}

export function clockAt(iso: string): Clock {
  const clock: Clock = {
    now: new Date(iso),
    advanceSeconds(s) {
      clock.now = new Date(clock.now.getTime() + s * 1000);
    },
  };
  return clock;
}

export function sandbox(clock: Clock, options: SandboxOptions = {}): FastifyInstance {
  return createSandbox({ now: () => clock.now, ...options });
}

const FORM = { "content-type": "application/x-www-form-urlencoded" };

export function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** Grants authority on the sign-in page and returns the code HMRC's redirect carries. */
export async function authorize(app: FastifyInstance, nino = NINO, scope = BOTH_SCOPES, redirectUri = CALLBACK): Promise<string> {
  const res = await inject(app, {
    method: "POST",
    url: "/oauth/authorize",
    headers: FORM,
    payload: form({ response_type: "code", client_id: DEV_CLIENT.clientId, redirect_uri: redirectUri, scope, state: "s1", nino, action: "grant" }),
  });
  if (res.statusCode !== 302) throw new Error(`authorize failed: ${res.statusCode} ${res.body}`);
  const code = new URL(String(res.headers.location)).searchParams.get("code");
  if (!code) throw new Error("no code in redirect");
  return code;
}

export function tokenRequest(app: FastifyInstance, fields: Record<string, string>): Promise<Response> {
  return inject(app, { method: "POST", url: "/oauth/token", headers: FORM, payload: form(fields) });
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  scope: string;
  token_type: string;
}

export async function exchange(app: FastifyInstance, code: string, redirectUri = CALLBACK): Promise<Tokens> {
  const res = await tokenRequest(app, {
    grant_type: "authorization_code",
    code,
    redirect_uri: redirectUri,
    client_id: DEV_CLIENT.clientId,
    client_secret: DEV_CLIENT.clientSecret,
  });
  if (res.statusCode !== 200) throw new Error(`token exchange failed: ${res.statusCode} ${res.body}`);
  return res.json() as Tokens;
}

/** A live access token for `nino`. */
export async function connect(app: FastifyInstance, nino = NINO, scope = BOTH_SCOPES): Promise<string> {
  return (await exchange(app, await authorize(app, nino, scope))).access_token;
}

export interface CallOptions {
  token: string;
  version: string;
  body?: unknown;
  scenario?: string;
  headers?: Record<string, string>;
}

/** Calls an HMRC endpoint the way the relay does: bearer token, Accept version, JSON body. */
export function call(app: FastifyInstance, method: "GET" | "PUT" | "POST" | "DELETE", url: string, o: CallOptions): Promise<Response> {
  return inject(app, {
    method,
    url,
    headers: {
      authorization: `Bearer ${o.token}`,
      accept: `application/vnd.hmrc.${o.version}+json`,
      ...(o.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(o.scenario ? { "gov-test-scenario": o.scenario } : {}),
      ...o.headers,
    },
    ...(o.body !== undefined ? { payload: typeof o.body === "string" ? o.body : JSON.stringify(o.body) } : {}),
  });
}

export const paths = {
  list: (nino = NINO) => `/individuals/business/details/${nino}/list`,
  details: (businessId: string, nino = NINO) => `/individuals/business/details/${nino}/${businessId}`,
  obligations: (query = "", nino = NINO) => `/obligations/details/${nino}/income-and-expenditure${query ? `?${query}` : ""}`,
  ukCumulative: (businessId = UKP, taxYear = "2025-26", nino = NINO) => `/individuals/business/property/uk/${nino}/${businessId}/cumulative/${taxYear}`,
  biss: (typeOfBusiness = "uk-property", taxYear = "2025-26", businessId = UKP, nino = NINO) =>
    `/individuals/self-assessment/income-summary/${nino}/${typeOfBusiness}/${taxYear}/${businessId}`,
  testBusiness: (nino = NINO) => `/individuals/self-assessment-test-support/business/${nino}`,
  testBusinessDelete: (businessId: string, nino = NINO) => `/individuals/self-assessment-test-support/business/${nino}/${businessId}`,
};

/** A cumulative body for the first standard quarter of 2025-26 with the given year-to-date amounts. */
export function q1Body(ukProperty: Record<string, unknown>, fromDate = "2025-04-06", toDate = "2025-07-05"): Record<string, unknown> {
  return { fromDate, toDate, ukProperty };
}
