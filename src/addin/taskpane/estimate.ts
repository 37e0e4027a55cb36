/**
 * "Get my tax estimate": trigger HMRC's in-year calculation, then retrieve it. HMRC answers 404 until the
 * calculation is ready and asks software to wait at least 5 seconds before the first retrieve, so the polling
 * waits first, then backs off, and gives up after a bounded number of tries. Waiting is injected for tests.
 */
import { buildPath, getEndpoint, type CalculationRetrieveResponse, type CalculationTriggerResponse, type Nino, type TaxYear } from "../../mtd";
import { RelayError, type RelayClient } from "../relay-client";

/** Waits before each retrieve: 5 s (HMRC's minimum), then longer; about 1 minute 35 s in all. */
export const RETRIEVE_WAITS_MS = [5_000, 5_000, 10_000, 15_000, 20_000, 40_000] as const;

export interface EstimateDeps {
  readonly relay: Pick<RelayClient, "hmrc">;
  readonly wait: (ms: number) => Promise<void>;
  readonly progress: (message: string) => void;
}

export class EstimateNotReady extends Error {
  constructor() {
    super("HMRC has not finished your tax estimate yet. Try “Get my tax estimate” again in a few minutes.");
    this.name = "EstimateNotReady";
  }
}

export async function fetchTaxEstimate(deps: EstimateDeps, input: { nino: Nino; taxYear: TaxYear }): Promise<CalculationRetrieveResponse> {
  deps.progress("Asking HMRC to calculate your tax so far…");
  const trigger = getEndpoint("calculations.trigger");
  const res = await deps.relay.hmrc<CalculationTriggerResponse>("POST", buildPath(trigger, { nino: input.nino, taxYear: input.taxYear, calculationType: "in-year" }));
  const calculationId = res.body?.calculationId;
  if (typeof calculationId !== "string" || !/^[0-9a-fA-F-]{1,64}$/.test(calculationId)) throw new Error("HMRC's answer had no calculation ID.");
  const retrieve = getEndpoint("calculations.retrieve");
  const path = buildPath(retrieve, { nino: input.nino, taxYear: input.taxYear, calculationId });
  for (const [i, ms] of RETRIEVE_WAITS_MS.entries()) {
    deps.progress(`Waiting for HMRC to finish the calculation (check ${i + 1} of ${RETRIEVE_WAITS_MS.length})…`);
    await deps.wait(ms);
    try {
      const calc = await deps.relay.hmrc<CalculationRetrieveResponse>("GET", path);
      if (!calc.body || typeof calc.body.metadata?.calculationId !== "string") throw new Error("HMRC's calculation was not understood.");
      return calc.body;
    } catch (e) {
      if (!(e instanceof RelayError && e.status === 404)) throw e;
    }
  }
  throw new EstimateNotReady();
}
