/**
 * "The confidential room holds against HR: an admin key can act for a member, never read what is
 * theirs." The seven probes that once broke it, replayed as an HR integrator would (admin key and
 * admin-minted member tokens, REST and GraphQL), each asserting the refusal or the absence:
 * 1. no count of answers below k anywhere (health, signals, summaries, reviews, errors);
 * 2. no differencing: results are released once, after the window closes, and never change;
 * 3. a minted token acts for the member but never reads their private data (and is recorded);
 * 4. members see fellow members through the member view only, nobody outside their networks;
 * 5. a former member reads nothing that happened after they left;
 * 6. k is frozen per meeting: lowering it afterwards releases nothing;
 * 7. k below the floor is a 400 naming the floor.
 * Plus a property: an admin differencing every pair of successive readings never isolates an answer.
 */

import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import { myEvaluation } from '../src/evaluations/evaluation.service.js';
import { mySignals, signalsForCaller } from '../src/evaluations/health.service.js';
import { createMemberSession } from '../src/members/member-session.service.js';
import { actionsForLeader } from '../src/members/token-audit.js';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import {
  type Auth,
  answer,
  countsBelowK,
  countsIn,
  type FormedNetwork,
  formNetwork,
  hold,
  timePasses,
} from './helpers/confidentiality-fixtures.js';
import { MEMBER_VIEW_KEYS } from './helpers/fixtures.js';
import { createLeaders, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const DAY = 86_400_000;

const get = async (auth: Auth, url: string) => {
  const res = await api(app, auth).get(url);
  return { status: res.statusCode, body: res.json() };
};
const summaryOf = (auth: Auth, meetingId: string) =>
  get(auth, `/v1/meetings/${meetingId}/evaluations/summary`);
const healthOf = (auth: Auth, networkId: string) => get(auth, `/v1/networks/${networkId}/health`);
const signalsOf = (auth: Auth, networkId: string) => get(auth, `/v1/networks/${networkId}/signals`);

const SUMMARY_FIELDS =
  'released reason minimum closesAt value { responses eligible responseRate minimum meetingIds releasedAt benefit { mean } }';
const SIGNAL_FIELDS = 'code severity audience { kind memberId } evidence { name value }';
const HEALTH_FIELDS = `band index evaluatedMeetings meetingsInWindow measures { responses respondents meanBenefit mostlyGivingMembers mostlyGivingShare } attendance { meetings } trend { meetings { meetingId meetingIds } } signals { ${SIGNAL_FIELDS} }`;

const gqlSummary = async (auth: Auth, meetingId: string) =>
  gql(app, auth, `query($id: ID!) { evaluationSummary(meetingId: $id) { ${SUMMARY_FIELDS} } }`, {
    id: meetingId,
  });
const gqlHealth = async (auth: Auth, networkId: string) =>
  gql(app, auth, `query($id: ID!) { networkHealth(networkId: $id) { ${HEALTH_FIELDS} } }`, { id: networkId });
const gqlSignals = async (auth: Auth, networkId: string) =>
  gql(app, auth, `query($id: ID!) { networkSignals(networkId: $id) { ${SIGNAL_FIELDS} } }`, {
    id: networkId,
  });

type SignalJson = { code: string; audience: { kind: string }; evidence: Record<string, number> };
const byCode = (signals: SignalJson[], code: string) => signals.find((s) => s.code === code);
type GqlSignal = { code: string; audience: { kind: string }; evidence: { name: string; value: number }[] };
const gqlEvidence = (signals: GqlSignal[], code: string) => {
  const s = signals.find((x) => x.code === code);
  return s ? Object.fromEntries(s.evidence.map((e) => [e.name, e.value])) : undefined;
};

// ---------------------------------------------------------------------------------------------
// 1. Counts below k
// ---------------------------------------------------------------------------------------------

t.test(
  '1. a meeting with 4 of 5 answers: no count below k in health, signals, summaries, reviews or errors',
  async (t) => {
    const { auth } = await ctx.tenant();
    const net = await formNetwork(app, auth, { members: 6, minResponses: 5 });
    const [m1, m2, m3] = net.meetingIds as [string, string, string];
    const noShow = [net.leaderIds[5]!];
    await hold(app, auth, net, m1, noShow);
    for (const j of [0, 1, 2, 3])
      t.equal((await answer(app, net.tokens[j]!, m1, { benefit: 2 + j })).statusCode, 201);

    // While the window is open: the summary says only that, with k and when it closes.
    const open = await summaryOf(auth, m1);
    t.same(Object.keys(open.body).sort(), ['closesAt', 'minimum', 'reason', 'released']);
    t.match(open.body, { released: false, reason: 'window_open', minimum: 5 });
    let health = await healthOf(auth, net.networkId);
    t.same(countsBelowK(health.body, 5), [], 'health (window open): no count below k');
    const overdueOpen = byCode(health.body.signals, 'evaluation_overdue');
    t.ok(overdueOpen, 'the meeting is overdue (started long ago, not released)');
    t.same(Object.keys(overdueOpen!.evidence).sort(), ['daysSinceMeeting', 'minimum'], 'overdue: no count');
    t.equal(overdueOpen!.evidence.minimum, 5);

    // Time passes (the window closes): 4 answers stay withheld, without their count.
    await timePasses(app, m1);
    const closed = await summaryOf(auth, m1);
    t.same(
      closed.body,
      { released: false, reason: 'not_enough_responses', minimum: 5 },
      'withheld: no numbers at all',
    );
    const late = await answer(app, net.tokens[4]!, m1, { benefit: 5 });
    t.equal(late.statusCode, 409);
    t.equal(late.json().code, 'evaluation_window_closed');
    t.same(countsIn(late.json()), [], 'the error body carries no count');

    // A second meeting with one answer (by a member who answered before: still 4 distinct members):
    // the response rate over closed windows falls below the threshold.
    await hold(app, auth, net, m2, noShow);
    t.equal((await answer(app, net.tokens[0]!, m2, { benefit: 3 })).statusCode, 201);
    await timePasses(app, m2);
    health = await healthOf(auth, net.networkId);
    t.equal(health.status, 200);
    t.same(countsBelowK(health.body, 5), [], 'health: no count below k');
    t.equal(health.body.evaluatedMeetings, 0, 'nothing released');
    t.equal(health.body.measures, null);
    const overdue = byCode(health.body.signals, 'evaluation_overdue');
    t.same(Object.keys(overdue?.evidence ?? {}).sort(), ['daysSinceMeeting', 'minimum']);
    t.equal(overdue?.evidence.minimum, 5, 'evidence: only the minimum');
    const low = byCode(health.body.signals, 'low_response_rate');
    t.ok(low, 'low_response_rate is raised (5 answers of 10 who could)');
    t.same(low?.evidence, { threshold: 0.6 }, 'evidence: only the threshold');
    const signals = await signalsOf(auth, net.networkId);
    t.same(signals.body.data, health.body.signals, '/signals: the same network signals');
    t.same(countsBelowK(signals.body, 5), []);
    for (const id of [m1, m2])
      t.same((await summaryOf(auth, id)).body, {
        released: false,
        reason: 'not_enough_responses',
        minimum: 5,
      });

    // The third meeting makes the review due: its reasons carry no count either.
    await hold(app, auth, net, m3, noShow);
    const review = await get(auth, `/v1/networks/${net.networkId}/review`);
    t.equal(review.status, 200, 'the review is due');
    t.same(countsBelowK(review.body, 5), [], 'review: no count below k');
    const reasons = review.body.recommendation.reasons as {
      code: string;
      evidence: Record<string, number>;
    }[];
    const overdueReason = reasons.find((r) => r.code === 'evaluation_overdue');
    t.ok(overdueReason, 'the review names the overdue evaluation');
    t.same(Object.keys(overdueReason?.evidence ?? {}).sort(), ['daysSinceMeeting', 'minimum']);
    const lowReason = reasons.find((r) => r.code === 'low_response_rate');
    t.same(lowReason?.evidence, { threshold: 0.6 });

    // GraphQL: the same readings.
    const gh = await gqlHealth(auth, net.networkId);
    t.notOk(gh.body.errors);
    const gHealth = gh.body.data!.networkHealth as {
      signals: GqlSignal[];
      measures: unknown;
      evaluatedMeetings: number;
    };
    t.same(countsBelowK(gHealth, 5), [], 'GraphQL health: no count below k');
    t.equal(gHealth.measures, null);
    t.same(Object.keys(gqlEvidence(gHealth.signals, 'evaluation_overdue') ?? {}).sort(), [
      'daysSinceMeeting',
      'minimum',
    ]);
    t.same(gqlEvidence(gHealth.signals, 'low_response_rate'), { threshold: 0.6 });
    const gs = await gqlSignals(auth, net.networkId);
    t.same(countsBelowK(gs.body.data, 5), [], 'GraphQL networkSignals: no count below k');
    const gsum = await gqlSummary(auth, m1);
    t.same(
      gsum.body.data!.evaluationSummary,
      { released: false, reason: 'not_enough_responses', minimum: 5, closesAt: null, value: null },
      'GraphQL summary: withheld, no numbers',
    );
    const gLate = await gql(
      app,
      net.tokens[4]!,
      'mutation($id: ID!) { submitEvaluation(meetingId: $id, input: { benefit: 5, energy: 5, purposeFit: 5, relations: 5, giveGet: 0 }) { benefit } }',
      { id: m1 },
    );
    t.equal(gLate.body.errors?.[0]?.extensions.code, 'evaluation_window_closed');
    t.same(countsIn(gLate.body), [], 'GraphQL error: no count');
    const gReview = await gql(
      app,
      auth,
      'query($id: ID!) { currentReview(networkId: $id) { recommendation { reasons { code evidence { name value } } } } }',
      { id: net.networkId },
    );
    t.notOk(gReview.body.errors);
    t.same(countsBelowK(gReview.body.data, 5), [], 'GraphQL review: no count below k');
  },
);

t.test('1b. a released round: no count of members below k in health or in the review reasons', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await formNetwork(app, auth, { members: 6, minResponses: 5 });
  const noShow = [net.leaderIds[5]!];
  // Three meetings, each answered by all five who came (the window closes early): one of the
  // five mostly gives (give/get −2), a count of 1 member.
  for (const m of net.meetingIds) {
    await hold(app, auth, net, m, noShow);
    for (const j of [0, 1, 2, 3, 4])
      t.equal(
        (await answer(app, net.tokens[j]!, m, { benefit: 4, giveGet: j === 0 ? -2 : 1 })).statusCode,
        201,
      );
  }
  const health = await healthOf(auth, net.networkId);
  t.equal(health.body.evaluatedMeetings, 3, 'released (every eligible member answered: early close)');
  t.equal(health.body.measures.respondents, 5);
  t.equal(health.body.measures.mostlyGivingMembers, null, 'health: 1 mostly-giving member is not shown');
  t.equal(health.body.measures.mostlyGivingShare, null, 'nor its share (share × respondents = the count)');
  t.same(countsBelowK(health.body, 5), []);

  const review = await get(auth, `/v1/networks/${net.networkId}/review`);
  t.equal(review.status, 200);
  const respondents = health.body.measures.respondents as number;
  const reasons = review.body.recommendation.reasons as { code: string; evidence: Record<string, number> }[];
  const giving = reasons.find((r) => r.code === 'members_mostly_giving');
  t.ok(giving, 'the review names the members who mostly give (a share of at least 0.2)');
  t.same(giving?.evidence, { threshold: 0.2 }, 'with the threshold only: not the share, not the count');
  for (const r of reasons) {
    const share = r.evidence.mostlyGivingShare;
    if (share === undefined) continue;
    const members = Math.round(share * respondents);
    t.notOk(
      members >= 1 && members < 5,
      `review reason ${r.code}: mostlyGivingShare ${share} × ${respondents} respondents = ${members} member(s), a count below k`,
    );
  }
  t.same(countsBelowK(review.body, 5), []);
});

