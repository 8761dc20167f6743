/**
 * The leaving and erasure mutations of the GraphQL schema, mirroring REST
 * (leader-lifecycle.routes.ts: deactivate, reactivate, DELETE /v1/leaders/{id}).
 */

import { requireAdmin } from '../auth/principal.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { leaderResource } from '../leaders/leader-resource.graphql.js';
import { deactivateLeader, eraseLeader, reactivateLeader } from './leader-lifecycle.service.js';

const typeDefs = /* GraphQL */ `
  extend type Mutation {
    "Erases the leader (GDPR art. 17), as eraseLeader; true when done. Never refused for having been a member."
    deleteLeader(id: ID!): Boolean!
    "The leader leaves from 'from' (RFC 3339, default now): memberships end then, tokens, sessions and feeds stop. Already deactivated: unchanged."
    deactivateLeader(id: ID!, from: String): Leader!
    "Active again; ended memberships are not restored. An erased leader cannot be reactivated (leader_erased)."
    reactivateLeader(id: ID!): Leader!
    "GDPR art. 17 erasure: the erased leader, or null when a leader who was never a member was deleted outright."
    eraseLeader(id: ID!): Leader
  }
`;

export const leavingModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Mutation: {
      deleteLeader: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
        await eraseLeader(ctx.db, requireAdmin(ctx.principal), args.id, { log: ctx.log });
        return true;
      },
      deactivateLeader: async (_: unknown, args: { id: string; from?: string | null }, ctx: GraphQLContext) =>
        leaderResource(
          await deactivateLeader(ctx.db, requireAdmin(ctx.principal), args.id, {
            from: args.from ?? undefined,
            log: ctx.log,
          }),
          ctx,
        ),
      reactivateLeader: async (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
        leaderResource(
          await reactivateLeader(ctx.db, requireAdmin(ctx.principal), args.id, { log: ctx.log }),
          ctx,
        ),
      eraseLeader: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
        const erased = await eraseLeader(ctx.db, requireAdmin(ctx.principal), args.id, { log: ctx.log });
        return erased ? leaderResource(erased, ctx) : null;
      },
    },
  },
};
