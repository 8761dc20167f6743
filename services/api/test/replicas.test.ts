/**
 * Two replicas: two service processes (`node --import tsx src/server.ts`, as in production) on
 * one PostgreSQL database, started together on a database with no bootstrap tenant yet. They
 * limit requests together (the 11th request of a key is a 429 on either), run a scheduled task
 * once between them, share member sessions and CSRF secrets (a sign-in started on one replica
 * finishes on the other, its cookie works on both), and a formation run queued on a replica that
 * is killed is run by the other. Needs DATABASE_URL (PGlite is one process's database).
 *
 * With a Redis (REDIS_URL, else 127.0.0.1:6379), the rate limit is checked again with the Redis
 * store, under a key prefix of this run's own; that part runs on PGlite too (each process its own
 * embedded database: only Redis is shared).
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from '@sparring/test-workers/tap';
import { Redis } from 'ioredis';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Test } from 'tap';
import { bearerHash } from '../src/auth/credential.js';
import { hashSecret } from '../src/auth/secret.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { Database } from '../src/db/schema.js';
import { generateApiKey } from '../src/tenants/api-key.js';
import { createTenant, insertApiKey } from '../src/tenants/tenant.repository.js';
import { leaderBody } from './helpers/fixtures.js';
import { REDIS_URL, redisReachable } from './helpers/redis.js';
import {
  envWithout,
  type ServiceProcess,
  SOURCE_SERVER_ARGS,
  startServiceProcess,
} from './helpers/service-process.js';

const ADMIN_KEY = `sk_replicas_${randomBytes(12).toString('hex')}`;
const ADMIN = { authorization: `Bearer ${ADMIN_KEY}` };
const LIMIT = 10;

interface Replica extends ServiceProcess {
  readonly name: string;
}

/** Waits until `check` is true, polling; fails after `ms` with `what`. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts a service process with `env`; resolves when /health/ready answers 200. */
async function startReplica(t: Test, name: string, env: Record<string, string>): Promise<Replica> {
  const replica = await startServiceProcess({
    name,
    args: SOURCE_SERVER_ARGS,
    env: {
      ...envWithout(
        'DATABASE_URL',
        'REDIS_URL',
        'SMTP_URL',
        'SPARRING_RATE_LIMIT_STORE',
        'SPARRING_PUBLIC_URL',
      ),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SPARRING_BOOTSTRAP_ADMIN_KEY: ADMIN_KEY,
      SPARRING_RATE_LIMIT_PER_MINUTE: String(LIMIT),
      SPARRING_BACKGROUND_JOBS: 'true',
      SPARRING_SCHEDULER_POLL_MS: '100',
      ...env,
    },
  });
  t.teardown(() => replica.stop());
  return Object.assign(replica, { name });
}