// ---------------------------------------------------------------------------------------------
// 2. Differencing
// ---------------------------------------------------------------------------------------------

t.test(
  '2. differencing: withheld while the window is open, released once when it closes, never changed',
  async (t) => {
    const { auth } = await ctx.tenant();
    const net = await formNetwork(app, auth, { members: 7, minResponses: 5 });
    const [m1, m2] = net.meetingIds as [string, string];
    await hold(app, auth, net, m1);
    const benefits = [5, 4, 3, 4, 5, 1];
    const readings: unknown[] = [];
    for (const [j, benefit] of benefits.entries()) {
      t.equal((await answer(app, net.tokens[j]!, m1, { benefit })).statusCode, 201);
      if (j >= 4) readings.push((await summaryOf(auth, m1)).body);
    }
    // At 5 answers and again at 6: the same withheld reading, nothing to subtract.
    t.match(readings[0], { released: false, reason: 'window_open', minimum: 5 });
    t.same(Object.keys(readings[0] as object).sort(), ['closesAt', 'minimum', 'reason', 'released']);
    t.same(readings[1], readings[0], 'the reading at 6 answers equals the one at 5');
    const healthOpen = await healthOf(auth, net.networkId);
    t.equal(healthOpen.body.evaluatedMeetings, 0, 'health reads no open round');
    t.equal(healthOpen.body.measures, null);
    const gOpen = await gqlSummary(auth, m1);
    t.match(gOpen.body.data!.evaluationSummary, {
      released: false,
      reason: 'window_open',
      minimum: 5,
      value: null,
    });
    t.equal(
      (gOpen.body.data!.evaluationSummary as { closesAt: string }).closesAt,
      (readings[0] as { closesAt: string }).closesAt,
      'GraphQL: window_open with when it closes',
    );

    // Time passes: released once, over the 6 answers.
    await timePasses(app, m1);
    const released = await summaryOf(auth, m1);
    t.match(released.body, { released: true, value: { responses: 6, minimum: 5, meetingIds: [m1] } });
    t.equal(released.body.value.benefit.mean, benefits.reduce((a, b) => a + b, 0) / 6);
    const healthReleased = await healthOf(auth, net.networkId);
    t.equal(healthReleased.body.measures.responses, 6);

    // The seventh member can no longer answer; nothing changes.
    const seventh = await answer(app, net.tokens[6]!, m1, { benefit: 1 });
    t.equal(seventh.statusCode, 409);
    t.equal(seventh.json().code, 'evaluation_window_closed');
    const edit = await answer(app, net.tokens[0]!, m1, { benefit: 1 });
    t.equal(edit.statusCode, 409, 'nor edit an answer');
    const gSeventh = await gql(
      app,
      net.tokens[6]!,
      'mutation($id: ID!) { submitEvaluation(meetingId: $id, input: { benefit: 1, energy: 1, purposeFit: 1, relations: 1, giveGet: 0 }) { benefit } }',
      { id: m1 },
    );
    t.equal(gSeventh.body.errors?.[0]?.extensions.code, 'evaluation_window_closed', 'GraphQL: the same 409');
    t.same((await summaryOf(auth, m1)).body, released.body, 'a released summary never changes');
    t.same((await healthOf(auth, net.networkId)).body, healthReleased.body, 'nor does health');
    const gReleased = await gqlSummary(auth, m1);
    t.match(gReleased.body.data!.evaluationSummary, {
      released: true,
      value: {
        responses: 6,
        minimum: 5,
        meetingIds: [m1],
        benefit: { mean: released.body.value.benefit.mean },
      },
    });
    t.same((await gqlSummary(auth, m1)).body, gReleased.body, 'GraphQL: identical on every read');

    // Early close: when every member who could answer did, the results are released at once, and
    // are final (no edit can change them).
    await hold(app, auth, net, m2, [net.leaderIds[5]!, net.leaderIds[6]!]);
    for (const j of [0, 1, 2, 3]) await answer(app, net.tokens[j]!, m2, { benefit: 3 });
    t.match(
      (await summaryOf(auth, m2)).body,
      { released: false, reason: 'window_open' },
      '4 of 5: still open',
    );
    const fifth = await answer(app, net.tokens[4]!, m2, { benefit: 2 });
    t.equal(fifth.statusCode, 201);
    t.equal(
      fifth.json().editableUntil,
      new Date(fifth.json().updatedAt).toISOString(),
      'the window closes now',
    );
    const early = await summaryOf(auth, m2);
    t.match(early.body, { released: true, value: { responses: 5, meetingIds: [m2] } });
    t.equal(
      (await answer(app, net.tokens[0]!, m2, { benefit: 5 })).statusCode,
      409,
      'no edit after the early close',
    );
    t.same((await summaryOf(auth, m2)).body, early.body, 'unchanged');
  },
);

