/** REST route for the programme view for HR: `GET /v1/programme` (docs/programme.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  HEALTH_BANDS,
  LIFECYCLE_STATUSES,
  MONITOR_STATES,
  PROGRAMME_FILTER_VALUE_MAX,
  PROGRAMME_RUN_STATUSES,
  type ProgrammeNetwork,
  programmeOverview,
  REVIEW_DECISIONS,
  REVIEW_RECOMMENDATIONS,
} from '@sparring/domain';
import { type Static, type TSchema, Type } from 'typebox';
import { adminOf } from '../auth/request.js';
import { COMMON_PROBLEMS, LocalizedTextSchema, problemResponses } from '../http/schemas.js';
import { programme } from './programme.service.js';

const tags = ['programme'];

/** Two example networks of six members: one healthy, one with many afbud at its trial-end review. */
const exampleNetwork = (
  id: string,
  band: 'healthy' | 'at_risk',
  index: number,
  afbud: number,
  reviewDue: ProgrammeNetwork['reviewDue'],
): ProgrammeNetwork => {
  const memberIds = [1, 2, 3, 4, 5, 6].map((j) => `${id}-${j}`);
  return {
    id,
    status: reviewDue ? 'review_due' : 'active',
    minResponses: 5,
    timeZone: 'Europe/Copenhagen',
    attributes: { region: ['Midtjylland'], sector: ['public'], cohort: [] },
    memberIds,
    assessment: {
      health: { band, index, trend: { direction: afbud > 0 ? 'declining' : 'stable' } },
      signals: afbud > 0 ? [{ code: 'many_cancellations', audience: { kind: 'network' } }] : [],
    },
    heldMeetings: ['2026-10-06T15:00:00Z', '2026-11-03T16:00:00Z'].map((at) => ({
      startsAt: new Date(at),
      attendance: memberIds.map((memberId, j) =>
        j < afbud
          ? { memberId, status: 'cancelled' as const, cancelledAt: new Date(Date.parse(at) - 86_400_000) }
          : { memberId, status: 'attended' as const },
      ),
    })),
    reviewDue,
    decidedReviews: [],
  };
};

// The example is the domain's own overview of two example networks.
const EXAMPLE = programmeOverview(
  [
    exampleNetwork('n1', 'healthy', 76, 0, null),
    exampleNetwork('n2', 'at_risk', 55, 2, {
      kind: 'trial_end',
      recommendation: 'adjust',
      reasons: ['health_at_risk', 'many_cancellations'],
    }),
  ],
  [],
  { from: '2026-10', to: '2026-12' },
);

const counts = (keys: readonly string[]) =>
  Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer({ minimum: 0 })])));

const Withheld = Type.Object(
  {
    released: Type.Literal(false),
    reason: Type.Enum(['too_few_members', 'remainder_too_small']),
    minimum: Type.Integer(),
  },
  { description: 'Withheld: fewer than k members, or a coarser view would leave out between 1 and k − 1' },
);
const disclosure = (value: TSchema) =>
  Type.Union([Type.Object({ released: Type.Literal(true), value }), Withheld]);

const Rates = {
  members: Type.Integer({ description: 'Distinct members expected (at least k)' }),
  meetings: Type.Integer(),
  expected: Type.Integer({ description: 'Expected attendances: one per member per held meeting' }),
  attendanceRate: Type.Number(),
  cancellationRate: Type.Number({ description: 'Afbud / expected' }),
  lateCancellationRate: Type.Number({ description: 'Afbud inside the charter’s notice / expected' }),
  noShowRate: Type.Number(),
};

const Reason = Type.Object({ code: Type.String(), networks: Type.Integer(), title: LocalizedTextSchema });

