/** The GraphQL shape of a leader, shared by the leader queries, the lifecycle mutations and network members. */

import type { GraphQLContext } from '../graphql/context.js';
import type { StoredLeader } from './leader.repository.js';
import { toLeaderResource } from './leader.service.js';

/** The GraphQL shape of a leader: the REST resource, with `exclusions` null (write-only). */
export const leaderResource = (leader: StoredLeader, ctx: GraphQLContext) => ({
  ...toLeaderResource(leader, ctx.principal),
  exclusions: null,
});