// ---------------------------------------------------------------------------------------------
// 3. A minted token acts, never reads
// ---------------------------------------------------------------------------------------------

t.test(
  "3. an admin-minted member token acts for the member but never reads the member's private data",
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const net = await formNetwork(app, auth, { members: 6, minResponses: 3 });
    const [m1, , m3] = net.meetingIds as [string, string, string];
    // A meeting still to come, for an afbud.
    const current = await api(app, auth).get(`/v1/meetings/${m3}`);
    const moved = await api(app, auth).patch(
      `/v1/meetings/${m3}`,
      { startsAt: new Date(Date.now() + 20 * DAY).toISOString() },
      { headers: { 'if-match': current.headers.etag as string } },
    );
    t.equal(moved.statusCode, 200);
    await hold(app, auth, net, m1);
    const [leaderId, token] = [net.leaderIds[0]!, net.tokens[0]!];

    // The probe: mint a token and read the member's answers and private signals with it.
    const minted = await api(app, auth).post(`/v1/leaders/${leaderId}/member-tokens`, {});
    t.equal(minted.statusCode, 201);
    const probe = { authorization: `Bearer ${minted.json().token}` };

    // Acting: an answer (very low: a member signal about them), an afbud, a consent.
    const put = await answer(app, probe, m1, { benefit: 1, giveGet: -2, comment: 'private to me' });
    t.equal(put.statusCode, 201, 'the token answers');
    t.equal(
      (await answer(app, probe, m1, { benefit: 1, giveGet: -2, comment: 'still mine' })).statusCode,
      200,
      'and edits',
    );
    const afbud = await api(app, probe).post(`/v1/meetings/${m3}/attendance/me`, { status: 'cancelled' });
    t.equal(afbud.statusCode, 200, 'gives an afbud');
    const consent = await api(app, probe).put(`/v1/networks/${net.networkId}/members/me/consent`, {
      shareSignalsWithFacilitator: false,
    });
    t.equal(consent.statusCode, 200, 'sets the consent');

    // Reading: refused with private_data, for the token and for the admin key.
    for (const [who, headers] of [
      ['the minted token', probe],
      ['the token minted with the network', token],
      ['the admin key', auth],
    ] as const) {
      for (const url of [`/v1/meetings/${m1}/evaluations/me`, `/v1/networks/${net.networkId}/signals/me`]) {
        const res = await get(headers, url);
        t.equal(res.status, 403, `${who}: GET ${url} is 403`);
        t.equal(res.body.code, 'private_data');
        t.match(res.body.detail, /private data/, 'the detail says why');
        t.notMatch(JSON.stringify(res.body), /private to me|still mine|mine again/, 'no trace of the answer');
      }
    }
    const tokenSignals = await signalsOf(probe, net.networkId);
    t.equal(tokenSignals.status, 200);
    t.ok(
      tokenSignals.body.data.every((s: SignalJson) => s.audience.kind === 'network'),
      'GET /signals with the token: network signals only',
    );

    // GraphQL: the same.
    for (const [who, headers] of [
      ['token', probe],
      ['admin', auth],
    ] as const) {
      const mine = await gql(
        app,
        headers,
        'query($id: ID!) { myEvaluation(meetingId: $id) { benefit comment } }',
        {
          id: m1,
        },
      );
      t.equal(
        mine.body.errors?.[0]?.extensions.code,
        'private_data',
        `GraphQL myEvaluation (${who}): private_data`,
      );
      t.equal(mine.body.errors?.[0]?.extensions.status, 403);
      t.notOk((mine.body.data as { myEvaluation?: unknown } | null)?.myEvaluation, 'no data');
      const sig = await gql(
        app,
        headers,
        `query($id: ID!) { mySignals(networkId: $id) { ${SIGNAL_FIELDS} } }`,
        {
          id: net.networkId,
        },
      );
      t.equal(
        sig.body.errors?.[0]?.extensions.code,
        'private_data',
        `GraphQL mySignals (${who}): private_data`,
      );
    }
    const gSignals = await gqlSignals(probe, net.networkId);
    t.ok(
      (gSignals.body.data!.networkSignals as GqlSignal[]).every((s) => s.audience.kind === 'network'),
      'GraphQL networkSignals with the token: network signals only',
    );
    const gPut = await gql(
      app,
      probe,
      'mutation($id: ID!) { submitEvaluation(meetingId: $id, input: { benefit: 1, energy: 2, purposeFit: 2, relations: 2, giveGet: -2, comment: "mine again" }) { benefit } }',
      { id: m1 },
    );
    t.notOk(gPut.body.errors, 'GraphQL: the token answers');
    const gConsent = await gql(
      app,
      probe,
      'mutation($id: ID!) { setMySignalConsent(networkId: $id, shareSignalsWithFacilitator: false) { shareSignalsWithFacilitator } }',
      { id: net.networkId },
    );
    t.notOk(gConsent.body.errors, 'GraphQL: the token sets the consent');

    // In the member's own session the same service functions return the member's own data.
    const { session } = await createMemberSession(app.db, tenantId, leaderId, new Date());
    const own = await myEvaluation(app.db, session, m1);
    t.match(
      own,
      { meetingId: m1, benefit: 1, giveGet: -2, energy: 2, comment: 'mine again' },
      'own session: own answers (the last given, over GraphQL)',
    );
    const ownSignals = await mySignals(app.db, session, net.networkId, new Date());
    t.ok(ownSignals.length > 0, 'own session: own signals');
    t.ok(
      ownSignals.every((s) => s.audience.kind === 'member' && s.audience.memberId === leaderId),
      'only their own',
    );
    const sessionSees = await signalsForCaller(app.db, session, net.networkId, new Date());
    t.ok(
      sessionSees.some((s) => s.audience.kind === 'member'),
      'the session sees its member signal where the token does not',
    );

    // What the token did is recorded and shown to the member in their own session.
    const acted = await actionsForLeader(app.db, session);
    const probeToken = acted.tokens.find((x) => x.id === minted.json().id);
    t.ok(probeToken, 'the minted token is listed for the member');
    t.same(
      probeToken!.actions.map((a) => a.action),
      [
        'PUT /v1/meetings/:id/evaluations/me',
        'PUT /v1/meetings/:id/evaluations/me',
        'POST /v1/meetings/:id/attendance/me',
        'PUT /v1/networks/:id/members/me/consent',
        'graphql submitEvaluation',
        'graphql setMySignalConsent',
      ],
      'every write done with it, in order; no read and no refused request',
    );
    const first = acted.tokens.find((x) => x.id !== minted.json().id);
    t.same(
      first?.actions.map((a) => a.action),
      ['POST /v1/networks/:id/charter-versions/:version/acceptances'],
      'the charter acceptance done with the first token is recorded too',
    );
  },
);

