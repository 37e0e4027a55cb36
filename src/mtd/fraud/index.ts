/** HMRC fraud-prevention headers (WEB_APP_VIA_SERVER, spec 3.3): encoding, builders and the validator. */
export * from "./encoding";
export * from "./headers";
export * from "./validator";
