import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { pageSizeOf } from '../http/pagination.js';
import { listEventsPage, toEventResource } from './event.service.js';

const typeDefs = /* GraphQL */ `
  "An event's payload: ids and public facts, its shape given by the type (docs/events.md)."
  scalar EventData

  "A domain event, recorded in the same transaction as the change it describes."
  type Event {
    "Stable (UUIDv7): deduplicate by it."
    id: ID!
    "e.g. meeting.held, evaluation.results_released"
    type: String!
    "The global sequence number, as a decimal string."
    position: String!
    "Pass as after: to continue after this event."
    cursor: String!
    occurredAt: String!
    data: EventData!
  }

  type EventPage {
    nodes: [Event!]!
    "null when no more events are visible now (keep the last event's cursor)."
    nextCursor: String
  }

  extend type Query {
    "The tenant's events, oldest first (admin key only); types filters by type names."
    events(first: Int = 50, after: String, types: [String!]): EventPage!
  }
`;

export const eventModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Query: {
      events: async (
        _: unknown,
        args: { first: number; after?: string | null; types?: string[] | null },
        ctx: GraphQLContext,
      ) => {
        const page = await listEventsPage(ctx.db, ctx.principal, {
          limit: pageSizeOf(args.first),
          cursor: args.after ?? undefined,
          types: args.types ?? undefined,
        });
        return { nodes: page.items.map(toEventResource), nextCursor: page.nextCursor };
      },
    },
  },
};
