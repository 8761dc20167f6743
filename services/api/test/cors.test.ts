/**
 * CORS for browser clients, per tenant: the `corsOrigins` setting (REST and GraphQL, refused
 * when malformed), preflights allowed for an origin any tenant lists, actual responses readable
 * only by an origin the caller's own tenant lists, nothing for /m/ or /docs, and the in-memory
 * index of every tenant's origins (reloaded at once after a change here, after its TTL for a
 * change made by another replica, kept when the database is away). PGlite or DATABASE_URL.
 */

import t from '@sparring/test-workers/tap';
import { CORS_CACHE_TTL_MS, CORS_PREFLIGHT_MAX_AGE_S, CorsOriginIndex } from '../src/http/cors.plugin.js';
import { allCorsOrigins, CORS_ORIGINS_MAX } from '../src/tenants/tenant-settings.service.js';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const A_ORIGIN = 'https://hr.acme.example';
const B_ORIGIN = 'https://portal.other.example';
const NOBODY = 'https://evil.example';

const a = await ctx.tenant('Acme HR');
const b = await ctx.tenant('Other HR');

const setOrigins = (auth: { authorization: string }, corsOrigins: string[]) =>
  api(app, auth).patch('/v1/tenant', { corsOrigins });

const preflight = (url: string, origin: string, method = 'POST') =>
  api(app, {
    origin,
    'access-control-request-method': method,
    'access-control-request-headers': 'authorization,content-type,idempotency-key',
  }).send('OPTIONS', url);

