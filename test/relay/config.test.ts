import { readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { ConfigError, DEV_KEY_FILE, loadConfig, LOCAL_SANDBOX_CLIENT_ID, LOCAL_SANDBOX_CLIENT_SECRET } from "../../src/relay/config";
import { tempDir } from "./helpers";

const KEY = randomBytes(32).toString("base64");

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  test("with nothing set, it talks to the local sandbox with the sandbox's dev client", () => {
    const dataDir = tempDir();
    const c = loadConfig({ DATA_DIR: dataDir });
    expect(c.port).toBe(3000);
    expect(c.host).toBe("127.0.0.1");
    expect(c.publicUrl).toBe("http://localhost:3000");
    expect(c.redirectUri).toBe("http://localhost:3000/auth/callback");
    expect(c.hmrcBaseUrl).toBe("http://localhost:3100");
    expect(c.environment).toBe("local-sandbox");
    expect(c.clientId).toBe(LOCAL_SANDBOX_CLIENT_ID);
    expect(c.clientSecret).toBe(LOCAL_SANDBOX_CLIENT_SECRET);
    expect(c.databasePath).toBe(join(dataDir, "relay.sqlite"));
    expect(c.sessionTtlSeconds).toBe(3600);
    expect(c.identity).toEqual({ mode: "local", entra: null });
    expect(c.upstreamTimeoutMs).toBe(30_000);
    expect(c.maxBodyBytes).toBe(100 * 1024);
    expect(c.trustProxy).toBeNull();
    expect(c.vendorPublicIp).toBeNull();
    const pkg = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")) as { version: string };
    expect(c.addinVersion).toBe(pkg.version);
    expect(c.relayVersion).toBe(pkg.version);
  });

  test("PORT and SANDBOX_PORT shape the default URLs", () => {
    const c = loadConfig({ DATA_DIR: tempDir(), PORT: "4000", SANDBOX_PORT: "4100" });
    expect(c.publicUrl).toBe("http://localhost:4000");
    expect(c.hmrcBaseUrl).toBe("http://localhost:4100");
  });

  test("in local-sandbox mode a key is generated once, kept owner-only, and reused", () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    const file = join(dataDir, DEV_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64")).toEqual(first.tokenKey.key);
    expect(first.tokenKey.key).toHaveLength(32);
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(second.tokenKey.key).toEqual(first.tokenKey.key);
    expect(second.tokenKey.id).toBe(first.tokenKey.id);
    expect(loadConfig({ DATA_DIR: tempDir() }).tokenKey.key).not.toEqual(first.tokenKey.key);
  });

  test("a corrupt dev key file is reported, not replaced", () => {
    const dataDir = tempDir();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, DEV_KEY_FILE), "too-short", { mode: 0o600 });
    expect(problemsOf({ DATA_DIR: dataDir }).join("\n")).toMatch(/relay-dev\.key must be the base64 of exactly 32 random bytes/);
  });

  test("HMRC's sandbox and production need credentials and a key, and every problem is listed at once", () => {
    const problems = problemsOf({ HMRC_BASE_URL: "https://api.service.hmrc.gov.uk", DATA_DIR: tempDir(), PORT: "eighty" });
    expect(problems).toEqual([
      'PORT must be a whole number from 0 to 65535; it is "eighty".',
      "HMRC_CLIENT_ID is required when talking to production (your application's client ID from the HMRC Developer Hub).",
      "HMRC_CLIENT_SECRET is required when talking to production (your application's client secret from the HMRC Developer Hub).",
      "TOKEN_ENCRYPTION_KEY is required when talking to production: the base64 of 32 random bytes (for example: openssl rand -base64 32).",
    ]);
    expect(() => loadConfig({ HMRC_BASE_URL: "https://api.service.hmrc.gov.uk" })).toThrow(/^The relay's configuration has 3 problems:\n {2}- HMRC_CLIENT_ID/);
  });

  test("environments are told apart by host", () => {
    const env = { HMRC_CLIENT_ID: "id", HMRC_CLIENT_SECRET: "secret", TOKEN_ENCRYPTION_KEY: KEY, PUBLIC_URL: "https://addin.example" };
    expect(loadConfig({ ...env, HMRC_BASE_URL: "https://test-api.service.hmrc.gov.uk/" }).environment).toBe("hmrc-sandbox");
    expect(loadConfig({ ...env, HMRC_BASE_URL: "https://test-api.service.hmrc.gov.uk/" }).hmrcBaseUrl).toBe("https://test-api.service.hmrc.gov.uk");
    expect(loadConfig({ ...env, HMRC_BASE_URL: "https://api.service.hmrc.gov.uk" }).environment).toBe("production");
    expect(loadConfig({ ...env, HMRC_BASE_URL: "http://127.0.0.1:9999" }).environment).toBe("local-sandbox");
    expect(loadConfig({ ...env, HMRC_BASE_URL: "http://[::1]:9999" }).environment).toBe("local-sandbox");
  });

  test("a non-loopback HMRC or public URL must be https", () => {
    const env = { HMRC_CLIENT_ID: "id", HMRC_CLIENT_SECRET: "secret", TOKEN_ENCRYPTION_KEY: KEY };
    expect(problemsOf({ ...env, HMRC_BASE_URL: "http://api.service.hmrc.gov.uk" })).toEqual([
      "HMRC_BASE_URL must use https when it is not the local sandbox; it is http://api.service.hmrc.gov.uk.",
    ]);
    expect(problemsOf({ ...env, DATA_DIR: tempDir(), PUBLIC_URL: "http://addin.example" })).toEqual([
      "PUBLIC_URL must use https unless it is on this machine (HMRC redirects to plain http only on localhost); it is http://addin.example.",
    ]);
    expect(problemsOf({ ...env, DATA_DIR: tempDir(), HMRC_BASE_URL: "ftp://x" })[0]).toMatch(/HMRC_BASE_URL must start with https:\/\//);
    expect(problemsOf({ ...env, DATA_DIR: tempDir(), PUBLIC_URL: "https://a.example/?x=1" })[0]).toMatch(/must not contain a user name, password, query or fragment/);
  });

  test("the encryption key must be 32 bytes of base64", () => {
    expect(problemsOf({ DATA_DIR: tempDir(), TOKEN_ENCRYPTION_KEY: randomBytes(16).toString("base64") })).toEqual([
      "TOKEN_ENCRYPTION_KEY must be the base64 of exactly 32 random bytes (for example: openssl rand -base64 32).",
    ]);
  });

  test("numbers, IPs, proxies, versions and log level are checked", () => {
    const problems = problemsOf({
      DATA_DIR: tempDir(),
      SESSION_TTL_SECONDS: "5",
      UPSTREAM_TIMEOUT_MS: "-1",
      MAX_BODY_BYTES: "1e6",
      VENDOR_PUBLIC_IP: "example.com",
      TRUST_PROXY: "true",
      RELAY_VERSION: "1.0 beta",
      LOG_LEVEL: "loud",
    });
    expect(problems).toEqual([
      'VENDOR_PUBLIC_IP must be an IP address (the public address your users\' requests arrive at); it is "example.com".',
      'TRUST_PROXY must list the addresses or ranges of the proxies in front of the relay, comma-separated (e.g. 10.0.0.0/8, loopback); "true" is not such a list.',
      'RELAY_VERSION must be a short version such as 1.2.3 (letters, digits, ".", "+", "-"); it is "1.0 beta".',
      'LOG_LEVEL must be one of silent, fatal, error, warn, info, debug, trace; it is "loud".',
      'SESSION_TTL_SECONDS must be a whole number from 60 to 604800 seconds; it is "5".',
      'UPSTREAM_TIMEOUT_MS must be a whole number from 100 to 300000 milliseconds; it is "-1".',
      'MAX_BODY_BYTES must be a whole number from 1024 to 10485760 bytes; it is "1e6".',
    ]);
  });

  test("valid optional settings are taken", () => {
    const c = loadConfig({
      DATA_DIR: tempDir(),
      DATABASE_PATH: ":memory:",
      VENDOR_PUBLIC_IP: "203.0.113.6",
      TRUST_PROXY: "10.0.0.0/8, loopback, 2001:db8::1",
      SESSION_TTL_SECONDS: "3600",
      ADDIN_VERSION: "2.1.0",
      LOG_LEVEL: "warn",
    });
    expect(c.databasePath).toBe(":memory:");
    expect(c.vendorPublicIp).toBe("203.0.113.6");
    expect(c.trustProxy).toEqual(["10.0.0.0/8", "loopback", "2001:db8::1"]);
    expect(c.sessionTtlSeconds).toBe(3600);
    expect(c.addinVersion).toBe("2.1.0");
    expect(c.logLevel).toBe("warn");
  });
});
