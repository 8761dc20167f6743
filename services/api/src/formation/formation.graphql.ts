/** Formation runs in GraphQL: the same use cases and codes as REST. */

import type { FastifyInstance } from 'fastify';
import { requireAdmin } from '../auth/principal.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { lift } from '../graphql/kit.js';
import { enumSdl } from '../graphql/sdl.js';
import { pageSizeOf } from '../http/pagination.js';
import { findLeaders } from '../leaders/leader.repository.js';
import { leaderResource } from '../leaders/leader-resource.graphql.js';
import {
  acceptFormationProposals,
  type CreateFormationRunInput,
  createFormationRun,
  FORMATION_RUN_STATUSES,
  getFormationRun,
  listFormationRunsPage,
  toFormationRunResource,
} from './formation.service.js';

const typeDefs = /* GraphQL */ `
  scalar FormationJSON

  type FormationProposal {
    index: Int!
    memberIds: [ID!]!
    members: [Leader!]!
    timeSlot: String!
    format: String!
    score: Float!
    onlyOnes: Int!
    "Why: one explanation per weighed criterion."
    criteria: FormationJSON!
    acceptedAsNetworkId: ID
  }

  "How far a run is: queued, running, then succeeded or failed."
  ${enumSdl('FormationRunStatus', FORMATION_RUN_STATUSES)}

  "How far a run's search is (docs/formation.md, Progress of a long run)."
  type FormationRunProgress {
    "Best objective so far, the scale of quality.objective: (1 − λ)·mean + λ·worst network score − only-ones."
    bestScore: Float!
    "Search rounds done."
    iterations: Int!
    "Milliseconds the search has run."
    elapsedMs: Int!
    "When this progress was stored."
    updatedAt: String!
  }

  type FormationRun {
    id: ID!
    status: FormationRunStatus!
    poolSize: Int!
    request: FormationJSON!
    createdAt: String!
    finishedAt: String
    error: String
    "Null until the search's first report; a finished run keeps its last one."
    progress: FormationRunProgress
    proposals: [FormationProposal!]
    unplaced: FormationJSON
    quality: FormationJSON
  }

  type FormationRunPage {
    nodes: [FormationRun!]!
    nextCursor: String
  }

  input FormationPoolInput {
    leaderIds: [ID!]
    sectors: [String!]
    regions: [String!]
    levels: [LeadershipLevel!]
    organisations: [String!]
  }

  "Bounds 4–14 (default 6–12) with an optional target, or an explicit list of sizes (not both)."
  input FormationSizesInput {
    min: Int
    max: Int
    target: Int
    "At most these networks, each of exactly its size, e.g. [8, 8, 10]."
    list: [Int!]
  }

  input CreateFormationRunInput {
    pool: FormationPoolInput
    sizes: FormationSizesInput
    target: Int
    composition: FormationJSON
    maxPerOrganisation: Int
    avoidRepeats: Boolean
    worstGroupWeight: Float
    seed: Int
    timeBudgetMs: Int
    "Stop after this many search rounds as well (a run that ends on them is reproducible)."
    maxIterations: Int
  }

  extend type Query {
    formationRun(id: ID!): FormationRun!
    "The tenant's formation runs, newest first; status: queued, running, succeeded or failed."
    formationRuns(first: Int = 50, after: String, status: FormationRunStatus): FormationRunPage!
  }

  extend type Mutation {
    "Starts a run in the background; poll formationRun(id) until status is succeeded."
    createFormationRun(input: CreateFormationRunInput!): FormationRun!
    acceptFormationProposals(id: ID!, proposals: [Int!], namePrefix: String): FormationRun!
  }
`;

/** A run as GraphQL shows it: REST's resource with its result's fields on the run itself. */
const runObject = (run: Parameters<typeof toFormationRunResource>[0]) =>
  lift(toFormationRunResource(run), 'result');

interface GraphPoolInput {
  leaderIds?: string[] | null;
  sectors?: string[] | null;
  regions?: string[] | null;
  levels?: string[] | null;
  organisations?: string[] | null;
}

function fromGraphInput(input: Record<string, unknown>): CreateFormationRunInput {
  const { pool, ...rest } = input as { pool?: GraphPoolInput | null } & Record<string, unknown>;
  const clean = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null && v !== undefined));
  if (!pool) return clean;
  const filter = Object.fromEntries(
    (['sectors', 'regions', 'levels', 'organisations'] as const).flatMap((k) =>
      pool[k] ? [[k, pool[k]]] : [],
    ),
  );
  return { ...clean, pool: pool.leaderIds ? { leaderIds: pool.leaderIds } : { filter } };
}

export const formationModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Query: {
      formationRun: async (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
        runObject(await getFormationRun(ctx.db, requireAdmin(ctx.principal), args.id)),
      formationRuns: async (
        _: unknown,
        args: { first: number; after?: string | null; status?: string | null },
        ctx: GraphQLContext,
      ) => {
        const page = await listFormationRunsPage(ctx.db, ctx.principal, {
          limit: pageSizeOf(args.first),
          cursor: args.after ?? undefined,
          status: args.status ?? undefined,
        });
        return {
          nodes: page.items.map(runObject),
          nextCursor: page.nextCursor,
        };
      },
    },
    Mutation: {
      createFormationRun: async (
        _: unknown,
        args: { input: Record<string, unknown> },
        ctx: GraphQLContext,
      ) => {
        const run = await createFormationRun(ctx.db, requireAdmin(ctx.principal), fromGraphInput(args.input));
        (ctx as unknown as { app: FastifyInstance }).app.formationRunner.enqueue(run.tenant_id, run.id);
        return runObject(run);
      },
      acceptFormationProposals: async (
        _: unknown,
        args: { id: string; proposals?: number[] | null; namePrefix?: string | null },
        ctx: GraphQLContext,
      ) =>
        runObject(
          await acceptFormationProposals(ctx.db, requireAdmin(ctx.principal), args.id, {
            ...(args.proposals ? { proposals: args.proposals } : {}),
            ...(args.namePrefix ? { namePrefix: args.namePrefix } : {}),
          }),
        ),
    },
  },
  loaders: {
    FormationProposal: {
      members: async (queries: { obj: { memberIds: string[] } }[], context: unknown) => {
        const ctx = context as GraphQLContext;
        const ids = [...new Set(queries.flatMap((q) => q.obj.memberIds))];
        const byId = new Map((await findLeaders(ctx.db, ctx.principal.tenantId, ids)).map((l) => [l.id, l]));
        return queries.map((q) =>
          q.obj.memberIds.flatMap((id) => {
            const leader = byId.get(id);
            return leader ? [leaderResource(leader, ctx)] : [];
          }),
        );
      },
    },
  },
};
