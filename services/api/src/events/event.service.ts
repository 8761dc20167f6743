/**
 * Reading the outbox (REST `GET /v1/events`, GraphQL `events`): admin key only, a tenant's own
 * events, oldest first in feed order (event.repository.ts), cursor pagination like every list.
 * The cursor is opaque to clients: base64url of the last event's position.
 */
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import { type Principal, requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { isPosition, listEvents, type StoredEvent } from './event.repository.js';
import type { EventSchema } from './event.schema.js';
import { EVENT_TYPES, isEventType } from './event-types.js';

export const encodeEventCursor = (position: string): string =>
  Buffer.from(position, 'utf8').toString('base64url');

/** The position a cursor stands for; a 400 problem for anything that is not a cursor we issued. */
export function decodeEventCursor(cursor: string | undefined | null): string | undefined {
  if (cursor === undefined || cursor === null || cursor === '') return undefined;
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isPosition(position) || encodeEventCursor(position) !== cursor)
    throw problem(
      'bad_request',
      'The cursor is not valid; use nextCursor or an event’s cursor from a previous page',
    );
  return position;
}

/** The type filter: repeated and/or comma-separated names, each one of the catalogue (400 otherwise). */
export function parseTypeFilter(raw: readonly string[] | string | undefined | null, path = 'type'): string[] {
  if (raw === undefined || raw === null) return [];
  const names = (typeof raw === 'string' ? [raw] : raw)
    .flatMap((value) => value.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !isEventType(name));
  if (unknown.length > 0)
    throw validationProblem(
      unknown.map((name) => ({
        path,
        code: 'not_allowed' as const,
        message: {
          da: `Ukendt hændelsestype "${name.slice(0, 64)}". Kendte typer: ${EVENT_TYPES.join(', ')}`,
          en: `Unknown event type "${name.slice(0, 64)}". Known types: ${EVENT_TYPES.join(', ')}`,
        },
      })),
    );
  return [...new Set(names)];
}

export type EventResource = Static<typeof EventSchema>;

/** An event on the wire. */
export function toEventResource(event: StoredEvent): EventResource {
  return {
    id: event.id,
    type: event.type,
    position: event.position,
    cursor: encodeEventCursor(event.position),
    occurredAt: event.occurredAt.toISOString(),
    data: event.data,
  } as EventResource;
}

/** One page of the tenant's visible events after the cursor (`limit + 1` read to know if there is more). */
export async function listEventsPage(
  db: Kysely<Database>,
  principal: Principal,
  opts: { limit: number; cursor?: string | null | undefined; types?: readonly string[] | string | null },
) {
  const admin = requireAdmin(principal);
  const after = decodeEventCursor(opts.cursor);
  const types = parseTypeFilter(opts.types ?? undefined);
  const rows = await listEvents(db, admin.tenantId, {
    ...(after !== undefined ? { after } : {}),
    types,
    limit: opts.limit + 1,
  });
  const items = rows.slice(0, opts.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > opts.limit && last ? encodeEventCursor(last.position) : null,
  };
}
