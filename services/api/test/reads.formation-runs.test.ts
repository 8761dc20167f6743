import t from '@sparring/test-workers/tap';
import { v7 as uuidv7 } from 'uuid';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { createLeaders, memberToken } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

/** Starts `n` small runs one after another; their ids, oldest first. */
async function startRuns(auth: Auth, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await api(app, auth).post('/v1/formation-runs', { seed: i, timeBudgetMs: 100 });
    if (res.statusCode !== 202) throw new Error(res.body);
    ids.push(res.json().id);
  }
  await app.formationRunner.idle();
  return ids;
}

/** A failed run written as the runner writes one, so the status filter has something to tell apart. */
async function failedRun(tenantId: string): Promise<string> {
  const id = uuidv7();
  await app.db
    .insertInto('formation_runs')
    .values({
      tenant_id: tenantId,
      id,
      status: 'failed',
      request: JSON.stringify({ seed: 1 }),
      pool: JSON.stringify([]),
      error: 'engine crashed',
      finished_at: new Date(),
    })
    .execute();
  return id;
}

t.test('GET /v1/formation-runs pages newest first, each run as GET /v1/formation-runs/{id}', async (t) => {
  const { auth, tenantId } = await ctx.tenant();
  await createLeaders(app, auth, 8);
  const started = await startRuns(auth, 3);
  const failed = await failedRun(tenantId);
  const newestFirst = [failed, ...started.reverse()];

  const first = await api(app, auth).get('/v1/formation-runs?limit=3');
  t.equal(first.statusCode, 200);
  t.same(
    first.json().data.map((r: { id: string }) => r.id),
    newestFirst.slice(0, 3),
  );
  t.type(first.json().nextCursor, 'string');
  const second = await api(app, auth).get(`/v1/formation-runs?limit=3&cursor=${first.json().nextCursor}`);
  t.same(
    second.json().data.map((r: { id: string }) => r.id),
    newestFirst.slice(3),
  );
  t.equal(second.json().nextCursor, null, 'the last page says so');

  const one = (await api(app, auth).get(`/v1/formation-runs/${started[0]}`)).json();
  t.equal(one.status, 'succeeded');
  t.same(
    first.json().data.find((r: { id: string }) => r.id === started[0]),
    one,
    'a listed run is the resource GET by id returns, result included',
  );

  const onlyFailed = (await api(app, auth).get('/v1/formation-runs?status=failed')).json();
  t.same(
    onlyFailed.data.map((r: { id: string; error: string }) => [r.id, r.error]),
    [[failed, 'engine crashed']],
  );
  const succeeded = (await api(app, auth).get('/v1/formation-runs?status=succeeded')).json();
  t.equal(succeeded.data.length, 3);

  const badStatus = await api(app, auth).get('/v1/formation-runs?status=done');
  t.equal(badStatus.statusCode, 400);
  t.match(badStatus.headers['content-type'], /^application\/problem\+json/);
  const badCursor = await api(app, auth).get('/v1/formation-runs?cursor=bm90LWEtY3Vyc29y');
  t.equal(badCursor.statusCode, 400);
});

t.test('tenant isolation and admin only', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const [leader] = await createLeaders(app, a.auth, 8);
  await startRuns(a.auth, 1);
  const other = await api(app, b.auth).get('/v1/formation-runs');
  t.equal(other.statusCode, 200);
  t.same(other.json(), { data: [], nextCursor: null }, "another tenant sees none of a's runs");

  const token = await memberToken(app, a.auth, leader!);
  const asMember = await api(app, token).get('/v1/formation-runs');
  t.equal(asMember.statusCode, 403);
  const gqlMember = await gql(app, token, '{ formationRuns { nodes { id } } }');
  t.equal(gqlMember.body.errors?.[0]?.extensions.code, 'forbidden');

  const anonymous = await api(app).get('/v1/formation-runs');
  t.equal(anonymous.statusCode, 401);
});

t.test('GraphQL formationRuns(first, after, status) pages like REST', async (t) => {
  const { auth, tenantId } = await ctx.tenant();
  await createLeaders(app, auth, 8);
  const started = await startRuns(auth, 2);
  const failed = await failedRun(tenantId);
  const query = `query ($after: String, $status: FormationRunStatus) {
    formationRuns(first: 2, after: $after, status: $status) {
      nodes { id status poolSize proposals { index memberIds } }
      nextCursor
    }
  }`;
  const first = await gql(app, auth, query);
  const page1 = first.body.data?.formationRuns as {
    nodes: { id: string; status: string; poolSize: number; proposals: unknown[] | null }[];
    nextCursor: string | null;
  };
  t.same(
    page1.nodes.map((n) => n.id),
    [failed, started[1]],
  );
  t.equal(page1.nodes[1]!.poolSize, 8);
  t.ok(page1.nodes[1]!.proposals?.length, 'a succeeded run carries its proposals');
  t.type(page1.nextCursor, 'string');
  const second = await gql(app, auth, query, { after: page1.nextCursor });
  const page2 = second.body.data?.formationRuns as { nodes: { id: string }[]; nextCursor: string | null };
  t.same(
    page2.nodes.map((n) => n.id),
    [started[0]],
  );
  t.equal(page2.nextCursor, null);

  const onlyFailed = await gql(app, auth, query, { status: 'failed' });
  t.same(
    (onlyFailed.body.data!.formationRuns as { nodes: { id: string }[] }).nodes.map((n) => n.id),
    [failed],
  );
  const tooMany = await gql(app, auth, '{ formationRuns(first: 201) { nodes { id } } }');
  t.equal(tooMany.body.errors?.[0]?.extensions.code, 'validation_failed');
  const unknown = await gql(app, auth, '{ formationRuns(status: finished) { nodes { id } } }');
  t.ok(unknown.body.errors?.length, 'a status outside the FormationRunStatus enum is refused');
});
