/**
 * The outbox's background work on the shared scheduler: announcing time-driven events (results
 * released when a window closes by its deadline, network signals raised and cleared) and the
 * retention sweep.
 */
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { announceTimeDrivenEvents, sweepEvents } from './announcements.js';

/** The sweep runs hourly: the retention is counted in days, so an hour late deletes nothing early. */
export const SWEEP_EVERY_MS = 3_600_000;

export default fp<{ config: Config }>(
  async (app, { config }) => {
    app.scheduler.add({
      name: 'events.announce',
      everyMs: config.eventAnnounceEveryMs,
      run: (db) => announceTimeDrivenEvents(db),
    });
    app.scheduler.add({
      name: 'events.sweep',
      everyMs: SWEEP_EVERY_MS,
      run: async (db) => {
        const deleted = await sweepEvents(db, config.eventRetentionDays);
        if (deleted > 0)
          app.log.info({ deleted, retentionDays: config.eventRetentionDays }, 'old events deleted');
      },
    });
  },
  { name: 'events', fastify: '5.x', dependencies: ['scheduler'] },
);
