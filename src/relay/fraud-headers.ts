/**
 * HMRC fraud-prevention headers for connection method WEB_APP_VIA_SERVER (spec 3.3; reference/fraud-headers.md).
 * The browser half (JS user agent, device ID, screens, window size, timezone) is taken from the task pane's
 * request, from an allow-list, and checked; everything network-, identity- or vendor-related is the relay's own
 * and never taken from the browser. Formats and encoding are mtd's (src/mtd/fraud). Data that cannot be
 * collected (a loopback or private client address, a port a proxy hides, no second factor, no licence) is
 * left out as the spec says, never faked, and reported in `notSent` for GET /api/fraud-headers/check.
 */
import { createHash } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { IncomingHttpHeaders } from "node:http";
import {
  BROWSER_FRAUD_HEADER_NAMES,
  CONNECTION_METHOD,
  FRAUD_HEADER,
  classifyIp,
  err,
  forwardedHeader,
  keyValues,
  multiFactorHeader,
  ok,
  parseKeyValueList,
  parseKeyValues,
  productNameHeader,
  publicIpTimestamp,
  RELAY_ERROR_MESSAGES,
  validateFraudHeaders,
  type FraudHeaderName,
  type FraudValidationResult,
  type HmrcErrorBody,
  type IpClassification,
  type MultiFactor,
  type Result,
} from "../mtd";
import type { RelayConfig } from "./config";
import type { RelaySession } from "./identity/types";

export const PRODUCT_NAME = "MTD Bridge";
/** Key naming our accounts in Gov-Client-User-IDs and our software in Gov-Vendor-License-IDs. */
export const SOFTWARE_KEY = "mtd-bridge";

const MAX_HEADER_LENGTH = 1024;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMEZONE = /^UTC[+-](0\d|1[0-4]):[0-5]\d$/;
const POSITIVE_INT = /^[1-9]\d{0,5}$/;
const DECIMAL = /^\d{1,3}(\.\d{1,20})?$/;
const MAX_SCREENS = 16;

/** True when a value is safe to put in an HTTP header: printable US-ASCII only (no CR, LF, tab or controls). */
export function isSafeHeaderValue(value: string, maxLength = MAX_HEADER_LENGTH): boolean {
  return value.length <= maxLength && PRINTABLE_ASCII.test(value);
}

function hasExactly(pairs: ReadonlyArray<readonly [string, string]>, problems: readonly string[], checks: Readonly<Record<string, RegExp>>): boolean {
  if (problems.length > 0 || pairs.length !== Object.keys(checks).length) return false;
  return pairs.every(([k, v]) => checks[k]?.test(v) === true);
}

const SCREEN = { width: POSITIVE_INT, height: POSITIVE_INT, "scaling-factor": DECIMAL, "colour-depth": POSITIVE_INT };

const FORMAT_CHECKS: Readonly<Record<string, (v: string) => boolean>> = {
  [FRAUD_HEADER.browserJsUserAgent]: (v) => v.length > 0,
  [FRAUD_HEADER.deviceId]: (v) => UUID.test(v),
  [FRAUD_HEADER.timezone]: (v) => TIMEZONE.test(v),
  [FRAUD_HEADER.windowSize]: (v) => {
    const parsed = parseKeyValues(v);
    return hasExactly(parsed.pairs, parsed.problems, { width: POSITIVE_INT, height: POSITIVE_INT });
  },
  [FRAUD_HEADER.screens]: (v) => {
    const parsed = parseKeyValueList(v);
    return parsed.problems.length === 0 && parsed.items.length <= MAX_SCREENS && parsed.items.every((s) => hasExactly(s.pairs, s.problems, SCREEN));
  },
};

/**
 * The browser half, checked: only the allow-listed headers, each printable ASCII and in the spec's format.
 * Absent headers are simply not sent (the check and HMRC's validator report them); a malformed one refuses
 * the request, so nothing the browser made up reaches HMRC.
 */
