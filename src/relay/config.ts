/**
 * Relay configuration from environment variables (DESIGN.md §5), validated once at start. Every problem is
 * collected and reported together in plain words, so a misconfigured deployment fails fast and says why.
 * With no HMRC credentials, the relay talks to the local sandbox with the sandbox's development client.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { dirname, join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import type { SessionInfo } from "../mtd";
import { parseIdentitySettings, parseProtectionSettings, type IdentitySettings, type ProtectionSettings } from "./identity/settings";
import { encryptionKeyId, type EncryptionKey } from "./crypto";

export type HmrcEnvironment = SessionInfo["environment"];
export type LogLevel = "silent" | "fatal" | "error" | "warn" | "info" | "debug" | "trace";

export interface RelayConfig {
  port: number;
  host: string;
  /** Origin the browser uses for the add-in, `/api` and `/auth` (no trailing slash). */
  publicUrl: string;
  /** `${publicUrl}/auth/callback`: must be registered with HMRC exactly. */
  redirectUri: string;
  /** HMRC API and OAuth base (no trailing slash). */
  hmrcBaseUrl: string;
  environment: HmrcEnvironment;
  clientId: string;
  clientSecret: string;
  /** Key that encrypts HMRC tokens at rest. */
  tokenKey: EncryptionKey;
  /** Older keys that still decrypt (key rotation); never used to encrypt. */
  previousTokenKeys: EncryptionKey[];
  dataDir: string;
  /** SQLite file, or ":memory:". */
  databasePath: string;
  /** PostgreSQL URL (postgres:// or postgresql://); when set, the store is PostgreSQL and databasePath is unused. */
  databaseUrl: string | null;
  /** PostgreSQL connections per relay instance. */
  databasePoolSize: number;
  addinDistDir: string;
  vendorPublicIp: string | null;
  /** Addresses or ranges of the proxies in front of the relay; null = never read X-Forwarded-For. */
  trustProxy: string[] | null;
  sessionTtlSeconds: number;
  upstreamTimeoutMs: number;
  maxBodyBytes: number;
  addinVersion: string;
  relayVersion: string;
  logLevel: LogLevel;
  /** Serve https itself (PEM certificate and key read at start), e.g. for sideloading into Excel; null = http. */
  tls: { cert: Buffer; key: Buffer } | null;
  fraudHeaders: FraudHeaderSettings;
  /** Who the relay's users are (IDENTITY_MODE, ENTRA_*). */
  identity: IdentitySettings;
  /** Rate limit, shutdown grace, upstream retries. */
  protection: ProtectionSettings;
}

/** Fraud-prevention header settings (reference/fraud-headers.md §2.2, §6). */
export interface FraudHeaderSettings {
  /** Refuse to forward a header set HMRC's validator rules find errors in (default: on, except local sandbox). */
  strict: boolean;
  /** The product licence key; only its SHA-256 is sent (Gov-Vendor-License-IDs); null = no licence, header omitted. */
  licenseKey: string | null;
  /** Lower-case header a trusted proxy sets to the client's source port (e.g. x-client-port); null = none. */
  clientPortHeader: string | null;
  /**
   * Public IPs of further TLS-terminating servers between the first (VENDOR_PUBLIC_IP) and the relay, in order
   * (e.g. a load balancer behind a CDN): each adds a Gov-Vendor-Forwarded hop. Empty when there are none.
   */
  forwardedHops: string[];
}

/** Thrown by loadConfig: `problems` lists each one; the message joins them for the console. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The relay's configuration has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** The local sandbox's development OAuth client (src/sandbox registers the same pair). */
export const LOCAL_SANDBOX_CLIENT_ID = "mtd-bridge-local";
export const LOCAL_SANDBOX_CLIENT_SECRET = "local-sandbox-secret";
export const DEV_KEY_FILE = "relay-dev.key";

const HMRC_PRODUCTION_HOST = "api.service.hmrc.gov.uk";
const LOG_LEVELS: readonly LogLevel[] = ["silent", "fatal", "error", "warn", "info", "debug", "trace"];
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+-]{0,31}$/;
const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

