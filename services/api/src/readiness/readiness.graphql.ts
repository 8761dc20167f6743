/** The readiness slice of the GraphQL schema: the same questionnaire and assessment as REST. */
import { READINESS_VERDICTS, SHARING_READINESS, TIME_COMMITMENTS } from '@sparring/domain';
import type { GraphQLModule } from '../graphql/context.js';
import { lift } from '../graphql/kit.js';
import { enumSdl } from '../graphql/sdl.js';
import { assessAnswers, readinessQuestions } from './readiness.service.js';

const typeDefs = /* GraphQL */ `
  ${enumSdl('TimeCommitment', TIME_COMMITMENTS)}
  ${enumSdl('SharingReadiness', SHARING_READINESS)}
  ${enumSdl('ReadinessVerdict', READINESS_VERDICTS)}

  "A text in Danish and English."
  type ReadinessText {
    da: String!
    en: String!
  }

  type ReadinessOption {
    value: String!
    label: ReadinessText!
  }

  "A question of the questionnaire; id is the answer's field name."
  type ReadinessQuestion {
    id: String!
    kind: String!
    required: Boolean!
    prompt: ReadinessText!
    help: ReadinessText
    options: [ReadinessOption!]!
  }

  input ReadinessAnswersInput {
    motivations: [Motivation!]!
    expectation: String
    sameSector: SamenessPreference
    sameExperience: SamenessPreference
    sameOrganisation: SamenessPreference
    timeCommitment: TimeCommitment!
    availability: [TimeSlot!]!
    formats: [MeetingFormat!]!
    readyToShare: SharingReadiness!
  }

  type MotivationProfile {
    primary: Motivation!
    motivations: [Motivation!]!
    socialOnly: Boolean!
  }

  "How a network should treat each sameness dimension: similar, diverse or ignore."
  type SuggestedComposition {
    sector: String!
    experience: String!
    organisation: String!
  }

  type SuggestedNetwork {
    focus: [Motivation!]!
    cadenceMonths: Int!
    timeSlots: [TimeSlot!]!
    formats: [MeetingFormat!]!
    composition: SuggestedComposition!
  }

  type ReadinessGuidance {
    code: String!
    text: ReadinessText!
  }

  "The leader-profile fields the answers fill in: prefill createLeader with them."
  type ReadinessProfileFields {
    motivations: [Motivation!]!
    availability: [TimeSlot!]!
    formats: [MeetingFormat!]!
    preferredCadenceMonths: Int!
    sameness: Sameness!
  }

  type ReadinessAssessment {
    verdict: ReadinessVerdict!
    motivationProfile: MotivationProfile!
    suggestedNetwork: SuggestedNetwork!
    guidance: [ReadinessGuidance!]!
    profileFields: ReadinessProfileFields!
  }

  extend type Query {
    "The 'is a network for me?' questionnaire, in the order to ask it."
    readinessQuestions: [ReadinessQuestion!]!
    "Assesses one leader's answers; nothing is stored."
    assessReadiness(answers: ReadinessAnswersInput!): ReadinessAssessment!
  }
`;

export const readinessModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Query: {
      readinessQuestions: () => readinessQuestions(),
      // REST's answer with the assessment's fields on ReadinessAssessment itself.
      assessReadiness: (_: unknown, args: { answers: unknown }) =>
        lift(assessAnswers(args.answers), 'assessment'),
    },
  },
};
