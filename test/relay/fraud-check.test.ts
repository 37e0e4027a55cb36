/**
 * GET /api/fraud-headers/check and strict mode, against a fake HMRC that records everything it receives.
 * The relay is configured as if behind a TLS proxy on loopback (TRUST_PROXY) so the client can have a
 * public address; X-Forwarded-For set by the test plays the proxy.
 */
import type { FraudHeadersCheckResponse } from "../../src/mtd";
import { BROWSER_HEADERS, Clock, connect, LIST_PATH, startFakeHmrc, startRelayFor, type FakeHmrc, type Relay } from "./helpers";

const CLIENT_IP = "81.2.69.142";
const VENDOR_IP = "51.140.12.7";
const PROXIED = { "x-forwarded-for": CLIENT_IP, "x-client-port": "50123" };
const BEHIND_PROXY = { TRUST_PROXY: "127.0.0.1", VENDOR_PUBLIC_IP: VENDOR_IP, CLIENT_PORT_HEADER: "X-Client-Port" };

let fake: FakeHmrc;
let relay: Relay;
let session: string;
const clock = new Clock();

async function setUp(env: Record<string, string>): Promise<void> {
  fake = await startFakeHmrc(() => relay.config.redirectUri);
  relay = await startRelayFor(fake, { env, deps: { now: clock.now } });
  session = (await connect(relay)).sessionToken;
}

afterEach(async () => {
  await relay?.app.close();
  await fake?.app.close();
});

const auth = () => ({ authorization: `Bearer ${session}` });

async function check(headers: Record<string, string>): Promise<{ status: number; body: FraudHeadersCheckResponse }> {
  const res = await relay.browser.fetch("/api/fraud-headers/check", { headers: { ...auth(), ...headers } });
  return { status: res.status, body: JSON.parse(res.body) as FraudHeadersCheckResponse };
}

describe("GET /api/fraud-headers/check", () => {
  test("needs a session", async () => {
    await setUp(BEHIND_PROXY);
    const res = await relay.browser.fetch("/api/fraud-headers/check", { headers: BROWSER_HEADERS });
    expect(res.status).toBe(401);
  });

  test("judges exactly the set an HMRC call sends now, per header, with personal values masked", async () => {
    await setUp(BEHIND_PROXY);
    const { status, body } = await check({ ...BROWSER_HEADERS, ...PROXIED });
    expect(status).toBe(200);
    expect(body).toMatchObject({ specVersion: "3.3", connectionMethod: "WEB_APP_VIA_SERVER", strict: false });
    expect(["VALID_HEADERS", "POTENTIALLY_INVALID_HEADERS", "INVALID_HEADERS"]).toContain(body.code);

    // The same request as an HMRC call: the check must describe what HMRC actually received.
    await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...auth(), ...BROWSER_HEADERS, ...PROXIED } });
    const sent = fake.calls[0]!.headers;
    const sentFraud = Object.keys(sent).filter((k) => k.startsWith("gov-")).sort();
    const described = body.headers.filter((r) => r.value !== undefined).map((r) => r.header.toLowerCase()).sort();
    expect(described).toEqual(sentFraud);
    expect(sent["gov-client-public-ip"]).toBe(CLIENT_IP);
    expect(sent["gov-client-public-port"]).toBe("50123");
    expect(sent["gov-vendor-forwarded"]).toBe(`by=${VENDOR_IP}&for=${CLIENT_IP}`);
    expect(sent["gov-client-public-ip-timestamp"]).toBe(clock.now().toISOString());
  });

  test("reports what cannot be collected instead of sending it (loopback client)", async () => {
    await setUp({});
    const { status, body } = await check(BROWSER_HEADERS);
    expect(status).toBe(200);
    expect(body.notSent.map((n) => n.header)).toEqual(expect.arrayContaining(["Gov-Client-Public-IP", "Gov-Client-Public-Port", "Gov-Vendor-Public-IP", "Gov-Vendor-Forwarded"]));
    expect(body.notSent.find((n) => n.header === "Gov-Client-Public-IP")?.reason).toMatch(/loopback/);
    expect(JSON.stringify(body)).not.toContain("127.0.0.1");
  });

  test("a malformed browser header is refused as an HMRC call would be", async () => {
    await setUp(BEHIND_PROXY);
    const res = await relay.browser.fetch("/api/fraud-headers/check", { headers: { ...auth(), ...BROWSER_HEADERS, "Gov-Client-Timezone": "GMT" } });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).code).toBe("RELAY_BAD_HEADER");
  });
});

describe("strict mode (FRAUD_HEADERS_STRICT)", () => {
  test("is off by default against the local sandbox and on elsewhere", async () => {
    await setUp({});
    expect(relay.config.fraudHeaders.strict).toBe(false);
  });

  test("refuses to forward a set with errors: 400, our code, the problems listed, and HMRC receives nothing", async () => {
    await setUp({ FRAUD_HEADERS_STRICT: "true" }); // loopback client, no vendor IP: errors HMRC would report
    const { body: verdict } = await check(BROWSER_HEADERS);
    expect(verdict.strict).toBe(true);
    expect(verdict.code).toBe("INVALID_HEADERS");

    const res = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...auth(), ...BROWSER_HEADERS } });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body) as { code: string; message: string };
    expect(body.code).toBe("RELAY_FRAUD_HEADERS_INVALID");
    for (const finding of verdict.errors ?? []) expect(body.message).toContain(finding.headers.join(", "));
    expect(fake.calls).toEqual([]);
  });

  test("forwards a set without errors", async () => {
    await setUp({ ...BEHIND_PROXY, FRAUD_HEADERS_STRICT: "true", LICENSE_KEY: "MTDB-TEST-0001" });
    const { body: verdict } = await check({ ...BROWSER_HEADERS, ...PROXIED });
    expect(verdict.errors ?? []).toEqual([]);
    const res = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { ...auth(), ...BROWSER_HEADERS, ...PROXIED } });
    expect(res.status).toBe(200);
    expect(fake.calls).toHaveLength(1);
  });
});

describe("HMRC's fraud-header validator through the relay", () => {
  const VALIDATE = "/api/hmrc/test/fraud-prevention-headers/validate";

  test("is forwarded to a sandbox with the Test API's version", async () => {
    await setUp(BEHIND_PROXY);
    const res = await relay.browser.fetch(VALIDATE, { headers: { ...auth(), ...BROWSER_HEADERS, ...PROXIED } });
    expect(res.status).toBe(200);
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.url).toBe("/test/fraud-prevention-headers/validate");
    expect(fake.calls[0]!.headers.accept).toBe("application/vnd.hmrc.1.0+json");
  });

  test("is refused by a relay talking to production, and nothing is sent", async () => {
    fake = await startFakeHmrc(() => relay.config.redirectUri);
    relay = await startRelayFor(fake, { env: BEHIND_PROXY, config: { environment: "production" }, deps: { now: clock.now } });
    session = (await connect(relay)).sessionToken;
    const res = await relay.browser.fetch(VALIDATE, { headers: { ...auth(), ...BROWSER_HEADERS, ...PROXIED } });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).code).toBe("RELAY_ENDPOINT_NOT_ALLOWED");
    expect(fake.calls).toEqual([]);
  });
});
