import t from 'tap';
import { buildTestApp, gql } from './helpers/build.js';
import { type Answers, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const SUBMIT = `mutation ($m: ID!, $i: EvaluationInput!) {
  submitEvaluation(meetingId: $m, input: $i) { meetingId benefit comment editableUntil }
}`;
const MINE = 'query ($m: ID!) { myEvaluation(meetingId: $m) { benefit comment } }';
const SUMMARY = `query ($m: ID!) { evaluationSummary(meetingId: $m) {
  released reason minimum value { responses eligible benefit { mean distribution { value count } } }
} }`;
const input = (benefit: number, comment?: string) => ({
  benefit,
  energy: 4,
  purposeFit: 4,
  relations: 4,
  giveGet: 0,
  ...(comment ? { comment } : {}),
});

t.test(
  'submitEvaluation and myEvaluation: a member reads only their own; the admin gets no answers',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seedNetwork(app, tenantId, auth, { members: 6 });
    const m = s.meetingIds[2]!;
    const created = await gql(app, s.tokens[0]!, SUBMIT, { m, i: input(4, 'only mine') });
    t.same(created.body.data!.submitEvaluation, {
      meetingId: m,
      benefit: 4,
      comment: 'only mine',
      editableUntil: (created.body.data!.submitEvaluation as { editableUntil: string }).editableUntil,
    });
    t.same((await gql(app, s.tokens[0]!, MINE, { m })).body, {
      data: { myEvaluation: { benefit: 4, comment: 'only mine' } },
    });
    t.same(
      (await gql(app, s.tokens[1]!, MINE, { m })).body,
      { data: { myEvaluation: null } },
      'another member: nothing',
    );
    const admin = await gql(app, auth, MINE, { m });
    t.equal(admin.body.errors?.[0]?.extensions.code, 'forbidden', 'an admin key cannot read a member answer');
    const adminSubmit = await gql(app, auth, SUBMIT, { m, i: input(3) });
    t.equal(adminSubmit.body.errors?.[0]?.extensions.code, 'forbidden');

    const bad = await gql(app, s.tokens[1]!, SUBMIT, { m, i: input(9) });
    t.equal(bad.body.errors?.[0]?.extensions.code, 'validation_failed', 'the same code as REST');
    t.ok(bad.body.errors?.[0]?.extensions.issues?.some((i) => i.path === 'benefit'));
  },
);

t.test(
  'evaluationSummary withheld under k with no numbers, released at k; Meeting.evaluationSummary alike',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seedNetwork(app, tenantId, auth, { members: 6 });
    const m = s.meetingIds[2]!;
    for (let j = 0; j < 4; j++) await gql(app, s.tokens[j]!, SUBMIT, { m, i: input(j + 1, `secret ${j}`) });
    const withheld = await gql(app, auth, SUMMARY, { m });
    t.same(withheld.body, {
      data: {
        evaluationSummary: { released: false, reason: 'not_enough_responses', minimum: 5, value: null },
      },
    });
    const nested = await gql(
      app,
      auth,
      'query ($m: ID!) { meeting(id: $m) { evaluationSummary { released value { responses } } } }',
      { m },
    );
    t.same(nested.body, { data: { meeting: { evaluationSummary: { released: false, value: null } } } });
    await gql(app, s.tokens[4]!, SUBMIT, { m, i: input(5, 'secret 4') });
    const released = await gql(app, auth, SUMMARY, { m });
    t.same(released.body, {
      data: {
        evaluationSummary: {
          released: true,
          reason: null,
          minimum: null,
          value: {
            responses: 5,
            eligible: 6,
            benefit: { mean: 3, distribution: [1, 2, 3, 4, 5].map((value) => ({ value, count: 1 })) },
          },
        },
      },
    });
    t.notOk(JSON.stringify(released.body).includes('secret'));
  },
);

const atRisk = (i: number, j: number): Answers =>
  j === 0
    ? { benefit: 1, energy: 2, purposeFit: 3, relations: 3, giveGet: -2 }
    : { benefit: 4, energy: 4, purposeFit: 4, relations: 4, giveGet: (i + j) % 2 };

