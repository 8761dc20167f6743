/**
 * The rate limit: per key, shared by every replica (PostgreSQL by default, Redis with REDIS_URL),
 * health probes never counted, a Redis outage fails open with a warning. "Another replica" here
 * is a second app on the same database (and the same Redis); test/replicas.test.ts runs real
 * processes. On PostgreSQL each process leases blocks of a window's allowance (10 % of the limit,
 * at least 1: a limit of 3 is leased one request at a time, so the counts below are exact). PGlite or DATABASE_URL; the Redis tests need REDIS_URL or a Redis on 127.0.0.1:6379.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import t from '@sparring/test-workers/tap';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { InsertQueryNode, type KyselyPlugin, sql } from 'kysely';
import type { Test } from 'tap';
import { buildApp } from '../src/app.js';
import { bearerHash } from '../src/auth/credential.js';
import { type Config, ConfigError, loadConfig } from '../src/config.js';
import {
  leaseBlockSize,
  postgresStore,
  StoreFailureLog,
  WARN_EVERY_MS,
} from '../src/http/rate-limit.store.js';
import { api } from './helpers/api.js';
import { buildTestApp, type TestContext } from './helpers/build.js';
import { REDIS_URL, redisReachable } from './helpers/redis.js';

/** Counts the statements that write `rate_limit_hits` (the store's claims) on a database handle. */
function claimCounter() {
  const counter = {
    claims: 0,
    plugin: {
      transformQuery({ node }) {
        if (InsertQueryNode.is(node) && node.into?.table.identifier.name === 'rate_limit_hits')
          counter.claims++;
        return node;
      },
      transformResult: async ({ result }) => result,
    } satisfies KyselyPlugin,
  };
  return counter;
}

/**
 * Another replica: an app of its own on the test's database (not closing it), with `config`
 * changes; its log lines (JSON) collected in `lines`, its claims on the counter in `claims()`.
 */
async function replica(t: Test, ctx: TestContext, changes: Partial<Config>) {
  const counter = claimCounter();
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = await buildApp(
    { ...ctx.config, logLevel: 'warn', ...changes },
    {
      database: {
        ...ctx.app.database,
        db: ctx.app.database.db.withPlugin(counter.plugin),
        close: async () => {},
      },
      logStream: stream,
    },
  );
  await app.ready();
  t.teardown(() => app.close());
  return { app, lines, claims: () => counter.claims };
}

const hitsOf = (ctx: TestContext, authorization: string) =>
  ctx.app.db
    .selectFrom('rate_limit_hits')
    .select(['count', 'expires_at'])
    .where('key', '=', bearerHash(authorization)!)
    .executeTakeFirst();

// The PostgreSQL store on both databases (on PGlite it is chosen explicitly; memory is its default).
const ctx = await buildTestApp(t, {
  SPARRING_RATE_LIMIT_PER_MINUTE: '3',
  SPARRING_RATE_LIMIT_STORE: 'postgres',
});

t.test('requests over the per-key limit get a 429 problem; another key is not affected', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await api(ctx.app, a.auth).get('/v1/leaders')).statusCode);
  t.same(statuses, [200, 200, 200, 429]);
  const limited = await api(ctx.app, a.auth).get('/v1/leaders');
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(limited.json().code, 'rate_limited');
  t.match(limited.json().detail, /Retry after/);
  t.ok(limited.headers['retry-after'], 'Retry-After tells the client when to come back');
  t.equal((await api(ctx.app, b.auth).get('/v1/leaders')).statusCode, 200, 'limits are per key');
  // Health probes are never counted, so a limited key (or a load balancer) still reaches them.
  for (const url of ['/health/live', '/health/ready']) {
    t.equal((await api(ctx.app, a.auth).get(url)).statusCode, 200, `${url} is not limited`);
  }
  // Three claims of one request each (the third leased the last of the window); the refused
  // requests asked nothing more of the database, nor did the probes.
  t.equal((await hitsOf(ctx, a.auth.authorization))?.count, 3, 'leased: 3; refused and probes: nothing');
});

t.test('the count is in the database: a second replica on it shares the limit', async (t) => {
  t.equal(ctx.config.rateLimitStore, 'postgres');
  const other = await replica(t, ctx, {});
  const { auth } = await ctx.tenant();
  const statuses: number[] = [];
  for (const app of [ctx.app, other.app, ctx.app, other.app, ctx.app])
    statuses.push((await api(app, auth).get('/v1/leaders')).statusCode);
  t.same(statuses, [200, 200, 200, 429, 429], 'the 4th request is refused, whichever replica gets it');
  const row = await hitsOf(ctx, auth.authorization);
  // 3 leased (A, B, A), then B's claim found the window spent (+1, granted nothing); A knew it was
  // spent from its own last claim and did not ask.
  t.equal(row?.count, 4);
  t.ok(row && row.expires_at.getTime() > Date.now(), 'the window is still open');
  t.notOk(JSON.stringify(row).includes(auth.authorization), 'the credential itself is not stored');
});

