import { type Kysely, type Migration, sql } from 'kysely';

/**
 * At most one OPEN review (no decision yet) per network: the review row is opened lazily when it is
 * first read or decided (reviews/review.service.ts), so two first reads at once must not open two.
 * A partial unique index lets `INSERT … ON CONFLICT DO UPDATE` open-or-refresh it in one statement.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await sql`CREATE UNIQUE INDEX reviews_open_idx ON reviews (tenant_id, network_id) WHERE decided_at IS NULL`.execute(
      db,
    );
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await sql`DROP INDEX reviews_open_idx`.execute(db);
  },
};
