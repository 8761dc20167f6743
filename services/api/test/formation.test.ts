import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { createLeaders } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const SECTORS = ['public', 'private', 'ngo'];
const LEVELS = ['first_line', 'middle', 'senior'];

/** A pool of `n` leaders spread over sectors, levels, organisations and regions. */
const pool = (
  auth: { authorization: string },
  n: number,
  overrides: (i: number) => Record<string, unknown> = () => ({}),
) =>
  createLeaders(app, auth, n, (i) => ({
    sector: SECTORS[i % 3],
    level: LEVELS[i % 3],
    organisation: `Org ${i % 7}`,
    region: i % 2 ? 'Hovedstaden' : 'Sjælland',
    ...overrides(i),
  }));

/** Starts a run and returns its resource (202). */
async function startRun(auth: { authorization: string }, payload: Record<string, unknown>) {
  return (await api(app, auth).post('/v1/formation-runs', payload)).json();
}

/** Accepts proposals of a finished run and returns the network created from the first one listed. */
async function acceptFirst(auth: { authorization: string }, id: string, proposals?: number[]) {
  const accepted = await api(app, auth).post(
    `/v1/formation-runs/${id}/accept`,
    proposals ? { proposals } : {},
  );
  const networkId = accepted.json().result.proposals[proposals?.[0] ?? 0].acceptedAsNetworkId;
  return (await api(app, auth).get(`/v1/networks/${networkId}`)).json();
}

async function finished(auth: { authorization: string }, id: string) {
  await app.formationRunner.idle();
  return (await api(app, auth).get(`/v1/formation-runs/${id}`)).json();
}

