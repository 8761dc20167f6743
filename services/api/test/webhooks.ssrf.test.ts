/**
 * Webhooks as the operator runs them by default (SPARRING_WEBHOOK_ALLOW_PRIVATE unset): endpoint
 * URLs that are or resolve to loopback, private, link-local, unique-local or multicast addresses are
 * refused with a 4xx problem, on REST and GraphQL, at creation and update. And the service's own
 * log (debug level, as configured in production) never carries a signing secret.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import t from '@sparring/test-workers/tap';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createTenant } from '../src/tenants/tenant.repository.js';
import { deliverDueWebhooks, dispatchWebhookEvents } from '../src/webhooks/webhook.delivery.js';
import { createWebhookEndpoint } from '../src/webhooks/webhook.service.js';
import { api } from './helpers/api.js';
import { gql } from './helpers/build.js';
import { startReceiver } from './helpers/webhook-receiver.js';

/** The app with the production logger (debug level) writing into `lines`; PGlite or a fresh PostgreSQL database. */
async function appWithLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const base = process.env.DATABASE_URL || undefined;
  let url: string | undefined;
  let drop = async () => {};
  if (base) {
    const name = `sparring_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const target = new URL(base);
    target.pathname = `/${name}`;
    url = target.toString();
    drop = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig({
    SPARRING_DATA_DIR: 'memory://',
    LOG_LEVEL: 'debug',
    SPARRING_BACKGROUND_JOBS: 'false',
    SPARRING_RATE_LIMIT_PER_MINUTE: '100000',
    ...(url ? { DATABASE_URL: url } : {}),
  });
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const app = await buildApp(config, { database, logStream: stream });
  await app.ready();
  t.teardown(async () => {
    await app.close();
    await drop();
  });
  return { app, lines, config };
}

const { app, lines, config } = await appWithLogs();
const { tenant, adminKey } = await createTenant(app.db, { name: 'SSRF' });
const auth = { authorization: `Bearer ${adminKey}` };

const REFUSED = [
  ['http://127.0.0.1:8080/hooks', 'loopback'],
  ['http://127.9.9.9/hooks', 'loopback'],
  ['http://2130706433/hooks', 'loopback'], // 127.0.0.1 written as one number
  ['http://10.0.0.5/hooks', 'private'],
  ['https://192.168.1.10/hooks', 'private'],
  ['http://172.16.0.1/hooks', 'private'],
  ['http://169.254.169.254/latest/meta-data', 'linkLocal'],
  ['http://[::1]/hooks', 'loopback'],
  ['http://[::ffff:127.0.0.1]/hooks', 'loopback'],
  ['http://[fe80::1]/hooks', 'linkLocal'],
  ['http://[fd12:3456::1]/hooks', 'uniqueLocal'],
  ['http://224.0.0.1/hooks', 'multicast'],
  ['http://0.0.0.0/hooks', 'unspecified'],
  ['http://100.64.0.1/hooks', 'carrierGradeNat'],
  ['http://localhost:3000/hooks', 'loopback'], // a host name that resolves to loopback
] as const;

t.test(
  'REST: private, loopback, link-local, unique-local and multicast targets are refused (400)',
  async (t) => {
    t.equal(
      config.webhookAllowPrivate,
      false,
      'private addresses are refused unless the operator allows them',
    );
    for (const [url, range] of REFUSED) {
      const res = await api(app, auth).post('/v1/webhook-endpoints', { url });
      t.equal(res.statusCode, 400, url);
      t.equal(res.json().code, 'webhook_url_not_allowed', url);
      t.equal(res.json().range, range, `${url} is ${range}`);
      t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    const unresolvable = await api(app, auth).post('/v1/webhook-endpoints', {
      url: 'https://hooks.does-not-exist.invalid/x',
    });
    t.equal(unresolvable.statusCode, 400);
    t.equal(unresolvable.json().code, 'webhook_url_unresolvable');

    // A public address is accepted; changing it to a private one is refused the same way.
    const ok = await api(app, auth).post('/v1/webhook-endpoints', { url: 'https://93.184.215.14/hooks' });
    t.equal(ok.statusCode, 201);
    const patched = await api(app, auth).patch(`/v1/webhook-endpoints/${ok.json().id}`, {
      url: 'http://10.1.2.3/',
    });
    t.equal(patched.statusCode, 400);
    t.equal(patched.json().code, 'webhook_url_not_allowed');
    const count = await api(app, auth).get('/v1/webhook-endpoints');
    t.equal(count.json().data.length, 1, 'nothing refused was stored');
    t.equal(count.json().data[0].url, 'https://93.184.215.14/hooks', 'the refused update changed nothing');
  },
);

t.test('GraphQL: the same refusals with the same codes', async (t) => {
  for (const [url] of REFUSED) {
    const res = await gql(
      app,
      auth,
      `mutation($url: String!) { createWebhookEndpoint(input: { url: $url }) { secret } }`,
      { url },
    );
    t.equal(res.body.errors?.[0]?.extensions.code, 'webhook_url_not_allowed', url);
  }
});

t.test('the log never carries a signing secret: requests, rotation, deliveries', async (t) => {
  const created = await api(app, auth).post('/v1/webhook-endpoints', { url: 'https://93.184.215.14/logged' });
  const rotated = await api(app, auth).post(`/v1/webhook-endpoints/${created.json().id}/rotate-secret`);
  const viaGraphql = await gql(
    app,
    auth,
    `mutation { createWebhookEndpoint(input: { url: "https://93.184.215.14/gql" }) { secret } }`,
  );
  // A delivery, to a receiver on this machine (created past the flag, as a test fixture).
  const receiver = await startReceiver(t);
  const local = await createWebhookEndpoint(
    app.db,
    { kind: 'admin', tenantId: tenant.id, keyId: 'test' },
    { url: receiver.url, eventTypes: ['network.created'] },
    { allowPrivate: true },
  );
  receiver.secrets = [local.secret];
  await api(app, auth).post('/v1/networks', { name: 'Logged network' });
  // The event is visible once no older transaction is open on the server (docs/events.md).
  for (let i = 0; i < 600 && receiver.received.length === 0; i++) {
    await dispatchWebhookEvents(app.db);
    await deliverDueWebhooks(app.db, { timeoutMs: 2000, allowPrivate: true, log: app.log });
    if (receiver.received.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  await receiver.waitFor(1);
  t.same(receiver.failures, []);

  const secrets = [
    created.json().secret,
    rotated.json().secret,
    (viaGraphql.body.data?.createWebhookEndpoint as { secret: string } | undefined)?.secret ?? '',
    local.secret,
  ];
  t.ok(secrets.every((s) => /^whsec_/.test(s)));
  const log = lines.join('');
  t.ok(log.includes('webhook attempt'), 'the delivery was logged (debug)');
  t.ok(log.includes('/v1/webhook-endpoints'), 'the requests were logged');
  for (const secret of secrets) {
    t.notOk(log.includes(secret), 'the secret is not in the log');
    t.notOk(log.includes(secret.slice('whsec_'.length)), 'nor its key');
  }
  t.notOk(log.includes('webhook-signature'), 'nor a signature header');
});
