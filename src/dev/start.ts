/**
 * `npm start`: the local HMRC sandbox and the relay side by side, the relay serving the built add-in and
 * the workbench. With no HMRC credentials configured the relay talks to this sandbox; with HMRC_BASE_URL
 * pointing at HMRC, no sandbox is started. With TLS_CERT_FILE/TLS_KEY_FILE both serve https (what Excel
 * needs when sideloaded). Ctrl-C stops both.
 */
import { loadConfig, ConfigError } from "../relay/config";
import { startRelay } from "../relay/main";
import { faultsFromEnv, startSandbox, DEFAULT_SANDBOX_PORT } from "../sandbox";

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError([`${name} must be a port number (0-65535), not "${raw}".`]);
  return n;
}

async function main(): Promise<void> {
  // Validate everything before starting anything; the TLS settings serve the sandbox too.
  const configured = loadConfig(process.env);
  const usesLocalSandbox = !process.env.HMRC_BASE_URL;
  const sandbox = usesLocalSandbox
    ? await startSandbox(port("SANDBOX_PORT", DEFAULT_SANDBOX_PORT), "127.0.0.1", { ...(configured.tls ? { tls: configured.tls } : {}), faults: faultsFromEnv(process.env.SANDBOX_FAULTS) })
    : undefined;
  // Certificates name localhost rather than 127.0.0.1, so an https sandbox is addressed by name.
  const sandboxUrl = sandbox && configured.tls ? sandbox.url.replace("127.0.0.1", "localhost") : sandbox?.url;
  const config = sandboxUrl ? loadConfig({ ...process.env, HMRC_BASE_URL: sandboxUrl }) : configured;
  const relay = await startRelay(config);
  const publicUrl = config.publicUrl.replace(/\/$/, "");

  console.log("");
  console.log("MTD Bridge is running.");
  console.log(`  Relay:      ${publicUrl}  (health: ${publicUrl}/healthz)`);
  const shownSandbox = sandboxUrl?.replace("127.0.0.1", "localhost");
  if (shownSandbox) console.log(`  Sandbox:    ${shownSandbox}  (local HMRC emulator; health: ${shownSandbox}/healthz)`);
  else console.log(`  HMRC:       ${config.hmrcBaseUrl} (${config.environment})`);
  console.log(`  Workbench:  ${publicUrl}/workbench.html  (the add-in on a simulated workbook, no Excel needed)`);
  console.log(`  Task pane:  ${publicUrl}/taskpane.html  (for Excel; see README "Sideload into Excel")`);
  console.log("Press Ctrl-C to stop.");

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    Promise.allSettled([relay.app.close(), sandbox?.close()]).then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
