/**
 * The review slice of the GraphQL schema: the current review with the domain's recommendation,
 * the decision (one transaction, as REST), the history. Network.currentReview and Network.reviews
 * use loaders: a fixed number of queries per batch.
 */
import {
  ADJUSTMENT_AREAS,
  CHANGE_DIRECTIONS,
  REVIEW_DECISIONS,
  REVIEW_REASON_CODES,
  REVIEW_RECOMMENDATIONS,
  TRIAL_LENGTHS,
} from '@sparring/domain';
import { networkRows } from '../evaluations/evaluation.graphql.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { entries, loaderContext, versionCheck, withoutNulls } from '../graphql/kit.js';
import { enumSdl } from '../graphql/sdl.js';
import { pageSizeOf } from '../http/pagination.js';
import { memberCutoffs } from '../networks/network-access.js';
import { reviewsOfNetworks, type StoredReview } from './review.repository.js';
import {
  currentReview,
  currentReviews,
  type DecisionInput,
  decideReview,
  reviewAsOf,
  reviewHistory,
  toReviewResource,
  unstoredOpenReviews,
} from './review.service.js';

const typeDefs = /* GraphQL */ `
  ${enumSdl('ReviewDecision', REVIEW_DECISIONS)}
  ${enumSdl('ReviewRecommendationKind', REVIEW_RECOMMENDATIONS)}
  ${enumSdl('ChangeDirection', CHANGE_DIRECTIONS)}
  ${enumSdl('ReviewKind', ['trial_end', 'periodic'])}
  ${enumSdl('AdjustmentArea', ADJUSTMENT_AREAS)}
  ${enumSdl('ReviewReasonCode', REVIEW_REASON_CODES)}

  type ReviewReason {
    code: ReviewReasonCode!
    message: EvaluationText!
    evidence: [EvidenceValue!]!
    suggests: [AdjustmentArea!]!
  }
  "A change the review ranks: the area, which way, the strongest reason behind it and its evidence strength (health-index points)."
  type RankedChange {
    area: AdjustmentArea!
    direction: ChangeDirection!
    message: EvaluationText!
    reason: ReviewReasonCode!
    strength: Float!
  }
  "The domain's recommendation: continue, adjust (one change, at most two), evaluate first (extend the trial) or dissolve, with reasons."
  type Recommendation {
    recommendation: ReviewRecommendationKind!
    "The areas advised now, strongest evidence first (adjust only; else empty)."
    changes: [AdjustmentArea!]!
    advised: [RankedChange!]!
    "Changes the evidence also points to, not advised now."
    considered: [RankedChange!]!
    "evaluate_first: meetings to extend the trial by (decision extend); else null."
    extendBy: Int
    reasons: [ReviewReason!]!
  }
  type ReviewDecisionDetail {
    changes: [AdjustmentArea!]!
    reviewEvery: Int
    trialLength: Int
    "extend: meetings the running trial has been extended by in all."
    extendedBy: Int
    meetingModelVersion: Int
    charterVersion: Int
  }
  type Review {
    id: ID!
    networkId: ID!
    kind: ReviewKind!
    openedAt: String!
    "Current review: computed on what is stored now, never saved by the read. An open review in the history: the one of the moment it opened. Decided review: the one the decision was taken on."
    recommendation: Recommendation
    decision: ReviewDecision
    decisionDetail: ReviewDecisionDetail
    decidedAt: String
  }
  "A meeting's time and place before or after a review decision moved it."
  type MeetingPlacement {
    startsAt: String!
    endsAt: String!
    "Local start in the network's time zone, YYYY-MM-DDTHH:MM."
    localStartsAt: String!
    durationMinutes: Int!
    venue: MeetingVenue!
  }
  "A planned future meeting the newly adopted meeting model moved (its start, end or venue changed)."
  type MovedMeeting {
    meetingId: ID!
    sequence: Int!
    from: MeetingPlacement!
    to: MeetingPlacement!
    "Members whose yes or afbud was given for the old time, reset to unanswered (0 when only the venue changed)."
    answersReset: Int!
  }
  type ReviewDecisionResult {
    review: Review!
    networkStatus: NetworkStatus!
    networkVersion: Int!
    "adjust with a new meetingModel: the planned future meetings it moved, in start order; empty for every other decision."
    movedMeetings: [MovedMeeting!]!
  }
  input ReviewDecisionInput {
    decision: ReviewDecision!
    changes: [AdjustmentArea!]
    meetingModel: MeetingModelInput
    charter: CharterInput
    reviewEvery: Int
    "${TRIAL_LENGTHS.join(' or ')}"
    trialLength: Int
  }

  extend type Query {
    "The network's current review (null when none is due)."
    currentReview(networkId: ID!): Review
    "The network's reviews, oldest first."
    reviews(networkId: ID!, first: Int = 50, after: String): [Review!]!
      @deprecated(reason: "Use reviewPage: the page shape of every list (nodes and nextCursor).")
    "The network's reviews, oldest first, a page at a time: pass nextCursor as after for the next."
    reviewPage(networkId: ID!, first: Int = 50, after: String): ReviewPage!
  }

  type ReviewPage {
    nodes: [Review!]!
    "null on the last page."
    nextCursor: String
  }

  extend type Mutation {
    "Decide the due review (admin or the network's facilitator). Pass ifVersion (the network's version) to refuse a stale decision."
    decideReview(networkId: ID!, input: ReviewDecisionInput!, ifVersion: Int): ReviewDecisionResult!
  }

  extend type Network {
    currentReview: Review
    reviews: [Review!]!
  }
`;

