/**
 * Webhook endpoints, deliveries and attempts in the database. Plain functions taking the database
 * (or a transaction) first; every tenant query filters by tenant. Rows become values through the
 * `rowTo…` mappers; the secret never leaves this module except to sign (`signingSecrets`) or in the
 * one response that shows it (creation, rotation).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type {
  WebhookAttemptOutcome,
  WebhookAttemptTrigger,
  WebhookDeliveryAttemptRow,
  WebhookDeliveryRow,
  WebhookDeliveryStatus,
  WebhookEndpointRow,
} from '../db/tables/webhook.table.js';

/** An endpoint as the admin reads it: no secret. */
export interface StoredWebhookEndpoint {
  readonly id: string;
  readonly url: string;
  readonly description: string;
  /** null: every event type. */
  readonly eventTypes: readonly string[] | null;
  readonly enabled: boolean;
  readonly disabledAt: Date | null;
  readonly disabledReason: string | null;
  /** Until when the previous secret still signs (after a rotation), or null. */
  readonly previousSecretExpiresAt: Date | null;
  readonly failingSince: Date | null;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function rowToEndpoint(row: WebhookEndpointRow): StoredWebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    enabled: row.enabled,
    disabledAt: row.disabled_at,
    disabledReason: row.disabled_reason,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    failingSince: row.failing_since,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The secrets that sign at `now`: the current one, and the previous one during its overlap. */
export function signingSecrets(row: WebhookEndpointRow, now: Date): string[] {
  const previousValid =
    row.previous_secret !== null &&
    row.previous_secret_expires_at !== null &&
    row.previous_secret_expires_at.getTime() > now.getTime();
  return previousValid && row.previous_secret ? [row.secret, row.previous_secret] : [row.secret];
}

export async function insertEndpoint(
  db: Kysely<Database>,
  tenantId: string,
  values: { id: string; url: string; description: string; eventTypes: string[] | null; secret: string },
): Promise<StoredWebhookEndpoint> {
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      tenant_id: tenantId,
      id: values.id,
      url: values.url,
      description: values.description,
      event_types: values.eventTypes === null ? null : JSON.stringify(values.eventTypes),
      secret: values.secret,
      disabled_at: null,
      disabled_reason: null,
      previous_secret: null,
      previous_secret_expires_at: null,
      failing_since: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToEndpoint(row);
}

export async function findEndpointRow(db: Kysely<Database>, tenantId: string, id: string) {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findEndpoint(db: Kysely<Database>, tenantId: string, id: string) {
  const row = await findEndpointRow(db, tenantId, id);
  return row ? rowToEndpoint(row) : undefined;
}

/** A page of endpoints in creation order after the cursor id (`limit + 1` rows). */
export async function listEndpoints(
  db: Kysely<Database>,
  tenantId: string,
  opts: { after?: string | undefined; limit: number },
) {
  let q = db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId);
  if (opts.after !== undefined) q = q.where('id', '>', opts.after);
  const rows = await q
    .orderBy('id')
    .limit(opts.limit + 1)
    .execute();
  return rows.map(rowToEndpoint);
}

export type EndpointChange = {
  url?: string;
  description?: string;
  eventTypes?: string[] | null;
  enabled?: { enabled: true } | { enabled: false; reason: string };
  rotateTo?: { secret: string; previousExpiresAt: Date };
};

/**
 * Writes a change if the row is still at `expectedVersion` (when given); undefined when the row is
 * gone or has moved on (the caller tells which).
 */
export async function updateEndpoint(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  change: EndpointChange,
  expectedVersion?: number,
): Promise<StoredWebhookEndpoint | undefined> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set((eb) => ({
      ...(change.url !== undefined ? { url: change.url } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.eventTypes !== undefined
        ? { event_types: change.eventTypes === null ? null : JSON.stringify(change.eventTypes) }
        : {}),
      ...(change.enabled !== undefined
        ? change.enabled.enabled
          ? { enabled: true, disabled_at: null, disabled_reason: null, failing_since: null }
          : { enabled: false, disabled_at: sql<Date>`now()`, disabled_reason: change.enabled.reason }
        : {}),
      ...(change.rotateTo !== undefined
        ? {
            previous_secret: eb.ref('secret'),
            previous_secret_expires_at: change.rotateTo.previousExpiresAt,
            secret: change.rotateTo.secret,
          }
        : {}),
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    }))
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .$if(expectedVersion !== undefined, (q) => q.where('version', '=', expectedVersion as number))
    .returningAll()
    .executeTakeFirst();
  return row ? rowToEndpoint(row) : undefined;
}

export async function deleteEndpoint(db: Kysely<Database>, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('webhook_endpoints')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

// -------------------------------------------------------------------------------------------------
// Deliveries and attempts
// -------------------------------------------------------------------------------------------------

export interface StoredWebhookAttempt {
  readonly attempt: number;
  readonly trigger: WebhookAttemptTrigger;
  readonly startedAt: Date;
  readonly durationMs: number | null;
  readonly outcome: WebhookAttemptOutcome;
  readonly responseStatus: number | null;
  readonly responseBody: string | null;
  readonly error: string | null;
}

export interface StoredWebhookDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly payload: string;
  readonly status: WebhookDeliveryStatus;
  readonly attemptCount: number;
  readonly nextAttemptAt: Date | null;
  readonly lastAttemptAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
}

export function rowToDelivery(row: WebhookDeliveryRow): StoredWebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload,
    status: row.status,
    attemptCount: row.attempt_count,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

export function rowToAttempt(row: WebhookDeliveryAttemptRow): StoredWebhookAttempt {
  return {
    attempt: row.attempt,
    trigger: row.trigger,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    outcome: row.outcome,
    responseStatus: row.response_status,
    responseBody: row.response_body,
    error: row.error,
  };
}

export async function findDelivery(db: Kysely<Database>, tenantId: string, id: string) {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? rowToDelivery(row) : undefined;
}

/** A page of an endpoint's deliveries, newest first, before the cursor id (`limit + 1` rows). */
export async function listDeliveries(
  db: Kysely<Database>,
  tenantId: string,
  endpointId: string,
  opts: { before?: string | undefined; limit: number; status?: WebhookDeliveryStatus | undefined },
) {
  let q = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('endpoint_id', '=', endpointId);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  if (opts.status !== undefined) q = q.where('status', '=', opts.status);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(opts.limit + 1)
    .execute();
  return rows.map(rowToDelivery);
}

/** The attempts of these deliveries, in attempt order, by delivery id (one query). */
export async function attemptsOf(
  db: Kysely<Database>,
  tenantId: string,
  deliveryIds: readonly string[],
): Promise<Map<string, StoredWebhookAttempt[]>> {
  const out = new Map<string, StoredWebhookAttempt[]>(deliveryIds.map((id) => [id, []]));
  if (deliveryIds.length === 0) return out;
  const rows = await db
    .selectFrom('webhook_delivery_attempts')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
  for (const row of rows) out.get(row.delivery_id)?.push(rowToAttempt(row));
  return out;
}

/**
 * Queues one more attempt of a delivery, now (manual redelivery): pending, due at `now`, allowed
 * exactly one attempt more than it has had. Undefined when there is no such delivery.
 */
export async function requeueDelivery(db: Kysely<Database>, tenantId: string, id: string, now: Date) {
  const row = await db
    .updateTable('webhook_deliveries')
    .set({
      status: 'pending',
      next_attempt_at: now,
      manual: true,
      // One attempt more than it has had, never fewer than its schedule still had.
      final_attempt: sql<number>`greatest(final_attempt, attempt_count + 1)`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row ? rowToDelivery(row) : undefined;
}
