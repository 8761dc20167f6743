import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The HR system's own id for a leader (`externalId`, SCIM's name for it): unique in the tenant
 * when set, so a platform can find and upsert its people by the id it already has. An index on
 * `updated_at` serves `updatedSince` (a platform syncing what changed since its last run).
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema.alterTable('leaders').addColumn('external_id', 'text').execute();
    await db.schema
      .createIndex('leaders_external_id_key')
      .unique()
      .on('leaders')
      .columns(['tenant_id', 'external_id'])
      .where(sql.ref('external_id'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('leaders_updated_at_idx')
      .on('leaders')
      .columns(['tenant_id', 'updated_at', 'id'])
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.dropIndex('leaders_updated_at_idx').execute();
    await db.schema.dropIndex('leaders_external_id_key').execute();
    await db.schema.alterTable('leaders').dropColumn('external_id').execute();
  },
};
