/** The background runner for formation runs: started with the app, stopped before the database closes. */
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { FormationRunner } from './formation.runner.js';

declare module 'fastify' {
  interface FastifyInstance {
    formationRunner: FormationRunner;
  }
}

/** How often a live replica looks for runs no process is working on (a queued run waits at most this long). */
export const FORMATION_RESUME_EVERY_MS = 10_000;

export default fp<{ config: Pick<Config, 'formationSearches'> }>(
  async (app, { config }) => {
    const runner = new FormationRunner(app.db, app.log, config.formationSearches);
    app.decorate('formationRunner', runner);
    app.addHook('onReady', async () => runner.resumePending());
    // A run's queue is in the memory of the replica that created it: one queued there when that
    // replica died (or left running by it, after ABANDONED_AFTER_MINUTES) is picked up by
    // whichever live replica claims this task. The claim (queued → running) keeps it to one.
    app.scheduler.add({
      name: 'formation-runs-resume',
      everyMs: FORMATION_RESUME_EVERY_MS,
      run: async () => runner.resumePending(),
    });
    app.addHook('preClose', async () => runner.close());
  },
  { name: 'formation-runner', fastify: '5.x', dependencies: ['database', 'scheduler'] },
);
