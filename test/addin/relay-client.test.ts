import { RelayClient, RelayError } from "../../src/addin/relay-client";

type Handler = (url: string, init: RequestInit) => Response | Promise<Response>;

function client(handler: Handler, options: { token?: string; timeoutMs?: number; headers?: Record<string, string> } = {}) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchFn: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), init: init ?? {} });
    return handler(String(input), init ?? {});
  };
  const relay = new RelayClient({
    fetch: fetchFn,
    sessionToken: () => options.token,
    clientHeaders: () => options.headers ?? {},
    timeoutMs: options.timeoutMs ?? 1000,
  });
  return { relay, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

describe("RelayClient", () => {
  it("reads the identity mode, and refuses an answer that does not say how to sign in", async () => {
    const entra = { mode: "entra", tenantId: "t", clientId: "c", scope: "api://c/access_as_user" };
    await expect(client(() => json(200, { ...entra, extra: 1 })).relay.identity()).resolves.toEqual(entra);
    await expect(client(() => json(200, { mode: "local" })).relay.identity()).resolves.toEqual({ mode: "local" });
    await expect(client(() => json(200, { mode: "entra", tenantId: "t" })).relay.identity()).rejects.toMatchObject({ failure: "bad-response" });
    await expect(client(() => json(200, { mode: "other" })).relay.identity()).rejects.toMatchObject({ failure: "bad-response" });
  });

  it("entra mode: start and claim carry the bearer, and a 204 claim means no session", async () => {
    const c = client(() => new Response(null, { status: 204 }), { token: "ms-token" });
    await expect(c.relay.claim("s", "v", { bearer: true })).resolves.toBeNull();
    expect(new Headers(c.calls[0]!.init.headers).get("authorization")).toBe("Bearer ms-token");
    // Local mode still insists on a session in the answer.
    await expect(client(() => new Response(null, { status: 204 })).relay.claim("s", "v")).rejects.toMatchObject({ failure: "bad-response" });
  });

  it("posts the challenge and accepts only a same-origin dialog path", async () => {
    const good = client(() => json(200, { sid: "s1", dialogUrl: "/dialog.html?sid=s1" }));
    await expect(good.relay.startAuth("c")).resolves.toEqual({ sid: "s1", dialogUrl: "/dialog.html?sid=s1" });
    expect(good.calls[0]!.url).toBe("/api/auth/start");
    expect(good.calls[0]!.init.method).toBe("POST");
    expect(JSON.parse(String(good.calls[0]!.init.body))).toEqual({ challenge: "c" });
    expect(new Headers(good.calls[0]!.init.headers).get("authorization")).toBeNull();

    for (const dialogUrl of ["https://evil.example/x", "//evil.example/x", "dialog.html"]) {
      const bad = client(() => json(200, { sid: "s1", dialogUrl }));
      await expect(bad.relay.startAuth("c")).rejects.toMatchObject({ failure: "bad-response" });
    }
  });

  it("sends the bearer session, the browser fraud headers and the query to HMRC calls", async () => {
    const { relay, calls } = client(() => json(200, { ok: 1 }, { "X-CorrelationId": "corr-9" }), {
      token: "tok",
      headers: { "Gov-Client-Timezone": "UTC+00:00" },
    });
    const res = await relay.hmrc<{ ok: number }>("GET", "/obligations/details/AA123456A/income-and-expenditure", {
      query: { typeOfBusiness: "uk-property", businessId: "XPIS12345678901", status: undefined },
      testScenario: "OPEN",
    });
    expect(res).toMatchObject({ status: 200, body: { ok: 1 }, correlationId: "corr-9", receiptId: undefined });
    expect(calls[0]!.url).toBe("/api/hmrc/obligations/details/AA123456A/income-and-expenditure?typeOfBusiness=uk-property&businessId=XPIS12345678901");
    const headers = new Headers(calls[0]!.init.headers);
    expect(headers.get("authorization")).toBe("Bearer tok");
    expect(headers.get("gov-client-timezone")).toBe("UTC+00:00");
    expect(headers.get("gov-test-scenario")).toBe("OPEN");
    expect(calls[0]!.init.credentials).toBe("omit");
  });

  it("returns the receipt id of a write", async () => {
    const { relay, calls } = client(() => new Response(null, { status: 204, headers: { "X-Mtd-Receipt-Id": "r-1", "X-CorrelationId": "c-1" } }), { token: "t" });
    const res = await relay.hmrc("PUT", "/x", { body: { a: 1 } });
    expect(res).toMatchObject({ status: 204, body: undefined, receiptId: "r-1", correlationId: "c-1" });
    expect(new Headers(calls[0]!.init.headers).get("content-type")).toBe("application/json");
    expect(calls[0]!.init.body).toBe('{"a":1}');
  });

  it("refuses an authenticated call without a session before touching the network", async () => {
    const { relay, calls } = client(() => json(200, {}));
    await expect(relay.session()).rejects.toMatchObject({ status: 401, code: "RELAY_NOT_CONNECTED" });
    expect(calls).toHaveLength(0);
  });

  it("turns HMRC's error bodies into typed errors with plain messages and paths", async () => {
    const body = {
      code: "INVALID_REQUEST",
      message: "Invalid request",
      errors: [
        { code: "FORMAT_VALUE", message: "The value must be between 0 and 99999999999.99", paths: ["/ukProperty/income/periodAmount"] },
        { code: "RULE_SOMETHING_NEW", message: "Something new" },
      ],
    };
    const { relay } = client(() => json(400, body, { "X-CorrelationId": "corr-1" }), { token: "t" });
    const e = (await relay.hmrc("PUT", "/x", { body: {} }).catch((x: unknown) => x)) as RelayError;
    expect(e).toBeInstanceOf(RelayError);
    expect(e).toMatchObject({ failure: "http", status: 400, correlationId: "corr-1", code: "FORMAT_VALUE" });
    expect(e.details).toEqual([
      { code: "FORMAT_VALUE", message: expect.stringMatching(/outside HMRC's limits/) as unknown, paths: ["/ukProperty/income/periodAmount"] },
      { code: "RULE_SOMETHING_NEW", message: "Something new (HMRC code RULE_SOMETHING_NEW)", paths: [] },
    ]);
  });

  it("uses the relay's own messages for its own codes", async () => {
    const { relay } = client(() => json(401, { code: "RELAY_SESSION_EXPIRED", message: "expired" }), { token: "t" });
    await expect(relay.session()).rejects.toMatchObject({ message: expect.stringMatching(/session has ended/) as unknown, code: "RELAY_SESSION_EXPIRED" });
  });

  it("explains a server error without a body", async () => {
    const { relay } = client(() => new Response("<html>bad gateway</html>", { status: 502 }), { token: "t" });
    await expect(relay.session()).rejects.toMatchObject({ failure: "http", status: 502, message: expect.stringMatching(/try again/) as unknown });
  });

  it("times out a request that never answers", async () => {
    const { relay } = client(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) => {
          init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
        }),
      { token: "t", timeoutMs: 20 },
    );
    await expect(relay.session()).rejects.toMatchObject({ failure: "timeout", message: expect.stringMatching(/Receipts/) as unknown });
  });

  it("reports an unreachable relay as a network failure", async () => {
    const { relay } = client(() => {
      throw new TypeError("Failed to fetch");
    }, { token: "t" });
    await expect(relay.session()).rejects.toMatchObject({ failure: "network" });
  });

  it("validates receipts", async () => {
    const ok = client(() => json(200, { receipts: [{ id: "r1", status: 204, receivedAt: "2026-01-01T00:00:00Z" }] }), { token: "t" });
    await expect(ok.relay.receipts({ nino: "AA123456A", taxYear: "2026-27", limit: 5 })).resolves.toHaveLength(1);
    expect(ok.calls[0]!.url).toBe("/api/receipts?nino=AA123456A&taxYear=2026-27&limit=5");
    const bad = client(() => json(200, { receipts: [{ id: 1 }] }), { token: "t" });
    await expect(bad.relay.receipts({})).rejects.toMatchObject({ failure: "bad-response" });
  });
});
