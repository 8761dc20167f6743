/** The leader slice of the GraphQL schema: the same use cases as REST, the same codes on errors. */

import {
  LEADERSHIP_LEVELS,
  MEETING_FORMATS,
  MOTIVATIONS,
  SAMENESS_PREFERENCES,
  TIME_SLOTS,
} from '@sparring/domain';
import { requireAdmin } from '../auth/principal.js';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { versionCheck } from '../graphql/kit.js';
import { enumSdl } from '../graphql/sdl.js';
import { pageSizeOf } from '../http/pagination.js';
import { notifyEmailChange } from '../members/member-session.service.js';
import { findLeaders } from './leader.repository.js';
import { createLeader, getLeader, listLeadersPage, patchLeader } from './leader.service.js';
import { leaderResource } from './leader-resource.graphql.js';

/**
 * What a leader states about themselves, as GraphQL fields: name, type, and whether a new leader
 * must give it. The same list types the Leader, CreateLeaderInput (required ones `!`) and every
 * partial input (an update; a bulk upsert item), so the three cannot drift apart.
 */
const STATED_FIELDS: readonly (readonly [name: string, type: string, required: boolean])[] = [
  ['name', 'String', true],
  ['email', 'String', true],
  ['sector', 'String', true],
  ['organisation', 'String', true],
  ['level', 'LeadershipLevel', true],
  ['yearsOfExperience', 'Int', true],
  ['region', 'String', true],
  ['languages', '[String!]', true],
  ['motivations', '[Motivation!]', true],
  ['availability', '[TimeSlot!]', true],
  ['formats', '[MeetingFormat!]', true],
  ['preferredCadenceMonths', 'Int', false],
  ['managerId', 'ID', false],
];

/** The stated fields as SDL lines; `complete`: the required ones non-null (a Leader, a new leader). */
const statedFields = (complete: boolean) =>
  STATED_FIELDS.map(([name, type, required]) => `${name}: ${type}${complete && required ? '!' : ''}`).join(
    '\n    ',
  );

/** Written, never read back: the private exclusion list and the sameness wishes as input. */
const INPUT_ONLY_FIELDS = `exclusions: [ID!]
    sameness: SamenessInput`;

/** A leader's profile fields as optional GraphQL input fields (an update; a bulk upsert item). */
export const OPTIONAL_PROFILE_FIELDS = `${statedFields(false)}
    ${INPUT_ONLY_FIELDS}`;

const typeDefs = /* GraphQL */ `
  ${enumSdl('LeadershipLevel', LEADERSHIP_LEVELS)}
  ${enumSdl('Motivation', MOTIVATIONS)}
  ${enumSdl('TimeSlot', TIME_SLOTS)}
  ${enumSdl('MeetingFormat', MEETING_FORMATS)}
  ${enumSdl('SamenessPreference', SAMENESS_PREFERENCES)}

  type Sameness {
    sector: SamenessPreference!
    experience: SamenessPreference!
    organisation: SamenessPreference!
  }

  "A leader: what they state about themselves and the network they want."
  type Leader {
    id: ID!
    ${statedFields(true)}
    "The leader's manager. Admins only (null for a member, who reaches no one outside their networks)."
    manager: Leader
    "Always null: the exclusion list is private and write-only (set it on createLeader and updateLeader)."
    exclusions: [ID!] @deprecated(reason: "Write-only: never returned, not even to the admin")
    sameness: Sameness!
    "The HR system's own id for the person (unique in the tenant)."
    externalId: String
    "False once the leader is deactivated (from deactivatedAt)."
    active: Boolean!
    "When the leader stops (or stopped) being active: memberships end then; may lie ahead."
    deactivatedAt: String
    "When the leader was erased (GDPR art. 17): name, email and profile are placeholders from then on."
    erasedAt: String
    version: Int!
    createdAt: String!
    updatedAt: String!
  }

  type LeaderPage {
    nodes: [Leader!]!
    nextCursor: String
  }

  input SamenessInput {
    sector: SamenessPreference
    experience: SamenessPreference
    organisation: SamenessPreference
  }

  input CreateLeaderInput {
    ${statedFields(true)}
    ${INPUT_ONLY_FIELDS}
    externalId: String
  }

  input UpdateLeaderInput {
    ${OPTIONAL_PROFILE_FIELDS}
    externalId: String
  }

  extend type Query {
    leader(id: ID!): Leader!
    "Leaders in creation order; narrow by the HR system's id, the email, or changes since a time (RFC 3339)."
    leaders(
      first: Int = 50
      after: String
      externalId: String
      email: String
      updatedSince: String
      "true: active leaders only; false: deactivated ones only (erased included)."
      active: Boolean
    ): LeaderPage!
  }

  extend type Mutation {
    createLeader(input: CreateLeaderInput!): Leader!
    "Partial update. Pass ifVersion (the version you read) to refuse the update if someone changed the leader since."
    updateLeader(id: ID!, input: UpdateLeaderInput!, ifVersion: Int): Leader!
  }
`;

export const leaderModule: GraphQLModule = {
  typeDefs,
  resolvers: {
    Query: {
      leader: async (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
        leaderResource(await getLeader(ctx.db, requireAdmin(ctx.principal), args.id), ctx),
      leaders: async (
        _: unknown,
        args: {
          first: number;
          after?: string | null;
          externalId?: string | null;
          email?: string | null;
          updatedSince?: string | null;
          active?: boolean | null;
        },
        ctx: GraphQLContext,
      ) => {
        const page = await listLeadersPage(ctx.db, requireAdmin(ctx.principal), {
          limit: pageSizeOf(args.first),
          cursor: args.after ?? undefined,
          externalId: args.externalId ?? undefined,
          email: args.email ?? undefined,
          updatedSince: args.updatedSince ?? undefined,
          active: args.active ?? undefined,
        });
        return { nodes: page.items.map((l) => leaderResource(l, ctx)), nextCursor: page.nextCursor };
      },
    },
    Mutation: {
      createLeader: async (_: unknown, args: { input: Record<string, unknown> }, ctx: GraphQLContext) =>
        leaderResource(await createLeader(ctx.db, requireAdmin(ctx.principal), args.input), ctx),
      updateLeader: async (
        _: unknown,
        args: { id: string; input: Record<string, unknown>; ifVersion?: number | null },
        ctx: GraphQLContext,
      ) => {
        const { leader, emailChange } = await patchLeader(
          ctx.db,
          requireAdmin(ctx.principal),
          args.id,
          args.input,
          versionCheck(args.ifVersion),
        );
        if (emailChange) void notifyEmailChange(ctx.mailer, emailChange);
        return leaderResource(leader, ctx);
      },
    },
  },
  loaders: {
    Leader: {
      manager: async (queries: { obj: { managerId: string | null } }[], context: unknown) => {
        const ctx = context as GraphQLContext;
        // A member's path to anyone outside their networks: closed. Only the admin reads managers.
        if (ctx.principal.kind !== 'admin') return queries.map(() => null);
        const ids = [
          ...new Set(queries.map((q) => q.obj.managerId).filter((id): id is string => id !== null)),
        ];
        const found = new Map((await findLeaders(ctx.db, ctx.principal.tenantId, ids)).map((l) => [l.id, l]));
        return queries.map((q) => {
          const leader = q.obj.managerId ? found.get(q.obj.managerId) : undefined;
          return leader ? leaderResource(leader, ctx) : null;
        });
      },
    },
  },
};
