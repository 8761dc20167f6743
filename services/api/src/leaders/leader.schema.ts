/**
 * The leader's wire format (REST and the OpenAPI document). The vocabularies come from the domain
 * package, so an enum lives once; the domain's `parseLeaderProfile` then checks the rules.
 */
import {
  CADENCES_IN_MONTHS,
  LEADER_LIMITS,
  LEADERSHIP_LEVELS,
  MEETING_FORMATS,
  MOTIVATIONS,
  SAMENESS_PREFERENCES,
  TIME_SLOTS,
} from '@sparring/domain';
import { Type } from 'typebox';
import { EXAMPLE_IDS, EXAMPLE_TIMES } from '../http/examples.js';
import { encodeCursor, PageQuery } from '../http/pagination.js';
import { oneOf } from '../http/schemas.js';

const setOf = <const T extends readonly string[]>(values: T, description: string) =>
  Type.Array(oneOf(values), { uniqueItems: true, minItems: 1, description });

const Sameness = Type.Object(
  {
    sector: Type.Optional(oneOf(SAMENESS_PREFERENCES)),
    experience: Type.Optional(oneOf(SAMENESS_PREFERENCES)),
    organisation: Type.Optional(oneOf(SAMENESS_PREFERENCES)),
  },
  { additionalProperties: false, description: 'Same, different or no preference, per dimension (the seed)' },
);

const profileProperties = {
  name: Type.String({ minLength: 1, maxLength: LEADER_LIMITS.nameMax }),
  email: Type.String({
    minLength: 3,
    maxLength: LEADER_LIMITS.emailMax,
    description: 'Unique within the tenant',
  }),
  sector: Type.String({ minLength: 1, maxLength: LEADER_LIMITS.textMax, examples: ['public'] }),
  organisation: Type.String({ minLength: 1, maxLength: LEADER_LIMITS.textMax }),
  level: oneOf(LEADERSHIP_LEVELS),
  yearsOfExperience: Type.Integer({ minimum: 0, maximum: LEADER_LIMITS.yearsOfExperienceMax }),
  region: Type.String({ minLength: 1, maxLength: LEADER_LIMITS.textMax }),
  languages: Type.Array(Type.String({ minLength: 1, maxLength: 35 }), {
    minItems: 1,
    maxItems: LEADER_LIMITS.languagesMax,
    uniqueItems: true,
    examples: [['da', 'en']],
  }),
  motivations: setOf(MOTIVATIONS, 'What the leader wants from a network (the seed, step 1)'),
  availability: setOf(TIME_SLOTS, 'When the leader can meet'),
  formats: setOf(MEETING_FORMATS, 'How the leader can meet'),
  preferredCadenceMonths: Type.Optional(Type.Union([oneOf(CADENCES_IN_MONTHS), Type.Null()])),
  managerId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  exclusions: Type.Optional(
    Type.Array(Type.String({ format: 'uuid' }), {
      uniqueItems: true,
      maxItems: LEADER_LIMITS.exclusionsMax,
      description:
        'Private: leaders this leader will not share a network with. Write-only: the admin sets it (HR provisions it); no response returns it, not even to the admin.',
    }),
  ),
  sameness: Type.Optional(Sameness),
  externalId: Type.Optional(
    Type.Union([
      Type.String({
        maxLength: LEADER_LIMITS.externalIdMax,
        description: "The HR system's own id for the person (unique in the tenant; null or empty clears it)",
        examples: ['EMP-01042'],
      }),
      Type.Null(),
    ]),
  ),
};

export const LeaderExample = {
  name: 'Mette Jensen',
  email: 'mette.jensen@example.dk',
  sector: 'public',
  organisation: 'Aarhus Kommune',
  level: 'middle',
  yearsOfExperience: 8,
  region: 'Midtjylland',
  languages: ['da'],
  motivations: ['people_leadership', 'dilemma_sparring'],
  availability: ['weekday_daytime'],
  formats: ['in_person', 'hybrid'],
  preferredCadenceMonths: 2,
  sameness: { sector: 'same', experience: 'no_preference', organisation: 'different' },
};

export const CreateLeaderBody = Type.Object(profileProperties, {
  additionalProperties: false,
  examples: [LeaderExample],
});

export const PatchLeaderBody = Type.Partial(Type.Object(profileProperties), {
  additionalProperties: false,
  minProperties: 1,
  examples: [{ yearsOfExperience: 9, availability: ['weekday_daytime', 'weekday_evening'] }],
});

