import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Calendar feeds (docs/calendar-feeds.md): a secret URL per network or per leader that calendar
 * apps subscribe to. Only the token's SHA-256 is stored (like API keys and member tokens); a
 * revoked feed keeps its row (revoked_at) for the history. Keys include tenant_id, like every
 * table; a feed goes with its network or leader (cascade). The token lookup is by hash alone (a
 * calendar app sends no tenant), through a plain index: 256 random bits do not collide.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('calendar_feeds')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('network_id', 'uuid')
      .addColumn('leader_id', 'uuid')
      .addColumn('language', 'text', (c) => c.notNull())
      .addColumn('label', 'text')
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('token_prefix', 'text', (c) => c.notNull())
      // Who created it: the tenant's admin, or the leader in their own session (member pages).
      .addColumn('created_by', 'text', (c) => c.notNull().defaultTo('admin'))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('revoked_at', 'timestamptz')
      .addPrimaryKeyConstraint('calendar_feeds_pkey', ['tenant_id', 'id'])
      .addForeignKeyConstraint(
        'calendar_feeds_network_fkey',
        ['tenant_id', 'network_id'],
        'networks',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .addForeignKeyConstraint(
        'calendar_feeds_leader_fkey',
        ['tenant_id', 'leader_id'],
        'leaders',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      // A feed is of exactly one network or one leader.
      .addCheckConstraint('calendar_feeds_subject_check', sql`(network_id is null) <> (leader_id is null)`)
      .addCheckConstraint('calendar_feeds_language_check', sql`language in ('da', 'en')`)
      .addCheckConstraint(
        'calendar_feeds_created_by_check',
        sql`created_by in ('admin', 'member') and (created_by = 'admin' or leader_id is not null)`,
      )
      .execute();
    await db.schema
      .createIndex('calendar_feeds_token_hash_idx')
      .on('calendar_feeds')
      .column('token_hash')
      .execute();
    await db.schema
      .createIndex('calendar_feeds_network_idx')
      .on('calendar_feeds')
      .columns(['tenant_id', 'network_id'])
      .execute();
    await db.schema
      .createIndex('calendar_feeds_leader_idx')
      .on('calendar_feeds')
      .columns(['tenant_id', 'leader_id'])
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropTable('calendar_feeds').execute();
  },
};
