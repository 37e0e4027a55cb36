import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getEndpoint } from "../../src/mtd";
import { backoffMs, DEFAULT_RETRY_POLICY, isRetryable, isRetryableStatus, nextDelay, retryAfterMs } from "../../src/relay/retry";
import { BROWSER_HEADERS, Clock, connect, CUMULATIVE_BODY, CUMULATIVE_PATH, LIST_PATH, startFakeHmrc, startRelayFor, TRIGGER_PATH, type FakeHmrc, type Relay } from "./helpers";

describe("retry policy", () => {
  test("only GETs and idempotent PUTs are retried; POSTs and DELETEs never", () => {
    expect(isRetryable(getEndpoint("business-details.list"))).toBe(true);
    expect(isRetryable(getEndpoint("property.uk.cumulative.amend"))).toBe(true);
    expect(isRetryable(getEndpoint("calculations.trigger"))).toBe(false);
    expect(isRetryable(getEndpoint("property.foreign.details.create"))).toBe(false);
    expect(isRetryable(getEndpoint("self-employment.annual.delete"))).toBe(false);
  });

  test("429 and passing server errors are worth another try; client errors and 501 are not", () => {
    expect([429, 500, 502, 503, 504].map(isRetryableStatus)).toEqual([true, true, true, true, true]);
    expect([200, 204, 400, 401, 403, 404, 409, 422, 501, 505].map(isRetryableStatus).some(Boolean)).toBe(false);
  });

  test("Retry-After in seconds or as an HTTP date; anything else is ignored", () => {
    const now = new Date("2025-08-01T10:00:00.000Z");
    expect(retryAfterMs("3", now)).toBe(3000);
    expect(retryAfterMs(" 0 ", now)).toBe(0);
    expect(retryAfterMs("Fri, 01 Aug 2025 10:00:05 GMT", now)).toBe(5000);
    expect(retryAfterMs("Fri, 01 Aug 2025 09:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("soon", now)).toBeUndefined();
    expect(retryAfterMs("-1", now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  test("exponential backoff with full jitter, capped", () => {
    const p = { baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffMs(n, p, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffMs(3, p, () => 0)).toBe(0);
  });

  test("stops when attempts run out, Retry-After is beyond the cap, or the wait would exceed the time left", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, retries: 2 };
    const half = () => 0.5;
    expect(nextDelay(0, undefined, 10_000, policy, half)).toBe(50);
    expect(nextDelay(1, undefined, 10_000, policy, half)).toBe(100);
    expect(nextDelay(2, undefined, 10_000, policy, half)).toBeUndefined();
    expect(nextDelay(0, 2000, 10_000, policy, half)).toBe(2000);
    expect(nextDelay(0, policy.maxRetryAfterMs + 1, 10_000, policy, half)).toBeUndefined();
    expect(nextDelay(0, 2000, 2000, policy, half)).toBeUndefined();
  });
});

describe("forwarding with retries", () => {
  let fake: FakeHmrc;
  let relay: Relay;
  let clock: Clock;
  let session: string;
  let sleeps: number[];
  /** While `drops` > 0, API calls go to this server, which drops the connection. */
  let dropper: Server;
  let dropperUrl: string;
  let drops: number;
  let dropperHits: number;

  async function setUp(env: Record<string, string> = {}): Promise<void> {
    clock = new Clock();
    sleeps = [];
    drops = 0;
    dropperHits = 0;
    dropper = createServer((req, res) => {
      dropperHits += 1;
      drops -= 1;
      req.socket.destroy();
      void res;
    });
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
    dropperUrl = `http://127.0.0.1:${(dropper.address() as AddressInfo).port}`;
    fake = await startFakeHmrc(() => relay.config.redirectUri);
    // API calls go to the dropper when a test asks for it; OAuth always goes to the fake.
    const routed: typeof fetch = (input, init) => {
      const url = String(input);
      return fetch(drops > 0 && !url.includes("/oauth/") ? url.replace(fake.url, dropperUrl) : url, init);
    };
    relay = await startRelayFor(fake, {
      env,
      deps: { now: clock.now, fetch: routed, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5 },
    });
    session = (await connect(relay)).sessionToken;
  }

  afterEach(async () => {
    await relay.app.close();
    await fake.app.close();
    dropper.closeAllConnections();
    await new Promise<void>((resolve) => dropper.close(() => resolve()));
  });

  const headers = () => ({ authorization: `Bearer ${session}`, ...BROWSER_HEADERS });
  const get = () => relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: headers() });
  const failTimes = (n: number, answer: { status: number; headers?: Record<string, string>; body?: unknown }) => {
    let left = n;
    fake.answer = () => (left-- > 0 ? answer : undefined);
  };
  const unavailable = { status: 503, body: { code: "SERVICE_UNAVAILABLE", message: "Service unavailable" } };

  test("a GET that meets 503 twice is retried with backoff and succeeds", async () => {
    await setUp();
    failTimes(2, unavailable);
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers["x-correlationid"]).toBe("corr-3");
    expect(fake.calls).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]);
  });

  test("attempts are bounded: HMRC's last error comes back unchanged", async () => {
    await setUp();
    failTimes(10, unavailable);
    const res = await get();
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual(unavailable.body);
    expect(fake.calls).toHaveLength(3);
  });

  test("429 with Retry-After in seconds, or as an HTTP date, is honoured", async () => {
    await setUp();
    failTimes(1, { status: 429, headers: { "retry-after": "2" }, body: { code: "MESSAGE_THROTTLED_OUT", message: "throttled" } });
    expect((await get()).status).toBe(200);
    expect(sleeps).toEqual([2000]);

    const at = new Date(clock.t + 3000).toUTCString();
    failTimes(1, { status: 429, headers: { "retry-after": at }, body: { code: "MESSAGE_THROTTLED_OUT", message: "throttled" } });
    expect((await get()).status).toBe(200);
    expect(sleeps).toEqual([2000, 3000]);
  });

  test("a Retry-After beyond the cap, or beyond the time budget, is not waited for", async () => {
    await setUp({ UPSTREAM_TIMEOUT_MS: "3000" });
    failTimes(1, { status: 429, headers: { "retry-after": "60" }, body: { code: "MESSAGE_THROTTLED_OUT", message: "throttled" } });
    const capped = await get();
    expect(capped.status).toBe(429);
    expect(JSON.parse(capped.body).code).toBe("MESSAGE_THROTTLED_OUT");
    failTimes(1, { status: 429, headers: { "retry-after": "4" }, body: { code: "MESSAGE_THROTTLED_OUT", message: "throttled" } });
    expect((await get()).status).toBe(429);
    expect(fake.calls).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  test("client errors are never retried", async () => {
    await setUp();
    failTimes(1, { status: 400, body: { code: "FORMAT_NINO", message: "The provided NINO is invalid" } });
    expect((await get()).status).toBe(400);
    expect(fake.calls).toHaveLength(1);
  });

  test("dropped connections on a GET are retried", async () => {
    await setUp();
    drops = 2;
    const res = await get();
    expect(res.status).toBe(200);
    // Two attempts met a dropped connection; the third reached HMRC.
    expect(dropperHits).toBe(2);
    expect(fake.calls).toHaveLength(1);
    expect(res.headers["x-correlationid"]).toBe("corr-1");
    expect(sleeps).toEqual([50, 100]);
  });

  test("a cumulative PUT is retried (it replaces the year to date) and gets one receipt with the final answer", async () => {
    await setUp();
    failTimes(1, { status: 502, body: { code: "BAD_GATEWAY", message: "bad gateway" } });
    const res = await relay.browser.fetch(`/api/hmrc${CUMULATIVE_PATH}`, {
      method: "PUT",
      headers: { ...headers(), "content-type": "application/json" },
      body: CUMULATIVE_BODY,
    });
    expect(res.status).toBe(204);
    expect(fake.calls.map((c) => c.body.toString())).toEqual([CUMULATIVE_BODY, CUMULATIVE_BODY]);
    const receipts = JSON.parse((await relay.browser.fetch("/api/receipts", { headers: headers() })).body).receipts as Array<{ status: number; id: string }>;
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.status).toBe(204);
    expect(res.headers["x-mtd-receipt-id"]).toBe(receipts[0]!.id);
  });

  test("a POST is never silently retried, on an error status or a dropped connection", async () => {
    await setUp();
    failTimes(1, unavailable);
    const post = () => relay.browser.fetch(`/api/hmrc${TRIGGER_PATH}`, { method: "POST", headers: headers() });
    expect((await post()).status).toBe(503);
    expect(fake.calls).toHaveLength(1);
    drops = 1;
    const dropped = await post();
    expect(dropped.status).toBe(502);
    expect(JSON.parse(dropped.body).code).toBe("RELAY_UPSTREAM_UNAVAILABLE");
    expect(dropperHits).toBe(1);
    expect(sleeps).toEqual([]);
  });

  test("UPSTREAM_RETRIES=0 turns retries off", async () => {
    await setUp({ UPSTREAM_RETRIES: "0" });
    failTimes(1, unavailable);
    expect((await get()).status).toBe(503);
    expect(fake.calls).toHaveLength(1);
  });
});
