/**
 * The members' share of the network slice of the GraphQL schema (network.graphql.ts assembles it):
 * the member type and the loaders of Network.members and NetworkMember.leader, over the member view
 * of REST (network.resource.ts). Network.members is declared on `type Network` in network.graphql.ts.
 */

import type { Facilitator } from '@sparring/domain';
import { loaderContext } from '../graphql/kit.js';
import { enumSdl } from '../graphql/sdl.js';
import { findLeaders } from '../leaders/leader.repository.js';
import { leaderResource } from '../leaders/leader-resource.graphql.js';
import {
  facilitatorIdOf,
  MEMBER_ROLES,
  type MemberEntry,
  type MemberView,
  toMemberView,
  visibleMembers,
} from './network.resource.js';

/** The member type (spliced before the charter types and `type Network`). */
export const memberTypeDefs = /* GraphQL */ `
  ${enumSdl('NetworkMemberRole', MEMBER_ROLES)}

  "A member as anyone who may see the network sees them (REST's member view): name, organisation and role, nothing else of the profile."
  type NetworkMember {
    leaderId: ID!
    name: String!
    organisation: String!
    "member, facilitator, or former_member once they have left."
    role: NetworkMemberRole!
    joinedAt: String!
    leftAt: String
    active: Boolean!
    "The full leader profile. Admins only: null for a member, who sees fellow members' name, organisation and role."
    leader: Leader
    "Private: on the member's own row, in their own session only (null for the admin and for member tokens)."
    shareSignalsWithFacilitator: Boolean
  }
`;

/** The visible members a resolver already read with the network, for the members loader to reuse. */
export const PRELOADED_MEMBERS = Symbol('preloaded members');
export type WithMembers = { [PRELOADED_MEMBERS]?: readonly MemberEntry[] };

type MemberObject = MemberView;

/** Network.members: the visible members (those a resolver preloaded, the rest in one batch). */
export const networkMembersLoaders = {
  members: async (
    queries: { obj: { id: string; facilitator: Facilitator | null } & WithMembers }[],
    context: unknown,
  ) => {
    const ctx = loaderContext(context);
    const preloaded = new Map<string, readonly MemberEntry[]>();
    for (const q of queries) {
      const members = q.obj[PRELOADED_MEMBERS];
      if (members) preloaded.set(q.obj.id, members);
    }
    const missing = [...new Set(queries.map((q) => q.obj.id).filter((id) => !preloaded.has(id)))];
    const fetched = missing.length > 0 ? await visibleMembers(ctx.db, ctx.principal, missing) : [];
    const now = new Date();
    return queries.map((q) => {
      const facilitatorId = facilitatorIdOf(q.obj.facilitator);
      return (preloaded.get(q.obj.id) ?? fetched)
        .filter((e) => e.row.network_id === q.obj.id)
        .map((e) => toMemberView(e, facilitatorId, ctx.principal, now));
    });
  },
};

/** The loaders of `NetworkMember`. */
export const networkMemberLoaders = {
  leader: async (queries: { obj: MemberObject }[], context: unknown) => {
    const ctx = loaderContext(context);
    // Fellow members see each other through the member view only: the profile is the admin's.
    if (ctx.principal.kind !== 'admin') return queries.map(() => null);
    const ids = [...new Set(queries.map((q) => q.obj.leaderId))];
    const found = new Map((await findLeaders(ctx.db, ctx.principal.tenantId, ids)).map((l) => [l.id, l]));
    return queries.map((q) => {
      const leader = found.get(q.obj.leaderId);
      return leader ? leaderResource(leader, ctx) : null;
    });
  },
};