// ---------------------------------------------------------------------------------------------
// 4. Fellow members' profiles
// ---------------------------------------------------------------------------------------------

t.test(
  '4. a member sees fellow members through the member view, and nobody outside their networks',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const [boss] = await createLeaders(app, auth, 1, () => ({ name: 'Outside Boss' }));
    const s = await seedNetwork(app, tenantId, auth, { members: 6, held: 1 });
    const patched = await api(app, auth).patch(`/v1/leaders/${s.leaderIds[1]}`, { managerId: boss });
    t.equal(patched.statusCode, 200);
    const token = s.tokens[0]!;

    const probe = await gql(
      app,
      token,
      'query($id: ID!) { network(id: $id) { members { leaderId name organisation role leader { name email organisation managerId manager { name email } } } } }',
      { id: s.networkId },
    );
    t.notOk(probe.body.errors);
    const members = (probe.body.data!.network as { members: Record<string, unknown>[] }).members;
    t.equal(members.length, 6);
    for (const m of members) {
      t.equal(m.leader, null, `NetworkMember.leader is null for a member (${m.leaderId})`);
      t.ok(typeof m.name === 'string' && typeof m.organisation === 'string' && typeof m.role === 'string');
    }
    t.notMatch(JSON.stringify(probe.body), /@example\.dk|Outside Boss/, 'no email, no manager');
    const me = await gql(app, s.tokens[1]!, '{ me { manager { name email } } }');
    t.equal(
      (me.body.data?.me as { manager: unknown } | undefined)?.manager ?? null,
      null,
      'Leader.manager is null for a member',
    );
    const outsider = await gql(app, token, 'query($id: ID!) { leader(id: $id) { name email } }', {
      id: boss,
    });
    t.ok(outsider.body.errors?.length, 'no query reaches a leader outside the network');
    t.notMatch(JSON.stringify(outsider.body), /Outside Boss/);
    const list = await gql(app, token, '{ leaders { data { name email } } }');
    t.notMatch(JSON.stringify(list.body), /@example\.dk|Outside Boss/, 'no leader list for a member');

    // REST: the member view, and no leader resource.
    const rest = await get(token, `/v1/networks/${s.networkId}`);
    for (const m of rest.body.members as Record<string, unknown>[])
      t.same(Object.keys(m).sort(), MEMBER_VIEW_KEYS);
    t.notMatch(JSON.stringify(rest.body), /@example\.dk/);
    for (const id of [boss, s.leaderIds[1]]) {
      const res = await get(token, `/v1/leaders/${id}`);
      t.ok([403, 404].includes(res.status), `GET /v1/leaders/{id} with a token: ${res.status}`);
      t.notMatch(JSON.stringify(res.body), /@example\.dk|Outside Boss/);
    }
    // The admin still reads profiles and managers.
    const admin = await gql(
      app,
      auth,
      'query($id: ID!) { network(id: $id) { members { leaderId leader { manager { name } } } } }',
      { id: s.networkId },
    );
    const adminMembers = (admin.body.data!.network as { members: { leaderId: string; leader: unknown }[] })
      .members;
    t.same(adminMembers.find((m) => m.leaderId === s.leaderIds[1])?.leader, {
      manager: { name: 'Outside Boss' },
    });
  },
);

