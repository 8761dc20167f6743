/** The bulk upsert on GraphQL: the same use case as POST /v1/leaders/bulk, the same codes on errors. */
import { LEADER_UPSERT_MAX } from '@sparring/domain';
import { requireAdmin } from '../auth/principal.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { enumSdl } from '../graphql/sdl.js';
import { notifyEmailChange } from '../members/member-session.service.js';
import { OPTIONAL_PROFILE_FIELDS } from './leader.graphql.js';
import { upsertLeaders } from './leader-bulk.service.js';

const typeDefs = /* GraphQL */ `
  ${enumSdl('LeaderUpsertStatus', ['created', 'updated', 'unchanged'])}

  "A leader keyed by the HR system's id: a new externalId needs a complete profile, a known one is a partial update."
  input LeaderUpsertInput {
    externalId: String!
    "The manager by the HR system's id (a leader of the same batch or a stored one); instead of managerId."
    managerExternalId: String
    ${OPTIONAL_PROFILE_FIELDS}
  }

  type LeaderUpsertItemResult {
    "The item's position in the input."
    index: Int!
    externalId: String!
    id: ID!
    "unchanged: the stored leader already said the same; nothing was written, no event."
    status: LeaderUpsertStatus!
    version: Int!
  }

  type LeaderUpsertResult {
    created: Int!
    updated: Int!
    unchanged: Int!
    "One per item, in the order sent."
    results: [LeaderUpsertItemResult!]!
  }

  extend type Mutation {
    "Creates or updates 1 to ${LEADER_UPSERT_MAX} leaders by externalId, all or nothing (a validation_failed error names every invalid item by its position: issue paths leaders[i].field); repeating it changes nothing."
    upsertLeaders(input: [LeaderUpsertInput!]!): LeaderUpsertResult!
  }
`;

export const leaderBulkModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Mutation: {
      upsertLeaders: async (_: unknown, args: { input: Record<string, unknown>[] }, ctx: GraphQLContext) => {
        // GraphQL passes an absent field as absent and an explicit null as null: the update's
        // "absent keeps, null clears" reads the same as on REST.
        const { outcome, emailChanges } = await upsertLeaders(
          ctx.db,
          requireAdmin(ctx.principal),
          args.input,
        );
        for (const change of emailChanges) void notifyEmailChange(ctx.mailer, change);
        return outcome;
      },
    },
  },
};
