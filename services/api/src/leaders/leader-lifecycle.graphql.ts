/**
 * The leaving and erasure mutations of the GraphQL schema, mirroring REST
 * (leader-lifecycle.routes.ts and DELETE /v1/leaders/{id}); merged into the leader module.
 */

import { requireAdmin } from '../auth/principal.js';
import type { GraphQLContext } from '../graphql/context.js';
import { deactivateLeader, eraseLeader, reactivateLeader } from './leader-lifecycle.service.js';
import { leaderResource } from './leader-resource.graphql.js';

/** Mutation fields (inside `extend type Mutation`). */
export const leaderLifecycleTypeDefs = /* GraphQL */ `
    "The leader leaves from 'from' (RFC 3339, default now): memberships end then, tokens, sessions and feeds stop. Already deactivated: unchanged."
    deactivateLeader(id: ID!, from: String): Leader!
    "Active again; ended memberships are not restored. An erased leader cannot be reactivated (leader_erased)."
    reactivateLeader(id: ID!): Leader!
    "GDPR art. 17 erasure: the erased leader, or null when a leader who was never a member was deleted outright."
    eraseLeader(id: ID!): Leader
`;

export const leaderLifecycleMutations = {
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
};
