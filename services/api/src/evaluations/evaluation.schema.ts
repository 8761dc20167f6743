/**
 * The wire format of evaluations, aggregates, health and signals (REST and the OpenAPI document).
 * Scales and vocabularies come from the domain package; `parseEvaluation` then checks the rules.
 */
import { EVALUATION_COMMENT_MAX, HEALTH_BANDS, SIGNAL_CODES, SIGNAL_SEVERITIES } from '@sparring/domain';
import { Type } from 'typebox';
import { EXAMPLE_IDS as ID } from '../http/examples.js';
import { LocalizedTextSchema, oneOf } from '../http/schemas.js';

const Score = Type.Integer({ minimum: 1, maximum: 5, description: '1 = not at all … 5 = fully' });
const Balance = Type.Integer({ minimum: -2, maximum: 2, description: '−2 I mostly gave … +2 I mostly got' });

export { LocalizedTextSchema };

export const MeetingIdParams = Type.Object(
  { id: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
export const NetworkIdParams = Type.Object(
  { id: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

export const EvaluationExample = {
  benefit: 4,
  energy: 5,
  purposeFit: 4,
  relations: 4,
  giveGet: 0,
  comment: 'Good case round.',
};

export const EvaluationBody = Type.Object(
  {
    benefit: Score,
    energy: Type.Integer({ minimum: 1, maximum: 5, description: 'My energy after the meeting' }),
    purposeFit: Type.Integer({
      minimum: 1,
      maximum: 5,
      description: 'How well the meeting served our purpose',
    }),
    relations: Type.Integer({ minimum: 1, maximum: 5, description: 'Relations and trust in the group' }),
    giveGet: Balance,
    comment: Type.Optional(
      Type.Union([Type.String({ maxLength: EVALUATION_COMMENT_MAX }), Type.Null()], {
        description: 'Private: readable by you only, never aggregated',
      }),
    ),
  },
  { additionalProperties: false, examples: [EvaluationExample] },
);

export const MyEvaluationSchema = Type.Object(
  {
    meetingId: Type.String({ format: 'uuid' }),
    benefit: Type.Integer(),
    energy: Type.Integer(),
    purposeFit: Type.Integer(),
    relations: Type.Integer(),
    giveGet: Type.Integer(),
    comment: Type.Union([Type.String(), Type.Null()]),
    submittedAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    editableUntil: Type.String({ format: 'date-time', description: 'The evaluation window closes then' }),
  },
  {
    examples: [
      {
        meetingId: ID.meeting1,
        ...EvaluationExample,
        submittedAt: '2027-01-13T07:40:00.000Z',
        updatedAt: '2027-01-13T07:40:00.000Z',
        editableUntil: '2027-01-26T19:05:00.000Z',
      },
    ],
  },
);

const Distribution = Type.Record(Type.String(), Type.Integer(), {
  description: 'How many answered each scale value (every value present)',
});
const Statistics = Type.Object({
  mean: Type.Number(),
  min: Type.Number(),
  max: Type.Number(),
  stddev: Type.Number({ description: 'Population standard deviation' }),
  distribution: Distribution,
});

export const AggregateSchema = Type.Object({
  responses: Type.Integer(),
  eligible: Type.Union([Type.Integer(), Type.Null()], { description: 'Members who could answer (attended)' }),
  responseRate: Type.Union([Type.Number(), Type.Null()]),
  benefit: Statistics,
  energy: Statistics,
  purposeFit: Statistics,
  relations: Statistics,
  giveGet: Statistics,
});

/** A release: the pooled answers of one or more meetings (docs/confidentiality.md, the release rule). */
const ReleasedAggregateSchema = Type.Object({
  ...AggregateSchema.properties,
  meetingIds: Type.Array(Type.String({ format: 'uuid' }), {
    description: 'The meetings whose answers this release pools (one when the meeting alone reached k)',
  }),
  releasedAt: Type.String({ format: 'date-time', description: 'When the last of its windows closed' }),
  minimum: Type.Integer({ description: 'The k applied (frozen when each window opened)' }),
});

export const ReleasedSummary = Type.Object({ released: Type.Literal(true), value: ReleasedAggregateSchema });
export const WithheldSummary = Type.Object(
  {
    released: Type.Literal(false),
    reason: oneOf(['not_enough_responses', 'remainder_too_small', 'window_open'] as const),
    minimum: Type.Integer({ description: 'k: members who must answer before numbers are shown' }),
    closesAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the window closes (window_open)' }),
    ),
  },
  {
    description:
      'Not released: no numbers at all, not even how many answered. `window_open`: results are released once, ' +
      'when the window closes (or everyone answered); `not_enough_responses`: closed, but fewer than k members ' +
      'answered so far: it waits to be pooled with the next meeting.',
  },
);
export const SummarySchema = Type.Union([ReleasedSummary, WithheldSummary], {
  description:
    "The meeting's results: released once, after its evaluation window closed, over at least k members " +
    '(k frozen when the window opened), pooled with neighbouring meetings when one alone has fewer',
  examples: [
    { released: false, reason: 'window_open', minimum: 5, closesAt: '2026-03-17T16:00:00.000Z' },
    { released: false, reason: 'not_enough_responses', minimum: 5 },
  ],
});

export const SignalSchema = Type.Object({
  code: oneOf(SIGNAL_CODES),
  severity: oneOf(SIGNAL_SEVERITIES),
  audience: Type.Object({
    kind: oneOf(['network', 'member'] as const),
    memberId: Type.Optional(Type.String({ format: 'uuid' })),
  }),
  evidence: Type.Record(Type.String(), Type.Number(), {
    description: 'The numbers behind the signal, by name',
  }),
  title: LocalizedTextSchema,
  guidance: LocalizedTextSchema,
});

/** The numbers of the examples' many-cancellations signal (a network signal; a review reason). */
export const MANY_CANCELLATIONS_EVIDENCE = {
  cancellationRate: 0.2777777777777778,
  lateCancellationRate: 0.1111111111111111,
  noShowRate: 0.05555555555555555,
  cancellations: 5,
  expected: 18,
  meetings: 3,
  threshold: 0.25,
};

/** After the trial's three meetings: 5 of 18 expected attendances were afbud (threshold 25 %). */
const NetworkSignalExample = {
  code: 'many_cancellations',
  severity: 'warning',
  audience: { kind: 'network' },
  evidence: MANY_CANCELLATIONS_EVIDENCE,
  title: { da: 'Mange afbud', en: 'Many cancellations' },
  guidance: {
    da: 'Mange afbud kan være tegn på, at I er på vildspor. Tal om, hvorvidt mødetidspunkt, hyppighed og form passer jer, og om netværket stadig giver jer det, I søgte.',
    en: 'Many cancellations can be a sign that you are off track. Talk about whether the time, cadence and format suit you, and whether the network still gives you what you came for.',
  },
};

/** A member-specific signal: shown to that member (and the facilitator only with consent and policy). */
const MemberSignalExample = {
  code: 'member_at_risk_of_withdrawing',
  severity: 'critical',
  audience: { kind: 'member', memberId: ID.jesper },
  evidence: { answers: 1, absences: 2, meanBenefit: 2, meanGiveGet: -2 },
  title: { da: 'Risiko for at trække sig', en: 'At risk of withdrawing' },
  guidance: {
    da: 'Du ser ud til at få mindre ud af netværket, end du lægger i det. Overvej at sige det højt: hvad har du brug for, og hvad vil du gerne have sparring på næste gang?',
    en: 'You seem to get less out of the network than you put in. Consider saying so: what do you need, and what would you like sparring on next time?',
  },
};

export const SignalList = Type.Object(
  { data: Type.Array(SignalSchema) },
  {
    examples: [{ data: [NetworkSignalExample] }, { data: [MemberSignalExample] }],
  },
);

const Components = Type.Object({
  benefit: Type.Number(),
  energy: Type.Number(),
  purpose: Type.Number(),
  relations: Type.Number(),
  attendance: Type.Number(),
  reciprocity: Type.Number(),
});
const Measures = Type.Object({
  responses: Type.Integer(),
  respondents: Type.Integer(),
  meanBenefit: Type.Number(),
  worstMemberBenefit: Type.Number(),
  meanEnergy: Type.Number(),
  meanPurposeFit: Type.Number(),
  purposeSpread: Type.Number(),
  meanRelations: Type.Number(),
  meanGiveGet: Type.Number(),
  mostlyGivingMembers: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Members who mostly give; null when between 1 and k − 1 (no count below k)',
  }),
  mostlyGivingShare: Type.Union([Type.Number(), Type.Null()], { description: 'Null with the count' }),
  minimum: Type.Optional(
    Type.Integer({
      description: 'The largest k the released results behind these measures were released under',
    }),
  ),
});
const AttendanceRatesSchema = Type.Object({
  meetings: Type.Integer(),
  expected: Type.Integer(),
  attended: Type.Integer(),
  cancellations: Type.Integer(),
  lateCancellations: Type.Integer(),
  noShows: Type.Integer(),
  cancellationRate: Type.Number(),
  lateCancellationRate: Type.Number(),
  noShowRate: Type.Number(),
});

export const HealthSchema = Type.Object(
  {
    band: oneOf(HEALTH_BANDS),
    index: Type.Union([Type.Integer(), Type.Null()], {
      description: '0–100; null without an evaluated meeting',
    }),
    components: Type.Union([Components, Type.Null()]),
    measures: Type.Union([Measures, Type.Null()], {
      description: 'Aggregates over released results only (after the window closed, ≥ k members)',
    }),
    attendance: AttendanceRatesSchema,
    meetingsInWindow: Type.Integer(),
    evaluatedMeetings: Type.Integer({ description: 'Meetings whose released results count in the window' }),
    trend: Type.Object({
      direction: oneOf(['improving', 'stable', 'declining', 'too_early'] as const),
      slope: Type.Number(),
      meetings: Type.Array(
        Type.Object({
          meetingId: Type.String({ description: 'The last meeting of the release' }),
          meetingIds: Type.Array(Type.String(), { description: 'Every meeting the release pooled' }),
          startsAt: Type.String({ format: 'date-time' }),
          index: Type.Number(),
        }),
      ),
    }),
    signals: Type.Array(SignalSchema, {
      description: 'Network signals (member-specific ones are never here)',
    }),
  },
  {
    examples: [
      {
        band: 'healthy',
        index: 74,
        components: { benefit: 70, energy: 75, purpose: 72, relations: 80, attendance: 83, reciprocity: 100 },
        measures: null,
        attendance: {
          meetings: 3,
          expected: 18,
          attended: 16,
          cancellations: 2,
          lateCancellations: 0,
          noShows: 0,
          cancellationRate: 0.11,
          lateCancellationRate: 0,
          noShowRate: 0,
        },
        meetingsInWindow: 3,
        evaluatedMeetings: 3,
        trend: { direction: 'stable', slope: 0.5, meetings: [] },
        signals: [],
      },
    ],
  },
);
