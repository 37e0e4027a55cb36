import Fastify from "fastify";
import { createHash } from "node:crypto";
import { parseKeyValueList, parseKeyValues } from "../../src/mtd";
import {
  browserFraudHeaders,
  fraudHeaderSet,
  hashedLicence,
  isSafeHeaderValue,
  observedClient,
  serverFraudHeaders,
  splitHostPort,
  strictRefusalBody,
  type ObservedClient,
  type ServerFraudContext,
} from "../../src/relay/fraud-headers";
import { BROWSER_HEADERS } from "./helpers";

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

const CLIENT_IP = "81.2.69.142";
const VENDOR_IP = "51.140.12.7";
const direct = (ip: string, port = 51234): ObservedClient => ({ ip, port, viaProxy: false, chain: [ip] });

describe("browser half (checked, allow-listed)", () => {
  test("the spec's example values pass through unchanged", () => {
    expect(browserFraudHeaders(lower(BROWSER_HEADERS))).toEqual({ ok: true, value: BROWSER_HEADERS });
  });

  test("several screens and fractional scaling factors are accepted", () => {
    const screens = "width=1920&height=1080&scaling-factor=1&colour-depth=16,width=3000&height=2000&scaling-factor=1.100000023841858&colour-depth=24";
    expect(browserFraudHeaders({ "gov-client-screens": screens })).toEqual({ ok: true, value: { "Gov-Client-Screens": screens } });
  });

  test("only the five browser headers are taken: a browser cannot supply IPs, ports, user IDs or vendor data", () => {
    const result = browserFraudHeaders({ "gov-client-timezone": "UTC-05:00", "gov-client-public-ip": "1.2.3.4", "gov-vendor-version": "x=1", "gov-client-user-ids": "a=b" });
    expect(result).toEqual({ ok: true, value: { "Gov-Client-Timezone": "UTC-05:00" } });
  });

  test.each([
    ["gov-client-timezone", "+01:00", "Gov-Client-Timezone"],
    ["gov-client-timezone", "UTC+1:00", "Gov-Client-Timezone"],
    ["gov-client-device-id", "device-1", "Gov-Client-Device-ID"],
    ["gov-client-window-size", "width=350", "Gov-Client-Window-Size"],
    ["gov-client-window-size", "width=350.5&height=800", "Gov-Client-Window-Size"],
    ["gov-client-screens", "width=1920&height=1080&scaling-factor=1", "Gov-Client-Screens"],
    ["gov-client-screens", "width=1920&height=1080&scaling-factor=1&colour-depth=24,", "Gov-Client-Screens"],
    ["gov-client-browser-js-user-agent", "", "Gov-Client-Browser-JS-User-Agent"],
    ["gov-client-browser-js-user-agent", "Mozilla\r\nX-Evil: 1", "Gov-Client-Browser-JS-User-Agent"],
  ])("%s = %j is refused", (name, value, spelled) => {
    expect(browserFraudHeaders({ [name]: value })).toEqual({ ok: false, error: { header: spelled } });
  });

  test("header values must be printable ASCII", () => {
    expect(isSafeHeaderValue("Mozilla/5.0 (X11)")).toBe(true);
    for (const bad of ["a\r\nGov-Vendor-Public-IP: 1.2.3.4", "a\nb", "a\tb", "caf\u00e9", "\u0000", "x".repeat(1025)]) expect(isSafeHeaderValue(bad)).toBe(false);
  });
});

