import { startSandbox } from "../../src/sandbox/main";

describe("startSandbox", () => {
  it("listens on loopback, reports its URL, serves, and closes", async () => {
    const sandbox = await startSandbox(0, "127.0.0.1", { now: () => new Date("2025-07-20T10:00:00Z") });
    try {
      expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(sandbox.url).not.toMatch(/:0$/);
      const res = await fetch(`${sandbox.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok", service: "hmrc-sandbox" });
      expect(res.headers.get("x-correlationid")).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await sandbox.close();
    }
    await expect(fetch(`${sandbox.url}/healthz`)).rejects.toThrow();
  });
});
