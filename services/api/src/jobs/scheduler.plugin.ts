/**
 * The background scheduler: decorated as `app.scheduler` so each feature adds its periodic tasks
 * in its own plugin; started when the app is ready, stopped before the database closes.
 * `SPARRING_BACKGROUND_JOBS=false` keeps a process from running background work (tests run it
 * by calling `app.scheduler.runDue()`).
 */
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { Scheduler } from './scheduler.js';

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler;
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const scheduler = new Scheduler(app.db, app.log, { pollMs: config.schedulerPollMs });
    app.decorate('scheduler', scheduler);
    if (config.backgroundJobs) app.addHook('onReady', async () => scheduler.start());
    app.addHook('preClose', async () => scheduler.close());
  },
  { name: 'scheduler', fastify: '5.x', dependencies: ['database'] },
);
