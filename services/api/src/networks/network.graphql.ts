/** The network slice of the GraphQL schema (minimal first version; grows below). */
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { networkForCaller } from './network-access.js';

const typeDefs = /* GraphQL */ `
  "A leader network (ledernetværk)."
  type Network {
    id: ID!
    name: String!
    status: String!
    version: Int!
  }

  extend type Query {
    network(id: ID!): Network!
  }
`;

export const networkModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Query: {
      network: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
        const row = await networkForCaller(ctx.db, ctx.principal, args.id);
        return { id: row.id, name: row.name, status: row.status, version: row.version };
      },
    },
  },
};
