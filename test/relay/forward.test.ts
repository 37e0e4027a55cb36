import { createHash } from "node:crypto";
import net from "node:net";
import { acceptHeader, getEndpoint, RELAY_ERROR_MESSAGES } from "../../src/mtd";
import {
  BROWSER_HEADERS,
  BUSINESS_ID,
  CALCULATION_ID,
  Clock,
  connect,
  CUMULATIVE_BODY,
  CUMULATIVE_PATH,
  LIST_PATH,
  NINO,
  startFakeHmrc,
  startRelayFor,
  TAX_YEAR,
  TRIGGER_PATH,
  type FakeHmrc,
  type Relay,
  type Seen,
} from "./helpers";
import { openSqliteStore, type RelayStore } from "../../src/relay/store";

let fake: FakeHmrc;
let relay: Relay;
let clock: Clock;
let session: string;

async function setUp(options: Parameters<typeof startRelayFor>[1] = {}): Promise<void> {
  clock = new Clock();
  fake = await startFakeHmrc(() => relay.config.redirectUri);
  relay = await startRelayFor(fake, { ...options, deps: { now: clock.now, ...options.deps } });
  session = (await connect(relay)).sessionToken;
}

async function tearDown(): Promise<void> {
  await relay.app.close();
  await fake.app.close();
}

const auth = () => ({ authorization: `Bearer ${session}` });

function put(path: string, body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}): Promise<Seen> {
  return relay.browser.fetch(`/api/hmrc${path}`, {
    method: "PUT",
    headers: { ...auth(), ...BROWSER_HEADERS, "content-type": "application/json", ...headers },
    body,
  });
}

/** A request the relay refused itself, with our error body. */
function refused(res: Seen, status: number, code: keyof typeof RELAY_ERROR_MESSAGES): void {
  expect(res.status).toBe(status);
  expect(JSON.parse(res.body)).toEqual({ code, message: RELAY_ERROR_MESSAGES[code] });
}

