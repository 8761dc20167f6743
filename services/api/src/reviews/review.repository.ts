/**
 * Reviews in the database: one row per review, opened by the write that makes the network
 * review_due (a meeting marked held) with the recommendation of that moment, closed by the
 * decision (which stores the recommendation it was taken on). Reads never write here. Plain functions taking the database (or a
 * transaction) first; every query filters by tenant.
 */
import type { ReviewDecision, ReviewRecommendation } from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { ReviewRow } from '../db/tables/network.table.js';

/** What was decided beyond the decision itself. */
export interface DecisionDetail {
  readonly changes: readonly string[];
  readonly reviewEvery: number | null;
  readonly trialLength: number | null;
  /** extend: the meetings the running trial has been extended by in all (absent on older rows). */
  readonly extendedBy?: number | null;
  /** The meeting model / charter version stored with an adjusting decision, if any. */
  readonly meetingModelVersion: number | null;
  readonly charterVersion: number | null;
}

export interface StoredReview {
  readonly id: string;
  readonly networkId: string;
  readonly kind: 'trial_end' | 'periodic';
  readonly openedAt: Date;
  readonly recommendation: ReviewRecommendation | null;
  readonly decision: ReviewDecision | null;
  readonly decisionDetail: DecisionDetail | null;
  readonly decidedAt: Date | null;
}

export function rowToReview(row: ReviewRow): StoredReview {
  return {
    id: row.id,
    networkId: row.network_id,
    kind: row.kind,
    openedAt: row.opened_at,
    recommendation: row.recommendation as ReviewRecommendation | null,
    decision: row.decision,
    decisionDetail: row.decision_detail as DecisionDetail | null,
    decidedAt: row.decided_at,
  };
}

/** A review to open for one network (its id chosen by the caller: review.open's `reviewIdFor`). */
export interface OpenReview {
  readonly id: string;
  readonly networkId: string;
  readonly kind: 'trial_end' | 'periodic';
  readonly openedAt: Date;
  readonly recommendation: ReviewRecommendation;
}

/** The open (undecided) review rows of these networks, in one query. Reads only. */
export async function openReviewsOf(
  db: Kysely<Database>,
  tenantId: string,
  networkIds: readonly string[],
): Promise<StoredReview[]> {
  if (networkIds.length === 0) return [];
  const rows = await db
    .selectFrom('reviews')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .where('decided_at', 'is', null)
    .execute();
  return rows.map(rowToReview);
}

/**
 * Inserts the open review row unless the network has one already (the partial unique index of
 * migration 0007 allows one open review per network; an existing row is left as it is).
 * Only writes call this: the write that makes the network review_due, and a decision on a
 * network that became due before rows were opened there.
 */
export async function insertOpenReview(
  db: Kysely<Database>,
  tenantId: string,
  review: OpenReview,
): Promise<void> {
  await db
    .insertInto('reviews')
    .values({
      tenant_id: tenantId,
      id: review.id,
      network_id: review.networkId,
      kind: review.kind,
      opened_at: review.openedAt,
      recommendation: JSON.stringify(review.recommendation),
      decision: null,
      decision_detail: null,
      decided_at: null,
    })
    .onConflict((oc) => oc.columns(['tenant_id', 'network_id']).where('decided_at', 'is', null).doNothing())
    .execute();
}

/** Records the decision on an open review, with the recommendation it was taken on. */
export async function recordDecision(
  db: Kysely<Database>,
  tenantId: string,
  reviewId: string,
  decision: ReviewDecision,
  detail: DecisionDetail,
  recommendation: ReviewRecommendation | null,
  now: Date,
): Promise<StoredReview> {
  const row = await db
    .updateTable('reviews')
    .set({
      recommendation: recommendation === null ? null : JSON.stringify(recommendation),
      decision,
      decision_detail: JSON.stringify(detail),
      decided_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', reviewId)
    .where('decided_at', 'is', null)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToReview(row);
}

/** Reviews of these networks, oldest first (UUIDv7 order), in one query; `after` pages by id. */
export async function reviewsOfNetworks(
  db: Kysely<Database>,
  tenantId: string,
  networkIds: readonly string[],
  opts: { after?: string; limit?: number } = {},
): Promise<StoredReview[]> {
  if (networkIds.length === 0) return [];
  let query = db
    .selectFrom('reviews')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds);
  if (opts.after !== undefined) query = query.where('id', '>', opts.after);
  query = query.orderBy('id');
  if (opts.limit !== undefined) query = query.limit(opts.limit);
  return (await query.execute()).map(rowToReview);
}
