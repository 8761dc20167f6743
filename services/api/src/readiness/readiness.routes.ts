/** REST routes for "is a network for me?" under /v1/readiness: the questionnaire and an assessment. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  CADENCES_IN_MONTHS,
  FOCUS_AREAS,
  MEETING_FORMATS,
  READINESS_VERDICTS,
  SAMENESS_PREFERENCES,
  SHARING_READINESS,
  TIME_COMMITMENTS,
  TIME_SLOTS,
} from '@sparring/domain';
import { Type } from 'typebox';
import { COMMON_PROBLEMS, LocalizedTextSchema, oneOf, problemResponses } from '../http/schemas.js';
import { assessAnswers, readinessQuestions } from './readiness.service.js';

const tags = ['readiness'];
const Text = LocalizedTextSchema;
const setOf = <const T extends readonly string[]>(values: T) =>
  Type.Array(oneOf(values), { minItems: 1, uniqueItems: true });
const Composition = oneOf(['similar', 'diverse', 'ignore']);

const EXAMPLE_ANSWERS = {
  motivations: ['dilemma_sparring', 'strategy'],
  expectation: 'Sparring on leading leaders in a merger',
  sameSector: 'different',
  sameExperience: 'same',
  sameOrganisation: 'different',
  timeCommitment: 'every_second_month',
  availability: ['weekday_daytime'],
  formats: ['in_person', 'hybrid'],
  readyToShare: 'yes',
};

export const ReadinessAnswersBody = Type.Object(
  {
    motivations: setOf(FOCUS_AREAS),
    expectation: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
    sameSector: Type.Optional(oneOf(SAMENESS_PREFERENCES)),
    sameExperience: Type.Optional(oneOf(SAMENESS_PREFERENCES)),
    sameOrganisation: Type.Optional(oneOf(SAMENESS_PREFERENCES)),
    timeCommitment: oneOf(TIME_COMMITMENTS),
    availability: setOf(TIME_SLOTS),
    formats: setOf(MEETING_FORMATS),
    readyToShare: oneOf(SHARING_READINESS),
  },
  {
    additionalProperties: false,
    description: 'One leader’s answers; the sameness questions default to no_preference',
    examples: [EXAMPLE_ANSWERS],
  },
);

const QuestionSchema = Type.Object({
  id: Type.String({ description: 'The answer’s field name' }),
  kind: oneOf(['multiple_choice', 'single_choice', 'free_text']),
  required: Type.Boolean(),
  prompt: Text,
  help: Type.Union([Text, Type.Null()]),
  options: Type.Array(Type.Object({ value: Type.String(), label: Text })),
});

const AssessmentSchema = Type.Object(
  {
    assessment: Type.Object({
      verdict: oneOf(READINESS_VERDICTS),
      motivationProfile: Type.Object({
        primary: oneOf(FOCUS_AREAS),
        motivations: Type.Array(oneOf(FOCUS_AREAS)),
        socialOnly: Type.Boolean(),
      }),
      suggestedNetwork: Type.Object({
        focus: Type.Array(oneOf(FOCUS_AREAS)),
        cadenceMonths: oneOf(CADENCES_IN_MONTHS),
        timeSlots: Type.Array(oneOf(TIME_SLOTS)),
        formats: Type.Array(oneOf(MEETING_FORMATS)),
        composition: Type.Object({ sector: Composition, experience: Composition, organisation: Composition }),
      }),
      guidance: Type.Array(Type.Object({ code: Type.String(), text: Text })),
    }),
    profileFields: Type.Object(
      {
        motivations: Type.Array(oneOf(FOCUS_AREAS)),
        availability: Type.Array(oneOf(TIME_SLOTS)),
        formats: Type.Array(oneOf(MEETING_FORMATS)),
        preferredCadenceMonths: oneOf(CADENCES_IN_MONTHS),
        sameness: Type.Object({
          sector: oneOf(SAMENESS_PREFERENCES),
          experience: oneOf(SAMENESS_PREFERENCES),
          organisation: oneOf(SAMENESS_PREFERENCES),
        }),
      },
      { description: 'The leader-profile fields the answers fill in: prefill POST /v1/leaders with them' },
    ),
  },
  // The example is the domain's own assessment of the example answers.
  { examples: [assessAnswers(EXAMPLE_ANSWERS)] },
);

const readinessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/readiness/questions',
    {
      config: { auth: 'any' },
      schema: {
        tags,
        summary: 'The "is a network for me?" questionnaire, in order, in Danish and English',
        response: {
          200: Type.Object(
            { data: Type.Array(QuestionSchema) },
            { examples: [{ data: readinessQuestions().slice(0, 2) }] },
          ),
          ...problemResponses(...COMMON_PROBLEMS),
        },
      },
    },
    async () => ({ data: readinessQuestions() }),
  );

  app.post(
    '/v1/readiness/assessments',
    {
      config: { auth: 'any' },
      schema: {
        tags,
        summary: 'Assess one leader’s answers: verdict, motivation profile, the network that fits, guidance',
        description:
          'Stateless: nothing is stored, so it can run before the leader exists. `profileFields` prefill the leader’s profile.',
        body: ReadinessAnswersBody,
        response: { 200: AssessmentSchema, ...problemResponses(...COMMON_PROBLEMS) },
      },
    },
    async (request) => assessAnswers(request.body),
  );
};

export default readinessRoutes;
