/** The webhooks' wire format (REST and the OpenAPI document). */
import { Type } from 'typebox';
import { EVENT_TYPES } from '../events/event-types.js';
import { oneOf } from '../http/schemas.js';
import { MAX_URL_LENGTH } from './webhook.policy.js';
import { DELIVERY_STATUSES, WEBHOOK_LIMITS } from './webhook.service.js';

const ENDPOINT_ID = '01938a1e-8f00-7c2a-9a1b-2c3d4e5f6071';
const DELIVERY_ID = '01938a1f-0a00-7d3b-8b2c-3d4e5f607182';
const EVENT_ID = '01938a1e-9b00-7e4c-9c3d-4e5f60718293';

const EventTypes = Type.Union(
  [
    Type.Array(Type.String({ minLength: 1, maxLength: 100, examples: ['network.created'] }), {
      minItems: 1,
      maxItems: WEBHOOK_LIMITS.eventTypesMax,
      uniqueItems: true,
      description: `Only these event types (unknown ones are a 400 \`unknown_event_type\`): ${EVENT_TYPES.join(', ')}`,
    }),
    Type.Null({ description: 'Every event type, including types added later' }),
  ],
  { description: 'The event types the endpoint receives; null (or absent on creation) for all' },
);

const endpointInput = {
  url: Type.String({
    minLength: 1,
    maxLength: MAX_URL_LENGTH,
    description:
      'Where webhooks are POSTed: https (or http). Hosts that are or resolve to loopback, private, link-local, ' +
      'unique-local or multicast addresses are refused unless the operator allows them.',
    examples: ['https://hr.example.com/hooks/sparring'],
  }),
  eventTypes: Type.Optional(EventTypes),
  description: Type.Optional(Type.String({ maxLength: WEBHOOK_LIMITS.descriptionMax })),
};

export const CreateWebhookEndpointBody = Type.Object(endpointInput, {
  additionalProperties: false,
  examples: [
    {
      url: 'https://hr.example.com/hooks/sparring',
      eventTypes: ['network.created', 'meeting.scheduled'],
      description: 'HR platform',
    },
  ],
});

export const PatchWebhookEndpointBody = Type.Partial(Type.Object(endpointInput), {
  additionalProperties: false,
  minProperties: 1,
  examples: [{ eventTypes: null }],
});

const endpointProperties = {
  id: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Type.String(),
  eventTypes: Type.Union([Type.Array(Type.String()), Type.Null()], { description: 'null: every type' }),
  enabled: Type.Boolean(),
  disabledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  disabledReason: Type.Union([Type.String(), Type.Null()], {
    description: 'Why deliveries stopped (an admin, 410 Gone, or 5 days of failures)',
  }),
  previousSecretExpiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'After a rotation: until when the previous secret still signs (both signatures are sent)',
  }),
  failingSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'The first failed attempt since the last success; disabled 5 days after it',
  }),
  version: Type.Integer({ description: 'Row version; the ETag is its quoted form' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

const EndpointExample = {
  id: ENDPOINT_ID,
  url: 'https://hr.example.com/hooks/sparring',
  description: 'HR platform',
  eventTypes: ['network.created', 'meeting.scheduled'],
  enabled: true,
  disabledAt: null,
  disabledReason: null,
  previousSecretExpiresAt: null,
  failingSince: null,
  version: 1,
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:00.000Z',
};

export const WebhookEndpointSchema = Type.Object(endpointProperties, {
  description:
    'A webhook endpoint. The secret is never part of it (it is shown once, on creation and rotation).',
  examples: [EndpointExample],
});

export const WebhookEndpointWithSecretSchema = Type.Object(
  {
    ...endpointProperties,
    secret: Type.String({
      description:
        'The signing secret (whsec_…), shown this once: keep it to verify signatures (Standard Webhooks)',
    }),
  },
  { examples: [{ ...EndpointExample, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }] },
);

export const WebhookEndpointPage = Type.Object(
  {
    data: Type.Array(WebhookEndpointSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for the next page',
    }),
  },
  { examples: [{ data: [EndpointExample], nextCursor: null }] },
);

export const WebhookAttemptSchema = Type.Object({
  attempt: Type.Integer({ minimum: 1 }),
  trigger: oneOf(['scheduled', 'manual'] as const),
  startedAt: Type.String({ format: 'date-time' }),
  durationMs: Type.Union([Type.Integer(), Type.Null()], { description: 'Latency in ms (null: no outcome)' }),
  outcome: oneOf(['succeeded', 'failed'] as const),
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  responseBody: Type.Union([Type.String(), Type.Null()], { description: 'The first 1 KiB of the response' }),
  error: Type.Union([Type.String(), Type.Null()]),
});

const deliveryProperties = {
  id: Type.String({ format: 'uuid' }),
  endpointId: Type.String({ format: 'uuid' }),
  eventId: Type.String({ format: 'uuid', description: 'Also the webhook-id header' }),
  eventType: Type.String(),
  status: oneOf(DELIVERY_STATUSES),
  attemptCount: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  payload: Type.Object(
    { type: Type.String(), timestamp: Type.String({ format: 'date-time' }), data: Type.Unknown() },
    { description: 'The body sent, exactly' },
  ),
};

const DeliveryExample = {
  id: DELIVERY_ID,
  endpointId: ENDPOINT_ID,
  eventId: EVENT_ID,
  eventType: 'network.created',
  status: 'succeeded',
  attemptCount: 2,
  nextAttemptAt: null,
  lastAttemptAt: '2026-12-02T10:00:06.000Z',
  deliveredAt: '2026-12-02T10:00:06.000Z',
  createdAt: '2026-12-02T10:00:01.000Z',
  payload: {
    type: 'network.created',
    timestamp: '2026-12-02T10:00:00.500Z',
    data: {
      networkId: '0190a5f5-0a2b-7c3d-8e4f-5a6b7c8d9e0f',
      name: 'Ledernetværk Aarhus 1',
      status: 'forming',
    },
  },
};

export const WebhookDeliverySchema = Type.Object(deliveryProperties, { examples: [DeliveryExample] });

export const WebhookDeliveryWithAttemptsSchema = Type.Object(
  { ...deliveryProperties, attempts: Type.Array(WebhookAttemptSchema) },
  {
    examples: [
      {
        ...DeliveryExample,
        attempts: [
          {
            attempt: 1,
            trigger: 'scheduled',
            startedAt: '2026-12-02T10:00:01.000Z',
            durationMs: 3,
            outcome: 'failed',
            responseStatus: null,
            responseBody: null,
            error: 'ECONNREFUSED: connect ECONNREFUSED 203.0.113.7:443',
          },
          {
            attempt: 2,
            trigger: 'scheduled',
            startedAt: '2026-12-02T10:00:06.000Z',
            durationMs: 41,
            outcome: 'succeeded',
            responseStatus: 204,
            responseBody: '',
            error: null,
          },
        ],
      },
    ],
  },
);

export const WebhookDeliveryPage = Type.Object(
  {
    data: Type.Array(WebhookDeliverySchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as ?cursor= for older deliveries',
    }),
  },
  { examples: [{ data: [DeliveryExample], nextCursor: null }] },
);

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
