import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

interface Outcome {
  created: number;
  updated: number;
  unchanged: number;
  results: { index: number; externalId: string; id: string; status: string; version: number }[];
}

const bulk = (auth: Auth, leaders: unknown, headers: Record<string, string> = {}) =>
  api(app, { ...auth, ...headers }).post('/v1/leaders/bulk', { leaders });
const byExternalId = async (auth: Auth, externalId: string) =>
  (await api(app, auth).get(`/v1/leaders?externalId=${encodeURIComponent(externalId)}`)).json().data[0];
const leaderCount = async (tenantId: string) =>
  Number(
    (
      await app.db
        .selectFrom('leaders')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow()
    ).n,
  );
const eventTypes = async (tenantId: string) =>
  (
    await app.db
      .selectFrom('events')
      .select('type')
      .where('tenant_id', '=', tenantId)
      .orderBy('position')
      .execute()
  ).map((e) => e.type);
const pathsOf = (res: { json(): { issues?: { path: string; code: string }[] } }) =>
  (res.json().issues ?? []).map((i) => `${i.path} ${i.code}`);

t.test('REST: created, updated, unchanged; a repeat changes nothing', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const batch = [
    leaderBody({ externalId: 'EMP-1' }),
    leaderBody({ externalId: 'EMP-2', managerExternalId: 'EMP-1' }),
    leaderBody({ externalId: 'EMP-3', managerExternalId: 'EMP-2', preferredCadenceMonths: 3 }),
  ];
  const first = await bulk(auth, batch);
  t.equal(first.statusCode, 200, first.body);
  const created = first.json() as Outcome;
  t.match(created, { created: 3, updated: 0, unchanged: 0 });
  t.same(
    created.results.map((r) => [r.index, r.externalId, r.status, r.version]),
    [
      [0, 'EMP-1', 'created', 1],
      [1, 'EMP-2', 'created', 1],
      [2, 'EMP-3', 'created', 1],
    ],
  );
  const [one, two, three] = await Promise.all(['EMP-1', 'EMP-2', 'EMP-3'].map((e) => byExternalId(auth, e)));
  t.equal(one.id, created.results[0]!.id, 'the result names the stored leader');
  t.equal(two.managerId, one.id, 'managerExternalId resolves to a leader created in the same batch');
  t.equal(three.managerId, two.id);
  t.same(await eventTypes(tenantId), ['leader.created', 'leader.created', 'leader.created']);

  // The same batch again, as the HR system sends it every night: nothing changes.
  await new Promise((r) => setTimeout(r, 20)); // updatedAt is the database clock: step past it
  const again = await bulk(auth, batch);
  t.equal(again.statusCode, 200);
  t.match(again.json(), { created: 0, updated: 0, unchanged: 3 });
  t.same(
    (again.json() as Outcome).results.map((r) => [r.id, r.status, r.version]),
    created.results.map((r) => [r.id, 'unchanged', 1]),
  );
  t.equal((await byExternalId(auth, 'EMP-1')).updatedAt, one.updatedAt, 'updatedAt kept');
  t.equal(await leaderCount(tenantId), 3);
  t.equal((await eventTypes(tenantId)).length, 3, 'no event for an unchanged leader');

  // A partial item updates a known leader; a new one is created; the rest stay as they are.
  const mixed = await bulk(auth, [
    { externalId: 'EMP-2', yearsOfExperience: 30 },
    { externalId: ' EMP-3 ', name: three.name },
    leaderBody({ externalId: 'EMP-4', managerExternalId: 'EMP-1' }),
  ]);
  t.equal(mixed.statusCode, 200, mixed.body);
  const m = mixed.json() as Outcome;
  t.match(m, { created: 1, updated: 1, unchanged: 1 });
  t.same(
    m.results.map((r) => [r.externalId, r.status, r.version]),
    [
      ['EMP-2', 'updated', 2],
      ['EMP-3', 'unchanged', 1],
      ['EMP-4', 'created', 1],
    ],
  );
  const twoAfter = await byExternalId(auth, 'EMP-2');
  t.equal(twoAfter.yearsOfExperience, 30);
  t.equal(twoAfter.email, two.email, 'absent fields keep their value');
  t.equal(twoAfter.managerId, one.id);
  t.not(twoAfter.updatedAt, two.updatedAt);
  t.equal((await byExternalId(auth, 'EMP-4')).managerId, one.id, 'a manager stored before the batch');
  // A leader id in capitals is the same leader: accepted, and a repeat is unchanged.
  const upper = [
    { externalId: 'EMP-4', managerId: two.id.toUpperCase(), exclusions: [one.id.toUpperCase()] },
  ];
  t.match((await bulk(auth, upper)).json(), { updated: 1 });
  t.equal((await byExternalId(auth, 'EMP-4')).managerId, two.id);
  t.match((await bulk(auth, upper)).json(), { unchanged: 1 });
  const etag = await api(app, auth).get(`/v1/leaders/${twoAfter.id}`);
  t.equal(etag.headers.etag, '"2"', 'the version is the one a single read shows');
  t.same((await eventTypes(tenantId)).slice(3), ['leader.updated', 'leader.created', 'leader.updated']);

  // null clears an optional field, as on PATCH; an absent exclusion list is kept, not wiped.
  await app.db
    .updateTable('leaders')
    .set({ exclusions: JSON.stringify([one.id]) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', three.id)
    .execute();
  const cleared = await bulk(auth, [
    { externalId: 'EMP-3', managerExternalId: null, preferredCadenceMonths: null },
  ]);
  t.match(cleared.json(), { updated: 1 });
  const threeAfter = await byExternalId(auth, 'EMP-3');
  t.equal(threeAfter.managerId, null);
  t.equal(threeAfter.preferredCadenceMonths, null);
  const row = await app.db
    .selectFrom('leaders')
    .select('exclusions')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', three.id)
    .executeTakeFirstOrThrow();
  t.same(row.exclusions, [one.id]);
});

t.test(
  'REST: one invalid item refuses the batch, naming every invalid item; nothing is written',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const other = await ctx.tenant();
    const foreign = (await bulk(other.auth, [leaderBody({ externalId: 'THEIRS' })])).json() as Outcome;
    const seeded = await bulk(auth, [leaderBody({ externalId: 'KEEP', email: 'keep@example.dk' })]);
    t.equal(seeded.statusCode, 200);
    const before = await byExternalId(auth, 'KEEP');

    const res = await bulk(auth, [
      leaderBody({ externalId: 'OK-1' }),
      { externalId: 'NEW-PARTIAL', name: 'Only a name' },
      leaderBody({ externalId: 'BAD-EMAIL', email: 'not an email' }),
      leaderBody({ externalId: 'OK-1' }),
      leaderBody({ externalId: 'SAME-EMAIL-1', email: 'twice@example.dk' }),
      leaderBody({ externalId: 'SAME-EMAIL-2', email: 'Twice@Example.dk' }),
      leaderBody({ externalId: 'NO-BOSS', managerExternalId: 'NOBODY' }),
      leaderBody({ externalId: 'FOREIGN', managerId: foreign.results[0]!.id }),
      leaderBody({ externalId: 'TAKEN', email: 'keep@example.dk' }),
      { externalId: 'KEEP', yearsOfExperience: 60, name: '   ' },
      leaderBody({ externalId: 'BOTH', managerId: before.id, managerExternalId: 'KEEP' }),
    ]);
    t.equal(res.statusCode, 400);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(res.json().code, 'validation_failed');
    t.same(pathsOf(res), [
      'leaders[1].email required',
      'leaders[1].sector required',
      'leaders[1].organisation required',
      'leaders[1].level required',
      'leaders[1].yearsOfExperience required',
      'leaders[1].region required',
      'leaders[1].languages required',
      'leaders[1].motivations required',
      'leaders[1].availability required',
      'leaders[1].formats required',
      'leaders[2].email invalid_format',
      'leaders[3].externalId duplicate',
      'leaders[5].email duplicate',
      'leaders[6].managerExternalId invalid_reference',
      'leaders[9].name required',
      'leaders[10].managerExternalId not_allowed',
    ]);
    t.equal(await leaderCount(tenantId), 1, 'nothing written');
    t.same(await byExternalId(auth, 'KEEP'), before, 'the known leader is as it was');

    // The JSON schema's checks (types, lengths, ranges, vocabularies) come first, every one of them.
    const schema = await bulk(auth, [
      leaderBody({ externalId: 'S-1' }),
      { externalId: 'KEEP', yearsOfExperience: 61 },
      leaderBody({ externalId: 'S-3', level: 'emperor' }),
    ]);
    t.equal(schema.statusCode, 400);
    t.same(pathsOf(schema), ['leaders[1].yearsOfExperience too_large', 'leaders[2].level not_allowed']);

    // References and emails are checked once the items themselves are valid.
    const refs = await bulk(auth, [
      leaderBody({ externalId: 'OK-1' }),
      leaderBody({ externalId: 'FOREIGN', managerId: foreign.results[0]!.id }),
      leaderBody({ externalId: 'TAKEN', email: 'KEEP@example.dk' }),
      leaderBody({ externalId: 'EXCL', exclusions: [before.id, '0190a5f4-0000-7000-8000-000000000000'] }),
    ]);
    t.equal(refs.statusCode, 400);
    t.same(pathsOf(refs), [
      'leaders[1].managerId invalid_reference',
      'leaders[2].email duplicate',
      'leaders[3].exclusions[1] invalid_reference',
    ]);
    t.equal(await leaderCount(tenantId), 1, 'nothing written');
    t.same(await eventTypes(tenantId), ['leader.created'], 'no event for a refused batch');
  },
);

