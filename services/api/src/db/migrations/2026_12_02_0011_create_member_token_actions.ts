import { type Kysely, type Migration, sql } from 'kysely';

/**
 * What was done with each member token an admin minted ("who acted for me"): every successful
 * write made with a token, by operation, shown to the leader in their own session. Keys include
 * tenant_id; rows go with their token.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('member_token_actions')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull())
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('token_id', 'uuid', (c) => c.notNull())
      .addColumn('leader_id', 'uuid', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('member_token_actions_pkey', ['tenant_id', 'id'])
      .addForeignKeyConstraint(
        'member_token_actions_token_fkey',
        ['tenant_id', 'token_id'],
        'member_tokens',
        ['tenant_id', 'id'],
        (fk) => fk.onDelete('cascade'),
      )
      .execute();
    await db.schema
      .createIndex('member_token_actions_leader_idx')
      .on('member_token_actions')
      .columns(['tenant_id', 'leader_id', 'at'])
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropTable('member_token_actions').execute();
  },
};
