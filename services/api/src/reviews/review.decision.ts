/**
 * The review decision: the input checked by the domain's parsers, then the domain's decide_review
 * applied by advanceLifecycle in one transaction with the review row and any new meeting model or
 * charter version (`decideReview`).
 */
import {
  type AdjustmentArea,
  type Charter,
  isReviewInterval,
  type LifecycleEvent,
  type MeetingModel,
  parseCharter,
  parseMeetingModel,
  type ReviewDecision,
  type ValidationIssue,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { problem, validationProblem } from '../errors/problem.js';
import { recordEvents } from '../events/event.repository.js';
import { followMeetingModel, type MovedMeetingResource } from '../meetings/meeting-replan.js';
import { advanceLifecycle } from '../networks/lifecycle.service.js';
import { reviveLifecycle } from '../networks/lifecycle-state.js';
import { reviewEveryIssue, trialReadiness } from '../networks/network.service.js';
import { networkForCaller, requireFacilitator } from '../networks/network-access.js';
import { currentReviews } from './review.open.js';
import { type DecisionDetail, insertOpenReview, recordDecision } from './review.repository.js';

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
