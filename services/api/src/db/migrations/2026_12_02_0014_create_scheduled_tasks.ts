import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Periodic background work shared by every replica: one row per task (by name). A replica runs
 * a task only after moving its `next_run_at` forward in one UPDATE, so each run is claimed once
 * however many replicas poll. Not tenant data: a reference table (docs/scaling.md).
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('scheduled_tasks')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('next_run_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('last_started_at', 'timestamptz')
      .addColumn('last_finished_at', 'timestamptz')
      .addColumn('last_error', 'text')
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropTable('scheduled_tasks').execute();
  },
};
