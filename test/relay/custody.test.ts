/**
 * Token custody through the real relay and a fake HMRC: one refresh per grant under concurrency (also
 * across two relay instances on one PostgreSQL store), rotation of the encryption key, and no plaintext
 * token in what the store persists.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createTokenCipher, encryptionKeyId, sha256Hex } from "../../src/relay/crypto";
import { openPostgresStore, openSqliteStore, type RelayStore } from "../../src/relay/store";
import { BROWSER_HEADERS, Clock, connect, LIST_PATH, startFakeHmrc, startRelayFor, tempDir, type FakeHmrc, type Relay } from "./helpers";
import { dropSchema, freshSchema, postgresDump, POSTGRES_SKIP_REASON, sqliteFileDump, TEST_DATABASE_URL } from "./store-db";

const TOKEN_LIFETIME_MS = 14400 * 1000;
const refreshes = (fake: FakeHmrc) => fake.tokenRequests.filter((f) => f.grant_type === "refresh_token").length;
const base64Key = () => randomBytes(32).toString("base64");

let fake: FakeHmrc;
let relays: Relay[];
let stores: RelayStore[];
let clock: Clock;
let cleanups: Array<() => Promise<void>>;

beforeEach(async () => {
  clock = new Clock();
  relays = [];
  stores = [];
  cleanups = [];
  fake = await startFakeHmrc(() => relays[0]!.config.redirectUri);
});
afterEach(async () => {
  for (const r of relays) await r.app.close();
  for (const s of stores) await s.close();
  await fake.app.close();
  for (const c of cleanups) await c();
});

/** A relay on `store` (left open by the relay; closed after the test). */
async function relayOn(store: RelayStore, env: Record<string, string> = {}): Promise<Relay> {
  stores.push(store);
  // Sessions outlive the two token expiries a test may cross.
  const relay = await startRelayFor(fake, { env: { SESSION_TTL_SECONDS: "86400", ...env }, deps: { now: clock.now, store } });
  relays.push(relay);
  return relay;
}

/** Counts requests as they reach the relay's session check, so the test knows all of them are in flight. */
function counting(store: RelayStore): { store: RelayStore; arrived: () => number } {
  let n = 0;
  return { store: { ...store, getSession: (hash) => ((n += 1), store.getSession(hash)) }, arrived: () => n };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error("timed out waiting for the requests to arrive");
}

/** `count` GETs through the relays, round robin, all held at HMRC's token endpoint until they are in flight. */
async function burstAcrossExpiry(targets: Relay[], sessionToken: string, count: number, arrived: () => number) {
  clock.advance(TOKEN_LIFETIME_MS);
  let open!: () => void;
  fake.refreshGate = new Promise<void>((r) => (open = r));
  const before = arrived();
  const requests = Array.from({ length: count }, (_, i) =>
    targets[i % targets.length]!.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { authorization: `Bearer ${sessionToken}`, ...BROWSER_HEADERS } }),
  );
  await until(() => arrived() - before >= count && refreshes(fake) >= 1);
  // Give any second refresh the chance to start before HMRC answers the first.
  await new Promise((r) => setTimeout(r, 50));
  open();
  return Promise.all(requests);
}

