import { type Kysely, type Migration, sql } from 'kysely';

/** Formation runs: a pool of leaders partitioned into proposed networks, run in the background. */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('formation_runs')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('request', 'jsonb', (c) => c.notNull())
      .addColumn('pool', 'jsonb', (c) => c.notNull())
      .addColumn('result', 'jsonb')
      .addColumn('error', 'text')
      .addColumn('accepted', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('started_at', 'timestamptz')
      .addColumn('finished_at', 'timestamptz')
      .addPrimaryKeyConstraint('formation_runs_pkey', ['tenant_id', 'id'])
      .execute();
    await db.schema
      .createIndex('formation_runs_status_idx')
      .on('formation_runs')
      .columns(['status'])
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropTable('formation_runs').execute();
  },
};