// ---------------------------------------------------------------------------------------------
// 5. A former member
// ---------------------------------------------------------------------------------------------

t.test('5. a former member reads no result from after they left (summaries, health, review)', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  // Held 80, 50 and 20 days ago, answered by all six; every window has closed.
  const s = await seedNetwork(app, tenantId, auth, {
    members: 6,
    held: 3,
    lastHeldDaysAgo: 20,
    answers: (i, j) => ({ benefit: 1 + ((i + j) % 5), energy: 4, purposeFit: 4, relations: 4, giveGet: 0 }),
  });
  const [m1, m2, m3] = s.meetingIds as [string, string, string];
  const leftAt = new Date(Date.now() - 35 * DAY);
  const leave = await api(app, auth).post(`/v1/networks/${s.networkId}/members/${s.leaderIds[0]}/leave`, {
    leftAt: leftAt.toISOString(),
  });
  t.equal(leave.statusCode, 200);
  const former = s.tokens[0]!;

  const adminHealth = await healthOf(auth, s.networkId);
  t.equal(adminHealth.body.evaluatedMeetings, 3, 'the admin: three released meetings');
  t.equal((await get(auth, `/v1/networks/${s.networkId}/review`)).status, 200, 'the review opens now');

  // Summaries: the meetings of their time, and no later one.
  for (const id of [m1, m2]) t.match((await summaryOf(former, id)).body, { released: true });
  const after = await summaryOf(former, m3);
  t.equal(
    after.status,
    404,
    `REST: the meeting after they left is not found (got ${JSON.stringify(after.body)})`,
  );
  t.notOk('value' in after.body);
  const gAfter = await gqlSummary(former, m3);
  t.equal(
    gAfter.body.errors?.[0]?.extensions.code,
    'not_found',
    `GraphQL evaluationSummary: not found (got ${JSON.stringify(gAfter.body)})`,
  );
  t.match((await gqlSummary(former, m2)).body.data!.evaluationSummary, { released: true });

  // Health and signals stop at their leave date.
  const health = await healthOf(former, s.networkId);
  t.equal(health.status, 200);
  t.equal(health.body.evaluatedMeetings, 2, 'REST health: the releases of their time only');
  t.equal(health.body.attendance.meetings, 2);
  const trendIds = (health.body.trend.meetings as { meetingIds: string[] }[]).flatMap((m) => m.meetingIds);
  t.notOk(trendIds.includes(m3), 'no trend point after they left');
  t.notMatch(JSON.stringify(health.body), new RegExp(m3), 'the later meeting appears nowhere');
  t.not(health.body.index, adminHealth.body.index, 'not the index of today');
  const gh = await gqlHealth(former, s.networkId);
  t.notOk(gh.body.errors);
  const gHealth = gh.body.data!.networkHealth as { evaluatedMeetings: number };
  t.equal(gHealth.evaluatedMeetings, 2, 'GraphQL networkHealth: the same');
  t.notMatch(JSON.stringify(gh.body), new RegExp(m3));
  const gs = await gqlSignals(former, s.networkId);
  t.notOk(gs.body.errors);
  t.notMatch(JSON.stringify((await signalsOf(former, s.networkId)).body), new RegExp(m3));

  // Meetings listed: only those of their time.
  const listed = await get(former, `/v1/networks/${s.networkId}/meetings`);
  t.same(
    listed.body.data.map((m: { id: string }) => m.id),
    [m1, m2],
  );

  // Reviews opened after they left are hidden.
  t.equal((await get(former, `/v1/networks/${s.networkId}/review`)).status, 404, 'REST: no current review');
  t.same(
    (await get(former, `/v1/networks/${s.networkId}/reviews`)).body.data,
    [],
    'REST: none in the history',
  );
  const gReviews = await gql(
    app,
    former,
    'query($id: ID!) { currentReview(networkId: $id) { id } reviews(networkId: $id) { id } }',
    { id: s.networkId },
  );
  t.same(gReviews.body.data, { currentReview: null, reviews: [] }, 'GraphQL: none');

  // And they no longer answer.
  const late = await answer(app, former, m3, { benefit: 1 });
  t.ok([403, 404].includes(late.statusCode), `no answer after leaving (${late.statusCode})`);
});

