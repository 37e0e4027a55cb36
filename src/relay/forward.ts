/**
 * `/api/hmrc/*`: the allow-listed forwarder (DESIGN.md §3 step 4-5). Session and catalogue are checked as the
 * request arrives (before its body is read); then body and browser headers; then the relay adds the Accept
 * version, the HMRC access token and the fraud-prevention headers, forwards, records a receipt for every
 * write, and returns HMRC's status and body unchanged. Calls that are safe to repeat are retried on 429, 5xx
 * and network failures (retry.ts), within the upstream time budget; a POST never is.
 */
import { randomUUID } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { acceptHeader, err, maskNino, ok, RELAY_HMRC_PREFIX, type Result } from "../mtd";
import { checkBody, matchHmrcCall, type CheckedBody, type MatchedCall } from "./allow-list";
import type { RelayConfig } from "./config";
import { refusal, sendRefusal, type RelayRefusal } from "./errors";
import { browserFraudHeaders, isSafeHeaderValue, outgoingFraudHeaders } from "./fraud-headers";
import type { GrantTokens } from "./grant-tokens";
import { buildReceipt } from "./receipts";
import { DEFAULT_RETRY_POLICY, isRetryable, isRetryableStatus, nextDelay, retryAfterMs, type RetryPolicy } from "./retry";
import { sessionGuard, type Authenticator } from "./sessions";
import type { RelayStore } from "./store";

export interface ForwardDeps {
  config: RelayConfig;
  store: RelayStore;
  tokens: GrantTokens;
  fetch: typeof fetch;
  now: () => Date;
  authenticate: Authenticator;
  /** Waits between retries (tests pass one that does not really wait). */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** Milliseconds on a monotonic clock, for the time budget. */
  monotonic?: () => number;
}

/** HMRC response headers the browser gets back (besides Content-Type). */
export const PASSED_RESPONSE_HEADERS = ["x-correlationid", "deprecation", "sunset", "link"] as const;
export const RECEIPT_HEADER = "x-mtd-receipt-id";
const TEST_SCENARIO = /^[A-Z0-9_]{1,64}$/;

interface Arrival {
  call: MatchedCall;
  receivedAt: Date;
}

