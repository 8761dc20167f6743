/**
 * The database goes away and comes back. The first test starts its own PostgreSQL 15 cluster (a
 * temporary folder, a free port), builds the app on it, and stops the cluster with
 * `pg_ctl stop -m fast` under load: requests get 503 `service_unavailable` with Retry-After (REST
 * and GraphQL), readiness is 503 and liveness 200, no connection error escapes as an uncaught
 * exception, and after `pg_ctl start` the service answers again without a restart, with every write
 * it acknowledged still there. It runs whatever DATABASE_URL says and skips itself where the
 * PostgreSQL binaries are not installed. The second test (any engine) is the idempotency lease.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import t from '@sparring/test-workers/tap';
import { sql } from 'kysely';
import type { Test } from 'tap';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { isConnectionError } from '../src/db/errors.js';
import { IDEMPOTENCY_LEASE_SECONDS, idempotencyRequestHash } from '../src/http/idempotency.plugin.js';
import { RETRY_AFTER_SECONDS } from '../src/plugins/errors.plugin.js';
import { createTenant, findApiKey } from '../src/tenants/tenant.repository.js';
import { api } from './helpers/api.js';
import { buildTestApp, gql, type TestApp } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const run = promisify(execFile);

/** Debian keeps the server binaries off PATH. */
const PG_BIN = '/usr/lib/postgresql/15/bin';

/** As root the cluster runs as `postgres` (initdb refuses root); otherwise as the current user. */
const asRoot = process.getuid?.() === 0;

function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** Why the cluster test cannot run here, or undefined when it can. */
function whyNoCluster(): string | undefined {
  for (const tool of ['initdb', 'pg_ctl']) {
    if (!existsSync(path.join(PG_BIN, tool))) return `${PG_BIN}/${tool} is not installed`;
  }
  if (asRoot && postgresUser() === undefined) return 'running as root and there is no postgres user';
  return undefined;
}

