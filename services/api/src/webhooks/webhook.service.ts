/**
 * The webhook use cases, shared by REST and GraphQL: an admin manages the tenant's endpoints
 * (create, read, update, disable/enable, delete, rotate the secret) and reads and redelivers their
 * deliveries. Every refusal is a coded problem.
 */
import { lookup } from 'node:dns/promises';
import { isStorableText } from '@sparring/domain';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.js';
import { requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem } from '../errors/problem.js';
import { EVENT_TYPES, isEventType } from '../events/event-types.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { checkAddress, newWebhookSecret, parseWebhookUrl, SECRET_OVERLAP_MS } from './webhook.policy.js';
import {
  attemptsOf,
  deleteEndpoint,
  type EndpointChange,
  findDelivery,
  findEndpoint,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  requeueDelivery,
  type StoredWebhookAttempt,
  type StoredWebhookDelivery,
  type StoredWebhookEndpoint,
  updateEndpoint,
} from './webhook.repository.js';
import type { WebhookDeliveryStatus } from './webhook.table.js';

/** What the use cases need from the configuration. */
export interface WebhookPolicyOptions {
  /** SPARRING_WEBHOOK_ALLOW_PRIVATE. */
  readonly allowPrivate: boolean;
}

export const WEBHOOK_LIMITS = { descriptionMax: 500, eventTypesMax: EVENT_TYPES.length } as const;

// -------------------------------------------------------------------------------------------------
// Wire shapes (one per resource, REST and GraphQL alike)
// -------------------------------------------------------------------------------------------------

/** An endpoint as the admin reads it. Never the secret. */
export function toEndpointResource(e: StoredWebhookEndpoint) {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    eventTypes: e.eventTypes === null ? null : [...e.eventTypes],
    enabled: e.enabled,
    disabledAt: e.disabledAt?.toISOString() ?? null,
    disabledReason: e.disabledReason,
    previousSecretExpiresAt: e.previousSecretExpiresAt?.toISOString() ?? null,
    failingSince: e.failingSince?.toISOString() ?? null,
    version: e.version,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
export type WebhookEndpointResource = ReturnType<typeof toEndpointResource>;

export function toAttemptResource(a: StoredWebhookAttempt) {
  return {
    attempt: a.attempt,
    trigger: a.trigger,
    startedAt: a.startedAt.toISOString(),
    durationMs: a.durationMs,
    outcome: a.outcome,
    responseStatus: a.responseStatus,
    responseBody: a.responseBody,
    error: a.error,
  };
}

export function toDeliveryResource(d: StoredWebhookDelivery) {
  return {
    id: d.id,
    endpointId: d.endpointId,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attemptCount: d.attemptCount,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    /** The body sent, as JSON: `{ type, timestamp, data }`. */
    payload: JSON.parse(d.payload) as { type: string; timestamp: string; data: unknown },
  };
}

// -------------------------------------------------------------------------------------------------
// Input checks
// -------------------------------------------------------------------------------------------------

function invalid(path: string, en: string, da: string) {
  return problem('validation_failed', `${path}: ${en}`, {
    issues: [{ path, code: 'invalid_format', message: { da, en } }],
  });
}

/**
 * The URL's shape, then its addresses: an IP literal is checked as it is, a host name after DNS
 * (every address it resolves to). The delivery checks again at connect time (DNS can change).
 */
export async function checkWebhookUrl(raw: unknown, options: WebhookPolicyOptions): Promise<string> {
  if (typeof raw !== 'string') throw invalid('url', 'must be a string', 'skal være en tekst');
  const parsed = parseWebhookUrl(raw);
  if (!parsed.ok) throw problem('webhook_url_invalid', `The URL is not valid: ${parsed.reason}`);
  if (options.allowPrivate) return parsed.url.toString();
  const host = parsed.url.hostname;
  const addresses = parsed.literalAddress
    ? [parsed.literalAddress]
    : await lookup(host, { all: true, verbatim: true }).then(
        (found) => found.map((a) => a.address),
        (error: { code?: string }) => {
          if (error?.code === 'ENOTFOUND' || error?.code === 'ENODATA') {
            throw problem('webhook_url_unresolvable', `The host ${host} does not resolve`);
          }
          // A DNS failure of ours (timeout, no server) is not the admin's: delivery checks again.
          return [] as string[];
        },
      );
  for (const address of addresses) {
    const verdict = checkAddress(address);
    if (!verdict.ok) {
      throw problem(
        'webhook_url_not_allowed',
        `${host} is (or resolves to) ${address}, a ${verdict.range} address; webhooks go to public addresses only`,
        { address, range: verdict.range },
      );
    }
  }
  return parsed.url.toString();
}

/** null/absent: every type. Otherwise a non-empty list of catalogue types (unknown ones refused). */
export function checkEventTypes(raw: unknown): string[] | null {
  if (raw === null || raw === undefined) return null;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > WEBHOOK_LIMITS.eventTypesMax) {
    throw invalid(
      'eventTypes',
      `must be null (every type) or a list of 1 to ${WEBHOOK_LIMITS.eventTypesMax} event types`,
      `skal være null (alle typer) eller en liste med 1 til ${WEBHOOK_LIMITS.eventTypesMax} hændelsestyper`,
    );
  }
  const unknown = raw.filter((t) => typeof t !== 'string' || !isEventType(t));
  if (unknown.length > 0) {
    throw problem(
      'unknown_event_type',
      `Unknown event type(s): ${unknown.map((t) => JSON.stringify(t).slice(0, 80)).join(', ')}. Known: ${EVENT_TYPES.join(', ')}`,
      { unknown: unknown.map((t) => String(t).slice(0, 80)) },
    );
  }
  return [...new Set(raw as string[])];
}

