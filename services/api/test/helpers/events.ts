/**
 * Waits until the events `where` selects (all by default) are visible. On PostgreSQL an event shows
 * once every transaction that was open when it committed has ended, on the whole server: other test
 * files running on the same server at the same time can hold it back for a moment
 * (docs/events.md). This waits for those transactions, not for time; on PGlite it returns at once.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';

export async function eventsSettled(
  db: Kysely<Database>,
  where: RawBuilder<unknown> = sql`true`,
): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    const { rows } = await sql<{ visible: boolean }>`
      select coalesce(bool_and(tx < pg_snapshot_xmin(pg_current_snapshot())), true) as visible
      from events where ${where}
    `.execute(db);
    if (rows[0]?.visible) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('events stayed invisible for a minute: a transaction on the server is still open');
}