t.test('REST: the batch size, and the body limit fits 1,000 leaders at full length', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const empty = await bulk(auth, []);
  t.equal(empty.statusCode, 400);
  t.same(pathsOf(empty), ['leaders too_short']);
  const many = Array.from({ length: 1001 }, (_, i) => leaderBody({ externalId: `E${i}` }));
  const tooMany = await bulk(auth, many);
  t.equal(tooMany.statusCode, 400);
  t.equal(tooMany.json().code, 'validation_failed');
  t.same(pathsOf(tooMany), ['leaders too_long']);
  t.equal(await leaderCount(tenantId), 0);

  // Every field at its maximum length: about 2.1 KiB per leader, 2 MB per batch, over the
  // service's 1 MiB default; the route's own limit takes it.
  const full = Array.from({ length: 1000 }, (_, i) =>
    leaderBody({
      externalId: `${'X'.repeat(250)}${String(i).padStart(5, '0')}`,
      name: 'N'.repeat(200),
      email: `${String(i).padStart(4, '0')}${'e'.repeat(300)}@example.dk`,
      sector: 'S'.repeat(200),
      organisation: 'O'.repeat(200),
      region: 'R'.repeat(200),
      languages: Array.from({ length: 10 }, (_, k) => `${k}${'l'.repeat(34)}`),
      motivations: ['people_leadership', 'dilemma_sparring', 'strategy'],
      sameness: { sector: 'same', experience: 'different', organisation: 'no_preference' },
    }),
  );
  const payload = JSON.stringify({ leaders: full });
  t.ok(payload.length > ctx.config.bodyLimitBytes, `${payload.length} bytes`);
  const before = app.database.queries.count;
  const res = await api(app, auth).post('/v1/leaders/bulk', payload, {
    headers: { 'content-type': 'application/json' },
  });
  t.equal(res.statusCode, 200, res.body.slice(0, 500));
  t.match(res.json(), { created: 1000, updated: 0, unchanged: 0 });
  t.equal(await leaderCount(tenantId), 1000);
  // Statements for the whole batch, not per leader: auth, rate limit and the batch's own few.
  t.ok(app.database.queries.count - before < 20, `${app.database.queries.count - before} statements`);
  const again = await api(app, auth).post('/v1/leaders/bulk', payload, {
    headers: { 'content-type': 'application/json' },
  });
  t.match(again.json(), { created: 0, updated: 0, unchanged: 1000 });

  const huge = JSON.stringify({
    leaders: full.map((l) => ({ ...l, name: 'N'.repeat(9000) })),
  });
  t.ok(huge.length > 8 * 1024 * 1024);
  const tooLarge = await api(app, auth).post('/v1/leaders/bulk', huge, {
    headers: { 'content-type': 'application/json' },
  });
  t.equal(tooLarge.statusCode, 413);
  t.equal(tooLarge.json().code, 'payload_too_large');
});

