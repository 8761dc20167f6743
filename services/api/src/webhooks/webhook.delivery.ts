/**
 * The two background tasks of webhooks, run on the shared scheduler (jobs/scheduler.ts):
 *
 * - `dispatchWebhookEvents` reads the events outbox past its cursor and queues one delivery per
 *   event and matching enabled endpoint of the event's tenant. Cursor, reading and queueing happen
 *   in one transaction holding the cursor row (`FOR UPDATE SKIP LOCKED`): a second replica skips
 *   instead of dispatching the same events, and a crash leaves nothing half-done.
 * - `deliverDueWebhooks` claims due deliveries with `FOR UPDATE SKIP LOCKED` and a lease, sends
 *   them outside any transaction, and records the outcome. A process that dies mid-delivery
 *   leaves a lease that expires; the next claim takes the delivery over (at-least-once: the
 *   receiver may see a `webhook-id` twice and must treat it as an idempotency key).
 *
 * Time is an argument (`now`) so tests can let days pass; the `webhook-timestamp` header is always
 * the real time of sending (receivers check it against their clock).
 */
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql, type Transaction } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.js';
import type { WebhookDeliveryRow } from '../db/tables/webhook.table.js';
import { recordEvent, visibleEventsAfter } from '../events/event.repository.js';
import { failedTooLong, GONE, isSuccessStatus, nextAttemptAt, SCHEDULED_ATTEMPTS } from './webhook.policy.js';
import { signingSecrets } from './webhook.repository.js';
import { RESPONSE_LOG_BYTES, type SendResult, sendWebhook } from './webhook.sender.js';

/** Events read per dispatch transaction. */
const DISPATCH_BATCH = 500;
/** Dispatch transactions per run at most (the rest waits for the next run, a second later). */
const DISPATCH_BATCHES_PER_RUN = 20;

/** The webhook body of an event (Standard Webhooks: `type`, `timestamp` of the event, `data`). */
export const webhookPayload = (event: { type: string; occurredAt: Date; data: unknown }): string =>
  JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });

/**
 * Queues deliveries for the events committed since the last run. Returns how many events were
 * read (0 when another replica holds the cursor or nothing is new).
 */
export async function dispatchWebhookEvents(db: Kysely<Database>, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (let i = 0; i < DISPATCH_BATCHES_PER_RUN; i++) {
    const read = await db.transaction().execute((trx) => dispatchBatch(trx, now));
    total += read;
    if (read < DISPATCH_BATCH) break;
  }
  return total;
}

async function dispatchBatch(trx: Transaction<Database>, now: Date): Promise<number> {
  const cursor = await trx
    .selectFrom('webhook_dispatch_cursor')
    .select('position')
    .where('name', '=', 'events')
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!cursor) return 0;
  const events = await visibleEventsAfter(trx, String(cursor.position), DISPATCH_BATCH);
  const last = events.at(-1);
  if (!last) return 0;
  const tenantIds = [...new Set(events.map((e) => e.tenantId))];
  const endpoints = await trx
    .selectFrom('webhook_endpoints')
    .select(['tenant_id', 'id', 'event_types', 'created_at'])
    .where('tenant_id', 'in', tenantIds)
    .where('enabled', '=', true)
    .execute();
  const rows = events.flatMap((event) =>
    endpoints
      .filter(
        (e) =>
          e.tenant_id === event.tenantId &&
          (e.event_types === null || e.event_types.includes(event.type)) &&
          // An endpoint receives what happened after it was created, not the history before it.
          e.created_at.getTime() <= event.occurredAt.getTime(),
      )
      .map((e) => ({
        tenant_id: event.tenantId,
        id: uuidv7(),
        endpoint_id: e.id,
        event_id: event.id,
        event_type: event.type,
        payload: webhookPayload(event),
        final_attempt: SCHEDULED_ATTEMPTS,
        next_attempt_at: now,
        lease_id: null,
        lease_until: null,
        last_attempt_at: null,
        delivered_at: null,
      })),
  );
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('webhook_deliveries')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['tenant_id', 'endpoint_id', 'event_id']).doNothing())
      .execute();
  }
  await trx
    .updateTable('webhook_dispatch_cursor')
    .set({ position: Number(last.position), updated_at: sql<Date>`now()` })
    .where('name', '=', 'events')
    .execute();
  return events.length;
}

export interface DeliveryOptions {
  readonly timeoutMs: number;
  readonly allowPrivate: boolean;
  readonly log: FastifyBaseLogger;
  /** Deliveries claimed (and sent concurrently) at once. */
  readonly batchSize?: number;
  /** The jitter's randomness, in [0, 1) (tests fix it). */
  readonly random?: () => number;
}