export const ProgrammeQuery = Type.Object(
  {
    region: Type.Optional(
      Type.String({
        maxLength: PROGRAMME_FILTER_VALUE_MAX,
        description: 'Networks with a current member in this region (the leader profile’s `region`)',
      }),
    ),
    sector: Type.Optional(
      Type.String({
        maxLength: PROGRAMME_FILTER_VALUE_MAX,
        description: 'Networks with a current member in this sector (the leader profile’s `sector`)',
      }),
    ),
    cohort: Type.Optional(
      Type.String({
        maxLength: PROGRAMME_FILTER_VALUE_MAX,
        description: 'Networks formed by this formation run (its id): the cohort formed together',
      }),
    ),
    from: Type.Optional(
      Type.String({
        description: 'First month, YYYY-MM (default: 11 months before `to`)',
        examples: ['2026-01'],
      }),
    ),
    to: Type.Optional(
      Type.String({ description: 'Last month, YYYY-MM (default: this month)', examples: ['2026-12'] }),
    ),
  },
  { additionalProperties: false },
);

export const ProgrammeSchema = Type.Object(
  {
    filter: Type.Object({
      region: Type.Optional(Type.String()),
      sector: Type.Optional(Type.String()),
      cohort: Type.Optional(Type.String()),
      from: Type.String(),
      to: Type.String(),
    }),
    minimum: Type.Integer({ description: 'k: the fewest members a member-derived figure covers' }),
    networks: Type.Object({ total: Type.Integer(), byStatus: counts(LIFECYCLE_STATUSES) }),
    health: Type.Object({
      assessed: Type.Integer({ description: 'Networks in trial, review_due, active or paused' }),
      byBand: counts(HEALTH_BANDS),
      index: Type.Union([
        disclosure(Type.Object({ mean: Type.Number(), networks: Type.Integer() })),
        Type.Null(),
      ]),
    }),
    monitor: Type.Object(
      Object.fromEntries(
        MONITOR_STATES.map((s) => [
          s,
          Type.Object({ networks: Type.Integer(), reasons: Type.Array(Reason) }),
        ]),
      ),
      {
        description:
          'Together’s monitor health: on_track (thriving, healthy), needs_check_in (at risk, off track), too_early',
      },
    ),
    reviews: Type.Object({
      due: Type.Object({
        total: Type.Integer(),
        byKind: counts(['trial_end', 'periodic']),
        byRecommendation: counts(REVIEW_RECOMMENDATIONS),
        reasons: Type.Array(Reason),
      }),
      decided: Type.Object({ total: Type.Integer(), byDecision: counts(REVIEW_DECISIONS) }),
    }),
    formationRuns: Type.Object({
      total: Type.Integer(),
      byStatus: counts(PROGRAMME_RUN_STATUSES),
      networksFormed: Type.Integer(),
    }),
    attendance: Type.Union([
      disclosure(Type.Object({ ...Rates, months: Type.Integer({ description: 'Released months pooled' }) })),
      Type.Null(),
    ]),
    months: Type.Array(
      Type.Object({
        month: Type.String(),
        meetingsHeld: Type.Integer(),
        attendance: Type.Union([disclosure(Type.Object(Rates)), Type.Null()]),
        reviewsDecided: Type.Integer(),
        formationRuns: Type.Integer(),
      }),
    ),
  },
  { description: 'The programme overview (docs/programme.md)', examples: [EXAMPLE] },
);

const programmeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/programme',
    {
      config: { auth: 'admin' },
      schema: {
        tags,
        operationId: 'getProgramme',
        summary:
          'The programme view for HR: networks by status and health, reviews, formation runs, monthly attendance',
        description:
          'Admin key only. Counts of networks are always shown; attendance, cancellation and the mean health index only ' +
          'over at least k members, and in a filtered view only when every coarser view leaves out 0 or at least k ' +
          'members (docs/programme.md).',
        querystring: ProgrammeQuery,
        response: { 200: ProgrammeSchema, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    // The domain's overview is the response as is (its arrays are readonly, the schema's mutable).
    async (request) =>
      (await programme(app.db, adminOf(request), request.query, new Date())) as unknown as Static<
        typeof ProgrammeSchema
      >,
  );
};

export default programmeRoutes;
