/**
 * When and how long to wait before calling HMRC again. Only calls that are safe to repeat are retried (GET,
 * and PUTs the catalogue marks idempotent, such as the cumulative updates, which replace the year to date);
 * a POST (a calculation trigger, a new claim) is never repeated behind the user's back. Retries happen on 429,
 * 5xx and network failures, with exponential backoff and full jitter, honour HMRC's Retry-After up to a cap,
 * and stop after a bounded number of attempts or when the call's overall time budget would be exceeded.
 */
import type { Endpoint } from "../mtd";

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** Backoff before retry n (from 0) is random in [0, min(maxDelayMs, baseDelayMs · 2^n)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: HMRC's answer goes back to the user instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Omit<RetryPolicy, "retries"> = { baseDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 5_000 };

export function isRetryable(endpoint: Endpoint): boolean {
  return endpoint.method === "GET" || (endpoint.method === "PUT" && endpoint.idempotent);
}

/** 429, and server errors that may pass (not 501 Not Implemented or 505). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status !== 501 && status !== 505 && status < 600);
}

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  // An HTTP date starts with the day's name (RFC 9110 §5.6.7); Date.parse would read "-1" as a year.
  const at = /^[A-Za-z]{3,9},? /.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): spreads clients' retries apart. */
export function backoffMs(retry: number, policy: Omit<RetryPolicy, "retries">, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/**
 * The wait before retry number `retry` (from 0), or undefined to stop: out of attempts, a Retry-After beyond
 * the cap, or a wait that would not leave time for another attempt within `remainingMs`.
 */
export function nextDelay(
  retry: number,
  retryAfter: number | undefined,
  remainingMs: number,
  policy: RetryPolicy,
  random: () => number,
): number | undefined {
  if (retry >= policy.retries) return undefined;
  if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) return undefined;
  const delay = retryAfter ?? backoffMs(retry, policy, random);
  return delay < remainingMs ? delay : undefined;
}
