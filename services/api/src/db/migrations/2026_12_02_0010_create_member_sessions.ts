import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Member sessions (docs/member-sessions.md): single-use sign-in links mailed to a leader's address
 * on file, the sessions they open, and notices shown to the member (e.g. their address changed).
 * Only hashes of tokens are stored. Keys include tenant_id, like every table; rows go with their
 * leader (cascade).
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    const now = sql`now()`;
    await db.schema
      .createTable('member_sign_in_links')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('leader_id', 'uuid', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('used_at', 'timestamptz')
      .addColumn('requested_ip_hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('member_sign_in_links_pkey', ['tenant_id', 'id'])
      .addForeignKeyConstraint(
        'member_sign_in_links_leader_fkey',
        ['tenant_id', 'leader_id'],
        'leaders',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createIndex('member_sign_in_links_token_hash_key')
      .unique()
      .on('member_sign_in_links')
      .column('token_hash')
      .execute();
    // The per-address and per-IP limits count recent links.
    await db.schema
      .createIndex('member_sign_in_links_email_idx')
      .on('member_sign_in_links')
      .columns(['email', 'created_at'])
      .execute();
    await db.schema
      .createIndex('member_sign_in_links_ip_idx')
      .on('member_sign_in_links')
      .columns(['requested_ip_hash', 'created_at'])
      .execute();

    await db.schema
      .createTable('member_sessions')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('leader_id', 'uuid', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
      .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addColumn('revoked_at', 'timestamptz')
      .addPrimaryKeyConstraint('member_sessions_pkey', ['tenant_id', 'id'])
      .addForeignKeyConstraint(
        'member_sessions_leader_fkey',
        ['tenant_id', 'leader_id'],
        'leaders',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createIndex('member_sessions_token_hash_key')
      .unique()
      .on('member_sessions')
      .column('token_hash')
      .execute();
    await db.schema
      .createIndex('member_sessions_leader_idx')
      .on('member_sessions')
      .columns(['tenant_id', 'leader_id'])
      .execute();

    await db.schema
      .createTable('member_notices')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('leader_id', 'uuid', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('email_changed')`))
      .addColumn('data', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(now))
      .addPrimaryKeyConstraint('member_notices_pkey', ['tenant_id', 'id'])
      .addForeignKeyConstraint(
        'member_notices_leader_fkey',
        ['tenant_id', 'leader_id'],
        'leaders',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createIndex('member_notices_leader_idx')
      .on('member_notices')
      .columns(['tenant_id', 'leader_id', 'created_at'])
      .execute();

    // A sign-in request looks a leader up by address in every tenant, case-insensitively.
    await db.schema
      .createIndex('leaders_email_lower_idx')
      .on('leaders')
      .expression(sql`lower(email)`)
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('leaders_email_lower_idx').execute();
    for (const table of ['member_notices', 'member_sessions', 'member_sign_in_links']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