export function loadConfig(env: NodeJS.ProcessEnv): RelayConfig {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const int = (name: string, fallback: number, min: number, max: number, unit = ""): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}${unit}; it is "${raw}".`);
      return fallback;
    }
    return n;
  };

  const port = int("PORT", 3000, 0, 65535);
  const sandboxPort = int("SANDBOX_PORT", 3100, 1, 65535);
  const host = get("HOST") ?? "127.0.0.1";

  const tls = readTls(get("TLS_CERT_FILE"), get("TLS_KEY_FILE"), problems);
  const publicUrl = parseBaseUrl(get("PUBLIC_URL") ?? `${tls ? "https" : "http"}://localhost:${port}`, "PUBLIC_URL", problems);
  if (publicUrl && publicUrl.protocol !== "https:" && !isLoopbackHost(publicUrl.hostname)) {
    problems.push(`PUBLIC_URL must use https unless it is on this machine (HMRC redirects to plain http only on localhost); it is ${publicUrl.origin}.`);
  }
  const publicUrlText = publicUrl ? stripSlash(publicUrl.href) : "";

  const hmrcUrl = parseBaseUrl(get("HMRC_BASE_URL") ?? `${tls ? "https" : "http"}://localhost:${sandboxPort}`, "HMRC_BASE_URL", problems);
  const environment = hmrcUrl ? environmentOf(hmrcUrl) : "local-sandbox";
  if (hmrcUrl && environment !== "local-sandbox" && hmrcUrl.protocol !== "https:") {
    problems.push(`HMRC_BASE_URL must use https when it is not the local sandbox; it is ${hmrcUrl.origin}.`);
  }
  const local = environment === "local-sandbox";

  const clientId = get("HMRC_CLIENT_ID") ?? (local ? LOCAL_SANDBOX_CLIENT_ID : undefined);
  const clientSecret = get("HMRC_CLIENT_SECRET") ?? (local ? LOCAL_SANDBOX_CLIENT_SECRET : undefined);
  if (!clientId) problems.push(`HMRC_CLIENT_ID is required when talking to ${environment} (your application's client ID from the HMRC Developer Hub).`);
  if (!clientSecret) problems.push(`HMRC_CLIENT_SECRET is required when talking to ${environment} (your application's client secret from the HMRC Developer Hub).`);

  const dataDir = resolve(get("DATA_DIR") ?? ".data");
  const databasePathRaw = get("DATABASE_PATH") ?? join(dataDir, "relay.sqlite");
  const databasePath = databasePathRaw === ":memory:" ? databasePathRaw : resolve(databasePathRaw);

  let tokenKey: EncryptionKey | undefined;
  const keyText = get("TOKEN_ENCRYPTION_KEY");
  if (keyText !== undefined) {
    tokenKey = parseKey(keyText, "TOKEN_ENCRYPTION_KEY", problems);
  } else if (local) {
    tokenKey = devKey(dataDir, problems);
  } else {
    problems.push(`TOKEN_ENCRYPTION_KEY is required when talking to ${environment}: the base64 of 32 random bytes (for example: openssl rand -base64 32).`);
  }
  const previousTokenKeys = parsePreviousKeys(get("TOKEN_ENCRYPTION_KEYS_PREVIOUS"), problems);
  const databaseUrl = parseDatabaseUrl(get("DATABASE_URL"), problems);

  const vendorPublicIp = get("VENDOR_PUBLIC_IP") ?? null;
  if (vendorPublicIp !== null && isIP(vendorPublicIp) === 0) {
    problems.push(`VENDOR_PUBLIC_IP must be an IP address (the public address your users' requests arrive at); it is "${vendorPublicIp}".`);
  }

  const trustProxy = parseTrustProxy(get("TRUST_PROXY"), problems);

  const versions = packageVersion();
  const addinVersion = get("ADDIN_VERSION") ?? versions;
  const relayVersion = get("RELAY_VERSION") ?? versions;
  for (const [name, v] of [["ADDIN_VERSION", addinVersion], ["RELAY_VERSION", relayVersion]] as const) {
    if (!VERSION.test(v)) problems.push(`${name} must be a short version such as 1.2.3 (letters, digits, ".", "+", "-"); it is "${v}".`);
  }

  const logLevelRaw = get("LOG_LEVEL") ?? (env.NODE_ENV === "test" ? "silent" : "info");
  const logLevel = LOG_LEVELS.find((l) => l === logLevelRaw);
  if (!logLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}; it is "${logLevelRaw}".`);

  const fraudHeaders = parseFraudHeaderSettings(get, local, problems);
  const identity = parseIdentitySettings(get, problems);
  const protection = parseProtectionSettings(int);

  const config: RelayConfig = {
    port,
    host,
    publicUrl: publicUrlText,
    redirectUri: `${publicUrlText}/auth/callback`,
    hmrcBaseUrl: hmrcUrl ? stripSlash(hmrcUrl.href) : "",
    environment,
    clientId: clientId ?? "",
    clientSecret: clientSecret ?? "",
    tokenKey: tokenKey ?? { id: "", key: Buffer.alloc(0) },
    dataDir,
    databasePath,
    databaseUrl,
    databasePoolSize: int("DATABASE_POOL_SIZE", 10, 1, 100),
    previousTokenKeys,
    addinDistDir: resolve(get("ADDIN_DIST_DIR") ?? join("dist", "addin")),
    vendorPublicIp,
    trustProxy,
    sessionTtlSeconds: int("SESSION_TTL_SECONDS", 60 * 60, 60, 7 * 24 * 60 * 60, " seconds"),
    upstreamTimeoutMs: int("UPSTREAM_TIMEOUT_MS", 30_000, 100, 300_000, " milliseconds"),
    maxBodyBytes: int("MAX_BODY_BYTES", 100 * 1024, 1024, 10 * 1024 * 1024, " bytes"),
    addinVersion,
    relayVersion,
    logLevel: logLevel ?? "info",
    tls,
    fraudHeaders,
    identity,
    protection,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Which HMRC the base URL points at. Loopback is the local sandbox; only api.service.hmrc.gov.uk is production;
 * test-api.service.hmrc.gov.uk, and any other (https) host such as a hosted emulator, counts as a sandbox.
 */
export function environmentOf(url: URL): HmrcEnvironment {
  const host = url.hostname.toLowerCase();
  if (isLoopbackHost(host)) return "local-sandbox";
  if (host === HMRC_PRODUCTION_HOST) return "production";
  return "hmrc-sandbox";
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function parseBaseUrl(raw: string, name: string, problems: string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push(`${name} must be a full URL such as https://example.com; it is "${raw}".`);
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    problems.push(`${name} must start with https:// or http://; it is "${raw}".`);
    return undefined;
  }
  if (url.username || url.password || url.search || url.hash) {
    problems.push(`${name} must not contain a user name, password, query or fragment; it is "${raw}".`);
    return undefined;
  }
  return url;
}

