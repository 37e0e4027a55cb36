/**
 * `/api/hmrc/*`: the allow-listed forwarder (DESIGN.md §3 step 4-5). Session and catalogue are checked as the
 * request arrives (before its body is read); then body and browser headers; then the relay adds the Accept
 * version, the HMRC access token and the fraud-prevention headers, forwards, records a receipt for every
 * write, and returns HMRC's status and body unchanged.
 */
import { randomUUID } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { acceptHeader, err, ok, RELAY_HMRC_PREFIX, type Result } from "../mtd";
import { checkBody, matchHmrcCall, type CheckedBody, type MatchedCall } from "./allow-list";
import type { RelayConfig } from "./config";
import { refusal, sendRefusal, type RelayRefusal } from "./errors";
import { browserFraudHeaders, isSafeHeaderValue, normaliseIp, serverFraudHeaders } from "./fraud-headers";
import type { GrantTokens } from "./grant-tokens";
import { buildReceipt } from "./receipts";
import { sessionGuard } from "./sessions";
import type { RelayStore } from "./store";

export interface ForwardDeps {
  config: RelayConfig;
  store: RelayStore;
  tokens: GrantTokens;
  fetch: typeof fetch;
  now: () => Date;
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

export function forwardRoutes(d: ForwardDeps): FastifyPluginAsync {
  return async (app) => {
    const arrivals = new WeakMap<FastifyRequest, Arrival>();
    const guard = sessionGuard(d.store, d.now);

    // Keep the exact bytes: the receipt hashes what HMRC receives, and HMRC gets what the add-in validated.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: d.config.maxBodyBytes }, (_req, body, done) => done(null, body));

    app.addHook("onRequest", async (request, reply) => {
      const receivedAt = d.now();
      const denied = await guard(request, reply);
      if (denied) return denied;
      const call = matchHmrcCall(request.method, request.url);
      if (!call.ok) return sendRefusal(reply, call.error);
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
        const token = await d.tokens.accessToken(session.grantId);
        if (!token.ok) {
          return sendRefusal(reply, token.error === "not-connected" ? refusal(401, "RELAY_NOT_CONNECTED") : refusal(502, "RELAY_UPSTREAM_UNAVAILABLE"));
        }

        const headers: Record<string, string> = {
          ...checked.value.browserHeaders,
          ...serverFraudHeaders({
            clientIp: request.ip,
            clientPort: clientPort(request, d.config),
            receivedAt: arrival.receivedAt,
            userId: session.userId,
            addinVersion: d.config.addinVersion,
            relayVersion: d.config.relayVersion,
            vendorPublicIp: d.config.vendorPublicIp,
          }),
          // The relay chooses the API version, never the browser.
          Accept: acceptHeader(call.endpoint),
          Authorization: `Bearer ${token.value}`,
          ...(checked.value.body ? { "Content-Type": "application/json" } : {}),
        };
        const url = `${d.config.hmrcBaseUrl}${call.path}${call.query ? `?${call.query}` : ""}`;
        const upstream = await send(d, url, call.endpoint.method, headers, checked.value.body);
        request.log.info(
          "failure" in upstream
            ? { endpoint: call.endpoint.id, status: upstream.failure }
            : { endpoint: call.endpoint.id, status: upstream.status, correlationId: upstream.headers.get("x-correlationid") },
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
  /** Allow-listed browser fraud headers, plus Gov-Test-Scenario outside production. */
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
  const scenario = testScenario(request, config);
  if (scenario === false) return err(refusal(400, "RELAY_BAD_HEADER"));
  return ok({ body: body.value, browserHeaders: { ...browser.value, ...(scenario ? { "Gov-Test-Scenario": scenario } : {}) } });
}

/** The header's value outside production; undefined when absent or in production; false when malformed. */
function testScenario(request: FastifyRequest, config: RelayConfig): string | undefined | false {
  const raw = request.headers["gov-test-scenario"];
  if (raw === undefined || config.environment === "production") return undefined;
  const value = Array.isArray(raw) ? raw.join(",") : raw;
  return isSafeHeaderValue(value) && TEST_SCENARIO.test(value) ? value : false;
}

/** The client's source port, unless the client reached us through a proxy (its port is then unknown). */
function clientPort(request: FastifyRequest, config: RelayConfig): number | null {
  const socketIp = normaliseIp(request.socket.remoteAddress ?? "");
  const viaProxy = config.trustProxy !== null && normaliseIp(request.ip) !== socketIp;
  return viaProxy ? null : (request.socket.remotePort ?? null);
}

async function send(d: ForwardDeps, url: string, method: string, headers: Record<string, string>, body: CheckedBody | null): Promise<Upstream | Failure> {
  try {
    const res = await d.fetch(url, {
      method,
      headers,
      ...(body ? { body: new Uint8Array(body.bytes) } : {}),
      // Never follow a redirect with the user's HMRC token attached.
      redirect: "manual",
      signal: AbortSignal.timeout(d.config.upstreamTimeoutMs),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status >= 300 && res.status < 400) return { failure: 502 };
    return { status: res.status, headers: res.headers, body: bytes };
  } catch (e) {
    return { failure: (e as Error).name === "TimeoutError" ? 504 : 502 };
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
