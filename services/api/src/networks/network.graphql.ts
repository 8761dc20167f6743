/**
 * The network slice of the GraphQL schema: the same use cases as REST (network.service.ts,
 * charter.service.ts), the same codes on errors. Nested fields (members, their leaders, the
 * charter) use loaders: one query per batch, whatever the number of networks.
 * Other slices extend `type Network` with `extend type Network { … }`.
 */
import { LIFECYCLE_STATUSES } from '@sparring/domain';
import { requireAdmin } from '../auth/principal.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { loaderContext, versionCheck, withoutNulls } from '../graphql/kit.js';
import { enumSdl } from '../graphql/sdl.js';
import { pageSizeOf } from '../http/pagination.js';
import { leaderResource } from '../leaders/leader.graphql.js';
import { findLeaders } from '../leaders/leader.repository.js';
import {
  acceptCharterVersion,
  type CharterView,
  charterViews,
  listCharterVersionsPage,
  proposeCharter,
} from './charter.service.js';
import {
  addMember,
  applyLifecycleCommand,
  createNetwork,
  facilitatorIdOf,
  getNetwork,
  type LifecycleCommand,
  listNetworksPage,
  MEMBER_ROLES,
  type MemberEntry,
  type MemberView,
  networkRulesBatch,
  removeMember,
  setOwnSignalConsent,
  toMemberView,
  toNetworkResource,
  updateNetwork,
  visibleMembers,
} from './network.service.js';
import type { Facilitator, NetworkRow } from './network.table.js';

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

  type CharterMemberAcceptance {
    leaderId: ID!
    version: Int!
    acceptedAt: String!
  }

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
    size: NetworkSizeInput
    trialLength: Int
    reviewEvery: Int
    timeZone: String
    rolesPolicy: NetworkRolesPolicyInput
    facilitator: NetworkFacilitatorInput
    minResponses: Int
    evaluationWindowDays: Int
  }

  input UpdateNetworkInput {
    name: String
    size: NetworkSizeInput
    trialLength: Int
    reviewEvery: Int
    timeZone: String
    rolesPolicy: NetworkRolesPolicyInput
    facilitator: NetworkFacilitatorInput
    minResponses: Int
    evaluationWindowDays: Int
  }

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

/** The GraphQL shape of a network: the REST resource flattened, members/charter left to loaders. */
function networkObject(row: NetworkRow, ctx: GraphQLContext) {
  const resource = toNetworkResource(row, [], ctx.principal);
  const { settings, members: _members, ...rest } = resource;
  return { ...rest, ...settings };
}

/** The visible members a resolver already read with the network, for the members loader to reuse. */
const PRELOADED_MEMBERS = Symbol('preloaded members');
type WithMembers = { [PRELOADED_MEMBERS]?: readonly MemberEntry[] };

const lifecycle =
  (command: LifecycleCommand) => async (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
    networkObject((await applyLifecycleCommand(ctx.db, ctx.principal, args.id, command)).row, ctx);

type MemberObject = MemberView;

export const networkModule: GraphQLModule = {
  typeDefs,
  resolvers: {
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
      proposeCharter: async (_: unknown, args: { networkId: string; input: object }, ctx: GraphQLContext) =>
        graphqlCharterVersion(
          await proposeCharter(ctx.db, ctx.principal, args.networkId, withoutNulls(args.input)),
        ),
      acceptCharter: async (
        _: unknown,
        args: { networkId: string; version: number },
        ctx: GraphQLContext,
      ) => {
        const { created: _created, ...acceptance } = await acceptCharterVersion(
          ctx.db,
          ctx.principal,
          args.networkId,
          args.version,
        );
        return acceptance;
      },
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
            .map((e) => {
              const m = toMemberView(e, facilitatorId, ctx.principal, now);
              return { ...m, shareSignalsWithFacilitator: m.shareSignalsWithFacilitator ?? null };
            });
        });
      },
      rules: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = loaderContext(context);
        if (ctx.principal.kind !== 'admin') return queries.map(() => null);
        const rules = await networkRulesBatch(
          ctx.db,
          ctx.principal.tenantId,
          queries.map((q) => q.obj.id),
        );
        return queries.map((q) => {
          const r = rules.get(q.obj.id);
          return r ? { ok: r.ok, violations: r.violations.map((v) => ({ ...v })) } : null;
        });
      },
      charter: async (queries: { obj: { id: string } }[], context: unknown) => {
        const ctx = loaderContext(context);
        const views = await charterViews(
          ctx.db,
          ctx.principal.tenantId,
          queries.map((q) => q.obj.id),
        );
        return queries.map((q) => graphqlCharterStatus(views.get(q.obj.id)!));
      },
      charterVersions: async (
        queries: { obj: { id: string }; params: { first?: number | null; after?: string | null } }[],
        context: unknown,
      ) => {
        const ctx = loaderContext(context);
        return Promise.all(
          queries.map(async (q) => {
            const page = await listCharterVersionsPage(ctx.db, ctx.principal, q.obj.id, {
              limit: pageSizeOf(q.params.first ?? 50),
              cursor: q.params.after ?? undefined,
            });
            return {
              nodes: page.items.map((v) => ({ ...v, ...graphqlCharterVersion(v) })),
              nextCursor: page.nextCursor,
            };
          }),
        );
      },
    },
    NetworkMember: {
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
    },
  },
};

type CharterVersionResource = NonNullable<CharterView['charter']>;

function graphqlCharterVersion(v: CharterVersionResource) {
  return {
    ...v,
    groundRules: v.groundRules.map((r) =>
      r.kind === 'confidentiality'
        ? { kind: r.kind, hours: null, text: null, localizedText: r.text }
        : r.kind === 'cancellation_notice'
          ? { kind: r.kind, hours: r.hours, text: null, localizedText: null }
          : { kind: r.kind, hours: null, text: r.text, localizedText: null },
    ),
  };
}

function graphqlCharterStatus(view: CharterView) {
  return { ...view, charter: view.charter ? graphqlCharterVersion(view.charter) : null };
}
