import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { pageSizeOf } from '../http/pagination.js';
import {
  type CreateFeedInput,
  createLeaderFeed,
  createNetworkFeed,
  getFeed,
  listFeeds,
  revokeFeed,
} from './calendar-feed.service.js';

const typeDefs = /* GraphQL */ `
  "A calendar feed: a secret address calendar apps subscribe to (docs/calendar-feeds.md). Never its address."
  type CalendarFeed {
    id: ID!
    "network: every meeting of one network; leader: the meetings of the leader's networks while a member"
    kind: String!
    networkId: ID
    leaderId: ID
    "da or en: the language of the feed's texts"
    language: String!
    label: String
    "The token's first characters, to recognise the feed"
    tokenPrefix: String!
    "admin: over the API; member: by the leader on the member pages"
    createdBy: String!
    createdAt: String!
  }

  "A feed just created, with its secret address: shown once, only its hash is stored."
  type CreatedCalendarFeed {
    id: ID!
    kind: String!
    networkId: ID
    leaderId: ID
    language: String!
    label: String
    tokenPrefix: String!
    createdBy: String!
    createdAt: String!
    url: String!
    "The same address as webcal://, which opens the calendar app to subscribe"
    webcalUrl: String!
  }

  type CalendarFeedPage {
    nodes: [CalendarFeed!]!
    nextCursor: String
  }

  input CalendarFeedInput {
    "da (default) or en"
    language: String
    label: String
  }

  extend type Query {
    "The live calendar feeds of a network (admin key)."
    networkCalendarFeeds(networkId: ID!, first: Int = 50, after: String): CalendarFeedPage!
    "The live calendar feeds of a leader (admin key)."
    leaderCalendarFeeds(leaderId: ID!, first: Int = 50, after: String): CalendarFeedPage!
    "One live calendar feed (admin key)."
    calendarFeed(id: ID!): CalendarFeed!
  }

  extend type Mutation {
    "Creates a feed of every meeting of a network (admin key); the address is in the answer once."
    createNetworkCalendarFeed(networkId: ID!, input: CalendarFeedInput): CreatedCalendarFeed!
    "Creates a feed of a leader's meetings while a member (admin key); the address is in the answer once."
    createLeaderCalendarFeed(leaderId: ID!, input: CalendarFeedInput): CreatedCalendarFeed!
    "Revokes a feed (admin key): its address answers 404 from now on. True when it was revoked."
    revokeCalendarFeed(id: ID!): Boolean!
  }
`;

type PageArgs = { first: number; after?: string | null };

function pageOf(args: PageArgs) {
  return { limit: pageSizeOf(args.first), cursor: args.after ?? undefined };
}

const inputOf = (input: CreateFeedInput | null | undefined): CreateFeedInput => input ?? {};

/** The module, for a service whose links start with `publicUrl`. */
export function calendarFeedModule(publicUrl: string): GraphQLModule {
  const list = (kind: 'network' | 'leader', id: string, args: PageArgs, ctx: GraphQLContext) =>
    listFeeds(ctx.db, ctx.principal, { kind, id }, pageOf(args)).then((page) => ({
      nodes: page.items,
      nextCursor: page.nextCursor,
    }));
  return {
    typeDefs,
    resolvers: {
      Query: {
        networkCalendarFeeds: (_: unknown, args: PageArgs & { networkId: string }, ctx: GraphQLContext) =>
          list('network', args.networkId, args, ctx),
        leaderCalendarFeeds: (_: unknown, args: PageArgs & { leaderId: string }, ctx: GraphQLContext) =>
          list('leader', args.leaderId, args, ctx),
        calendarFeed: (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
          getFeed(ctx.db, ctx.principal, args.id),
      },
      Mutation: {
        createNetworkCalendarFeed: (
          _: unknown,
          args: { networkId: string; input?: CreateFeedInput | null },
          ctx: GraphQLContext,
        ) =>
          createNetworkFeed(ctx.db, ctx.principal, args.networkId, inputOf(args.input), publicUrl, ctx.log),
        createLeaderCalendarFeed: (
          _: unknown,
          args: { leaderId: string; input?: CreateFeedInput | null },
          ctx: GraphQLContext,
        ) => createLeaderFeed(ctx.db, ctx.principal, args.leaderId, inputOf(args.input), publicUrl, ctx.log),
        revokeCalendarFeed: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
          await revokeFeed(ctx.db, ctx.principal, args.id, ctx.log);
          return true;
        },
      },
    },
  };
}