function stripSlash(href: string): string {
  return href.replace(/\/+$/, "");
}

function parseKey(text: string, source: string, problems: string[]): EncryptionKey | undefined {
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(text) ? Buffer.from(text, "base64") : Buffer.alloc(0);
  if (key.length !== 32) {
    problems.push(`${source} must be the base64 of exactly 32 random bytes (for example: openssl rand -base64 32).`);
    return undefined;
  }
  return { id: encryptionKeyId(key), key };
}

/** TOKEN_ENCRYPTION_KEYS_PREVIOUS: comma-separated older keys, each the base64 of 32 bytes. */
function parsePreviousKeys(raw: string | undefined, problems: string[]): EncryptionKey[] {
  if (raw === undefined) return [];
  const keys: EncryptionKey[] = [];
  raw.split(",").map((s) => s.trim()).filter(Boolean).forEach((text, i) => {
    const key = parseKey(text, `TOKEN_ENCRYPTION_KEYS_PREVIOUS (key ${i + 1})`, problems);
    if (key) keys.push(key);
  });
  return keys;
}

const isPostgresUrl = (text: string) => /^postgres(ql)?:\/\//i.test(text);

/** DATABASE_URL selects PostgreSQL; it is never echoed back, since it usually carries a password. */
function parseDatabaseUrl(raw: string | undefined, problems: string[]): string | null {
  if (raw === undefined) return null;
  let ok = isPostgresUrl(raw);
  try {
    new URL(raw);
  } catch {
    ok = false;
  }
  if (!ok) problems.push("DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database; leave it unset to use the SQLite file at DATABASE_PATH.");
  return ok ? raw : null;
}

