/** Fault injection: each kind, path patterns, rate and count, and the SANDBOX_FAULTS parser. */
import { startSandbox } from "../../src/sandbox";
import { faultsFromEnv, pathPattern, type FaultRule } from "../../src/sandbox/faults";
import { call, clockAt, connect, inject, paths, sandbox } from "./helpers";

const LIST = paths.list();

async function listWith(faults: FaultRule[], random?: () => number) {
  const app = sandbox(clockAt("2025-07-20T10:00:00Z"), { faults, ...(random ? { random } : {}) });
  const token = await connect(app);
  return { app, send: () => call(app, "GET", LIST, { token, version: "2.0" }) };
}

describe("fault injection", () => {
  it("answers a 5xx in HMRC's shape, with the correlation id, for matching paths only", async () => {
    const { app, send } = await listWith([{ kind: "server-error", path: "/individuals/business/details/*/list", status: 502 }]);
    const res = await send();
    expect(res.statusCode).toBe(502);
    expect(res.json()).toEqual({ code: "BAD_GATEWAY", message: "The upstream service returned an invalid response" });
    expect(res.headers["x-correlationid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect((await inject(app, { url: "/healthz" })).statusCode).toBe(200);
  });

  it("throttles with 429 and Retry-After", async () => {
    const { send } = await listWith([{ kind: "rate-limit", path: "/individuals/**", retryAfterSeconds: 7 }]);
    const res = await send();
    expect(res.statusCode).toBe(429);
    expect(res.headers["retry-after"]).toBe("7");
    expect(res.json().code).toBe("MESSAGE_THROTTLED_OUT");
  });

  it("applies only to the first `count` matching requests", async () => {
    const { send } = await listWith([{ kind: "server-error", path: "/individuals/**", count: 2 }]);
    expect([(await send()).statusCode, (await send()).statusCode, (await send()).statusCode]).toEqual([503, 503, 200]);
  });

  it("applies to the share `rate` of requests (random source pinned)", async () => {
    const draws = [0.05, 0.5, 0.09, 0.95];
    const { send } = await listWith([{ kind: "server-error", path: "/individuals/**", rate: 0.1 }], () => draws.shift()!);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await send()).statusCode);
    expect(statuses).toEqual([503, 200, 503, 200]);
  });

  it("marks a deprecated version with Deprecation, Sunset and Link and still answers", async () => {
    const { send } = await listWith([{ kind: "deprecated", path: "/individuals/business/details/**", sunset: "Wed, 01 Apr 2026 00:00:00 UTC", link: "https://example.test/docs" }]);
    const res = await send();
    expect(res.statusCode).toBe(200);
    expect(res.headers.deprecation).toBe("Sun, 01 Jan 2023 23:59:59 UTC");
    expect(res.headers.sunset).toBe("Wed, 01 Apr 2026 00:00:00 UTC");
    expect(res.headers.link).toBe("https://example.test/docs");
  });

  it("limits a rule to one API version when asked (the deprecated one)", async () => {
    const { send } = await listWith([{ kind: "deprecated", path: "/individuals/**", version: "1.0" }]);
    expect((await send()).headers.deprecation).toBeUndefined();
    const { send: send2 } = await listWith([{ kind: "deprecated", path: "/individuals/**", version: "2.0" }]);
    expect((await send2()).headers.deprecation).toBeDefined();
  });

  it("adds latency and then answers normally", async () => {
    const { send } = await listWith([{ kind: "latency", path: "/individuals/**", latencyMs: 5 }]);
    expect((await send()).statusCode).toBe(200);
  });

  it("drops the connection without a response (real socket)", async () => {
    const running = await startSandbox(0, "127.0.0.1", { faults: [{ kind: "drop", path: "/healthz", count: 1 }] });
    try {
      await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it("drops an injected request too: inject rejects instead of answering", async () => {
    const app = sandbox(clockAt("2025-07-20T10:00:00Z"), { faults: [{ kind: "drop", path: "/healthz" }] });
    await expect(inject(app, { url: "/healthz" })).rejects.toThrow(/connection dropped/);
  });

  it("matches * within one segment and ** across segments", () => {
    expect(pathPattern("/a/*/c").test("/a/b/c")).toBe(true);
    expect(pathPattern("/a/*/c").test("/a/b/x/c")).toBe(false);
    expect(pathPattern("/a/**").test("/a/b/x/c")).toBe(true);
    expect(pathPattern("/a.b").test("/aXb")).toBe(false);
  });

  it("reads SANDBOX_FAULTS and explains what is wrong with it", () => {
    expect(faultsFromEnv(undefined)).toEqual([]);
    expect(faultsFromEnv('[{"kind":"rate-limit","path":"/individuals/**","rate":0.5}]')).toEqual([{ kind: "rate-limit", path: "/individuals/**", rate: 0.5 }]);
    expect(() => faultsFromEnv("{")).toThrow(/JSON array/);
    expect(() => faultsFromEnv('[{"kind":"explode","path":"/"}]')).toThrow(/kind must be one of/);
    expect(() => faultsFromEnv('[{"kind":"server-error","path":"/","status":418}]')).toThrow(/500, 502, 503 or 504/);
    expect(() => faultsFromEnv('[{"kind":"latency","path":"/"}]')).toThrow(/latencyMs/);
    expect(() => faultsFromEnv('[{"kind":"drop","path":"/","rate":2}]')).toThrow(/rate must be a number from 0 to 1/);
  });
});
