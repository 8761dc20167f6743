/**
 * The outbox: events are recorded in the transaction of the change they describe, and read back
 * in an order a consumer can page through without ever skipping one (docs/events.md).
 *
 * Why not plain `position` order: positions are taken when the row is inserted, but transactions
 * commit in another order. A reader that returned position 6 while position 5's transaction was
 * still open would move its cursor past 5 for good. So a reader sees only events whose writing
 * transaction is older than every transaction still open (`tx < pg_snapshot_xmin(...)`: none of
 * those can still commit), and pages in `(tx, position)` order: every event that becomes visible
 * later has a `tx` at least that xmin, so it sorts after everything already read. The cursor is
 * an event's position; its `(tx, position)` is looked up, so a position is all a consumer keeps.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.js';
import type { DomainEvent, EventType } from './event-types.js';

type Db = Kysely<Database> | Transaction<Database>;

/** An event as read back. `position` is a decimal string (int8). */
export type StoredEvent = DomainEvent & {
  readonly tenantId: string;
  readonly id: string;
  readonly position: string;
  readonly occurredAt: Date;
};

/**
 * Records one event. Call it with the transaction that makes the change (the outbox): the event
 * exists if and only if the change committed.
 */
export async function recordEvent(db: Db, tenantId: string, event: DomainEvent): Promise<void> {
  await db
    .insertInto('events')
    .values({ tenant_id: tenantId, id: uuidv7(), type: event.type, data: JSON.stringify(event.data) })
    .execute();
}

/** Records several events of one change, in order (one statement). */
export async function recordEvents(db: Db, tenantId: string, events: readonly DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('events')
    .values(
      events.map((event) => ({
        tenant_id: tenantId,
        id: uuidv7(),
        type: event.type,
        data: JSON.stringify(event.data),
      })),
    )
    .execute();
}

const POSITION = /^(0|[1-9][0-9]{0,18})$/;

/** True for a position as a cursor carries it: a non-negative decimal integer within int8. */
export const isPosition = (value: string): boolean =>
  POSITION.test(value) && BigInt(value) <= 9_223_372_036_854_775_807n;

interface EventQueryRow {
  tenant_id: string;
  id: string;
  position: number | string;
  type: string;
  occurred_at: Date;
  data: unknown;
}

const toStored = (row: EventQueryRow): StoredEvent =>
  ({
    tenantId: row.tenant_id,
    id: row.id,
    position: String(row.position),
    type: row.type,
    occurredAt: row.occurred_at,
    data: row.data,
  }) as StoredEvent;

/**
 * The visible events after a position, in feed order. `after` 0 (or absent) starts at the
 * beginning. The event at `after` anchors the page by its `(tx, position)`; when it is gone
 * (older than the retention), the page starts at the positions above it.
 */
async function visibleAfter(
  db: Db,
  tenantId: string | null,
  after: string,
  types: readonly string[] | undefined,
  limit: number,
): Promise<StoredEvent[]> {
  if (!isPosition(after)) throw new RangeError(`not an event position: ${after}`);
  const tenant = tenantId === null ? sql`true` : sql`e.tenant_id = ${tenantId}`;
  const anchorTenant = tenantId === null ? sql`true` : sql`a.tenant_id = ${tenantId}`;
  const typeFilter =
    types === undefined || types.length === 0
      ? sql`true`
      : sql`e.type in (${sql.join(types.map((t) => sql`${t}`))})`;
  const { rows } = await sql<EventQueryRow>`
    with anchor as (
      select (select a.tx from events a where a.position = ${after}::int8 and ${anchorTenant}) as tx
    )
    select e.tenant_id, e.id, e.position, e.type, e.occurred_at, e.data
    from events e, anchor
    where ${tenant}
      and ${typeFilter}
      and e.tx < pg_snapshot_xmin(pg_current_snapshot())
      and case
        when anchor.tx is null then e.position > ${after}::int8
        else (e.tx, e.position) > (anchor.tx, ${after}::int8)
      end
    order by e.tx, e.position
    limit ${limit}
  `.execute(db);
  return rows.map(toStored);
}

export interface ListEventsOptions {
  /** The position of the last event seen (a decimal string); absent: from the oldest kept. */
  readonly after?: string;
  /** Only these types (all when absent or empty). */
  readonly types?: readonly (EventType | string)[];
  readonly limit: number;
}

/**
 * A tenant's visible events after `after`, oldest first, at most `limit`. Only events whose
 * transaction can no longer be overtaken are returned, so paging on with the last event's
 * position never skips one that commits later.
 */
export function listEvents(db: Db, tenantId: string, options: ListEventsOptions): Promise<StoredEvent[]> {
  return visibleAfter(db, tenantId, options.after ?? '0', options.types, options.limit);
}

/**
 * Every tenant's visible events after a position, in the same order and with the same guarantee
 * as {@link listEvents}: for a dispatcher that keeps one position for all tenants.
 */
export function visibleEventsAfter(
  db: Db,
  afterPosition: bigint | string,
  limit: number,
): Promise<StoredEvent[]> {
  return visibleAfter(db, null, String(afterPosition), undefined, limit);
}

/** Deletes events that occurred before `before` (the retention sweep); returns how many. */
export async function deleteEventsBefore(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('events').where('occurred_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Runs `fn` in the caller's transaction, or in a new one: a change and its event commit together
 * whichever way a use case is called.
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
