/**
 * The task pane's only way to the network: same-origin calls to the relay (src/mtd/relay-api.ts), with the
 * bearer session, JSON bodies, a timeout on every call, and every failure turned into a RelayError that
 * carries plain-English messages (HMRC's codes via mtd/errors, the relay's own via RELAY_ERROR_MESSAGES).
 */
import {
  describeErrorBody,
  isHmrcErrorBody,
  RELAY_ERROR_MESSAGES,
  RELAY_HMRC_PREFIX,
  type AuthStartResponse,
  type FraudHeadersCheckResponse,
  type HmrcErrorBody,
  type IdentityInfo,
  type Receipt,
  type SessionInfo,
  type SessionResponse,
} from "../mtd";

export type RelayFailure =
  /** The relay or HMRC answered with an error status. */
  | "http"
  /** Nothing came back: offline, relay down, or the request was refused by the browser. */
  | "network"
  | "timeout"
  /** An answer came back but was not what the contract promises. */
  | "bad-response";

export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  /** JSON pointers into the request body that the error concerns (HMRC's `paths`). */
  readonly paths: readonly string[];
}

export class RelayError extends Error {
  constructor(
    readonly failure: RelayFailure,
    message: string,
    readonly status?: number,
    readonly body?: HmrcErrorBody,
    readonly correlationId?: string,
  ) {
    super(message);
    this.name = "RelayError";
  }

  /** One entry per error in HMRC's body, each with our plain message; empty when there was no body. */
  get details(): ErrorDetail[] {
    return this.body ? describeRelayErrorBody(this.body) : [];
  }

  /** The first error code, for branching (`RELAY_SESSION_EXPIRED`, `RULE_…`). */
  get code(): string | undefined {
    return this.body ? (this.body.errors?.[0]?.code ?? this.body.code) : undefined;
  }
}

/** Like mtd's describeErrorBody, but the relay's own codes get their own messages. */
export function describeRelayErrorBody(body: HmrcErrorBody): ErrorDetail[] {
  return describeErrorBody(body).map((d) =>
    d.code in RELAY_ERROR_MESSAGES ? { ...d, message: RELAY_ERROR_MESSAGES[d.code as keyof typeof RELAY_ERROR_MESSAGES] } : d,
  );
}

/** HMRC's answer as the relay passed it through. */
export interface HmrcResponse<T> {
  readonly status: number;
  readonly body: T | undefined;
  readonly correlationId: string | undefined;
  /** Set by the relay on writes: the id of the receipt it recorded. */
  readonly receiptId: string | undefined;
  readonly deprecation: string | undefined;
  readonly sunset: string | undefined;
}

export interface HmrcRequest {
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  /** Sandbox only: HMRC's Gov-Test-Scenario. */
  readonly testScenario?: string;
}

export interface RelayClientOptions {
  /** The relay's origin; empty for same-origin (the add-in is served by the relay). */
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /** The bearer: the relay session (local identity mode) or a Microsoft access token (entra mode, fetched async). */
  readonly sessionToken: () => string | undefined | Promise<string | undefined>;
  /** The browser half of the fraud-prevention headers, computed per HMRC call. */
  readonly clientHeaders?: () => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;
  readonly timeoutMs?: number;
}

/** Bodies we accept from the relay are small; anything larger is not the relay talking. */
const MAX_RESPONSE_CHARS = 2_000_000;
const DEFAULT_TIMEOUT_MS = 30_000;

