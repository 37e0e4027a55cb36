/**
 * Sideloading into real Excel needs https end to end: the relay and the sandbox serve TLS with a local
 * certificate (npm run sideload uses Office's dev certificates; here openssl makes a throwaway one).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/relay/config";
import { startRelay, type RunningRelay } from "../../src/relay/main";
import { startSandbox, type RunningSandbox } from "../../src/sandbox";
import { freePort } from "../support/loopback";

const dir = mkdtempSync(join(tmpdir(), "mtd-tls-"));
const certFile = join(dir, "cert.pem");
const keyFile = join(dir, "key.pem");
let ca: Buffer;
let sandbox: RunningSandbox;
let relay: RunningRelay;
let relayUrl: string;

function get(url: string): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}), body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], { stdio: "ignore" });
  ca = readFileSync(certFile);
  sandbox = await startSandbox(0, "127.0.0.1", { tls: { cert: ca, key: readFileSync(keyFile) } });
  const port = await freePort();
  const config = loadConfig({ PORT: String(port), TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, HMRC_BASE_URL: sandbox.url, DATA_DIR: dir, LOG_LEVEL: "silent" });
  relay = await startRelay(config);
  relayUrl = config.publicUrl;
});

afterAll(async () => {
  await relay?.app.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("relay and sandbox answer over https, and the public URL defaults to https", async () => {
  expect(relayUrl).toMatch(/^https:\/\/localhost:\d+$/);
  expect(relay.url).toMatch(/^https:/);
  expect(sandbox.url).toMatch(/^https:/);
  expect(JSON.parse((await get(`${relay.url}/healthz`)).body)).toMatchObject({ status: "ok" });
  expect(JSON.parse((await get(`${sandbox.url}/healthz`)).body)).toMatchObject({ status: "ok" });
});

test("the sandbox accepts the https callback the sideloaded add-in registers", async () => {
  const authorize = `${sandbox.url}/oauth/authorize?response_type=code&client_id=mtd-bridge-local&scope=read:self-assessment&state=s&redirect_uri=${encodeURIComponent(`${relayUrl}/auth/callback`)}`;
  const page = await get(authorize);
  expect(page.status).toBe(200);
  expect(page.body).toContain("Grant authority");
});

test("TLS settings come as a pair and must be readable", () => {
  expect(() => loadConfig({ TLS_CERT_FILE: certFile, DATA_DIR: dir })).toThrow(ConfigError);
  expect(() => loadConfig({ TLS_CERT_FILE: join(dir, "missing.pem"), TLS_KEY_FILE: keyFile, DATA_DIR: dir })).toThrow(/TLS_CERT_FILE could not be read/);
});
