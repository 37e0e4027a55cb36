/**
 * Self Assessment Test Support 1.0 (sandbox only), the endpoints that shape state rather than businesses: a test
 * ITSA status per tax year (an "Annual" status makes cumulative updates dateless and removes the quarterly
 * obligations, see state.ts `reportsAnnually`), deleting stateful test data, and checkpoints (snapshots of one
 * NINO's state that can be restored). HMRC keys vendor data by application; this sandbox has one state per
 * instance, so "the vendor's data" is all of it (or one NINO's with `?nino=`).
 */
import type { FastifyInstance } from "fastify";
import { isNino, type HmrcErrorItem } from "../../mtd";
import { errorItem, singleError } from "../errors";
import { registerHmrcRoute, type HmrcContext, type HmrcRouteDeps, type RouteEndpoint } from "../hmrc-route";
import type { ItsaStatusDetail } from "../state";
import { validateRequestBody } from "../validation/request-body";

const BASE = "/individuals/self-assessment-test-support";
const ACCEPT = "application/vnd.hmrc.1.0+json";

function testSupport(id: string, method: RouteEndpoint["method"], path: string, params: RouteEndpoint["params"], hasBody = false): RouteEndpoint {
  return { id, accept: ACCEPT, method, path: `${BASE}${path}`, params, scope: method === "GET" ? "read:self-assessment" : "write:self-assessment", hasBody };
}

export const TEST_SUPPORT_ITSA_STATUS = testSupport("test-support.itsa-status", "POST", "/itsa-status/{nino}/{taxYear}", { nino: "nino", taxYear: "taxYear" }, true);
export const TEST_SUPPORT_VENDOR_STATE_DELETE = testSupport("test-support.vendor-state.delete", "DELETE", "/vendor-state", {});
export const TEST_SUPPORT_CHECKPOINTS_LIST = testSupport("test-support.checkpoints.list", "GET", "/vendor-state/checkpoints", {});
export const TEST_SUPPORT_CHECKPOINTS_CREATE = testSupport("test-support.checkpoints.create", "POST", "/vendor-state/checkpoints", {});
export const TEST_SUPPORT_CHECKPOINTS_DELETE = testSupport("test-support.checkpoints.delete", "DELETE", "/vendor-state/checkpoints/{checkpointId}", {});
export const TEST_SUPPORT_CHECKPOINTS_RESTORE = testSupport("test-support.checkpoints.restore", "POST", "/vendor-state/checkpoints/{checkpointId}/restore", {});

const CHECKPOINT_ID = /^[A-Za-z0-9-]{36}$/;
/** HMRC's `YYYY-MM-DDThh:mm:ss.SSSZ`. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** HMRC's schema check, then the formats its schema only describes, then DUPLICATE_SUBMITTED_ON. */
export function validateItsaStatus(body: unknown, taxYear: string | undefined): HmrcErrorItem[] {
  const id = TEST_SUPPORT_ITSA_STATUS.id;
  const errors = validateRequestBody(id, taxYear, body, { codes: { status: "FORMAT_STATUS", statusReason: "FORMAT_STATUS_REASON" } });
  if (errors.some((e) => e.code === "RULE_INCORRECT_OR_EMPTY_BODY_SUBMITTED")) return errors;
  const out = errors.map((e) => (e.code === "FORMAT_VALUE" ? errorItem(id, "FORMAT_BUSINESS_INCOME_2_YEARS_PRIOR", e.paths) : e));
  const details = (body as { itsaStatusDetails: ItsaStatusDetail[] }).itsaStatusDetails;
  const badTimes = details.flatMap((d, i) => (TIMESTAMP.test(d.submittedOn) && !Number.isNaN(Date.parse(d.submittedOn)) ? [] : [`/itsaStatusDetails/${i}/submittedOn`]));
  if (badTimes.length > 0) out.push(errorItem(id, "FORMAT_SUBMITTED_ON", badTimes));
  if (out.length === 0 && new Set(details.map((d) => d.submittedOn)).size < details.length) out.push(errorItem(id, "DUPLICATE_SUBMITTED_ON"));
  return out;
}

