/**
 * The GraphQL shape of a leader, shared by the leader queries, the lifecycle mutations, network
 * members, formation proposals and `me`.
 */

import type { GraphQLContext } from '../graphql/context.js';
import type { StoredLeader } from './leader.repository.js';
import { toLeaderResource } from './leader.service.js';

/**
 * The GraphQL shape of a leader: the REST resource as it is. It has no `exclusions` (write-only),
 * so `Leader.exclusions` reads as null; `Leader.manager` is resolved by a loader.
 */
export const leaderResource = (leader: StoredLeader, ctx: GraphQLContext) =>
  toLeaderResource(leader, ctx.principal);
