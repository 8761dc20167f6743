/**
 * The catalogue of domain events (docs/events.md): each type with the TypeBox schema of its
 * payload, so the REST and GraphQL descriptions, the tests and the webhooks all use one source.
 *
 * Payloads carry ids and public facts only: what the tenant admin may already read through the
 * API (READ_POLICY in @sparring/domain, tenant_admin row). Never a member's answers or comment,
 * never a count (so never one below k), never a member's private signal, never an exclusion or
 * consent. The afbud's `leaderId` is allowed: the admin reads every member's attendance
 * (`GET /v1/meetings/{id}/attendance`), so the event tells nothing the admin cannot read.
 */
import { LIFECYCLE_STATUSES, SIGNAL_CODES, SIGNAL_SEVERITIES } from '@sparring/domain';
import { type Static, type TSchema, Type } from 'typebox';
import { oneOf } from '../http/schemas.js';

const Id = (description: string) => Type.String({ format: 'uuid', description });
const DateTime = (description: string) => Type.String({ format: 'date-time', description });
const Status = oneOf(LIFECYCLE_STATUSES);
const closed = { additionalProperties: false } as const;

const networkId = Id('The network');
const meetingId = Id('The meeting');
const leaderId = Id('The leader');

/** Every event type with its payload schema, in the order of docs/events.md. */
export const EVENT_DATA_SCHEMAS = {
  'network.created': Type.Object({ networkId, name: Type.String(), status: Status }, closed),
  'network.status_changed': Type.Object({ networkId, from: Status, to: Status }, closed),
  'network.member_joined': Type.Object({ networkId, leaderId }, closed),
  'network.member_left': Type.Object({ networkId, leaderId }, closed),
  'charter.version_proposed': Type.Object(
    {
      networkId,
      version: Type.Integer({
        minimum: 1,
        description: 'The proposed version: 1, 2, 3, … within the network',
      }),
    },
    closed,
  ),
  'charter.accepted_by_all': Type.Object(
    {
      networkId,
      version: Type.Integer({ minimum: 1, description: 'The version now in force' }),
    },
    closed,
  ),
  'meeting.scheduled': Type.Object(
    {
      networkId,
      meetingId,
      sequence: Type.Integer({ minimum: 1 }),
      startsAt: DateTime('Start'),
      endsAt: DateTime('End'),
    },
    closed,
  ),
  'meeting.moved': Type.Object(
    {
      networkId,
      meetingId,
      previousStartsAt: DateTime('The start before the move'),
      startsAt: DateTime('The new start'),
      endsAt: DateTime('The new end'),
    },
    closed,
  ),
  'meeting.cancelled': Type.Object({ networkId, meetingId }, closed),
  'meeting.afbud': Type.Object(
    {
      networkId,
      meetingId,
      leaderId: Id('The member who cancelled (the admin reads attendance too)'),
      late: Type.Boolean({ description: "After the charter's notice period (or after the start)" }),
    },
    closed,
  ),
  'meeting.held': Type.Object({ networkId, meetingId }, closed),
  'evaluation.window_opened': Type.Object(
    {
      networkId,
      meetingId,
      closesAt: DateTime('When the window closes at the latest (it closes early when everyone answered)'),
      minimum: Type.Integer({ minimum: 1, description: 'k frozen for this meeting' }),
    },
    closed,
  ),
  'evaluation.results_released': Type.Object(
    {
      networkId,
      meetingIds: Type.Array(Id('A meeting of the release'), {
        minItems: 1,
        description: 'The meetings released together (one release, over at least k members)',
      }),
    },
    closed,
  ),
  'signal.raised': Type.Object(
    { networkId, code: oneOf(SIGNAL_CODES), severity: oneOf(SIGNAL_SEVERITIES) },
    { ...closed, description: 'A network signal (never a member signal)' },
  ),
  'signal.cleared': Type.Object({ networkId, code: oneOf(SIGNAL_CODES) }, closed),
  'review.due': Type.Object(
    { networkId, kind: oneOf(['trial_end', 'periodic'] as const) },
    { ...closed, description: 'The network must decide: continue, adjust or dissolve' },
  ),
  'review.decided': Type.Object(
    {
      networkId,
      reviewId: Id('The review'),
      decision: oneOf(['continue', 'adjust', 'extend', 'dissolve'] as const),
    },
    closed,
  ),
  'formation_run.succeeded': Type.Object({ formationRunId: Id('The formation run') }, closed),
  'formation_run.failed': Type.Object({ formationRunId: Id('The formation run') }, closed),
  'leader.created': Type.Object({ leaderId }, closed),
  'leader.updated': Type.Object({ leaderId, version: Type.Integer({ minimum: 1 }) }, closed),
  'leader.deactivated': Type.Object(
    {
      leaderId,
      deactivatedAt: DateTime(
        'When the leader stops being active (their memberships end then; may be ahead)',
      ),
    },
    { ...closed, description: 'A leader was deactivated (docs/provisioning.md); never who or why' },
  ),
  'leader.erased': Type.Object(
    { leaderId },
    {
      ...closed,
      description:
        "A leader's identity and free text were erased (GDPR art. 17): a consumer holding a copy erases it too",
    },
  ),
  'webhook_endpoint.disabled': Type.Object(
    {
      webhookEndpointId: Id('The webhook endpoint'),
      reason: Type.String({ maxLength: 200, description: 'Why deliveries stopped' }),
    },
    closed,
  ),
} as const satisfies Record<string, TSchema>;

export type EventType = keyof typeof EVENT_DATA_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_DATA_SCHEMAS) as EventType[];

/** One event as recorded: its type and payload (a discriminated union on `type`). */
export type DomainEvent = {
  [T in EventType]: { readonly type: T; readonly data: Static<(typeof EVENT_DATA_SCHEMAS)[T]> };
}[EventType];

/** The payload of one type. */
export type EventData<T extends EventType> = Static<(typeof EVENT_DATA_SCHEMAS)[T]>;

export const isEventType = (value: string): value is EventType => Object.hasOwn(EVENT_DATA_SCHEMAS, value);

/** The union as one schema (`oneOf` on `type`), for OpenAPI and tests. */
export const DomainEventSchema = Type.Union(
  EVENT_TYPES.map((type) =>
    Type.Object({ type: Type.Literal(type), data: EVENT_DATA_SCHEMAS[type] }, { title: type }),
  ),
);
