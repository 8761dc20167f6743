import type { Kysely, Migration } from 'kysely';

/**
 * Progress of a formation run (docs/formation.md, "Progress of a long run"): the best objective
 * the search has reached, its rounds and elapsed milliseconds, and when that was stored. Written
 * by the runner at most twice a second while the run is running; kept when it finishes.
 */
export const migration: Migration = {
  // biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time
  async up(db: Kysely<any>) {
    await db.schema
      .alterTable('formation_runs')
      .addColumn('progress_best_score', 'double precision')
      .addColumn('progress_iterations', 'integer')
      .addColumn('progress_elapsed_ms', 'integer')
      .addColumn('progress_at', 'timestamptz')
      .execute();
  },
  // biome-ignore lint/suspicious/noExplicitAny: see above
  async down(db: Kysely<any>) {
    await db.schema
      .alterTable('formation_runs')
      .dropColumn('progress_at')
      .dropColumn('progress_elapsed_ms')
      .dropColumn('progress_iterations')
      .dropColumn('progress_best_score')
      .execute();
  },
};