async function pgTool(tool: string, args: string[]): Promise<void> {
  const binary = path.join(PG_BIN, tool);
  if (asRoot) await run('runuser', ['-u', 'postgres', '--', binary, ...args]);
  else await run(binary, args);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A private PostgreSQL cluster: trust auth, listening on 127.0.0.1 and a socket in its folder. */
async function privateCluster(t: Test) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sparring-pg-'));
  const owner = asRoot ? postgresUser() : undefined;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  const port = await freePort();
  let running = false;
  const cluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async start() {
      await pgTool('pg_ctl', [
        '-D',
        data,
        '-l',
        path.join(dir, 'server.log'),
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
        '-w',
        '-t',
        '60',
        'start',
      ]);
      running = true;
    },
    async stop(mode: 'fast' | 'immediate' = 'fast') {
      await pgTool('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
      running = false;
    },
    /** Stops the cluster if it runs and removes its folder; never throws. */
    async destroy() {
      if (running) await cluster.stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  t.teardown(() => cluster.destroy());
  await pgTool('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '--no-instructions']);
  await cluster.start();
  return cluster;
}

interface Outcome {
  readonly what: string;
  readonly status: number;
  readonly code: string | undefined;
  readonly retryAfter: string | undefined;
  readonly createdId?: string;
}

/** One request of the load, reduced to what the assertions need. */
async function probe(app: TestApp, auth: { authorization: string }, what: string): Promise<Outcome> {
  if (what === 'graphql') {
    const res = await api(app, auth).post('/graphql', { query: '{ leaders(first: 5) { nodes { id } } }' });
    const body = res.json() as { errors?: { extensions?: { code?: string } }[] };
    return {
      what,
      status: res.statusCode,
      code: body.errors?.[0]?.extensions?.code,
      retryAfter: res.headers['retry-after'] as string | undefined,
    };
  }
  const res =
    what === 'create'
      ? await api(app, auth).post('/v1/leaders', leaderBody())
      : await api(app, auth).get('/v1/leaders');
  const body = res.json() as { code?: string; id?: string };
  return {
    what,
    status: res.statusCode,
    code: body.code,
    retryAfter: res.headers['retry-after'] as string | undefined,
    ...(res.statusCode === 201 ? { createdId: body.id } : {}),
  };
}

const noCluster = whyNoCluster();

t.test(
  'the database stops under load and starts again: 503s meanwhile, then recovery without a restart',
  noCluster ? { skip: noCluster } : {},
  async (t) => {
    const cluster = await privateCluster(t);
    const config = loadConfig({
      DATABASE_URL: cluster.url,
      SPARRING_DATA_DIR: 'memory://',
      LOG_LEVEL: 'silent',
      SPARRING_RATE_LIMIT_PER_MINUTE: '100000',
    });
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    const app = await buildApp(config, { database, logger: false });
    t.teardown(() => app.close().catch(() => {}));
    await app.ready();

    // A connection error that escaped would end a real server (close-with-grace exits on it).
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    t.teardown(() => {
      process.off('uncaughtException', onUncaught);
    });

    const { adminKey } = await createTenant(app.db, { name: 'outage' });
    const auth = { authorization: `Bearer ${adminKey}` };
    const before = await api(app, auth).post('/v1/leaders', leaderBody());
    t.equal(before.statusCode, 201, 'a write acknowledged before the outage');
    const acknowledged = [before.json().id as string];

    // A connection checked out and idle when the server ends it: pg emits 'error' on that client
    // alone (the pool does not listen while it is checked out). This is what used to end the process.
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = app.db.connection().execute(async (conn) => {
      await sql`select 1`.execute(conn);
      await released;
      return sql`select 1`.execute(conn).then(
        () => undefined,
        (error: unknown) => error,
      );
    });

    // Load: four callers reading, writing and querying GraphQL until told to stop.
    // The stop comes once every caller has been answered twice (the load is on), and the load ends
    // once every caller has been answered after the stop completed (so each met the stopped database).
    const outcomes: Outcome[] = [];
    let loading = true;
    let stopped = false;
    const kinds = ['list', 'create', 'graphql', 'list'];
    const answered = kinds.map(() => ({ before: 0, after: 0 }));
    let wake = () => {};
    const progress = (done: (a: { before: number; after: number }) => boolean) =>
      new Promise<void>((resolve) => {
        wake = () => {
          if (answered.every(done)) resolve();
        };
        wake();
      });
    const callers = kinds.map(async (what, i) => {
      try {
        while (loading) {
          const afterStop = stopped;
          outcomes.push(await probe(app, auth, what));
          answered[i]![afterStop ? 'after' : 'before']++;
          wake();
        }
      } finally {
        // A caller that failed waits for nothing (Promise.all below reports its error).
        answered[i] = { before: Number.POSITIVE_INFINITY, after: Number.POSITIVE_INFINITY };
        wake();
      }
    });
    await progress((a) => a.before >= 2);
    await cluster.stop('fast');
    stopped = true;
    await progress((a) => a.after >= 1);
    loading = false;
    await Promise.all(callers);
    release();
    const heldError = await held;

    t.ok(isConnectionError(heldError), 'the held connection reports a connection error to its next query');
    t.same(uncaught, [], 'no connection error escaped as an uncaught exception: the process lives');
    const unexpected = outcomes.filter((o) => ![200, 201, 503].includes(o.status));
    t.same(unexpected, [], 'under load every answer is a success or a 503, never a 500');
    const unavailable = outcomes.filter((o) => o.status === 503);
    t.comment(`${outcomes.length} requests under load, ${unavailable.length} of them 503`);
    t.ok(unavailable.length > 0, 'requests after the stop were 503s');
    t.ok(
      unavailable.every(
        (o) => o.code === 'service_unavailable' && o.retryAfter === String(RETRY_AFTER_SECONDS),
      ),
      'every 503 is service_unavailable with Retry-After',
    );
    for (const o of outcomes) if (o.createdId) acknowledged.push(o.createdId);

    // While the database is away.
    const list = await api(app, auth).get('/v1/leaders');
    t.equal(list.statusCode, 503);
    t.equal(list.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(list.headers['retry-after'], String(RETRY_AFTER_SECONDS));
    t.match(list.json(), { code: 'service_unavailable', status: 503, type: '/problems/service_unavailable' });
    t.notMatch(list.body, /ECONNREFUSED|127\.0\.0\.1|stack/, 'no internals in the problem');
    const create = await api(app, auth).post('/v1/leaders', leaderBody());
    t.equal(create.statusCode, 503);
    t.equal(create.headers['retry-after'], String(RETRY_AFTER_SECONDS));
    const graph = await gql(app, auth, '{ leaders(first: 5) { nodes { id } } }');
    t.equal(graph.body.errors?.[0]?.extensions.code, 'service_unavailable', 'GraphQL: the same code');
    t.equal(graph.body.errors?.[0]?.extensions.status, 503);
    const ready = await api(app).get('/health/ready');
    t.equal(ready.statusCode, 503, 'not ready');
    t.equal(ready.headers['retry-after'], String(RETRY_AFTER_SECONDS));
    t.equal(ready.json().code, 'service_unavailable');
    const live = await api(app).get('/health/live');
    t.equal(live.statusCode, 200, 'still live: the process must not be restarted');

    // The database comes back: the service recovers by itself.
    await cluster.start();
    const deadline = Date.now() + 30_000;
    let readyAgain = await api(app).get('/health/ready');
    while (readyAgain.statusCode !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      readyAgain = await api(app).get('/health/ready');
    }
    t.equal(readyAgain.statusCode, 200, 'ready again without a restart');
    for (const id of acknowledged) {
      const read = await api(app, auth).get(`/v1/leaders/${id}`);
      if (read.statusCode !== 200) t.fail(`acknowledged leader ${id} is ${read.statusCode} after the outage`);
    }
    t.pass(`all ${acknowledged.length} acknowledged writes are still there`);
    const after = await api(app, auth).post('/v1/leaders', leaderBody());
    t.equal(after.statusCode, 201, 'writes succeed again');
    const graphAfter = await gql(app, auth, '{ leaders(first: 5) { nodes { id } } }');
    t.equal(graphAfter.body.errors, undefined, 'GraphQL answers again');
    t.same(uncaught, [], 'and nothing escaped on the way back');
  },
);

t.test('an in-progress Idempotency-Key whose request died is taken over after its lease', async (t) => {
  const { app } = await buildTestApp(t);
  const { tenant, adminKey } = await createTenant(app.db, { name: 'lease' });
  const auth = { authorization: `Bearer ${adminKey}` };
  const principal = (await findApiKey(app.db, adminKey))!.id;

  /** The row a request leaves when its process dies before it answers, started `ageSeconds` ago. */
  const abandoned = async (key: string, body: object, ageSeconds: number) =>
    app.db
      .insertInto('idempotency_keys')
      .values({
        tenant_id: tenant.id,
        principal,
        key,
        request_hash: idempotencyRequestHash('POST', '/v1/leaders', body),
        state: 'in_progress',
        created_at: sql<Date>`now() - make_interval(secs => ${ageSeconds})`,
      })
      .execute();
  const post = (key: string, body: object) =>
    api(app, auth).post('/v1/leaders', body, { headers: { 'idempotency-key': key } });

  const stale = leaderBody();
  await abandoned('died-long-ago', stale, IDEMPOTENCY_LEASE_SECONDS + 5);
  const retried = await post('died-long-ago', stale);
  t.equal(retried.statusCode, 201, 'the retry after the lease takes the key over and completes');
  const replayed = await post('died-long-ago', stale);
  t.equal(replayed.statusCode, 201);
  t.equal(replayed.headers['idempotent-replayed'], 'true', 'and its response is kept for replay');
  t.equal(replayed.json().id, retried.json().id);

  const recent = leaderBody();
  await abandoned('still-running', recent, 1);
  const early = await post('still-running', recent);
  t.equal(early.statusCode, 409, 'within the lease the first request still holds the key');
  t.equal(early.json().code, 'idempotency_request_in_progress');

  await abandoned('died-other-body', leaderBody(), IDEMPOTENCY_LEASE_SECONDS + 5);
  const other = await post('died-other-body', leaderBody());
  t.equal(other.statusCode, 422, 'an expired lease is taken over only by the same request');
  t.equal(other.json().code, 'idempotency_key_reused');
});