t.test('simultaneous requests on two replicas are each counted once', async (t) => {
  const other = await replica(t, ctx, {});
  const { auth } = await ctx.tenant();
  const replies = await Promise.all(
    Array.from({ length: 12 }, (_, i) => api(i % 2 ? ctx.app : other.app, auth).get('/v1/leaders')),
  );
  t.equal(replies.filter((r) => r.statusCode === 200).length, 3, 'three served in all');
  // Each claim adds its block (1 here) under the row lock: 3 granted, plus at most one refused
  // claim per replica; a replica's requests waiting on its claim do not claim again.
  const count = (await hitsOf(ctx, auth.authorization))?.count ?? 0;
  t.ok(count >= 3 && count <= 5, `no claim lost to a race, none repeated: ${count}`);
});

t.test('an ended window starts again at 1; the sweep deletes ended windows only', async (t) => {
  const { auth } = await ctx.tenant();
  for (let i = 0; i < 4; i++) await api(ctx.app, auth).get('/v1/leaders');
  t.equal((await api(ctx.app, auth).get('/v1/leaders')).statusCode, 429);
  await ctx.app.db
    .updateTable('rate_limit_hits')
    .set({ expires_at: sql<Date>`now() - interval '1 second'` })
    .where('key', '=', bearerHash(auth.authorization)!)
    .execute();
  // This process knows the window as spent until its own clock ends it (the store's own test of
  // that is below); a replica that has not leased from it yet finds the counter's window ended.
  const other = await replica(t, ctx, {});
  const again = await api(other.app, auth).get('/v1/leaders');
  t.equal(again.statusCode, 200, 'a new window');
  t.equal(again.headers['x-ratelimit-remaining'], '2', 'counted from 1 again');

  const live = await ctx.tenant();
  await api(ctx.app, live.auth).get('/v1/leaders');
  await ctx.app.db
    .insertInto('rate_limit_hits')
    .values({ key: 'ended-window', count: 7, expires_at: sql<Date>`now() - interval '1 minute'` })
    .execute();
  const ran = await ctx.app.scheduler.runDue({ force: true });
  t.ok(ran.includes('rate-limit-sweep'), 'the sweep is a scheduled task');
  const keys = (await ctx.app.db.selectFrom('rate_limit_hits').select('key').execute()).map((r) => r.key);
  t.notOk(keys.includes('ended-window'), 'the ended window is deleted');
  t.ok(keys.includes(bearerHash(live.auth.authorization)!), 'an open window is kept');
});

t.test('the lease block: 10 % of the limit by default, at least 1', async (t) => {
  t.equal(loadConfig({}).rateLimitLeasePercent, 10);
  t.equal(leaseBlockSize(600, 10), 60, 'the default limit: blocks of 60');
  t.equal(leaseBlockSize(3, 10), 1, 'a small limit: one request at a time, exact');
  t.equal(leaseBlockSize(19, 10), 1);
  t.equal(leaseBlockSize(40, 10), 4);
  t.equal(leaseBlockSize(600, 0), 1, '0 %: one request at a time');
  t.equal(leaseBlockSize(7, 100), 7, '100 %: the whole window at once');
  t.throws(() => loadConfig({ SPARRING_RATE_LIMIT_LEASE_PERCENT: '101' }));
});

t.test('leased blocks: two replicas together never serve more than the limit', async (t) => {
  // Blocks of 4 of 40: with 50 requests each, both replicas lease until the window is spent.
  const changes = { rateLimitPerMinute: 40, rateLimitLeasePercent: 10 };
  const a = await replica(t, ctx, changes);
  const b = await replica(t, ctx, changes);
  const { auth } = await ctx.tenant();
  const first = await api(a.app, auth).get('/v1/leaders?limit=1');
  t.equal(first.headers['x-ratelimit-limit'], '40');
  t.equal(first.headers['x-ratelimit-remaining'], '39', 'the block leased, less what is left of it');
  const replies = await Promise.all(
    Array.from({ length: 99 }, (_, i) => api(i % 2 ? a.app : b.app, auth).get('/v1/leaders?limit=1')),
  );
  const served = [first, ...replies].filter((r) => r.statusCode === 200).length;
  t.equal(served, 40, 'the limit across both: every block leased was served, none more');
  const claims = a.claims() + b.claims();
  // 10 blocks granted, plus at most one refused claim per replica.
  t.ok(claims >= 10 && claims <= 12, `one claim per block, not per request: ${claims} for 100`);
  const count = (await hitsOf(ctx, auth.authorization))?.count ?? 0;
  t.ok(count >= 40 && count <= 48, `the counter: 40 leased, plus refused blocks (${count})`);
  const refused = replies.find((r) => r.statusCode === 429);
  t.equal(refused?.headers['x-ratelimit-remaining'], '0');
  t.ok(Number(refused?.headers['x-ratelimit-reset']) > 0, 'reset: the seconds left in the window');
});

