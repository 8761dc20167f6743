/**
 * The API-key cache (auth.plugin.ts): a valid key is taken on trust for API_KEY_CACHE_MS, so a
 * revoked key is refused within a second — on every replica, since each keeps only its own
 * short-lived copy — and an unknown key is never remembered.
 */

import t from '@sparring/test-workers/tap';
import { API_KEY_CACHE_MS, ApiKeyCache } from '../src/plugins/auth.plugin.js';
import { generateApiKey } from '../src/tenants/api-key.js';
import { insertApiKey } from '../src/tenants/tenant.repository.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';

// The rate limit counts in memory here: on PostgreSQL its store leases a block with a key's first
// request (a statement the second request does not send), which would blur the count of key lookups.
const ctx = await buildTestApp(t, { SPARRING_RATE_LIMIT_STORE: 'memory' });
const { app } = ctx;

/** The number of statements one request sends to the database. */
async function statementsOf(authorization: string) {
  const before = app.database.queries.count;
  const res = await api(app, { authorization }).get('/v1/leaders');
  return { status: res.statusCode, statements: app.database.queries.count - before };
}

t.test('a key used again within the second is not looked up again', async (t) => {
  // The second request must come within the cache's second of the first; on a machine loaded
  // enough to stretch a pair past it, a new key is tried (a few times, then the test fails).
  for (let attempt = 1; ; attempt++) {
    const { auth } = await ctx.tenant();
    const started = Date.now();
    const first = await statementsOf(auth.authorization);
    const second = await statementsOf(auth.authorization);
    t.equal(first.status, 200);
    t.equal(second.status, 200);
    if (Date.now() - started < API_KEY_CACHE_MS || attempt === 5) {
      t.equal(first.statements - second.statements, 1, 'the second request skips exactly the key lookup');
      break;
    }
  }
});

t.test('a revoked key is refused within a second', async (t) => {
  t.equal(API_KEY_CACHE_MS, 1_000, 'the documented bound');
  const { tenantId, auth } = await ctx.tenant();
  t.equal((await statementsOf(auth.authorization)).status, 200, 'the key works (and is now cached)');
  // Revoked in the database directly, as another replica or an operator would.
  await app.db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .execute();
  const revokedAt = Date.now();
  // The property under test is time itself: one cache lifetime after the revocation, the key is dead.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, revokedAt + API_KEY_CACHE_MS - Date.now())));
  const res = await api(app, auth).get('/v1/leaders');
  t.equal(res.statusCode, 401, 'refused one second after the revocation');
  t.equal(res.json().code, 'unauthorized');
  const graphql = await api(app, auth).post('/graphql', { query: '{ apiVersion }' });
  t.equal(graphql.statusCode, 401, 'GraphQL too');
});

t.test('an unknown key is not remembered: it works as soon as it exists', async (t) => {
  const { tenantId } = await ctx.tenant();
  const key = generateApiKey();
  t.equal((await statementsOf(`Bearer ${key}`)).status, 401, 'unknown');
  await insertApiKey(app.db, tenantId, key, 'admin', 'second key');
  t.equal((await statementsOf(`Bearer ${key}`)).status, 200, 'valid at once, no negative caching');
});

t.test('the cache: an entry lives ttl from when it was asked for, and never with ttl 0', async (t) => {
  let now = 10_000;
  const principal = { kind: 'admin', tenantId: 't', keyId: 'k' } as const;
  const cache = new ApiKeyCache(1_000, () => now);
  cache.set('h', principal, 9_500);
  t.same(cache.get('h'), principal, 'within its second');
  now = 10_499;
  t.same(cache.get('h'), principal, 'still');
  now = 10_500;
  t.equal(cache.get('h'), undefined, 'gone at asked-at + ttl, whenever the answer arrived');
  t.equal(cache.get('h'), undefined, 'and stays gone');
  const off = new ApiKeyCache(0, () => now);
  off.set('h', principal, now);
  t.equal(off.get('h'), undefined, 'ttl 0 keeps nothing');
});
