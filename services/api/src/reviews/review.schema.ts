/** The wire format of reviews and recommendations (REST and the OpenAPI document). */
import {
  ADJUSTMENT_AREAS,
  CHANGE_DIRECTIONS,
  REVIEW_DECISIONS,
  REVIEW_EVERY_LIMITS,
  REVIEW_REASON_CODES,
  REVIEW_RECOMMENDATIONS,
  TRIAL_LENGTHS,
} from '@sparring/domain';
import { Type } from 'typebox';
import { LocalizedTextSchema, MANY_CANCELLATIONS_EVIDENCE } from '../evaluations/evaluation.schema.js';
import { EXAMPLE_IDS as ID } from '../http/examples.js';
import { oneOf } from '../http/schemas.js';
import { VenueSchema } from '../meetings/meeting.schema.js';

const Decision = oneOf(REVIEW_DECISIONS);

const RankedChangeSchema = Type.Object({
  area: oneOf(ADJUSTMENT_AREAS),
  direction: Type.Enum([...CHANGE_DIRECTIONS], { description: 'Which way the area changes' }),
  message: LocalizedTextSchema,
  reason: Type.Enum([...REVIEW_REASON_CODES], {
    description: 'The strongest reason pointing to this change',
  }),
  strength: Type.Number({
    description: "Evidence strength: the health-index points the reason's component costs now",
  }),
});

export const RecommendationSchema = Type.Object({
  recommendation: Type.Enum([...REVIEW_RECOMMENDATIONS], {
    description:
      'evaluate_first: too little evaluation to judge; extend the trial by extendBy meetings (decision extend)',
  }),
  changes: Type.Array(oneOf(ADJUSTMENT_AREAS), {
    description:
      'The areas advised now, strongest evidence first: one, at most two (adjust only; else empty)',
  }),
  advised: Type.Array(RankedChangeSchema, {
    description: 'The advised changes with direction, reason and strength (adjust only; else empty)',
  }),
  considered: Type.Array(RankedChangeSchema, {
    description: 'Changes the evidence also points to, not advised now (adjust only; else empty)',
  }),
  extendBy: Type.Union([Type.Integer(), Type.Null()], {
    description: 'evaluate_first: meetings to extend the trial by; else null',
  }),
  reasons: Type.Array(
    Type.Object({
      code: oneOf(REVIEW_REASON_CODES),
      message: LocalizedTextSchema,
      evidence: Type.Record(Type.String(), Type.Number()),
      suggests: Type.Array(oneOf(ADJUSTMENT_AREAS)),
    }),
  ),
});

/** The trial-end review of the shared network after its third meeting (as recomputed on read). */
const ReviewExample = {
  id: ID.review,
  networkId: ID.network,
  kind: 'trial_end',
  openedAt: '2027-03-12T19:05:00.000Z',
  recommendation: {
    recommendation: 'adjust',
    changes: ['cadence'],
    advised: [
      {
        area: 'cadence',
        direction: 'less_often',
        message: { da: 'Mød jer sjældnere.', en: 'Meet less often.' },
        reason: 'many_cancellations',
        strength: 11.3,
      },
    ],
    considered: [
      {
        area: 'time_slot',
        direction: 'another_time',
        message: {
          da: 'Find et andet mødetidspunkt: i dagtimerne, om aftenen eller i weekenden.',
          en: 'Find another time: daytime, evening or weekend.',
        },
        reason: 'many_cancellations',
        strength: 5.7,
      },
    ],
    extendBy: null,
    reasons: [
      {
        code: 'many_cancellations',
        message: {
          da: 'Mange afbud kan være tegn på, at I er på vildspor.',
          en: 'Many cancellations can be a sign that you are off track.',
        },
        evidence: MANY_CANCELLATIONS_EVIDENCE,
        suggests: ['cadence', 'time_slot'],
      },
    ],
  },
  decision: null,
  decisionDetail: null,
  decidedAt: null,
};

export const ReviewSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    networkId: Type.String({ format: 'uuid' }),
    kind: oneOf(['trial_end', 'periodic'] as const),
    openedAt: Type.String({ format: 'date-time', description: 'When the network became review_due' }),
    recommendation: Type.Union([RecommendationSchema, Type.Null()], {
      description:
        'Current review: computed on what is stored now, never saved by the read. An open review in the history: the one ' +
        'of the moment it opened. Decided review: the one the decision was taken on.',
    }),
    decision: Type.Union([Decision, Type.Null()]),
    decisionDetail: Type.Union([
      Type.Object({
        changes: Type.Array(Type.String()),
        reviewEvery: Type.Union([Type.Integer(), Type.Null()]),
        trialLength: Type.Union([Type.Integer(), Type.Null()]),
        extendedBy: Type.Union([Type.Integer(), Type.Null()], {
          description: 'extend: meetings the running trial has been extended by in all; else null',
        }),
        meetingModelVersion: Type.Union([Type.Integer(), Type.Null()]),
        charterVersion: Type.Union([Type.Integer(), Type.Null()]),
      }),
      Type.Null(),
    ]),
    decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { examples: [ReviewExample] },
);

