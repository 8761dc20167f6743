/** The bulk upsert's wire format (REST and the OpenAPI document); the domain checks the rules. */
import { LEADER_LIMITS, LEADER_UPSERT_MAX } from '@sparring/domain';
import { Type } from 'typebox';
import { EXAMPLE_IDS } from '../http/examples.js';
import { LeaderExample, PatchLeaderBody } from './leader.schema.js';

const ExternalId = Type.String({
  minLength: 1,
  maxLength: LEADER_LIMITS.externalIdMax,
  description: "The HR system's id for the person: the key the item is matched by",
  examples: ['EMP-01042'],
});

const LeaderUpsertItem = Type.Object(
  {
    ...PatchLeaderBody.properties,
    externalId: ExternalId,
    managerExternalId: Type.Optional(
      Type.Union([Type.String({ maxLength: LEADER_LIMITS.externalIdMax }), Type.Null()], {
        description:
          "The manager by the HR system's id: a leader of the same batch or one already stored. Instead of managerId, not with it; null or empty clears the manager.",
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'A leader keyed by externalId. A new externalId needs a complete profile (as on create); for a known one the item is a partial update (absent fields keep their value, null clears an optional one).',
  },
);

export const LeaderUpsertBody = Type.Object(
  {
    leaders: Type.Array(LeaderUpsertItem, {
      minItems: 1,
      maxItems: LEADER_UPSERT_MAX,
      description: `1 to ${LEADER_UPSERT_MAX} leaders, each externalId once`,
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        leaders: [
          { ...LeaderExample, externalId: 'EMP-01042' },
          { externalId: 'EMP-00007', yearsOfExperience: 16, managerExternalId: 'EMP-01042' },
        ],
      },
    ],
  },
);

const LeaderUpsertResultSchema = Type.Object({
  index: Type.Integer({ minimum: 0, description: "The item's position in the request" }),
  externalId: Type.String(),
  id: Type.String({ format: 'uuid' }),
  status: Type.Enum(['created', 'updated', 'unchanged'], {
    description: '`unchanged`: the stored leader already said the same; nothing was written, no event',
  }),
  version: Type.Integer({ description: "The leader's version after the request (its ETag's value)" }),
});

export const LeaderUpsertResponse = Type.Object(
  {
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    results: Type.Array(LeaderUpsertResultSchema, { description: 'One per item, in the order sent' }),
  },
  {
    examples: [
      {
        created: 1,
        updated: 1,
        unchanged: 0,
        results: [
          { index: 0, externalId: 'EMP-01042', id: EXAMPLE_IDS.mette, status: 'created', version: 1 },
          { index: 1, externalId: 'EMP-00007', id: EXAMPLE_IDS.soren, status: 'updated', version: 4 },
        ],
      },
    ],
  },
);