export function browserFraudHeaders(headers: IncomingHttpHeaders): Result<Record<string, string>, { header: string }> {
  const out: Record<string, string> = {};
  for (const spelled of BROWSER_FRAUD_HEADER_NAMES) {
    const raw = headers[spelled.toLowerCase()];
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(",") : raw;
    if (!isSafeHeaderValue(value) || !FORMAT_CHECKS[spelled]!(value)) return err({ header: spelled });
    out[spelled] = value;
  }
  return ok(out);
}

// ---- The client's connection, as the relay saw it -----------------------------------------------------------

export interface ObservedClient {
  /** The client's address: the TCP peer, or what a trusted proxy reported (never a browser-supplied header). */
  ip: string | undefined;
  port: number | undefined;
  /** True when the address came from a trusted proxy's X-Forwarded-For. */
  viaProxy: boolean;
  /**
   * Addresses from the client inwards: the client, then each further proxy's egress address as the next proxy
   * saw it (X-Forwarded-For, trusted part only). Used for the `for` of Gov-Vendor-Forwarded's later hops.
   */
  chain: string[];
}

/** `81.2.69.142:51234` or `[2a00:1450::1]:51234` (proxies that append the client port) → address and port. */
export function splitHostPort(entry: string): { host: string; port: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: portNumber(bracketed[2]) };
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(entry);
  if (v4) return { host: v4[1]!, port: portNumber(v4[2]) };
  return { host: entry, port: undefined };
}

function portNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,5}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * Who connected. Fastify resolves `request.ip`/`request.ips` from X-Forwarded-For only through the addresses in
 * TRUST_PROXY; a direct client's own X-Forwarded-For is ignored. Behind a proxy the client's source port is
 * known only if the proxy appends it to X-Forwarded-For or sets CLIENT_PORT_HEADER; X-Forwarded-Port is the
 * server's port and is never read.
 */
export function observedClient(request: FastifyRequest, settings: { trustProxy: string[] | null; clientPortHeader: string | null }): ObservedClient {
  const socketIp = request.socket.remoteAddress;
  const resolved = splitHostPort(request.ip);
  const viaProxy = settings.trustProxy !== null && socketIp !== undefined && request.ip !== socketIp;
  if (!viaProxy) return { ip: socketIp, port: request.socket.remotePort, viaProxy: false, chain: socketIp ? [socketIp] : [] };
  const header = settings.clientPortHeader ? request.headers[settings.clientPortHeader] : undefined;
  const port = resolved.port ?? portNumber(typeof header === "string" ? header.trim() : undefined);
  const chain = [...(request.ips ?? [request.ip])].reverse().map((a) => splitHostPort(a).host);
  return { ip: resolved.host, port, viaProxy: true, chain };
}

// ---- The server half ----------------------------------------------------------------------------------------

/** A header the relay leaves out, and why, in plain words for the "What we send HMRC" panel. */
export interface NotSent {
  header: FraudHeaderName;
  reason: string;
}

export interface ServerFraudContext {
  client: ObservedClient;
  /** When the request arrived at the relay. */
  receivedAt: Date;
  userId: string;
  /** The sign-in's second factor, when the relay's identity says there was one. */
  multiFactor: RelaySession["multiFactor"] | undefined;
  addinVersion: string;
  relayVersion: string;
  /** The public IP users' requests arrive at (VENDOR_PUBLIC_IP), else the relay's own socket address. */
  vendorPublicIp: string | null;
  /** Public IPs of further TLS-terminating hops (VENDOR_FORWARDED_HOPS). */
  forwardedHops: readonly string[];
  licenseKey: string | null;
}

export interface ServerFraudHeaders {
  headers: Record<string, string>;
  notSent: NotSent[];
}

const RANGE_WORDS: Readonly<Record<string, string>> = {
  private: "a private network address",
  loopback: "a loopback address (the same computer)",
  "link-local": "a link-local address",
  "shared-cgnat": "a carrier-grade NAT address",
  "unique-local": "a private (unique local) IPv6 address",
  documentation: "a documentation-only address",
  multicast: "a multicast address",
  unspecified: "an unspecified address",
  reserved: "a reserved address",
};

