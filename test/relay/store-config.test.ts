/** Configuration of the store and of token encryption keys (DATABASE_URL, DATABASE_POOL_SIZE, TOKEN_ENCRYPTION_KEYS_PREVIOUS). */
import { randomBytes } from "node:crypto";
import { ConfigError, loadConfig } from "../../src/relay/config";
import { encryptionKeyId } from "../../src/relay/crypto";

const key = () => randomBytes(32).toString("base64");
const base = { TOKEN_ENCRYPTION_KEY: key(), DATA_DIR: "/tmp/mtd-store-config-test", LOG_LEVEL: "silent" };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (e) {
    if (e instanceof ConfigError) return [...e.problems];
    throw e;
  }
  return [];
}

describe("store configuration", () => {
  test("SQLite by default; PostgreSQL when DATABASE_URL is a postgres URL", () => {
    expect(loadConfig(base)).toMatchObject({ databaseUrl: null, databasePoolSize: 10 });
    for (const url of ["postgres://u:p@db.internal:5432/mtd", "postgresql://u@localhost/mtd?sslmode=require"]) {
      expect(loadConfig({ ...base, DATABASE_URL: url, DATABASE_POOL_SIZE: "20" })).toMatchObject({ databaseUrl: url, databasePoolSize: 20 });
    }
  });

  test("any other DATABASE_URL is refused without echoing it (it may hold a password)", () => {
    for (const url of ["mysql://u:hunter2@db/mtd", "postgres//u:hunter2@db", "/var/lib/relay.sqlite"]) {
      const found = problems({ DATABASE_URL: url });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^DATABASE_URL must be a PostgreSQL URL/);
      expect(found[0]).not.toContain("hunter2");
    }
    expect(problems({ DATABASE_POOL_SIZE: "0" })[0]).toMatch(/^DATABASE_POOL_SIZE must be a whole number from 1 to 100/);
  });
});

describe("token encryption keys", () => {
  test("TOKEN_ENCRYPTION_KEYS_PREVIOUS lists older keys that still decrypt", () => {
    const [a, b] = [key(), key()];
    const c = loadConfig({ ...base, TOKEN_ENCRYPTION_KEYS_PREVIOUS: ` ${a} ,${b},` });
    expect(c.previousTokenKeys.map((k) => k.id)).toEqual([a, b].map((k) => encryptionKeyId(Buffer.from(k, "base64"))));
    expect(loadConfig(base).previousTokenKeys).toEqual([]);
  });

  test("a malformed previous key is named by position, never shown", () => {
    const found = problems({ TOKEN_ENCRYPTION_KEYS_PREVIOUS: `${key()},c2hvcnQ=` });
    expect(found).toEqual(["TOKEN_ENCRYPTION_KEYS_PREVIOUS (key 2) must be the base64 of exactly 32 random bytes (for example: openssl rand -base64 32)."]);
  });
});