function checkDescription(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') throw invalid('description', 'must be a string', 'skal være en tekst');
  if (raw.length > WEBHOOK_LIMITS.descriptionMax) {
    throw invalid(
      'description',
      `must be at most ${WEBHOOK_LIMITS.descriptionMax} characters`,
      `må højst være ${WEBHOOK_LIMITS.descriptionMax} tegn`,
    );
  }
  if (!isStorableText(raw))
    throw invalid(
      'description',
      'contains characters that cannot be stored',
      'indeholder tegn, der ikke kan gemmes',
    );
  return raw;
}

// -------------------------------------------------------------------------------------------------
// Endpoints
// -------------------------------------------------------------------------------------------------

export interface CreateEndpointInput {
  readonly url?: unknown;
  readonly eventTypes?: unknown;
  readonly description?: unknown;
}

/** Creates an endpoint; the secret is returned here and on rotation only. */
export async function createWebhookEndpoint(
  db: Kysely<Database>,
  principal: Principal,
  input: CreateEndpointInput,
  options: WebhookPolicyOptions,
): Promise<{ endpoint: StoredWebhookEndpoint; secret: string }> {
  const admin = requireAdmin(principal);
  const eventTypes = checkEventTypes(input.eventTypes);
  const description = checkDescription(input.description);
  const url = await checkWebhookUrl(input.url, options);
  const secret = newWebhookSecret();
  const endpoint = await insertEndpoint(db, admin.tenantId, {
    id: uuidv7(),
    url,
    description,
    eventTypes,
    secret,
  });
  return { endpoint, secret };
}

export async function getWebhookEndpoint(db: Kysely<Database>, principal: Principal, id: string) {
  const admin = requireAdmin(principal);
  assertUuid(id, 'webhook endpoint id');
  const endpoint = await findEndpoint(db, admin.tenantId, id);
  if (!endpoint) throw problem('not_found', 'No webhook endpoint with this id');
  return endpoint;
}

export async function listWebhookEndpointsPage(
  db: Kysely<Database>,
  principal: Principal,
  opts: { limit: number; cursor?: string | undefined },
) {
  const admin = requireAdmin(principal);
  const rows = await listEndpoints(db, admin.tenantId, {
    after: decodeCursor(opts.cursor),
    limit: opts.limit,
  });
  return toPage(rows, opts.limit);
}

/** Writes a change after `checkVersion` saw the current version; 412 when another write came between. */
async function change(
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  build: (current: StoredWebhookEndpoint) => Promise<EndpointChange> | EndpointChange,
  checkVersion: (version: number) => void,
) {
  const current = await getWebhookEndpoint(db, principal, id);
  checkVersion(current.version);
  const updated = await updateEndpoint(db, principal.tenantId, id, await build(current), current.version);
  if (!updated) {
    throw problem(
      'precondition_failed',
      'The webhook endpoint was changed by another request; read it again',
    );
  }
  return updated;
}

export interface UpdateEndpointInput {
  readonly url?: unknown;
  readonly eventTypes?: unknown;
  readonly description?: unknown;
}

/** Partial update: absent fields keep their value; `eventTypes: null` subscribes to every type. */
export function updateWebhookEndpoint(
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  input: UpdateEndpointInput,
  options: WebhookPolicyOptions,
  checkVersion: (version: number) => void = () => {},
) {
  return change(
    db,
    principal,
    id,
    async () => ({
      ...(input.url !== undefined ? { url: await checkWebhookUrl(input.url, options) } : {}),
      ...(input.eventTypes !== undefined ? { eventTypes: checkEventTypes(input.eventTypes) } : {}),
      ...(input.description !== undefined ? { description: checkDescription(input.description) } : {}),
    }),
    checkVersion,
  );
}