describe("server half", () => {
  const ctx: ServerFraudContext = {
    client: direct(CLIENT_IP),
    receivedAt: new Date("2025-09-21T14:30:05.000Z"),
    userId: "5b1c3d0e-1111-4222-8333-444455556666",
    multiFactor: undefined,
    addinVersion: "0.1.0",
    relayVersion: "0.2.0",
    vendorPublicIp: VENDOR_IP,
    forwardedHops: [],
    licenseKey: null,
  };

  test("WEB_APP_VIA_SERVER headers, formatted per spec 3.3", () => {
    expect(serverFraudHeaders(ctx).headers).toEqual({
      "Gov-Client-Connection-Method": "WEB_APP_VIA_SERVER",
      "Gov-Client-Public-IP": CLIENT_IP,
      "Gov-Client-Public-IP-Timestamp": "2025-09-21T14:30:05.000Z",
      "Gov-Client-Public-Port": "51234",
      "Gov-Client-User-IDs": "mtd-bridge=5b1c3d0e-1111-4222-8333-444455556666",
      "Gov-Vendor-Version": "mtd-bridge-addin=0.1.0&mtd-bridge-relay=0.2.0",
      "Gov-Vendor-Product-Name": "MTD%20Bridge",
      "Gov-Vendor-Public-IP": VENDOR_IP,
      "Gov-Vendor-Forwarded": `by=${VENDOR_IP}&for=${CLIENT_IP}`,
    });
  });

  test("the timestamp is the arrival time in UTC with milliseconds, trailing zeros kept", () => {
    const h = serverFraudHeaders({ ...ctx, receivedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 120)) }).headers;
    expect(h["Gov-Client-Public-IP-Timestamp"]).toBe("2026-01-02T03:04:05.120Z");
  });

  test("IPv6: sent canonical, percent-encoded inside Forwarded", () => {
    const h = serverFraudHeaders({ ...ctx, client: direct("2A00:1450:4009:081F:0000:0000:0000:200E") }).headers;
    expect(h["Gov-Client-Public-IP"]).toBe("2a00:1450:4009:81f::200e");
    expect(h["Gov-Vendor-Forwarded"]).toBe(`by=${VENDOR_IP}&for=2a00%3A1450%3A4009%3A81f%3A%3A200e`);
  });

  test("IPv4-mapped IPv6 is sent as IPv4", () => {
    const h = serverFraudHeaders({ ...ctx, client: direct(`::ffff:${CLIENT_IP}`), vendorPublicIp: `::ffff:${VENDOR_IP}` }).headers;
    expect(h["Gov-Client-Public-IP"]).toBe(CLIENT_IP);
    expect(h["Gov-Vendor-Public-IP"]).toBe(VENDOR_IP);
    expect(h["Gov-Vendor-Forwarded"]).toBe(`by=${VENDOR_IP}&for=${CLIENT_IP}`);
  });

  test.each([
    ["127.0.0.1", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["192.168.1.20", "private network"],
    ["10.1.2.3", "private network"],
    ["172.16.0.9", "private network"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["169.254.10.1", "link-local"],
    ["fe80::1", "link-local"],
    ["fd12:3456::1", "unique local"],
  ])("a %s client address is not sent as public, and the check says why (%s)", (ip, words) => {
    const { headers, notSent } = serverFraudHeaders({ ...ctx, client: direct(ip) });
    expect(headers["Gov-Client-Public-IP"]).toBeUndefined();
    expect(headers["Gov-Client-Public-Port"]).toBeUndefined();
    expect(headers["Gov-Vendor-Forwarded"]).toBeUndefined();
    expect(Object.values(headers).join(" ")).not.toContain(ip);
    expect(notSent.find((n) => n.header === "Gov-Client-Public-IP")?.reason).toContain(words);
    expect(notSent.map((n) => n.header)).toEqual(expect.arrayContaining(["Gov-Client-Public-IP", "Gov-Client-Public-Port", "Gov-Vendor-Forwarded"]));
  });

  test("an unknown port (a proxy that hides it) is left out and reported, never guessed", () => {
    const { headers, notSent } = serverFraudHeaders({ ...ctx, client: { ip: CLIENT_IP, port: undefined, viaProxy: true, chain: [CLIENT_IP] } });
    expect(headers["Gov-Client-Public-IP"]).toBe(CLIENT_IP);
    expect(headers["Gov-Client-Public-Port"]).toBeUndefined();
    expect(notSent.map((n) => n.header)).toContain("Gov-Client-Public-Port");
  });

  test("without a (public) vendor address there is no Vendor-Public-IP and no half-empty Forwarded", () => {
    for (const vendorPublicIp of [null, "10.0.0.5"]) {
      const { headers, notSent } = serverFraudHeaders({ ...ctx, vendorPublicIp });
      expect(headers["Gov-Vendor-Public-IP"]).toBeUndefined();
      expect(headers["Gov-Vendor-Forwarded"]).toBeUndefined();
      expect(notSent.map((n) => n.header)).toEqual(expect.arrayContaining(["Gov-Vendor-Public-IP", "Gov-Vendor-Forwarded"]));
    }
  });

  test("Forwarded has one by/for pair per TLS-terminating hop, first hop first", () => {
    const cdnEgress = "18.168.4.77";
    const h = serverFraudHeaders({
      ...ctx,
      client: { ip: CLIENT_IP, port: 51234, viaProxy: true, chain: [CLIENT_IP, cdnEgress, "10.0.3.4"] },
      forwardedHops: ["35.176.9.200"],
    }).headers;
    expect(h["Gov-Vendor-Forwarded"]).toBe(`by=${VENDOR_IP}&for=${CLIENT_IP},by=35.176.9.200&for=${cdnEgress}`);
    const items = parseKeyValueList(h["Gov-Vendor-Forwarded"]!);
    expect(items.problems).toEqual([]);
  });

  test("a later hop with no public sender address is dropped, never sent half-empty", () => {
    const h = serverFraudHeaders({ ...ctx, client: { ...direct(CLIENT_IP), chain: [CLIENT_IP, "10.0.0.2"] }, forwardedHops: ["35.176.9.200"] }).headers;
    expect(h["Gov-Vendor-Forwarded"]).toBe(`by=${VENDOR_IP}&for=${CLIENT_IP}`);
  });

  test("User-IDs percent-encode the relay identity, separators literal", () => {
    const h = serverFraudHeaders({ ...ctx, userId: "entra:9188040d-6c67-4c5b-b112-36a304b66dad:alice@example.co.uk" }).headers;
    expect(h["Gov-Client-User-IDs"]).toBe("mtd-bridge=entra%3A9188040d-6c67-4c5b-b112-36a304b66dad%3Aalice%40example.co.uk");
    expect(parseKeyValues(h["Gov-Client-User-IDs"]!)).toEqual({ pairs: [["mtd-bridge", "entra:9188040d-6c67-4c5b-b112-36a304b66dad:alice@example.co.uk"]], problems: [] });
  });

  test("Multi-Factor comes from the sign-in's second factor, timestamp colons encoded; omitted and reported otherwise", () => {
    const withMfa = serverFraudHeaders({ ...ctx, multiFactor: { type: "OTHER", timestamp: "2025-09-21T14:00:00.000Z", uniqueReference: "a1b2c3" } }).headers;
    expect(withMfa["Gov-Client-Multi-Factor"]).toBe("type=OTHER&timestamp=2025-09-21T14%3A00%3A00.000Z&unique-reference=a1b2c3");
    const without = serverFraudHeaders(ctx);
    expect(without.headers["Gov-Client-Multi-Factor"]).toBeUndefined();
    expect(without.notSent.map((n) => n.header)).toContain("Gov-Client-Multi-Factor");
  });

  test("License-IDs carry the SHA-256 of the configured key, never the key; omitted without one", () => {
    const key = "MTDB-2025-ABCD-EFGH";
    const h = serverFraudHeaders({ ...ctx, licenseKey: key }).headers;
    const sha = createHash("sha256").update(key).digest("hex");
    expect(hashedLicence(key)).toBe(sha);
    expect(h["Gov-Vendor-License-IDs"]).toBe(`mtd-bridge=${sha}`);
    expect(JSON.stringify(h)).not.toContain(key);
    expect(serverFraudHeaders(ctx).notSent.map((n) => n.header)).toContain("Gov-Vendor-License-IDs");
  });

  test("no placeholder values and no empty list items anywhere", () => {
    const { headers } = serverFraudHeaders({ ...ctx, client: direct("127.0.0.1"), vendorPublicIp: null });
    for (const value of Object.values(headers)) {
      expect(value).not.toMatch(/^(null|undefined)?$|=(null|undefined)?(&|,|$)|,,|^,|,$/);
    }
  });
});

