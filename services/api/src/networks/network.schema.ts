/**
 * The network wire formats (REST and the OpenAPI document). Vocabularies come from the domain
 * package; the domain's constructors (parseNetworkSizeBounds, parseRolesPolicy) then check the
 * rules. The charter's wire formats (charter.schema.ts) are re-exported from here.
 */
import {
  LIFECYCLE_STATUSES,
  NETWORK_SIZE_LIMITS,
  REVIEW_EVERY_LIMITS,
  TRIAL_LENGTHS,
} from '@sparring/domain';
import { Type } from 'typebox';
import { EXAMPLE_TIMES as AT, EXAMPLE_IDS as ID } from '../http/examples.js';
import { PageQuery } from '../http/pagination.js';
import { LocalizedTextSchema, oneOf } from '../http/schemas.js';
import { MEMBER_ROLES } from './network.resource.js';

export {
  AcceptanceSchema,
  CharterBody,
  CharterStatusSchema,
  CharterVersionPage,
  CharterVersionSchema,
} from './charter.schema.js';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Localized = LocalizedTextSchema;

const Facilitator = Type.Union(
  [
    Type.Object({ kind: Type.Literal('member'), leaderId: Uuid }, { additionalProperties: false }),
    Type.Object(
      {
        kind: Type.Literal('external'),
        name: Type.String({ minLength: 1, maxLength: 200 }),
        email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'A member of the network, or an outsider (the seed: "det kan også være en udefra")' },
);

const RolePolicy = Type.Object(
  {
    kind: oneOf(['rotating', 'fixed', 'external'] as const),
    memberId: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const settingsProperties = {
  size: Type.Object(
    {
      min: Type.Optional(
        Type.Integer({ minimum: NETWORK_SIZE_LIMITS.smallest, maximum: NETWORK_SIZE_LIMITS.largest }),
      ),
      max: Type.Optional(
        Type.Integer({ minimum: NETWORK_SIZE_LIMITS.smallest, maximum: NETWORK_SIZE_LIMITS.largest }),
      ),
    },
    { additionalProperties: false, description: 'Size bounds (default 6–12)' },
  ),
  trialLength: oneOf(TRIAL_LENGTHS),
  reviewEvery: Type.Integer({
    minimum: REVIEW_EVERY_LIMITS.min,
    maximum: REVIEW_EVERY_LIMITS.max,
    description: 'Held meetings between periodic reviews (default 6)',
  }),
  timeZone: Type.String({ maxLength: 64, examples: ['Europe/Copenhagen'] }),
  rolesPolicy: Type.Object(
    {
      coordinator: Type.Optional(RolePolicy),
      host: Type.Optional(RolePolicy),
      agenda_owner: Type.Optional(RolePolicy),
      facilitator: Type.Optional(RolePolicy),
    },
    {
      additionalProperties: false,
      description: 'Per role: rotating (default), fixed member, external (facilitator only)',
    },
  ),
  facilitator: Type.Union([Facilitator, Type.Null()]),
  minResponses: Type.Integer({
    minimum: 3,
    maximum: 14,
    description:
      'k: the least members who must answer before results are shown (default 5, floor 3: below it is a 400). ' +
      'A change applies to meetings held afterwards; each held meeting keeps the k frozen when it was held.',
  }),
  evaluationWindowDays: Type.Integer({ minimum: 1, maximum: 90, description: 'Default 14' }),
};

const optionalSettings = {
  size: Type.Optional(settingsProperties.size),
  trialLength: Type.Optional(settingsProperties.trialLength),
  reviewEvery: Type.Optional(settingsProperties.reviewEvery),
  timeZone: Type.Optional(settingsProperties.timeZone),
  rolesPolicy: Type.Optional(settingsProperties.rolesPolicy),
  facilitator: Type.Optional(settingsProperties.facilitator),
  minResponses: Type.Optional(settingsProperties.minResponses),
  evaluationWindowDays: Type.Optional(settingsProperties.evaluationWindowDays),
};

export const CreateNetworkBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    ...optionalSettings,
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: 'Ledernetværk Aarhus 1',
        size: { min: 6, max: 12 },
        trialLength: 3,
        timeZone: 'Europe/Copenhagen',
        facilitator: { kind: 'external', name: 'Hanne Holm', email: 'hanne@example.dk' },
      },
    ],
  },
);