describe("forwarding to HMRC", () => {
  beforeEach(() => setUp());
  afterEach(tearDown);

  test("a GET goes to HMRC's path with the catalogue's Accept, the HMRC token and the fraud headers", async () => {
    const res = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...auth(), ...BROWSER_HEADERS, accept: "application/vnd.hmrc.9.9+json" } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ listOfBusinesses: [{ typeOfBusiness: "uk-property", businessId: BUSINESS_ID }] });
    expect(res.headers["x-correlationid"]).toBe("corr-1");
    expect(res.headers["x-mtd-receipt-id"]).toBeUndefined();

    expect(fake.calls).toHaveLength(1);
    const h = fake.calls[0]!.headers;
    expect(fake.calls[0]!.url).toBe(LIST_PATH);
    expect(h.accept).toBe(acceptHeader(getEndpoint("business-details.list")));
    expect(h.accept).toBe("application/vnd.hmrc.2.0+json");
    expect(h.authorization).toBe(`Bearer ${fake.issued[0]}`);
    for (const [name, value] of Object.entries(BROWSER_HEADERS)) expect(h[name.toLowerCase()]).toBe(value);
    expect(h["gov-client-connection-method"]).toBe("WEB_APP_VIA_SERVER");
    // The test client is on loopback: not a public address, so IP and port are left out, never faked.
    expect(h["gov-client-public-ip"]).toBeUndefined();
    expect(h["gov-client-public-port"]).toBeUndefined();
    expect(h["gov-client-public-ip-timestamp"]).toBe(clock.now().toISOString());
    const userId = JSON.parse((await relay.browser.fetch("/api/session", { headers: auth() })).body).userId as string;
    expect(h["gov-client-user-ids"]).toBe(`mtd-bridge=${userId}`);
    expect(h["gov-vendor-version"]).toBe(`mtd-bridge-addin=${relay.config.addinVersion}&mtd-bridge-relay=${relay.config.relayVersion}`);
    expect(h["gov-vendor-product-name"]).toBe("MTD%20Bridge");
    expect(h["gov-vendor-public-ip"]).toBeUndefined();
    expect(h.cookie).toBeUndefined();
  });

  test("a write sends the exact bytes, records a receipt and returns its id", async () => {
    const res = await put(CUMULATIVE_PATH, CUMULATIVE_BODY, { "gov-test-scenario": "DEFAULT" });
    expect(res.status).toBe(204);
    expect(res.body).toBe("");
    const receiptId = res.headers["x-mtd-receipt-id"]!;
    expect(receiptId).toMatch(/^[0-9a-f-]{36}$/);

    const sent = fake.calls[0]!;
    expect(sent.method).toBe("PUT");
    expect(sent.url).toBe(CUMULATIVE_PATH);
    expect(sent.body.toString("utf8")).toBe(CUMULATIVE_BODY);
    expect(sent.headers["content-type"]).toBe("application/json");
    expect(sent.headers.accept).toBe("application/vnd.hmrc.6.0+json");
    expect(sent.headers["gov-test-scenario"]).toBe("DEFAULT");

    const receipt = await relay.browser.fetch(`/api/receipts/${receiptId}`, { headers: auth() });
    expect(receipt.status).toBe(200);
    expect(JSON.parse(receipt.body)).toEqual({
      id: receiptId,
      receivedAt: clock.now().toISOString(),
      userId: expect.any(String),
      nino: NINO,
      businessId: BUSINESS_ID,
      endpointId: "property.uk.cumulative.amend",
      method: "PUT",
      path: CUMULATIVE_PATH,
      taxYear: TAX_YEAR,
      periodStart: "2025-04-06",
      periodEnd: "2025-07-05",
      bodySha256: createHash("sha256").update(sent.body).digest("hex"),
      status: 204,
      correlationId: "corr-1",
      hmrcReference: null,
    });
  });

  test("HMRC's reference is kept on the receipt; listings mask the NINO and filter by NINO and tax year", async () => {
    const trigger = await relay.browser.fetch(`/api/hmrc${TRIGGER_PATH}`, { method: "POST", headers: { ...auth(), ...BROWSER_HEADERS } });
    expect(trigger.status).toBe(202);
    expect(JSON.parse(trigger.body)).toEqual({ calculationId: CALCULATION_ID });
    await put(CUMULATIVE_PATH, CUMULATIVE_BODY);
    clock.advance(1000);
    await put(CUMULATIVE_PATH.replace(TAX_YEAR, "2026-27"), CUMULATIVE_BODY);

    const all = await relay.browser.fetch("/api/receipts", { headers: auth() });
    const receipts = (JSON.parse(all.body) as { receipts: Array<Record<string, unknown>> }).receipts;
    expect(receipts).toHaveLength(3);
    expect(receipts[0]!.taxYear).toBe("2026-27");
    expect(receipts.every((r) => r.nino === "AA****56A")).toBe(true);
    expect(all.body).not.toContain(NINO);
    const triggered = receipts.find((r) => r.endpointId === "calculations.trigger")!;
    expect(triggered.hmrcReference).toBe(CALCULATION_ID);
    expect(triggered.bodySha256).toBeNull();
    expect(triggered.status).toBe(202);

    const filtered = JSON.parse((await relay.browser.fetch(`/api/receipts?nino=${NINO}&taxYear=${TAX_YEAR}&limit=1`, { headers: auth() })).body);
    expect(filtered.receipts).toHaveLength(1);
    expect(filtered.receipts[0].taxYear).toBe(TAX_YEAR);
    expect((await relay.browser.fetch(`/api/receipts?nino=${"AB123456C"}`, { headers: auth() })).body).toBe('{"receipts":[],"nextCursor":null}');
    expect((await relay.browser.fetch("/api/receipts?limit=0", { headers: auth() })).status).toBe(400);
    expect((await relay.browser.fetch("/api/receipts?taxYear=2025", { headers: auth() })).status).toBe(400);
  });

  test("another user cannot read or list my receipts", async () => {
    const mine = await put(CUMULATIVE_PATH, CUMULATIVE_BODY);
    const other = (await connect(relay)).sessionToken;
    const byId = await relay.browser.fetch(`/api/receipts/${mine.headers["x-mtd-receipt-id"]}`, { headers: { authorization: `Bearer ${other}` } });
    expect(byId.status).toBe(404);
    const list = await relay.browser.fetch("/api/receipts", { headers: { authorization: `Bearer ${other}` } });
    expect(JSON.parse(list.body)).toEqual({ receipts: [], nextCursor: null });
    expect((await relay.browser.fetch(`/api/receipts/${mine.headers["x-mtd-receipt-id"]}`)).status).toBe(401);
  });

  test("HMRC's errors, status and deprecation headers come back unchanged", async () => {
    const body = { code: "RULE_TAX_YEAR_NOT_SUPPORTED", message: "The tax year specified does not lie within the supported range" };
    fake.answer = () => ({ status: 400, body, headers: { deprecation: "true", sunset: "Sat, 01 Aug 2026 00:00:00 GMT", link: '<https://developer.service.hmrc.gov.uk>; rel="deprecation"', "x-internal": "secret" } });
    const res = await put(CUMULATIVE_PATH, CUMULATIVE_BODY);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual(body);
    expect(res.headers.deprecation).toBe("true");
    expect(res.headers.sunset).toBe("Sat, 01 Aug 2026 00:00:00 GMT");
    expect(res.headers.link).toContain('rel="deprecation"');
    expect(res.headers["x-internal"]).toBeUndefined();
    expect(res.headers["x-mtd-receipt-id"]).toBeDefined();
  });

  test("HMRC's 401 reaches the browser as 401 with HMRC's body", async () => {
    const body = { code: "UNAUTHORIZED", message: "Bearer token is missing or not authorized" };
    fake.answer = () => ({ status: 401, body });
    const res = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: auth() });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual(body);
  });

  test("HMRC not answering in time is 504, not reachable is 502; both RELAY_UPSTREAM_UNAVAILABLE", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    await relay.app.close();
    relay = await startRelayFor(fake, { env: { UPSTREAM_TIMEOUT_MS: "200" }, deps: { now: clock.now } });
    session = (await connect(relay)).sessionToken;
    fake.answer = async () => {
      await gate;
      return { status: 204 };
    };
    const slow = await put(CUMULATIVE_PATH, CUMULATIVE_BODY);
    release();
    expect(slow.status).toBe(504);
    expect(JSON.parse(slow.body)).toEqual({ code: "RELAY_UPSTREAM_UNAVAILABLE", message: RELAY_ERROR_MESSAGES.RELAY_UPSTREAM_UNAVAILABLE });
    // The write may have reached HMRC: the receipt says so.
    const receipt = JSON.parse((await relay.browser.fetch(`/api/receipts/${slow.headers["x-mtd-receipt-id"]}`, { headers: auth() })).body);
    expect(receipt.status).toBe(504);

    await fake.app.close();
    const down = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: auth() });
    expect(down.status).toBe(502);
    expect(JSON.parse(down.body).code).toBe("RELAY_UPSTREAM_UNAVAILABLE");
  });
});