/** Stops deliveries to the endpoint (no new ones are queued; queued ones wait until it is enabled). */
export const disableWebhookEndpoint = (
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  checkVersion: (version: number) => void = () => {},
) =>
  change(
    db,
    principal,
    id,
    () => ({ enabled: { enabled: false, reason: 'disabled by an admin' } }),
    checkVersion,
  );

/** Resumes deliveries; the failure streak that disables an endpoint starts over. */
export const enableWebhookEndpoint = (
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  checkVersion: (version: number) => void = () => {},
) => change(db, principal, id, () => ({ enabled: { enabled: true } }), checkVersion);

/**
 * A new secret. The previous one keeps signing for 24 h (both signatures are sent, space-separated,
 * as the Standard Webhooks spec allows), so receivers can switch without losing a webhook. A second
 * rotation within the 24 h drops the oldest secret.
 */
export async function rotateWebhookSecret(
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  now: Date,
  checkVersion: (version: number) => void = () => {},
): Promise<{ endpoint: StoredWebhookEndpoint; secret: string }> {
  const secret = newWebhookSecret();
  const endpoint = await change(
    db,
    principal,
    id,
    () => ({ rotateTo: { secret, previousExpiresAt: new Date(now.getTime() + SECRET_OVERLAP_MS) } }),
    checkVersion,
  );
  return { endpoint, secret };
}

export async function removeWebhookEndpoint(db: Kysely<Database>, principal: Principal, id: string) {
  const admin = requireAdmin(principal);
  assertUuid(id, 'webhook endpoint id');
  if (!(await deleteEndpoint(db, admin.tenantId, id)))
    throw problem('not_found', 'No webhook endpoint with this id');
}

// -------------------------------------------------------------------------------------------------
// Deliveries
// -------------------------------------------------------------------------------------------------

export const DELIVERY_STATUSES = [
  'pending',
  'succeeded',
  'failed',
] as const satisfies readonly WebhookDeliveryStatus[];

/** An endpoint's deliveries, newest first (the cursor pages towards older ones). */
export async function listWebhookDeliveriesPage(
  db: Kysely<Database>,
  principal: Principal,
  endpointId: string,
  opts: { limit: number; cursor?: string | undefined; status?: string | undefined },
) {
  const endpoint = await getWebhookEndpoint(db, principal, endpointId);
  if (opts.status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(opts.status)) {
    throw invalid(
      'status',
      `must be one of ${DELIVERY_STATUSES.join(', ')}`,
      `skal være en af ${DELIVERY_STATUSES.join(', ')}`,
    );
  }
  const rows = await listDeliveries(db, principal.tenantId, endpoint.id, {
    before: decodeCursor(opts.cursor),
    limit: opts.limit,
    status: opts.status as WebhookDeliveryStatus | undefined,
  });
  return toPage(rows, opts.limit);
}

/** A delivery with its attempt log. */
export async function getWebhookDelivery(db: Kysely<Database>, principal: Principal, id: string) {
  const admin = requireAdmin(principal);
  assertUuid(id, 'webhook delivery id');
  const delivery = await findDelivery(db, admin.tenantId, id);
  if (!delivery) throw problem('not_found', 'No webhook delivery with this id');
  const attempts = (await attemptsOf(db, admin.tenantId, [id])).get(id) ?? [];
  return { delivery, attempts };
}

/**
 * Manual redelivery: one more attempt, as soon as the worker runs (about a second), signed anew,
 * with the same `webhook-id` and body. Refused while the endpoint is disabled (409) or while an
 * attempt is on its way (409).
 */
export async function redeliverWebhook(db: Kysely<Database>, principal: Principal, id: string, now: Date) {
  const admin = requireAdmin(principal);
  assertUuid(id, 'webhook delivery id');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('webhook_deliveries')
      .select(['endpoint_id', 'lease_until'])
      .where('tenant_id', '=', admin.tenantId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw problem('not_found', 'No webhook delivery with this id');
    if (row.lease_until !== null && row.lease_until.getTime() > now.getTime()) {
      throw problem(
        'conflict',
        'An attempt of this delivery is on its way; read the delivery again in a moment',
      );
    }
    const endpoint = await findEndpoint(trx, admin.tenantId, row.endpoint_id);
    if (!endpoint?.enabled)
      throw problem('webhook_endpoint_disabled', 'Enable the endpoint before redelivering');
    const delivery = await requeueDelivery(trx, admin.tenantId, id, now);
    if (!delivery) throw problem('not_found', 'No webhook delivery with this id');
    return delivery;
  });
}
