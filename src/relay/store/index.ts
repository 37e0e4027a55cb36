export type { Grant, PendingAuth, PendingStatus, ReceiptQuery, RelayStore, Session } from "./types";
export { openSqliteStore } from "./sqlite";
export { MIGRATIONS, migrate, type Migration } from "./migrations";