export const PatchNetworkBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    ...optionalSettings,
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Name and settings only: the status changes through the lifecycle endpoints.',
    examples: [{ name: 'Ledernetværk Aarhus', size: { max: 10 } }],
  },
);

const MemberSchema = Type.Object(
  {
    leaderId: Uuid,
    name: Type.String(),
    organisation: Type.String(),
    role: oneOf(MEMBER_ROLES),
    joinedAt: DateTime,
    leftAt: Type.Union([DateTime, Type.Null()]),
    active: Type.Boolean(),
    shareSignalsWithFacilitator: Type.Optional(
      Type.Boolean({
        description:
          "Private: only on the member's own row, in their own session; never to the admin or a member token",
      }),
    ),
  },
  {
    description:
      'The member view, the same for every caller (and on GraphQL): name, organisation and role in the network, ' +
      'nothing else of the profile. A former member sees no member who joined after they left.',
  },
);

const HistoryEntry = Type.Object({
  at: DateTime,
  event: Type.String(),
  from: oneOf(LIFECYCLE_STATUSES),
  to: oneOf(LIFECYCLE_STATUSES),
  decision: Type.Optional(Type.String()),
  changes: Type.Optional(Type.Array(Type.String())),
});

export const LifecycleSummarySchema = Type.Object({
  status: oneOf(LIFECYCLE_STATUSES),
  since: DateTime,
  heldInTrial: Type.Optional(Type.Integer()),
  trialLength: Type.Optional(Type.Integer()),
  round: Type.Optional(Type.Integer()),
  reviewKind: Type.Optional(Type.String()),
  reviewEvery: Type.Optional(Type.Integer()),
  heldWhileDue: Type.Optional(Type.Integer()),
  heldSinceReview: Type.Optional(Type.Integer()),
  resumeTo: Type.Optional(Type.String()),
  history: Type.Array(HistoryEntry),
});

const NetworkExample = {
  id: ID.network,
  name: 'Ledernetværk Aarhus 1',
  status: 'forming',
  settings: {
    size: { min: 6, max: 12 },
    trialLength: 3,
    reviewEvery: 6,
    timeZone: 'Europe/Copenhagen',
    rolesPolicy: {
      coordinator: { kind: 'rotating' },
      host: { kind: 'rotating' },
      agenda_owner: { kind: 'rotating' },
      facilitator: { kind: 'rotating' },
    },
    minResponses: 5,
    evaluationWindowDays: 14,
  },
  facilitator: { kind: 'external', name: 'Hanne Holm', email: 'hanne@example.dk' },
  members: [],
  lifecycle: { status: 'forming', since: '2026-11-27T09:00:00.000Z', history: [] },
  version: 1,
  createdAt: '2026-11-27T09:00:00.000Z',
  updatedAt: '2026-11-27T09:00:00.000Z',
};

export const NetworkSchema = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    status: oneOf(LIFECYCLE_STATUSES),
    settings: Type.Object({
      size: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
      trialLength: Type.Integer(),
      reviewEvery: Type.Integer(),
      timeZone: Type.String(),
      rolesPolicy: Type.Record(Type.String(), RolePolicy),
      minResponses: Type.Integer(),
      evaluationWindowDays: Type.Integer(),
    }),
    facilitator: Type.Union([
      Type.Object({ kind: Type.Literal('member'), leaderId: Type.String() }),
      Type.Object({
        kind: Type.Literal('external'),
        name: Type.String(),
        email: Type.Union([Type.String(), Type.Null()]),
      }),
      Type.Null(),
    ]),
    members: Type.Array(MemberSchema, { description: 'Active and former members' }),
    lifecycle: LifecycleSummarySchema,
    version: Type.Integer({ description: 'Row version; the ETag is its quoted form' }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { examples: [NetworkExample] },
);

const member = (leaderId: string, name: string, organisation: string, joinedAt: string) => ({
  leaderId,
  name,
  organisation,
  role: 'member',
  joinedAt,
  leftAt: null,
  active: true,
});

