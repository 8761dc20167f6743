/** Member tokens in the GraphQL schema: the same use cases as REST (mint and revoke: admin; me: member). */
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { toLeaderResource } from '../leaders/leader.service.js';
import { currentLeader, issueMemberToken, withdrawMemberToken } from './member-token.service.js';

const typeDefs = /* GraphQL */ `
  "A short-lived credential for one leader. token is shown once: send it as Authorization: Bearer mt_…"
  type MemberToken {
    id: ID!
    leaderId: ID!
    token: String!
    expiresAt: String!
  }

  extend type Query {
    "The leader the calling member token belongs to."
    me: Leader!
  }

  extend type Mutation {
    "Mints a token for one leader (admin key); ttlSeconds 60 … 2,592,000, default 3,600."
    mintMemberToken(leaderId: ID!, ttlSeconds: Int): MemberToken!
    "Revokes a live token (admin key); true when it was revoked."
    revokeMemberToken(id: ID!): Boolean!
  }
`;

export const memberTokenModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Query: {
      me: async (_: unknown, __: unknown, ctx: GraphQLContext) => {
        const resource = toLeaderResource(await currentLeader(ctx.db, ctx.principal), ctx.principal);
        return { ...resource, exclusions: null };
      },
    },
    Mutation: {
      mintMemberToken: (
        _: unknown,
        args: { leaderId: string; ttlSeconds?: number | null },
        ctx: GraphQLContext,
      ) => issueMemberToken(ctx.db, ctx.principal, args.leaderId, args.ttlSeconds ?? undefined, ctx.log),
      revokeMemberToken: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
        await withdrawMemberToken(ctx.db, ctx.principal, args.id, ctx.log);
        return true;
      },
    },
  },
};
