/**
 * Schemas of the formation-run REST resources (/v1/formation-runs): the request body, the run
 * with its progress and result, the page, and the documented examples they carry.
 */
import { DEFAULT_COMPOSITION, LEADERSHIP_LEVELS } from '@sparring/domain';
import { Type } from 'typebox';
import { EXAMPLE_IDS } from '../http/examples.js';
import {
  FORMATION_MAX_ITERATIONS,
  FORMATION_POOL_MAX,
  FORMATION_TIME_BUDGET_MS,
} from './formation.service.js';

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
        {
          min: Type.Optional(Type.Integer({ description: 'Fewest members of a network (default 6)' })),
          max: Type.Optional(Type.Integer({ description: 'Most members of a network (default 12)' })),
          target: Type.Optional(Type.Integer({ description: 'Preferred size within min–max' })),
          list: Type.Optional(
            Type.Array(Type.Integer(), {
              description:
                'Instead of min/max/target: an explicit list of network sizes, e.g. [8, 8, 10] — at most these networks, each of exactly its size; leaders beyond the total are unplaced',
            }),
          ),
        },
        {
          additionalProperties: false,
          description: 'Bounds 4–14 (default 6–12) with an optional target, or an explicit `list` of sizes',
        },
      ),
    ),
    target: Type.Optional(
      Type.Integer({ description: 'Preferred network size within the bounds (same as sizes.target)' }),
    ),
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
    maxIterations: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: FORMATION_MAX_ITERATIONS,
        description:
          'Stop after this many search rounds as well as at the time budget. A run that ends on its rounds ' +
          '(not on the clock) gives the same proposals for the same input and seed on every machine; ' +
          'under the time budget alone a busy machine searches less.',
      }),
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
      { pool: { filter: { sectors: ['Kommune'] } }, sizes: { list: [8, 8, 10] }, seed: 7 },
    ],
  },
);

const Explanation = Type.Object({}, { additionalProperties: true });

/** A leader of the example pool (24 leaders in Hovedstaden): UUIDv7-looking ids in creation order. */
const poolLeader = (n: number) => `0190a5f4-4a${n.toString(16).padStart(2, '0')}-7b3c-8d4e-5f6a7b8c9d0e`;

const criterion = (
  component: string,
  mode: string | null,
  weight: number,
  score: number,
  da: string,
  en: string,
) => ({
  component,
  mode,
  weight,
  score,
  onlyOnes: 0,
  summary: { da, en },
});

/** One proposed network of 8, explained per criterion the way the domain does. */
const proposalExample = (index: number, score: number, acceptedAsNetworkId: string | null) => ({
  index,
  memberIds: Array.from({ length: 8 }, (_, i) => poolLeader(index * 8 + i)),
  members: Array.from({ length: 8 }, (_, i) => poolLeader(index * 8 + i)),
  timeSlot: index === 1 ? 'weekday_evening' : 'weekday_daytime',
  format: 'in_person',
  score,
  onlyOnes: 0,
  criteria: [
    criterion(
      'sector',
      'diverse',
      1,
      0.75,
      '3 forskellige sektorer blandt 8 medlemmer.',
      '3 different sectors among 8 members.',
    ),
    criterion(
      'organisation',
      'diverse',
      2,
      1,
      '8 forskellige organisationer blandt 8 medlemmer.',
      '8 different organisations among 8 members.',
    ),
    criterion(
      'level',
      'similar',
      2,
      0.5,
      '8 af 8 deler ledelsesniveau med mindst én anden.',
      '8 of 8 share their leadership level with at least one other member.',
    ),
    criterion(
      'experience',
      'similar',
      1,
      0.43,
      '7 af 8 deler erfaringsniveau med mindst én anden.',
      '7 of 8 share their experience band with at least one other member.',
    ),
    criterion(
      'region',
      'similar',
      1,
      1,
      '8 af 8 deler region med mindst én anden.',
      '8 of 8 share their region with at least one other member.',
    ),
    criterion(
      'motivations',
      'similar',
      1,
      0.82,
      'Medlemmerne deler i gennemsnit 82 % af deres motivationer med de andre.',
      'On average members share 82 % of their motivations with the others.',
    ),
    criterion(
      'preferences',
      null,
      1,
      1,
      'Medlemmernes egne ønsker om samme eller forskellig baggrund er opfyldt 100 %.',
      "Members' own wishes for the same or a different background are met 100 %.",
    ),
  ],
  acceptedAsNetworkId,
});