/** The same network a meeting into its trial (as an admin lists it). */
const NetworkInTrialExample = {
  ...NetworkExample,
  status: 'trial',
  members: [
    member(ID.mette, 'Mette Jensen', 'Aarhus Kommune', '2026-11-27T09:05:00.000Z'),
    member(ID.soren, 'Søren Nielsen', 'Region Midtjylland', '2026-11-27T09:05:00.000Z'),
    member(ID.anne, 'Anne Poulsen', 'Arla Foods', '2026-11-27T09:06:00.000Z'),
    member(ID.lars, 'Lars Mikkelsen', 'Grundfos', '2026-11-27T09:06:00.000Z'),
    member(ID.camilla, 'Camilla Sørensen', 'Aarhus Universitetshospital', '2026-11-27T09:07:00.000Z'),
    member(ID.jesper, 'Jesper Rasmussen', 'VIA University College', '2026-11-27T09:07:00.000Z'),
  ],
  lifecycle: {
    status: 'trial',
    since: '2026-12-01T09:30:00.000Z',
    heldInTrial: 1,
    trialLength: 3,
    round: 1,
    history: [
      { at: '2026-12-01T09:30:00.000Z', event: 'start_trial', from: 'forming', to: 'trial' },
      { at: AT.meeting1Held, event: 'meeting_held', from: 'trial', to: 'trial' },
    ],
  },
  version: 9,
  updatedAt: AT.meeting1Held,
};

export const NetworkPage = Type.Object(
  {
    data: Type.Array(NetworkSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for the next page',
    }),
  },
  { examples: [{ data: [NetworkInTrialExample], nextCursor: null }] },
);

export const NetworkListQuery = Type.Object(
  {
    ...PageQuery.properties,
    status: Type.Optional(oneOf(LIFECYCLE_STATUSES)),
    member: Type.Optional(
      Type.String({ format: 'uuid', description: 'Only networks this leader belongs or belonged to' }),
    ),
  },
  { additionalProperties: false },
);

export const NetworkIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const MemberParams = Type.Object({ id: Uuid, leaderId: Uuid }, { additionalProperties: false });
export const VersionParams = Type.Object(
  { id: Uuid, version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

export const AddMemberBody = Type.Object(
  { leaderId: Uuid, joinedAt: Type.Optional(DateTime) },
  { additionalProperties: false, examples: [{ leaderId: ID.soren }] },
);
export const LeaveBody = Type.Object(
  { leftAt: Type.Optional(DateTime) },
  { additionalProperties: false, examples: [{ leftAt: '2027-03-01T12:00:00.000Z' }] },
);
export const ConsentBody = Type.Object(
  { shareSignalsWithFacilitator: Type.Boolean() },
  { additionalProperties: false, examples: [{ shareSignalsWithFacilitator: true }] },
);
export const ConsentSchema = Type.Object(
  { leaderId: Uuid, shareSignalsWithFacilitator: Type.Boolean() },
  { examples: [{ leaderId: ID.mette, shareSignalsWithFacilitator: true }] },
);

export const RulesSchema = Type.Object(
  {
    ok: Type.Boolean({ description: 'True when the network satisfies every rule' }),
    violations: Type.Array(
      Type.Object(
        { code: Type.String(), message: Localized },
        { additionalProperties: true, description: "The domain's NetworkViolation (checkNetwork)" },
      ),
    ),
  },
  {
    examples: [
      {
        ok: false,
        violations: [
          {
            code: 'too_few_members',
            memberCount: 4,
            min: 6,
            message: {
              da: 'Netværket har 4 medlemmer; det skal have mindst 6.',
              en: 'The network has 4 members; it needs at least 6.',
            },
          },
          {
            code: 'charter_not_in_force',
            version: 1,
            awaitingAcceptance: [ID.anne, ID.lars],
            message: {
              da: 'Kontrakten (version 1) er ikke i kraft: 2 aktive medlemmer har ikke accepteret den.',
              en: 'The charter (version 1) is not in force: 2 active members have not accepted it.',
            },
          },
        ],
      },
    ],
  },
);
