import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The https origins a tenant lets frame the member pages under /m/ (its HR platform). Empty by
 * default: the pages answer `frame-ancestors 'none'` until the tenant's admin lists an origin.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('tenants')
      .addColumn('frame_ancestors', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.alterTable('tenants').dropColumn('frame_ancestors').execute();
  },
};
