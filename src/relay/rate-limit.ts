/**
 * Per-user rate limit: a token bucket per user id, refilled continuously (RATE_LIMIT_PER_MINUTE) up to
 * RATE_LIMIT_BURST. It protects HMRC's per-application quota and the relay from one runaway client. The
 * buckets live in this process: several instances behind a load balancer each allow the configured rate.
 */
import { err, ok, type Result } from "../mtd";
import { refusal, type RelayRefusal } from "./errors";
import type { Authenticator } from "./sessions";

export interface TokenBucketOptions {
  ratePerMinute: number;
  burst: number;
  /** Milliseconds on a monotonic clock. */
  now: () => number;
  /** Most users tracked at once; the least recently seen are forgotten first (they start full again). */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxKeys: number;

  constructor(private readonly o: TokenBucketOptions) {
    this.perMs = o.ratePerMinute / 60_000;
    this.maxKeys = o.maxKeys ?? 100_000;
  }

  /** Takes one token for `key`: ok, or how long until one is available. */
  take(key: string): Result<void, { retryAfterMs: number }> {
    const now = this.o.now();
    const previous = this.buckets.get(key);
    const tokens = previous ? Math.min(this.o.burst, previous.tokens + (now - previous.at) * this.perMs) : this.o.burst;
    // Re-insert so the Map's order is least recently used first.
    this.buckets.delete(key);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return err({ retryAfterMs: Math.ceil((1 - tokens) / this.perMs) });
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return ok(undefined);
  }
}

/** The authenticator, plus a 429 with Retry-After once the user's bucket is empty. */
export function rateLimited(authenticate: Authenticator, buckets: TokenBuckets | null): Authenticator {
  if (!buckets) return authenticate;
  return async (authorization) => {
    const session = await authenticate(authorization);
    if (!session.ok) return session;
    const taken = buckets.take(session.value.userId);
    if (taken.ok) return session;
    return err({ ...refusal(429, "RELAY_RATE_LIMITED"), retryAfterSeconds: Math.max(1, Math.ceil(taken.error.retryAfterMs / 1000)) } satisfies RelayRefusal);
  };
}
