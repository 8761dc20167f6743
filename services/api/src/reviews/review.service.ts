/**
 * The review use cases, shared by REST and GraphQL. A review is due by the domain's lifecycle
 * (status review_due, reached when meetings are marked held). Its recommendation is the domain's
 * `recommendReview` on the stored health and signals; the decision is the domain's `decide_review`
 * applied by `advanceLifecycle`, in ONE transaction with the review row and any new meeting model
 * or charter version. The review row is opened by the write that makes the network due
 * (`openReviewIfDue`); reads (`currentReviews`, the history) never write.
 */

import { createHash } from 'node:crypto';
import {
  type AdjustmentArea,
  activeMemberIds,
  adjustmentsMade,
  type Charter,
  isReviewInterval,
  type LifecycleEvent,
  type LifecycleState,
  type MeetingModel,
  type NetworkAssessment,
  parseCharter,
  parseMeetingModel,
  type RankedChange,
  type ReviewDecision,
  type ReviewRecommendation,
  recommendReview,
  type ValidationIssue,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { assessNetworks } from '../evaluations/health.service.js';
import { recordEvents } from '../events/event.repository.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { followMeetingModel, type MovedMeetingResource } from '../meetings/meeting-replan.js';
import { advanceLifecycle } from '../networks/lifecycle.service.js';
import { reviveLifecycle } from '../networks/lifecycle-state.js';
import { membersOf, rowToMembership } from '../networks/network.repository.js';
import { reviewEveryIssue, trialReadiness } from '../networks/network.service.js';
import type { NetworkRow } from '../networks/network.table.js';
import {
  beforeCutoff,
  memberCutoff,
  networkForCaller,
  requireFacilitator,
} from '../networks/network-access.js';
import {
  type DecisionDetail,
  insertOpenReview,
  openReviewsOf,
  recordDecision,
  reviewsOfNetworks,
  type StoredReview,
} from './review.repository.js';

/** A review on the wire. */
export function toReviewResource(r: StoredReview) {
  return {
    id: r.id,
    networkId: r.networkId,
    kind: r.kind,
    openedAt: r.openedAt.toISOString(),
    recommendation: r.recommendation ? toRecommendationResource(r.recommendation) : null,
    decision: r.decision,
    decisionDetail: r.decisionDetail
      ? {
          ...r.decisionDetail,
          changes: [...r.decisionDetail.changes],
          extendedBy: r.decisionDetail.extendedBy ?? null,
        }
      : null,
    decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
  };
}
export type ReviewResource = ReturnType<typeof toReviewResource>;

/**
 * A review as it stood at a former member's cutoff (`memberCutoff`: the instant they left); null
 * cutoff: as stored. A review opened after the cutoff is not visible (null). One still undecided
 * when they left shows neither the decision taken later nor its recommendation (the one the
 * decision stores is computed at decision time): a former member reads what happened while they were
 * a member, nothing after.
 */
export function reviewAsOf(review: StoredReview, cutoff: Date | null): StoredReview | null {
  if (cutoff === null) return review;
  if (!beforeCutoff(cutoff, review.openedAt)) return null;
  if (review.decidedAt !== null && beforeCutoff(cutoff, review.decidedAt)) return review;
  return { ...review, recommendation: null, decision: null, decisionDetail: null, decidedAt: null };
}

const rankedChange = (c: RankedChange) => ({
  area: c.area,
  direction: c.direction,
  message: { ...c.message },
  reason: c.reason,
  strength: c.strength,
});

/**
 * The domain's recommendation as plain JSON. `changes` (the advised areas, strongest first),
 * `advised` and `considered` are [] unless it recommends adjusting; `extendBy` is null unless it
 * recommends evaluating first. A recommendation stored before changes were ranked has its
 * `changes` and empty `advised`/`considered`.
 */
export function toRecommendationResource(r: ReviewRecommendation) {
  const adjust = r.recommendation === 'adjust' ? r : null;
  return {
    recommendation: r.recommendation,
    changes: adjust ? [...adjust.changes] : [],
    advised: (adjust?.advised ?? []).map(rankedChange),
    considered: (adjust?.considered ?? []).map(rankedChange),
    extendBy: r.recommendation === 'evaluate_first' ? r.extendBy : null,
    reasons: r.reasons.map((x) => ({
      code: x.code,
      message: { ...x.message },
      evidence: { ...x.evidence },
      suggests: [...x.suggests],
    })),
  };
}

type DueState = Extract<LifecycleState, { status: 'review_due' }>;

/** When the network became due: the last transition INTO review_due (later meetings while due do not move it). */
function dueSince(state: DueState): Date {
  const entered = [...state.history].reverse().find((h) => h.to === 'review_due' && h.from !== 'review_due');
  return entered?.at ?? state.since;
}

/**
 * The domain's recommendation for a network in its lifecycle state: with its k, the members at risk
 * as the domain counted them (shown only at ≥ k) and its active members (k_unreachable below k).
 */
const recommendationOf = (
  state: LifecycleState,
  assessment: NetworkAssessment,
  k: number,
  activeMembers: number,
) =>
  recommendReview(assessment.health, assessment.signals, {
    priorAdjustments: adjustmentsMade(state),
    minimumResponses: k,
    membersAtRisk: assessment.membersAtRisk,
    activeMembers,
  });

/** How many active members each network has at `now` (the domain's rule), one query. */
async function activeMemberCounts(
  db: Kysely<Database>,
  tenantId: string,
  networkIds: readonly string[],
  now: Date,
): Promise<Map<string, number>> {
  const rows = await membersOf(db, tenantId, networkIds);
  return new Map(
    networkIds.map((id) => [
      id,
      activeMemberIds(rows.filter((r) => r.network_id === id).map(rowToMembership), now).length,
    ]),
  );
}

/**
 * The id of the review a network opened when it became due at `dueSince`: a UUIDv7 whose time is
 * that moment and whose other bits come from the tenant, network and moment (SHA-256). Stable, so
 * a due network without a row (one that became due before rows were opened by the write, see
 * docs/api-evaluations.md) reads with the same id every time, and its decision stores the row
 * under it; time-ordered like every review id, so the history stays in id order.
 */
export function reviewIdFor(tenantId: string, networkId: string, dueSince: Date): string {
  const random = createHash('sha256')
    .update(`${tenantId}:${networkId}:${dueSince.toISOString()}`)
    .digest()
    .subarray(0, 16);
  return uuidv7({ msecs: dueSince.getTime(), random });
}

/**
 * The open review of each network that is review_due, its recommendation computed on what is
 * stored now. Reads only: the stored row (opened when the network became due) gives the id and
 * opening time; a due network without a row reads as the review its decision will store
 * (`reviewIdFor`). Networks not due are absent. A fixed number of queries.
 */
export async function currentReviews(
  db: Kysely<Database>,
  tenantId: string,
  networks: readonly NetworkRow[],
  now: Date,
): Promise<Map<string, StoredReview>> {
  const current = await currentReviewsOf(db, tenantId, networks, now);
  return new Map([...current].map(([id, c]) => [id, c.review]));
}

/** `currentReviews`, each marked with whether its row is stored. */
async function currentReviewsOf(
  db: Kysely<Database>,
  tenantId: string,
  networks: readonly NetworkRow[],
  now: Date,
): Promise<Map<string, { review: StoredReview; stored: boolean }>> {
  const due = networks
    .map((n) => ({ network: n, state: reviveLifecycle(n.lifecycle) }))
    .filter((x): x is { network: NetworkRow; state: DueState } => x.state.status === 'review_due');
  if (due.length === 0) return new Map();
  const ids = due.map((d) => d.network.id);
  const [assessments, rows, active] = await Promise.all([
    assessNetworks(
      db,
      tenantId,
      due.map((d) => d.network),
      now,
    ),
    openReviewsOf(db, tenantId, ids),
    activeMemberCounts(db, tenantId, ids, now),
  ]);
  const stored = new Map(rows.map((r) => [r.networkId, r]));
  return new Map(
    due.map(({ network, state }) => {
      const recommendation = recommendationOf(
        state,
        assessments.get(network.id)!,
        network.min_responses,
        active.get(network.id)!,
      );
      const row = stored.get(network.id);
      const openedAt = dueSince(state);
      const review: StoredReview = row
        ? { ...row, recommendation }
        : {
            id: reviewIdFor(tenantId, network.id, openedAt),
            networkId: network.id,
            kind: state.kind,
            openedAt,
            recommendation,
            decision: null,
            decisionDetail: null,
            decidedAt: null,
          };
      return [network.id, { review, stored: row !== undefined }];
    }),
  );
}

/**
 * The open reviews of due networks that have no stored row (due before rows were opened by the
 * write that makes a network due): the history lists them last, as `currentReviews` reads them,
 * until their decision stores them. Reads only.
 */
export async function unstoredOpenReviews(
  db: Kysely<Database>,
  tenantId: string,
  networks: readonly NetworkRow[],
  now: Date,
): Promise<Map<string, StoredReview>> {
  const due = networks.filter((n) => n.status === 'review_due');
  if (due.length === 0) return new Map();
  const current = await currentReviewsOf(db, tenantId, due, now);
  return new Map([...current].filter(([, c]) => !c.stored).map(([id, c]) => [id, c.review]));
}

/**
 * Opens the review row when a write has just made the network review_due (`before` was not due,
 * `after` is): call it in that write's transaction, after advanceLifecycle. The recommendation
 * stored is the one of this moment (what is stored in this transaction). Anything else: no-op.
 */
export async function openReviewIfDue(
  trx: Kysely<Database>,
  tenantId: string,
  network: NetworkRow,
  before: LifecycleState,
  after: LifecycleState,
  now: Date,
): Promise<void> {
  if (before.status === 'review_due' || after.status !== 'review_due') return;
  const assessment = (await assessNetworks(trx, tenantId, [network], now)).get(network.id)!;
  const openedAt = dueSince(after);
  await insertOpenReview(trx, tenantId, {
    id: reviewIdFor(tenantId, network.id, openedAt),
    networkId: network.id,
    kind: after.kind,
    openedAt,
    recommendation: recommendationOf(
      after,
      assessment,
      network.min_responses,
      (await activeMemberCounts(trx, tenantId, [network.id], now)).get(network.id)!,
    ),
  });
}

/** The network's current review (REST: 404 `review_not_due` when none is due). */
export async function currentReview(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  now: Date,
) {
  const network = await networkForCaller(db, principal, networkId);
  // What is under review now happened after a former member left: they have no current review
  // Their history shows the reviews of their time (`reviewAsOf`).
  if ((await memberCutoff(db, principal, network.id, now)) !== null) return undefined;
  return (await currentReviews(db, principal.tenantId, [network], now)).get(network.id);
}

/** A page of the network's reviews, oldest first, with their decisions (a former member's: `reviewAsOf`). */
export async function reviewHistory(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  opts: { limit: number; cursor?: string | undefined },
) {
  const network = await networkForCaller(db, principal, networkId);
  const cutoff = await memberCutoff(db, principal, network.id);
  const after = opts.cursor ? decodeCursor(opts.cursor)! : undefined;
  const rows = await reviewsOfNetworks(db, principal.tenantId, [network.id], {
    ...(after !== undefined ? { after } : {}),
    limit: opts.limit + 1,
  });
  // On the last page: the open review of a due network whose row is not stored (it comes last).
  if (rows.length <= opts.limit) {
    const unstored = (await unstoredOpenReviews(db, principal.tenantId, [network], new Date())).get(
      network.id,
    );
    if (unstored && (after === undefined || unstored.id > after)) rows.push(unstored);
  }
  // Reviews are opened one after another, in id order: those hidden by the cutoff are the last
  // ones, so a page that loses any is the last page.
  const visible = rows.map((r) => reviewAsOf(r, cutoff)).filter((r): r is StoredReview => r !== null);
  return toPage(visible, opts.limit);
}

/** The decision as sent (REST body / GraphQL input). */
export interface DecisionInput {
  readonly decision: ReviewDecision;
  readonly changes?: readonly AdjustmentArea[] | null;
  readonly meetingModel?: unknown;
  readonly charter?: unknown;
  readonly reviewEvery?: number | null;
  readonly trialLength?: number | null;
}

const present = (v: unknown) => v !== undefined && v !== null;
const notAllowed = (path: string, decision: string): ValidationIssue => ({
  path,
  code: 'not_allowed',
  message: {
    da: `Feltet bruges ikke ved beslutningen "${decision}".`,
    en: `This field is not used with the decision "${decision}".`,
  },
});

/** Validates the decision's parts with the domain's parsers; every issue at once (paths prefixed). */
function parseDecision(input: DecisionInput): { meetingModel: MeetingModel | null; charter: Charter | null } {
  const issues: ValidationIssue[] = [];
  const d = input.decision;
  if (d !== 'adjust') {
    for (const f of ['changes', 'meetingModel', 'charter', 'trialLength'] as const)
      if (present(input[f])) issues.push(notAllowed(f, d));
  }
  if (d !== 'continue' && present(input.reviewEvery)) issues.push(notAllowed('reviewEvery', d));
  else if (present(input.reviewEvery) && !isReviewInterval(input.reviewEvery!))
    issues.push(reviewEveryIssue());
  let meetingModel: MeetingModel | null = null;
  let charter: Charter | null = null;
  if (d === 'adjust' && present(input.meetingModel)) {
    const parsed = parseMeetingModel(input.meetingModel);
    if (parsed.ok) meetingModel = parsed.value;
    else
      issues.push(
        ...parsed.error.issues.map((i) => ({ ...i, path: `meetingModel${i.path ? `.${i.path}` : ''}` })),
      );
  }
  if (d === 'adjust' && present(input.charter)) {
    const parsed = parseCharter(input.charter);
    if (parsed.ok) charter = parsed.value;
    else
      issues.push(
        ...parsed.error.issues.map((i) => ({ ...i, path: `charter${i.path ? `.${i.path}` : ''}` })),
      );
  }
  if (issues.length > 0) throw validationProblem(issues);
  return { meetingModel, charter };
}

/** Readiness facts for a new trial: the networks module's, with the model about to be adopted counted. */
async function readinessFromStorage(
  trx: Kysely<Database>,
  network: NetworkRow,
  newModel: boolean,
  now: Date,
) {
  const readiness = await trialReadiness(trx, network, now);
  return { ...readiness, hasMeetingModel: newModel || readiness.hasMeetingModel };
}

async function nextVersion(
  trx: Kysely<Database>,
  table: 'charter_versions' | 'meeting_model_versions',
  network: NetworkRow,
) {
  const row = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max('version').as('latest'))
    .where('tenant_id', '=', network.tenant_id)
    .where('network_id', '=', network.id)
    .executeTakeFirst();
  return Number(row?.latest ?? 0) + 1;
}

