/**
 * HMRC's example responses, served for documented success scenarios (e.g. `CONSOLIDATED_EXPENSES`). Examples are
 * named by HMRC ("Consolidated response for TY 2025-26"); the one for the request's tax year wins when named.
 */
import { ENDPOINT_DOCS } from "../generated/hmrc-docs";

/** The example of `endpointId` whose name contains every word of `words` (case-insensitive), preferring `taxYear`'s. */
export function cannedExample(endpointId: string, words: readonly string[], taxYear?: string): unknown {
  const examples = ENDPOINT_DOCS[endpointId]?.examples ?? {};
  // "consolidated" must not pick HMRC's "Non-consolidated …" examples unless asked for.
  const wantsNon = words.some((w) => /non-/i.test(w));
  const names = Object.keys(examples).filter((n) => words.every((w) => n.toLowerCase().includes(w.toLowerCase())) && (wantsNon || !/non-/i.test(n)));
  const forYear = taxYear ? names.find((n) => n.includes(taxYear)) : undefined;
  const name = forYear ?? names[names.length - 1];
  return name === undefined ? undefined : structuredClone(examples[name]);
}
