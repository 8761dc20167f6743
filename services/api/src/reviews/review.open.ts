/**
 * The open review of a network that is review_due: when it became due, the review's stable id
 * (`reviewIdFor`), its recommendation computed on what is stored now (`currentReviews`, reads
 * only), the due reviews whose row is not stored yet, and opening the row in the write that makes
 * the network due (`openReviewIfDue`).
 */
import { createHash } from 'node:crypto';
import {
  activeMemberIds,
  adjustmentsMade,
  type LifecycleState,
  type NetworkAssessment,
  recommendReview,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { assessNetworks } from '../evaluations/health.service.js';
import { reviveLifecycle } from '../networks/lifecycle-state.js';
import { membersOf, rowToMembership } from '../networks/network.repository.js';
import { insertOpenReview, openReviewsOf, type StoredReview } from './review.repository.js';

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
