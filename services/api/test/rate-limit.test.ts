/**
 * The rate limit: per key, shared by every replica (PostgreSQL by default, Redis with REDIS_URL),
 * health probes never counted, a Redis outage fails open with a warning. "Another replica" here
 * is a second app on the same database (and the same Redis); test/replicas.test.ts runs real
 * processes. PGlite or DATABASE_URL; the Redis tests need REDIS_URL or a Redis on 127.0.0.1:6379.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import t, { type Test } from 'tap';
import { buildApp } from '../src/app.js';
import { hashSecret } from '../src/auth/secret.js';
import { type Config, ConfigError, loadConfig } from '../src/config.js';
import { StoreFailureLog, WARN_EVERY_MS } from '../src/http/rate-limit.store.js';
import { api } from './helpers/api.js';
import { buildTestApp, type TestContext } from './helpers/build.js';
import { REDIS_URL, redisReachable } from './helpers/redis.js';

/**
 * Another replica: an app of its own on the test's database (not closing it), with `config`
 * changes; its log lines (JSON) collected in `lines`.
 */
async function replica(t: Test, ctx: TestContext, changes: Partial<Config>) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const app = await buildApp(
    { ...ctx.config, logLevel: 'warn', ...changes },
    { database: { ...ctx.app.database, close: async () => {} }, logStream: stream },
  );
  await app.ready();
  t.teardown(() => app.close());
  return { app, lines };
}

const hitsOf = (ctx: TestContext, authorization: string) =>
  ctx.app.db
    .selectFrom('rate_limit_hits')
    .select(['count', 'expires_at'])
    .where('key', '=', hashSecret(authorization))
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
  t.equal((await hitsOf(ctx, a.auth.authorization))?.count, 5, 'the probes did not count');
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
  t.equal(row?.count, 5);
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
  t.equal((await hitsOf(ctx, auth.authorization))?.count, 12, 'no increment lost to a race');
});

t.test('an ended window starts again at 1; the sweep deletes ended windows only', async (t) => {
  const { auth } = await ctx.tenant();
  for (let i = 0; i < 4; i++) await api(ctx.app, auth).get('/v1/leaders');
  t.equal((await api(ctx.app, auth).get('/v1/leaders')).statusCode, 429);
  await ctx.app.db
    .updateTable('rate_limit_hits')
    .set({ expires_at: sql<Date>`now() - interval '1 second'` })
    .where('key', '=', hashSecret(auth.authorization))
    .execute();
  const again = await api(ctx.app, auth).get('/v1/leaders');
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
  t.ok(keys.includes(hashSecret(live.auth.authorization)), 'an open window is kept');
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
    t.equal(await redis.get(`${prefix}${hashSecret(auth.authorization)}`), '4', 'counted under the prefix');
    t.equal(await hitsOf(ctx, auth.authorization), undefined, 'not in the database');
    await redis.del(`${prefix}${hashSecret(auth.authorization)}`);
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
