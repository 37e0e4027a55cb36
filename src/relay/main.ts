/**
 * Starts the relay. As a program (`node dist/node/relay/main.js`) it reads the environment, prints where it
 * listens and which HMRC it talks to, and stops cleanly on SIGINT/SIGTERM.
 */
import type { FastifyInstance } from "fastify";
import type { AddressInfo } from "node:net";
import { createRelay, type RelayDeps } from "./app";
import { ConfigError, loadConfig, type RelayConfig } from "./config";

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
    app.close().then(
      () => process.exit(0),
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