// ---------------------------------------------------------------------------------------------
// 6. k frozen per meeting
// ---------------------------------------------------------------------------------------------

async function lowerK(auth: Auth, networkId: string, via: 'rest' | 'graphql', k: number) {
  if (via === 'rest') {
    const current = await api(app, auth).get(`/v1/networks/${networkId}`);
    const res = await api(app, auth).patch(
      `/v1/networks/${networkId}`,
      { minResponses: k },
      { headers: { 'if-match': current.headers.etag as string } },
    );
    return { ok: res.statusCode === 200, body: res.json() };
  }
  const version = (
    await gql(app, auth, 'query($id: ID!) { network(id: $id) { version } }', { id: networkId })
  ).body.data!.network as { version: number };
  const res = await gql(
    app,
    auth,
    'mutation($id: ID!, $v: Int, $k: Int) { updateNetwork(id: $id, ifVersion: $v, input: { minResponses: $k }) { minResponses } }',
    { id: networkId, v: version.version, k },
  );
  return { ok: !res.body.errors, body: res.body };
}

for (const via of ['rest', 'graphql'] as const)
  t.test(`6. lowering k afterwards (${via}) releases nothing answered under the higher k`, async (t) => {
    const { auth } = await ctx.tenant();
    const net = await formNetwork(app, auth, { members: 7, minResponses: 6 });
    const [m1, m2] = net.meetingIds as [string, string];
    await hold(app, auth, net, m1);
    for (const j of [0, 1, 2, 3, 4]) await answer(app, net.tokens[j]!, m1, { benefit: 1 + j });
    await timePasses(app, m1);
    const withheld = { released: false, reason: 'not_enough_responses', minimum: 6 };
    t.same((await summaryOf(auth, m1)).body, withheld, '5 answers under k = 6: withheld');

    const lowered = await lowerK(auth, net.networkId, via, 3);
    t.ok(lowered.ok, 'k lowered to 3');
    const frozen = await app.db
      .selectFrom('meetings')
      .select('evaluation_k')
      .where('id', '=', m1)
      .executeTakeFirst();
    t.equal(frozen?.evaluation_k, 6, 'the meeting keeps the k frozen when it was held');
    t.same((await summaryOf(auth, m1)).body, withheld, 'REST summary: still withheld, minimum 6');
    t.same(
      (await gqlSummary(auth, m1)).body.data!.evaluationSummary,
      { ...withheld, closesAt: null, value: null },
      'GraphQL summary: the same',
    );
    const health = await healthOf(auth, net.networkId);
    t.equal(health.body.evaluatedMeetings, 0, 'REST health: nothing released');
    t.equal(health.body.measures, null);
    const gh = await gqlHealth(auth, net.networkId);
    t.equal(
      (gh.body.data!.networkHealth as { evaluatedMeetings: number }).evaluatedMeetings,
      0,
      'GraphQL health',
    );

    // A meeting held after the change has k = 3. It does not complete the k = 6 pool, so that pool is
    // set aside for good (the release rule's lowered k) and the new round is released on its own,
    // under the k its answers were given under: nothing answered under k = 6 is ever released.
    await hold(app, auth, net, m2);
    const m2k = await app.db
      .selectFrom('meetings')
      .select('evaluation_k')
      .where('id', '=', m2)
      .executeTakeFirst();
    t.equal(m2k?.evaluation_k, 3, 'the new k applies to meetings held afterwards');
    for (const j of [0, 1, 2]) await answer(app, net.tokens[j]!, m2, { benefit: 5 });
    await timePasses(app, m2);
    t.same((await summaryOf(auth, m1)).body, withheld, 'the k = 6 round: withheld for good');
    const m2Summary = (await summaryOf(auth, m2)).body;
    t.match(
      m2Summary,
      { released: true, value: { meetingIds: [m2], minimum: 3, responses: 3, benefit: { mean: 5 } } },
      'the k = 3 round on its own: only its own answers',
    );
    const afterM2 = (await healthOf(auth, net.networkId)).body;
    t.equal(afterM2.evaluatedMeetings, 1);
    t.equal(afterM2.measures.responses, 3, "health reads m2's release only");
  });

