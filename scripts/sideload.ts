/**
 * `npm run sideload`: puts MTD Bridge into Excel desktop (Windows or Mac) for manual testing.
 *   1. office-addin-dev-certs makes and trusts a localhost certificate (Office loads add-ins only over https);
 *   2. it checks whether https://localhost:3000/taskpane.html answers, and says what to do if not;
 *   3. office-addin-debugging registers manifest.xml with Excel and opens it.
 * It cannot run in CI or on Linux (no Excel there); `npm run stop-sideload` undoes step 3.
 */
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { ensureCertificatesAreInstalled } from "office-addin-dev-certs";
import * as certDefaults from "office-addin-dev-certs/lib/defaults";
import { AppType, startDebugging } from "office-addin-debugging";
import { OfficeApp } from "office-addin-manifest";

const MANIFEST = join(__dirname, "..", "manifest.xml");
const TASKPANE = "https://localhost:3000/taskpane.html";

/** GET over https trusting only the dev CA: true when the task pane page is served. */
function taskpaneAnswers(ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(TASKPANE, { ca, timeout: 3000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

async function main(): Promise<void> {
  console.log("1/3 Making sure the development certificates for https://localhost are installed…");
  await ensureCertificatesAreInstalled();
  console.log(`    Certificate: ${certDefaults.localhostCertificatePath}`);
  console.log(`    Key:         ${certDefaults.localhostKeyPath}`);

  console.log(`2/3 Checking ${TASKPANE} …`);
  if (!(await taskpaneAnswers(readFileSync(certDefaults.caCertificatePath)))) {
    console.log(
      [
        "    Nothing answers there yet. Excel loads the task pane, the dialog and /api from that one https origin:",
        "      - build the add-in: npm run build",
        "      - run the relay so that https://localhost:3000 reaches it. The relay itself speaks plain http, so put a",
        "        TLS front on port 3000 using the certificate and key above (any local TLS proxy), forwarding to the",
        "        relay on another port, and start the relay with PUBLIC_URL=https://localhost:3000 (and PORT=<that port>).",
        "      - note: the local HMRC sandbox accepts sign-in redirects only to http://localhost, so \"Connect to HMRC\"",
        "        from Excel desktop needs HMRC's own sandbox (HMRC_BASE_URL, HMRC_CLIENT_ID, HMRC_CLIENT_SECRET) with",
        "        https://localhost:3000/auth/callback registered as a redirect URI.",
        "    Without Excel, use the workbench instead: npm start, then open http://localhost:3000/workbench.html.",
      ].join("\n"),
    );
  }

  console.log("3/3 Sideloading manifest.xml into Excel desktop…");
  await startDebugging(MANIFEST, { appType: AppType.Desktop, app: OfficeApp.Excel, enableDebugging: false, enableSideload: true });
  console.log("Done. In Excel, choose Home ▸ MTD Bridge. Remove it again with: npm run stop-sideload");
}

main().catch((e: unknown) => {
  console.error(`Sideloading failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
