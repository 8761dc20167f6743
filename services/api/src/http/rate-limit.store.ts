/**
 * Stores for @fastify/rate-limit that every replica shares (its own LocalStore counts per
 * process, so N replicas would allow N times the limit).
 *
 * - `postgresStore`: the service's own database holds a fixed window per key in `rate_limit_hits`
 *   (like the plugin's Redis store), from which each process leases a block of the window's
 *   allowance at a time (`claimBlock`, `leaseBlockSize`) and serves requests from it in memory,
 *   so PostgreSQL is written about once per block, not once per request; expired rows are
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
 * The block a process leases at a time: `percent` % of the limit, rounded down, at least 1 (so a
 * limit under 100 / percent is leased one request at a time, exactly as a count per request).
 */
export function leaseBlockSize(max: number, percent: number): number {
  return Math.max(1, Math.floor((max * percent) / 100));
}

/**
 * Leases up to `block` requests of `key`'s window (of `windowMs`, whose limit is `max`) in one
 * statement: the shared counter goes up by `block` (a window that has ended starts again at
 * `block`), and the grant is what of that block was still under `max` — `block`, a part of it,
 * or 0 once the window's allowance is all leased. The counter so holds what has been leased,
 * plus the refused part of at most one claim per process and window; the grants of a window
 * never add up to more than `max`, whichever replicas claimed them (the row lock orders claims).
 *
 * `claimed` is the counter after this claim, `ttl` the milliseconds left in the window.
 */
export async function claimBlock(
  db: Kysely<Database>,
  key: string,
  windowMs: number,
  max: number,
  block: number,
): Promise<{ granted: number; claimed: number; ttl: number }> {
  const window = sql<Date>`now() + make_interval(secs => ${windowMs / 1000})`;
  const expired = sql<boolean>`rate_limit_hits.expires_at <= now()`;
  const row = await db
    .insertInto('rate_limit_hits')
    .values({ key, count: block, expires_at: window })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when ${expired} then ${block}::int else rate_limit_hits.count + ${block}::int end`,
        expires_at: sql<Date>`case when ${expired} then ${window} else rate_limit_hits.expires_at end`,
      }),
    )
    .returning(['count', sql<string>`ceil(extract(epoch from expires_at - now()) * 1000)`.as('ttl')])
    .executeTakeFirstOrThrow();
  // The counter before this claim was count - block (the statement added exactly `block`).
  const before = row.count - block;
  const granted = Math.max(0, Math.min(block, max - before));
  return { granted, claimed: row.count, ttl: Math.max(0, Number(row.ttl)) };
}

/** One process's lease of a key's window: what it may still serve without asking PostgreSQL. */
interface Lease {
  /** Requests of the lease not served yet. */
  left: number;
  /** The shared counter after the last claim, at most `max`: leased by every replica together. */
  claimed: number;
  /** When the window ends, on this process's clock (`Date.now()` + the ttl PostgreSQL gave). */
  endsAt: number;
  /** The window's allowance is all leased: once `left` is 0, refuse until `endsAt` without asking. */
  spent: boolean;
}

/**
 * The PostgreSQL store as the constructor the plugin takes (`store`), bound to the database: a
 * leased budget per key (`claimBlock`). A request is served from this process's lease while it
 * lasts; when it is used up (or its window has ended) one claim leases the next block — requests
 * of the same key arriving meanwhile wait for that claim rather than making their own. Once the
 * window's allowance is all leased, the process refuses the key until the window ends, without
 * asking again.
 *
 * What the plugin is told (its `current`, whence X-RateLimit-Remaining = max - current) is the
 * shared counter as of this process's last claim, less what is left of its own lease: exact with
 * one replica or a block of 1; with several replicas, blocks other replicas leased but have not
 * served yet count as used, so Remaining may be lower than the truth by up to one block per other
 * replica, and a request may be refused while another replica still holds unused budget (never
 * the reverse: no more than `max` requests are served per window across all replicas).
 *
 * A database error goes to the callback (the plugin wraps it in `failOpen`); nothing is cached
 * from a failed claim. `continueExceeding` and `exponentialBackoff` are not implemented (the
 * service uses neither).
 */
export function postgresStore(
  db: Kysely<Database>,
  options: { readonly leasePercent: number },
): new (
  options: FastifyRateLimitOptions,
) => RateLimitStore {
  return class PostgresRateLimitStore implements RateLimitStore {
    private readonly leases = new Map<string, Lease>();
    private readonly claims = new Map<string, Promise<void>>();
    /** Leases are dropped when their window has ended and the map has grown past this. */
    private sweepAbove = 1_000;

    constructor(
      _options: FastifyRateLimitOptions,
      /** Put before every key: empty, or the route of a route with a limit of its own (`child`). */
      readonly prefix = '',
    ) {}

    incr(key: string, callback: Callback, timeWindow: number, max: number): void {
      this.take(this.prefix + key, timeWindow, max).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }

    private async take(
      key: string,
      windowMs: number,
      max: number,
    ): Promise<{ current: number; ttl: number }> {
      for (;;) {
        const lease = this.leases.get(key);
        const now = Date.now();
        if (lease && now < lease.endsAt) {
          if (lease.left > 0) {
            lease.left--;
            return { current: Math.max(1, lease.claimed - lease.left), ttl: lease.endsAt - now };
          }
          if (lease.spent) return { current: max + 1, ttl: lease.endsAt - now };
        } else if (lease) {
          this.leases.delete(key);
        }
        let claim = this.claims.get(key);
        if (!claim) {
          claim = this.claim(key, windowMs, max).finally(() => this.claims.delete(key));
          this.claims.set(key, claim);
        }
        await claim;
      }
    }

    private async claim(key: string, windowMs: number, max: number): Promise<void> {
      const block = leaseBlockSize(max, options.leasePercent);
      const { granted, claimed, ttl } = await claimBlock(db, key, windowMs, max, block);
      const now = Date.now();
      if (this.leases.size > this.sweepAbove) {
        for (const [k, l] of this.leases) if (l.endsAt <= now) this.leases.delete(k);
        this.sweepAbove = Math.max(1_000, this.leases.size * 2);
      }
      // A claim is made only when the lease is used up (claims of a key are one at a time), so
      // nothing is left of the previous one. ttl 0: the window ended as it was claimed; the next
      // request claims a new one.
      this.leases.set(key, {
        left: granted,
        claimed: Math.min(max, claimed),
        endsAt: now + ttl,
        spent: claimed >= max,
      });
    }

    read(key: string, callback: Callback): void {
      readHits(db, this.prefix + key).then(
        (result) => callback(null, result),
        (error: Error) => callback(error),
      );
    }

    child(childOptions: ChildOptions & FastifyRateLimitOptions): RateLimitStore {
      return new PostgresRateLimitStore(childOptions, childPrefix(this.prefix, childOptions));
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
