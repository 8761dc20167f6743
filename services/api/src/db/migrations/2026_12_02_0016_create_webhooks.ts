import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Webhooks (docs/webhooks.md). `webhook_endpoints`: a tenant's receivers, each with its signing
 * secret (stored as given: the service must sign with it) and, for 24 h after a rotation, the
 * previous one. `webhook_deliveries`: one row per event and endpoint, with the exact body sent,
 * its schedule and its lease (a worker claims due rows with FOR UPDATE SKIP LOCKED and a lease that
 * expires if it dies). `webhook_delivery_attempts`: the attempt log. `webhook_dispatch_cursor`:
 * how far the dispatcher has read the events outbox (not tenant data: one row for the service).
 * Every key of a tenant's table starts with tenant_id.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      // null: every event type, including types added later.
      .addColumn('event_types', 'jsonb')
      .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
      .addColumn('disabled_at', 'timestamptz')
      .addColumn('disabled_reason', 'text')
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('previous_secret', 'text')
      .addColumn('previous_secret_expires_at', 'timestamptz')
      // The first failed attempt since the last success (null while deliveries succeed).
      .addColumn('failing_since', 'timestamptz')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('webhook_endpoints_pkey', ['tenant_id', 'id'])
      .execute();

    await db.schema
      .createTable('webhook_deliveries')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('endpoint_id', 'uuid', (c) => c.notNull())
      .addColumn('event_id', 'uuid', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      // The exact body sent (and signed) on every attempt.
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('final_attempt', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'timestamptz')
      // The admin asked for this attempt (manual redelivery); the attempt log says so.
      .addColumn('manual', 'boolean', (c) => c.notNull().defaultTo(false))
      .addColumn('lease_id', 'uuid')
      .addColumn('lease_until', 'timestamptz')
      .addColumn('last_attempt_at', 'timestamptz')
      .addColumn('delivered_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('webhook_deliveries_pkey', ['tenant_id', 'id'])
      .addUniqueConstraint('webhook_deliveries_event_unique', ['tenant_id', 'endpoint_id', 'event_id'])
      .addForeignKeyConstraint(
        'webhook_deliveries_endpoint_fkey',
        ['tenant_id', 'endpoint_id'],
        'webhook_endpoints',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addCheckConstraint(
        'webhook_deliveries_status_check',
        sql`status in ('pending', 'succeeded', 'failed')`,
      )
      .execute();
    // The worker's claim: due pending deliveries in order.
    await db.schema
      .createIndex('webhook_deliveries_due_idx')
      .on('webhook_deliveries')
      .column('next_attempt_at')
      .where(sql.ref('status'), '=', 'pending')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_endpoint_idx')
      .on('webhook_deliveries')
      .columns(['tenant_id', 'endpoint_id', 'id'])
      .execute();

    await db.schema
      .createTable('webhook_delivery_attempts')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('delivery_id', 'uuid', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('started_at', 'timestamptz', (c) => c.notNull())
      .addColumn('duration_ms', 'integer')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('error', 'text')
      .addPrimaryKeyConstraint('webhook_delivery_attempts_pkey', ['tenant_id', 'delivery_id', 'attempt'])
      .addForeignKeyConstraint(
        'webhook_delivery_attempts_delivery_fkey',
        ['tenant_id', 'delivery_id'],
        'webhook_deliveries',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();

    await db.schema
      .createTable('webhook_dispatch_cursor')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('position', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute();
    await db.insertInto('webhook_dispatch_cursor').values({ name: 'events', position: 0 }).execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropTable('webhook_dispatch_cursor').execute();
    await db.schema.dropTable('webhook_delivery_attempts').execute();
    await db.schema.dropTable('webhook_deliveries').execute();
    await db.schema.dropTable('webhook_endpoints').execute();
  },
};
