/**
 * Logger options: no personal data and no secrets in logs. URLs are logged with NINOs masked and the values
 * of OAuth and session query parameters redacted; credential-bearing headers are redacted wherever they
 * would appear.
 */
import type { FastifyServerOptions } from "fastify";
import { maskNinosIn } from "../mtd";
import type { LogLevel } from "./config";

const SECRET_QUERY_KEYS = new Set(["code", "state", "sid", "verifier", "challenge", "token", "access_token", "refresh_token"]);

/** The URL as it may appear in a log: NINOs masked, secret query values replaced. */
export function safeUrlForLog(url: string): string {
  const q = url.indexOf("?");
  const path = maskNinosIn(q === -1 ? url : url.slice(0, q));
  if (q === -1) return path;
  const params = new URLSearchParams(url.slice(q + 1));
  const safe = [...params].map(([k, v]) => `${encodeURIComponent(k)}=${SECRET_QUERY_KEYS.has(k) ? "[redacted]" : encodeURIComponent(maskNinosIn(v))}`);
  return `${path}?${safe.join("&")}`;
}

export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "headers.Authorization",
  "accessToken",
  "refreshToken",
  "sessionToken",
  "clientSecret",
  "*.accessToken",
  "*.refreshToken",
  "*.sessionToken",
  "*.clientSecret",
  "*.tokenKey",
  // Identity (issue #4): a Microsoft access token or a connect verifier must never reach a log line.
  "verifier",
  "*.verifier",
  "idToken",
  "*.idToken",
  "*.multiFactor.uniqueReference",
];

/** `stream` defaults to stdout. */
export function loggerOptions(level: LogLevel, stream?: NodeJS.WritableStream): FastifyServerOptions["logger"] {
  if (level === "silent") return false;
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: {
      req(request: { method: string; url: string; ip?: string }) {
        return { method: request.method, url: safeUrlForLog(request.url) };
      },
    },
  };
}