describe("refusals: nothing reaches HMRC", () => {
  beforeEach(() => setUp());
  afterEach(async () => {
    const reached = fake.calls.length;
    await tearDown();
    expect(reached).toBe(0);
  });

  test("paths and methods outside the catalogue", async () => {
    refused(await relay.browser.fetch("/api/hmrc/individuals/some/other/api", { headers: auth() }), 403, "RELAY_ENDPOINT_NOT_ALLOWED");
    refused(await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { method: "DELETE", headers: auth() }), 403, "RELAY_ENDPOINT_NOT_ALLOWED");
    refused(await relay.browser.fetch("/api/hmrc/oauth/token", { method: "POST", headers: auth() }), 403, "RELAY_ENDPOINT_NOT_ALLOWED");
    refused(await relay.browser.fetch(`/api/hmrc${LIST_PATH}/../../../oauth/token`, { headers: auth() }), 403, "RELAY_ENDPOINT_NOT_ALLOWED");
  });

  test("bad parameters and unsupported tax years", async () => {
    refused(await relay.browser.fetch("/api/hmrc/individuals/business/details/not-a-nino/list", { headers: auth() }), 400, "RELAY_BAD_PARAMETER");
    refused(await put(CUMULATIVE_PATH.replace(TAX_YEAR, "2024-25"), CUMULATIVE_BODY), 400, "RELAY_TAX_YEAR_NOT_SUPPORTED");
    const obligations = `/api/hmrc/obligations/details/${NINO}/income-and-expenditure`;
    refused(await relay.browser.fetch(`${obligations}?secret=1`, { headers: auth() }), 400, "RELAY_BAD_PARAMETER");
    refused(await relay.browser.fetch(`${obligations}?businessId=nope`, { headers: auth() }), 400, "RELAY_BAD_PARAMETER");
    refused(await relay.browser.fetch(`${obligations}?status=open&status=fulfilled`, { headers: auth() }), 400, "RELAY_BAD_PARAMETER");
  });

  test("bodies: not JSON, wrong content type, oversize, or on an endpoint that takes none", async () => {
    refused(await put(CUMULATIVE_PATH, "{not json"), 400, "RELAY_BODY_NOT_JSON");
    refused(await put(CUMULATIVE_PATH, "[1,2]"), 400, "RELAY_BODY_NOT_JSON");
    refused(await put(CUMULATIVE_PATH, new Uint8Array([0x7b, 0xff, 0x7d])), 400, "RELAY_BODY_NOT_JSON");
    refused(await put(CUMULATIVE_PATH, CUMULATIVE_BODY, { "content-type": "text/plain" }), 415, "RELAY_BODY_NOT_JSON");
    refused(await relay.browser.fetch(`/api/hmrc${CUMULATIVE_PATH}`, { method: "PUT", headers: auth() }), 400, "RELAY_BODY_NOT_JSON");
    const big = JSON.stringify({ ukProperty: { pad: "x".repeat(relay.config.maxBodyBytes) } });
    refused(await put(CUMULATIVE_PATH, big), 413, "RELAY_BODY_TOO_LARGE");
    refused(
      await relay.browser.fetch(`/api/hmrc${TRIGGER_PATH}`, { method: "POST", headers: { ...auth(), "content-type": "application/json" }, body: "{}" }),
      403,
      "RELAY_ENDPOINT_NOT_ALLOWED",
    );
  });

  test("malformed fraud-prevention headers and test scenarios", async () => {
    refused(await put(CUMULATIVE_PATH, CUMULATIVE_BODY, { "gov-client-timezone": "+01:00" }), 400, "RELAY_BAD_HEADER");
    refused(await put(CUMULATIVE_PATH, CUMULATIVE_BODY, { "gov-client-device-id": "not-a-uuid" }), 400, "RELAY_BAD_HEADER");
    refused(await put(CUMULATIVE_PATH, CUMULATIVE_BODY, { "gov-client-window-size": "width=0&height=10" }), 400, "RELAY_BAD_HEADER");
    refused(await put(CUMULATIVE_PATH, CUMULATIVE_BODY, { "gov-test-scenario": "NOT OK" }), 400, "RELAY_BAD_HEADER");
  });

  test("a tab or non-ASCII byte inside a header is refused (sent raw: fetch would not let it through)", async () => {
    const raw = async (headerLine: Buffer): Promise<string> =>
      new Promise((resolve, reject) => {
        const { port } = new URL(relay.url);
        const socket = net.connect(Number(port), "127.0.0.1", () => {
          socket.write(
            Buffer.concat([
              Buffer.from(`GET /api/hmrc${LIST_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${session}\r\nConnection: close\r\n`),
              headerLine,
              Buffer.from("\r\n\r\n"),
            ]),
          );
        });
        let data = "";
        socket.on("data", (c: Buffer) => (data += c.toString("latin1")));
        socket.on("end", () => resolve(data));
        socket.on("error", reject);
      });
    const tab = await raw(Buffer.from("Gov-Client-Browser-JS-User-Agent: Mozilla\tEvil"));
    expect(tab.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
    expect(tab).toContain('"code":"RELAY_BAD_HEADER"');
    const latin1 = await raw(Buffer.concat([Buffer.from("Gov-Client-Browser-JS-User-Agent: Mozilla "), Buffer.from([0xe9])]));
    expect(latin1).toContain('"code":"RELAY_BAD_HEADER"');
  });

  test("missing, forged and expired sessions", async () => {
    refused(await relay.browser.fetch(`/api/hmrc${LIST_PATH}`), 401, "RELAY_NOT_CONNECTED");
    refused(await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { authorization: `Bearer ${"D".repeat(43)}` } }), 401, "RELAY_NOT_CONNECTED");
    refused(await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { authorization: `Basic ${session}` } }), 401, "RELAY_NOT_CONNECTED");
    // Unauthenticated requests are refused before their body is looked at.
    refused(await relay.browser.fetch(`/api/hmrc${CUMULATIVE_PATH}`, { method: "PUT", body: "x".repeat(200_000) }), 401, "RELAY_NOT_CONNECTED");
    clock.advance(relay.config.sessionTtlSeconds * 1000 + 1);
    refused(await put(CUMULATIVE_PATH, CUMULATIVE_BODY), 401, "RELAY_SESSION_EXPIRED");
  });
});