export class RelayClient {
  private readonly baseUrl: string;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly options: RelayClientOptions) {
    this.baseUrl = (options.baseUrl ?? "").replace(/\/+$/, "");
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** `bearer`: entra mode, where only a signed-in person may connect. */
  async startAuth(challenge: string, options: { bearer?: boolean } = {}): Promise<AuthStartResponse> {
    const { body } = await this.json("POST", "/api/auth/start", { challenge }, options.bearer === true);
    const r = body as Partial<AuthStartResponse> | undefined;
    if (!r || !isShortString(r.sid) || !isSameOriginPath(r.dialogUrl)) {
      throw new RelayError("bad-response", "The relay's answer to “Connect to HMRC” was not understood. Please try again.");
    }
    return { sid: r.sid, dialogUrl: r.dialogUrl };
  }

  /** How this relay knows its users (public): `local`, or `entra` with what msal needs to sign in. */
  async identity(): Promise<IdentityInfo> {
    const { body } = await this.json("GET", "/api/identity", undefined, false);
    const r = body as Record<string, unknown> | undefined;
    if (r?.mode === "local") return { mode: "local" };
    if (r?.mode === "entra" && isShortString(r.tenantId) && isShortString(r.clientId) && isShortString(r.scope)) {
      return { mode: "entra", tenantId: r.tenantId, clientId: r.clientId, scope: r.scope };
    }
    throw new RelayError("bad-response", "MTD Bridge's server did not say how to sign in. Close and reopen the task pane; if it keeps happening, tell whoever runs your MTD Bridge.");
  }

  /**
   * Finishes connecting. Local mode: the relay answers with this device's session. Entra mode (`bearer` set):
   * the relay links the HMRC grant to the signed-in person and answers 204, so there is no session: null.
   */
  async claim(sid: string, verifier: string, options: { bearer?: boolean } = {}): Promise<SessionResponse | null> {
    const { status, body } = await this.json("POST", "/api/auth/claim", { sid, verifier }, options.bearer === true);
    if (options.bearer && status === 204) return null;
    const r = body as Partial<SessionResponse> | undefined;
    if (!r || !isShortString(r.sessionToken) || !isShortString(r.expiresAt)) {
      throw new RelayError("bad-response", "The relay's answer when finishing the connection was not understood. Please connect again.");
    }
    return { sessionToken: r.sessionToken, expiresAt: r.expiresAt };
  }

  async session(): Promise<SessionInfo> {
    const { body } = await this.json("GET", "/api/session", undefined, true);
    const r = body as Partial<SessionInfo> | undefined;
    const environments: readonly string[] = ["local-sandbox", "hmrc-sandbox", "production"];
    if (!r || typeof r.connected !== "boolean" || !environments.includes(r.environment ?? "")) {
      throw new RelayError("bad-response", "The relay's session information was not understood.");
    }
    return r as SessionInfo;
  }

  async disconnect(): Promise<void> {
    await this.json("POST", "/api/auth/disconnect", undefined, true);
  }

  /** Local identity mode: swaps the current session token for a new one (the old one stops working). */
  async renewSession(): Promise<SessionResponse> {
    const { body } = await this.json("POST", "/api/session/renew", undefined, true);
    const r = body as Partial<SessionResponse> | undefined;
    if (!r || !isShortString(r.sessionToken) || !isShortString(r.expiresAt)) {
      throw new RelayError("bad-response", "The relay's answer when renewing the session was not understood. Please connect again.");
    }
    return { sessionToken: r.sessionToken, expiresAt: r.expiresAt };
  }

  /** Ends this device's session; the HMRC connection stays for the user's other devices. */
  async revokeSession(): Promise<void> {
    await this.json("POST", "/api/session/revoke", undefined, true);
  }

  async receipt(id: string): Promise<Receipt> {
    const { body } = await this.json("GET", `/api/receipts/${encodeURIComponent(id)}`, undefined, true);
    if (!isReceipt(body)) throw new RelayError("bad-response", "The relay's receipt was not understood.");
    return body;
  }

  async receipts(filter: { nino?: string; taxYear?: string; limit?: number }): Promise<Receipt[]> {
    const q = new URLSearchParams();
    if (filter.nino) q.set("nino", filter.nino);
    if (filter.taxYear) q.set("taxYear", filter.taxYear);
    if (filter.limit !== undefined) q.set("limit", String(filter.limit));
    const { body } = await this.json("GET", `/api/receipts?${q.toString()}`, undefined, true);
    const list = (body as { receipts?: unknown } | undefined)?.receipts;
    if (!Array.isArray(list) || !list.every(isReceipt)) throw new RelayError("bad-response", "The relay's list of receipts was not understood.");
    return list;
  }

  /** The relay's check of the fraud-prevention headers it would send now, with this browser's half. */
  async fraudHeadersCheck(): Promise<FraudHeadersCheckResponse> {
    const headers = { ...((await this.options.clientHeaders?.()) ?? {}) };
    const { body } = await this.json("GET", "/api/fraud-headers/check", undefined, true, headers);
    const r = body as Partial<FraudHeadersCheckResponse> | undefined;
    if (!r || typeof r.code !== "string" || !Array.isArray(r.headers) || !Array.isArray(r.notSent)) {
      throw new RelayError("bad-response", "The relay's check of the fraud-prevention data was not understood.");
    }
    return r as FraudHeadersCheckResponse;
  }

  /**
   * Sends one HMRC call through the relay. `path` is HMRC's path (`/individuals/...`), built from the
   * catalogue. Non-2xx answers throw a RelayError carrying HMRC's error body and correlation id.
   */
  async hmrc<T>(method: "GET" | "PUT" | "POST" | "DELETE", path: string, request: HmrcRequest = {}): Promise<HmrcResponse<T>> {
    if (!path.startsWith("/") || path.startsWith("//")) throw new TypeError(`HMRC path must start with a single "/": ${path}`);
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) q.set(k, v);
    const search = q.toString();
    const url = `${RELAY_HMRC_PREFIX}${path}${search ? `?${search}` : ""}`;
    const headers: Record<string, string> = { ...((await this.options.clientHeaders?.()) ?? {}) };
    if (request.testScenario) headers["Gov-Test-Scenario"] = request.testScenario;
    const res = await this.json(method, url, request.body, true, headers);
    return {
      status: res.status,
      body: res.body as T | undefined,
      correlationId: res.headers.get("X-CorrelationId") ?? undefined,
      receiptId: res.headers.get("X-Mtd-Receipt-Id") ?? undefined,
      deprecation: res.headers.get("Deprecation") ?? undefined,
      sunset: res.headers.get("Sunset") ?? undefined,
    };
  }

  private async json(
    method: string,
    path: string,
    body: unknown,
    authenticated: boolean,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown; headers: Headers }> {
    const headers: Record<string, string> = { Accept: "application/json", ...extraHeaders };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (authenticated) {
      const token = await this.options.sessionToken();
      if (!token) throw new RelayError("http", RELAY_ERROR_MESSAGES.RELAY_NOT_CONNECTED, 401, { code: "RELAY_NOT_CONNECTED", message: "Not connected" });
      headers.Authorization = `Bearer ${token}`;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(`${this.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        credentials: "omit",
        cache: "no-store",
      });
      text = await res.text();
    } catch (e) {
      if (controller.signal.aborted) {
        throw new RelayError("timeout", "MTD Bridge's server took too long to answer. If you were submitting, check the MTD Receipts sheet before trying again.");
      }
      throw new RelayError("network", `MTD Bridge's server could not be reached (${e instanceof Error ? e.message : "network error"}). Check your connection and try again.`);
    } finally {
      clearTimeout(timer);
    }
    if (text.length > MAX_RESPONSE_CHARS) throw new RelayError("bad-response", "The server's answer was unexpectedly large.", res.status);
    let parsed: unknown;
    if (text.trim() !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (res.ok) throw new RelayError("bad-response", "The server's answer was not JSON.", res.status);
      }
    }
    if (!res.ok) throw errorFor(res, parsed);
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

function errorFor(res: Response, parsed: unknown): RelayError {
  const correlationId = res.headers.get("X-CorrelationId") ?? undefined;
  if (isHmrcErrorBody(parsed)) {
    const first = describeRelayErrorBody(parsed)[0];
    return new RelayError("http", first?.message ?? parsed.message, res.status, parsed, correlationId);
  }
  const generic =
    res.status >= 500
      ? "HMRC or MTD Bridge's server had a problem. Nothing was lost: try again in a few minutes."
      : `The request was refused (HTTP ${res.status}).`;
  return new RelayError("http", generic, res.status, undefined, correlationId);
}

function isShortString(v: unknown): v is string {
  return typeof v === "string" && v.length > 0 && v.length <= 4096;
}

/** The dialog must open on the add-in's own origin (Office rule): a path, never another host. */
function isSameOriginPath(v: unknown): v is string {
  return isShortString(v) && v.startsWith("/") && !v.startsWith("//") && !v.includes("\\");
}

function isReceipt(v: unknown): v is Receipt {
  if (typeof v !== "object" || v === null) return false;
  const r = v as Record<string, unknown>;
  return isShortString(r.id) && typeof r.status === "number" && isShortString(r.receivedAt);
}
