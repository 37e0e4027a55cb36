/**
 * Relay overhead (issue #4): the same HMRC calls sent through the relay to the local sandbox, and straight to
 * the sandbox, on loopback, in one run. Both servers run in this process. The direct calls carry exactly the
 * headers the relay sent (captured from its outgoing requests, HMRC token included), so the difference is
 * what the relay adds: session check, allow-list, fraud headers, token lookup, forwarding, receipt on writes.
 *
 * Latency: sequential requests on one keep-alive connection, alternating relay and direct in blocks so drift
 * hits both. Throughput: a fixed number of requests, 8 in flight. Bounded in count and time.
 */
import { performance } from "node:perf_hooks";
import { buildUkPropertyCumulative, quarterOf, type BusinessListResponse, type Pence, type TaxYear } from "../src/mtd";
import { BROWSER_HEADERS, connectSession, startLoopback } from "../test/support/loopback";

const NINO = "AA123456A";
const TAX_YEAR = "2025-26" as TaxYear;
const LATENCY_REQUESTS = 600;
const WARM_UP = 100;
const BLOCK = 50;
const THROUGHPUT_REQUESTS = 1000;
const CONCURRENCY = 8;
/** No scenario runs longer than this, whatever the machine. */
const SCENARIO_BUDGET_MS = 15_000;

interface Call {
  method: "GET" | "PUT";
  /** HMRC path, e.g. /individuals/business/details/AA123456A/list. */
  path: string;
  body?: string;
}

interface Captured {
  headers: Record<string, string>;
}


const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

export async function relayBenchmarks(): Promise<Array<[string, string]>> {
  // Every header set the relay sends upstream, by path, so the direct run can send the very same request.
  const captured = new Map<string, Captured>();
  const capturing: typeof fetch = (input, init) => {
    const url = new URL(String(input));
    if (!url.pathname.startsWith("/oauth/")) captured.set(`${init?.method ?? "GET"} ${url.pathname}`, { headers: { ...(init?.headers as Record<string, string>) } });
    return fetch(input, init);
  };
  const loop = await startLoopback({
    sandbox: { now: () => new Date("2025-11-20T10:00:00Z") },
    env: { RATE_LIMIT_PER_MINUTE: "0" },
    relayDeps: { fetch: capturing },
  });
  const { sandbox, relay } = loop;
  try {
    const session = await connectSession(loop);
    const relayHeaders = { Authorization: `Bearer ${session}`, ...BROWSER_HEADERS };
    const list = await fetch(`${relay.url}/api/hmrc/individuals/business/details/${NINO}/list`, { headers: relayHeaders });
    const businessId = ((await list.json()) as BusinessListResponse).listOfBusinesses.find((b) => b.typeOfBusiness === "uk-property")!.businessId;

    const q2 = quarterOf(TAX_YEAR, "standard", 2);
    const amounts = new Map<string, Pence>([
      ["income.periodAmount", 1_245_000 as Pence],
      ["expenses.repairsAndMaintenance", 81_299 as Pence],
      ["expenses.premisesRunningCosts", 40_000 as Pence],
    ]);
    const calls: Array<[string, Call]> = [
      ["GET business details list", { method: "GET", path: `/individuals/business/details/${NINO}/list` }],
      [
        "PUT UK property cumulative",
        {
          method: "PUT",
          path: `/individuals/business/property/uk/${NINO}/${businessId}/cumulative/${TAX_YEAR}`,
          body: JSON.stringify(buildUkPropertyCumulative({ fromDate: q2.cumulativeStart, toDate: q2.end, amounts })),
        },
      ],
    ];

    const rows: Array<[string, string]> = [];
    for (const [label, call] of calls) {
      const viaRelay = () => send(`${relay.url}/api/hmrc${call.path}`, call, relayHeaders);
      await viaRelay(); // captures the upstream headers
      const upstream = captured.get(`${call.method} ${call.path}`);
      if (!upstream) throw new Error(`the relay did not forward ${label}`);
      const direct = () => send(`${sandbox.url}${call.path}`, call, upstream.headers);

      const latency = await alternate(viaRelay, direct);
      const relayRps = await throughput(viaRelay);
      const directRps = await throughput(direct);
      rows.push(
        [`relay ${label}: latency`, `p50 ${latency.relay.p50.toFixed(3)} ms, p99 ${latency.relay.p99.toFixed(3)} ms (direct p50 ${latency.direct.p50.toFixed(3)}, p99 ${latency.direct.p99.toFixed(3)}; ${latency.n} each)`],
        [`relay ${label}: added latency`, `p50 ${(latency.relay.p50 - latency.direct.p50).toFixed(3)} ms, p99 ${(latency.relay.p99 - latency.direct.p99).toFixed(3)} ms`],
        [`relay ${label}: requests/s (${CONCURRENCY} in flight)`, `${relayRps.toFixed(0)} via relay, ${directRps.toFixed(0)} direct`],
      );
    }
    return rows;
  } finally {
    await loop.close();
  }
}

async function send(url: string, call: Call, headers: Record<string, string>): Promise<void> {
  const res = await fetch(url, {
    method: call.method,
    headers: call.body ? { ...headers, "Content-Type": "application/json" } : headers,
    ...(call.body ? { body: call.body } : {}),
  });
  await res.arrayBuffer();
  if (res.status >= 300) throw new Error(`${call.method} ${url} answered ${res.status}`);
}

interface Stats {
  p50: number;
  p99: number;
}

async function alternate(viaRelay: () => Promise<void>, direct: () => Promise<void>): Promise<{ relay: Stats; direct: Stats; n: number }> {
  for (let i = 0; i < WARM_UP; i++) {
    await viaRelay();
    await direct();
  }
  const samples = { relay: [] as number[], direct: [] as number[] };
  const stopAt = performance.now() + SCENARIO_BUDGET_MS;
  while (samples.relay.length < LATENCY_REQUESTS && performance.now() < stopAt) {
    for (const [name, fn] of [["relay", viaRelay], ["direct", direct]] as const) {
      for (let i = 0; i < BLOCK; i++) {
        const t0 = performance.now();
        await fn();
        samples[name].push(performance.now() - t0);
      }
    }
  }
  const stats = (xs: number[]): Stats => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  };
  return { relay: stats(samples.relay), direct: stats(samples.direct), n: samples.relay.length };
}

async function throughput(fn: () => Promise<void>): Promise<number> {
  let started = 0;
  const t0 = performance.now();
  const stopAt = t0 + SCENARIO_BUDGET_MS;
  const worker = async () => {
    while (started < THROUGHPUT_REQUESTS && performance.now() < stopAt) {
      started += 1;
      await fn();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return started / ((performance.now() - t0) / 1000);
}

/** The connect flow as task pane and dialog run it, granting authority on the sandbox's sign-in form. */
