/**
 * The outbox's background work on the shared scheduler: announcing time-driven events (results
 * released when a window closes by its deadline, network signals raised and cleared) and the
 * retention sweep.
 */
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { deleteEventsBefore } from './event.repository.js';

/** The sweep runs hourly: the retention is counted in days, so an hour late deletes nothing early. */
export const SWEEP_EVERY_MS = 3_600_000;

/** The retention sweep: deletes events older than `retentionDays` days. */
export async function sweepEvents(
  db: Kysely<Database>,
  retentionDays: number,
  now: Date = new Date(),
): Promise<number> {
  return deleteEventsBefore(db, new Date(now.getTime() - retentionDays * 86_400_000));
}

export default fp<{
  config: Config;
  /** The time-driven announcements (evaluations/announcements.ts: releases and network signals). */
  announce: (db: Kysely<Database>) => Promise<void>;
}>(
  async (app, { config, announce }) => {
    app.scheduler.add({
      name: 'events.announce',
      everyMs: config.eventAnnounceEveryMs,
      run: (db) => announce(db),
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
