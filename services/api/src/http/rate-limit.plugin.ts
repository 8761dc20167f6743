/**
 * The rate limit (@fastify/rate-limit), per API key — a hash of the Authorization header, so the
 * limiter never holds a credential — else per client address, counted where every replica sees
 * the same count (config `rateLimitStore`):
 *
 * - `redis` (REDIS_URL set): the plugin's own Redis store on an ioredis client with short
 *   timeouts and no offline queue; start-up waits for the first connection (at most 500 ms).
 *   A Redis outage fails OPEN: the request passes unlimited and
 *   a warning is logged (at most one per 10 s); ioredis reconnects by itself.
 * - `postgres` (the default): a window per key in `rate_limit_hits`, from which each process
 *   leases a block (`rateLimitLeasePercent` % of the limit, at least 1) in one upsert and serves
 *   requests from it in memory: about one write per block, not one per request, and never more
 *   than the limit served per window across replicas (rate-limit.store.ts); ended windows are
 *   swept by a scheduled task. It fails open too: while the database is away the request goes on unlimited (with the
 *   same warning) and meets the outage itself, so it is answered as every request then is — a
 *   503 problem on REST, a GraphQL error with the same code on /graphql.
 * - `memory`: the plugin's per-process store, for one process alone.
 *
 * Routes with `config: { rateLimit: false }` (the health probes) are never counted.
 */
import { createRequire } from 'node:module';
import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { credentialHash } from '../auth/credential.js';
import { hashSecret } from '../auth/secret.js';
import type { Config } from '../config.js';
import {
  failOpen,
  postgresStore,
  type RateLimitStore,
  StoreFailureLog,
  sweepRateLimitHits,
} from './rate-limit.store.js';

/** How often ended windows are deleted from `rate_limit_hits` (the window is one minute). */
export const RATE_LIMIT_SWEEP_EVERY_MS = 5 * 60_000;

/**
 * ioredis options for a limiter (the plugin's README recommends short `connectTimeout` and
 * `maxRetriesPerRequest`, ioredis's defaults being made for a queue that may wait): a command
 * fails at once while Redis is away (no offline queue) or after 500 ms without an answer.
 */
export const REDIS_OPTIONS = {
  connectTimeout: 500,
  commandTimeout: 500,
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  lazyConnect: true,
} as const;

type RedisStoreCtor = new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key?: string,
) => RateLimitStore;

/** The plugin's Redis store (it is not exported from the package's main module). */
const RedisStore = createRequire(import.meta.url)(
  '@fastify/rate-limit/store/RedisStore.js',
) as RedisStoreCtor;

/**
 * A Redis client for the limiter whose errors are logged, not thrown. Start-up waits for the first
 * connection, at most `connectTimeout`, so the first requests are counted (with no offline queue a
 * command sent before the connection is ready fails, and fails open); when Redis is away the
 * service starts all the same and serves unlimited while ioredis reconnects.
 */
async function redisClient(app: FastifyInstance, url: string, failures: StoreFailureLog): Promise<Redis> {
  // Imported here, so a service without Redis never loads ioredis (start-up time).
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, REDIS_OPTIONS);
  redis.on('error', (error: Error) => failures.failed(error));
  redis.on('ready', () => app.log.info('rate limit store connected (redis)'));
  app.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  await redis.connect().catch((error: Error) => failures.failed(error));
  return redis;
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const options: RateLimitPluginOptions = {
      max: config.rateLimitPerMinute,
      timeWindow: '1 minute',
      // Per credential (its hash, computed once for the request: the API key lookup uses it too);
      // another Authorization header by its hash; none by the address.
      keyGenerator: (request) => {
        const authorization = request.headers.authorization;
        if (!authorization) return request.ip;
        return credentialHash(request) ?? hashSecret(authorization);
      },
      // Becomes the `rate_limited` problem in the error handler, like every other error.
      errorResponseBuilder: (_request, context) =>
        Object.assign(new Error(`Retry after ${context.after}`), {
          statusCode: 429,
          code: 'FST_ERR_RATE_LIMITED',
        }),
    };
    if (config.rateLimitStore === 'redis' && config.redisUrl) {
      const failures = new StoreFailureLog(app.log, 'redis');
      const redis = await redisClient(app, config.redisUrl, failures);
      options.store = failOpen(new RedisStore(false, false, redis, config.rateLimitRedisPrefix), failures);
      options.skipOnError = true;
    } else if (config.rateLimitStore === 'postgres') {
      const PostgresStore = postgresStore(app.db, { leasePercent: config.rateLimitLeasePercent });
      options.store = failOpen(new PostgresStore({}), new StoreFailureLog(app.log, 'postgres'));
      options.skipOnError = true;
      app.scheduler.add({
        name: 'rate-limit-sweep',
        everyMs: RATE_LIMIT_SWEEP_EVERY_MS,
        run: async (db) => {
          const deleted = await sweepRateLimitHits(db);
          app.log.info({ task: 'rate-limit-sweep', deleted }, 'ended rate limit windows deleted');
        },
      });
    }
    await app.register(rateLimit, options);
  },
  { name: 'rate-limit', fastify: '5.x', dependencies: ['database', 'scheduler'] },
);
