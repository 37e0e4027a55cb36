/**
 * "A relay killed mid-submission loses no receipt it acknowledged": the real relay program (src/relay/main.ts
 * under node's tsx loader) runs in a child process on a database that outlives it; the test sends a burst of writes,
 * SIGKILLs the process the moment enough of them are acknowledged (the rest still in flight), reopens the
 * database and finds every acknowledged receipt, with the hash of the exact body sent.
 * (SIGKILL proves each receipt is committed before its response is sent; surviving a power cut on top of
 * that is what SQLite's synchronous=FULL and PostgreSQL's synchronous_commit=on provide.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { Pool } from "pg";
import { sha256Hex } from "../../src/relay/crypto";
import { openPostgresStore, openSqliteStore, type RelayStore } from "../../src/relay/store";
import { Browser, BROWSER_HEADERS, connect, CUMULATIVE_PATH, startFakeHmrc, tempDir, type FakeHmrc, type Relay } from "./helpers";
import { dropSchema, freshSchema, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from "./store-db";

const ROOT = resolve(__dirname, "../..");
const WRITES = 40;
const KILL_AFTER = 15;
/** The relay's own redirect URI when it listens on PORT=0 without a PUBLIC_URL. */
const REDIRECT_URI = "http://localhost:0/auth/callback";

let fake: FakeHmrc;
let child: ChildProcess | undefined;
beforeEach(async () => {
  fake = await startFakeHmrc(() => REDIRECT_URI);
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await fake.app.close();
});

/** Starts the relay program and resolves with its URL once it prints that it is listening. */
function startChild(env: Record<string, string>): Promise<{ url: string; exited: Promise<NodeJS.Signals | number | null> }> {
  const dataDir = tempDir();
  // tsx as a loader, not its CLI: the CLI runs the program in a second process, which SIGKILL would miss.
  const proc = spawn(process.execPath, ["--import", "tsx", "src/relay/main.ts"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      HMRC_BASE_URL: fake.url,
      HMRC_CLIENT_ID: fake.clientId,
      HMRC_CLIENT_SECRET: fake.clientSecret,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATA_DIR: dataDir,
      ADDIN_DIST_DIR: join(dataDir, "no-addin-here"),
      LOG_LEVEL: "silent",
      RATE_LIMIT_BURST: "1000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  const exited = new Promise<NodeJS.Signals | number | null>((done) => proc.once("exit", (code, signal) => done(signal ?? code)));
  return new Promise((done, fail) => {
    let out = "";
    let err = "";
    proc.stderr!.on("data", (b: Buffer) => (err += b.toString()));
    proc.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) done({ url, exited });
    });
    void exited.then((how) => fail(new Error(`relay exited (${how}) before listening:\n${out}\n${err}`)));
  });
}

/** Runs the crash scenario; returns the acknowledged receipt ids with the hash of the body each one sent. */
async function writeThenKill(url: string, exited: Promise<unknown>): Promise<Map<string, string>> {
  const browser = new Browser(url);
  const { sessionToken } = await connect({ browser } as Relay);
  const acknowledged = new Map<string, string>();
  const sends = Array.from({ length: WRITES }, async (_, i) => {
    const body = JSON.stringify({ fromDate: "2025-04-06", toDate: "2025-07-05", ukProperty: { income: { periodAmount: 1000 + i } } });
    try {
      const res = await fetch(`${url}/api/hmrc${CUMULATIVE_PATH}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${sessionToken}`, "content-type": "application/json", ...BROWSER_HEADERS },
        body,
      });
      const id = res.headers.get("x-mtd-receipt-id");
      if (res.status !== 204 || !id) throw new Error(`write ${i} answered ${res.status} without a receipt`);
      acknowledged.set(id, sha256Hex(body));
      if (acknowledged.size === KILL_AFTER) child!.kill("SIGKILL");
    } catch (e) {
      // After the kill, writes still in flight fail: nothing was acknowledged for them.
      if (acknowledged.size < KILL_AFTER) throw e;
    }
  });
  await Promise.all(sends);
  expect(await exited).toBe("SIGKILL");
  expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER);
  return acknowledged;
}

async function expectAllStored(store: RelayStore, acknowledged: Map<string, string>): Promise<void> {
  for (const [id, bodySha256] of acknowledged) {
    expect(await store.getReceipt(id)).toMatchObject({ id, bodySha256, status: 204, endpointId: "property.uk.cumulative.amend", method: "PUT" });
  }
}

test("SQLite: every receipt acknowledged before a SIGKILL is in the database afterwards", async () => {
  const path = join(tempDir(), "relay.sqlite");
  const { url, exited } = await startChild({ DATABASE_PATH: path });
  const acknowledged = await writeThenKill(url, exited);
  // Some writes were still in flight: the kill really was mid-burst.
  expect(fake.calls.length).toBeGreaterThanOrEqual(KILL_AFTER);
  const store = openSqliteStore(path);
  try {
    await expectAllStored(store, acknowledged);
  } finally {
    await store.close();
  }
});

(TEST_DATABASE_URL ? test : test.skip)(
  TEST_DATABASE_URL ? "PostgreSQL: every receipt acknowledged before a SIGKILL is in the database afterwards" : `PostgreSQL crash test — ${POSTGRES_SKIP_REASON}`,
  async () => {
    const base = TEST_DATABASE_URL!;
    const schema = freshSchema();
    const admin = new Pool({ connectionString: base, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    try {
      const withSchema = new URL(base);
      withSchema.searchParams.set("options", `-c search_path=${schema}`);
      const { url, exited } = await startChild({ DATABASE_URL: withSchema.href });
      const acknowledged = await writeThenKill(url, exited);
      const store = await openPostgresStore({ connectionString: base, schema });
      try {
        await expectAllStored(store, acknowledged);
      } finally {
        await store.close();
      }
    } finally {
      await dropSchema(base, schema);
    }
  },
);
