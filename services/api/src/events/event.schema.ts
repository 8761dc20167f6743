/** The event's wire format (REST and the OpenAPI document): one shape per type, from the catalogue. */
import { Type } from 'typebox';
import { EXAMPLE_IDS, EXAMPLE_TIMES } from '../http/examples.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../http/pagination.js';
import { EVENT_DATA_SCHEMAS, EVENT_TYPES } from './event-types.js';

const envelope = {
  id: Type.String({ format: 'uuid', description: 'Stable (UUIDv7): a consumer deduplicates by it' }),
  position: Type.String({
    pattern: '^[0-9]+$',
    description: 'The global sequence number (int8 as a decimal string): unique, increasing when written',
  }),
  cursor: Type.String({ description: 'Pass as ?cursor= to continue after this event' }),
  occurredAt: Type.String({ format: 'date-time' }),
};

export const EventSchema = Type.Union(
  EVENT_TYPES.map((type) =>
    Type.Object(
      { ...envelope, type: Type.Literal(type), data: EVENT_DATA_SCHEMAS[type] },
      { additionalProperties: false, title: type },
    ),
  ),
  { description: 'A domain event; `data` depends on `type` (docs/events.md)' },
);

const cursorOf = (position: string) => Buffer.from(position, 'utf8').toString('base64url');

export const EventPage = Type.Object(
  {
    data: Type.Array(EventSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description:
        'Pass as ?cursor= for the next page; null when no more events are visible now (keep the last event’s cursor)',
    }),
  },
  {
    examples: [
      {
        data: [
          {
            id: '0190a5f9-7a10-7b21-8c32-4d5e6f708192',
            type: 'meeting.afbud',
            position: '1841',
            cursor: cursorOf('1841'),
            occurredAt: EXAMPLE_TIMES.afbud,
            data: {
              networkId: EXAMPLE_IDS.network,
              meetingId: EXAMPLE_IDS.meeting1,
              leaderId: EXAMPLE_IDS.soren,
              late: false,
            },
          },
          {
            id: '0190a5f9-7a11-7c22-9d43-5e6f70819203',
            type: 'meeting.held',
            position: '1842',
            cursor: cursorOf('1842'),
            occurredAt: EXAMPLE_TIMES.meeting1Held,
            data: { networkId: EXAMPLE_IDS.network, meetingId: EXAMPLE_IDS.meeting1 },
          },
        ],
        nextCursor: cursorOf('1842'),
      },
    ],
  },
);

export const EventListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor, or an event’s cursor' })),
    type: Type.Optional(
      Type.Array(Type.String({ maxLength: 2000 }), {
        maxItems: 50,
        description: `Only these types: repeat the parameter or separate with commas (${EVENT_TYPES.join(', ')})`,
      }),
    ),
  },
  { additionalProperties: false },
);
