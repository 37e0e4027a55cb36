/** The task pane's relay client with the browser half: collected per call (asynchronously), and the check. */
import { BrowserFraudData, type BrowserSource } from "../../src/addin/fraud/browser-headers";
import { RelayClient } from "../../src/addin/relay-client";

function fakeWindow(): BrowserSource {
  const storage = new Map<string, string>();
  return {
    navigator: { userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)" },
    screen: { width: 1512, height: 982, colorDepth: 30 },
    devicePixelRatio: 2,
    innerWidth: 320,
    innerHeight: 700,
    crypto: { randomUUID: () => "3f1c9a52-7d4e-4b8a-9c2d-1e5f6a7b8c9d" },
    localStorage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  };
}

function relayWith(answer: (url: string) => Response) {
  const calls: Array<{ url: string; headers: Headers }> = [];
  const data = new BrowserFraudData(fakeWindow(), undefined);
  const relay = new RelayClient({
    fetch: async (input, init) => {
      calls.push({ url: String(input), headers: new Headers(init?.headers) });
      return answer(String(input));
    },
    sessionToken: () => "session-token",
    clientHeaders: () => data.headers(),
  });
  return { relay, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const CHECK = {
  specVersion: "3.3",
  code: "POTENTIALLY_INVALID_HEADERS",
  message: "At least 1 header is potentially invalid",
  connectionMethod: "WEB_APP_VIA_SERVER",
  strict: false,
  headers: [{ header: "Gov-Client-Timezone", value: "UTC+00:00", verdict: "valid", messages: [] }],
  notSent: [{ header: "Gov-Client-Multi-Factor", reason: "You signed in to MTD Bridge without a second factor." }],
};

describe("the relay client with the browser's fraud-prevention data", () => {
  it("sends the five browser headers, collected for the call, with every HMRC call", async () => {
    const { relay, calls } = relayWith(() => json(200, {}));
    await relay.hmrc("GET", "/individuals/business/details/AA123456A/list");
    const h = calls[0]!.headers;
    expect(h.get("gov-client-screens")).toBe("width=1512&height=982&scaling-factor=2&colour-depth=30");
    expect(h.get("gov-client-window-size")).toBe("width=320&height=700");
    expect(h.get("gov-client-device-id")).toBe("3f1c9a52-7d4e-4b8a-9c2d-1e5f6a7b8c9d");
    expect(h.get("gov-client-timezone")).toMatch(/^UTC[+-]\d{2}:\d{2}$/);
    expect(h.get("gov-client-browser-js-user-agent")).toContain("Macintosh");
    expect([...h.keys()].filter((k) => k.startsWith("gov-vendor") || k.startsWith("gov-client-public"))).toEqual([]);
  });

  it("asks the relay's check with the same headers and the session, and returns its verdict", async () => {
    const { relay, calls } = relayWith(() => json(200, CHECK));
    await expect(relay.fraudHeadersCheck()).resolves.toEqual(CHECK);
    expect(calls[0]!.url).toBe("/api/fraud-headers/check");
    expect(calls[0]!.headers.get("authorization")).toBe("Bearer session-token");
    expect(calls[0]!.headers.get("gov-client-device-id")).toBe("3f1c9a52-7d4e-4b8a-9c2d-1e5f6a7b8c9d");
  });

  it("refuses an answer that is not a check", async () => {
    const { relay } = relayWith(() => json(200, { code: "VALID_HEADERS" }));
    await expect(relay.fraudHeadersCheck()).rejects.toMatchObject({ failure: "bad-response" });
  });
});
