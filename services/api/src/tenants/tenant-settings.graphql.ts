/** The tenant's own settings in the GraphQL schema: the same use cases as REST (admin key). */
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import {
  getTenantSettings,
  type TenantSettingsInput,
  updateTenantSettings,
} from './tenant-settings.service.js';

const typeDefs = /* GraphQL */ `
  "The calling key's tenant and its policy."
  type TenantSettings {
    tenantId: ID!
    name: String!
    "When true, a member facilitator sees the member-specific signals of members who consented."
    facilitatorSeesMemberSignals: Boolean!
    "https origins (https://host[:port]) that may frame the member pages under /m/; empty: none may."
    frameAncestors: [String!]!
    "Origins whose browser code may call /v1 and /graphql with this tenant's credentials (CORS); empty: none may."
    corsOrigins: [String!]!
  }

  input TenantSettingsInput {
    facilitatorSeesMemberSignals: Boolean
    "Replaces the list; each an https origin without a path (at most 10)."
    frameAncestors: [String!]
    "Replaces the list; each exactly as the browser sends it in Origin: https://host[:port] (http only for localhost), no path, no wildcard (at most 20)."
    corsOrigins: [String!]
  }

  extend type Query {
    tenantSettings: TenantSettings!
  }

  extend type Mutation {
    updateTenantSettings(input: TenantSettingsInput!): TenantSettings!
  }
`;

export const tenantSettingsModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Query: {
      tenantSettings: (_: unknown, __: unknown, ctx: GraphQLContext) =>
        getTenantSettings(ctx.db, ctx.principal),
    },
    Mutation: {
      updateTenantSettings: (_: unknown, args: { input: TenantSettingsInput }, ctx: GraphQLContext) =>
        updateTenantSettings(ctx.db, ctx.principal, args.input),
    },
  },
};