/**
 * Records the review decision, all or nothing, in this order inside one transaction:
 * 1. lock the network (FOR UPDATE), check the caller's version (If-Match);
 * 2. the current review with the recommendation on what is stored now (its row inserted here if
 *    the network became due before rows were opened by that write);
 * 3. for adjust: readiness from storage — active members, the charter IN FORCE BEFORE any new
 *    charter version of this decision (the one the network ran on), a meeting model (a new one
 *    given here counts);
 * 4. the domain's decide_review through advanceLifecycle (409 lifecycle_refused with its reason);
 * 5. store the new meeting model / charter versions (a new charter then awaits every member's
 *    acceptance: charterStatus shows who is awaited); with a new model, the planned future meetings
 *    follow it (`followMeetingModel`: the domain's `replanMeetings`; moved meetings, reset answers,
 *    `meeting.moved` events), listed in the result as `movedMeetings` ([] without a new model);
 * 6. record the decision on the review row, with the recommendation of step 2; for continue with reviewEvery, keep it on the network.
 * extend: the trial that ended runs one more meeting (a periodic review: due again after one more).
 */
export async function decideReview(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  input: DecisionInput,
  now: Date,
  checkVersion: (version: number) => void = () => {},
) {
  const { meetingModel, charter } = parseDecision(input);
  const visible = await networkForCaller(db, principal, networkId);
  requireFacilitator(visible, principal);
  return db.transaction().execute(async (trx) => {
    const network = await trx
      .selectFrom('networks')
      .selectAll()
      .where('tenant_id', '=', principal.tenantId)
      .where('id', '=', visible.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    checkVersion(network.version);
    const open = (await currentReviews(trx, principal.tenantId, [network], now)).get(network.id);
    if (!open) {
      const state = reviveLifecycle(network.lifecycle);
      throw problem('lifecycle_refused', 'No review is due.', {
        reason: state.status === 'dissolved' ? 'network_dissolved' : 'no_review_due',
      });
    }
    if (open.recommendation !== null) {
      await insertOpenReview(trx, principal.tenantId, {
        id: open.id,
        networkId: open.networkId,
        kind: open.kind,
        openedAt: open.openedAt,
        recommendation: open.recommendation,
      });
    }
    let event: LifecycleEvent;
    switch (input.decision) {
      case 'continue':
        event = {
          type: 'decide_review',
          decision: 'continue',
          reviewEvery: input.reviewEvery ?? network.review_every,
        };
        break;
      case 'adjust':
        event = {
          type: 'decide_review',
          decision: 'adjust',
          changes: [...(input.changes ?? [])],
          readiness: await readinessFromStorage(trx, network, meetingModel !== null, now),
          trialLength: input.trialLength ?? network.trial_length,
        };
        break;
      case 'extend':
        event = { type: 'decide_review', decision: 'extend' };
        break;
      case 'dissolve':
        event = { type: 'decide_review', decision: 'dissolve' };
        break;
    }
    const { after } = await advanceLifecycle(trx, principal.tenantId, network.id, event, now);
    let meetingModelVersion: number | null = null;
    let charterVersion: number | null = null;
    let movedMeetings: MovedMeetingResource[] = [];
    if (meetingModel) {
      meetingModelVersion = await nextVersion(trx, 'meeting_model_versions', network);
      await trx
        .insertInto('meeting_model_versions')
        .values({
          tenant_id: network.tenant_id,
          network_id: network.id,
          version: meetingModelVersion,
          model: JSON.stringify(meetingModel),
          created_at: now,
        })
        .execute();
      movedMeetings = await followMeetingModel(trx, network, meetingModel, meetingModelVersion, now);
    }
    if (charter) {
      charterVersion = await nextVersion(trx, 'charter_versions', network);
      await trx
        .insertInto('charter_versions')
        .values({
          tenant_id: network.tenant_id,
          network_id: network.id,
          version: charterVersion,
          charter: JSON.stringify(charter),
          created_at: now,
        })
        .execute();
    }
    const detail: DecisionDetail = {
      changes: input.decision === 'adjust' ? [...(input.changes ?? [])] : [],
      reviewEvery: after.status === 'active' ? after.reviewEvery : null,
      trialLength: after.status === 'trial' ? after.trialLength : null,
      extendedBy: after.status === 'trial' ? (after.extendedBy ?? null) : null,
      meetingModelVersion,
      charterVersion,
    };
    const review = await recordDecision(
      trx,
      principal.tenantId,
      open.id,
      input.decision,
      detail,
      open.recommendation,
      now,
    );
    await recordEvents(trx, principal.tenantId, [
      ...(charterVersion !== null
        ? [
            {
              type: 'charter.version_proposed' as const,
              data: { networkId: network.id, version: charterVersion },
            },
          ]
        : []),
      {
        type: 'review.decided',
        data: { networkId: network.id, reviewId: review.id, decision: input.decision },
      },
    ]);
    if (input.decision === 'continue' && input.reviewEvery != null) {
      await trx
        .updateTable('networks')
        .set({ review_every: input.reviewEvery })
        .where('tenant_id', '=', network.tenant_id)
        .where('id', '=', network.id)
        .execute();
    }
    const updated = await trx
      .selectFrom('networks')
      .select(['status', 'version'])
      .where('tenant_id', '=', network.tenant_id)
      .where('id', '=', network.id)
      .executeTakeFirstOrThrow();
    return { review, networkStatus: updated.status, networkVersion: updated.version, movedMeetings };
  });
}