describe("header injection", () => {
  beforeEach(() => setUp());
  afterEach(tearDown);

  test("a browser cannot set server-side fraud headers, the Accept version or the HMRC token", async () => {
    const res = await put(CUMULATIVE_PATH, CUMULATIVE_BODY, {
      "gov-client-public-ip": "203.0.113.9",
      "gov-client-public-port": "4242",
      "gov-client-user-ids": "mtd-bridge=someone-else",
      "gov-vendor-version": "evil=1",
      "gov-vendor-public-ip": "198.51.100.1",
      "gov-client-connection-method": "DESKTOP_APP_DIRECT",
      "x-forwarded-for": "203.0.113.10",
      accept: "application/vnd.hmrc.1.0+json",
    });
    expect(res.status).toBe(204);
    const h = fake.calls[0]!.headers;
    expect(h["gov-client-public-ip"]).toBeUndefined(); // not the browser's 203.0.113.9; loopback is not sent
    expect(h["gov-client-public-port"]).toBeUndefined();
    expect(h["gov-client-user-ids"]).not.toBe("mtd-bridge=someone-else");
    expect(h["gov-vendor-version"]).not.toBe("evil=1");
    expect(h["gov-vendor-public-ip"]).toBeUndefined();
    expect(h["gov-client-connection-method"]).toBe("WEB_APP_VIA_SERVER");
    expect(h["x-forwarded-for"]).toBeUndefined();
    expect(h.accept).toBe("application/vnd.hmrc.6.0+json");
    expect(h.authorization).toBe(`Bearer ${fake.issued[0]}`);
  });
});

