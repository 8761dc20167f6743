/**
 * Webhooks across real processes (`node --import tsx src/server.ts`, as `pnpm start` runs it):
 * - the service is killed (SIGKILL) while the receiver holds a delivery open, then restarted on the
 *   same data: the delivery is completed after its claim runs out, and no event is lost;
 * - two service processes on one PostgreSQL (only with DATABASE_URL): each webhook arrives once.
 * Every request the receiver gets is signature-checked with standardwebhooks.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import t from '@sparring/test-workers/tap';
import pg from 'pg';
import type { Test } from 'tap';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { envWithout, SOURCE_SERVER_ARGS, startServiceProcess } from './helpers/service-process.js';
import { startReceiver } from './helpers/webhook-receiver.js';

const key = 'sk_webhook_process_test_key_01';
const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const basePort = 21000 + (process.pid % 10000);
const databaseUrl = process.env.DATABASE_URL || undefined;

/** Where a service process keeps its data: a fresh PostgreSQL database, or a PGlite folder. */
async function freshStorage(t: Test): Promise<Record<string, string>> {
  if (!databaseUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'sparring-webhooks-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    // Created and migrated here, so the service only reopens it (a fresh PGlite folder can take
    // longer than Fastify's 10 s plugin timeout on a loaded machine).
    const handle = await openDatabase({ url: undefined, dataDir: dir });
    await migrateToLatest(handle.db);
    await handle.close();
    return { SPARRING_DATA_DIR: dir };
  }
  const name = `sparring_webhooks_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  t.teardown(async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}

/** Starts a service process; resolves when it answers /health/ready. */
async function startService(t: Test, port: number, storage: Record<string, string>, timeoutMs: number) {
  const service = await startServiceProcess({
    args: SOURCE_SERVER_ARGS,
    port,
    output: 'inherit',
    env: {
      ...envWithout('DATABASE_URL'),
      ...storage,
      SPARRING_BOOTSTRAP_ADMIN_KEY: key,
      SPARRING_WEBHOOK_ALLOW_PRIVATE: 'true',
      SPARRING_WEBHOOK_TIMEOUT_MS: String(timeoutMs),
      SPARRING_SCHEDULER_POLL_MS: '100',
      SPARRING_RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'error',
    },
  });
  t.teardown(() => service.stop('SIGKILL'));
  return { service, base: service.url };
}

async function call(base: string, method: string, url: string, body?: unknown) {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: auth,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

t.test('killed mid-delivery and restarted: every webhook arrives, none is lost', async (t) => {
  const storage = await freshStorage(t);
  const receiver = await startReceiver(t);
  receiver.defaultReply = { hold: true };
  // Timeout 2 s: a claim lasts 2 × 2 + 5 = 9 s, after which the restarted service retries.
  const first = await startService(t, basePort, storage, 2000);
  const endpoint = await call(first.base, 'POST', '/v1/webhook-endpoints', {
    url: receiver.url,
    eventTypes: ['network.created'],
  });
  t.equal(endpoint.status, 201);
  receiver.secrets = [endpoint.json.secret];

  const arrived = receiver.nextRequest();
  const names = ['Ledernetværk Nord', 'Ledernetværk Syd', 'Ledernetværk Øst'];
  for (const name of names) t.equal((await call(first.base, 'POST', '/v1/networks', { name })).status, 201);
  await arrived;
  await first.service.stop('SIGKILL');
  t.pass('killed (SIGKILL) while the receiver held a delivery open');

  receiver.defaultReply = { status: 204 };
  const second = await startService(t, basePort, storage, 2000);
  await receiver.waitFor(names.length, 60_000);
  t.same(receiver.failures, [], 'every signature verified');
  t.same(
    receiver.received.map((r) => r.json.data.name).sort(),
    [...names].sort(),
    'each network.created arrived after the restart',
  );

  // The receiver has the requests before the service has stored their answers: read the log
  // until no delivery is pending any more (a few seconds at most), then it must show all delivered.
  const deliveries = () => call(second.base, 'GET', `/v1/webhook-endpoints/${endpoint.json.id}/deliveries`);
  const statuses = (l: Awaited<ReturnType<typeof call>>) =>
    l.json.data.map((d: { status: string }) => d.status);
  let list = await deliveries();
  for (let waited = 0; statuses(list).includes('pending') && waited < 10_000; waited += 100) {
    await setTimeout(100);
    list = await deliveries();
  }
  t.same(
    statuses(list),
    names.map(() => 'succeeded'),
    'each delivery logged as succeeded',
  );
  const logs = await Promise.all(
    list.json.data.map(
      async (d: { id: string }) => (await call(second.base, 'GET', `/v1/webhook-deliveries/${d.id}`)).json,
    ),
  );
  const interrupted = logs.filter((l) =>
    l.attempts.some((a: { error: string | null }) => /no outcome/.test(a.error ?? '')),
  );
  t.ok(interrupted.length >= 1, 'the attempt cut off by the kill is in the log as one without an outcome');
  for (const l of interrupted)
    t.equal(l.attempts.at(-1).outcome, 'succeeded', 'and the next attempt delivered it');
  await second.service.stop('SIGKILL');
});

t.test(
  'two service processes on one PostgreSQL: each webhook arrives exactly once',
  {
    skip: databaseUrl ? false : 'needs PostgreSQL (DATABASE_URL): PGlite is one process’s embedded database',
  },
  async (t) => {
    const storage = await freshStorage(t);
    const receiver = await startReceiver(t);
    // Slow answers: runs overlap, so both processes claim deliveries at the same time.
    receiver.defaultReply = { status: 204, delayMs: 300 };
    const a = await startService(t, basePort + 1, storage, 5000);
    const b = await startService(t, basePort + 2, storage, 5000);
    const endpoint = await call(a.base, 'POST', '/v1/webhook-endpoints', {
      url: receiver.url,
      eventTypes: ['network.created'],
    });
    receiver.secrets = [endpoint.json.secret];
    const count = 30;
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        call(i % 2 === 0 ? a.base : b.base, 'POST', '/v1/networks', { name: `Netværk ${i + 1}` }),
      ),
    );
    await receiver.waitFor(count, 90_000);
    // Give a duplicate time to show up.
    await setTimeout(3000);
    t.same(receiver.failures, []);
    const ids = receiver.received.map((r) => r.id);
    t.equal(ids.length, count, `${count} webhooks, no more`);
    t.equal(new Set(ids).size, count, 'each webhook-id once');
    const runs = await new pg.Client({ connectionString: storage.DATABASE_URL });
    await runs.connect();
    const { rows } = await runs.query(
      `select count(*)::int as n from webhook_delivery_attempts where outcome = 'succeeded'`,
    );
    await runs.end();
    t.equal(rows[0].n, count, 'one successful attempt per delivery');
    await Promise.all([a.service.stop('SIGKILL'), b.service.stop('SIGKILL')]);
  },
);
