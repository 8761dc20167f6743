/** A review and the domain's recommendation as the caller sees them (REST and GraphQL). */
import type { RankedChange, ReviewRecommendation } from '@sparring/domain';
import type { StoredReview } from './review.repository.js';

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
