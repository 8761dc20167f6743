/**
 * The programme slice of the GraphQL schema: `programme(filter)`, the same overview as
 * `GET /v1/programme` (admin key only). Counts by key (status, band, …) are lists of
 * `{ key, count }`; a withheld figure has `released: false`, a reason and the minimum, and no value.
 */
import {
  PROGRAMME_FILTER_ATTRIBUTES,
  type ProgrammeDisclosure,
  type ProgrammeOverview,
} from '@sparring/domain';
import { requireAdmin } from '../auth/principal.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
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

const list = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts).map(([key, count]) => ({ key, count }));

const figure = <T>(d: ProgrammeDisclosure<T> | null) =>
  d === null
    ? null
    : d.released
      ? { released: true, reason: null, minimum: null, value: d.value }
      : { released: false, reason: d.reason, minimum: d.minimum, value: null };

/** The domain's overview in the GraphQL shape (maps of counts as lists). */
export function toProgrammeObject(o: ProgrammeOverview) {
  return {
    filter: o.filter,
    minimum: o.minimum,
    networks: { total: o.networks.total, byStatus: list(o.networks.byStatus) },
    health: { assessed: o.health.assessed, byBand: list(o.health.byBand), index: figure(o.health.index) },
    monitor: Object.entries(o.monitor).map(([state, m]) => ({ state, ...m })),
    reviews: {
      due: {
        total: o.reviews.due.total,
        byKind: list(o.reviews.due.byKind),
        byRecommendation: list(o.reviews.due.byRecommendation),
        reasons: o.reviews.due.reasons,
      },
      decided: { total: o.reviews.decided.total, byDecision: list(o.reviews.decided.byDecision) },
    },
    formationRuns: {
      total: o.formationRuns.total,
      byStatus: list(o.formationRuns.byStatus),
      networksFormed: o.formationRuns.networksFormed,
    },
    attendance: figure(o.attendance),
    months: o.months.map((m) => ({ ...m, attendance: figure(m.attendance) })),
  };
}

export const programmeModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Query: {
      programme: async (
        _: unknown,
        args: { filter?: Record<string, string | null> | null },
        ctx: GraphQLContext,
      ) => {
        const filter = args.filter ?? {};
        const query: ProgrammeQuery = Object.fromEntries(
          [...PROGRAMME_FILTER_ATTRIBUTES, 'from', 'to']
            .filter((k) => filter[k] !== undefined && filter[k] !== null)
            .map((k) => [k, filter[k]]),
        );
        return toProgrammeObject(await programme(ctx.db, requireAdmin(ctx.principal), query, new Date()));
      },
    },
  },
};
