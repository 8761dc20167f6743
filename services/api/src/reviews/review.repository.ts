/**
 * Reviews in the database: one row per review, opened when the network is review_due and first
 * read (or decided), closed by the decision. Plain functions taking the database (or a
 * transaction) first; every query filters by tenant.
 */
import type { ReviewDecision, ReviewRecommendation } from '@sparring/domain';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.js';
import type { ReviewRow } from '../networks/network.table.js';

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

/** A review to open (or whose open row to refresh) for one network. */
export interface OpenReview {
  readonly networkId: string;
  readonly kind: 'trial_end' | 'periodic';
  readonly openedAt: Date;
  readonly recommendation: ReviewRecommendation;
}

/**
 * Opens each network's review, or refreshes the recommendation of the one already open, in ONE
 * statement (the partial unique index of migration 0007 allows one open review per network).
 */
export async function openOrRefreshReviews(
  db: Kysely<Database>,
  tenantId: string,
  reviews: readonly OpenReview[],
): Promise<StoredReview[]> {
  if (reviews.length === 0) return [];
  const rows = await db
    .insertInto('reviews')
    .values(
      reviews.map((r) => ({
        tenant_id: tenantId,
        id: uuidv7(),
        network_id: r.networkId,
        kind: r.kind,
        opened_at: r.openedAt,
        recommendation: JSON.stringify(r.recommendation),
        decision: null,
        decision_detail: null,
        decided_at: null,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'network_id'])
        .where('decided_at', 'is', null)
        .doUpdateSet({ recommendation: (eb) => eb.ref('excluded.recommendation') }),
    )
    .returningAll()
    .execute();
  return rows.map(rowToReview);
}

/** Records the decision on an open review (the recommendation it was taken on is kept with it). */
export async function recordDecision(
  db: Kysely<Database>,
  tenantId: string,
  reviewId: string,
  decision: ReviewDecision,
  detail: DecisionDetail,
  now: Date,
): Promise<StoredReview> {
  const row = await db
    .updateTable('reviews')
    .set({ decision, decision_detail: JSON.stringify(detail), decided_at: now })
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