t.test('leased blocks: one process writes the counter once per block, not per request', async (t) => {
  const { app, claims } = await replica(t, ctx, { rateLimitPerMinute: 1000, rateLimitLeasePercent: 10 });
  const { auth } = await ctx.tenant();
  const remaining: string[] = [];
  for (let i = 0; i < 120; i++) {
    const reply = await api(app, auth).get('/v1/leaders?limit=1');
    remaining.push(String(reply.headers['x-ratelimit-remaining']));
  }
  t.equal(claims(), 2, '120 requests, blocks of 100: two statements against the counter');
  t.equal((await hitsOf(ctx, auth.authorization))?.count, 200, 'two blocks leased');
  t.same(
    [remaining[0], remaining[99], remaining[100], remaining[119]],
    ['999', '900', '899', '880'],
    'remaining counts down by request, across blocks',
  );
});

t.test('leased blocks: a lease ends with its window, and the next request starts a new one', async (t) => {
  const Store = postgresStore(ctx.app.db, { leasePercent: 50 });
  const store = new Store({});
  const key = `lease-window-${randomBytes(4).toString('hex')}`;
  const incr = (windowMs: number) =>
    new Promise<{ current: number; ttl: number }>((resolve, reject) =>
      store.incr(key, (error, result) => (error || !result ? reject(error) : resolve(result)), windowMs, 2),
    );
  const windowMs = 500;
  const results = [await incr(windowMs), await incr(windowMs), await incr(windowMs)];
  t.same(
    results.map((r) => r.current),
    [1, 2, 3],
    'blocks of 1 (50 % of 2): served, served, refused (current over max 2)',
  );
  const ttl = results[2]?.ttl ?? windowMs;
  t.ok(ttl > 0 && ttl <= windowMs, `the window's time left: ${ttl} ms`);
  // The lease's window ends when the counter's does: wait it out, then a new window is leased.
  await new Promise((resolve) => setTimeout(resolve, ttl + 20));
  t.equal((await incr(windowMs)).current, 1, 'a new window, counted from 1');
  const row = await ctx.app.db
    .selectFrom('rate_limit_hits')
    .select('count')
    .where('key', '=', key)
    .executeTakeFirst();
  t.equal(row?.count, 1, 'the counter started again too');
});

t.test('SPARRING_RATE_LIMIT_STORE=memory counts in the process (one process alone)', async (t) => {
  const { app } = await replica(t, ctx, { rateLimitStore: 'memory' });
  const { auth } = await ctx.tenant();
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) statuses.push((await api(app, auth).get('/v1/leaders')).statusCode);
  t.same(statuses, [200, 200, 200, 429]);
  t.equal(await hitsOf(ctx, auth.authorization), undefined, 'nothing written to the database');
});

const redisUp = await redisReachable();

t.test(
  'with Redis, replicas share the count in Redis',
  redisUp ? {} : { skip: `no Redis at ${REDIS_URL}` },
  async (t) => {
    // A prefix of this run's own, so runs sharing a Redis never count together.
    const prefix = `sparring-test-${process.pid}-${randomBytes(4).toString('hex')}:`;
    const changes = { rateLimitStore: 'redis', redisUrl: REDIS_URL, rateLimitRedisPrefix: prefix } as const;
    const a = await replica(t, ctx, changes);
    const b = await replica(t, ctx, changes);
    const { auth } = await ctx.tenant();
    const statuses: number[] = [];
    for (const app of [a.app, b.app, a.app, b.app])
      statuses.push((await api(app, auth).get('/v1/leaders')).statusCode);
    t.same(statuses, [200, 200, 200, 429]);
    const redis = new Redis(REDIS_URL);
    t.teardown(() => redis.quit());
    t.equal(await redis.get(`${prefix}${bearerHash(auth.authorization)!}`), '4', 'counted under the prefix');
    t.equal(await hitsOf(ctx, auth.authorization), undefined, 'not in the database');
    await redis.del(`${prefix}${bearerHash(auth.authorization)!}`);
  },
);

