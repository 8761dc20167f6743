/** REST routes for formation runs under /v1/formation-runs (their schemas: formation.schema.ts). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminOf } from '../auth/request.js';
import { PageQuery, pageQuery } from '../http/pagination.js';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import { CreateFormationRunBody, FormationRunPage, FormationRunSchema } from './formation.schema.js';
import {
  acceptFormationProposals,
  createFormationRun,
  FORMATION_RUN_STATUSES,
  getFormationRun,
  listFormationRunsPage,
  toFormationRunResource,
} from './formation.service.js';

export {
  CreateFormationRunBody,
  FormationRunPage,
  FormationRunProgressSchema,
  FormationRunSchema,
} from './formation.schema.js';

const tags = ['formation'];

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

const formationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/formation-runs',
    {
      config: { auth: 'admin', responseHeaders: { 202: ['location'] } },
      schema: {
        tags,
        summary: 'Start a formation run: partition a pool of leaders into proposed networks',
        description:
          'Answers 202 at once; the run works in the background. Poll `GET /v1/formation-runs/{id}` until ' +
          '`status` is `succeeded` (or `failed`). Same input, seed and `maxIterations` (reached before the time budget): same proposals.',
        body: CreateFormationRunBody,
        response: { 202: FormationRunSchema, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request, reply) => {
      const run = await createFormationRun(app.db, adminOf(request), request.body);
      app.formationRunner.enqueue(run.tenant_id, run.id);
      return reply
        .code(202)
        .header('location', `/v1/formation-runs/${run.id}`)
        .send(toFormationRunResource(run));
    },
  );

  app.get(
    '/v1/formation-runs',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: "The tenant's formation runs, newest first (cursor pagination)",
        description: 'Each run in the same shape as `GET /v1/formation-runs/{id}`. Filter with `status`.',
        querystring: Type.Object(
          { ...PageQuery.properties, status: Type.Optional(Type.Enum([...FORMATION_RUN_STATUSES])) },
          { additionalProperties: false },
        ),
        response: { 200: FormationRunPage, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => {
      const page = await listFormationRunsPage(app.db, adminOf(request), {
        ...pageQuery(request.query),
        status: request.query.status,
      });
      return { data: page.items.map(toFormationRunResource), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/formation-runs/:id',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Read a formation run: status, proposals with scores and explanations, unplaced leaders',
        params: IdParams,
        response: { 200: FormationRunSchema, ...problemResponses(...COMMON_PROBLEMS, 404) },
      },
    },
    async (request) =>
      toFormationRunResource(await getFormationRun(app.db, adminOf(request), request.params.id)),
  );

  app.post(
    '/v1/formation-runs/:id/accept',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Accept proposals: each becomes a network in the forming state with its members',
        params: IdParams,
        body: Type.Object(
          {
            proposals: Type.Optional(
              Type.Array(Type.Integer({ minimum: 0 }), { uniqueItems: true, minItems: 1 }),
            ),
            namePrefix: Type.Optional(Type.String({ maxLength: 150 })),
          },
          { additionalProperties: false, examples: [{ proposals: [0, 2], namePrefix: 'Ledernetværk Øst' }] },
        ),
        response: { 200: FormationRunSchema, ...problemResponses(...COMMON_PROBLEMS, 404, 409) },
      },
    },
    async (request) =>
      toFormationRunResource(
        await acceptFormationProposals(app.db, adminOf(request), request.params.id, request.body),
      ),
  );
};

export default formationRoutes;
