/**
 * Applies a lifecycle event to a stored network: reads the state, asks the domain's `transition`,
 * writes the new state (and its status) or answers with the domain's refusal as a 409 problem.
 * Call it inside the transaction of the write that causes the event (e.g. a meeting marked held),
 * so both land or neither does, with their events (network.status_changed, review.due). The row
 * is locked for the transaction (FOR UPDATE), so two concurrent events apply one after the other.
 */
import {
  type LifecycleEvent,
  type LifecycleRefusal,
  type LifecycleState,
  type LifecycleStatus,
  networkAcceptsChanges,
  transition,
} from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { problem } from '../errors/problem.js';
import { recordEvents } from '../events/event.repository.js';
import { reviveLifecycle, serializeLifecycle } from './lifecycle-state.js';

/** The domain's lifecycle refusal as the 409 problem, with its `reason` and message. */
export const lifecycleRefused = (refusal: LifecycleRefusal) =>
  problem('lifecycle_refused', refusal.message.en, { reason: refusal.code, message: refusal.message });

/** Refuses a change to a dissolved network (the domain's networkAcceptsChanges). */
export function requireNetworkOpen(status: LifecycleStatus): void {
  const open = networkAcceptsChanges(status);
  if (!open.ok) throw lifecycleRefused(open.error);
}

export async function advanceLifecycle(
  trx: Kysely<Database>,
  tenantId: string,
  networkId: string,
  event: LifecycleEvent,
  now: Date,
): Promise<{ before: LifecycleState; after: LifecycleState }> {
  const row = await trx
    .selectFrom('networks')
    .select(['lifecycle'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', networkId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw problem('not_found', 'No network with this id');
  const before = reviveLifecycle(row.lifecycle);
  const next = transition(before, event, now);
  if (!next.ok) throw lifecycleRefused(next.error);
  await trx
    .updateTable('networks')
    .set({
      lifecycle: serializeLifecycle(next.value),
      status: next.value.status,
      version: sql`version + 1`,
      updated_at: now,
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', networkId)
    .execute();
  const after = next.value;
  if (before.status !== after.status)
    await recordEvents(trx, tenantId, [
      { type: 'network.status_changed', data: { networkId, from: before.status, to: after.status } },
      ...(after.status === 'review_due'
        ? [{ type: 'review.due' as const, data: { networkId, kind: after.kind } }]
        : []),
    ]);
  return { before, after };
}
