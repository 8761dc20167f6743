/**
 * The network slice of the GraphQL schema: the same use cases as REST (network.service.ts,
 * charter.service.ts), the same codes on errors. Nested fields (members, their leaders, the
 * charter) use loaders: one query per batch, whatever the number of networks.
 * Other slices extend `type Network` with `extend type Network { … }`. The members' and the
 * charter's types, resolvers and loaders are in network-members.graphql.ts and charter.graphql.ts;
 * this file assembles them with the network's own into the module.
 */
import { LIFECYCLE_STATUSES } from '@sparring/domain';
import { requireAdmin } from '../auth/principal.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { lift, loaderContext, versionCheck, withoutNulls } from '../graphql/kit.js';
import { enumSdl } from '../graphql/sdl.js';
import { pageSizeOf } from '../http/pagination.js';
import {
  charterAcceptanceTypeDefs,
  charterInputTypeDefs,
  charterMutations,
  charterNetworkLoaders,
  charterTypeDefs,
  charterTypeResolvers,
} from './charter.graphql.js';
import {
  addMember,
  applyLifecycleCommand,
  createNetwork,
  getNetwork,
  type LifecycleCommand,
  listNetworksPage,
  networkRulesBatch,
  removeMember,
  setOwnSignalConsent,
  toNetworkResource,
  updateNetwork,
} from './network.service.js';
import {
  memberTypeDefs,
  networkMemberLoaders,
  networkMembersLoaders,
  PRELOADED_MEMBERS,
} from './network-members.graphql.js';

/** A network's settings as input fields: optional on create (the defaults apply) and on update. */
const NETWORK_SETTINGS_FIELDS = `size: NetworkSizeInput
    trialLength: Int
    reviewEvery: Int
    timeZone: String
    rolesPolicy: NetworkRolesPolicyInput
    facilitator: NetworkFacilitatorInput
    minResponses: Int
    evaluationWindowDays: Int`;

const typeDefs = /* GraphQL */ `
  ${enumSdl('NetworkStatus', LIFECYCLE_STATUSES)}

  "A text in Danish and English."
  type NetworkText {
    da: String!
    en: String!
  }

  type NetworkSize {
    min: Int!
    max: Int!
  }

  type NetworkRolePolicy {
    kind: String!
    memberId: ID
    name: String
  }

  type NetworkRolesPolicy {
    coordinator: NetworkRolePolicy!
    host: NetworkRolePolicy!
    agenda_owner: NetworkRolePolicy!
    facilitator: NetworkRolePolicy!
  }

  "Who facilitates: a member (leaderId) or an external person (name, email)."
  type NetworkFacilitator {
    kind: String!
    leaderId: ID
    name: String
    email: String
  }

  type NetworkLifecycleEntry {
    at: String!
    event: String!
    from: NetworkStatus!
    to: NetworkStatus!
    decision: String
    changes: [String!]
  }

  "The lifecycle: status, since when, the phase's progress and the history of transitions."
  type NetworkLifecycle {
    status: NetworkStatus!
    since: String!
    heldInTrial: Int
    trialLength: Int
    round: Int
    reviewKind: String
    reviewEvery: Int
    heldWhileDue: Int
    heldSinceReview: Int
    resumeTo: String
    history: [NetworkLifecycleEntry!]!
  }

  ${memberTypeDefs}

  ${charterTypeDefs}

  "A leader network (ledernetværk)."
  type Network {
    id: ID!
    name: String!
    status: NetworkStatus!
    size: NetworkSize!
    trialLength: Int!
    reviewEvery: Int!
    timeZone: String!
    rolesPolicy: NetworkRolesPolicy!
    minResponses: Int!
    evaluationWindowDays: Int!
    facilitator: NetworkFacilitator
    members: [NetworkMember!]!
    charter: CharterStatus!
    "Every charter version in version order, with its acceptances (who may read: as charter)."
    charterVersions(first: Int = 50, after: String): CharterVersionPage!
    lifecycle: NetworkLifecycle!
    "The domain's rule check on what is stored. Admins only (null for member tokens)."
    rules: NetworkRules
    version: Int!
    createdAt: String!
    updatedAt: String!
  }

  "One broken network rule (the domain's checkNetwork). between: the two members of a conflict, sorted (no direction)."
  type NetworkViolation {
    code: String!
    message: NetworkText!
    memberCount: Int
    min: Int
    max: Int
    version: Int
    between: [ID!]
  }

  type NetworkRules {
    ok: Boolean!
    violations: [NetworkViolation!]!
  }

  type NetworkSignalConsent {
    leaderId: ID!
    shareSignalsWithFacilitator: Boolean!
  }

  type NetworkPage {
    nodes: [Network!]!
    nextCursor: String
  }

  ${charterAcceptanceTypeDefs}

  input NetworkSizeInput {
    min: Int
    max: Int
  }

  input NetworkFacilitatorInput {
    "member or external"
    kind: String!
    leaderId: ID
    name: String
    email: String
  }

  input NetworkRolePolicyInput {
    kind: String!
    memberId: ID
    name: String
  }

  input NetworkRolesPolicyInput {
    coordinator: NetworkRolePolicyInput
    host: NetworkRolePolicyInput
    agenda_owner: NetworkRolePolicyInput
    facilitator: NetworkRolePolicyInput
  }

  input CreateNetworkInput {
    name: String!
    ${NETWORK_SETTINGS_FIELDS}
  }

  input UpdateNetworkInput {
    name: String
    ${NETWORK_SETTINGS_FIELDS}
  }

  ${charterInputTypeDefs}

  extend type Query {
    network(id: ID!): Network!
    "Networks the caller may see (a member token: only its own), creation order."
    networks(first: Int = 50, after: String, status: NetworkStatus, member: ID): NetworkPage!
  }

  extend type Mutation {
    createNetwork(input: CreateNetworkInput!): Network!
    "Name and settings. Pass ifVersion (the version you read): required, as If-Match is on REST."
    updateNetwork(id: ID!, input: UpdateNetworkInput!, ifVersion: Int): Network!
    addMember(networkId: ID!, leaderId: ID!, joinedAt: String): Network!
    removeMember(networkId: ID!, leaderId: ID!, leftAt: String): Network!
    "Admin or the facilitator."
    proposeCharter(networkId: ID!, input: CharterInput!): CharterVersion!
    "Member token: accept as yourself."
    acceptCharter(networkId: ID!, version: Int!): CharterMemberAcceptance!
    "Member token: your own consent to share member-specific signals with the facilitator."
    setMySignalConsent(networkId: ID!, shareSignalsWithFacilitator: Boolean!): NetworkSignalConsent!
    startTrial(id: ID!): Network!
    pauseNetwork(id: ID!): Network!
    resumeNetwork(id: ID!): Network!
    dissolveNetwork(id: ID!): Network!
  }
`;

