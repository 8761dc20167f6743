/**
 * The webhook use cases, shared by REST and GraphQL: an admin manages the tenant's endpoints
 * (create, read, update, disable/enable, delete, rotate the secret) and reads and redelivers their
 * deliveries. Every refusal is a coded problem. The input checks are in webhook.input.ts, the
 * wire shapes in webhook.resource.ts.
 */
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.js';
import { requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { WebhookDeliveryStatus } from '../db/tables/webhook.table.js';
import { problem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import {
  checkDescription,
  checkEventTypes,
  checkWebhookUrl,
  invalid,
  type WebhookPolicyOptions,
} from './webhook.input.js';
import { newWebhookSecret, SECRET_OVERLAP_MS } from './webhook.policy.js';
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
  type StoredWebhookEndpoint,
  updateEndpoint,
} from './webhook.repository.js';

export {
  checkEventTypes,
  checkWebhookUrl,
  WEBHOOK_LIMITS,
  type WebhookPolicyOptions,
} from './webhook.input.js';
export {
  toAttemptResource,
  toDeliveryResource,
  toEndpointResource,
  type WebhookEndpointResource,
} from './webhook.resource.js';

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
