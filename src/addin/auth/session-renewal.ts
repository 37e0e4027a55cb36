/**
 * Local identity mode: relay sessions are short-lived (an hour by default), so the task pane swaps its token
 * for a new one while it still works. A session that is already gone is cleared, and the pane then shows
 * "Connect to HMRC" as usual; a network hiccup leaves the token alone for the next check.
 */
import type { RelayClient } from "../relay-client";
import { RelayError } from "../relay-client";
import type { SessionStore } from "../session-store";

/** Renew when less than this is left. */
export const RENEW_BEFORE_MS = 15 * 60 * 1000;
/** How often the task pane checks. */
export const RENEWAL_CHECK_MS = 60 * 1000;

export type RenewalOutcome = "not-due" | "renewed" | "ended" | "failed";

export async function renewIfDue(relay: Pick<RelayClient, "renewSession">, session: SessionStore, now: () => Date = () => new Date()): Promise<RenewalOutcome> {
  const expiresAt = session.expiresAt;
  if (session.token === undefined || expiresAt === undefined) return "not-due";
  if (Date.parse(expiresAt) - now().getTime() > RENEW_BEFORE_MS) return "not-due";
  try {
    const next = await relay.renewSession();
    session.set({ token: next.sessionToken, expiresAt: next.expiresAt });
    return "renewed";
  } catch (e) {
    if (e instanceof RelayError && e.status === 401) {
      session.clear();
      return "ended";
    }
    return "failed";
  }
}

export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
}

/** Checks every minute for as long as the task pane is open; `onEnded` lets the pane show it is disconnected. */
export function keepSessionFresh(relay: Pick<RelayClient, "renewSession">, session: SessionStore, onEnded: () => void, timers: Timers = globalThis): void {
  let running = false;
  timers.setInterval(() => {
    if (running) return;
    running = true;
    void renewIfDue(relay, session)
      .then((outcome) => {
        if (outcome === "ended") onEnded();
      })
      .finally(() => (running = false));
  }, RENEWAL_CHECK_MS);
}
