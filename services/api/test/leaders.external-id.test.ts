import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const create = (auth: { authorization: string }, body: Record<string, unknown>) =>
  api(app, auth).post('/v1/leaders', body);
const list = (auth: { authorization: string }, query: string) => api(app, auth).get(`/v1/leaders?${query}`);

t.test('REST: an HR platform finds its people by its own id, their email, or what changed', async (t) => {
  const { auth } = await ctx.tenant();
  const other = await ctx.tenant();
  const start = new Date(Date.now() - 1000).toISOString();
  const mette = await create(auth, leaderBody({ externalId: 'EMP-01042', email: 'Mette.Jensen@Example.dk' }));
  t.equal(mette.statusCode, 201);
  t.equal(mette.json().externalId, 'EMP-01042');
  const plain = await create(auth, leaderBody());
  t.equal(plain.json().externalId, null, 'no externalId reads as null');

  const dup = await create(auth, leaderBody({ externalId: 'EMP-01042' }));
  t.equal(dup.statusCode, 409);
  t.equal(dup.json().code, 'external_id_taken');
  t.equal((await list(auth, '')).json().data.length, 2, 'the refused leader was not stored');
  t.equal(
    (await create(other.auth, leaderBody({ externalId: 'EMP-01042' }))).statusCode,
    201,
    'unique per tenant only',
  );

  const byExternal = (await list(auth, 'externalId=EMP-01042')).json();
  t.same(
    byExternal.data.map((l: { id: string }) => l.id),
    [mette.json().id],
  );
  t.equal(byExternal.nextCursor, null);
  t.same(
    (await list(auth, 'externalId=nobody')).json().data,
    [],
    'an unknown id is an empty page, not a 404',
  );
  const byEmail = (await list(auth, `email=${encodeURIComponent('METTE.jensen@example.DK')}`)).json();
  t.same(
    byEmail.data.map((l: { id: string }) => l.id),
    [mette.json().id],
    'email matches case-insensitively',
  );

  // updatedSince: only what changed at or after the time, still in creation order.
  const all = (await list(auth, `updatedSince=${encodeURIComponent(start)}`)).json().data;
  t.equal(all.length, 2);
  await new Promise((r) => setTimeout(r, 20)); // updated_at is the database clock: step past it
  const since = new Date().toISOString();
  t.same((await list(auth, `updatedSince=${encodeURIComponent(since)}`)).json().data, []);
  const patched = await api(app, auth).patch(`/v1/leaders/${plain.json().id}`, { externalId: 'EMP-2' });
  t.equal(patched.statusCode, 200);
  t.same(
    (await list(auth, `updatedSince=${encodeURIComponent(since)}`))
      .json()
      .data.map((l: { id: string }) => l.id),
    [plain.json().id],
    'the patched leader shows up as changed',
  );
  const clash = await api(app, auth).patch(`/v1/leaders/${plain.json().id}`, { externalId: 'EMP-01042' });
  t.equal(clash.statusCode, 409);
  t.equal(clash.json().code, 'external_id_taken');
  const cleared = await api(app, auth).patch(`/v1/leaders/${plain.json().id}`, { externalId: null });
  t.equal(cleared.json().externalId, null, 'null clears it');
});

t.test('REST: bad filters are 4xx problems', async (t) => {
  const { auth } = await ctx.tenant();
  for (const query of [
    'updatedSince=yesterday',
    'updatedSince=2026-13-01T00:00:00Z',
    'externalId=',
    `externalId=${'x'.repeat(256)}`,
    'email=a',
    'unknown=1',
  ]) {
    const res = await list(auth, query);
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${query} → ${res.statusCode}`);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', query);
  }
  const long = await create(auth, leaderBody({ externalId: 'x'.repeat(256) }));
  t.equal(long.statusCode, 400);
});

t.test('GraphQL: the same lookups and the same refusals', async (t) => {
  const { auth } = await ctx.tenant();
  const { body: created } = await gql(
    app,
    auth,
    `mutation($input: CreateLeaderInput!) { createLeader(input: $input) { id externalId } }`,
    { input: leaderBody({ externalId: 'HR-7', preferredCadenceMonths: 2 }) },
  );
  t.same(created.errors, undefined);
  t.equal((created.data!.createLeader as { id: string; externalId: string }).externalId, 'HR-7');
  const { body: found } = await gql(
    app,
    auth,
    `{ leaders(externalId: "HR-7") { nodes { id externalId } nextCursor } }`,
  );
  t.same((found.data!.leaders as { nodes: unknown[] }).nodes, [
    { id: (created.data!.createLeader as { id: string; externalId: string }).id, externalId: 'HR-7' },
  ]);
  const { body: dup } = await gql(
    app,
    auth,
    `mutation($input: CreateLeaderInput!) { createLeader(input: $input) { id } }`,
    { input: leaderBody({ externalId: 'HR-7' }) },
  );
  t.equal(dup.errors?.[0]?.extensions.code, 'external_id_taken');
  const { body: bad } = await gql(app, auth, `{ leaders(updatedSince: "last week") { nodes { id } } }`);
  t.equal(bad.errors?.[0]?.extensions.code, 'validation_failed');
  const { body: since } = await gql(
    app,
    auth,
    `{ leaders(updatedSince: "2000-01-01T00:00:00Z") { nodes { id } } }`,
  );
  t.equal((since.data!.leaders as { nodes: unknown[] }).nodes.length, 1);
});
