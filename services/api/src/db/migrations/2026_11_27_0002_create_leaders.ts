import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Leaders. The key is (tenant_id, id) so the table can be distributed by tenant (Citus) without a
 * schema change; ids are UUIDv7, so ordering by id is creation order (cursor pagination).
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('leaders')
      .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'uuid', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('sector', 'text', (c) => c.notNull())
      .addColumn('organisation', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull())
      .addColumn('years_of_experience', 'integer', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('languages', 'jsonb', (c) => c.notNull())
      .addColumn('motivations', 'jsonb', (c) => c.notNull())
      .addColumn('availability', 'jsonb', (c) => c.notNull())
      .addColumn('formats', 'jsonb', (c) => c.notNull())
      .addColumn('preferred_cadence_months', 'integer')
      .addColumn('manager_id', 'uuid')
      .addColumn('exclusions', 'jsonb', (c) => c.notNull())
      .addColumn('sameness', 'jsonb', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .addPrimaryKeyConstraint('leaders_pkey', ['tenant_id', 'id'])
      .addUniqueConstraint('leaders_tenant_email_key', ['tenant_id', 'email'])
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropTable('leaders').execute();
  },
};
