import type { Kysely, Migration } from 'kysely';

/**
 * When an admin set a meeting's role holders by hand (PUT /v1/meetings/:id/roles). While set, a
 * member's cancellation no longer re-runs the domain's rotation for that meeting: the admin's
 * choice stands until the admin changes it again.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema.alterTable('meetings').addColumn('roles_overridden_at', 'timestamptz').execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema.alterTable('meetings').dropColumn('roles_overridden_at').execute();
  },
};