/**
 * How long a claim holds a delivery: twice the request timeout and 5 s to record the outcome. A
 * live worker always finishes within it; a dead one's claim runs out, and another worker retries.
 */
export const leaseMsFor = (timeoutMs: number): number => 2 * timeoutMs + 5_000;

type Claimed = WebhookDeliveryRow & {
  was_manual: boolean;
  previous_lease: Date | null;
  previous_attempt_at: Date | null;
};

/** Claims up to `limit` due deliveries of enabled endpoints for `leaseMs` (one statement). */
async function claimDue(db: Kysely<Database>, now: Date, leaseMs: number, limit: number, leaseId: string) {
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const { rows } = await sql<Claimed>`
    with due as (
      select d.tenant_id, d.id, d.manual as was_manual, d.lease_until as previous_lease,
             d.last_attempt_at as previous_attempt_at
      from webhook_deliveries d
      join webhook_endpoints e on e.tenant_id = d.tenant_id and e.id = d.endpoint_id
      where d.status = 'pending'
        and d.next_attempt_at <= ${now}
        and (d.lease_until is null or d.lease_until <= ${now})
        and e.enabled
      order by d.next_attempt_at
      limit ${limit}
      for update of d skip locked
    )
    update webhook_deliveries d
    set lease_id = ${leaseId}, lease_until = ${leaseUntil}, attempt_count = d.attempt_count + 1,
        manual = false, last_attempt_at = ${now}
    from due
    where d.tenant_id = due.tenant_id and d.id = due.id
    returning d.*, due.was_manual, due.previous_lease, due.previous_attempt_at
  `.execute(db);
  return rows;
}

/**
 * Sends every due delivery (in batches until none is due or the run has used its time) and
 * records each outcome. Returns how many attempts were made.
 */
export async function deliverDueWebhooks(
  db: Kysely<Database>,
  options: DeliveryOptions,
  now: Date = new Date(),
): Promise<number> {
  const batchSize = options.batchSize ?? 20;
  const leaseMs = leaseMsFor(options.timeoutMs);
  const budgetEnds = Date.now() + 2 * options.timeoutMs;
  let attempts = 0;
  for (;;) {
    const leaseId = uuidv7();
    const claimed = await claimDue(db, now, leaseMs, batchSize, leaseId);
    if (claimed.length === 0) break;
    await Promise.all(claimed.map((row) => attemptDelivery(db, row, leaseId, options, now)));
    attempts += claimed.length;
    if (claimed.length < batchSize || Date.now() > budgetEnds) break;
  }
  return attempts;
}

/** The headers of one attempt: the event id, the time of sending, one signature per valid secret. */
export function signedHeaders(eventId: string, payload: string, secrets: readonly string[], sentAt: Date) {
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': secrets.map((s) => new Webhook(s).sign(eventId, sentAt, payload)).join(' '),
  };
}

async function attemptDelivery(
  db: Kysely<Database>,
  row: Claimed,
  leaseId: string,
  options: DeliveryOptions,
  now: Date,
): Promise<void> {
  const { log } = options;
  try {
    if (row.previous_lease !== null) {
      // The attempt before this one was claimed and never recorded: its process stopped.
      await db
        .insertInto('webhook_delivery_attempts')
        .values({
          tenant_id: row.tenant_id,
          delivery_id: row.id,
          attempt: row.attempt_count - 1,
          trigger: 'scheduled',
          started_at: row.previous_attempt_at ?? row.previous_lease,
          duration_ms: null,
          outcome: 'failed',
          response_status: null,
          response_body: null,
          error: 'no outcome: the process sending it stopped before recording one (its claim expired)',
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'delivery_id', 'attempt']).doNothing())
        .execute();
    }
    const endpoint = await db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', row.endpoint_id)
      .executeTakeFirst();
    if (!endpoint) return; // deleted meanwhile (its deliveries went with it)
    const headers = signedHeaders(row.event_id, row.payload, signingSecrets(endpoint, now), new Date());
    const result = await sendWebhook(new URL(endpoint.url), headers, row.payload, {
      timeoutMs: options.timeoutMs,
      allowPrivate: options.allowPrivate,
    });
    log.debug(
      {
        webhookDeliveryId: row.id,
        webhookEndpointId: row.endpoint_id,
        attempt: row.attempt_count,
        status: result.kind === 'response' ? result.status : null,
        error: result.kind === 'error' ? result.error : undefined,
      },
      'webhook attempt',
    );
    await db.transaction().execute((trx) => recordOutcome(trx, row, leaseId, result, options, now));
  } catch (err) {
    // The database went away: the lease runs out and another run retries the attempt.
    log.warn({ err, webhookDeliveryId: row.id }, 'webhook attempt not recorded');
  }
}

