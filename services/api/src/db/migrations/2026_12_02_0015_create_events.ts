import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The domain-events outbox (docs/events.md). `events`: one row per change, written in the same
 * transaction as the change; `position` is the global order, `tx` the writing transaction's id,
 * so readers show only events whose transaction can no longer commit behind them
 * (`tx < pg_snapshot_xmin(pg_current_snapshot())`). `network_announcements`: what the periodic
 * task has already announced for a network (a release, a raised network signal, a due review),
 * so a time-driven event is recorded exactly once. Keys include tenant_id.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('events')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('data', 'jsonb', (c) => c.notNull())
      .addColumn('tx', sql`xid8`, (c) => c.notNull().defaultTo(sql`pg_current_xact_id()`))
      .addPrimaryKeyConstraint('events_pkey', ['tenant_id', 'id'])
      .execute();
    await db.schema
      .createIndex('events_tenant_position_idx')
      .on('events')
      .columns(['tenant_id', 'position'])
      .execute();
    await db.schema.createIndex('events_position_idx').on('events').column('position').execute();
    // Feed order (event.repository.ts): per tenant and across tenants.
    await db.schema
      .createIndex('events_tenant_feed_idx')
      .on('events')
      .columns(['tenant_id', 'tx', 'position'])
      .execute();
    await db.schema.createIndex('events_feed_idx').on('events').columns(['tx', 'position']).execute();
    // The retention sweep deletes by age.
    await db.schema.createIndex('events_occurred_at_idx').on('events').column('occurred_at').execute();

    await db.schema
      .createTable('network_announcements')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('network_id', 'uuid', (c) => c.notNull())
      /** `release:<last meeting id>`, `signal:<kind>`, `review_due:<review marker>`. */
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('announced_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('network_announcements_pkey', ['tenant_id', 'network_id', 'key'])
      .addForeignKeyConstraint(
        'network_announcements_network_fkey',
        ['tenant_id', 'network_id'],
        'networks',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropTable('network_announcements').execute();
    await db.schema.dropTable('events').execute();
  },
};
