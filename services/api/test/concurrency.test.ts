/**
 * Truly concurrent writes: the same request fired several times at once (`Promise.all` over
 * `inject`), through REST and GraphQL. On PostgreSQL the requests run on separate connections in
 * parallel; on PGlite (one connection) their statements interleave between transactions. Each
 * scenario checks the answers (exactly one winner, the losers' problem codes) and then what was
 * stored, read back through the API.
 */

import t from '@sparring/test-workers/tap';
import { myEvaluation } from '../src/evaluations/evaluation.service.js';
import { createMemberSession } from '../src/members/member-session.service.js';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, type GraphQLErrorBody, gql } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';
import {
  addCharter,
  closeEvaluationWindow,
  createLeaders,
  createNetwork,
  memberToken,
  modelAndMeetings,
  PAST_MODEL,
  seedNetwork,
} from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
/** Sorted status codes: the order requests finish in is not ours to assert. */
const statuses = (responses: readonly { statusCode: number }[]) =>
  responses.map((r) => r.statusCode).sort((a, b) => a - b);

/** Each GraphQL answer as 'ok' or its first error's code, sorted. */
const outcomes = (results: readonly { body: { errors?: GraphQLErrorBody[] } }[]) =>
  results.map((r) => r.body.errors?.[0]?.extensions.code ?? 'ok').sort();

