/**
 * Runs the local HMRC sandbox: `node dist/node/sandbox/main.js` (port from SANDBOX_PORT, default 3100).
 * `startSandbox` is also what the `npm start` composition root calls.
 */
import type { FastifyInstance } from "fastify";
import { createSandbox, type SandboxOptions } from "./app";
import { faultsFromEnv } from "./faults";

export const DEFAULT_SANDBOX_PORT = 3100;

export interface RunningSandbox {
  readonly app: FastifyInstance;
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:3100` (https when started with TLS). */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a sandbox listening on host:port (port 0 picks a free one) and resolves once it is listening. */
export async function startSandbox(port: number = DEFAULT_SANDBOX_PORT, host = "127.0.0.1", options: SandboxOptions = {}): Promise<RunningSandbox> {
  const app = createSandbox(options);
  await app.listen({ port, host });
  const address = app.server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const scheme = options.tls ? "https" : "http";
  return { app, url: `${scheme}://${urlHost}:${actualPort}`, close: () => app.close() };
}

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_SANDBOX_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SANDBOX_PORT must be a port number (0-65535), not "${value}".`);
  return port;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox(portFromEnv(process.env.SANDBOX_PORT), "127.0.0.1", { faults: faultsFromEnv(process.env.SANDBOX_FAULTS) });
  console.log(`HMRC sandbox listening on ${sandbox.url}`);
  const stop = () => {
    sandbox.close().then(
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
