/** The HMRC domain: pure TypeScript shared by add-in, relay, sandbox and CLI (DESIGN.md §2). */
export * from "./result";
export * from "./dates";
export * from "./tax-year";
export * from "./quarters";
export * from "./money";
export * from "./identifiers";
export * from "./errors";
export * from "./catalogue";
export * from "./validation";
export * from "./uk-property-cumulative";
export * from "./cumulative-payloads";
export * from "./responses";
export * from "./relay-api";
export * from "./fraud";