t.test(
  '6b. lowering k afterwards shows no count of members below the k a release was made under',
  async (t) => {
    const { auth } = await ctx.tenant();
    const net = await formNetwork(app, auth, { members: 7, minResponses: 6 });
    const [m1] = net.meetingIds as [string];
    await hold(app, auth, net, m1);
    // Six answer; four of them mostly give (give/get −2): a count of 4 members, below k = 6.
    for (const j of [0, 1, 2, 3, 4, 5])
      t.equal(
        (await answer(app, net.tokens[j]!, m1, { benefit: 4, giveGet: j < 4 ? -2 : 1 })).statusCode,
        201,
      );
    await timePasses(app, m1);
    const before = await healthOf(auth, net.networkId);
    t.equal(before.body.evaluatedMeetings, 1, 'released under k = 6');
    t.equal(before.body.measures.mostlyGivingMembers, null, '4 mostly-giving members: not shown under k = 6');
    t.equal(before.body.measures.mostlyGivingShare, null);

    t.ok((await lowerK(auth, net.networkId, 'rest', 3)).ok, 'k lowered to 3');
    const after = await healthOf(auth, net.networkId);
    t.same(countsBelowK(after.body, 6), [], 'REST health: still no count below the k of the release (6)');
    t.equal(
      after.body.measures.mostlyGivingMembers,
      null,
      `REST health: mostlyGivingMembers ${after.body.measures.mostlyGivingMembers}`,
    );
    t.equal(
      after.body.measures.mostlyGivingShare,
      null,
      `REST health: mostlyGivingShare ${after.body.measures.mostlyGivingShare}`,
    );
    const gh = await gqlHealth(auth, net.networkId);
    const measures = (gh.body.data!.networkHealth as { measures: Record<string, unknown> }).measures;
    t.equal(
      measures.mostlyGivingMembers,
      null,
      `GraphQL health: mostlyGivingMembers ${measures.mostlyGivingMembers}`,
    );
    t.same((await summaryOf(auth, m1)).body.value.minimum, 6, 'the release keeps its k');
  },
);

// ---------------------------------------------------------------------------------------------
// 7. k below the floor
// ---------------------------------------------------------------------------------------------

t.test('7. minResponses below the floor is a 400 naming the floor (REST and GraphQL)', async (t) => {
  const { auth } = await ctx.tenant();
  const floorNamed = (body: unknown) =>
    /\b3\b/.test(JSON.stringify(body)) && /minResponses/.test(JSON.stringify(body));

  const created = await api(app, auth).post('/v1/networks', { name: 'Low k', minResponses: 2 });
  t.equal(created.statusCode, 400, 'REST create: 400');
  t.ok(floorNamed(created.json()), `REST create names minResponses and the floor: ${created.body}`);

  const ok = await api(app, auth).post('/v1/networks', { name: 'k 3', minResponses: 3 });
  t.equal(ok.statusCode, 201, 'the floor itself is accepted');
  t.equal(ok.json().settings.minResponses, 3);
  const id = ok.json().id as string;

  const patched = await api(app, auth).patch(
    `/v1/networks/${id}`,
    { minResponses: 2 },
    { headers: { 'if-match': ok.headers.etag as string } },
  );
  t.equal(patched.statusCode, 400, 'REST PATCH with If-Match: 400');
  t.ok(floorNamed(patched.json()), `REST PATCH names the floor: ${patched.body}`);

  const gCreate = await gql(
    app,
    auth,
    'mutation { createNetwork(input: { name: "Low k", minResponses: 2 }) { id minResponses } }',
  );
  t.equal(gCreate.body.errors?.[0]?.extensions.code, 'validation_failed', 'GraphQL createNetwork: refused');
  t.equal(gCreate.body.errors?.[0]?.extensions.status, 400);
  t.ok(
    floorNamed(gCreate.body.errors),
    `GraphQL createNetwork names the floor: ${JSON.stringify(gCreate.body.errors)}`,
  );

  const version = (await get(auth, `/v1/networks/${id}`)).body.version as number;
  const gUpdate = await gql(
    app,
    auth,
    'mutation($id: ID!, $v: Int) { updateNetwork(id: $id, ifVersion: $v, input: { minResponses: 2 }) { minResponses } }',
    { id, v: version },
  );
  t.equal(gUpdate.body.errors?.[0]?.extensions.code, 'validation_failed', 'GraphQL updateNetwork: refused');
  t.ok(
    floorNamed(gUpdate.body.errors),
    `GraphQL updateNetwork names the floor: ${JSON.stringify(gUpdate.body.errors)}`,
  );

  const stored = await get(auth, `/v1/networks/${id}`);
  t.equal(stored.body.settings.minResponses, 3, 'nothing stored');
  t.equal(stored.body.version, version, 'the version did not move');
  const names = (await get(auth, '/v1/networks')).body.data.map((n: { name: string }) => n.name);
  t.notOk(names.includes('Low k'), 'no network was created with k = 2');
});

