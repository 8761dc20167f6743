import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The rate limit's counters, shared by every replica when no Redis is configured
 * (http/rate-limit.store.ts): one row per limited key (a hash of the credential, or the client's
 * address) and window. Not tenant data — a request is counted before it is authenticated, so no
 * tenant is known — and UNLOGGED: a counter lost in a crash only gives a client a fresh window,
 * and skipping the write-ahead log keeps the one upsert per request cheap. Exempt from the
 * tenant-key rule with that reason (test/schema-catalog.test.ts, docs/scaling.md).
 *
 * Also an index for the idempotency keys' sweep, which deletes by age.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('rate_limit_hits')
      .modifyFront(sql`unlogged`)
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('rate_limit_hits_expires_at_idx')
      .on('rate_limit_hits')
      .column('expires_at')
      .execute();
    await db.schema
      .createIndex('idempotency_keys_created_at_idx')
      .on('idempotency_keys')
      .column('created_at')
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('idempotency_keys_created_at_idx').execute();
    await db.schema.dropTable('rate_limit_hits').execute();
  },
};
