/**
 * Fault injection, so the relay's reliability (retries, backoff, timeouts, deprecation warnings) can be tested
 * against the sandbox: per path pattern, added latency, a 5xx, a 429 with `Retry-After`, a dropped connection
 * (the socket destroyed with no response), or a deprecated version answering normally with HMRC's `Deprecation`,
 * `Sunset` and `Link` headers. Each rule applies to a share of matching requests (`rate`) and/or to the first
 * `count` of them. Configured through SandboxOptions.faults, or for `npm start` the SANDBOX_FAULTS environment
 * variable (a JSON array of rules; see README.md).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export type FaultKind = "latency" | "server-error" | "rate-limit" | "drop" | "deprecated";

export interface FaultRule {
  readonly kind: FaultKind;
  /** Request path pattern: `*` matches within a segment, `**` across segments (`/individuals/business/**`). */
  readonly path: string;
  /** Only this HTTP method (default: any). */
  readonly method?: string;
  /** Only requests asking for this API version in their Accept header, e.g. "5.0" (a deprecated version). */
  readonly version?: string;
  /** Share of matching requests affected, 0–1 (default 1). */
  readonly rate?: number;
  /** Affect only the first `count` matching requests (default: no limit). */
  readonly count?: number;
  /** latency: milliseconds added before the request is handled. */
  readonly latencyMs?: number;
  /** server-error: 500, 502, 503 or 504 (default 503). */
  readonly status?: number;
  /** rate-limit: the Retry-After header, in seconds (default 1). */
  readonly retryAfterSeconds?: number;
  /** deprecated: the header values (defaults below). */
  readonly deprecation?: string;
  readonly sunset?: string;
  readonly link?: string;
}

const MAX_LATENCY_MS = 60_000;
const MAX_RULES = 50;

/** HMRC's gateway bodies for the failures it produces itself. */
const SERVER_ERRORS: Readonly<Record<number, { code: string; message: string }>> = {
  500: { code: "INTERNAL_SERVER_ERROR", message: "An internal server error occurred" },
  502: { code: "BAD_GATEWAY", message: "The upstream service returned an invalid response" },
  503: { code: "SERVER_ERROR", message: "Service unavailable" },
  504: { code: "GATEWAY_TIMEOUT", message: "The request timed out" },
};
const THROTTLED = { code: "MESSAGE_THROTTLED_OUT", message: "The request for the API is throttled as you have exceeded your quota." };
const DEFAULT_DEPRECATION = "Sun, 01 Jan 2023 23:59:59 UTC";
const DEFAULT_SUNSET = "Sun, 02 Jul 2023 23:59:59 UTC";
const DEFAULT_LINK = "https://developer.service.hmrc.gov.uk/api-documentation/docs/api";

/** `*` within a path segment, `**` across segments; everything else literal. */
export function pathPattern(glob: string): RegExp {
  const source = glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`);
}

/** Checks a rule and explains what is wrong in plain words; returns the rule typed. */
export function validateFaultRule(raw: unknown, index = 0): FaultRule {
  const where = `fault rule ${index + 1}`;
  if (typeof raw !== "object" || raw === null) throw new Error(`${where} must be an object`);
  const r = raw as Record<string, unknown>;
  const kinds: readonly FaultKind[] = ["latency", "server-error", "rate-limit", "drop", "deprecated"];
  if (!kinds.includes(r.kind as FaultKind)) throw new Error(`${where}: kind must be one of ${kinds.join(", ")}`);
  if (typeof r.path !== "string" || !r.path.startsWith("/")) throw new Error(`${where}: path must be a pattern starting with "/"`);
  const num = (name: string, min: number, max: number, integer = true): void => {
    const v = r[name];
    if (v === undefined) return;
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      throw new Error(`${where}: ${name} must be a ${integer ? "whole " : ""}number from ${min} to ${max}`);
    }
  };
  num("rate", 0, 1, false);
  num("count", 1, 1_000_000);
  num("latencyMs", 0, MAX_LATENCY_MS);
  num("retryAfterSeconds", 0, 86_400);
  if (r.status !== undefined && !(typeof r.status === "number" && r.status in SERVER_ERRORS)) throw new Error(`${where}: status must be 500, 502, 503 or 504`);
  if (r.kind === "latency" && r.latencyMs === undefined) throw new Error(`${where}: latency needs latencyMs`);
  for (const s of ["method", "version", "deprecation", "sunset", "link"]) if (r[s] !== undefined && typeof r[s] !== "string") throw new Error(`${where}: ${s} must be text`);
  return r as unknown as FaultRule;
}

/** Rules from SANDBOX_FAULTS (a JSON array); none when unset. Throws a plain-English error when malformed. */
export function faultsFromEnv(value: string | undefined): FaultRule[] {
  if (value === undefined || value.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error('SANDBOX_FAULTS must be a JSON array of fault rules, e.g. [{"kind":"server-error","path":"/individuals/**","rate":0.1}]');
  }
  if (!Array.isArray(parsed)) throw new Error("SANDBOX_FAULTS must be a JSON array of fault rules");
  if (parsed.length > MAX_RULES) throw new Error(`SANDBOX_FAULTS may hold at most ${MAX_RULES} rules`);
  return parsed.map((r, i) => validateFaultRule(r, i));
}

interface ActiveRule {
  readonly rule: FaultRule;
  readonly pattern: RegExp;
  remaining: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Installs the rules as an onRequest hook (after the correlation id is set). Rules are checked in order; latency
 * and deprecation headers combine with whatever follows, the first failure (5xx, 429, drop) ends the request.
 */
export function installFaults(app: FastifyInstance, rules: readonly FaultRule[], random: () => number = Math.random): void {
  if (rules.length === 0) return;
  const active: ActiveRule[] = rules.map((r, i) => {
    const rule = validateFaultRule(r, i);
    return { rule, pattern: pathPattern(rule.path), remaining: rule.count ?? Number.POSITIVE_INFINITY };
  });

  app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split("?")[0]!;
    for (const a of active) {
      const { rule } = a;
      if (rule.method && rule.method.toUpperCase() !== req.method) continue;
      if (rule.version && String(req.headers.accept ?? "").trim().toLowerCase() !== `application/vnd.hmrc.${rule.version}+json`) continue;
      if (!a.pattern.test(path) || a.remaining <= 0) continue;
      if (rule.rate !== undefined && random() >= rule.rate) continue;
      a.remaining--;
      switch (rule.kind) {
        case "latency":
          await sleep(rule.latencyMs ?? 0);
          break;
        case "deprecated":
          reply.header("Deprecation", rule.deprecation ?? DEFAULT_DEPRECATION);
          reply.header("Sunset", rule.sunset ?? DEFAULT_SUNSET);
          reply.header("Link", rule.link ?? DEFAULT_LINK);
          break;
        case "server-error": {
          const status = rule.status ?? 503;
          return reply.code(status).send(SERVER_ERRORS[status]);
        }
        case "rate-limit":
          return reply
            .code(429)
            .header("Retry-After", String(rule.retryAfterSeconds ?? 1))
            .send(THROTTLED);
        case "drop":
          // No response at all: the client sees the connection reset, as when a proxy or HMRC drops it.
          reply.hijack();
          reply.raw.destroy(new Error("sandbox fault: connection dropped"));
          req.raw.socket.destroy();
          return;
      }
    }
    return undefined;
  });
}
