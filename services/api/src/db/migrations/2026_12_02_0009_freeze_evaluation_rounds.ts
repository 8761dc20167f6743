import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Each held meeting freezes its evaluation round when the window opens (the meeting is marked
 * held): the k in force (`evaluation_k`) and when answers stop (`evaluation_closes_at`: the
 * deadline, or earlier once every eligible member answered). A later change of the network's
 * `min_responses` or `evaluation_window_days` applies to later meetings only, so nothing answered
 * under a higher k is released under a lower one. Meetings held before this migration freeze the
 * network's current values.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('meetings')
      .addColumn('evaluation_k', 'integer')
      .addColumn('evaluation_closes_at', 'timestamptz')
      .execute();
    await sql`
      update meetings m
         set evaluation_k = n.min_responses,
             evaluation_closes_at = coalesce(m.held_at, m.starts_at) + make_interval(days => n.evaluation_window_days)
        from networks n
       where n.tenant_id = m.tenant_id and n.id = m.network_id and m.status = 'held'`.execute(db);
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema
      .alterTable('meetings')
      .dropColumn('evaluation_k')
      .dropColumn('evaluation_closes_at')
      .execute();
  },
};
