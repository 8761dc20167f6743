import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The origins whose browser code may call the API (/v1, /graphql) for a tenant (CORS). Empty by
 * default: no browser page of another origin can read a response until the tenant's admin lists it.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('tenants')
      .addColumn('cors_origins', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.alterTable('tenants').dropColumn('cors_origins').execute();
  },
};