// ---------------------------------------------------------------------------------------------
// Property: the adversary who differences every pair of readings
// ---------------------------------------------------------------------------------------------

type Op =
  | { kind: 'answer'; member: number; meeting: 0 | 1; benefit: number }
  | { kind: 'read' }
  | { kind: 'close'; meeting: 0 | 1 }
  | { kind: 'hold2' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('answer' as const),
      member: fc.integer({ min: 0, max: 6 }),
      meeting: fc.constantFrom(0 as const, 0 as const, 1 as const),
      benefit: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ kind: 'read' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('close' as const),
      meeting: fc.constantFrom(0 as const, 1 as const),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'hold2' as const }) },
);

/** One reading of a quantity: how many answers it covers and their sum (count × mean of benefit). */
type Reading = { count: number; sum: number; raw: string; released: boolean };

t.test(
  'property: differencing successive admin readings never isolates an answer; a release never changes',
  async (t) => {
    const { auth } = await ctx.tenant();
    let runs = 0;
    let releasedReadings = 0;
    let withheldReadings = 0;
    const details = await fc.check(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 6 }),
        fc.array(opArb, { minLength: 15, maxLength: 40, size: 'max' }),
        async (k, ops) => {
          runs++;
          const net: FormedNetwork = await formNetwork(app, auth, {
            members: 7,
            minResponses: k,
            meetings: 2,
          });
          const meetings = net.meetingIds as [string, string];
          await hold(app, auth, net, meetings[0]);
          let held2 = false;
          const streams = new Map<string, Reading[]>();
          const firstRelease = new Map<string, string>();
          const record = (name: string, r: Reading) => {
            const list = streams.get(name) ?? [];
            const prev = list.at(-1);
            if (prev) {
              const dCount = Math.abs(r.count - prev.count);
              if (dCount >= 1 && dCount < k)
                throw new Error(
                  `${name}: two successive readings differ by ${dCount} answer(s) (k = ${k}): ` +
                    `sum ${prev.sum} → ${r.sum} isolates them\n${prev.raw}\n${r.raw}`,
                );
            }
            if (r.count >= 1 && r.count < k)
              throw new Error(`${name}: a reading over ${r.count} answers (k = ${k})`);
            list.push(r);
            streams.set(name, list);
          };
          const read = async () => {
            for (const [i, id] of meetings.entries()) {
              const s = await summaryOf(auth, id);
              if (s.status !== 200) throw new Error(`summary ${s.status}`);
              const name = `summary ${i + 1}`;
              const raw = JSON.stringify(s.body);
              if (s.body.released) {
                const first = firstRelease.get(name);
                if (first !== undefined && first !== raw)
                  throw new Error(`${name}: a released summary changed\n${first}\n${raw}`);
                firstRelease.set(name, raw);
                releasedReadings++;
                record(name, {
                  count: s.body.value.responses,
                  sum: s.body.value.responses * s.body.value.benefit.mean,
                  raw,
                  released: true,
                });
              } else {
                if (firstRelease.has(name))
                  throw new Error(
                    `${name}: a released summary was withdrawn\n${firstRelease.get(name)}\n${raw}`,
                  );
                if (countsIn(s.body).length > 0)
                  throw new Error(`${name}: a withheld summary carries a count: ${raw}`);
                withheldReadings++;
                record(name, { count: 0, sum: 0, raw, released: false });
              }
            }
            const h = await healthOf(auth, net.networkId);
            if (h.status !== 200) throw new Error(`health ${h.status}`);
            const below = countsBelowK(h.body, k);
            if (below.length > 0) throw new Error(`health carries a count below k: ${JSON.stringify(below)}`);
            const m = h.body.measures as { responses: number; meanBenefit: number } | null;
            record('health', {
              count: m?.responses ?? 0,
              sum: m ? m.responses * m.meanBenefit : 0,
              raw: JSON.stringify(m),
              released: m !== null,
            });
          };
          for (const op of ops) {
            if (op.kind === 'read') await read();
            else if (op.kind === 'close') {
              if (op.meeting === 0 || held2) await timePasses(app, meetings[op.meeting]); // time passes
            } else if (op.kind === 'hold2') {
              if (!held2) await hold(app, auth, net, meetings[1]);
              held2 = true;
            } else {
              const res = await answer(app, net.tokens[op.member]!, meetings[op.meeting], {
                benefit: op.benefit,
              });
              if (![200, 201, 409].includes(res.statusCode))
                throw new Error(`answer: ${res.statusCode} ${res.body}`);
              if (res.statusCode === 409 && countsIn(res.json()).length > 0)
                throw new Error(`409 with a count: ${res.body}`);
            }
          }
          await read();
          // Time passes for every held meeting; the last readings (and an answer that comes too late).
          await timePasses(app, meetings[0]);
          if (held2) await timePasses(app, meetings[1]);
          await read();
          const tooLate = await answer(app, net.tokens[0]!, meetings[0], { benefit: 1 });
          if (tooLate.statusCode !== 409)
            throw new Error(`an answer after the window closed: ${tooLate.statusCode}`);
          await read();
        },
      ),
      { numRuns: 15, endOnFailure: true },
    );
    if (details.failed) {
      const e = details.errorInstance;
      t.fail(
        `counterexample (k, ops) ${JSON.stringify(details.counterexample)}: ${e instanceof Error ? e.message : String(e)}`,
      );
    } else
      t.pass(`${runs} runs: no two successive readings differ by 1..k−1 answers; releases never changed`);
    t.ok(
      releasedReadings > 0 && withheldReadings > 0,
      `the runs read released (${releasedReadings}) and withheld (${withheldReadings}) summaries`,
    );
  },
);