type ReviewPageArgs = { networkId: string; first: number; after?: string | null };

/** A page of the network's reviews, oldest first (a former member's: as REST shows them). */
async function reviewPage(args: ReviewPageArgs, ctx: GraphQLContext) {
  const page = await reviewHistory(ctx.db, ctx.principal, args.networkId, {
    limit: pageSizeOf(args.first),
    cursor: args.after ?? undefined,
  });
  return { nodes: page.items.map(toReviewResource), nextCursor: page.nextCursor };
}

export const reviewModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    // The review resource as REST sends it; only the reasons' evidence maps become lists.
    ReviewReason: {
      evidence: (r: { evidence: Readonly<Record<string, number>> }) => entries(r.evidence, 'name', 'value'),
    },
    Query: {
      currentReview: async (_: unknown, args: { networkId: string }, ctx: GraphQLContext) => {
        const review = await currentReview(ctx.db, ctx.principal, args.networkId, new Date());
        return review ? toReviewResource(review) : null;
      },
      reviews: async (_: unknown, args: ReviewPageArgs, ctx: GraphQLContext) =>
        (await reviewPage(args, ctx)).nodes,
      reviewPage: async (_: unknown, args: ReviewPageArgs, ctx: GraphQLContext) => reviewPage(args, ctx),
    },
    Mutation: {
      decideReview: async (
        _: unknown,
        args: { networkId: string; input: DecisionInput; ifVersion?: number | null },
        ctx: GraphQLContext,
      ) => {
        const result = await decideReview(
          ctx.db,
          ctx.principal,
          args.networkId,
          withoutNulls(args.input),
          new Date(),
          versionCheck(args.ifVersion),
        );
        return { ...result, review: toReviewResource(result.review) };
      },
    },
  },
  loaders: {
    Network: {
      currentReview: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = loaderContext(context);
        const rows = await networkRows(
          ctx,
          queries.map((q) => q.obj.id),
        );
        // A former member has no current review (as REST): only networks without a cutoff are read.
        const cutoffs = await memberCutoffs(ctx.db, ctx.principal, [...rows.keys()]);
        const current = [...rows.values()].filter((n) => cutoffs.has(n.id) && cutoffs.get(n.id) === null);
        const open = await currentReviews(ctx.db, ctx.principal.tenantId, current, new Date());
        return queries.map((q) => {
          const r = open.get(q.obj.id);
          return r ? toReviewResource(r) : null;
        });
      },
      reviews: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = loaderContext(context);
        const ids = [...new Set(queries.map((q) => q.obj.id))];
        const [stored, cutoffs, rows] = await Promise.all([
          reviewsOfNetworks(ctx.db, ctx.principal.tenantId, ids),
          memberCutoffs(ctx.db, ctx.principal, ids),
          networkRows(ctx, ids),
        ]);
        // As REST: a due network's open review without a stored row comes last (read, not stored).
        const unstored = await unstoredOpenReviews(
          ctx.db,
          ctx.principal.tenantId,
          [...rows.values()],
          new Date(),
        );
        const all = [...stored, ...unstored.values()];
        return queries.map((q) =>
          all
            .filter((r) => r.networkId === q.obj.id && cutoffs.has(r.networkId))
            .map((r) => reviewAsOf(r, cutoffs.get(r.networkId)!))
            .filter((r): r is StoredReview => r !== null)
            .map(toReviewResource),
        );
      },
    },
  },
};