describe("vendor headers and proxies", () => {
  afterEach(tearDown);

  test("with VENDOR_PUBLIC_IP, Gov-Vendor-Public-IP and Gov-Vendor-Forwarded are sent", async () => {
    await setUp({ env: { VENDOR_PUBLIC_IP: "51.140.12.7", TRUST_PROXY: "loopback" } });
    await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...auth(), "x-forwarded-for": "81.2.69.142" } });
    const h = fake.calls[0]!.headers;
    expect(h["gov-vendor-public-ip"]).toBe("51.140.12.7");
    expect(h["gov-vendor-forwarded"]).toBe("by=51.140.12.7&for=81.2.69.142");
  });

  test("X-Forwarded-For is used only from a trusted proxy, and then the client port is not guessed", async () => {
    await setUp({ env: { TRUST_PROXY: "loopback" } });
    await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...auth(), "x-forwarded-for": "81.2.69.142" } });
    const h = fake.calls[0]!.headers;
    expect(h["gov-client-public-ip"]).toBe("81.2.69.142");
    expect(h["gov-client-public-port"]).toBeUndefined();
  });
});

describe("HMRC's sandbox-only test headers", () => {
  afterEach(tearDown);

  test("are dropped when the relay talks to production", async () => {
    await setUp({ config: { environment: "production" } });
    const res = await put(CUMULATIVE_PATH, CUMULATIVE_BODY, { "gov-test-scenario": "STATEFUL", "suspend-temporal-validations": "true" });
    expect(res.status).toBe(204);
    expect(fake.calls[0]!.headers["gov-test-scenario"]).toBeUndefined();
    expect(fake.calls[0]!.headers["suspend-temporal-validations"]).toBeUndefined();
  });

  test("suspend-temporal-validations is passed to a sandbox, and only as true or false", async () => {
    await setUp();
    expect((await put(CUMULATIVE_PATH, CUMULATIVE_BODY, { "suspend-temporal-validations": "true" })).status).toBe(204);
    expect(fake.calls[0]!.headers["suspend-temporal-validations"]).toBe("true");
    refused(await put(CUMULATIVE_PATH, CUMULATIVE_BODY, { "suspend-temporal-validations": "yes please" }), 400, "RELAY_BAD_HEADER");
    expect(fake.calls).toHaveLength(1);
  });
});