t.test(
  'a formation run partitions the pool in the background, honouring every hard constraint',
  async (t) => {
    const { auth } = await ctx.tenant();
    const ids = await pool(auth, 20);
    // Leader 0 excludes leader 1; leader 3 is leader 2's manager.
    await api(app, auth).patch(`/v1/leaders/${ids[0]}`, { exclusions: [ids[1]] });
    await api(app, auth).patch(`/v1/leaders/${ids[2]}`, { managerId: ids[3] });
    const created = await api(app, auth).post('/v1/formation-runs', {
      sizes: { min: 6, max: 8 },
      seed: 7,
      timeBudgetMs: 300,
      maxPerOrganisation: 2,
    });
    t.equal(created.statusCode, 202);
    t.equal(created.json().poolSize, 20);
    t.match(created.headers.location, /^\/v1\/formation-runs\//);
    const run = await finished(auth, created.json().id);
    t.equal(run.status, 'succeeded');
    const proposals = run.result.proposals as { members: string[]; criteria: unknown[]; score: number }[];
    t.ok(proposals.length >= 2);
    const placed = proposals.flatMap((p) => p.members);
    t.equal(new Set(placed).size, placed.length, 'nobody is in two networks');
    t.equal(placed.length + run.result.unplaced.length, 20, 'everyone is placed or explained');
    for (const p of proposals) {
      t.ok(p.members.length >= 6 && p.members.length <= 8, 'size within bounds');
      t.notOk(p.members.includes(ids[0]!) && p.members.includes(ids[1]!), 'the exclusion is honoured');
      t.notOk(p.members.includes(ids[2]!) && p.members.includes(ids[3]!), 'no manager with their report');
      t.ok(p.criteria.length > 0, 'the score explains itself per criterion');
      t.ok(p.score >= 0 && p.score <= 1);
    }
    t.notMatch(JSON.stringify(run), /exclu/i, 'nothing in the result mentions exclusions');
  },
);

t.test('the same input, seed and maxIterations give the same proposals', async (t) => {
  const { auth } = await ctx.tenant();
  const ids = await pool(auth, 14);
  // Ended by its rounds, not by the clock (a time budget alone searches less on a busy machine).
  const body = {
    pool: { leaderIds: ids },
    sizes: { min: 6, max: 8 },
    seed: 99,
    maxIterations: 40,
    timeBudgetMs: 60_000,
  };
  const a = (await api(app, auth).post('/v1/formation-runs', body)).json();
  const b = (await api(app, auth).post('/v1/formation-runs', body)).json();
  const ra = await finished(auth, a.id);
  const rb = await finished(auth, b.id);
  t.same(
    rb.result.proposals.map((p: { members: string[] }) => p.members),
    ra.result.proposals.map((p: { members: string[] }) => p.members),
  );
  // The domain counts the first descent as a round too: 40 rounds after it end the run.
  t.ok(ra.result.quality.iterations <= 41, `the run ended on its rounds (${ra.result.quality.iterations})`);
  t.equal(ra.request.maxIterations, 40, 'recorded with the run');

  const tooMany = await api(app, auth).post('/v1/formation-runs', { ...body, maxIterations: 0 });
  t.equal(tooMany.statusCode, 400, 'maxIterations below 1 is refused');
});

t.test('accepting proposals creates networks in the forming state with those members', async (t) => {
  const { auth } = await ctx.tenant();
  await pool(auth, 13);
  const created = await startRun(auth, { sizes: { min: 6, max: 7 }, seed: 3, timeBudgetMs: 200 });
  const run = await finished(auth, created.id);
  const accepted = await api(app, auth).post(`/v1/formation-runs/${created.id}/accept`, {
    proposals: [0],
    namePrefix: 'Øst',
  });
  t.equal(accepted.statusCode, 200);
  const networkId = accepted.json().result.proposals[0].acceptedAsNetworkId;
  t.ok(networkId);
  const network = await api(app, auth).get(`/v1/networks/${networkId}`);
  t.equal(network.statusCode, 200);
  t.equal(network.json().status, 'forming');
  t.equal(network.json().name, 'Øst 1');
  const memberIds = network
    .json()
    .members.map((m: { leaderId: string }) => m.leaderId)
    .sort();
  t.same(memberIds, [...run.result.proposals[0].members].sort());
  const again = await api(app, auth).post(`/v1/formation-runs/${created.id}/accept`, { proposals: [0] });
  t.equal(again.statusCode, 409);
  t.equal(again.json().code, 'proposal_already_accepted');
});

t.test('bad requests are 400 problems; other tenants get 404', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const badSizes = await api(app, a.auth).post('/v1/formation-runs', { sizes: { min: 9, max: 3 } });
  t.equal(badSizes.statusCode, 400);
  t.equal(badSizes.json().code, 'validation_failed');
  const unknown = await api(app, a.auth).post('/v1/formation-runs', {
    pool: { leaderIds: ['0190a5f4-3c1e-7a3b-9d2e-4f5a6b7c8d9e'] },
  });
  t.equal(unknown.statusCode, 400);
  t.equal(unknown.json().issues[0].code, 'invalid_reference');
  await pool(a.auth, 6);
  const run = await startRun(a.auth, { timeBudgetMs: 100, seed: 1 });
  await app.formationRunner.idle();
  t.equal((await api(app, b.auth).get(`/v1/formation-runs/${run.id}`)).statusCode, 404);
  const accept = await api(app, b.auth).post(`/v1/formation-runs/${run.id}/accept`, {});
  t.equal(accept.statusCode, 404);
  const graph = await gql(app, b.auth, 'query($id: ID!) { formationRun(id: $id) { id } }', { id: run.id });
  t.equal(graph.body.errors![0]!.extensions.code, 'not_found');
});

t.test('GraphQL: create, poll and accept a formation run, with member names through a loader', async (t) => {
  const { auth } = await ctx.tenant();
  await pool(auth, 12);
  const created = await gql(
    app,
    auth,
    'mutation($input: CreateFormationRunInput!) { createFormationRun(input: $input) { id status poolSize } }',
    { input: { sizes: { min: 6, max: 6 }, seed: 5, timeBudgetMs: 150 } },
  );
  const run = created.body.data!.createFormationRun as { id: string; status: string; poolSize: number };
  t.equal(run.poolSize, 12);
  await app.formationRunner.idle();
  const read = await gql(
    app,
    auth,
    'query($id: ID!) { formationRun(id: $id) { status proposals { index score members { name } } quality } }',
    { id: run.id },
  );
  const result = read.body.data!.formationRun as {
    status: string;
    proposals: { members: { name: string }[] }[];
  };
  t.equal(result.status, 'succeeded');
  t.equal(result.proposals.length, 2);
  t.equal(result.proposals[0]!.members.length, 6);
  const accepted = await gql(
    app,
    auth,
    'mutation($id: ID!) { acceptFormationProposals(id: $id) { proposals { acceptedAsNetworkId } } }',
    { id: run.id },
  );
  const proposals = (
    accepted.body.data!.acceptFormationProposals as { proposals: { acceptedAsNetworkId: string }[] }
  ).proposals;
  t.ok(
    proposals.every((p) => p.acceptedAsNetworkId),
    'every proposal became a network',
  );
});

