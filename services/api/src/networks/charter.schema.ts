/**
 * The charter wire formats (REST and the OpenAPI document): the body a charter is proposed with,
 * its versions, status and acceptances. Vocabularies come from the domain package; the domain's
 * parseCharter then checks the rules. network.schema.ts re-exports everything here.
 */
import { FOCUS_AREAS, GROUND_RULE_KINDS } from '@sparring/domain';
import { Type } from 'typebox';
import { EXAMPLE_TIMES as AT, EXAMPLE_IDS as ID } from '../http/examples.js';
import { LocalizedTextSchema, oneOf } from '../http/schemas.js';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Localized = LocalizedTextSchema;

const Goal = Type.Object(
  { category: oneOf(FOCUS_AREAS), description: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);
const GroundRuleIn = Type.Object(
  {
    kind: oneOf(GROUND_RULE_KINDS),
    hours: Type.Optional(Type.Integer()),
    text: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const CharterBody = Type.Object(
  {
    purpose: Type.String({ minLength: 1, maxLength: 2000 }),
    goals: Type.Array(Goal, { minItems: 1, maxItems: 10 }),
    groundRules: Type.Optional(Type.Array(GroundRuleIn, { maxItems: 22 })),
  },
  {
    additionalProperties: false,
    description:
      'Confidentiality is always a ground rule (added when missing); at least one goal must not be social.',
    examples: [
      {
        purpose: 'Sparring om ledelse i en politisk styret organisation',
        goals: [
          { category: 'dilemma_sparring', description: 'Vende konkrete dilemmaer' },
          { category: 'social', description: 'Et netværk vi glæder os til' },
        ],
        groundRules: [
          { kind: 'cancellation_notice', hours: 48 },
          { kind: 'custom', text: 'Telefoner væk' },
        ],
      },
    ],
  },
);

const GroundRuleOut = Type.Object({
  kind: oneOf(GROUND_RULE_KINDS),
  hours: Type.Optional(Type.Integer()),
  text: Type.Optional(Type.Union([Type.String(), Localized])),
});

/** The body's example as stored: the domain adds the confidentiality rule first. */
const CharterVersionExample = {
  version: 1,
  purpose: 'Sparring om ledelse i en politisk styret organisation',
  goals: [
    { category: 'dilemma_sparring', description: 'Vende konkrete dilemmaer' },
    { category: 'social', description: 'Et netværk vi glæder os til' },
  ],
  groundRules: [
    {
      kind: 'confidentiality',
      text: {
        da: 'Det, der bliver sagt i netværket, bliver i netværket.',
        en: 'What is said in the network stays in the network.',
      },
    },
    { kind: 'cancellation_notice', hours: 48 },
    { kind: 'custom', text: 'Telefoner væk' },
  ],
  adoptedAt: AT.charterAdopted,
};

export const CharterVersionSchema = Type.Object(
  {
    version: Type.Integer(),
    purpose: Type.String(),
    goals: Type.Array(Type.Object({ category: Type.String(), description: Type.String() })),
    groundRules: Type.Array(GroundRuleOut),
    adoptedAt: DateTime,
  },
  { examples: [CharterVersionExample] },
);

export const CharterStatusSchema = Type.Object(
  {
    version: Type.Union([Type.Integer(), Type.Null()], {
      description: 'The latest version; null before the first',
    }),
    inForce: Type.Boolean({ description: 'Every active member has accepted the latest version' }),
    charter: Type.Union([CharterVersionSchema, Type.Null()]),
    acceptedBy: Type.Array(Type.Object({ leaderId: Uuid, acceptedAt: DateTime }), {
      description: 'Active members whose acceptance of the latest version counts (never why anyone has not)',
    }),
  },
  {
    examples: [
      {
        version: 1,
        inForce: false,
        charter: CharterVersionExample,
        acceptedBy: [
          { leaderId: ID.mette, acceptedAt: AT.charterAccepted },
          { leaderId: ID.soren, acceptedAt: '2026-11-28T12:10:00.000Z' },
        ],
      },
    ],
  },
);

const CharterVersionListExample = {
  ...CharterVersionExample,
  latest: true,
  inForce: false,
  acceptedBy: [{ leaderId: ID.mette, acceptedAt: AT.charterAccepted }],
};

export const CharterVersionPage = Type.Object(
  {
    data: Type.Array(
      Type.Object({
        ...CharterVersionSchema.properties,
        latest: Type.Boolean({ description: 'This is the latest version (the one that can be in force)' }),
        inForce: Type.Boolean({
          description: 'The latest version, accepted by every active member; always false for an older one',
        }),
        acceptedBy: Type.Array(Type.Object({ leaderId: Uuid, acceptedAt: DateTime }), {
          description:
            'Every acceptance recorded for this version, in time order (members who have left included)',
        }),
      }),
    ),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for the next (higher) versions',
    }),
  },
  { examples: [{ data: [CharterVersionListExample], nextCursor: null }] },
);

export const AcceptanceSchema = Type.Object(
  { leaderId: Uuid, version: Type.Integer(), acceptedAt: DateTime },
  { examples: [{ leaderId: ID.mette, version: 1, acceptedAt: AT.charterAccepted }] },
);
