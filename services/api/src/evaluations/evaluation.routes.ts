/**
 * REST routes for evaluations (a member's own answers, the k-released aggregate), network health
 * and signals. Handlers parse, call the use case, reply.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/request.js';
import { problem } from '../errors/problem.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import {
  EvaluationBody,
  HealthSchema,
  MeetingIdParams,
  MyEvaluationSchema,
  NetworkIdParams,
  SignalList,
  SummarySchema,
} from './evaluation.schema.js';
import {
  evaluationSummary,
  myEvaluation,
  submitEvaluation,
  toResultsResource,
} from './evaluation.service.js';
import { mySignals, networkHealth, signalsForCaller } from './health.service.js';

const tags = ['evaluations'];

const evaluationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.put(
    '/v1/meetings/:id/evaluations/me',
    {
      config: { auth: 'member' },
      schema: {
        tags,
        summary: 'Answer (or edit) my evaluation of a held meeting',
        description:
          'With a member token. One evaluation per member and meeting: the first PUT creates it (201), later ones ' +
          'replace it (200) until the evaluation window closes (`editableUntil`; default 14 days after the meeting ' +
          'was held), then 409 `evaluation_window_closed`. Refusals: `meeting_not_held` (409), `not_an_attendee` ' +
          '(403: cancelled, no-show or not expected). The comment is private to you.',
        params: MeetingIdParams,
        body: EvaluationBody,
        response: {
          200: MyEvaluationSchema,
          201: MyEvaluationSchema,
          ...problemResponses(...COMMON_PROBLEMS, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { created, evaluation } = await submitEvaluation(
        app.db,
        principal,
        request.params.id,
        request.body,
        new Date(),
      );
      return reply.code(created ? 201 : 200).send(evaluation);
    },
  );

  app.get(
    '/v1/meetings/:id/evaluations/me',
    {
      schema: {
        tags,
        summary: 'Read my own evaluation of a meeting (never with an admin key or a minted token)',
        description:
          "A member's answers and comment are private data: they are read only in the member's own session, on " +
          'the member pages (`/m/`, signed in with the link the service emails them). With an admin key or a ' +
          'member token (which an admin minted, so it acts but never reads) this is a 403 `private_data`.',
        params: MeetingIdParams,
        response: { 200: MyEvaluationSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => {
      const evaluation = await myEvaluation(app.db, principalOf(request), request.params.id);
      if (!evaluation) throw problem('not_found', 'You have not evaluated this meeting');
      return evaluation;
    },
  );

  app.get(
    '/v1/meetings/:id/evaluations/summary',
    {
      schema: {
        tags,
        summary: "A meeting's evaluation results (released once, k-anonymous)",
        description:
          "For admins and the network's members. Released once, when the meeting's evaluation window closes (or " +
          'every member who could answer did), over at least k members (k frozen when the window opened: the ' +
          "network's `min_responses`, default 5, floor 3); a meeting with fewer is pooled with the next until k " +
          'members answered (`value.meetingIds`). Otherwise `{ released: false, reason, minimum }` with no numbers, ' +
          'not even a count. Never individual answers or comments. See docs/confidentiality.md.',
        params: MeetingIdParams,
        response: { 200: SummarySchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) =>
      toResultsResource(await evaluationSummary(app.db, principalOf(request), request.params.id)),
  );

  app.get(
    '/v1/networks/:id/health',
    {
      schema: {
        tags,
        summary: "A network's health: index, band, components, trend and network signals",
        description:
          "Computed by the domain's `assessNetwork` on the stored held meetings, attendance and evaluations (the " +
          'same implementation as the library). Evaluation components read only meetings with at least k answers. ' +
          'Member-specific signals are never here: see /signals and /signals/me.',
        params: NetworkIdParams,
        response: { 200: HealthSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => networkHealth(app.db, principalOf(request), request.params.id, new Date()),
  );

  app.get(
    '/v1/networks/:id/signals',
    {
      schema: {
        tags,
        summary: 'The signals the caller may see',
        description:
          "The domain's `visibleSignals`. Over the API (an admin key or a member token) these are the network " +
          'signals only: a token an admin minted acts, never reads, so it sees no member signal. A member reads ' +
          'their own signal, and the member who facilitates reads the signals consenting members share with them ' +
          '(when the tenant allows it, `facilitator_sees_member_signals`), in their own session on the member pages (`/m/`).',
        params: NetworkIdParams,
        response: { 200: SignalList, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => ({
      data: await signalsForCaller(app.db, principalOf(request), request.params.id, new Date()),
    }),
  );

  app.get(
    '/v1/networks/:id/signals/me',
    {
      schema: {
        tags,
        summary: 'My own member-specific signals (never with an admin key or a minted token)',
        description:
          "Private data: read only in the member's own session on the member pages (`/m/`). With an admin key or a " +
          'member token this is a 403 `private_data`.',
        params: NetworkIdParams,
        response: { 200: SignalList, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) => ({
      data: await mySignals(app.db, principalOf(request), request.params.id, new Date()),
    }),
  );
};

export default evaluationRoutes;
