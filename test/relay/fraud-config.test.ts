import { randomBytes } from "node:crypto";
import { ConfigError, loadConfig } from "../../src/relay/config";
import { tempDir } from "./helpers";

const HMRC_SANDBOX = {
  HMRC_BASE_URL: "https://test-api.service.hmrc.gov.uk",
  HMRC_CLIENT_ID: "id",
  HMRC_CLIENT_SECRET: "secret",
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  PUBLIC_URL: "https://mtd.example.co.uk",
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig({ DATA_DIR: tempDir(), ...env });
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe("fraud-prevention header settings", () => {
  test("defaults: strict off against the local sandbox (loopback clients), on against HMRC; no licence, port header or extra hops", () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).fraudHeaders).toEqual({ strict: false, licenseKey: null, clientPortHeader: null, forwardedHops: [] });
    expect(loadConfig({ DATA_DIR: tempDir(), ...HMRC_SANDBOX }).fraudHeaders.strict).toBe(true);
  });

  test("explicit settings are read", () => {
    const c = loadConfig({
      DATA_DIR: tempDir(),
      ...HMRC_SANDBOX,
      FRAUD_HEADERS_STRICT: "false",
      LICENSE_KEY: "MTDB-0001",
      CLIENT_PORT_HEADER: "X-Client-Port",
      VENDOR_FORWARDED_HOPS: "35.176.9.200, 2a05:d01c::1",
    });
    expect(c.fraudHeaders).toEqual({ strict: false, licenseKey: "MTDB-0001", clientPortHeader: "x-client-port", forwardedHops: ["35.176.9.200", "2a05:d01c::1"] });
  });

  test.each([
    [{ FRAUD_HEADERS_STRICT: "yes" }, /FRAUD_HEADERS_STRICT must be true or false/],
    [{ CLIENT_PORT_HEADER: "X-Forwarded-Port" }, /X-Forwarded-Port is the server's port/],
    [{ CLIENT_PORT_HEADER: "bad header:" }, /CLIENT_PORT_HEADER must name the header/],
    [{ VENDOR_FORWARDED_HOPS: "cdn.example.com" }, /VENDOR_FORWARDED_HOPS must list/],
    [{ LICENSE_KEY: "x".repeat(513) }, /LICENSE_KEY must be at most 512/],
  ])("%j is refused with a plain explanation", (env, message) => {
    expect(problemsOf(env)).toEqual([expect.stringMatching(message)]);
  });
});