t.test(
  'an explicit list of sizes: exactly those networks, which keep bounds that take their size',
  async (t) => {
    const { auth } = await ctx.tenant();
    await pool(auth, 20);
    const created = await api(app, auth).post('/v1/formation-runs', {
      sizes: { list: [8, 6] },
      seed: 11,
      timeBudgetMs: 200,
    });
    t.equal(created.statusCode, 202);
    t.same(created.json().request.sizes, { list: [8, 6] }, 'the request is kept as asked');
    const run = await finished(auth, created.json().id);
    t.equal(run.status, 'succeeded');
    t.same(
      run.result.proposals.map((p: { members: string[] }) => p.members.length).sort(),
      [6, 8],
      'one network of 8 and one of 6',
    );
    t.equal(run.result.unplaced.length, 6, 'the six beyond the list wait, each with a reason');
    const network = await acceptFirst(auth, run.id);
    t.same(network.settings.size, { min: 6, max: 12 }, 'the default bounds, which take 6 and 8');

    // A run with bounds gives its networks those bounds (a network of 4–5 is not "too small").
    const small = await startRun(auth, { sizes: { min: 4, max: 5 }, seed: 2, timeBudgetMs: 150 });
    await finished(auth, small.id);
    t.same((await acceptFirst(auth, small.id, [0])).settings.size, { min: 4, max: 5 });
  },
);

t.test('bad size lists are 400 problems naming the field, on REST and GraphQL', async (t) => {
  const { auth } = await ctx.tenant();
  const cases: [Record<string, unknown>, string[]][] = [
    [{ sizes: { list: [3, 8] } }, ['sizes.list[0]']],
    [{ sizes: { list: [] } }, ['sizes.list']],
    [{ sizes: { list: [8], min: 6 } }, ['sizes.min']],
    [{ sizes: { list: [8] }, target: 8 }, ['target']],
    [{ sizes: { min: 6, max: 8, target: 10 } }, ['sizes.target']],
    [{ sizes: { min: 6, max: 8 }, target: 10 }, ['target']],
  ];
  for (const [payload, paths] of cases) {
    const res = await api(app, auth).post('/v1/formation-runs', payload);
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.match(res.headers['content-type'], /application\/problem\+json/);
    t.same(
      res.json().issues.map((i: { path: string }) => i.path),
      paths,
      JSON.stringify(payload),
    );
  }

  await pool(auth, 12);
  const mutation =
    'mutation($input: CreateFormationRunInput!) { createFormationRun(input: $input) { id request } }';
  const bad = await gql(app, auth, mutation, { input: { sizes: { list: [20] } } });
  t.equal(bad.body.errors![0]!.extensions.code, 'validation_failed');
  const good = await gql(app, auth, mutation, {
    input: { sizes: { list: [6, 6] }, seed: 4, timeBudgetMs: 150 },
  });
  const run = good.body.data!.createFormationRun as { id: string; request: { sizes: unknown } };
  t.same(run.request.sizes, { list: [6, 6] });
  await app.formationRunner.idle();
  const read = await gql(app, auth, 'query($id: ID!) { formationRun(id: $id) { proposals { memberIds } } }', {
    id: run.id,
  });
  const proposals = (read.body.data!.formationRun as { proposals: { memberIds: string[] }[] }).proposals;
  t.same(
    proposals.map((p) => p.memberIds.length),
    [6, 6],
  );
});