describe("the client's address behind a proxy", () => {
  async function observe(trustProxy: string[] | null, clientPortHeader: string | null, request: { remoteAddress: string; headers: Record<string, string> }) {
    const app = Fastify({ trustProxy: trustProxy ?? false });
    app.get("/", async (req) => observedClient(req, { trustProxy, clientPortHeader }));
    const res = await app.inject({ method: "GET", url: "/", remoteAddress: request.remoteAddress, headers: request.headers });
    await app.close();
    return res.json<ObservedClient>();
  }

  test("X-Forwarded-For from a trusted proxy gives the client's address, its port from the port header", async () => {
    const seen = await observe(["127.0.0.1"], "x-client-port", { remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": CLIENT_IP, "x-client-port": "50123", "x-forwarded-port": "443" } });
    expect(seen).toMatchObject({ ip: CLIENT_IP, port: 50123, viaProxy: true });
  });

  test("a proxy that appends the client port to X-Forwarded-For (ip:port) is understood", async () => {
    const seen = await observe(["127.0.0.1"], null, { remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": `${CLIENT_IP}:50124` } });
    expect(seen).toMatchObject({ ip: CLIENT_IP, port: 50124, viaProxy: true });
  });

  test("X-Forwarded-Port (the server's port) is never used as the client's port", async () => {
    const seen = await observe(["127.0.0.1"], null, { remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": CLIENT_IP, "x-forwarded-port": "443" } });
    expect(seen).toMatchObject({ ip: CLIENT_IP, viaProxy: true });
    expect(seen.port).toBeUndefined();
  });

  test("an untrusted peer's X-Forwarded-For and port header are ignored", async () => {
    const seen = await observe(["10.0.0.0/8"], "x-client-port", { remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": CLIENT_IP, "x-client-port": "50123" } });
    expect(seen).toMatchObject({ ip: "127.0.0.1", viaProxy: false });
    expect(seen.port).not.toBe(50123);
  });

  test("without TRUST_PROXY, X-Forwarded-For is never read", async () => {
    const seen = await observe(null, null, { remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": CLIENT_IP } });
    expect(seen).toMatchObject({ ip: "127.0.0.1", viaProxy: false });
  });

  test("the chain runs from the client inwards through trusted proxies", async () => {
    const seen = await observe(["127.0.0.1", "18.168.0.0/16"], null, { remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": `${CLIENT_IP}, 18.168.4.77` } });
    expect(seen.chain).toEqual([CLIENT_IP, "18.168.4.77", "127.0.0.1"]);
  });

  test.each([
    [`${CLIENT_IP}:443`, CLIENT_IP, 443],
    ["[2a00:1450::1]:5000", "2a00:1450::1", 5000],
    ["2a00:1450::1", "2a00:1450::1", undefined],
    [`${CLIENT_IP}:0`, CLIENT_IP, undefined],
    [`${CLIENT_IP}:70000`, CLIENT_IP, undefined],
  ])("splitHostPort(%s)", (entry, host, port) => {
    expect(splitHostPort(entry)).toEqual({ host, port });
  });
});

describe("strict mode's refusal", () => {
  test("lists the validator's errors in our HMRC-shaped error body", () => {
    const body = strictRefusalBody({
      specVersion: "3.3",
      code: "INVALID_HEADERS",
      message: "At least 1 header is invalid",
      errors: [{ code: "MISSING_HEADER", message: "Header required", headers: ["gov-client-public-port"] }],
    });
    expect(body?.code).toBe("RELAY_FRAUD_HEADERS_INVALID");
    expect(body?.message).toContain("gov-client-public-port: Header required");
  });

  test("warnings alone do not refuse", () => {
    expect(strictRefusalBody({ specVersion: "3.3", code: "POTENTIALLY_INVALID_HEADERS", message: "m", warnings: [{ code: "MISSING_HEADER", message: "x", headers: ["gov-client-multi-factor"] }] })).toBeUndefined();
  });

  test("the checked set is exactly browser half + server half, without Gov-Test-Scenario", () => {
    const server = serverFraudHeaders({
      client: direct(CLIENT_IP),
      receivedAt: new Date(),
      userId: "u",
      multiFactor: undefined,
      addinVersion: "1",
      relayVersion: "1",
      vendorPublicIp: VENDOR_IP,
      forwardedHops: [],
      licenseKey: null,
    });
    const set = fraudHeaderSet({ ...BROWSER_HEADERS, "Gov-Test-Scenario": "DEFAULT" }, server);
    expect(set.headers).toEqual({ ...BROWSER_HEADERS, ...server.headers });
  });
});
