/**
 * Webhook background work on the shared scheduler: dispatch (events → deliveries) and delivery
 * (send what is due), each every second on whichever replica claims the run.
 */
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { deliverDueWebhooks, dispatchWebhookEvents } from './webhook.delivery.js';

/** Scheduler task names (rows of scheduled_tasks). */
export const WEBHOOK_TASKS = { dispatch: 'webhooks.dispatch', deliver: 'webhooks.deliver' } as const;

export default fp<{ config: Config }>(
  async (app, { config }) => {
    app.scheduler.add({
      name: WEBHOOK_TASKS.dispatch,
      everyMs: 1000,
      run: async (db) => {
        await dispatchWebhookEvents(db);
      },
    });
    app.scheduler.add({
      name: WEBHOOK_TASKS.deliver,
      everyMs: 1000,
      run: async (db) => {
        await deliverDueWebhooks(db, {
          timeoutMs: config.webhookTimeoutMs,
          allowPrivate: config.webhookAllowPrivate,
          log: app.log,
        });
      },
    });
  },
  { name: 'webhooks', fastify: '5.x', dependencies: ['scheduler'] },
);