t.test('health and signals over GraphQL equal REST; member signals stay private', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, {
    members: 6,
    answers: atRisk,
    facilitator: 2,
    consenting: [0],
  });
  const rest = (await app.inject({ url: `/v1/networks/${s.networkId}/health`, headers: auth })).json();
  const q = `query ($n: ID!) { networkHealth(networkId: $n) { band index components { benefit reciprocity } evaluatedMeetings trend { direction slope } signals { code } } }`;
  const res = await gql(app, auth, q, { n: s.networkId });
  t.same(res.body.data!.networkHealth, {
    band: rest.band,
    index: rest.index,
    components: { benefit: rest.components.benefit, reciprocity: rest.components.reciprocity },
    evaluatedMeetings: 3,
    trend: { direction: rest.trend.direction, slope: rest.trend.slope },
    signals: rest.signals.map((x: { code: string }) => ({ code: x.code })),
  });
  const nested = await gql(
    app,
    auth,
    'query ($n: ID!) { network(id: $n) { health { index } signals { audience { memberId } } } }',
    {
      n: s.networkId,
    },
  );
  t.equal((nested.body.data!.network as { health: { index: number } }).health.index, rest.index);
  const memberOnes = (body: unknown) =>
    JSON.stringify(body).includes(s.leaderIds[0]!) ? 'sees member 0' : 'does not';
  t.equal(memberOnes(nested.body), 'does not', 'admin: no member signal on Network.signals');
  const SIG = 'query ($n: ID!) { networkSignals(networkId: $n) { code audience { kind memberId } } }';
  const MY = 'query ($n: ID!) { mySignals(networkId: $n) { code audience { memberId } } }';
  t.same((await gql(app, s.tokens[0]!, MY, { n: s.networkId })).body.data!.mySignals, [
    { code: 'member_at_risk_of_withdrawing', audience: { memberId: s.leaderIds[0] } },
  ]);
  t.same((await gql(app, s.tokens[1]!, MY, { n: s.networkId })).body.data!.mySignals, []);
  t.equal((await gql(app, auth, MY, { n: s.networkId })).body.errors?.[0]?.extensions.code, 'forbidden');
  t.equal(memberOnes((await gql(app, s.tokens[2]!, SIG, { n: s.networkId })).body), 'does not', 'policy off');
  await app.db
    .updateTable('tenants')
    .set({ facilitator_sees_member_signals: true })
    .where('id', '=', tenantId)
    .execute();
  t.equal(
    memberOnes((await gql(app, s.tokens[2]!, SIG, { n: s.networkId })).body),
    'sees member 0',
    'policy + consent',
  );
  t.equal(
    memberOnes((await gql(app, s.tokens[3]!, SIG, { n: s.networkId })).body),
    'does not',
    'not the facilitator',
  );
  t.equal(memberOnes((await gql(app, auth, SIG, { n: s.networkId })).body), 'does not', 'never the admin');
});

t.test('tenant isolation on every evaluation field', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const s = await seedNetwork(app, a.tenantId, a.auth, { members: 5 });
  const other = await seedNetwork(app, b.tenantId, b.auth, { members: 5 });
  const m = s.meetingIds[0]!;
  const n = s.networkId;
  const cases: [string, Record<string, unknown>][] = [
    [SUMMARY, { m }],
    [SUBMIT, { m, i: input(3) }],
    [MINE, { m }],
    ['query ($n: ID!) { networkHealth(networkId: $n) { index } }', { n }],
    ['query ($n: ID!) { networkSignals(networkId: $n) { code } }', { n }],
    ['query ($n: ID!) { mySignals(networkId: $n) { code } }', { n }],
  ];
  for (const [query, vars] of cases) {
    for (const headers of [b.auth, other.tokens[0]!]) {
      const res = await gql(app, headers, query, vars);
      const code = res.body.errors?.[0]?.extensions.code;
      t.ok(
        code === 'not_found' || (code === 'forbidden' && headers === b.auth),
        `${query.slice(0, 40)}: ${code}`,
      );
    }
    const res = await gql(app, other.tokens[0]!, query, vars);
    t.equal(res.body.errors?.[0]?.extensions.code, 'not_found');
  }
});

t.test(
  'Network.health and Network.signals: round trips do not grow with the number of networks',
  async (t) => {
    const query = '{ networks(first: 20) { nodes { id health { index band } signals { code } } } }';
    const cost = async (n: number) => {
      const { tenantId, auth } = await ctx.tenant();
      for (let i = 0; i < n; i++) await seedNetwork(app, tenantId, auth, { members: 5, answers: atRisk });
      const before = app.database.queries.count;
      const res = await gql(app, auth, query);
      const used = app.database.queries.count - before;
      const nodes = (res.body.data!.networks as { nodes: { health: { index: number } }[] }).nodes;
      t.equal(nodes.length, n);
      t.ok(nodes.every((x) => typeof x.health.index === 'number'));
      return used;
    };
    const two = await cost(2);
    const five = await cost(5);
    t.equal(five, two, `round trips: ${two} for 2 networks, ${five} for 5`);
  },
);
