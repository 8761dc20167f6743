/**
 * The review use cases, shared by REST and GraphQL. A review is due by the domain's lifecycle
 * (status review_due, reached when meetings are marked held). Its recommendation is the domain's
 * `recommendReview` on the stored health and signals; the decision is the domain's `decide_review`
 * applied by `advanceLifecycle`, in ONE transaction with the review row and any new meeting model
 * or charter version. The review row is opened by the write that makes the network due
 * (`openReviewIfDue`); reads (`currentReviews`, the history) never write.
 *
 * The modules: review.open (the open review of a due network, its id and recommendation; opening
 * its row), review.reads (the current review and the history, as of a former member's cutoff),
 * review.decision (the decision) and review.resource (the shapes). This file gathers them, so
 * importers keep one path.
 */
export * from './review.decision.js';
export * from './review.open.js';
export * from './review.reads.js';
export * from './review.resource.js';