function publicAddress(ip: string | null | undefined): { ip: string } | { why: string } {
  const c: IpClassification | undefined = ip ? classifyIp(ip) : undefined;
  if (!c) return { why: "not known" };
  return c.public ? { ip: c.normalised } : { why: RANGE_WORDS[c.range] ?? "not a public internet address" };
}

/** SHA-256 hex of the licence key: HMRC wants a hashed licence, the same function every time. */
export function hashedLicence(licenseKey: string): string {
  return createHash("sha256").update(licenseKey, "utf8").digest("hex");
}

function multiFactor(session: ServerFraudContext["multiFactor"]): MultiFactor | undefined {
  if (!session) return undefined;
  const timestamp = new Date(session.timestamp);
  if (Number.isNaN(timestamp.getTime()) || session.uniqueReference === "") return undefined;
  return { type: session.type, timestamp, uniqueReference: session.uniqueReference };
}

/** Connection method, public IP/port/timestamp, user IDs, multi-factor and the Gov-Vendor-* headers. */
export function serverFraudHeaders(c: ServerFraudContext): ServerFraudHeaders {
  const headers: Record<string, string> = {
    [FRAUD_HEADER.connectionMethod]: CONNECTION_METHOD,
    [FRAUD_HEADER.publicIpTimestamp]: publicIpTimestamp(c.receivedAt),
    [FRAUD_HEADER.userIds]: keyValues([[SOFTWARE_KEY, c.userId]]),
    [FRAUD_HEADER.vendorVersion]: keyValues([
      ["mtd-bridge-addin", c.addinVersion],
      ["mtd-bridge-relay", c.relayVersion],
    ]),
    [FRAUD_HEADER.vendorProductName]: productNameHeader(PRODUCT_NAME),
  };
  const notSent: NotSent[] = [];
  const omit = (header: FraudHeaderName, reason: string) => notSent.push({ header, reason });

  const client = publicAddress(c.client.ip);
  if ("ip" in client) {
    headers[FRAUD_HEADER.publicIp] = client.ip;
    if (c.client.port !== undefined) headers[FRAUD_HEADER.publicPort] = String(c.client.port);
    else omit(FRAUD_HEADER.publicPort, "The proxy in front of MTD Bridge's server does not pass on your connection's port.");
  } else {
    const why = `The address your computer reached MTD Bridge's server from is ${client.why}, not a public internet address, so it is not sent.`;
    omit(FRAUD_HEADER.publicIp, why);
    omit(FRAUD_HEADER.publicPort, "Your connection's port is only sent with a public address.");
  }

  const vendor = publicAddress(c.vendorPublicIp);
  if ("ip" in vendor) headers[FRAUD_HEADER.vendorPublicIp] = vendor.ip;
  else omit(FRAUD_HEADER.vendorPublicIp, c.vendorPublicIp ? `MTD Bridge's server address is ${vendor.why}, not a public internet address.` : "MTD Bridge's server has no public address configured (VENDOR_PUBLIC_IP).");

  const forwarded =
    "ip" in vendor && "ip" in client
      ? forwardedHeader([
          { by: vendor.ip, for: client.ip },
          // Later hops: `for` is the previous proxy's egress address; a hop without a public one is dropped, never half-empty.
          ...c.forwardedHops.map((hop, i) => {
            const by = publicAddress(hop);
            const from = publicAddress(c.client.chain[i + 1]);
            return { by: "ip" in by ? by.ip : "", for: "ip" in from ? from.ip : "" };
          }),
        ])
      : undefined;
  if (forwarded) headers[FRAUD_HEADER.vendorForwarded] = forwarded;
  else omit(FRAUD_HEADER.vendorForwarded, "It needs both your public address and MTD Bridge's server's public address.");

  const mfa = multiFactorHeader([multiFactor(c.multiFactor)].filter((m): m is MultiFactor => m !== undefined));
  if (mfa) headers[FRAUD_HEADER.multiFactor] = mfa;
  else omit(FRAUD_HEADER.multiFactor, "You signed in to MTD Bridge without a second factor.");

  if (c.licenseKey) headers[FRAUD_HEADER.vendorLicenseIds] = keyValues([[SOFTWARE_KEY, hashedLicence(c.licenseKey)]]);
  else omit(FRAUD_HEADER.vendorLicenseIds, "MTD Bridge is not sold with licence keys.");

  return { headers, notSent };
}

