import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const FIELDS =
  'id name email level yearsOfExperience motivations availability formats exclusions managerId version sameness { sector experience organisation }';

t.test('create, read, list, update and delete through GraphQL', async (t) => {
  const { auth } = await ctx.tenant();
  const created = await gql(
    app,
    auth,
    `mutation($input: CreateLeaderInput!) { createLeader(input: $input) { ${FIELDS} } }`,
    {
      input: leaderBody({ email: 'Anne@Example.dk', sameness: { experience: 'different' } }),
    },
  );
  t.equal(created.status, 200);
  t.notOk(created.body.errors);
  const leader = created.body.data!.createLeader as Record<string, unknown>;
  t.equal(leader.email, 'anne@example.dk');
  t.same(leader.sameness, {
    sector: 'no_preference',
    experience: 'different',
    organisation: 'no_preference',
  });
  t.equal(leader.exclusions, null, 'exclusions are write-only: always null, the admin included');

  const rest = await api(app, auth).get(`/v1/leaders/${leader.id}`);
  t.equal(rest.json().email, 'anne@example.dk', 'REST sees what GraphQL stored');

  const read = await gql(app, auth, `query($id: ID!) { leader(id: $id) { ${FIELDS} } }`, { id: leader.id });
  t.same(read.body.data!.leader, leader);

  const updated = await gql(
    app,
    auth,
    'mutation($id: ID!, $input: UpdateLeaderInput!) { updateLeader(id: $id, input: $input, ifVersion: 1) { yearsOfExperience version name } }',
    { id: leader.id, input: { yearsOfExperience: 20 } },
  );
  t.same(updated.body.data!.updateLeader, { yearsOfExperience: 20, version: 2, name: leader.name });

  const stale = await gql(
    app,
    auth,
    'mutation($id: ID!) { updateLeader(id: $id, input: { yearsOfExperience: 21 }, ifVersion: 1) { version } }',
    { id: leader.id },
  );
  t.equal(stale.body.errors![0]!.extensions.code, 'precondition_failed', 'the same code as REST’s 412');

  const list = await gql(app, auth, '{ leaders(first: 10) { nodes { id } nextCursor } }');
  t.same(list.body.data!.leaders, { nodes: [{ id: leader.id }], nextCursor: null });

  const deleted = await gql(app, auth, 'mutation($id: ID!) { deleteLeader(id: $id) }', { id: leader.id });
  t.same(deleted.body.data, { deleteLeader: true });
  const gone = await gql(app, auth, 'query($id: ID!) { leader(id: $id) { id } }', { id: leader.id });
  t.equal(gone.body.errors![0]!.extensions.code, 'not_found');
  t.equal(gone.body.errors![0]!.extensions.status, 404);
});

t.test('validation errors carry the same code and issues as REST', async (t) => {
  const { auth } = await ctx.tenant();
  const input = leaderBody({ email: 'nope', name: ' ' });
  const res = await gql(
    app,
    auth,
    'mutation($input: CreateLeaderInput!) { createLeader(input: $input) { id } }',
    {
      input,
    },
  );
  const rest = await api(app, auth).post('/v1/leaders', input);
  const error = res.body.errors![0]!;
  t.equal(error.extensions.code, 'validation_failed');
  t.same(
    error.extensions.issues!.map((i) => [i.path, i.code]),
    rest.json().issues.map((i: { path: string; code: string }) => [i.path, i.code]),
  );
  const dup = leaderBody();
  await gql(app, auth, 'mutation($input: CreateLeaderInput!) { createLeader(input: $input) { id } }', {
    input: dup,
  });
  const again = await gql(
    app,
    auth,
    'mutation($input: CreateLeaderInput!) { createLeader(input: $input) { id } }',
    {
      input: dup,
    },
  );
  t.equal(again.body.errors![0]!.extensions.code, 'email_taken');
  const badId = await gql(app, auth, '{ leader(id: "nope") { id } }');
  t.equal(
    badId.body.errors![0]!.extensions.code,
    'validation_failed',
    'a non-UUID id never reaches the database',
  );
  const bad = await gql(app, auth, '{ leaders { nodes { nope } } }');
  t.equal(bad.status, 400, 'a query against the schema that does not validate is a 400');
  t.equal(bad.body.errors![0]!.extensions.code, 'bad_request');
});

t.test('tenant isolation through GraphQL', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const created = await gql(
    app,
    a.auth,
    'mutation($input: CreateLeaderInput!) { createLeader(input: $input) { id name } }',
    {
      input: leaderBody(),
    },
  );
  const id = (created.body.data!.createLeader as { id: string }).id;
  const read = await gql(app, b.auth, 'query($id: ID!) { leader(id: $id) { id } }', { id });
  t.equal(read.body.errors![0]!.extensions.code, 'not_found');
  const update = await gql(
    app,
    b.auth,
    'mutation($id: ID!) { updateLeader(id: $id, input: { name: "X" }) { id } }',
    { id },
  );
  t.equal(update.body.errors![0]!.extensions.code, 'not_found');
  const del = await gql(app, b.auth, 'mutation($id: ID!) { deleteLeader(id: $id) }', { id });
  t.equal(del.body.errors![0]!.extensions.code, 'not_found');
  const list = await gql(app, b.auth, '{ leaders { nodes { id } } }');
  t.same(list.body.data, { leaders: { nodes: [] } });
  const still = await gql(app, a.auth, 'query($id: ID!) { leader(id: $id) { name } }', { id });
  t.same(still.body.data!.leader, { name: (created.body.data!.createLeader as { name: string }).name });
});

t.test('manager is resolved through a batched loader: one query for all managers', async (t) => {
  const { auth } = await ctx.tenant();
  const boss = await api(app, auth).post('/v1/leaders', leaderBody());
  for (let i = 0; i < 5; i++) {
    await api(app, auth).post('/v1/leaders', leaderBody({ managerId: boss.json().id }));
  }
  const before = app.database.queries.count;
  const res = await gql(app, auth, '{ leaders { nodes { id manager { id } } } }');
  const queries = app.database.queries.count - before;
  const nodes = (res.body.data!.leaders as { nodes: { manager: { id: string } | null }[] }).nodes;
  t.equal(nodes.filter((n) => n.manager?.id === boss.json().id).length, 5);
  t.ok(queries <= 4, `rate limit count + auth + list + one batched manager lookup; got ${queries} queries`);
});

t.test('depth and alias limits refuse abusive queries but allow introspection', async (t) => {
  const { auth } = await ctx.tenant();
  const deep = `{ leaders { nodes { ${'manager { '.repeat(12)}id${' }'.repeat(12)} } } }`;
  const tooDeep = await gql(app, auth, deep);
  t.equal(tooDeep.status, 400);
  const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: apiVersion`).join(' ');
  const tooMany = await gql(app, auth, `{ ${aliases} }`);
  t.equal(tooMany.status, 400);
  const introspection = await gql(
    app,
    auth,
    `query IntrospectionQuery { __schema { queryType { name } types { kind name fields(includeDeprecated: true) { name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`,
  );
  t.equal(introspection.status, 200, 'the explorer’s introspection query still works');
  t.notOk(introspection.body.errors);
});
