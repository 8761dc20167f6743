import type { Kysely, Migration } from 'kysely';

/**
 * Leaving and erasure (docs/provisioning.md): `deactivated_at` is when the leader stops being
 * active (their memberships end then, their credentials stop working); `erased_at` is when their
 * identity and free text were erased (GDPR art. 17), the row kept anonymised for the aggregates.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('leaders')
      .addColumn('deactivated_at', 'timestamptz')
      .addColumn('erased_at', 'timestamptz')
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.alterTable('leaders').dropColumn('erased_at').dropColumn('deactivated_at').execute();
  },
};