t.test('hostile text is a 400 on REST and GraphQL, never a 5xx', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const items = [
    leaderBody({ externalId: 'NUL\u0000ID' }),
    leaderBody({ externalId: 'OK-1', managerExternalId: 'BOSS\u0000' }),
    leaderBody({ externalId: 'HALF\ud800' }),
    leaderBody({ externalId: 'OK-2', managerExternalId: '\udc00' }),
  ];
  const rest = await bulk(auth, items);
  t.equal(rest.statusCode, 400, rest.body);
  t.same(pathsOf(rest), [
    'leaders[0].externalId invalid_format',
    'leaders[1].managerExternalId invalid_format',
    'leaders[2].externalId invalid_format',
    'leaders[3].managerExternalId invalid_format',
  ]);
  const { status, body } = await gql(
    app,
    auth,
    `mutation($input: [LeaderUpsertInput!]!) { upsertLeaders(input: $input) { created } }`,
    { input: [...items, leaderBody({ externalId: 'OK-3', managerId: 'not-a-uuid', exclusions: ['nope'] })] },
  );
  t.equal(status, 200);
  t.equal(body.errors?.[0]?.extensions.code, 'validation_failed');
  t.equal(body.errors?.[0]?.extensions.issues?.length, 4, 'the item checks come first');
  const ids = await gql(
    app,
    auth,
    `mutation($input: [LeaderUpsertInput!]!) { upsertLeaders(input: $input) { created } }`,
    { input: [leaderBody({ externalId: 'OK-3', managerId: 'not-a-uuid', exclusions: ['nope'] })] },
  );
  t.same(
    ids.body.errors?.[0]?.extensions.issues?.map((i) => `${i.path} ${i.code}`),
    ['leaders[0].managerId invalid_format', 'leaders[0].exclusions[0] invalid_format'],
  );
  t.equal(await leaderCount(tenantId), 0);
});