/** The body's example as the run stores it: defaults filled in, the composition completed. */
const QueuedRunExample = {
  id: EXAMPLE_IDS.formationRun,
  status: 'queued',
  request: {
    sizes: { min: 6, max: 12, target: 8 },
    composition: DEFAULT_COMPOSITION,
    constraints: { maxPerOrganisation: 2 },
    avoidRepeats: true,
    seed: 42,
    timeBudgetMs: 3000,
  },
  poolSize: 24,
  createdAt: '2026-11-24T10:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  error: null,
  progress: null,
  result: null,
};

const SucceededRunExample = {
  ...QueuedRunExample,
  status: 'succeeded',
  startedAt: '2026-11-24T10:00:00.012Z',
  finishedAt: '2026-11-24T10:00:03.020Z',
  progress: { bestScore: 0.7563, iterations: 4810, elapsedMs: 3000, updatedAt: '2026-11-24T10:00:03.020Z' },
  result: {
    proposals: [
      proposalExample(0, 0.78, null),
      proposalExample(1, 0.74, null),
      proposalExample(2, 0.76, null),
    ],
    unplaced: [],
    quality: {
      best: 0.78,
      mean: 0.76,
      total: 2.28,
      worst: 0.74,
      placed: 24,
      spread: 0.04,
      networks: 3,
      onlyOnes: 0,
      objective: 0.752,
      iterations: 4810,
    },
  },
};

/** After `accept` with proposals [0, 2]: each became a network in the forming state. */
const AcceptedRunExample = {
  ...SucceededRunExample,
  result: {
    ...SucceededRunExample.result,
    proposals: [
      proposalExample(0, 0.78, '0190a5fe-6a70-7283-9e9f-2b3c4d5e6f70'),
      proposalExample(1, 0.74, null),
      proposalExample(2, 0.76, '0190a5fe-6a71-7394-8fa0-3c4d5e6f7081'),
    ],
  },
};

/** Running, one second into a three-second budget. */
const RunningRunExample = {
  ...QueuedRunExample,
  status: 'running',
  startedAt: '2026-11-24T10:00:00.012Z',
  progress: { bestScore: 0.7412, iterations: 1580, elapsedMs: 1002, updatedAt: '2026-11-24T10:00:01.016Z' },
};

export const FormationRunProgressSchema = Type.Object(
  {
    bestScore: Type.Number({
      description:
        "The best objective the search has reached: (1 − λ)·mean + λ·worst network score (scores 0–1) − 1 per 'only one'; " +
        'the scale of result.quality.objective, which re-scores the final networks exactly and may differ from it by about 0.01',
    }),
    iterations: Type.Integer({ description: 'Search rounds done' }),
    elapsedMs: Type.Integer({ description: 'Milliseconds the search has run' }),
    updatedAt: Type.String({ format: 'date-time', description: 'When this progress was stored' }),
  },
  { additionalProperties: false },
);

export const FormationRunSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: Type.Enum(['queued', 'running', 'succeeded', 'failed']),
    request: Type.Object({}, { additionalProperties: true }),
    poolSize: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    progress: Type.Union([FormationRunProgressSchema, Type.Null()], {
      description:
        'How far the search is: null until its first report; written at most twice a second while running; a finished run keeps its last report',
    }),
    result: Type.Union([
      Type.Object({
        proposals: Type.Array(
          Type.Object({
            index: Type.Integer(),
            memberIds: Type.Array(Type.String(), {
              description: 'The leaders of the proposed network (the same name as on GraphQL)',
            }),
            members: Type.Array(Type.String(), {
              deprecated: true,
              description:
                'Deprecated: the same ids as memberIds, under their earlier name; use memberIds. Kept while /v1 lasts.',
            }),
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
  },
  { examples: [QueuedRunExample, RunningRunExample, SucceededRunExample, AcceptedRunExample] },
);

export const FormationRunPage = Type.Object(
  {
    data: Type.Array(FormationRunSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for older runs',
    }),
  },
  { examples: [{ data: [SucceededRunExample, QueuedRunExample], nextCursor: null }] },
);
