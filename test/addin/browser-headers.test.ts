import {
  browserFraudHeaders,
  deviceId,
  encodeUserAgent,
  formatTimezone,
  keyValues,
  percentEncode,
  type BrowserEnvironment,
} from "../../src/addin/fraud/browser-headers";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const env = (over: Partial<BrowserEnvironment> = {}): BrowserEnvironment => ({
  userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
  screen: { width: 1920, height: 1080, colorDepth: 24 },
  devicePixelRatio: 1.25,
  innerWidth: 350,
  innerHeight: 803,
  timezoneOffsetMinutes: -60,
  deviceId: "beec798b-b366-47fa-b1f8-92cede14a1ce",
  ...over,
});

class MemoryStorage {
  data = new Map<string, string>();
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.data.set(k, v);
  }
}

describe("Gov-Client-Timezone", () => {
  it.each([
    [0, "UTC+00:00"],
    [-60, "UTC+01:00"], // BST: local is ahead of UTC, getTimezoneOffset is negative
    [300, "UTC-05:00"],
    [-330, "UTC+05:30"],
    [-345, "UTC+05:45"],
    [75, "UTC-01:15"],
  ])("offset %i minutes is %s", (offset, expected) => {
    expect(formatTimezone(offset)).toBe(expected);
  });
});

describe("percent-encoding", () => {
  it("encodes everything outside RFC 3986's unreserved set, including !'()*", () => {
    expect(percentEncode("a b!'()*~-._@:")).toBe("a%20b%21%27%28%29%2A~-._%40%3A");
  });

  it("never encodes the = and & separators of a key-value header", () => {
    expect(keyValues([["my key", "a&b=c"], ["k2", 1.5]])).toBe("my%20key=a%26b%3Dc&k2=1.5");
  });

  it("keeps the user agent as reported, encoding only non-ASCII", () => {
    expect(encodeUserAgent("Mozilla/5.0 (X11; Linux x86_64) Ünï")).toBe("Mozilla/5.0 (X11; Linux x86_64) %C3%9Cn%C3%AF");
  });
});

describe("browserFraudHeaders", () => {
  it("formats the five browser headers of WEB_APP_VIA_SERVER", () => {
    expect(browserFraudHeaders(env())).toEqual({
      "Gov-Client-Browser-JS-User-Agent": env().userAgent,
      "Gov-Client-Device-ID": "beec798b-b366-47fa-b1f8-92cede14a1ce",
      "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=1.25&colour-depth=24",
      "Gov-Client-Window-Size": "width=350&height=803",
      "Gov-Client-Timezone": "UTC+01:00",
    });
  });

  it("sends whole positive pixels and a tidy scaling factor", () => {
    const h = browserFraudHeaders(env({ screen: { width: 1535.6, height: 0, colorDepth: 30 }, devicePixelRatio: 1.100000001, innerWidth: 319.5, innerHeight: 600.2 }));
    expect(h["Gov-Client-Screens"]).toBe("width=1536&height=1&scaling-factor=1.1&colour-depth=30");
    expect(h["Gov-Client-Window-Size"]).toBe("width=320&height=600");
  });
});

describe("device ID", () => {
  it("is a random UUID kept in storage under the partition key, and reused", () => {
    const storage = new MemoryStorage();
    const first = deviceId(storage, "excel.cloud.microsoft|", () => crypto.randomUUID());
    expect(first).toMatch(UUID);
    expect(storage.data.get("excel.cloud.microsoft|mtd-bridge.device-id")).toBe(first);
    expect(deviceId(storage, "excel.cloud.microsoft|", () => crypto.randomUUID())).toBe(first);
  });

  it("replaces a stored value that is not a UUID", () => {
    const storage = new MemoryStorage();
    storage.setItem("mtd-bridge.device-id", "alice@example.com");
    const id = deviceId(storage, undefined, () => crypto.randomUUID());
    expect(id).toMatch(UUID);
    expect(storage.getItem("mtd-bridge.device-id")).toBe(id);
  });

  it("falls back to one in-memory ID for the page when storage is blocked", () => {
    const blocked = {
      getItem(): string | null {
        throw new Error("SecurityError");
      },
      setItem(): void {
        throw new Error("SecurityError");
      },
    };
    const a = deviceId(blocked, undefined, () => crypto.randomUUID());
    const b = deviceId(blocked, undefined, () => crypto.randomUUID());
    expect(a).toMatch(UUID);
    expect(b).toBe(a);
  });
});
