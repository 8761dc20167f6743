/**
 * Stores for @fastify/rate-limit that every replica shares (its own LocalStore counts per
 * process, so N replicas would allow N times the limit).
 *
 * - `postgresStore`: the service's own database counts, one atomic upsert per request in
 *   `rate_limit_hits` (a fixed window per key, like the plugin's Redis store); expired rows are
 *   deleted by a scheduled sweep (`sweepRateLimitHits`).
 * - `failOpen`: wraps a store so that its outage is logged (a warning, at most one per
 *   WARN_EVERY_MS) and the request passes (the plugin's `skipOnError`): a limiter that cannot
 *   count must not take the service down, nor change how a request fails.
 *
 * The store interface is the plugin's (node_modules/@fastify/rate-limit/store/LocalStore.js):
 * `incr(key, cb, timeWindow, max)` counts a request, `read` peeks without counting, `child(options)`
 * gives a route with its own limit its own keys.
 */
import type {
  FastifyRateLimitOptions,
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
} from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** The plugin's store contract, with the optional non-mutating `read` its own stores have. */
export interface RateLimitStore extends FastifyRateLimitStore {
  read?(key: string, callback: Callback, timeWindow: number, max: number): void;
}

/** What a route's store is built from (`child`): the plugin passes the route as `routeInfo`. */
interface ChildOptions {
  readonly routeInfo?: { readonly method?: unknown; readonly url?: unknown };
}

/** The key prefix of a route with its own limit: method and URL, as the plugin's Redis store does. */
const childPrefix = (prefix: string, options: ChildOptions) =>
  `${prefix}${String(options.routeInfo?.method)}${String(options.routeInfo?.url)}-`;

/**
 * Counts one request for `key` in a window of `windowMs`: one statement, so two replicas counting
 * the same key at once both see their own increment (the row lock orders them). A window that
 * has ended starts again at 1. Returns the count and the milliseconds left in the window.
 */
export async function countHit(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
): Promise<{ current: number; ttl: number }> {
  const window = sql<Date>`now() + make_interval(secs => ${windowMs / 1000})`;
  const expired = sql<boolean>`rate_limit_hits.expires_at <= now()`;
  const row = await db
    .insertInto('rate_limit_hits')
    .values({ key, count: 1, expires_at: window })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when ${expired} then 1 else rate_limit_hits.count + 1 end`,
        expires_at: sql<Date>`case when ${expired} then ${window} else rate_limit_hits.expires_at end`,
      }),
    )
    .returning(['count', sql<string>`ceil(extract(epoch from expires_at - now()) * 1000)`.as('ttl')])
    .executeTakeFirstOrThrow();
  return { current: row.count, ttl: Math.max(0, Number(row.ttl)) };
}

/** The count and time left for `key` without counting (0 and 0 when its window has ended). */
export async function readHits(db: Kysely<Database>, key: string): Promise<{ current: number; ttl: number }> {
  const row = await db
    .selectFrom('rate_limit_hits')
    .select(['count', sql<string>`ceil(extract(epoch from expires_at - now()) * 1000)`.as('ttl')])
    .where('key', '=', key)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? { current: row.count, ttl: Math.max(0, Number(row.ttl)) } : { current: 0, ttl: 0 };
}

/** Deletes the counters whose window has ended (the scheduled sweep); returns how many. */
export async function sweepRateLimitHits(db: Kysely<Database>): Promise<number> {
  const result = await db
    .deleteFrom('rate_limit_hits')
    .where('expires_at', '<=', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The PostgreSQL store as the constructor the plugin takes (`store`), bound to the database. A
 * database error goes to the callback (the plugin wraps it in `failOpen`). `continueExceeding`
 * and `exponentialBackoff` are not implemented (the service uses neither).
 */
export function postgresStore(db: Kysely<Database>) {
  return class PostgresRateLimitStore implements RateLimitStore {
    constructor(
      _options: FastifyRateLimitOptions,
      /** Put before every key: empty, or the route of a route with a limit of its own (`child`). */
      readonly prefix = '',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number): void {
      countHit(db, this.prefix + key, timeWindow).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }

    read(key: string, callback: Callback): void {
      readHits(db, this.prefix + key).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }

    child(options: ChildOptions & FastifyRateLimitOptions): RateLimitStore {
      return new PostgresRateLimitStore(options, childPrefix(this.prefix, options));
    }
  };
}

/** At most one warning this often while a shared store (Redis) keeps failing. */
export const WARN_EVERY_MS = 10_000;

/** Logs a failing store's errors without flooding the log: the first, then one per WARN_EVERY_MS. */
export class StoreFailureLog {
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly store: string,
    private readonly now: () => number = Date.now,
  ) {}

  failed(error: Error): void {
    const at = this.now();
    if (at - this.lastWarnAt < WARN_EVERY_MS) {
      this.suppressed++;
      return;
    }
    this.log.warn(
      { err: { name: error.name, message: error.message }, store: this.store, suppressed: this.suppressed },
      'rate limit store unavailable: requests are not limited until it is back',
    );
    this.lastWarnAt = at;
    this.suppressed = 0;
  }
}

/** A wrapper that logs a store's failures (StoreFailureLog) before the plugin sees them. */
class FailOpenStore implements RateLimitStore {
  constructor(
    private readonly inner: RateLimitStore,
    private readonly failures: StoreFailureLog,
  ) {}

  private report(callback: Callback): Callback {
    return (error, result) => {
      if (error) this.failures.failed(error);
      callback(error, result);
    };
  }

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    this.inner.incr(key, this.report(callback), timeWindow, max);
  }

  read(key: string, callback: Callback, timeWindow: number, max: number): void {
    if (this.inner.read) this.inner.read(key, this.report(callback), timeWindow, max);
    else callback(null, { current: 0, ttl: 0 });
  }

  child(options: Parameters<FastifyRateLimitStore['child']>[0]): RateLimitStore {
    return new FailOpenStore(this.inner.child(options), this.failures);
  }
}

/**
 * The store constructor the plugin takes (`store`) for an existing store whose failures are
 * logged (StoreFailureLog); with the plugin's `skipOnError` the request then passes unlimited.
 */
export function failOpen(inner: RateLimitStore, failures: StoreFailureLog): FastifyRateLimitStoreCtor {
  return class extends FailOpenStore {
    constructor(_options: FastifyRateLimitOptions) {
      super(inner, failures);
    }
  };
}