/** A leader as an admin reads it (never with `exclusions`: they are write-only). */
const LeaderResourceExample = {
  id: EXAMPLE_IDS.mette,
  ...LeaderExample,
  managerId: null,
  externalId: 'EMP-01042',
  active: true,
  deactivatedAt: null,
  erasedAt: null,
  version: 1,
  createdAt: EXAMPLE_TIMES.leaderCreated,
  updatedAt: EXAMPLE_TIMES.leaderCreated,
};

export const LeaderSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    email: Type.String(),
    sector: Type.String(),
    organisation: Type.String(),
    level: oneOf(LEADERSHIP_LEVELS),
    yearsOfExperience: Type.Integer(),
    region: Type.String(),
    languages: Type.Array(Type.String()),
    motivations: Type.Array(oneOf(MOTIVATIONS)),
    availability: Type.Array(oneOf(TIME_SLOTS)),
    formats: Type.Array(oneOf(MEETING_FORMATS)),
    preferredCadenceMonths: Type.Union([oneOf(CADENCES_IN_MONTHS), Type.Null()]),
    managerId: Type.Union([Type.String(), Type.Null()]),
    sameness: Type.Object({
      sector: oneOf(SAMENESS_PREFERENCES),
      experience: oneOf(SAMENESS_PREFERENCES),
      organisation: oneOf(SAMENESS_PREFERENCES),
    }),
    externalId: Type.Union([Type.String(), Type.Null()], {
      description: "The HR system's own id for the person; find a leader by it with ?externalId=",
    }),
    active: Type.Boolean({
      description: 'False once the leader is deactivated (from `deactivatedAt`); see docs/provisioning.md',
    }),
    deactivatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'When the leader stops (or stopped) being active: memberships end then; may lie ahead',
    }),
    erasedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description:
        'When the leader was erased (GDPR art. 17): name, email and profile are placeholders from then on',
    }),
    version: Type.Integer({ description: 'Row version; the ETag is its quoted form' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  {
    description: 'A leader. The exclusion list is write-only (set on create and update, never returned).',
    examples: [LeaderResourceExample],
  },
);

export const LeaderPage = Type.Object(
  {
    data: Type.Array(LeaderSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for the next page',
    }),
  },
  {
    examples: [
      {
        data: [
          LeaderResourceExample,
          {
            id: EXAMPLE_IDS.soren,
            name: 'Søren Nielsen',
            email: 'soren.nielsen@example.dk',
            sector: 'public',
            organisation: 'Region Midtjylland',
            level: 'senior',
            yearsOfExperience: 15,
            region: 'Midtjylland',
            languages: ['da', 'en'],
            motivations: ['strategy', 'dilemma_sparring'],
            availability: ['weekday_evening'],
            formats: ['in_person'],
            preferredCadenceMonths: 1,
            managerId: null,
            externalId: null,
            active: true,
            deactivatedAt: null,
            erasedAt: null,
            sameness: { sector: 'no_preference', experience: 'same', organisation: 'different' },
            version: 1,
            createdAt: '2026-11-20T08:31:00.000Z',
            updatedAt: '2026-11-20T08:31:00.000Z',
          },
        ],
        nextCursor: encodeCursor(EXAMPLE_IDS.soren),
      },
    ],
  },
);

/** The list's query: a page, narrowed by the HR system's id, the email, or changes since a time. */
export const LeaderListQuery = Type.Object(
  {
    ...PageQuery.properties,
    externalId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LEADER_LIMITS.externalIdMax,
        description: "The HR system's id",
      }),
    ),
    email: Type.Optional(
      Type.String({ minLength: 3, maxLength: LEADER_LIMITS.emailMax, description: 'Case-insensitive' }),
    ),
    updatedSince: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Only leaders created or changed at or after this time (RFC 3339)',
      }),
    ),
    active: Type.Optional(
      Type.Boolean({
        description: 'true: only active leaders; false: only deactivated ones (erased ones included)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const LeaderIdParams = Type.Object(
  { id: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);

/** The body of a deactivation: from when (default now). */
export const DeactivateLeaderBody = Type.Union(
  [
    Type.Object(
      {
        from: Type.Optional(
          Type.String({
            format: 'date-time',
            description:
              'When the leader stops being active (RFC 3339; default now). Memberships end then; a time ahead ' +
              'keeps them and the credentials working until it comes',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { examples: [{ from: '2026-12-31T23:00:00Z' }, {}] },
);