/** Local development only: a key made on first start and kept beside the database, readable by its owner only. */
function devKey(dataDir: string, problems: string[]): EncryptionKey | undefined {
  const file = join(dataDir, DEV_KEY_FILE);
  try {
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      // "wx": never overwrite a key another process has just written.
      writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    }
    if (process.platform !== "win32" && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return parseKey(readFileSync(file, "utf8").trim(), `The development key file ${file}`, problems);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return devKey(dataDir, problems);
    problems.push(`The development key file ${file} could not be created or read (${(e as Error).message}). Set DATA_DIR to a writable folder or set TOKEN_ENCRYPTION_KEY.`);
    return undefined;
  }
}

const HEADER_NAME = /^[a-z0-9-]{1,64}$/;

function parseFraudHeaderSettings(get: (name: string) => string | undefined, local: boolean, problems: string[]): FraudHeaderSettings {
  const strictRaw = get("FRAUD_HEADERS_STRICT");
  if (strictRaw !== undefined && strictRaw !== "true" && strictRaw !== "false") {
    problems.push(`FRAUD_HEADERS_STRICT must be true or false; it is "${strictRaw}".`);
  }
  // Local development runs on loopback addresses, which HMRC's rules reject as not public: strict would refuse everything.
  const strict = strictRaw === undefined ? !local : strictRaw === "true";
  const licenseKey = get("LICENSE_KEY") ?? null;
  if (licenseKey !== null && licenseKey.length > 512) problems.push("LICENSE_KEY must be at most 512 characters.");
  const clientPortHeader = get("CLIENT_PORT_HEADER")?.toLowerCase() ?? null;
  if (clientPortHeader !== null && (!HEADER_NAME.test(clientPortHeader) || clientPortHeader === "x-forwarded-port")) {
    problems.push(
      `CLIENT_PORT_HEADER must name the header your proxy puts the client's source port in (e.g. X-Client-Port); it is "${clientPortHeader}". X-Forwarded-Port is the server's port, not the client's, so it cannot be used.`,
    );
  }
  const hopsRaw = get("VENDOR_FORWARDED_HOPS");
  const forwardedHops = hopsRaw === undefined ? [] : hopsRaw.split(",").map((h) => h.trim());
  if (forwardedHops.length > 8 || forwardedHops.some((h) => isIP(h) === 0)) {
    problems.push(`VENDOR_FORWARDED_HOPS must list up to 8 IP addresses (the public addresses of TLS-terminating servers behind VENDOR_PUBLIC_IP), comma-separated; it is "${hopsRaw}".`);
  }
  return { strict, licenseKey, clientPortHeader, forwardedHops };
}

function parseTrustProxy(raw: string | undefined, problems: string[]): string[] | null {
  if (raw === undefined) return null;
  const entries = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = entries.filter((e) => !PROXY_NAMES.has(e) && !isAddressOrRange(e));
  if (entries.length > 0 && bad.length === 0) return entries;
  // A bare hop count (or "true") would let any direct client forge X-Forwarded-For, so only addresses are accepted.
  problems.push(
    `TRUST_PROXY must list the addresses or ranges of the proxies in front of the relay, comma-separated (e.g. 10.0.0.0/8, loopback); "${raw}" is not such a list.`,
  );
  return null;
}

function isAddressOrRange(entry: string): boolean {
  const [addr, bits, ...rest] = entry.split("/");
  if (rest.length > 0 || addr === undefined) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/** The product version from package.json, found by walking up from this file (works from src and dist). */
function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "mtd-bridge" && typeof pkg.version === "string") return pkg.version;
    }
    dir = dirname(dir);
  }
  return "0.0.0";
}

/** TLS_CERT_FILE and TLS_KEY_FILE go together; both are PEM files read once at start. */
function readTls(certFile: string | undefined, keyFile: string | undefined, problems: string[]): RelayConfig["tls"] {
  if (certFile === undefined && keyFile === undefined) return null;
  if (certFile === undefined || keyFile === undefined) {
    problems.push("TLS_CERT_FILE and TLS_KEY_FILE must be set together (PEM certificate and its private key), or neither.");
    return null;
  }
  const read = (file: string, name: string): Buffer | undefined => {
    try {
      return readFileSync(file);
    } catch (e) {
      problems.push(`${name} could not be read (${file}): ${e instanceof Error ? e.message : String(e)}.`);
      return undefined;
    }
  };
  const cert = read(certFile, "TLS_CERT_FILE");
  const key = read(keyFile, "TLS_KEY_FILE");
  return cert && key ? { cert, key } : null;
}
