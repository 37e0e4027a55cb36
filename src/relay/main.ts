/**
 * Starts the relay. As a program (`node dist/node/relay/main.js`) it reads the environment, prints where it
 * listens and which HMRC it talks to, and stops gracefully on SIGINT/SIGTERM: it stops accepting connections,
 * lets requests in flight finish (a submission half-way to HMRC must get its receipt), within a bound, then
 * closes the store.
 */
import type { FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import { createRelay, type RelayDeps } from "./app";
import { ConfigError, loadConfig, type RelayConfig } from "./config";

const SWEEP_INTERVAL_MS = 25;

export interface RunningRelay {
  app: FastifyInstance;
  /** Where it actually listens, e.g. http://127.0.0.1:3000 (the real port when PORT=0). */
  url: string;
}

export async function startRelay(config: RelayConfig, deps: RelayDeps = {}): Promise<RunningRelay> {
  const app = await createRelay(config, deps);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (e) {
    await app.close();
    throw e;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return { app, url: `${config.tls ? "https" : "http"}://${host}:${address.port}` };
}

/**
 * Stops accepting, waits for requests in flight (Fastify answers new requests on open keep-alive connections
 * with 503 meanwhile), then closes the store via the app's onClose hook. After `graceMs` the remaining
 * connections are cut. Resolves with how it ended.
 */
export async function stopRelay(app: FastifyInstance, graceMs: number): Promise<"drained" | "forced"> {
  let timer: NodeJS.Timeout | undefined;
  const closing = app.close().then(() => "drained" as const);
  // A keep-alive connection whose last request has just been answered would hold the close open: drop those.
  const sweep = setInterval(() => app.server.closeIdleConnections(), SWEEP_INTERVAL_MS);
  const expired = new Promise<"forced">((resolve) => (timer = setTimeout(() => resolve("forced"), graceMs)));
  const outcome = await Promise.race([closing, expired]);
  clearTimeout(timer);
  clearInterval(sweep);
  if (outcome === "forced") {
    app.server.closeAllConnections();
    await closing;
  }
  return outcome;
}

async function main(): Promise<void> {
  let config: RelayConfig;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exitCode = 1;
      return;
    }
    throw e;
  }
  const { app, url } = await startRelay(config);
  console.log(`MTD Bridge relay listening on ${url} (public URL ${config.publicUrl}), talking to ${config.environment} at ${config.hmrcBaseUrl}`);
  const stop = () => {
    console.log("Stopping: finishing requests in flight…");
    stopRelay(app, config.protection.shutdownTimeoutMs).then(
      (outcome) => {
        if (outcome === "forced") console.error(`Requests still running after ${config.protection.shutdownTimeoutMs} ms were cut off.`);
        process.exit(outcome === "drained" ? 0 : 1);
      },
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
