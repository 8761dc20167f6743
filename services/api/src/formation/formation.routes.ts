/** REST routes for formation runs under /v1/formation-runs. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LEADERSHIP_LEVELS } from '@sparring/domain';
import { Type } from 'typebox';
import { COMMON_PROBLEMS, problemResponses } from '../http/schemas.js';
import { adminOf } from '../plugins/auth.plugin.js';
import {
  acceptFormationProposals,
  createFormationRun,
  FORMATION_POOL_MAX,
  FORMATION_TIME_BUDGET_MS,
  getFormationRun,
  toFormationRunResource,
} from './formation.service.js';

const tags = ['formation'];
const Strings = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200 });

export const CreateFormationRunBody = Type.Object(
  {
    pool: Type.Optional(
      Type.Object(
        {
          leaderIds: Type.Optional(
            Type.Array(Type.String({ format: 'uuid' }), { maxItems: FORMATION_POOL_MAX }),
          ),
          filter: Type.Optional(
            Type.Object(
              {
                sectors: Type.Optional(Strings),
                regions: Type.Optional(Strings),
                levels: Type.Optional(Type.Array(Type.Enum([...LEADERSHIP_LEVELS]))),
                organisations: Type.Optional(Strings),
              },
              { additionalProperties: false },
            ),
          ),
        },
        {
          additionalProperties: false,
          description: 'Leader ids, or a filter; absent = every leader of the tenant',
        },
      ),
    ),
    sizes: Type.Optional(
      Type.Object(
        { min: Type.Integer(), max: Type.Integer() },
        { additionalProperties: false, description: 'Default 6–12' },
      ),
    ),
    target: Type.Optional(Type.Integer({ description: 'Preferred network size within the bounds' })),
    composition: Type.Optional(
      Type.Object(
        {},
        { additionalProperties: true, description: 'Criteria similar/diverse/ignore with weights' },
      ),
    ),
    maxPerOrganisation: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
    avoidRepeats: Type.Optional(
      Type.Boolean({ description: 'Keep apart leaders who already shared a network (default true)' }),
    ),
    worstGroupWeight: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
    timeBudgetMs: Type.Optional(
      Type.Integer({ minimum: FORMATION_TIME_BUDGET_MS.min, maximum: FORMATION_TIME_BUDGET_MS.max }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        pool: { filter: { regions: ['Hovedstaden'] } },
        sizes: { min: 6, max: 12 },
        target: 8,
        composition: {
          criteria: { sector: { mode: 'diverse', weight: 1 }, level: { mode: 'similar', weight: 2 } },
        },
        maxPerOrganisation: 2,
        seed: 42,
        timeBudgetMs: 3000,
      },
    ],
  },
);

const Explanation = Type.Object({}, { additionalProperties: true });

export const FormationRunSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: Type.Enum(['queued', 'running', 'succeeded', 'failed']),
  request: Type.Object({}, { additionalProperties: true }),
  poolSize: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([
    Type.Object({
      proposals: Type.Array(
        Type.Object({
          index: Type.Integer(),
          members: Type.Array(Type.String()),
          timeSlot: Type.String(),
          format: Type.String(),
          score: Type.Number(),
          onlyOnes: Type.Integer(),
          criteria: Type.Array(Explanation),
          acceptedAsNetworkId: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
      unplaced: Type.Array(Explanation),
      quality: Type.Object({}, { additionalProperties: true }),
    }),
    Type.Null(),
  ]),
});

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

const formationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/formation-runs',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        summary: 'Start a formation run: partition a pool of leaders into proposed networks',
        description:
          'Answers 202 at once; the run works in the background. Poll `GET /v1/formation-runs/{id}` until ' +
          '`status` is `succeeded` (or `failed`). Same input and seed, same proposals (given the same time budget).',
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
