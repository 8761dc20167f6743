/**
 * The test files' databases on PGlite (helpers/template-database.ts): a database a file has closed
 * is emptied back to the migrated template's state and given to the next file of the process,
 * unless its schema was changed. (On PostgreSQL each file gets a database of its own from the
 * template: nothing is reused there.)
 */
import t from '@sparring/test-workers/tap';
import { sql } from 'kysely';
import { idleDatabases, keepDatabasesFor, openTemplatePglite } from './helpers/template-database.js';

const onPostgres = Boolean(process.env.DATABASE_URL);

/** What a test could leave behind, and what the next file must not see. */
async function state(db: Awaited<ReturnType<typeof openTemplatePglite>>['db']) {
  const tenants = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tenants`.execute(db);
  const cursor = await sql<Record<string, unknown>>`SELECT * FROM webhook_dispatch_cursor`.execute(db);
  const position = await sql<{ n: string }>`SELECT nextval('events_position_seq')::text AS n`.execute(db);
  const setting = await sql<{ v: string }>`SELECT current_setting('statement_timeout') AS v`.execute(db);
  return {
    tenants: tenants.rows[0]!.n,
    cursor: cursor.rows,
    nextPosition: position.rows[0]!.n,
    statementTimeout: setting.rows[0]!.v,
  };
}

t.test(
  'a closed database comes back emptied to the template for the next file',
  { skip: onPostgres },
  async (t) => {
    const first = await openTemplatePglite();
    // nextval moves the sequence: read the template's state from a database of its own.
    const fresh = await state(first.db);
    t.equal(fresh.cursor.length, 1, 'the template has a row of its own (the dispatch cursor)');
    await sql`SELECT setval('events_position_seq', 1)`.execute(first.db); // undo our own nextval
    await first.close();
    const idleBefore = idleDatabases();
    t.ok(idleBefore >= 1, 'kept after closing');

    const second = await openTemplatePglite();
    t.equal(idleDatabases(), idleBefore - 1, 'the kept one is handed out again');
    await sql`INSERT INTO tenants (id, name) VALUES (gen_random_uuid(), 'left behind')`.execute(second.db);
    await sql`UPDATE webhook_dispatch_cursor SET position = 41`.execute(second.db);
    await sql`SELECT nextval('events_position_seq') FROM generate_series(1, 5)`.execute(second.db);
    await sql`SET statement_timeout = '1234ms'`.execute(second.db);
    await sql`BEGIN`.execute(second.db); // a transaction left open
    await second.close();
    t.equal(idleDatabases(), idleBefore, 'kept again');

    const third = await openTemplatePglite();
    const after = await state(third.db);
    t.same(after, fresh, 'no row, sequence position or setting of the file before; the template rows back');
    await third.close();
  },
);

t.test('a database whose schema a test changed is not reused', { skip: onPostgres }, async (t) => {
  const handle = await openTemplatePglite();
  await sql`ALTER TABLE tenants ADD COLUMN left_behind text`.execute(handle.db);
  const idleBefore = idleDatabases();
  await handle.close();
  t.equal(idleDatabases(), idleBefore, 'closed and removed, not kept');
  const next = await openTemplatePglite();
  const columns = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM information_schema.columns
    WHERE table_name = 'tenants' AND column_name = 'left_behind'`.execute(next.db);
  t.equal(columns.rows[0]!.n, 0, "the next file's database has the template's schema");
  await next.close();
});

t.test(
  'a kept database nobody takes is closed and removed, so the process can end',
  { skip: onPostgres },
  async (t) => {
    const previous = keepDatabasesFor(50);
    t.teardown(() => keepDatabasesFor(previous));
    const handle = await openTemplatePglite();
    const idleBefore = idleDatabases();
    await handle.close();
    t.equal(idleDatabases(), idleBefore + 1, 'kept for a moment');
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.equal(idleDatabases(), idleBefore, 'then closed and removed');
  },
);
