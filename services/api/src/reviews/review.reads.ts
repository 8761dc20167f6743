/**
 * What a caller reads of a network's reviews: the current one and the history, a former member's
 * as they stood when they left (`reviewAsOf`). Reads only.
 */
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { beforeCutoff, memberCutoff, networkForCaller } from '../networks/network-access.js';
import { currentReviews, unstoredOpenReviews } from './review.open.js';
import { reviewsOfNetworks, type StoredReview } from './review.repository.js';

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