const list = (header: unknown) =>
  String(header ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');

t.test('the setting: exact origins, set over REST, read back, empty by default', async (t) => {
  const read = await api(app, a.auth).get('/v1/tenant');
  t.same(read.json().corsOrigins, [], 'no origin by default');
  const set = await setOrigins(a.auth, [A_ORIGIN, 'http://localhost:5173']);
  t.equal(set.statusCode, 200);
  t.same(set.json().corsOrigins, [A_ORIGIN, 'http://localhost:5173']);
  t.same((await api(app, a.auth).get('/v1/tenant')).json().corsOrigins, [A_ORIGIN, 'http://localhost:5173']);
  t.same(
    (await api(app, b.auth).get('/v1/tenant')).json().corsOrigins,
    [],
    "another tenant's list is its own",
  );
  t.equal((await setOrigins(b.auth, [B_ORIGIN])).statusCode, 200);
});

t.test('a malformed list is a 400 problem naming each bad entry, and nothing is stored', async (t) => {
  const bad = await setOrigins(a.auth, [
    '*',
    'https://hr.acme.example/app',
    'http://hr.acme.example',
    'https://HR.acme.example',
    'https://hr.acme.example:443',
    'null',
    'https://user@hr.acme.example',
    A_ORIGIN,
    A_ORIGIN,
  ]);
  t.equal(bad.statusCode, 400);
  t.match(String(bad.headers['content-type']), 'application/problem+json');
  const body = bad.json();
  t.equal(body.code, 'validation_failed');
  t.same(
    body.issues.map((i: { path: string; code: string }) => `${i.path} ${i.code}`),
    [
      'corsOrigins[0] not_allowed',
      'corsOrigins[1] invalid_format',
      'corsOrigins[2] invalid_format',
      'corsOrigins[3] invalid_format',
      'corsOrigins[4] invalid_format',
      'corsOrigins[5] invalid_format',
      'corsOrigins[6] invalid_format',
      'corsOrigins[8] duplicate',
    ],
    'a wildcard, a path, plain http off loopback, upper case, a default port, null, credentials, a duplicate',
  );
  t.ok(body.issues[0].message.da && body.issues[0].message.en, 'guidance in Danish and English');
  const tooMany = Array.from({ length: CORS_ORIGINS_MAX + 1 }, (_, i) => `https://h${i}.example`);
  const long = await setOrigins(a.auth, tooMany);
  t.equal(long.statusCode, 400, `more than ${CORS_ORIGINS_MAX} origins`);
  t.equal(long.json().code, 'validation_failed');
  t.equal((await setOrigins(a.auth, ['https://x.example', 42 as never])).statusCode, 400, 'not a string');
  t.same(
    (await api(app, a.auth).get('/v1/tenant')).json().corsOrigins,
    [A_ORIGIN, 'http://localhost:5173'],
    'the stored list is unchanged',
  );
  const anonymous = await api(app).patch('/v1/tenant', { corsOrigins: [NOBODY] });
  t.equal(anonymous.statusCode, 401, 'without a key: refused');
});

t.test('GraphQL: the same setting and refusals', async (t) => {
  const c = await ctx.tenant('Graph HR');
  const set = await gql(
    app,
    c.auth,
    'mutation($i: TenantSettingsInput!) { updateTenantSettings(input: $i) { corsOrigins } }',
    { i: { corsOrigins: ['https://graph.example', 'http://127.0.0.1:8080'] } },
  );
  t.same(set.body.data, {
    updateTenantSettings: { corsOrigins: ['https://graph.example', 'http://127.0.0.1:8080'] },
  });
  const read = await gql(app, c.auth, '{ tenantSettings { corsOrigins } }');
  t.same(read.body.data, {
    tenantSettings: { corsOrigins: ['https://graph.example', 'http://127.0.0.1:8080'] },
  });
  const bad = await gql(
    app,
    c.auth,
    'mutation { updateTenantSettings(input: { corsOrigins: ["*", "https://graph.example/x"] }) { corsOrigins } }',
  );
  t.equal(bad.body.errors?.[0]?.extensions.code, 'validation_failed');
  t.same(
    bad.body.errors?.[0]?.extensions.issues?.map((i) => i.path),
    ['corsOrigins[0]', 'corsOrigins[1]'],
  );
  const nulled = await gql(
    app,
    c.auth,
    'mutation { updateTenantSettings(input: { corsOrigins: null }) { corsOrigins } }',
  );
  t.same(
    nulled.body.data,
    { updateTenantSettings: { corsOrigins: ['https://graph.example', 'http://127.0.0.1:8080'] } },
    'null changes nothing',
  );
  // The preflight of a tenant's origin set over GraphQL is allowed at once.
  t.equal((await preflight('/graphql', 'https://graph.example')).statusCode, 204);
  await gql(app, c.auth, 'mutation { updateTenantSettings(input: { corsOrigins: [] }) { corsOrigins } }');
  t.equal((await preflight('/graphql', 'https://graph.example')).statusCode, 403, 'and refused once removed');
});

t.test('preflight: allowed for an origin any tenant lists, refused for others', async (t) => {
  for (const [origin, url] of [
    [A_ORIGIN, '/v1/leaders'],
    [B_ORIGIN, '/v1/leaders'],
    [A_ORIGIN, '/graphql'],
    ['http://localhost:5173', '/v1/networks/0190a8b4-0000-7000-8000-000000000000'],
  ] as const) {
    const res = await preflight(url, origin, 'PATCH');
    t.equal(res.statusCode, 204, `${origin} → ${url}`);
    t.equal(res.headers['access-control-allow-origin'], origin, 'the origin is reflected');
    t.ok(list(res.headers['access-control-allow-methods']).includes('patch'));
    t.same(
      ['authorization', 'content-type', 'idempotency-key', 'if-match'].filter(
        (h) => !list(res.headers['access-control-allow-headers']).includes(h),
      ),
      [],
      'Authorization, Content-Type, Idempotency-Key and If-Match may be sent',
    );
    t.equal(res.headers['access-control-max-age'], String(CORS_PREFLIGHT_MAX_AGE_S));
    t.ok(list(res.headers.vary).includes('origin'), 'Vary: Origin');
    t.notOk(res.headers['access-control-allow-credentials'], 'no credentials mode');
  }

  const refused = await preflight('/v1/leaders', NOBODY);
  t.equal(refused.statusCode, 403);
  t.match(String(refused.headers['content-type']), 'application/problem+json');
  t.equal(refused.json().code, 'cors_origin_not_allowed');
  t.notOk(refused.headers['access-control-allow-origin'], 'no Allow-Origin for an origin nobody lists');

  for (const url of ['/m/sign-in', '/docs', '/openapi.json', '/health/ready']) {
    const res = await preflight(url, A_ORIGIN);
    t.equal(res.statusCode, 404, `no CORS on ${url}`);
    t.notOk(res.headers['access-control-allow-origin']);
  }
  const notPreflight = await api(app, { origin: A_ORIGIN }).send('OPTIONS', '/v1/leaders');
  t.equal(notPreflight.statusCode, 404, 'an OPTIONS without Access-Control-Request-Method is no preflight');
  t.match(String(notPreflight.headers['content-type']), 'application/problem+json');
});

t.test("actual requests: readable only by an origin the caller's tenant lists", async (t) => {
  const created = await api(app, a.auth).post('/v1/leaders', leaderBody(), {
    headers: { origin: A_ORIGIN, 'idempotency-key': 'cors-1' },
  });
  t.equal(created.statusCode, 201);
  t.equal(created.headers['access-control-allow-origin'], A_ORIGIN, "the tenant's own origin is reflected");
  t.same(
    [
      'etag',
      'location',
      'idempotent-replayed',
      'x-request-id',
      'retry-after',
      'x-ratelimit-remaining',
    ].filter((h) => !list(created.headers['access-control-expose-headers']).includes(h)),
    [],
    'the headers a client reads are exposed',
  );
  t.ok(list(created.headers.vary).includes('origin'));

  const foreign = await api(app, a.auth).get('/v1/leaders', { headers: { origin: B_ORIGIN } });
  t.equal(foreign.statusCode, 200, 'the server answers (CORS is enforced by the browser) …');
  t.notOk(foreign.headers['access-control-allow-origin'], "… but not to another tenant's origin");
  t.notOk(foreign.headers['access-control-expose-headers']);
  t.ok(list(foreign.headers.vary).includes('origin'), 'Vary: Origin on every API response');
  const backwards = await api(app, b.auth).get('/v1/leaders', { headers: { origin: A_ORIGIN } });
  t.notOk(backwards.headers['access-control-allow-origin'], "and B's key from A's origin: not either");
  const own = await api(app, b.auth).get('/v1/leaders', { headers: { origin: B_ORIGIN } });
  t.equal(own.headers['access-control-allow-origin'], B_ORIGIN);
  const nobody = await api(app, a.auth).get('/v1/leaders', { headers: { origin: NOBODY } });
  t.notOk(nobody.headers['access-control-allow-origin']);
  const noOrigin = await api(app, a.auth).get('/v1/leaders');
  t.notOk(noOrigin.headers['access-control-allow-origin'], 'no Origin, no CORS headers');

  const graph = await api(app, a.auth).post(
    '/graphql',
    { query: '{ leaders(first: 1) { nodes { id } } }' },
    { headers: { origin: A_ORIGIN } },
  );
  t.equal(graph.statusCode, 200);
  t.equal(graph.headers['access-control-allow-origin'], A_ORIGIN, 'GraphQL too');
  const graphForeign = await api(app, a.auth).post(
    '/graphql',
    { query: '{ leaders(first: 1) { nodes { id } } }' },
    { headers: { origin: B_ORIGIN } },
  );
  t.notOk(graphForeign.headers['access-control-allow-origin']);

  const badKey = await api(app, { authorization: 'Bearer sk_not_a_key' }).get('/v1/leaders', {
    headers: { origin: B_ORIGIN },
  });
  t.equal(badKey.statusCode, 401);
  t.equal(
    badKey.headers['access-control-allow-origin'],
    B_ORIGIN,
    'a refused credential: the 401 problem is readable by an origin some tenant lists',
  );
  const badKeyNobody = await api(app, { authorization: 'Bearer sk_not_a_key' }).get('/v1/leaders', {
    headers: { origin: NOBODY },
  });
  t.notOk(badKeyNobody.headers['access-control-allow-origin'], '… and by no other');

  const page = await api(app).get('/m/sign-in', { headers: { origin: A_ORIGIN } });
  t.equal(page.statusCode, 200);
  t.notOk(page.headers['access-control-allow-origin'], 'member pages: same-origin only');
  const docs = await api(app).get('/openapi.json', { headers: { origin: A_ORIGIN } });
  t.notOk(docs.headers['access-control-allow-origin']);
});

t.test(
  'the index: another replica’s change is seen after the TTL; a failed read keeps the last',
  async (t) => {
    let now = 1_000_000;
    let generation = 0;
    const index = new CorsOriginIndex(() => allCorsOrigins(app.db), {
      ttlMs: CORS_CACHE_TTL_MS,
      generation: () => generation,
      now: () => now,
    });
    t.ok(await index.tenantAllows(a.tenantId, A_ORIGIN));
    t.notOk(await index.tenantAllows(b.tenantId, A_ORIGIN));
    t.ok(await index.anyTenantAllows(B_ORIGIN));
    // Another replica adds an origin: written to the database behind this process's back.
    await app.db
      .updateTable('tenants')
      .set({ cors_origins: JSON.stringify([B_ORIGIN, 'https://new.example']) })
      .where('id', '=', b.tenantId)
      .execute();
    now += CORS_CACHE_TTL_MS - 1;
    t.notOk(await index.anyTenantAllows('https://new.example'), 'within the TTL the known lists are used');
    now += 1;
    t.ok(await index.tenantAllows(b.tenantId, 'https://new.example'), 'after the TTL the change is seen');
    // A change made through this process moves the generation: seen at once.
    await app.db
      .updateTable('tenants')
      .set({ cors_origins: JSON.stringify([B_ORIGIN]) })
      .where('id', '=', b.tenantId)
      .execute();
    generation++;
    t.notOk(await index.anyTenantAllows('https://new.example'), 'a new generation reloads at once');

    // Concurrent callers share one read; a failed read keeps the last known lists.
    let reads = 0;
    let fail = false;
    let errors = 0;
    const failing = new CorsOriginIndex(
      async () => {
        reads++;
        if (fail) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return [{ tenantId: 't1', origins: [A_ORIGIN] }];
      },
      { ttlMs: 1000, generation: () => 0, now: () => now, onError: () => errors++ },
    );
    await Promise.all([failing.anyTenantAllows(A_ORIGIN), failing.anyTenantAllows(A_ORIGIN)]);
    t.equal(reads, 1, 'one read for concurrent callers');
    fail = true;
    now += 1000;
    t.ok(await failing.tenantAllows('t1', A_ORIGIN), 'the database is away: the last known lists hold');
    t.equal(errors, 1, 'the failure is reported');
    t.ok(await failing.anyTenantAllows(A_ORIGIN));
    t.equal(reads, 2, 'and not retried on every request before the TTL');
  },
);

t.test('the app reads the database again when a list changes through it', async (t) => {
  t.equal((await preflight('/v1/leaders', NOBODY)).statusCode, 403);
  t.equal((await setOrigins(b.auth, [B_ORIGIN, NOBODY])).statusCode, 200);
  t.equal((await preflight('/v1/leaders', NOBODY)).statusCode, 204, 'allowed at once, no waiting');
  t.equal((await setOrigins(b.auth, [B_ORIGIN])).statusCode, 200);
  t.equal((await preflight('/v1/leaders', NOBODY)).statusCode, 403, 'and refused at once after removal');
});
