/** What a sandbox instance can be configured with, and the defaults that make `npm start` work out of the box. */
import type { FaultRule } from "./faults";

export interface SandboxClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Redirect URIs registered for the client; the authorize and token endpoints accept exactly these. */
  readonly redirectUris: readonly string[];
  /**
   * Also accept `http(s)://localhost:<any port>/auth/callback` and `http(s)://127.0.0.1:<any port>/auth/callback`,
   * so tests and dev servers on ephemeral ports (and the https sideload setup) work without registering each port.
   */
  readonly allowLoopbackCallbacks?: boolean;
}

export interface SandboxOptions {
  /** Injectable clock: every date rule, token expiry and `submittedOn` uses it. */
  now?: () => Date;
  /** HMRC access tokens last 4 hours. */
  accessTokenTtlSeconds?: number;
  /** HMRC refresh tokens last 18 months. */
  refreshTokenTtlSeconds?: number;
  clients?: readonly SandboxClient[];
  /** NINO prefilled on the sign-in page. */
  defaultTestNino?: string;
  /** Fastify request logging (NINOs in URLs are masked). Off by default. */
  logger?: boolean;
  /** Serve over https (PEM certificate and key): Office dialogs refuse plain-http pages in real Excel. */
  tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Injected faults (latency, 5xx, 429, dropped connections, deprecation headers); see faults.ts. */
  faults?: readonly FaultRule[];
  /** Random source for the faults' `rate` (tests pin it). Default Math.random. */
  random?: () => number;
}

export interface ResolvedSandboxOptions {
  readonly now: () => Date;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlSeconds: number;
  readonly clients: readonly SandboxClient[];
  readonly defaultTestNino: string;
  readonly logger: boolean;
}

export const DEV_CLIENT: SandboxClient = {
  clientId: "mtd-bridge-local",
  clientSecret: "local-sandbox-secret",
  redirectUris: ["http://localhost:3000/auth/callback", "http://127.0.0.1:3000/auth/callback"],
  allowLoopbackCallbacks: true,
};

export const ACCESS_TOKEN_TTL_SECONDS = 4 * 60 * 60;
/** 18 months, counted as 548 days (HMRC states the lifetime in months; the exact day count does not matter here). */
export const REFRESH_TOKEN_TTL_SECONDS = 548 * 24 * 60 * 60;
export const DEFAULT_TEST_NINO = "AA123456A";

export function resolveOptions(options: SandboxOptions = {}): ResolvedSandboxOptions {
  const positive = (n: number | undefined, fallback: number, name: string): number => {
    if (n === undefined) return fallback;
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${name} must be a positive whole number of seconds`);
    return n;
  };
  return {
    now: options.now ?? (() => new Date()),
    accessTokenTtlSeconds: positive(options.accessTokenTtlSeconds, ACCESS_TOKEN_TTL_SECONDS, "accessTokenTtlSeconds"),
    refreshTokenTtlSeconds: positive(options.refreshTokenTtlSeconds, REFRESH_TOKEN_TTL_SECONDS, "refreshTokenTtlSeconds"),
    clients: options.clients ?? [DEV_CLIENT],
    defaultTestNino: options.defaultTestNino ?? DEFAULT_TEST_NINO,
    logger: options.logger ?? false,
  };
}
