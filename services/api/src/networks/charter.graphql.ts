/**
 * The charter's share of the network slice of the GraphQL schema (network.graphql.ts assembles it):
 * the charter types and inputs, the proposeCharter and acceptCharter mutations, and the
 * Network.charter and Network.charterVersions loaders, over the same use cases as REST
 * (charter.service.ts). The fields themselves are declared on `type Network` and `type Mutation`
 * in network.graphql.ts, in the order the published schema has always had.
 */
import type { GraphQLContext } from '../graphql/context.js';
import { loaderContext, withoutNulls } from '../graphql/kit.js';
import { pageSizeOf } from '../http/pagination.js';
import {
  acceptCharterVersion,
  charterViews,
  listCharterVersionsPages,
  proposeCharter,
} from './charter.service.js';

/** The charter's output types (spliced before `type Network`, which refers to them). */
export const charterTypeDefs = /* GraphQL */ `
  type CharterGoal {
    category: String!
    description: String!
  }

  type CharterGroundRule {
    kind: String!
    hours: Int
    "A custom rule's text."
    text: String
    "The confidentiality rule's fixed wording."
    localizedText: NetworkText
  }

  type CharterVersion {
    version: Int!
    purpose: String!
    goals: [CharterGoal!]!
    groundRules: [CharterGroundRule!]!
    adoptedAt: String!
  }

  type CharterAcceptance {
    leaderId: ID!
    acceptedAt: String!
  }

  "The latest charter version, whether it is in force, and who has accepted it (never why anyone has not)."
  type CharterStatus {
    version: Int
    inForce: Boolean!
    charter: CharterVersion
    acceptedBy: [CharterAcceptance!]!
  }

  "One charter version with its acceptances; inForce only ever true for the latest."
  type CharterVersionEntry {
    version: Int!
    purpose: String!
    goals: [CharterGoal!]!
    groundRules: [CharterGroundRule!]!
    adoptedAt: String!
    latest: Boolean!
    inForce: Boolean!
    "Every acceptance recorded for this version, in time order (members who have left included)."
    acceptedBy: [CharterAcceptance!]!
  }

  type CharterVersionPage {
    nodes: [CharterVersionEntry!]!
    nextCursor: String
  }
`;

/** A member's acceptance as acceptCharter returns it (spliced after `type NetworkPage`). */
export const charterAcceptanceTypeDefs = /* GraphQL */ `
  type CharterMemberAcceptance {
    leaderId: ID!
    version: Int!
    acceptedAt: String!
  }
`;

/** The charter's inputs (spliced after the network's inputs). */
export const charterInputTypeDefs = /* GraphQL */ `
  input CharterGoalInput {
    category: String!
    description: String!
  }

  input CharterGroundRuleInput {
    kind: String!
    hours: Int
    text: String
  }

  input CharterInput {
    purpose: String!
    goals: [CharterGoalInput!]!
    groundRules: [CharterGroundRuleInput!]
  }
`;

type GroundRule = { kind: string; text?: string | { da: string; en: string } };

/**
 * The ground rule's `text` as GraphQL declares it: REST's resource has one `text`, a string for a
 * custom rule and the fixed wording in both languages for the confidentiality rule; GraphQL cannot
 * type one field as both, so the wording is `localizedText`.
 */
export const charterTypeResolvers = {
  CharterGroundRule: {
    text: (r: GroundRule) => (r.kind === 'confidentiality' ? null : r.text),
    localizedText: (r: GroundRule) => (r.kind === 'confidentiality' ? r.text : null),
  },
};

/** The charter mutations' resolvers. */
export const charterMutations = {
  proposeCharter: async (_: unknown, args: { networkId: string; input: object }, ctx: GraphQLContext) =>
    proposeCharter(ctx.db, ctx.principal, args.networkId, withoutNulls(args.input)),
  acceptCharter: async (_: unknown, args: { networkId: string; version: number }, ctx: GraphQLContext) => {
    const { created: _created, ...acceptance } = await acceptCharterVersion(
      ctx.db,
      ctx.principal,
      args.networkId,
      args.version,
    );
    return acceptance;
  },
};

/** The loaders of the charter fields on `Network`: one batch per query. */
export const charterNetworkLoaders = {
  charter: async (queries: { obj: { id: string } }[], context: unknown) => {
    const ctx = loaderContext(context);
    const views = await charterViews(
      ctx.db,
      ctx.principal.tenantId,
      queries.map((q) => q.obj.id),
    );
    return queries.map((q) => views.get(q.obj.id)!);
  },
  charterVersions: async (
    queries: { obj: { id: string }; params: { first?: number | null; after?: string | null } }[],
    context: unknown,
  ) => {
    const ctx = loaderContext(context);
    const pages = await listCharterVersionsPages(
      ctx.db,
      ctx.principal,
      queries.map((q) => ({
        networkId: q.obj.id,
        limit: pageSizeOf(q.params.first ?? 50),
        cursor: q.params.after ?? undefined,
      })),
    );
    return pages.map((page) => ({ nodes: page.items, nextCursor: page.nextCursor }));
  },
};
