import {
  type Attendance,
  assessNetwork,
  computeHealth,
  discloseMeasures,
  type Evaluation,
  type HeldMeeting,
  visibleSignals,
} from '@sparring/domain';
import t from '@sparring/test-workers/tap';
import { mySignals, signalsForCaller } from '../src/evaluations/health.service.js';
import { createMemberSession } from '../src/members/member-session.service.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { type Answers, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

/** Member 0 gets little and mostly gives (at risk); member 5 cancels the last meeting. */
const answersOf = (i: number, j: number): Answers | null => {
  if (j === 5 && i === 2) return null;
  if (j === 0) return { benefit: 1, energy: 2, purposeFit: 3, relations: 3, giveGet: -2, comment: 'private' };
  return {
    benefit: 3 + ((i + j) % 3),
    energy: 3 + (j % 2),
    purposeFit: 4,
    relations: 4,
    giveGet: j % 2 === 0 ? 0 : 1,
  };
};
const attendanceOf = (i: number, j: number) =>
  j === 5 && i === 2 ? ('cancelled' as const) : ('attended' as const);

t.test('health on a seeded 3-meeting trial equals the domain computeHealth on the same data', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, {
    members: 6,
    answers: answersOf,
    attendance: attendanceOf,
  });
  const res = await api(app, auth).get(`/v1/networks/${s.networkId}/health`);
  t.equal(res.statusCode, 200);

  // The same data, built independently of the service, through the library.
  const rows = await app.db
    .selectFrom('meetings')
    .select(['id', 'starts_at', 'evaluation_k', 'evaluation_closes_at'])
    .where('network_id', '=', s.networkId)
    .orderBy('starts_at')
    .execute();
  t.ok(
    rows.every((m) => m.evaluation_k === 5 && m.evaluation_closes_at!.getTime() < Date.now()),
    'each round frozen with k = 5 and closed (released)',
  );
  const meetings: HeldMeeting[] = rows.map((m, i) => ({
    meetingId: m.id,
    startsAt: m.starts_at,
    evaluationClosesAt: m.evaluation_closes_at!,
    minimumResponses: m.evaluation_k!,
    attendance: s.leaderIds.map(
      (memberId, j): Attendance =>
        attendanceOf(i, j) === 'cancelled'
          ? { memberId, status: 'cancelled', cancelledAt: new Date(m.starts_at.getTime() - 24 * 3_600_000) }
          : { memberId, status: 'attended' },
    ),
    evaluations: s.leaderIds.flatMap((memberId, j): Evaluation[] => {
      const a = answersOf(i, j);
      return a ? [{ meetingId: m.id, memberId, ...a, comment: a.comment ?? null } as Evaluation] : [];
    }),
  }));
  const report = computeHealth(meetings, { minimumResponses: 5, noticeHours: 48, now: new Date() });
  // The measures as shown: no count of members below k (member 0 alone mostly gives: 1 < k).
  const expected = { ...report, measures: report.measures && discloseMeasures(report.measures, 5) };
  const { signals, ...health } = res.json();
  t.same(health, JSON.parse(JSON.stringify(expected)), 'the whole report, field for field');
  t.equal(report.measures?.mostlyGivingMembers, 1, 'the library counts one member who mostly gives…');
  t.equal(health.measures.mostlyGivingMembers, null, '… which is never shown (1 is below k)');
  t.equal(health.measures.mostlyGivingShare, null);
  t.equal(health.evaluatedMeetings, 3);
  t.same(
    health.trend.meetings.map((p: { meetingIds: string[] }) => p.meetingIds),
    rows.map((m) => [m.id]),
    'each trend point is one release of one meeting',
  );
  const networkSignals = visibleSignals(
    assessNetwork(meetings, new Date(), { minimumResponses: 5, noticeHours: 48 }).signals,
    {
      role: 'admin',
    },
  );
  t.same(signals, JSON.parse(JSON.stringify(networkSignals)), 'network signals only');
  t.notOk(res.body.includes('private'), 'no comment in health');
  t.notOk(res.body.includes(s.leaderIds[0]!), 'no member id in health');
});

