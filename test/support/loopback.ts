/**
 * Starts the local HMRC sandbox and the relay on loopback, wired to each other, for integration and
 * browser tests: the same composition `npm start` makes, on ephemeral ports.
 */
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/relay/config";
import { startRelay, type RunningRelay } from "../../src/relay/main";
import { startSandbox, type RunningSandbox, type SandboxOptions } from "../../src/sandbox";

export interface Loopback {
  sandbox: RunningSandbox;
  relay: RunningRelay;
  /** The relay's public URL (what a browser opens). */
  relayUrl: string;
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1: the relay's redirect URI must name its port before it listens. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startLoopback(options: { sandbox?: SandboxOptions; env?: NodeJS.ProcessEnv } = {}): Promise<Loopback> {
  const sandbox = await startSandbox(0, "127.0.0.1", options.sandbox ?? {});
  const dataDir = mkdtempSync(join(tmpdir(), "mtd-relay-"));
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    HMRC_BASE_URL: sandbox.url,
    DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    ...options.env,
  });
  const relay = await startRelay(config);
  return {
    sandbox,
    relay,
    relayUrl: `http://127.0.0.1:${port}`,
    async close() {
      await relay.app.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
