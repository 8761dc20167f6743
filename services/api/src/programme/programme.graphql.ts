/**
 * The programme slice of the GraphQL schema: `programme(filter)`, the same overview as
 * `GET /v1/programme` (admin key only). Counts by key (status, band, …) are lists of
 * `{ key, count }`; a withheld figure has `released: false`, a reason and the minimum, and no value.
 */
import type { ProgrammeOverview } from '@sparring/domain';
import { requireAdmin } from '../auth/principal.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { entries, withoutNulls } from '../graphql/kit.js';
import { type ProgrammeQuery, programme } from './programme.service.js';

const typeDefs = /* GraphQL */ `
  "What the programme view shows: networks matching every attribute given, months from–to (YYYY-MM)."
  input ProgrammeFilter {
    "Networks with a current member in this region."
    region: String
    "Networks with a current member in this sector."
    sector: String
    "Networks formed by this formation run (its id)."
    cohort: String
    "First month, YYYY-MM (default: 11 months before to)."
    from: String
    "Last month, YYYY-MM (default: this month)."
    to: String
  }

  type ProgrammeFilterApplied {
    region: String
    sector: String
    cohort: String
    from: String!
    to: String!
  }

  "How many networks (or reviews, runs) have one key: a status, band, kind, recommendation or decision."
  type ProgrammeCount {
    key: String!
    count: Int!
  }

  "A reason counted over networks: a network signal, a declining trend, or a review reason."
  type ProgrammeReason {
    code: String!
    networks: Int!
    title: EvaluationText!
  }

  type ProgrammeMonitorState {
    "on_track, needs_check_in or too_early."
    state: String!
    networks: Int!
    reasons: [ProgrammeReason!]!
  }

  type ProgrammeIndex {
    mean: Float!
    networks: Int!
  }

  "A member-derived figure: released with its value, or withheld (too_few_members, remainder_too_small)."
  type ProgrammeIndexFigure {
    released: Boolean!
    reason: String
    minimum: Int
    value: ProgrammeIndex
  }

  type ProgrammeAttendance {
    members: Int!
    meetings: Int!
    expected: Int!
    attendanceRate: Float!
    cancellationRate: Float!
    lateCancellationRate: Float!
    noShowRate: Float!
    "Released months pooled (on the period's total only)."
    months: Int
  }

  type ProgrammeAttendanceFigure {
    released: Boolean!
    reason: String
    minimum: Int
    value: ProgrammeAttendance
  }

  type ProgrammeMonth {
    month: String!
    meetingsHeld: Int!
    attendance: ProgrammeAttendanceFigure
    reviewsDecided: Int!
    formationRuns: Int!
  }

  type ProgrammeNetworks {
    total: Int!
    byStatus: [ProgrammeCount!]!
  }

  type ProgrammeHealth {
    assessed: Int!
    byBand: [ProgrammeCount!]!
    index: ProgrammeIndexFigure
  }

  type ProgrammeReviewsDue {
    total: Int!
    byKind: [ProgrammeCount!]!
    byRecommendation: [ProgrammeCount!]!
    reasons: [ProgrammeReason!]!
  }

  type ProgrammeReviewsDecided {
    total: Int!
    byDecision: [ProgrammeCount!]!
  }

  type ProgrammeReviews {
    due: ProgrammeReviewsDue!
    decided: ProgrammeReviewsDecided!
  }

  type ProgrammeFormationRuns {
    total: Int!
    byStatus: [ProgrammeCount!]!
    networksFormed: Int!
  }

  "The programme view for HR (docs/programme.md)."
  type Programme {
    filter: ProgrammeFilterApplied!
    "k: the fewest members a member-derived figure covers."
    minimum: Int!
    networks: ProgrammeNetworks!
    health: ProgrammeHealth!
    "Together's monitor health, with the most frequent reasons."
    monitor: [ProgrammeMonitorState!]!
    reviews: ProgrammeReviews!
    formationRuns: ProgrammeFormationRuns!
    attendance: ProgrammeAttendanceFigure
    months: [ProgrammeMonth!]!
  }

  extend type Query {
    "The programme view for HR (admin key only): the same overview as GET /v1/programme."
    programme(filter: ProgrammeFilter): Programme!
  }
`;

type Counts = Readonly<Record<string, number>>;
/** A count map of the overview as the GraphQL list of `{ key, count }` (the kit's `entries`). */
const counts = (counts: Counts) => entries(counts, 'key', 'count');

export const programmeModule: GraphQLModule = {
  typeDefs,
  // The domain's overview as REST sends it; only its maps become lists (a withheld figure's
  // absent value and a released one's absent reason read as null).
  resolvers: {
    Programme: {
      monitor: (o: Pick<ProgrammeOverview, 'monitor'>) => entries(o.monitor, 'state'),
    },
    ProgrammeNetworks: { byStatus: (n: { byStatus: Counts }) => counts(n.byStatus) },
    ProgrammeHealth: { byBand: (h: { byBand: Counts }) => counts(h.byBand) },
    ProgrammeReviewsDue: {
      byKind: (d: { byKind: Counts }) => counts(d.byKind),
      byRecommendation: (d: { byRecommendation: Counts }) => counts(d.byRecommendation),
    },
    ProgrammeReviewsDecided: { byDecision: (d: { byDecision: Counts }) => counts(d.byDecision) },
    ProgrammeFormationRuns: { byStatus: (r: { byStatus: Counts }) => counts(r.byStatus) },
    Query: {
      programme: async (_: unknown, args: { filter?: ProgrammeQuery | null }, ctx: GraphQLContext) =>
        programme(ctx.db, requireAdmin(ctx.principal), withoutNulls(args.filter ?? {}), new Date()),
    },
  },
};