/** The server half for one request: what the relay observed about the connection plus its configuration. */
export function serverFraudHeadersFor(request: FastifyRequest, session: RelaySession, receivedAt: Date, config: RelayConfig): ServerFraudHeaders {
  const client = observedClient(request, { trustProxy: config.trustProxy, clientPortHeader: config.fraudHeaders.clientPortHeader });
  return serverFraudHeaders({
    client,
    receivedAt,
    userId: session.userId,
    multiFactor: session.multiFactor,
    addinVersion: config.addinVersion,
    relayVersion: config.relayVersion,
    // Without a configured address, the relay is exposed directly: the address the client connected to is its own.
    vendorPublicIp: config.vendorPublicIp ?? (client.viaProxy ? null : (request.socket.localAddress ?? null)),
    forwardedHops: config.fraudHeaders.forwardedHops,
    licenseKey: config.fraudHeaders.licenseKey,
  });
}

// ---- The whole set, checked ---------------------------------------------------------------------------------

export interface FraudHeaderSet {
  /** Exactly the fraud-prevention headers an HMRC call made now carries. */
  headers: Record<string, string>;
  notSent: NotSent[];
  /** HMRC's validator rules on `headers`. */
  validation: FraudValidationResult;
}

/** The browser half as received plus the server half, and the validator's verdict on that exact set. */
export function fraudHeaderSet(browserHeaders: Readonly<Record<string, string>>, server: ServerFraudHeaders): FraudHeaderSet {
  const browser = Object.entries(browserHeaders).filter(([name]) => (BROWSER_FRAUD_HEADER_NAMES as readonly string[]).includes(name));
  const headers = { ...Object.fromEntries(browser), ...server.headers };
  return { headers, notSent: server.notSent, validation: validateFraudHeaders(headers, { connectionMethod: CONNECTION_METHOD }) };
}

/** The findings of a validation, one line each (`gov-client-public-port: Header missing…`). */
export function findingLines(v: FraudValidationResult): string[] {
  return (v.errors ?? []).map((f) => `${f.headers.join(", ")}: ${f.message}`);
}

/**
 * Strict mode's answer when the set has errors: 400 in HMRC's error shape, our code, and the problems listed
 * in the message (the task pane shows RELAY_ERROR_MESSAGES' text and the check panel shows the detail).
 */
export function strictRefusalBody(v: FraudValidationResult): HmrcErrorBody | undefined {
  if (v.code !== "INVALID_HEADERS") return undefined;
  const lines = findingLines(v);
  const problems = lines.length > 0 ? ` Problems: ${lines.join(" ")}` : ` ${v.message}`;
  return { code: "RELAY_FRAUD_HEADERS_INVALID", message: `${RELAY_ERROR_MESSAGES.RELAY_FRAUD_HEADERS_INVALID}${problems}` };
}

/**
 * The fraud-prevention headers for one HMRC call; in strict mode (FRAUD_HEADERS_STRICT) a set with errors is
 * an error body instead, and nothing is sent.
 */
export function outgoingFraudHeaders(
  request: FastifyRequest,
  session: RelaySession,
  receivedAt: Date,
  browserHeaders: Readonly<Record<string, string>>,
  config: RelayConfig,
): Result<Record<string, string>, HmrcErrorBody> {
  const set = fraudHeaderSet(browserHeaders, serverFraudHeadersFor(request, session, receivedAt, config));
  const refused = config.fraudHeaders.strict ? strictRefusalBody(set.validation) : undefined;
  if (refused) {
    request.log.warn({ problems: set.validation.errors?.map((f) => `${f.code} ${f.headers.join(",")}`) }, "strict mode: refused to forward invalid fraud-prevention headers");
    return err(refused);
  }
  return ok(set.headers);
}