/** An optional (or required) `?nino=`: well formed and the token's, as every other endpoint's NINO. */
function queryNinoErrors(ctx: HmrcContext, required: boolean): HmrcErrorItem[] {
  const nino = ctx.query.nino;
  if (nino === undefined && !required) return [];
  if (nino === undefined || !isNino(nino)) return [errorItem(ctx.endpoint.id, "FORMAT_NINO")];
  return nino === ctx.nino ? [] : [errorItem(ctx.endpoint.id, "CLIENT_OR_AGENT_NOT_AUTHORISED")];
}

function checkpointIdErrors(ctx: HmrcContext): HmrcErrorItem[] {
  return CHECKPOINT_ID.test(ctx.params.checkpointId ?? "") ? [] : [errorItem(ctx.endpoint.id, "FORMAT_CHECKPOINT_ID")];
}

export function testSupportStateRoutes(app: FastifyInstance, deps: HmrcRouteDeps): void {
  registerHmrcRoute(app, deps, {
    endpoint: TEST_SUPPORT_ITSA_STATUS,
    scenarios: false,
    validate: (ctx) => validateItsaStatus(ctx.body, ctx.params.taxYear),
    handle: (ctx) => {
      const details = (ctx.body as { itsaStatusDetails: ItsaStatusDetail[] }).itsaStatusDetails;
      ctx.state.taxpayer(ctx.nino).itsaStatuses.set(ctx.params.taxYear!, structuredClone(details));
      return { status: 204 };
    },
  });

  registerHmrcRoute(app, deps, {
    endpoint: TEST_SUPPORT_VENDOR_STATE_DELETE,
    scenarios: false,
    validate: (ctx) => queryNinoErrors(ctx, false),
    handle: (ctx) => (ctx.state.deleteState(ctx.query.nino) ? { status: 204 } : singleError(ctx.endpoint.id, "MATCHING_RESOURCE_NOT_FOUND")),
  });

  registerHmrcRoute(app, deps, {
    endpoint: TEST_SUPPORT_CHECKPOINTS_LIST,
    scenarios: false,
    validate: (ctx) => queryNinoErrors(ctx, false),
    handle: (ctx) => ({
      status: 200,
      body: { checkpoints: ctx.state.listCheckpoints(ctx.query.nino).map(({ checkpointId, nino, checkpointCreationTimestamp }) => ({ checkpointId, nino, checkpointCreationTimestamp })) },
    }),
  });

  registerHmrcRoute(app, deps, {
    endpoint: TEST_SUPPORT_CHECKPOINTS_CREATE,
    scenarios: false,
    validate: (ctx) => queryNinoErrors(ctx, true),
    handle: (ctx) => ({ status: 201, body: { checkpointId: ctx.state.createCheckpoint(ctx.nino, ctx.now).checkpointId } }),
  });

  registerHmrcRoute(app, deps, {
    endpoint: TEST_SUPPORT_CHECKPOINTS_DELETE,
    scenarios: false,
    validate: checkpointIdErrors,
    handle: (ctx) => (ctx.state.deleteCheckpoint(ctx.params.checkpointId!) ? { status: 204 } : singleError(ctx.endpoint.id, "MATCHING_RESOURCE_NOT_FOUND")),
  });

  registerHmrcRoute(app, deps, {
    endpoint: TEST_SUPPORT_CHECKPOINTS_RESTORE,
    scenarios: false,
    validate: checkpointIdErrors,
    handle: (ctx) => (ctx.state.restoreCheckpoint(ctx.params.checkpointId!) ? { status: 201 } : singleError(ctx.endpoint.id, "MATCHING_RESOURCE_NOT_FOUND")),
  });
}
