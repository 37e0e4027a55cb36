import {
  browserFraudHeaders,
  isSafeHeaderValue,
  keyValues,
  normaliseIp,
  percentEncode,
  serverFraudHeaders,
  type ServerFraudContext,
} from "../../src/relay/fraud-headers";
import { BROWSER_HEADERS } from "./helpers";

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));

describe("encoding (spec: Getting it right)", () => {
  test("percentEncode is RFC 3986 strict, including !'()*", () => {
    expect(percentEncode("MTD Bridge")).toBe("MTD%20Bridge");
    expect(percentEncode("alice@example.co.uk")).toBe("alice%40example.co.uk");
    expect(percentEncode("a!b'c(d)e*f")).toBe("a%21b%27c%28d%29e%2Af");
    expect(percentEncode("A-Z.a_z~09")).toBe("A-Z.a_z~09");
    expect(percentEncode("2001:db8::1")).toBe("2001%3Adb8%3A%3A1");
  });

  test("keyValues encodes keys and values but never the separators", () => {
    expect(keyValues([["my app", "a=b&c"], ["v", "1.0"]])).toBe("my%20app=a%3Db%26c&v=1.0");
  });

  test("IPv4-mapped IPv6 is unwrapped", () => {
    expect(normaliseIp("::ffff:203.0.113.6")).toBe("203.0.113.6");
    expect(normaliseIp("2001:db8::1")).toBe("2001:db8::1");
  });

  test("header values must be printable ASCII", () => {
    expect(isSafeHeaderValue("Mozilla/5.0 (X11)")).toBe(true);
    for (const bad of ["a\r\nGov-Vendor-Public-IP: 1.2.3.4", "a\nb", "a\tb", "caf\u00e9", "\u0000", "x".repeat(1025)]) {
      expect(isSafeHeaderValue(bad)).toBe(false);
    }
  });
});

describe("browser half", () => {
  test("the spec's example values pass through unchanged", () => {
    const result = browserFraudHeaders(lower(BROWSER_HEADERS));
    expect(result).toEqual({ ok: true, value: BROWSER_HEADERS });
  });

  test("multiple screens and fractional scaling factors are accepted", () => {
    const screens = "width=1920&height=1080&scaling-factor=1&colour-depth=16,width=3000&height=2000&scaling-factor=1.100000023841858&colour-depth=24";
    expect(browserFraudHeaders({ "gov-client-screens": screens })).toEqual({ ok: true, value: { "Gov-Client-Screens": screens } });
  });

  test("only allow-listed headers are taken; absent ones are simply absent", () => {
    const result = browserFraudHeaders({ "gov-client-timezone": "UTC-05:00", "gov-client-public-ip": "1.2.3.4", "gov-vendor-version": "x=1" });
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
});

describe("server half", () => {
  const ctx: ServerFraudContext = {
    clientIp: "::ffff:198.51.100.7",
    clientPort: 51234,
    receivedAt: new Date("2025-09-21T14:30:05.000Z"),
    userId: "5b1c3d0e-1111-4222-8333-444455556666",
    addinVersion: "0.1.0",
    relayVersion: "0.2.0",
    vendorPublicIp: "203.0.113.6",
  };

  test("WEB_APP_VIA_SERVER headers, formatted per spec 3.3", () => {
    expect(serverFraudHeaders(ctx)).toEqual({
      "Gov-Client-Connection-Method": "WEB_APP_VIA_SERVER",
      "Gov-Client-Public-IP": "198.51.100.7",
      "Gov-Client-Public-IP-Timestamp": "2025-09-21T14:30:05.000Z",
      "Gov-Client-Public-Port": "51234",
      "Gov-Client-User-IDs": "mtd-bridge=5b1c3d0e-1111-4222-8333-444455556666",
      "Gov-Vendor-Version": "mtd-bridge-addin=0.1.0&mtd-bridge-relay=0.2.0",
      "Gov-Vendor-Product-Name": "MTD%20Bridge",
      "Gov-Vendor-Public-IP": "203.0.113.6",
      "Gov-Vendor-Forwarded": "by=203.0.113.6&for=198.51.100.7",
    });
  });

  test("IPv6 in Forwarded is percent-encoded; unknown port and vendor IP are left out", () => {
    const v6 = serverFraudHeaders({ ...ctx, clientIp: "2001:db8::7", clientPort: null });
    expect(v6["Gov-Client-Public-IP"]).toBe("2001:db8::7");
    expect(v6["Gov-Vendor-Forwarded"]).toBe("by=203.0.113.6&for=2001%3Adb8%3A%3A7");
    expect(v6["Gov-Client-Public-Port"]).toBeUndefined();
    const noVendor = serverFraudHeaders({ ...ctx, vendorPublicIp: null });
    expect(noVendor["Gov-Vendor-Public-IP"]).toBeUndefined();
    expect(noVendor["Gov-Vendor-Forwarded"]).toBeUndefined();
  });
});