/** A database of its own on the server of DATABASE_URL, dropped after the test. */
async function freshDatabase(t: Test, base: string): Promise<string> {
  const name = `sparring_replicas_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A PGlite data folder with the schema migrated (removed after the test). */
async function migratedPgliteDir(t: Test): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sparring-replicas-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const handle = await openDatabase({ url: undefined, dataDir: path.join(dir, 'template') });
  await migrateToLatest(handle.db);
  await handle.close();
  return path.join(dir, 'template');
}

let copies = 0;
/** A copy of a closed PGlite data folder, next to it (removed with it). */
async function copyOf(dir: string): Promise<string> {
  const copy = `${dir}-${++copies}`;
  await cp(dir, copy, { recursive: true });
  return copy;
}

/** 10 requests of one key split over both replicas pass; the 11th and 12th are refused on each. */
async function checkSharedLimit(t: Test, a: Replica, b: Replica) {
  const statuses: number[] = [];
  for (let i = 0; i < LIMIT + 2; i++) {
    const replica = i % 2 ? b : a;
    statuses.push((await fetch(`${replica.url}/v1/leaders?limit=1`, { headers: ADMIN })).status);
  }
  t.same(
    statuses,
    [...Array(LIMIT).fill(200), 429, 429],
    `${LIMIT} served across both, then 429 on A and on B`,
  );
  const limited = await fetch(`${a.url}/v1/leaders`, { headers: ADMIN });
  t.equal(((await limited.json()) as { code: string }).code, 'rate_limited');
  t.ok(limited.headers.get('retry-after'), 'with Retry-After');
  for (const replica of [a, b]) {
    const probe = await fetch(`${replica.url}/health/ready`, { headers: ADMIN });
    t.equal(probe.status, 200, `${replica.name}: the readiness probe is never limited`);
  }
}

/** The cookies a response sets, as `name=value` pairs. */
const cookiesOf = (res: Response) =>
  Object.fromEntries(
    res.headers.getSetCookie().map((c) => {
      const pair = c.split(';')[0] as string;
      return [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
    }),
  );
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

const base = process.env.DATABASE_URL;
const redisUp = await redisReachable();

t.test(
  'two replicas on one PostgreSQL database',
  base ? {} : { skip: 'needs DATABASE_URL: PGlite is the database of one process, replicas need PostgreSQL' },
  async (t) => {
    if (!base) return;
    const databaseUrl = await freshDatabase(t, base);

    // The schema and what the test needs before the replicas start: a tenant with an idempotency
    // key older than a day (for the sweep). The bootstrap tenant is left to the replicas.
    const handle = await openDatabase({ url: databaseUrl, dataDir: 'memory://' });
    t.teardown(() => handle.close());
    const db: Kysely<Database> = handle.db;
    await migrateToLatest(db);
    const { tenant } = await createTenant(db, { name: 'Replicas' });
    await db
      .insertInto('idempotency_keys')
      .values({
        tenant_id: tenant.id,
        principal: 'old-caller',
        key: 'expired',
        request_hash: 'x',
        state: 'completed',
        created_at: sql<Date>`now() - interval '25 hours'`,
      })
      .execute();
    /** A fresh admin key of the tenant per request: setup requests stay clear of the limit of 10. */
    const freshAuth = async () => {
      const key = generateApiKey();
      await insertApiKey(db, tenant.id, key, 'admin', 'replicas test');
      return { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    };

    const env = { DATABASE_URL: databaseUrl, SPARRING_RATE_LIMIT_STORE: 'postgres' };
    const [a, b] = await Promise.all([startReplica(t, 'A', env), startReplica(t, 'B', env)]);

    t.test('both started together: one bootstrap tenant', async (t) => {
      const keys = await db
        .selectFrom('api_keys')
        .select('tenant_id')
        .where('key_hash', '=', hashSecret(ADMIN_KEY))
        .execute();
      t.equal(keys.length, 1);
    });

    t.test('the rate limit is counted once for both (PostgreSQL)', async (t) => {
      await checkSharedLimit(t, a, b);
      const row = await db
        .selectFrom('rate_limit_hits')
        .select('count')
        .where('key', '=', bearerHash(ADMIN.authorization)!)
        .executeTakeFirst();
      // The counter holds what the replicas leased (one request at a time for a limit of 10):
      // the 10 served, plus at most one refused claim per replica; refusals after that are
      // answered from each replica's own knowledge that the window is spent.
      t.ok(
        row && row.count >= LIMIT && row.count <= LIMIT + 2,
        `one counter in the database (${row?.count})`,
      );
    });

    t.test('a member signs in across replicas: CSRF and session work on both', async (t) => {
      const leader = leaderBody();
      const created = await fetch(`${a.url}/v1/leaders`, {
        method: 'POST',
        headers: await freshAuth(),
        body: JSON.stringify(leader),
      });
      t.equal(created.status, 201);

      // The form from A, posted to B: B accepts A's CSRF token (the secret is in the browser's cookie).
      const page = await fetch(`${a.url}/m/sign-in`);
      const csrf = cookiesOf(page).sparring_csrf as string;
      t.ok(csrf, 'A set the CSRF cookie');
      const token = csrfIn(await page.text());
      const requested = await fetch(`${b.url}/m/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `sparring_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ _csrf: token, email: leader.email }),
      });
      t.equal(requested.status, 303, 'B took the sign-in request');
      let link = '';
      await until('the sign-in mail in B’s log', () => {
        const mail = b.lines.find((l) => l.mail_not_sent && JSON.stringify(l).includes(leader.email));
        link = /\/m\/sign-in\/([A-Za-z0-9_-]+)/.exec(JSON.stringify(mail ?? ''))?.[1] ?? '';
        return link !== '';
      });

      // The link opened on A (B mailed it), its button pressed on A: the session cookie is A's.
      const confirm = await fetch(`${a.url}/m/sign-in/${link}`, {
        headers: { cookie: `sparring_csrf=${csrf}` },
      });
      t.equal(confirm.status, 200);
      const signedIn = await fetch(`${a.url}/m/sign-in/${link}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `sparring_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ _csrf: csrfIn(await confirm.text()) }),
      });
      t.equal(signedIn.status, 303);
      const session = cookiesOf(signedIn).sparring_session as string;
      t.ok(session, 'A set the session cookie');
      const cookie = `sparring_session=${session}; sparring_csrf=${csrf}`;

      const onB = await fetch(`${b.url}/m/`, { redirect: 'manual', headers: { cookie } });
      t.equal(onB.status, 200, 'B knows the session A opened');
      const overview = await onB.text();
      t.match(overview, /action="\/m\/sign-out"/, 'signed in: the page offers to sign out');

      // Signed out on B: A no longer accepts the cookie either.
      const out = await fetch(`${b.url}/m/sign-out`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ _csrf: csrfIn(overview) }),
      });
      t.equal(out.status, 303);
      const onA = await fetch(`${a.url}/m/`, { redirect: 'manual', headers: { cookie } });
      t.equal(onA.status, 303, 'A sends the signed-out member to sign in');
      t.match(onA.headers.get('location') ?? '', /\/m\/sign-in/);
    });

    t.test('a formation run queued on a replica that is killed is run by the other', async (t) => {
      for (let i = 0; i < 12; i++) {
        const res = await fetch(`${b.url}/v1/leaders`, {
          method: 'POST',
          headers: await freshAuth(),
          body: JSON.stringify(
            leaderBody({ organisation: `Org ${i % 5}`, level: ['first_line', 'middle', 'senior'][i % 3] }),
          ),
        });
        t.equal(res.status, 201);
      }
      const start = async (timeBudgetMs: number) => {
        const res = await fetch(`${a.url}/v1/formation-runs`, {
          method: 'POST',
          headers: await freshAuth(),
          body: JSON.stringify({ sizes: { min: 6, max: 6 }, seed: 1, timeBudgetMs }),
        });
        t.equal(res.status, 202);
        return ((await res.json()) as { id: string }).id;
      };
      const status = async (id: string) =>
        (
          await db
            .selectFrom('formation_runs')
            .select('status')
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
        ).status;
      // The first run keeps A busy for 8 s; the second waits in A's queue (in A's memory).
      const first = await start(8000);
      await until('the first run to start', async () => (await status(first)) === 'running');
      const second = await start(200);
      await a.stop('SIGKILL');
      t.pass('A is gone');

      await until(
        'the queued run to finish on B',
        async () => (await status(second)) === 'succeeded',
        60_000,
      );
      t.pass('B ran the run A had queued');

      // The run A died in holds its claim until it is older than ABANDONED_AFTER_MINUTES (the
      // longest a run may take is a minute); made older here, B takes it over and runs it.
      const abandoned = await status(first);
      if (abandoned === 'running') {
        await db
          .updateTable('formation_runs')
          .set({ started_at: sql<Date>`now() - interval '16 minutes'` })
          .where('id', '=', first)
          .execute();
        await until(
          'the abandoned run to finish on B',
          async () => (await status(first)) === 'succeeded',
          60_000,
        );
      }
      t.equal(await status(first), 'succeeded', 'the run A died in is finished too');
    });

    t.test('a scheduled task ran once between the two', async (t) => {
      t.equal(
        await db.selectFrom('idempotency_keys').select('key').where('key', '=', 'expired').executeTakeFirst(),
        undefined,
        'the expired idempotency key is swept',
      );
      const sweeps = [...a.lines, ...b.lines].filter((l) => l.task === 'idempotency-keys-sweep');
      t.equal(sweeps.length, 1, 'one sweep in all, though both poll every 100 ms');
      t.equal(sweeps[0]?.deleted, 1);
      const task = await db
        .selectFrom('scheduled_tasks')
        .select(['next_run_at'])
        .where('name', '=', 'idempotency-keys-sweep')
        .executeTakeFirstOrThrow();
      t.ok(task.next_run_at.getTime() > Date.now() + 50 * 60_000, 'the next run is an hour after the first');
    });
  },
);

t.test(
  'two replicas share the rate limit through Redis',
  redisUp ? {} : { skip: `no Redis at ${REDIS_URL}` },
  async (t) => {
    const prefix = `sparring-replicas-${process.pid}-${randomBytes(4).toString('hex')}:`;
    // Each replica has a database of its own (a fresh PostgreSQL one, else an embedded one, copied
    // from one migrated here so that start-up is quick): only Redis is shared, so only Redis can
    // have counted them together.
    const template = base ? undefined : await migratedPgliteDir(t);
    const env = async () => ({
      REDIS_URL,
      SPARRING_RATE_LIMIT_REDIS_PREFIX: prefix,
      ...(base
        ? { DATABASE_URL: await freshDatabase(t, base) }
        : { SPARRING_DATA_DIR: await copyOf(template as string) }),
    });
    const [a, b] = await Promise.all([startReplica(t, 'A', await env()), startReplica(t, 'B', await env())]);
    await checkSharedLimit(t, a, b);
    const redis = new Redis(REDIS_URL);
    t.teardown(async () => {
      await redis.del(`${prefix}${bearerHash(ADMIN.authorization)!}`);
      await redis.quit();
    });
    t.ok(
      Number(await redis.get(`${prefix}${bearerHash(ADMIN.authorization)!}`)) >= LIMIT + 2,
      'counted in Redis',
    );
    t.ok(
      [...a.lines, ...b.lines].some((l) => l.msg === 'rate limit store connected (redis)'),
      'the replicas log their Redis connection',
    );
  },
);
