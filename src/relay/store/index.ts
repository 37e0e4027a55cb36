export type { Grant, GrantChange, PendingAuth, PendingStatus, ReceiptCursor, ReceiptQuery, RelayStore, Session } from "./types";
export { openSqliteStore } from "./sqlite";
export { openPostgresStore, type PostgresOptions } from "./postgres";
export { MIGRATIONS, migrateSqlite, type Migration } from "./migrations";
export { openStore, type StoreLocation } from "./open";
