/** Member tokens in the GraphQL schema: the same use cases as REST (mint and revoke: admin; me: member). */

import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { enumSdl } from '../graphql/sdl.js';
import { pageSizeOf } from '../http/pagination.js';
import { leaderResource } from '../leaders/leader-resource.graphql.js';
import {
  currentLeader,
  issueMemberToken,
  listMemberTokensPage,
  withdrawMemberToken,
} from './member-token.service.js';

const typeDefs = /* GraphQL */ `
  "A short-lived credential for one leader. token is shown once: send it as Authorization: Bearer mt_…"
  type MemberToken {
    id: ID!
    leaderId: ID!
    token: String!
    expiresAt: String!
  }

  "A member token as listed: never the token or its hash. status: live, expired or revoked."
  type MemberTokenInfo {
    id: ID!
    leaderId: ID!
    createdAt: String!
    expiresAt: String!
    revokedAt: String
    status: MemberTokenStatus!
  }

  "live (it acts until expiresAt), expired or revoked."
  ${enumSdl('MemberTokenStatus', ['live', 'expired', 'revoked'])}

  type MemberTokenPage {
    nodes: [MemberTokenInfo!]!
    nextCursor: String
  }

  extend type Query {
    "The leader the calling member token belongs to."
    me: Leader!
    "A leader's member tokens, newest first (admin key)."
    memberTokens(leaderId: ID!, first: Int = 50, after: String): MemberTokenPage!
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
      me: async (_: unknown, __: unknown, ctx: GraphQLContext) =>
        leaderResource(await currentLeader(ctx.db, ctx.principal), ctx),
      memberTokens: async (
        _: unknown,
        args: { leaderId: string; first: number; after?: string | null },
        ctx: GraphQLContext,
      ) => {
        const page = await listMemberTokensPage(ctx.db, ctx.principal, args.leaderId, {
          limit: pageSizeOf(args.first),
          cursor: args.after ?? undefined,
        });
        return { nodes: page.items, nextCursor: page.nextCursor };
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
