import { join } from "node:path";
import { stopRelay } from "../../src/relay/main";
import { openSqliteStore } from "../../src/relay/store";
import { BROWSER_HEADERS, connect, CUMULATIVE_BODY, CUMULATIVE_PATH, NINO, startFakeHmrc, startRelayFor, tempDir, type FakeHmrc, type Relay } from "./helpers";

let fake: FakeHmrc;
let relay: Relay;
let dbPath: string;
let release: () => void;

beforeEach(async () => {
  dbPath = join(tempDir(), "relay.sqlite");
  fake = await startFakeHmrc(() => relay.config.redirectUri);
  relay = await startRelayFor(fake, { env: { DATABASE_PATH: dbPath } });
  // HMRC holds every write until the test lets it answer.
  const gate = new Promise<void>((resolve) => (release = resolve));
  fake.answer = async (call) => {
    if (call.method === "PUT") await gate;
    return undefined;
  };
});
afterEach(async () => {
  release();
  await fake.app.close();
});

/** Sends a write HMRC holds on to; resolves once HMRC has it (the response is wrapped so it is not awaited here). */
async function submitInFlight(): Promise<{ response: Promise<Response> }> {
  const { sessionToken } = await connect(relay);
  const pending = fetch(`${relay.url}/api/hmrc${CUMULATIVE_PATH}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${sessionToken}`, "content-type": "application/json", ...BROWSER_HEADERS },
    body: CUMULATIVE_BODY,
  });
  pending.catch(() => undefined);
  await waitFor(() => fake.calls.length === 1);
  return { response: pending };
}

test("stopping waits for a submission in flight, which gets HMRC's answer and its receipt; it stops listening at once", async () => {
  const { response: inFlight } = await submitInFlight();
  const stopped = stopRelay(relay.app, 10_000);
  // It stops listening at once, while the submission is still waiting for HMRC.
  await waitFor(() => !relay.app.server.listening);
  expect(fake.calls).toHaveLength(1);
  release();
  const res = await inFlight;
  expect(res.status).toBe(204);
  const receiptId = res.headers.get("x-mtd-receipt-id");
  expect(receiptId).toMatch(/^[0-9a-f-]{36}$/);
  expect(await stopped).toBe("drained");

  // The store was closed only after the receipt was written: it is on disk.
  const store = openSqliteStore(dbPath);
  const receipt = await store.getReceipt(receiptId!);
  expect(receipt).toMatchObject({ nino: NINO, status: 204 });
  await store.close();
});

test("a request still running after the grace period is cut off", async () => {
  const { response: inFlight } = await submitInFlight();
  expect(await stopRelay(relay.app, 50)).toBe("forced");
  await expect(inFlight).rejects.toThrow();
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error("condition never became true");
}
