/**
 * `npm run sideload`: runs MTD Bridge in Excel desktop (Windows or Mac) against the local HMRC sandbox.
 *   1. office-addin-dev-certs makes and trusts a localhost certificate (Office loads add-ins only over https,
 *      and its dialogs refuse plain-http pages);
 *   2. builds if needed, then starts sandbox + relay over https with that certificate (what `npm start` runs,
 *      with TLS_CERT_FILE/TLS_KEY_FILE and PUBLIC_URL=https://localhost:3000), unless something already answers;
 *   3. office-addin-debugging registers manifest.xml with Excel and opens it.
 * Ctrl-C stops the servers; `npm run stop-sideload` unregisters the add-in. There is no Excel on Linux or in
 * CI, so this is for developers' own machines.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { ensureCertificatesAreInstalled } from "office-addin-dev-certs";
import * as certDefaults from "office-addin-dev-certs/lib/defaults";
import { AppType, startDebugging } from "office-addin-debugging";
import { OfficeApp } from "office-addin-manifest";

const ROOT = join(__dirname, "..");
const MANIFEST = join(ROOT, "manifest.xml");
const PUBLIC_URL = "https://localhost:3000";
const START_SCRIPT = join(ROOT, "dist", "node", "dev", "start.js");

/** GET over https trusting the dev CA: true when the relay's health check answers. */
function relayAnswers(ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(`${PUBLIC_URL}/healthz`, { ca, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

async function waitForRelay(ca: Buffer, child: ChildProcess, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 4; i += 1) {
    if (child.exitCode !== null) throw new Error("the servers stopped while starting (see their output above)");
    if (await relayAnswers(ca)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${PUBLIC_URL}/healthz did not answer within ${seconds} s`);
}

async function main(): Promise<void> {
  console.log("1/3 Making sure the development certificates for https://localhost are installed…");
  await ensureCertificatesAreInstalled();
  const ca = readFileSync(certDefaults.caCertificatePath);

  let servers: ChildProcess | undefined;
  if (await relayAnswers(ca)) {
    console.log(`2/3 ${PUBLIC_URL} already answers; using it.`);
  } else {
    if (!existsSync(START_SCRIPT) || !existsSync(join(ROOT, "dist", "addin", "taskpane.html"))) {
      console.log("2/3 Building the add-in and the servers…");
      const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit", shell: process.platform === "win32" });
      if (build.status !== 0) throw new Error("npm run build failed");
    }
    console.log(`2/3 Starting the local HMRC sandbox and the relay on ${PUBLIC_URL} …`);
    servers = spawn(process.execPath, [START_SCRIPT], {
      cwd: ROOT,
      stdio: "inherit",
      env: {
        ...process.env,
        TLS_CERT_FILE: certDefaults.localhostCertificatePath,
        TLS_KEY_FILE: certDefaults.localhostKeyPath,
        PUBLIC_URL,
        // The relay calls the https sandbox, whose certificate is signed by the dev CA.
        NODE_EXTRA_CA_CERTS: certDefaults.caCertificatePath,
      },
    });
    const stop = (): void => {
      servers?.kill("SIGINT");
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await waitForRelay(ca, servers, 30);
  }

  console.log("3/3 Sideloading manifest.xml into Excel desktop…");
  await startDebugging(MANIFEST, { appType: AppType.Desktop, app: OfficeApp.Excel, enableDebugging: false, enableSideload: true });
  console.log("In Excel, choose Home ▸ MTD Bridge. Remove the add-in with: npm run stop-sideload");
  if (servers) {
    console.log("The servers keep running here; press Ctrl-C to stop them.");
    await new Promise((resolve) => servers?.once("exit", resolve));
  }
}

main().catch((e: unknown) => {
  console.error(`Sideloading failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