describe("one refresh at a time per grant", () => {
  test("50 concurrent requests across an access-token expiry cause exactly one refresh (SQLite)", async () => {
    const c = counting(openSqliteStore(join(tempDir(), "relay.sqlite")));
    const relay = await relayOn(c.store);
    const { sessionToken } = await connect(relay);
    const results = await burstAcrossExpiry([relay], sessionToken, 50, c.arrived);
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(refreshes(fake)).toBe(1);
    // Every request went out with the one new access token.
    expect(new Set(fake.calls.slice(-50).map((call) => call.headers.authorization))).toEqual(new Set([`Bearer ${fake.issued[2]}`]));
    // The rotated refresh token was stored: the next expiry refreshes again, with it, successfully.
    const again = await burstAcrossExpiry([relay], sessionToken, 5, c.arrived);
    expect(again.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(fake.tokenRequests.filter((f) => f.grant_type === "refresh_token").map((f) => f.refresh_token)).toEqual([fake.issued[1], fake.issued[3]]);
  });

  (TEST_DATABASE_URL ? test : test.skip)(
    TEST_DATABASE_URL
      ? "50 concurrent requests across an expiry, spread over two relay instances on one PostgreSQL store, cause exactly one refresh"
      : `two relay instances on one store refresh once — ${POSTGRES_SKIP_REASON}`,
    async () => {
      const url = TEST_DATABASE_URL!;
      const schema = freshSchema();
      cleanups.push(() => dropSchema(url, schema));
      const key = base64Key();
      const a = counting(await openPostgresStore({ connectionString: url, schema }));
      const b = counting(await openPostgresStore({ connectionString: url, schema }));
      const first = await relayOn(a.store, { TOKEN_ENCRYPTION_KEY: key });
      const second = await relayOn(b.store, { TOKEN_ENCRYPTION_KEY: key });
      const { sessionToken } = await connect(first);
      const results = await burstAcrossExpiry([first, second], sessionToken, 50, () => a.arrived() + b.arrived());
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(refreshes(fake)).toBe(1);
      expect(new Set(fake.calls.slice(-50).map((call) => call.headers.authorization))).toEqual(new Set([`Bearer ${fake.issued[2]}`]));
    },
  );
});

describe("encryption key rotation", () => {
  test("after rotation the old key still opens tokens, and the grant is re-sealed with the new key on first use", async () => {
    const path = join(tempDir(), "relay.sqlite");
    const oldKey = base64Key();
    const newKey = base64Key();
    const keyId = (k: string) => encryptionKeyId(Buffer.from(k, "base64"));
    const blobKey = async (store: RelayStore, grantId: string) => (await store.getGrant(grantId))!.tokens.split(".")[1];

    const before = await relayOn(openSqliteStore(path), { TOKEN_ENCRYPTION_KEY: oldKey });
    const { sessionToken } = await connect(before);
    const grantId = (await stores[0]!.getSession(sha256Hex(sessionToken)))!.grantId;
    expect(await blobKey(stores[0]!, grantId)).toBe(keyId(oldKey));
    await before.app.close();
    relays = [];

    // Without the old key the relay cannot open the tokens: the user must reconnect.
    const lost = await relayOn(openSqliteStore(path), { TOKEN_ENCRYPTION_KEY: newKey });
    const refused = await lost.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { authorization: `Bearer ${sessionToken}`, ...BROWSER_HEADERS } });
    expect(refused.status).toBe(401);
    await lost.app.close();
    relays = [];

    const rotated = await relayOn(openSqliteStore(path), { TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_KEYS_PREVIOUS: `${base64Key()}, ${oldKey}` });
    const ok = await rotated.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { authorization: `Bearer ${sessionToken}`, ...BROWSER_HEADERS } });
    expect(ok.status).toBe(200);
    expect(fake.calls.at(-1)!.headers.authorization).toBe(`Bearer ${fake.issued[0]}`);
    expect(refreshes(fake)).toBe(0);
    const store = stores.at(-1)!;
    expect(await blobKey(store, grantId)).toBe(keyId(newKey));
    // The re-sealed blob opens with the new key alone.
    const cipher = createTokenCipher({ id: keyId(newKey), key: Buffer.from(newKey, "base64") });
    expect(JSON.parse(cipher.decrypt((await store.getGrant(grantId))!.tokens, `grant:${grantId}`))).toEqual({ access: fake.issued[0], refresh: fake.issued[1] });
  });
});

describe("disconnecting", () => {
  test("deletes the grant with its encrypted tokens and every session on it", async () => {
    const relay = await relayOn(openSqliteStore(join(tempDir(), "relay.sqlite")));
    const { sessionToken } = await connect(relay);
    const store = stores[0]!;
    const grantId = (await store.getSession(sha256Hex(sessionToken)))!.grantId;
    expect(await store.getGrant(grantId)).not.toBeNull();
    const res = await relay.browser.fetch("/api/auth/disconnect", { method: "POST", headers: { authorization: `Bearer ${sessionToken}` } });
    expect(res.status).toBe(204);
    expect(await store.getGrant(grantId)).toBeNull();
    expect(await store.getSession(sha256Hex(sessionToken))).toBeNull();
    const after = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { authorization: `Bearer ${sessionToken}`, ...BROWSER_HEADERS } });
    expect(after.status).toBe(401);
    // HMRC has no endpoint to revoke a user's token: nothing is sent to HMRC on disconnect.
    expect(fake.tokenRequests.map((f) => f.grant_type)).toEqual(["authorization_code"]);
  });
});

describe("what the store persists", () => {
  const backends: Array<[string, (() => Promise<{ store: RelayStore; dump: () => Promise<string> }>) | null]> = [
    [
      "SQLite (file bytes, with -wal and -shm)",
      async () => {
        const path = join(tempDir(), "relay.sqlite");
        return { store: openSqliteStore(path), dump: async () => sqliteFileDump(path) };
      },
    ],
    [
      TEST_DATABASE_URL ? "PostgreSQL (every table's rows)" : `PostgreSQL — ${POSTGRES_SKIP_REASON}`,
      TEST_DATABASE_URL
        ? async () => {
            const url = TEST_DATABASE_URL!;
            const schema = freshSchema();
            cleanups.push(() => dropSchema(url, schema));
            return { store: await openPostgresStore({ connectionString: url, schema }), dump: () => postgresDump(url, schema) };
          }
        : null,
    ],
  ];

  for (const [name, open] of backends) {
    (open ? test : test.skip)(`no plaintext HMRC token or session token in a dump: ${name}`, async () => {
      const { store, dump } = await open!();
      const relay = await relayOn(store);
      const { sessionToken } = await connect(relay);
      clock.advance(TOKEN_LIFETIME_MS); // a refresh stores a rotated pair too
      const call = await relay.browser.fetch(`/api/hmrc${LIST_PATH}`, { headers: { authorization: `Bearer ${sessionToken}`, ...BROWSER_HEADERS } });
      expect(call.status).toBe(200);
      expect(fake.issued).toHaveLength(4);
      const text = await dump();
      expect(text).toContain(sha256Hex(sessionToken)); // the dump does see the stored rows
      for (const secret of [...fake.issued, sessionToken, fake.clientSecret]) expect(text).not.toContain(secret);
      // Nor their base64 (a blob that merely encoded them would be caught here).
      for (const secret of fake.issued) expect(text).not.toContain(Buffer.from(secret).toString("base64url").slice(0, 20));
    });
  }
});
