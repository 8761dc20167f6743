/**
 * The evaluation slice of the GraphQL schema: a member's own answers, the k-released aggregate,
 * health and signals. The same use cases and codes as REST; nested fields (Network.health,
 * Network.signals, Meeting.evaluationSummary) use loaders: a fixed number of queries per batch.
 */
import { HEALTH_BANDS, SIGNAL_CODES, SIGNAL_SEVERITIES, visibleSignals } from '@sparring/domain';
import type { NetworkRow } from '../db/tables/network.table.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { entries, loaderContext } from '../graphql/kit.js';
import { enumSdl } from '../graphql/sdl.js';
import { networksById } from '../networks/network.repository.js';
import { memberCutoffs } from '../networks/network-access.js';
import {
  evaluationSummary,
  myEvaluation,
  networksOfMeetings,
  submitEvaluation,
  summariesOfMeetings,
  toResultsResource,
} from './evaluation.service.js';
import {
  assessNetworks,
  mySignals,
  networkHealth,
  signalsForCaller,
  signalViewer,
  toHealthResource,
  toSignalResource,
  visibilityPolicies,
} from './health.service.js';

const typeDefs = /* GraphQL */ `
  ${enumSdl('HealthBand', HEALTH_BANDS)}
  ${enumSdl('HealthTrendDirection', ['improving', 'stable', 'declining', 'too_early'])}
  ${enumSdl('SignalCode', SIGNAL_CODES)}
  ${enumSdl('SignalSeverity', SIGNAL_SEVERITIES)}
  ${enumSdl('WithholdReason', ['not_enough_responses', 'remainder_too_small', 'window_open'])}

  type EvaluationText {
    da: String!
    en: String!
  }
  "One named number of evidence."
  type EvidenceValue {
    name: String!
    value: Float!
  }

  "A member's own evaluation: readable by that member only."
  type MyEvaluation {
    meetingId: ID!
    benefit: Int!
    energy: Int!
    purposeFit: Int!
    relations: Int!
    giveGet: Int!
    "Private to the member; never aggregated."
    comment: String
    submittedAt: String!
    updatedAt: String!
    editableUntil: String!
  }

  input EvaluationInput {
    benefit: Int!
    energy: Int!
    purposeFit: Int!
    relations: Int!
    giveGet: Int!
    comment: String
  }

  type ScoreCount {
    value: Int!
    count: Int!
  }
  type ScoreStatistics {
    mean: Float!
    min: Float!
    max: Float!
    stddev: Float!
    distribution: [ScoreCount!]!
  }
  type EvaluationAggregate {
    responses: Int!
    eligible: Int
    responseRate: Float
    benefit: ScoreStatistics!
    energy: ScoreStatistics!
    purposeFit: ScoreStatistics!
    relations: ScoreStatistics!
    giveGet: ScoreStatistics!
    "The meetings whose answers this release pools (one when the meeting alone reached k)."
    meetingIds: [ID!]!
    releasedAt: String!
    "The k applied."
    minimum: Int!
  }
  "A meeting's results: released once after its window closed over at least k members (value), else withheld (reason, minimum, closesAt) with no numbers."
  type EvaluationSummary {
    released: Boolean!
    reason: WithholdReason
    minimum: Int
    "When the window closes (reason window_open)."
    closesAt: String
    value: EvaluationAggregate
  }

  type SignalAudience {
    kind: String!
    memberId: ID
  }
  type Signal {
    code: SignalCode!
    severity: SignalSeverity!
    audience: SignalAudience!
    evidence: [EvidenceValue!]!
    title: EvaluationText!
    guidance: EvaluationText!
  }

  type HealthComponents {
    benefit: Float!
    energy: Float!
    purpose: Float!
    relations: Float!
    attendance: Float!
    reciprocity: Float!
  }
  type HealthMeasures {
    responses: Int!
    respondents: Int!
    meanBenefit: Float!
    worstMemberBenefit: Float!
    meanEnergy: Float!
    meanPurposeFit: Float!
    purposeSpread: Float!
    meanRelations: Float!
    meanGiveGet: Float!
    "Null when between 1 and k − 1 (no count below k)."
    mostlyGivingMembers: Int
    mostlyGivingShare: Float
    "The largest k the released results behind these measures were released under."
    minimum: Int
  }
  type HealthAttendance {
    meetings: Int!
    expected: Int!
    attended: Int!
    cancellations: Int!
    lateCancellations: Int!
    noShows: Int!
    cancellationRate: Float!
    lateCancellationRate: Float!
    noShowRate: Float!
  }
  type HealthTrendPoint {
    "The last meeting of the release."
    meetingId: ID!
    "Every meeting the release pooled."
    meetingIds: [ID!]!
    startsAt: String!
    index: Float!
  }
  type HealthTrend {
    direction: HealthTrendDirection!
    slope: Float!
    meetings: [HealthTrendPoint!]!
  }
  "A network's health (the domain's computeHealth on what is stored) with its network signals."
  type Health {
    band: HealthBand!
    index: Int
    components: HealthComponents
    measures: HealthMeasures
    attendance: HealthAttendance!
    meetingsInWindow: Int!
    evaluatedMeetings: Int!
    trend: HealthTrend!
    "Network signals only; member-specific signals are never here."
    signals: [Signal!]!
  }

  extend type Query {
    "The caller's own evaluation (member token); null when not answered."
    myEvaluation(meetingId: ID!): MyEvaluation
    evaluationSummary(meetingId: ID!): EvaluationSummary!
    networkHealth(networkId: ID!): Health!
    "The signals the caller may see (the domain's visibleSignals): over the API, the network signals only (a minted token acts, never reads); members' own signals are read on the member pages."
    networkSignals(networkId: ID!): [Signal!]!
    "The caller's own member-specific signals: only in the member's own session; an admin key or a member token gets private_data."
    mySignals(networkId: ID!): [Signal!]!
  }

  extend type Mutation {
    "Answer or edit my evaluation of a held meeting (member token)."
    submitEvaluation(meetingId: ID!, input: EvaluationInput!): MyEvaluation!
  }

  extend type Network {
    health: Health!
    "The signals the caller may see."
    signals: [Signal!]!
  }

  extend type Meeting {
    evaluationSummary: EvaluationSummary!
  }
`;

