/** REST routes for reviews: the current recommendation, the decision, the history. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/request.js';
import { problem } from '../errors/problem.js';
import { NetworkIdParams } from '../evaluations/evaluation.schema.js';
import { checkIfMatch, etagOf } from '../http/etag.js';
import { PageQuery, pageQuery } from '../http/pagination.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import { DecisionBody, DecisionResult, ReviewPage, ReviewSchema } from './review.schema.js';
import {
  currentReview,
  type DecisionInput,
  decideReview,
  reviewHistory,
  toReviewResource,
} from './review.service.js';

const tags = ['reviews'];

const reviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/networks/:id/review',
    {
      schema: {
        tags,
        summary: 'The current review and its recommendation',
        description:
          "When the network is review_due (the domain's lifecycle, after its trial's held meetings or a periodic " +
          "interval): the open review with the domain's `recommendReview` (continue / adjust naming what to change / " +
          'dissolve, with reasons and evidence) computed on what is stored now. A read writes nothing: the review row ' +
          'is opened by the meeting that makes the network due, and the decision stores the recommendation it was ' +
          'taken on. 404 `review_not_due` otherwise.',
        params: NetworkIdParams,
        response: { 200: ReviewSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => {
      const review = await currentReview(app.db, principalOf(request), request.params.id, new Date());
      if (!review) throw problem('review_not_due', 'The network is not review_due');
      return toReviewResource(review);
    },
  );

  app.post(
    '/v1/networks/:id/review/decision',
    {
      config: { responseHeaders: { 200: ['etag'] } },
      schema: {
        tags,
        summary: 'Decide the review: continue, adjust (with a new model or charter) or dissolve',
        description:
          "Admin or the network's facilitator. One transaction: the decision on the review row, the domain's " +
          '`decide_review` on the lifecycle (409 `lifecycle_refused` with its `reason`), and for adjust the new meeting ' +
          'model / charter versions. Readiness for the new trial is read from storage with the charter in force ' +
          'before this decision; a new charter then awaits every member’s acceptance. Optional `If-Match` with the ' +
          "network's ETag (412 when stale). Send `Idempotency-Key` to make retries safe.",
        params: NetworkIdParams,
        headers: Type.Object({
          'if-match': Type.Optional(Type.String()),
          'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })),
        }),
        body: DecisionBody,
        response: { 200: DecisionResult, ...problemResponses(...COMMON_PROBLEMS, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const result = await decideReview(
        app.db,
        principalOf(request),
        request.params.id,
        request.body as DecisionInput,
        new Date(),
        (v) => checkIfMatch(request, v),
      );
      return reply
        .header('etag', etagOf(result.networkVersion))
        .send({ ...result, review: toReviewResource(result.review) });
    },
  );

  app.get(
    '/v1/networks/:id/reviews',
    {
      schema: {
        tags,
        summary: 'The history of reviews with their decisions (oldest first, cursor pages)',
        params: NetworkIdParams,
        querystring: PageQuery,
        response: { 200: ReviewPage, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => {
      const page = await reviewHistory(app.db, principalOf(request), request.params.id, {
        ...pageQuery(request.query),
      });
      return { data: page.items.map(toReviewResource), nextCursor: page.nextCursor };
    },
  );
};

export default reviewRoutes;