t.test('REST: Idempotency-Key replays the first response', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const leaders = [leaderBody({ externalId: 'K-1' }), leaderBody({ externalId: 'K-2' })];
  const first = await bulk(auth, leaders, { 'idempotency-key': 'nightly-2026-12-02' });
  t.equal(first.statusCode, 200);
  t.match(first.json(), { created: 2 });
  const replay = await bulk(auth, leaders, { 'idempotency-key': 'nightly-2026-12-02' });
  t.equal(replay.statusCode, 200);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.same(replay.json(), first.json(), 'the first response, created and all');
  const reused = await bulk(auth, [leaderBody({ externalId: 'K-3' })], {
    'idempotency-key': 'nightly-2026-12-02',
  });
  t.equal(reused.statusCode, 422);
  t.equal(reused.json().code, 'idempotency_key_reused');
  t.equal(await leaderCount(tenantId), 2);
});

t.test(
  'REST: two syncs of the same new people at once: one creates, the other finds them unchanged',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const batch = Array.from({ length: 50 }, (_, i) => leaderBody({ externalId: `C-${i}` }));
    const [a, b] = await Promise.all([bulk(auth, batch), bulk(auth, batch)]);
    t.same([a.statusCode, b.statusCode], [200, 200], `${a.body.slice(0, 200)} ${b.body.slice(0, 200)}`);
    t.same([a.json(), b.json()].map((o: Outcome) => [o.created, o.unchanged]).sort(), [
      [0, 50],
      [50, 0],
    ]);
    t.equal(await leaderCount(tenantId), 50);
  },
);

