/**
 * `GET /api/fraud-headers/check` (relay contract, src/mtd/relay-api.ts): HMRC's validator rules on exactly the
 * fraud-prevention headers the relay would send with an HMRC call made now from this browser: the browser
 * half as this request carries it, plus the relay's own half for this connection and identity. The task
 * pane's "What we send HMRC" panel shows the answer; personal values are partly masked before they leave.
 */
import type { FastifyPluginAsync } from "fastify";
import { CONNECTION_METHOD, describeFraudHeaders, maskFraudHeaderValue, type FraudHeaderReport, type FraudHeadersCheckResponse } from "../mtd";
import type { RelayConfig } from "./config";
import { refusal, sendRefusal } from "./errors";
import { browserFraudHeaders, fraudHeaderSet, serverFraudHeadersFor } from "./fraud-headers";
import { sessionGuard, type Authenticator } from "./sessions";

export const FRAUD_CHECK_PATH = "/api/fraud-headers/check";

export interface FraudCheckDeps {
  config: RelayConfig;
  authenticate: Authenticator;
  now: () => Date;
}

function masked(report: FraudHeaderReport): FraudHeaderReport {
  return report.value === undefined ? report : { ...report, value: maskFraudHeaderValue(report.header, report.value) };
}

export function fraudCheckRoutes(d: FraudCheckDeps): FastifyPluginAsync {
  return async (app) => {
    const guard = sessionGuard(d.authenticate);
    app.get(FRAUD_CHECK_PATH, { onRequest: guard }, async (request, reply) => {
      const receivedAt = d.now();
      const browser = browserFraudHeaders(request.headers);
      if (!browser.ok) {
        request.log.info({ header: browser.error.header }, "refused a malformed fraud-prevention header");
        return sendRefusal(reply, refusal(400, "RELAY_BAD_HEADER"));
      }
      const set = fraudHeaderSet(browser.value, serverFraudHeadersFor(request, request.relaySession!, receivedAt, d.config));
      const options = { connectionMethod: CONNECTION_METHOD } as const;
      const body: FraudHeadersCheckResponse = {
        ...set.validation,
        connectionMethod: CONNECTION_METHOD,
        strict: d.config.fraudHeaders.strict,
        headers: describeFraudHeaders(set.headers, options).map(masked),
        notSent: set.notSent,
      };
      return reply.header("cache-control", "no-store").send(body);
    });
  };
}
