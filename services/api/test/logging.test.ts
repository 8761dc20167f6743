import { Writable } from 'node:stream';
import t from '@sparring/test-workers/tap';
import type { Test } from 'tap';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createTenant } from '../src/tenants/tenant.repository.js';
import { api } from './helpers/api.js';
import { openTemplatePglite } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

/** Builds the app with its own logger (level and redaction as in production) writing JSON lines into an array. */
async function appWithLogs(t: Test) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const config = loadConfig({ SPARRING_DATA_DIR: 'memory://', LOG_LEVEL: 'info' });
  const database = await openTemplatePglite();
  const app = await buildApp(config, { database, logStream: stream });
  t.teardown(() => app.close());
  await app.ready();
  return { app, lines };
}

t.test('logs carry the request id and never the API key', async (t) => {
  const { app, lines } = await appWithLogs(t);
  const { adminKey } = await createTenant(app.db, { name: 'Logged' });
  const res = await api(app, { authorization: `Bearer ${adminKey}` }).get('/v1/leaders', {
    headers: { 'x-request-id': 'req-from-client-1' },
  });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['x-request-id'], 'req-from-client-1', 'a client request id is kept and echoed');
  const text = JSON.stringify(lines);
  t.notMatch(text, adminKey, 'the key never reaches the log');
  const incoming = lines.find((l) => l.msg === 'incoming request') as {
    req: { headers?: Record<string, string> };
    reqId: string;
  };
  t.ok(incoming, 'requests are logged');
  t.equal(incoming.reqId, 'req-from-client-1');
});

t.test('an unexpected failure is a 500 problem without internals, logged in full', async (t) => {
  const { app, lines } = await appWithLogs(t);
  const { adminKey } = await createTenant(app.db, { name: 'Broken' });
  await app.database.db.destroy(); // the database goes away under the service
  const res = await api(app, { authorization: `Bearer ${adminKey}` }).get('/v1/leaders');
  t.equal(res.statusCode, 500);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.same(Object.keys(res.json()).sort(), ['code', 'instance', 'requestId', 'status', 'title', 'type']);
  t.equal(res.json().code, 'internal_error');
  t.notMatch(res.body, /driver|destroy|stack|\.ts/i, 'no internals in the response');
  t.ok(
    lines.some((l) => l.level === 50 && (l.err as { stack?: string })?.stack),
    'the full error is in the log',
  );
});

t.test('credentials are redacted wherever a log line carries request headers', async (t) => {
  const { app, lines } = await appWithLogs(t);
  const headers = { authorization: 'Bearer sk_secret', cookie: 'c=secret', 'idempotency-key': 'k-secret' };
  const redacted = { authorization: '[Redacted]', cookie: '[Redacted]', 'idempotency-key': '[Redacted]' };
  app.log.info({ headers }, 'own');
  app.log.info({ request: { method: 'GET', headers } }, 'nested');
  t.same((lines.find((l) => l.msg === 'own') as { headers: unknown }).headers, redacted);
  t.same(
    (lines.find((l) => l.msg === 'nested') as { request: { headers: unknown } }).request.headers,
    redacted,
  );
  t.notMatch(JSON.stringify(lines), /secret/);
});

t.test('minting and revoking a member token is audited in the log, never the token', async (t) => {
  const { app, lines } = await appWithLogs(t);
  const { adminKey } = await createTenant(app.db, { name: 'Audited' });
  const auth = { authorization: `Bearer ${adminKey}` };
  const leader = await api(app, auth).post('/v1/leaders', leaderBody());
  const leaderId = leader.json().id as string;
  const minted = await api(app, auth).post(`/v1/leaders/${leaderId}/member-tokens`, {});
  t.equal(minted.statusCode, 201);
  const { id, token } = minted.json() as { id: string; token: string };
  const revoked = await api(app, auth).delete(`/v1/member-tokens/${id}`);
  t.equal(revoked.statusCode, 204);
  t.match(
    lines.find((l) => l.audit === 'member_token_minted'),
    { leaderId, tokenId: id },
  );
  t.match(
    lines.find((l) => l.audit === 'member_token_revoked'),
    { tokenId: id },
  );
  t.notMatch(JSON.stringify(lines), token, 'the token itself is never logged');
});