t.test('REST: tenants are apart', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const inA = (await bulk(a.auth, [leaderBody({ externalId: 'SHARED', name: 'In A' })])).json() as Outcome;
  const inB = await bulk(b.auth, [leaderBody({ externalId: 'SHARED', name: 'In B' })]);
  t.equal(inB.statusCode, 200);
  t.match(inB.json(), { created: 1 }, "another tenant's externalId is not a match");
  t.not((inB.json() as Outcome).results[0]!.id, inA.results[0]!.id);
  t.equal((await byExternalId(a.auth, 'SHARED')).name, 'In A');
  const manager = await bulk(b.auth, [{ externalId: 'SHARED', managerId: inA.results[0]!.id }]);
  t.equal(manager.statusCode, 400);
  t.same(pathsOf(manager), ['leaders[0].managerId invalid_reference']);
  const unauthenticated = await api(app).post('/v1/leaders/bulk', {
    leaders: [leaderBody({ externalId: 'X' })],
  });
  t.equal(unauthenticated.statusCode, 401);
});

t.test('GraphQL: upsertLeaders mirrors REST', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const mutation = `mutation($input: [LeaderUpsertInput!]!) {
    upsertLeaders(input: $input) { created updated unchanged results { index externalId id status version } }
  }`;
  const input = [
    leaderBody({ externalId: 'G-1' }),
    leaderBody({ externalId: 'G-2', managerExternalId: 'G-1', sameness: { sector: 'same' } }),
  ];
  const { body: first } = await gql(app, auth, mutation, { input });
  t.same(first.errors, undefined);
  const outcome = first.data!.upsertLeaders as Outcome;
  t.match(outcome, { created: 2, updated: 0, unchanged: 0 });
  const { body: read } = await gql(app, auth, `{ leaders(externalId: "G-2") { nodes { id managerId } } }`);
  t.same((read.data!.leaders as { nodes: unknown[] }).nodes, [
    { id: outcome.results[1]!.id, managerId: outcome.results[0]!.id },
  ]);
  const { body: again } = await gql(app, auth, mutation, {
    input: [...input, { externalId: 'G-1', yearsOfExperience: 21 }].slice(1),
  });
  t.same(
    (again.data!.upsertLeaders as Outcome).results.map((r) => [r.externalId, r.status, r.version]),
    [
      ['G-2', 'unchanged', 1],
      ['G-1', 'updated', 2],
    ],
  );
  const { body: bad } = await gql(app, auth, mutation, {
    input: [leaderBody({ externalId: 'G-3' }), { externalId: 'G-4', level: 'middle' }, { externalId: 'G-3' }],
  });
  t.equal(bad.errors?.[0]?.extensions.code, 'validation_failed');
  t.same(
    bad.errors?.[0]?.extensions.issues?.filter((i) => !i.path.startsWith('leaders[1].')).map((i) => i.path),
    ['leaders[2].externalId'],
  );
  t.ok(bad.errors?.[0]?.extensions.issues?.some((i) => i.path === 'leaders[1].name'));
  const { body: tooMany } = await gql(app, auth, mutation, {
    input: Array.from({ length: 1001 }, (_, i) => ({ externalId: `T${i}` })),
  });
  t.equal(tooMany.errors?.[0]?.extensions.code, 'validation_failed');
  t.same(
    tooMany.errors?.[0]?.extensions.issues?.map((i) => `${i.path} ${i.code}`),
    ['leaders too_long'],
  );
  t.equal(await leaderCount(tenantId), 2, 'nothing written by the refused batches');

  // A full batch of ordinary profiles fits the service's body limit on /graphql.
  const full = Array.from({ length: 1000 }, (_, i) => leaderBody({ externalId: `F${i}` }));
  const { status, body: many } = await gql(app, auth, mutation, { input: full });
  t.equal(status, 200);
  t.same(many.errors, undefined);
  t.match(many.data!.upsertLeaders, { created: 1000 });
});