/**
 * The GraphQL shape of a network: the REST resource with its settings on the network (the kit's
 * `lift`); members, the charter and the rest are resolved by loaders.
 */
const networkObject = (row: NetworkRow, ctx: GraphQLContext) =>
  lift(toNetworkResource(row, [], ctx.principal), 'settings');

const lifecycle =
  (command: LifecycleCommand) => async (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
    networkObject((await applyLifecycleCommand(ctx.db, ctx.principal, args.id, command)).row, ctx);

export const networkModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    ...charterTypeResolvers,
    Query: {
      network: async (_: unknown, args: { id: string }, ctx: GraphQLContext) => {
        // getNetwork reads the visible members in the same query: kept for Network.members.
        const { row, members } = await getNetwork(ctx.db, ctx.principal, args.id);
        return { ...networkObject(row, ctx), [PRELOADED_MEMBERS]: members };
      },
      networks: async (
        _: unknown,
        args: { first: number; after?: string | null; status?: string | null; member?: string | null },
        ctx: GraphQLContext,
      ) => {
        const page = await listNetworksPage(ctx.db, ctx.principal, {
          limit: pageSizeOf(args.first),
          cursor: args.after ?? undefined,
          status: args.status ?? undefined,
          member: args.member ?? undefined,
        });
        return { nodes: page.items.map((row) => networkObject(row, ctx)), nextCursor: page.nextCursor };
      },
    },
    Mutation: {
      createNetwork: async (_: unknown, args: { input: { name: string } }, ctx: GraphQLContext) =>
        networkObject(
          (await createNetwork(ctx.db, requireAdmin(ctx.principal), withoutNulls(args.input))).row,
          ctx,
        ),
      updateNetwork: async (
        _: unknown,
        args: { id: string; input: Record<string, unknown>; ifVersion?: number | null },
        ctx: GraphQLContext,
      ) => {
        const input = withoutNulls(args.input);
        // An explicit facilitator: null clears it (the only setting that may be absent).
        if (args.input.facilitator === null) input.facilitator = null;
        const { row } = await updateNetwork(
          ctx.db,
          requireAdmin(ctx.principal),
          args.id,
          input,
          versionCheck(args.ifVersion, { required: true }),
        );
        return networkObject(row, ctx);
      },
      addMember: async (
        _: unknown,
        args: { networkId: string; leaderId: string; joinedAt?: string | null },
        ctx: GraphQLContext,
      ) =>
        networkObject(
          (
            await addMember(ctx.db, requireAdmin(ctx.principal), args.networkId, {
              leaderId: args.leaderId,
              joinedAt: args.joinedAt ?? undefined,
            })
          ).row,
          ctx,
        ),
      removeMember: async (
        _: unknown,
        args: { networkId: string; leaderId: string; leftAt?: string | null },
        ctx: GraphQLContext,
      ) =>
        networkObject(
          (
            await removeMember(
              ctx.db,
              requireAdmin(ctx.principal),
              args.networkId,
              args.leaderId,
              args.leftAt ?? undefined,
            )
          ).row,
          ctx,
        ),
      ...charterMutations,
      setMySignalConsent: async (
        _: unknown,
        args: { networkId: string; shareSignalsWithFacilitator: boolean },
        ctx: GraphQLContext,
      ) => setOwnSignalConsent(ctx.db, ctx.principal, args.networkId, args.shareSignalsWithFacilitator),
      startTrial: lifecycle('start_trial'),
      pauseNetwork: lifecycle('pause'),
      resumeNetwork: lifecycle('resume'),
      dissolveNetwork: lifecycle('dissolve'),
    },
  },
  loaders: {
    Network: {
      ...networkMembersLoaders,
      rules: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = loaderContext(context);
        if (ctx.principal.kind !== 'admin') return queries.map(() => null);
        const rules = await networkRulesBatch(
          ctx.db,
          ctx.principal.tenantId,
          queries.map((q) => q.obj.id),
        );
        // As GET /v1/networks/{id}/rules sends them.
        return queries.map((q) => rules.get(q.obj.id) ?? null);
      },
      ...charterNetworkLoaders,
    },
    NetworkMember: networkMemberLoaders,
  },
};