t.test('Redis unreachable: requests pass unlimited, a warning, the service stays up', async (t) => {
  const started = Date.now();
  // Port 1: nothing listens there, so every connection is refused at once.
  const { app, lines } = await replica(t, ctx, {
    rateLimitStore: 'redis',
    redisUrl: 'redis://127.0.0.1:1',
  });
  const { auth } = await ctx.tenant();
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await api(app, auth).get('/v1/leaders')).statusCode);
  t.same(statuses, [200, 200, 200, 200, 200], 'over the limit of 3, and still served');
  const warnings = lines.filter((l) => String(l.msg).startsWith('rate limit store unavailable'));
  t.ok(warnings.length >= 1, 'the outage is logged');
  // At most one per WARN_EVERY_MS (the exact throttle is tested below with a clock of its own).
  const periods = Math.floor((Date.now() - started) / WARN_EVERY_MS) + 1;
  t.ok(warnings.length <= periods, `not one per request: ${warnings.length} in ${periods} period(s)`);
  t.equal(warnings[0]?.level, 40, 'a warning');
  t.equal((await api(app).get('/health/ready')).statusCode, 200, 'ready: Redis is not needed to serve');
});

t.test('the PostgreSQL store failing lets requests through with a warning', async (t) => {
  const { app, lines } = await replica(t, ctx, {});
  const { auth } = await ctx.tenant();
  // The counters' table gone for a moment: every count fails, as it would with a broken database
  // (a real outage is test/db-outage.test.ts: there the request then meets the outage itself).
  await sql`alter table rate_limit_hits rename to rate_limit_hits_away`.execute(ctx.app.db);
  const statuses: number[] = [];
  try {
    for (let i = 0; i < 5; i++) statuses.push((await api(app, auth).get('/v1/leaders')).statusCode);
  } finally {
    await sql`alter table rate_limit_hits_away rename to rate_limit_hits`.execute(ctx.app.db);
  }
  t.same(statuses, [200, 200, 200, 200, 200], 'over the limit of 3, and still served');
  const warnings = lines.filter((l) => String(l.msg).startsWith('rate limit store unavailable'));
  t.ok(warnings.length >= 1 && warnings.length < 5, `logged, not once per request (${warnings.length})`);
  t.match(warnings[0], { store: 'postgres', level: 40 });
  const counted = await api(app, auth).get('/v1/leaders');
  t.equal(counted.headers['x-ratelimit-remaining'], '2', 'counting resumes with the table back');
});

t.test('store failures are logged once per WARN_EVERY_MS, with the number left out', async (t) => {
  const logged: { fields: Record<string, unknown>; msg: string }[] = [];
  const log = { warn: (fields: Record<string, unknown>, msg: string) => logged.push({ fields, msg }) };
  let now = 1_000_000;
  const failures = new StoreFailureLog(log as unknown as FastifyBaseLogger, 'redis', () => now);
  const error = new Error('connect ECONNREFUSED 127.0.0.1:1');
  failures.failed(error);
  now += WARN_EVERY_MS - 1;
  failures.failed(error);
  failures.failed(error);
  t.equal(logged.length, 1, 'the first failure is logged, the next ones within the period are not');
  now += 1;
  failures.failed(error);
  t.equal(logged.length, 2, 'one more once the period has passed');
  t.match(logged[1]?.fields, { store: 'redis', suppressed: 2, err: { message: error.message } });
  t.notOk('stack' in ((logged[1]?.fields.err as object) ?? {}), 'no stack per failure');
});

t.test('configuration: REDIS_URL picks Redis, is checked, and is never echoed', async (t) => {
  t.equal(loadConfig({}).rateLimitStore, 'memory', 'the embedded database: one process, counted in memory');
  t.equal(
    loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).rateLimitStore,
    'postgres',
    'PostgreSQL without REDIS_URL: replicas share the count in it',
  );
  t.equal(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).rateLimitStore, 'redis');
  t.equal(
    loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', SPARRING_RATE_LIMIT_STORE: 'postgres' }).rateLimitStore,
    'postgres',
  );
  t.throws(() => loadConfig({ SPARRING_RATE_LIMIT_STORE: 'redis' }), /needs REDIS_URL/);
  t.throws(() => loadConfig({ SPARRING_RATE_LIMIT_STORE: 'disk' }), /must be one of redis, postgres, memory/);
  try {
    loadConfig({ REDIS_URL: 'http://user:s3cret@127.0.0.1:6379' });
    t.fail('a non-redis URL is refused');
  } catch (error) {
    t.ok(error instanceof ConfigError);
    t.notMatch((error as Error).message, /s3cret/, 'the password is not in the message');
  }
});