async function restNetwork(auth: Auth, body: Record<string, unknown>) {
  const res = await api(app, auth).post('/v1/networks', { name: 'Concurrent', ...body });
  if (res.statusCode !== 201) throw new Error(`network: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; version: number };
}

async function allNetworks(auth: Auth) {
  const res = await api(app, auth).get('/v1/networks?limit=200');
  return res.json().data as { id: string; name: string; members: { leaderId: string; active: boolean }[] }[];
}

async function readNetwork(auth: Auth, id: string) {
  const res = await api(app, auth).get(`/v1/networks/${id}`);
  return { etag: res.headers.etag as string, body: res.json() };
}

t.test('REST: two PATCHes with the same If-Match: one wins (200), the other is stale (412)', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await restNetwork(auth, {});
  // A few rounds, each from the ETag the last one left, so a lost update has several chances to show.
  for (let round = 1; round <= 3; round++) {
    const { etag, body: before } = await readNetwork(auth, net.id);
    const names = [`Round ${round} A`, `Round ${round} B`];
    const responses = await Promise.all(
      names.map((name) =>
        api(app, auth).patch(`/v1/networks/${net.id}`, { name }, { headers: { 'if-match': etag } }),
      ),
    );
    t.same(statuses(responses), [200, 412], `round ${round}: exactly one update goes through`);
    const winner = responses.find((r) => r.statusCode === 200)!;
    const loser = responses.find((r) => r.statusCode === 412)!;
    t.equal(loser.json().code, 'precondition_failed');
    t.match(loser.headers['content-type'], /application\/problem\+json/);
    const after = await readNetwork(auth, net.id);
    t.equal(after.body.name, winner.json().name, 'the stored name is the winner’s');
    t.ok(names.includes(after.body.name));
    t.equal(after.body.version, before.version + 1, 'one version step, not two');
    t.equal(after.etag, winner.headers.etag, 'the winner’s ETag is the current one');
  }
});

t.test('GraphQL: two updateNetwork with the same ifVersion: one wins, the other is stale', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await restNetwork(auth, {});
  const mutation =
    'mutation($id: ID!, $name: String!, $v: Int) { updateNetwork(id: $id, input: { name: $name }, ifVersion: $v) { name version } }';
  const results = await Promise.all(
    ['Graph A', 'Graph B'].map((name) => gql(app, auth, mutation, { id: net.id, name, v: net.version })),
  );
  t.same(outcomes(results), ['ok', 'precondition_failed']);
  const winner = results.find((r) => !r.body.errors)!.body.data!.updateNetwork as {
    name: string;
    version: number;
  };
  const after = await readNetwork(auth, net.id);
  t.equal(after.body.name, winner.name);
  t.equal(after.body.version, net.version + 1);
});

t.test(
  'REST: concurrent joins to a network with room for one more: exactly one joins, the rest are network_full',
  async (t) => {
    const { auth } = await ctx.tenant();
    const net = await restNetwork(auth, { size: { min: 4, max: 4 } });
    const leaders = await createLeaders(app, auth, 3 + 5);
    const candidates = leaders.slice(3);
    for (const leaderId of leaders.slice(0, 3)) {
      const res = await api(app, auth).post(`/v1/networks/${net.id}/members`, { leaderId });
      t.equal(res.statusCode, 201, 'seated before the race');
    }
    const responses = await Promise.all(
      candidates.map((leaderId) => api(app, auth).post(`/v1/networks/${net.id}/members`, { leaderId })),
    );
    t.same(statuses(responses), [201, 409, 409, 409, 409], 'one joins, four are refused');
    for (const r of responses.filter((r) => r.statusCode === 409)) {
      t.equal(r.json().code, 'network_full');
      t.equal(r.json().max, 4);
    }
    const { body } = await readNetwork(auth, net.id);
    const active = body.members.filter((m: { active: boolean }) => m.active);
    t.equal(active.length, 4, 'the member count never exceeds max');
    t.equal(body.members.length, 4, 'no refused leader left a row behind');
    const joined = responses.findIndex((r) => r.statusCode === 201);
    t.ok(
      active.some((m: { leaderId: string }) => m.leaderId === candidates[joined]),
      'the one who got 201 is the one who is in',
    );
    const rules = (await api(app, auth).get(`/v1/networks/${net.id}/rules`)).json();
    t.notOk(
      rules.violations.some((v: { code: string }) => v.code === 'too_many_members'),
      'the domain finds no too_many_members',
    );
  },
);

t.test('REST: the same leader added twice at once is a member once (already_a_member)', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await restNetwork(auth, {});
  const [leaderId] = await createLeaders(app, auth, 1);
  const responses = await Promise.all(
    [1, 2, 3].map(() => api(app, auth).post(`/v1/networks/${net.id}/members`, { leaderId })),
  );
  t.same(statuses(responses), [201, 409, 409]);
  for (const r of responses.filter((r) => r.statusCode === 409)) t.equal(r.json().code, 'already_a_member');
  const { body } = await readNetwork(auth, net.id);
  t.same(
    body.members.map((m: { leaderId: string }) => m.leaderId),
    [leaderId],
  );
  t.equal(body.version, net.version + 1, 'one membership change, one version step');
});

t.test('GraphQL: concurrent addMember to a network with room for one more: one joins', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await restNetwork(auth, { size: { min: 4, max: 4 } });
  const leaders = await createLeaders(app, auth, 7);
  const mutation = 'mutation($n: ID!, $l: ID!) { addMember(networkId: $n, leaderId: $l) { id version } }';
  for (const l of leaders.slice(0, 3)) {
    const res = await gql(app, auth, mutation, { n: net.id, l });
    t.notOk(res.body.errors, 'seated before the race');
  }
  const results = await Promise.all(leaders.slice(3).map((l) => gql(app, auth, mutation, { n: net.id, l })));
  t.same(outcomes(results), ['network_full', 'network_full', 'network_full', 'ok']);
  const read = await gql(app, auth, 'query($id: ID!) { network(id: $id) { members { active } } }', {
    id: net.id,
  });
  const members = (read.body.data!.network as { members: { active: boolean }[] }).members;
  t.equal(members.filter((m) => m.active).length, 4, 'never more than max');
});

t.test(
  'REST: concurrent POST /v1/networks with one Idempotency-Key stores one network; the others are 409 or the replay',
  async (t) => {
    const { auth } = await ctx.tenant();
    const key = `create-network-${Date.now()}`;
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        api(app, auth).post('/v1/networks', { name: 'Once only' }, { headers: { 'idempotency-key': key } }),
      ),
    );
    const created = responses.filter((r) => r.statusCode === 201 && !r.headers['idempotent-replayed']);
    t.equal(created.length, 1, 'exactly one request ran the handler');
    const id = created[0]!.json().id as string;
    for (const r of responses) {
      if (r === created[0]) continue;
      if (r.statusCode === 409) {
        t.equal(r.json().code, 'idempotency_request_in_progress');
      } else {
        t.equal(r.statusCode, 201, 'otherwise the first response, replayed');
        t.equal(r.headers['idempotent-replayed'], 'true');
        t.equal(r.json().id, id, 'the replay names the same network');
        t.equal(r.headers.location, `/v1/networks/${id}`);
      }
    }
    const stored = await allNetworks(auth);
    t.same(
      stored.map((n) => n.id),
      [id],
      'one network stored',
    );

    // Once the first has finished, the same key replays it and still stores nothing new.
    const later = await api(app, auth).post(
      '/v1/networks',
      { name: 'Once only' },
      { headers: { 'idempotency-key': key } },
    );
    t.equal(later.statusCode, 201);
    t.equal(later.headers['idempotent-replayed'], 'true');
    t.equal(later.json().id, id);
    t.equal((await allNetworks(auth)).length, 1);
  },
);

t.test(
  'REST: concurrent member joins with one Idempotency-Key add the member once (no already_a_member)',
  async (t) => {
    const { auth } = await ctx.tenant();
    const net = await restNetwork(auth, {});
    const [leaderId] = await createLeaders(app, auth, 1);
    const responses = await Promise.all(
      [1, 2, 3].map(() =>
        api(app, auth).post(
          `/v1/networks/${net.id}/members`,
          { leaderId },
          { headers: { 'idempotency-key': `join-${leaderId}` } },
        ),
      ),
    );
    const ran = responses.filter((r) => r.statusCode === 201 && !r.headers['idempotent-replayed']);
    t.equal(ran.length, 1, 'one request ran the handler');
    for (const r of responses) {
      if (r === ran[0]) continue;
      t.ok(
        (r.statusCode === 409 && r.json().code === 'idempotency_request_in_progress') ||
          (r.statusCode === 201 && r.headers['idempotent-replayed'] === 'true'),
        `a loser is in progress or the replay (${r.statusCode} ${r.json().code ?? ''})`,
      );
    }
    const { body } = await readNetwork(auth, net.id);
    t.same(
      body.members.map((m: { leaderId: string }) => m.leaderId),
      [leaderId],
    );
    t.equal(body.version, net.version + 1, 'the membership was written once');
  },
);

/** A finished formation run over `n` fresh leaders, proposals of exactly six. */
async function finishedRun(auth: Auth, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await api(app, auth).post('/v1/leaders', leaderBody({ organisation: `Org ${i % 5}` }));
    if (res.statusCode !== 201) throw new Error(res.body);
  }
  const created = await gql(
    app,
    auth,
    'mutation($input: CreateFormationRunInput!) { createFormationRun(input: $input) { id } }',
    { input: { sizes: { min: 6, max: 6 }, seed: 21, timeBudgetMs: 150 } },
  );
  const id = (created.body.data!.createFormationRun as { id: string }).id;
  await app.formationRunner.idle();
  const read = await gql(
    app,
    auth,
    'query($id: ID!) { formationRun(id: $id) { status proposals { index } } }',
    {
      id,
    },
  );
  const run = read.body.data!.formationRun as { status: string; proposals: { index: number }[] };
  if (run.status !== 'succeeded') throw new Error(`run ${run.status}`);
  return { id, proposals: run.proposals.length };
}

t.test(
  'GraphQL: acceptFormationProposals for the same proposal twice at once creates one network',
  async (t) => {
    const { auth } = await ctx.tenant();
    const run = await finishedRun(auth, 12);
    t.ok(run.proposals >= 1);
    const mutation =
      'mutation($id: ID!) { acceptFormationProposals(id: $id, proposals: [0], namePrefix: "Race") { proposals { index acceptedAsNetworkId } } }';
    const results = await Promise.all([1, 2, 3].map(() => gql(app, auth, mutation, { id: run.id })));
    t.same(outcomes(results), ['ok', 'proposal_already_accepted', 'proposal_already_accepted']);
    for (const r of results.filter((r) => r.body.errors)) {
      t.equal(r.body.errors![0]!.extensions.status, 409);
      t.equal(r.body.data, null);
    }
    const winner = results.find((r) => !r.body.errors)!.body.data!.acceptFormationProposals as {
      proposals: { index: number; acceptedAsNetworkId: string | null }[];
    };
    const networkId = winner.proposals[0]!.acceptedAsNetworkId;
    t.ok(networkId);
    const stored = await allNetworks(auth);
    t.same(
      stored.map((n) => n.id),
      [networkId],
      'exactly one network was created',
    );
    t.equal(stored[0]!.name, 'Race 1');
    t.equal(stored[0]!.members.length, 6, 'its members once each');
    const read = await gql(
      app,
      auth,
      'query($id: ID!) { formationRun(id: $id) { proposals { index acceptedAsNetworkId } } }',
      { id: run.id },
    );
    const proposals = (
      read.body.data!.formationRun as { proposals: { acceptedAsNetworkId: string | null }[] }
    ).proposals;
    t.equal(proposals[0]!.acceptedAsNetworkId, networkId, 'the run records the one network');
    t.ok(
      proposals.slice(1).every((p) => p.acceptedAsNetworkId === null),
      'no other proposal was touched',
    );
  },
);

t.test('GraphQL: the same meeting marked held twice at once is held once', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const network = await createNetwork(app, tenantId, members, { status: 'trial' });
  const [meeting] = await modelAndMeetings(app, auth, network, 2, PAST_MODEL);
  const before = (await readNetwork(auth, network)).body;
  const mutation =
    'mutation($m: ID!, $a: [HeldAttendanceInput!]!) { markMeetingHeld(id: $m, attendance: $a) { meeting { status } lifecycleStatus } }';
  const attendance = members.map((leaderId) => ({ leaderId, status: 'attended' }));
  const results = await Promise.all(
    [1, 2].map(() => gql(app, auth, mutation, { m: meeting!.id, a: attendance })),
  );
  t.same(outcomes(results), ['meeting_not_planned', 'ok']);
  const after = (await readNetwork(auth, network)).body;
  t.equal(after.lifecycle.heldInTrial, before.lifecycle.heldInTrial + 1, 'the trial counted one meeting');
  t.equal(
    after.lifecycle.history.filter((h: { event: string }) => h.event === 'meeting_held').length,
    before.lifecycle.history.filter((h: { event: string }) => h.event === 'meeting_held').length + 1,
    'one meeting_held in the history',
  );
  const m = (await api(app, auth).get(`/v1/meetings/${meeting!.id}`)).json();
  t.equal(m.status, 'held');
  t.equal(m.version, 2, 'the meeting was written once');
});

t.test('GraphQL: a member accepting the charter twice at once counts once', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 2);
  const network = await createNetwork(app, tenantId, members);
  await addCharter(app, tenantId, network, 24);
  const token = await memberToken(app, auth, members[0]!);
  const mutation =
    'mutation($n: ID!) { acceptCharter(networkId: $n, version: 1) { leaderId version acceptedAt } }';
  const results = await Promise.all([1, 2, 3].map(() => gql(app, token, mutation, { n: network })));
  t.same(outcomes(results), ['ok', 'ok', 'ok'], 'accepting again is idempotent');
  const accepted = results.map(
    (r) => (r.body.data!.acceptCharter as { leaderId: string; acceptedAt: string }).acceptedAt,
  );
  t.equal(new Set(accepted).size, 1, 'every answer names the one acceptance');
  const charter = (await api(app, auth).get(`/v1/networks/${network}/charter`)).json();
  t.same(charter.acceptedBy, [{ leaderId: members[0], acceptedAt: accepted[0] }], 'stored once');
  t.equal(charter.inForce, false, 'the other member has not accepted');
});

const answers = (benefit: number) => ({ benefit, energy: 4, purposeFit: 4, relations: 4, giveGet: 0 });

/**
 * A network of 4 with one held meeting, its evaluation window open, that members 0 and 1 answered
 * (benefit 3); k = 3.
 */
async function twoAnswered() {
  const { tenantId, auth } = await ctx.tenant();
  const seeded = await seedNetwork(app, tenantId, auth, {
    members: 4,
    minResponses: 3,
    held: 1,
    windowsOpen: true,
    answers: (_i, j) => (j < 2 ? answers(3) : null),
  });
  return { tenantId, auth, seeded };
}
/** The member's own answers, read in their own session (a token never reads them). */
async function ownAnswers(tenantId: string, leaderId: string, meetingId: string) {
  const { session } = await createMemberSession(app.db, tenantId, leaderId, new Date());
  return myEvaluation(app.db, session, meetingId);
}

t.test('REST: concurrent evaluation PUTs by one member: one answer set, one 201 and one 200', async (t) => {
  const { tenantId, auth, seeded } = await twoAnswered();
  const meetingId = seeded.meetingIds[0]!;
  const token = seeded.tokens[2]!;
  const responses = await Promise.all(
    [1, 5].map((benefit) =>
      api(app, token).put(`/v1/meetings/${meetingId}/evaluations/me`, answers(benefit)),
    ),
  );
  t.same(statuses(responses), [200, 201], 'the first PUT creates (201), the other replaces (200)');
  const mine = (await ownAnswers(tenantId, seeded.leaderIds[2]!, meetingId))!;
  t.ok([1, 5].includes(mine.benefit), 'one of the two answer sets is stored');
  const created = responses.find((r) => r.statusCode === 201)!.json();
  t.equal(mine.submittedAt, created.submittedAt, 'the first submission time is kept');
  const open = (await api(app, auth).get(`/v1/meetings/${meetingId}/evaluations/summary`)).json();
  t.match(open, { released: false, reason: 'window_open' }, 'nothing before the window closes');
  await closeEvaluationWindow(app, tenantId, meetingId);
  const summary = (await api(app, auth).get(`/v1/meetings/${meetingId}/evaluations/summary`)).json();
  t.equal(summary.released, true);
  t.equal(summary.value.responses, 3, 'the member counts once');
  t.equal(summary.value.benefit.mean, (3 + 3 + mine.benefit) / 3, 'the mean holds their answer once');
});

t.test('GraphQL: concurrent submitEvaluation by one member stores one answer set', async (t) => {
  const { tenantId, auth, seeded } = await twoAnswered();
  const meetingId = seeded.meetingIds[0]!;
  const token = seeded.tokens[3]!;
  const mutation =
    'mutation($m: ID!, $input: EvaluationInput!) { submitEvaluation(meetingId: $m, input: $input) { benefit submittedAt } }';
  const results = await Promise.all(
    [2, 4, 5].map((benefit) => gql(app, token, mutation, { m: meetingId, input: answers(benefit) })),
  );
  t.same(outcomes(results), ['ok', 'ok', 'ok']);
  const benefit = (await ownAnswers(tenantId, seeded.leaderIds[3]!, meetingId))!.benefit;
  t.ok([2, 4, 5].includes(benefit));
  await closeEvaluationWindow(app, tenantId, meetingId);
  const summary = await gql(
    app,
    auth,
    'query($m: ID!) { evaluationSummary(meetingId: $m) { released value { responses benefit { mean } } } }',
    { m: meetingId },
  );
  t.same(summary.body.data!.evaluationSummary, {
    released: true,
    value: { responses: 3, benefit: { mean: (3 + 3 + benefit) / 3 } },
  });
});