async function recordOutcome(
  trx: Transaction<Database>,
  row: Claimed,
  leaseId: string,
  result: SendResult,
  options: DeliveryOptions,
  now: Date,
): Promise<void> {
  const succeeded = result.kind === 'response' && isSuccessStatus(result.status);
  const attempt = {
    tenant_id: row.tenant_id,
    delivery_id: row.id,
    attempt: row.attempt_count,
    trigger: row.was_manual ? ('manual' as const) : ('scheduled' as const),
    started_at: now,
    duration_ms: result.durationMs,
    outcome: succeeded ? ('succeeded' as const) : ('failed' as const),
    response_status: result.kind === 'response' ? result.status : null,
    response_body: result.kind === 'response' ? result.body.slice(0, RESPONSE_LOG_BYTES) : null,
    error:
      result.kind === 'error'
        ? result.error
        : succeeded
          ? null
          : result.status >= 300 && result.status < 400
            ? `redirect (${result.status}) not followed: update the endpoint's URL`
            : `status ${result.status}${result.truncated ? ' (response body over 64 KiB, cut off)' : ''}`,
  };
  // The real outcome replaces a "no outcome" entry written by a worker that took over.
  await trx
    .insertInto('webhook_delivery_attempts')
    .values(attempt)
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'delivery_id', 'attempt']).doUpdateSet({
        duration_ms: attempt.duration_ms,
        outcome: attempt.outcome,
        response_status: attempt.response_status,
        response_body: attempt.response_body,
        error: attempt.error,
      }),
    )
    .execute();

  const next = succeeded
    ? null
    : nextAttemptAt(
        row.attempt_count,
        row.final_attempt,
        now,
        (options.random ?? Math.random)(),
        result.kind === 'response' ? result.retryAfterMs : null,
      );
  // Only the holder of the claim moves the delivery on (a worker whose claim ran out does not).
  await trx
    .updateTable('webhook_deliveries')
    .set({
      status: succeeded ? 'succeeded' : next === null ? 'failed' : 'pending',
      next_attempt_at: next,
      delivered_at: succeeded ? now : null,
      lease_id: null,
      lease_until: null,
    })
    .where('tenant_id', '=', row.tenant_id)
    .where('id', '=', row.id)
    .where('lease_id', '=', leaseId)
    .execute();

  if (succeeded) {
    await trx
      .updateTable('webhook_endpoints')
      .set({ failing_since: null })
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', row.endpoint_id)
      .where('failing_since', 'is not', null)
      .execute();
    return;
  }
  const endpoint = await trx
    .updateTable('webhook_endpoints')
    .set({ failing_since: sql<Date>`coalesce(failing_since, ${now})` })
    .where('tenant_id', '=', row.tenant_id)
    .where('id', '=', row.endpoint_id)
    .returning(['failing_since', 'enabled'])
    .executeTakeFirst();
  if (!endpoint?.enabled || endpoint.failing_since === null) return;
  const gone = result.kind === 'response' && result.status === GONE;
  if (!gone && !failedTooLong(endpoint.failing_since, now)) return;
  const reason = gone
    ? 'the receiver answered 410 Gone'
    : `every delivery failed for 5 days (since ${endpoint.failing_since.toISOString()})`;
  await disableFailingEndpoint(trx, row.tenant_id, row.endpoint_id, reason);
}

/** Disables an endpoint the service gave up on, and records `webhook_endpoint.disabled`. */
async function disableFailingEndpoint(
  trx: Transaction<Database>,
  tenantId: string,
  endpointId: string,
  reason: string,
): Promise<void> {
  const disabled = await trx
    .updateTable('webhook_endpoints')
    .set({
      enabled: false,
      disabled_at: sql<Date>`now()`,
      disabled_reason: reason,
      version: sql<number>`version + 1`,
      updated_at: sql<Date>`now()`,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', endpointId)
    .where('enabled', '=', true)
    .returning('id')
    .executeTakeFirst();
  if (disabled) {
    await recordEvent(trx, tenantId, {
      type: 'webhook_endpoint.disabled',
      data: { webhookEndpointId: endpointId, reason },
    });
  }
}
