/**
 * Starts the local HMRC sandbox and the relay on loopback, wired to each other, for integration and
 * browser tests: the same composition `npm start` makes, on ephemeral ports.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/relay/config";
import type { RelayDeps } from "../../src/relay/app";
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

/** The browser half of the fraud-prevention headers, as the task pane would send them. */
export const BROWSER_HEADERS: Readonly<Record<string, string>> = {
  "Gov-Client-Browser-JS-User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0",
  "Gov-Client-Device-ID": "beec798b-b366-47fa-b1f8-92cede14a1ce",
  "Gov-Client-Screens": "width=1920&height=1080&scaling-factor=1&colour-depth=24",
  "Gov-Client-Window-Size": "width=350&height=900",
  "Gov-Client-Timezone": "UTC+00:00",
};

export async function startLoopback(options: { sandbox?: SandboxOptions; env?: NodeJS.ProcessEnv; relayDeps?: RelayDeps } = {}): Promise<Loopback> {
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
  const relay = await startRelay(config, options.relayDeps ?? {});
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

/**
 * Connects to the sandbox as the task pane and the dialog would (start → HMRC sign-in granted → callback →
 * claim) and returns the relay session token. Throws when a step does not answer as expected.
 */
export async function connectSession(loop: Pick<Loopback, "relayUrl" | "sandbox">, nino = "AA123456A"): Promise<string> {
  const step = async (res: Response, status: number, what: string): Promise<Response> => {
    if (res.status !== status) throw new Error(`${what} answered ${res.status}: ${await res.text()}`);
    return res;
  };
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const json = { "Content-Type": "application/json" };
  const start = (await (await step(await fetch(`${loop.relayUrl}/api/auth/start`, { method: "POST", headers: json, body: JSON.stringify({ challenge }) }), 200, "auth start")).json()) as { sid: string };
  const toHmrc = await step(await fetch(`${loop.relayUrl}/auth/start?sid=${encodeURIComponent(start.sid)}`, { redirect: "manual" }), 302, "dialog start");
  const form = new URLSearchParams(new URL(toHmrc.headers.get("location")!).searchParams);
  form.set("nino", nino);
  form.set("action", "grant");
  const granted = await step(await fetch(`${loop.sandbox.url}/oauth/authorize`, { method: "POST", body: form, redirect: "manual" }), 302, "sign-in");
  await step(await fetch(granted.headers.get("location")!, { redirect: "manual" }), 302, "callback");
  const claim = await step(await fetch(`${loop.relayUrl}/api/auth/claim`, { method: "POST", headers: json, body: JSON.stringify({ sid: start.sid, verifier }) }), 200, "claim");
  return ((await claim.json()) as { sessionToken: string }).sessionToken;
}