describe("refreshing HMRC tokens", () => {
  let tornDown = false;
  beforeEach(() => (tornDown = false));
  afterEach(async () => {
    if (!tornDown) await tearDown();
  });

  test("an access token about to expire is refreshed first, and the rotated refresh token is used next time", async () => {
    await setUp();
    clock.advance(14400 * 1000 - 59_000);
    await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: auth() });
    expect(fake.tokenRequests.map((f) => f.grant_type)).toEqual(["authorization_code", "refresh_token"]);
    expect(fake.tokenRequests[1]!.refresh_token).toBe(fake.issued[1]);
    expect(fake.tokenRequests[1]!.client_secret).toBe(fake.clientSecret);
    expect(fake.calls[0]!.headers.authorization).toBe(`Bearer ${fake.issued[2]}`);

    clock.advance(14400 * 1000);
    const again = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: auth() });
    expect(again.status).toBe(200);
    expect(fake.tokenRequests[2]!.refresh_token).toBe(fake.issued[3]);
    expect(fake.calls[1]!.headers.authorization).toBe(`Bearer ${fake.issued[4]}`);
  });

  test("a token with more than a minute left is not refreshed", async () => {
    await setUp();
    clock.advance(14400 * 1000 - 61_000);
    await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: auth() });
    expect(fake.tokenRequests).toHaveLength(1);
  });

  test("concurrent requests with an expired token cause exactly one refresh", async () => {
    // Count session look-ups to know when every request has reached the relay.
    const store = openSqliteStore(":memory:");
    let lookups = 0;
    const counting: RelayStore = { ...store, getSession: (hash) => ((lookups += 1), store.getSession(hash)) };
    await setUp({ deps: { store: counting } });
    clock.advance(14400 * 1000);
    let open!: () => void;
    fake.refreshGate = new Promise<void>((r) => (open = r));
    const requests = Array.from({ length: 5 }, () => relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: auth() }));
    await waitFor(() => lookups >= 5 && fake.tokenRequests.length >= 2);
    await new Promise((r) => setTimeout(r, 20));
    open();
    const results = await Promise.all(requests);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(fake.tokenRequests.filter((f) => f.grant_type === "refresh_token")).toHaveLength(1);
    expect(new Set(fake.calls.map((c) => c.headers.authorization))).toEqual(new Set([`Bearer ${fake.issued[2]}`]));
    await tearDown();
    await store.close();
    tornDown = true;
  });

  test("a refresh HMRC refuses as invalid_grant disconnects the user", async () => {
    await setUp();
    clock.advance(14400 * 1000);
    fake.revokeRefreshTokens();
    const res = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: auth() });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).code).toBe("RELAY_NOT_CONNECTED");
    expect(fake.calls).toHaveLength(0);
    expect((await relay.browser.fetch("/api/session", { headers: auth() })).status).toBe(401);
  });

  test("a refresh failing for another reason (bad client secret) keeps the grant and answers 502", async () => {
    await setUp();
    clock.advance(14400 * 1000);
    const secret = fake.clientSecret;
    fake.clientSecret = "rotated-on-the-developer-hub";
    const res = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: auth() });
    expect(res.status).toBe(502);
    expect(JSON.parse(res.body).code).toBe("RELAY_UPSTREAM_UNAVAILABLE");
    expect(fake.calls).toHaveLength(0);
    fake.clientSecret = secret;
    expect((await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: auth() })).status).toBe(200);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error("condition never became true");
}