interface Upstream {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** HMRC did not answer (502) or not in time (504). */
interface Failure {
  failure: 502 | 504;
}

type Outcome = (Upstream | Failure) & { attempts: number };

export function forwardRoutes(d: ForwardDeps): FastifyPluginAsync {
  return async (app) => {
    const arrivals = new WeakMap<FastifyRequest, Arrival>();
    const guard = sessionGuard(d.authenticate);

    // Keep the exact bytes: the receipt hashes what HMRC receives, and HMRC gets what the add-in validated.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: d.config.maxBodyBytes }, (_req, body, done) => done(null, body));

    app.addHook("onRequest", async (request, reply) => {
      const receivedAt = d.now();
      const denied = await guard(request, reply);
      if (denied) return denied;
      const call = matchHmrcCall(request.method, request.url);
      if (!call.ok) return sendRefusal(reply, call.error);
      // HMRC's test APIs (the fraud-header validator) exist only in its sandbox.
      if (call.value.endpoint.sandboxOnly && d.config.environment === "production") return sendRefusal(reply, refusal(403, "RELAY_ENDPOINT_NOT_ALLOWED"));
      arrivals.set(request, { call: call.value, receivedAt });
      return undefined;
    });

    app.route({
      method: ["GET", "PUT", "POST", "DELETE"],
      url: `${RELAY_HMRC_PREFIX}/*`,
      handler: async (request, reply) => {
        const arrival = arrivals.get(request)!;
        const session = request.relaySession!;
        const { call } = arrival;

        const checked = checkRequest(request, call, d.config);
        if (!checked.ok) return sendRefusal(reply, checked.error);
        const fraud = outgoingFraudHeaders(request, session, arrival.receivedAt, checked.value.browserHeaders, d.config);
        if (!fraud.ok) return reply.code(400).header("content-type", "application/json; charset=utf-8").send(fraud.error);
        // Entra mode: signed in with Microsoft, but not (or no longer) connected to HMRC.
        if (session.grantId === null) return sendRefusal(reply, refusal(401, "RELAY_NOT_CONNECTED"));
        const token = await d.tokens.accessToken(session.grantId);
        if (!token.ok) {
          return sendRefusal(reply, token.error === "not-connected" ? refusal(401, "RELAY_NOT_CONNECTED") : refusal(502, "RELAY_UPSTREAM_UNAVAILABLE"));
        }

        const headers: Record<string, string> = {
          ...checked.value.browserHeaders,
          ...fraud.value,
          // The relay chooses the API version, never the browser.
          Accept: acceptHeader(call.endpoint),
          Authorization: `Bearer ${token.value}`,
          ...(checked.value.body ? { "Content-Type": "application/json" } : {}),
        };
        const url = `${d.config.hmrcBaseUrl}${call.path}${call.query ? `?${call.query}` : ""}`;
        const upstream = await sendWithRetries(d, url, call, headers, checked.value.body);
        // Which client (an agent acts for many) the call was for, masked: receipts keep the full NINO.
        const client = call.params.nino === undefined ? undefined : maskNino(call.params.nino);
        request.log.info(
          "failure" in upstream
            ? { endpoint: call.endpoint.id, client, status: upstream.failure, attempts: upstream.attempts }
            : { endpoint: call.endpoint.id, client, status: upstream.status, attempts: upstream.attempts, correlationId: upstream.headers.get("x-correlationid") },
          "forwarded to HMRC",
        );

        if (call.endpoint.method !== "GET") {
          const receiptId = await recordReceipt(d, request, arrival, session.userId, checked.value.body, upstream);
          if (receiptId) reply.header(RECEIPT_HEADER, receiptId);
        }
        if ("failure" in upstream) return sendRefusal(reply, refusal(upstream.failure, "RELAY_UPSTREAM_UNAVAILABLE"));
        return passThrough(reply, upstream);
      },
    });
  };
}

interface CheckedRequest {
  body: CheckedBody | null;
  /** Allow-listed browser fraud headers, plus HMRC's sandbox-only test headers outside production. */
  browserHeaders: Record<string, string>;
}

/** Body and browser headers, checked against the endpoint; the request is refused on the first problem. */
function checkRequest(request: FastifyRequest, call: MatchedCall, config: RelayConfig): Result<CheckedRequest, RelayRefusal> {
  const body = checkBody(call.endpoint, request.headers["content-type"], request.body as Buffer | undefined, config.maxBodyBytes);
  if (!body.ok) return body;
  const browser = browserFraudHeaders(request.headers);
  if (!browser.ok) {
    request.log.info({ header: browser.error.header }, "refused a malformed fraud-prevention header");
    return err(refusal(400, "RELAY_BAD_HEADER"));
  }
  const testHeaders = sandboxTestHeaders(request, config);
  if (testHeaders === false) return err(refusal(400, "RELAY_BAD_HEADER"));
  return ok({ body: body.value, browserHeaders: { ...browser.value, ...testHeaders } });
}

/**
 * HMRC's sandbox-only request headers and the values each may take: Gov-Test-Scenario picks a canned
 * answer; suspend-temporal-validations lets Losses 7.0 take in-year figures in the sandbox.
 */
const SANDBOX_TEST_HEADERS: ReadonlyArray<readonly [name: string, valid: RegExp]> = [
  ["Gov-Test-Scenario", TEST_SCENARIO],
  ["suspend-temporal-validations", /^(true|false)$/],
];

/** The test headers sent, outside production only (dropped there); false when one is malformed. */
function sandboxTestHeaders(request: FastifyRequest, config: RelayConfig): Record<string, string> | false {
  const out: Record<string, string> = {};
  if (config.environment === "production") return out;
  for (const [name, valid] of SANDBOX_TEST_HEADERS) {
    const raw = request.headers[name.toLowerCase()];
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(",") : raw;
    if (!isSafeHeaderValue(value) || !valid.test(value)) return false;
    out[name] = value;
  }
  return out;
}

/**
 * One HMRC call, repeated only when the endpoint is safe to repeat and the answer is worth another try; every
 * attempt and wait fits in the configured upstream timeout, so the caller's wait stays bounded.
 */
async function sendWithRetries(d: ForwardDeps, url: string, call: MatchedCall, headers: Record<string, string>, body: CheckedBody | null): Promise<Outcome> {
  const clock = d.monotonic ?? (() => performance.now());
  const sleep = d.sleep ?? ((ms: number) => delay(ms));
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, retries: isRetryable(call.endpoint) ? d.config.protection.upstreamRetries : 0 };
  const deadline = clock() + d.config.upstreamTimeoutMs;
  for (let attempt = 1; ; attempt += 1) {
    // AbortSignal.timeout takes whole milliseconds only.
    const result = await send(d, url, call.endpoint.method, headers, body, Math.max(1, Math.ceil(deadline - clock())));
    const retryable = "failure" in result || isRetryableStatus(result.status);
    const wait = retryable
      ? nextDelay(attempt - 1, "failure" in result ? undefined : retryAfterMs(result.headers.get("retry-after"), d.now()), deadline - clock(), policy, d.random ?? Math.random)
      : undefined;
    if (wait === undefined) return { ...result, attempts: attempt };
    await sleep(wait);
  }
}

async function send(d: ForwardDeps, url: string, method: string, headers: Record<string, string>, body: CheckedBody | null, timeoutMs: number): Promise<Upstream | Failure> {
  // A plain controller and timer: AbortSignal.timeout makes a transferable signal, measurably slower per call.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("HMRC did not answer in time", "TimeoutError")), timeoutMs);
  try {
    const res = await d.fetch(url, {
      method,
      headers,
      ...(body ? { body: new Uint8Array(body.bytes) } : {}),
      // Never follow a redirect with the user's HMRC token attached.
      redirect: "manual",
      signal: controller.signal,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status >= 300 && res.status < 400) return { failure: 502 };
    return { status: res.status, headers: res.headers, body: bytes };
  } catch (e) {
    return { failure: (e as Error).name === "TimeoutError" ? 504 : 502 };
  } finally {
    clearTimeout(timer);
  }
}

async function recordReceipt(
  d: ForwardDeps,
  request: FastifyRequest,
  arrival: Arrival,
  userId: string,
  body: CheckedBody | null,
  upstream: Upstream | Failure,
): Promise<string | null> {
  const answered = "failure" in upstream ? null : upstream;
  const receipt = buildReceipt({
    id: randomUUID(),
    receivedAt: arrival.receivedAt,
    userId,
    call: arrival.call,
    body,
    status: "failure" in upstream ? upstream.failure : upstream.status,
    correlationId: answered?.headers.get("x-correlationid") ?? null,
    responseBody: answered?.body ?? null,
  });
  try {
    await d.store.insertReceipt(receipt);
    return receipt.id;
  } catch (e) {
    // HMRC already has the submission: still give the user HMRC's answer, and shout in the log.
    request.log.error({ err: e, endpoint: arrival.call.endpoint.id }, "could not store a receipt");
    return null;
  }
}

function passThrough(reply: FastifyReply, upstream: Upstream): FastifyReply {
  reply.code(upstream.status);
  const contentType = upstream.headers.get("content-type");
  if (contentType) reply.header("content-type", contentType);
  for (const name of PASSED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) reply.header(name, value);
  }
  return reply.send(upstream.body);
}