type SignalResource = ReturnType<typeof toSignalResource>;

/** The resource types' map fields as GraphQL lists (the kit's `entries`); every other field is the resource's. */
const mapFields = {
  Signal: { evidence: (s: SignalResource) => entries(s.evidence, 'name', 'value') },
  ScoreStatistics: {
    distribution: (s: { distribution: Readonly<Record<string, number>> }) =>
      entries(s.distribution, 'value', 'count', Number),
  },
};

/** The parents' network rows in one query (tenant-scoped; a parent already passed the caller's access check). */
export async function networkRows(
  ctx: GraphQLContext,
  ids: readonly string[],
): Promise<Map<string, NetworkRow>> {
  return networksById(ctx.db, ctx.principal.tenantId, [...new Set(ids)]);
}

export const evaluationModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    ...mapFields,
    Query: {
      myEvaluation: async (_: unknown, args: { meetingId: string }, ctx: GraphQLContext) =>
        (await myEvaluation(ctx.db, ctx.principal, args.meetingId)) ?? null,
      evaluationSummary: async (_: unknown, args: { meetingId: string }, ctx: GraphQLContext) =>
        toResultsResource(await evaluationSummary(ctx.db, ctx.principal, args.meetingId)),
      networkHealth: async (_: unknown, args: { networkId: string }, ctx: GraphQLContext) =>
        networkHealth(ctx.db, ctx.principal, args.networkId, new Date()),
      networkSignals: async (_: unknown, args: { networkId: string }, ctx: GraphQLContext) =>
        signalsForCaller(ctx.db, ctx.principal, args.networkId, new Date()),
      mySignals: async (_: unknown, args: { networkId: string }, ctx: GraphQLContext) =>
        mySignals(ctx.db, ctx.principal, args.networkId, new Date()),
    },
    Mutation: {
      submitEvaluation: async (
        _: unknown,
        args: { meetingId: string; input: Record<string, unknown> },
        ctx: GraphQLContext,
      ) =>
        (await submitEvaluation(ctx.db, ctx.principal, args.meetingId, { ...args.input }, new Date()))
          .evaluation,
    },
  },
  loaders: {
    Network: {
      health: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = loaderContext(context);
        const rows = await networkRows(
          ctx,
          queries.map((q) => q.obj.id),
        );
        const now = new Date();
        const cutoffs = await memberCutoffs(ctx.db, ctx.principal, [...rows.keys()], now);
        const assessments = await assessNetworks(
          ctx.db,
          ctx.principal.tenantId,
          [...rows.values()],
          now,
          cutoffs,
        );
        return queries.map((q) => {
          const a = assessments.get(q.obj.id);
          const k = rows.get(q.obj.id)?.min_responses;
          return a ? toHealthResource(a.health, a.signals, k) : null;
        });
      },
      signals: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = loaderContext(context);
        const rows = await networkRows(
          ctx,
          queries.map((q) => q.obj.id),
        );
        const ids = [...rows.keys()];
        const now = new Date();
        const assessments = await assessNetworks(
          ctx.db,
          ctx.principal.tenantId,
          [...rows.values()],
          now,
          await memberCutoffs(ctx.db, ctx.principal, ids, now),
        );
        const policies = await visibilityPolicies(ctx.db, ctx.principal.tenantId, ids);
        return queries.map((q) => {
          const row = rows.get(q.obj.id);
          const a = assessments.get(q.obj.id);
          if (!row || !a) return [];
          return visibleSignals(a.signals, signalViewer(row, ctx.principal), policies.get(row.id)).map(
            toSignalResource,
          );
        });
      },
    },
    Meeting: {
      evaluationSummary: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = loaderContext(context);
        const meetingIds = [...new Set(queries.map((q) => q.obj.id))];
        const now = new Date();
        const networkIds = await networksOfMeetings(ctx.db, ctx.principal.tenantId, meetingIds);
        const cutoffs = await memberCutoffs(ctx.db, ctx.principal, networkIds, now);
        const summaries = await summariesOfMeetings(ctx.db, ctx.principal.tenantId, meetingIds, now, cutoffs);
        return queries.map((q) => {
          const s = summaries.get(q.obj.id);
          return s ? toResultsResource(s) : null;
        });
      },
    },
  },
};