t.test(
  'member-private signals: the member only, in their own session; the facilitator only in their session with policy AND consent; never the admin nor a minted token',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seedNetwork(app, tenantId, auth, {
      members: 6,
      answers: answersOf,
      attendance: attendanceOf,
      facilitator: 2,
    });
    const atRisk = s.leaderIds[0]!;
    type SignalJson = { code: string; audience: { kind: string; memberId?: string } };
    const memberIdsOf = (signals: readonly SignalJson[]) =>
      signals.filter((x) => x.audience.kind === 'member').map((x) => x.audience.memberId);
    const codesFor = async (headers: { authorization: string }) => {
      const res = await api(app, headers).get(`/v1/networks/${s.networkId}/signals`);
      t.equal(res.statusCode, 200);
      return memberIdsOf(res.json().data as SignalJson[]);
    };
    /** The member's own session (the sign-in link), the only way they read their own signals. */
    const session = async (j: number) =>
      (await createMemberSession(app.db, tenantId, s.leaderIds[j]!, new Date())).session;
    const seenInSession = async (j: number) =>
      memberIdsOf(await signalsForCaller(app.db, await session(j), s.networkId, new Date()));

    t.same(
      memberIdsOf(await mySignals(app.db, await session(0), s.networkId, new Date())),
      [atRisk],
      'the member sees their own signal in their own session',
    );
    t.same(
      await mySignals(app.db, await session(1), s.networkId, new Date()),
      [],
      "another member sees nothing of member 0's",
    );
    t.same(await codesFor(s.tokens[1]!), [], '… also not through /signals');
    t.same(await seenInSession(1), [], '… nor in their session');
    t.same(await codesFor(auth), [], 'an admin key never sees a member signal');
    for (const [who, headers] of [
      ['an admin key', auth],
      ["the member's own minted token", s.tokens[0]!],
    ] as const) {
      const me = await api(app, headers).get(`/v1/networks/${s.networkId}/signals/me`);
      t.equal(me.statusCode, 403, `${who}: signals/me refused`);
      t.equal(me.json().code, 'private_data');
      t.notOk(me.body.includes(atRisk));
    }
    t.same(await codesFor(s.tokens[0]!), [], "the member's minted token sees what the admin sees");

    const setPolicy = async (policy: boolean, consent: boolean) => {
      await app.db
        .updateTable('tenants')
        .set({ facilitator_sees_member_signals: policy })
        .where('id', '=', tenantId)
        .execute();
      await app.db
        .updateTable('network_members')
        .set({ signal_consent: consent })
        .where('tenant_id', '=', tenantId)
        .where('leader_id', '=', atRisk)
        .execute();
    };
    for (const [policy, consent] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      await setPolicy(policy, consent);
      t.same(
        await seenInSession(2),
        policy && consent ? [atRisk] : [],
        `facilitator with policy=${policy} consent=${consent}`,
      );
      t.same(
        await codesFor(s.tokens[2]!),
        [],
        `the facilitator's minted token with policy=${policy} consent=${consent}: what the admin sees`,
      );
      t.same(await codesFor(auth), [], `admin with policy=${policy} consent=${consent}`);
      t.same(await codesFor(s.tokens[3]!), [], `plain member with policy=${policy} consent=${consent}`);
      t.same(await seenInSession(3), [], `plain member in session with policy=${policy} consent=${consent}`);
    }
  },
);

t.test('tenant isolation on health and signals', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const s = await seedNetwork(app, a.tenantId, a.auth, { members: 5 });
  const other = await seedNetwork(app, b.tenantId, b.auth, { members: 5 });
  const mine = await seedNetwork(app, a.tenantId, a.auth, { members: 5 });
  for (const path of ['health', 'signals', 'signals/me']) {
    for (const headers of [b.auth, other.tokens[0]!, mine.tokens[0]!]) {
      const res = await api(app, headers).get(`/v1/networks/${s.networkId}/${path}`);
      if (path === 'signals/me') {
        // Own data is refused to any key or token before the network is looked up: nothing learned.
        t.equal(res.statusCode, 403, `${path}: 403 for a key or a token`);
        t.equal(res.json().code, 'private_data');
      } else t.equal(res.statusCode, 404, `${path}: 404 for a caller outside the network`);
    }
  }
  for (const [tenantId, leaderId] of [
    [b.tenantId, other.leaderIds[0]!],
    [a.tenantId, mine.leaderIds[0]!],
  ] as const) {
    const { session } = await createMemberSession(app.db, tenantId, leaderId, new Date());
    const status = await mySignals(app.db, session, s.networkId, new Date()).then(
      () => 200,
      (e: { statusCode?: number }) => e.statusCode,
    );
    t.equal(status, 404, 'signals/me: 404 in the own session of a member outside the network');
  }
  const bad = await api(app, a.auth).get('/v1/networks/not-a-uuid/health');
  t.equal(bad.statusCode, 400);
});