/** The same review once decided: the admins chose to continue, with a review every 6 meetings. */
const DecidedReviewExample = {
  ...ReviewExample,
  decision: 'continue',
  decisionDetail: {
    changes: [],
    reviewEvery: 6,
    trialLength: null,
    extendedBy: null,
    meetingModelVersion: null,
    charterVersion: null,
  },
  decidedAt: '2027-03-15T10:30:00.000Z',
};

export const ReviewPage = Type.Object(
  {
    data: Type.Array(ReviewSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for the next page',
    }),
  },
  { examples: [{ data: [DecidedReviewExample], nextCursor: null }] },
);

export const DecisionBody = Type.Object(
  {
    decision: Decision,
    changes: Type.Optional(
      Type.Array(oneOf(ADJUSTMENT_AREAS), {
        uniqueItems: true,
        description: 'adjust: what changes (at least one)',
      }),
    ),
    meetingModel: Type.Optional(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description: 'adjust: a new meeting model version (parseMeetingModel)',
        },
      ),
    ),
    charter: Type.Optional(
      Type.Object(
        {},
        {
          additionalProperties: true,
          description:
            'adjust: a new charter version (parseCharter); it needs every member’s acceptance again',
        },
      ),
    ),
    reviewEvery: Type.Optional(
      Type.Integer({
        minimum: REVIEW_EVERY_LIMITS.min,
        maximum: REVIEW_EVERY_LIMITS.max,
        description: 'continue: held meetings until the next periodic review',
      }),
    ),
    trialLength: Type.Optional(oneOf(TRIAL_LENGTHS)),
  },
  {
    additionalProperties: false,
    examples: [
      {
        decision: 'adjust',
        changes: ['cadence', 'time_slot'],
        meetingModel: {
          cadenceMonths: 2,
          timeSlot: 'weekday_evening',
          venue: { kind: 'in_person', place: 'Aarhus' },
          startDate: '2027-01-12',
        },
      },
      { decision: 'continue', reviewEvery: 6 },
      { decision: 'extend' },
    ],
  },
);

const PlacementSchema = Type.Object({
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  localStartsAt: Type.String({ description: "Local start in the network's time zone, YYYY-MM-DDTHH:MM" }),
  durationMinutes: Type.Integer(),
  venue: VenueSchema,
});

export const MovedMeetingSchema = Type.Object(
  {
    meetingId: Type.String({ format: 'uuid' }),
    sequence: Type.Integer({ minimum: 1, description: 'The meeting’s number in the network' }),
    from: PlacementSchema,
    to: PlacementSchema,
    answersReset: Type.Integer({
      minimum: 0,
      description:
        'Members whose yes or afbud was given for the old time and is reset to unanswered (0 when only the venue changed)',
    }),
  },
  {
    description:
      'A planned future meeting the newly adopted meeting model moved (its start, end or venue changed)',
  },
);

/** The adjust decision of the shared network: model v2 moves meeting 4 from 17:00 to 09:00, online. */
const AdjustedReviewExample = {
  ...ReviewExample,
  decision: 'adjust',
  decisionDetail: {
    changes: ['time_slot'],
    reviewEvery: null,
    trialLength: 3,
    extendedBy: null,
    meetingModelVersion: 2,
    charterVersion: null,
  },
  decidedAt: '2027-03-15T10:30:00.000Z',
};
const MovedMeetingExample = {
  meetingId: '0190a5f6-1b30-7a4b-8c5d-6e7f8091a2b3',
  sequence: 4,
  from: {
    startsAt: '2027-04-12T15:00:00.000Z',
    endsAt: '2027-04-12T18:00:00.000Z',
    localStartsAt: '2027-04-12T17:00',
    durationMinutes: 180,
    venue: { kind: 'in_person', place: 'Rådhuset, mødelokale 3, Aarhus' },
  },
  to: {
    startsAt: '2027-04-12T07:00:00.000Z',
    endsAt: '2027-04-12T11:00:00.000Z',
    localStartsAt: '2027-04-12T09:00',
    durationMinutes: 240,
    venue: { kind: 'online', link: 'https://meet.example.com/sparring' },
  },
  answersReset: 10,
};

export const DecisionResult = Type.Object(
  {
    review: ReviewSchema,
    networkStatus: Type.String({ description: 'The network’s lifecycle status after the decision' }),
    networkVersion: Type.Integer({ description: 'The network’s new version (its ETag)' }),
    movedMeetings: Type.Array(MovedMeetingSchema, {
      description:
        'adjust with a new meetingModel: the planned future meetings it moved, in start order (those already at ' +
        'the new time and venue follow it unlisted); [] for every other decision',
    }),
  },
  {
    examples: [
      { review: DecidedReviewExample, networkStatus: 'active', networkVersion: 14, movedMeetings: [] },
      {
        review: AdjustedReviewExample,
        networkStatus: 'trial',
        networkVersion: 14,
        movedMeetings: [MovedMeetingExample],
      },
    ],
  },
);
