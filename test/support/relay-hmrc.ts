/**
 * HMRC calls through the relay as the task pane makes them: the catalogue's path under `/api/hmrc`, the relay
 * session as the bearer token, and the browser's fraud-prevention headers (the relay adds the rest).
 */
import { buildPath, getEndpoint, RELAY_HMRC_PREFIX, type Receipt, type ReceiptsPage } from "../../src/mtd";
import { BROWSER_HEADERS } from "./loopback";

export interface RelayAnswer {
  readonly status: number;
  /** The JSON answer; undefined for an empty one (204). */
  readonly body: unknown;
}

export class RelayHmrc {
  constructor(
    private readonly relayUrl: string,
    private readonly session: string,
  ) {}

  /** Calls a catalogue endpoint: `params` fill its path, `query` its query string, `body` is sent as JSON. */
  async call(endpointId: string, params: Readonly<Record<string, string>>, options: { query?: Readonly<Record<string, string>>; body?: unknown } = {}): Promise<RelayAnswer> {
    const endpoint = getEndpoint(endpointId);
    const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : "";
    return this.fetch(`${RELAY_HMRC_PREFIX}${buildPath(endpoint, params)}${query}`, endpoint.method, options.body);
  }

  /** Every receipt of this session's user that matches the filters (`businessId`, `endpoint`, `taxYear`…). */
  async receipts(filters: Readonly<Record<string, string>>): Promise<Receipt[]> {
    const answer = await this.fetch(`/api/receipts?${new URLSearchParams({ ...filters, limit: "500" }).toString()}`, "GET");
    if (answer.status !== 200) throw new Error(`receipts answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return (answer.body as ReceiptsPage).receipts;
  }

  private async fetch(path: string, method: string, body?: unknown): Promise<RelayAnswer> {
    const res = await fetch(`${this.relayUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.session}`, ...BROWSER_HEADERS, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text === "" ? undefined : (JSON.parse(text) as unknown) };
  }
}
