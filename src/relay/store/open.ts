/** Picks the store from configuration: PostgreSQL when a postgres URL is given, else the SQLite file. */
import { openPostgresStore } from "./postgres";
import { openSqliteStore } from "./sqlite";
import type { RelayStore } from "./types";

export interface StoreLocation {
  /** SQLite file, or ":memory:". */
  databasePath: string;
  /** postgres:// or postgresql:// URL; when set, the SQLite path is not used. */
  databaseUrl: string | null;
  databasePoolSize: number;
}

/** Idle PostgreSQL connections that fail (the server restarted, say) are reported here; the pool reconnects. */
const reportToStderr = (e: Error) => process.stderr.write(`PostgreSQL connection error (the relay reconnects on next use): ${e.message}\n`);

export function openStore(where: StoreLocation, onError: (e: Error) => void = reportToStderr): Promise<RelayStore> {
  if (where.databaseUrl !== null) {
    return openPostgresStore({ connectionString: where.databaseUrl, poolSize: where.databasePoolSize, onError });
  }
  return Promise.resolve(openSqliteStore(where.databasePath));
}
