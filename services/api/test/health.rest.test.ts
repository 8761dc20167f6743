import {
  type Attendance,
  assessNetwork,
  computeHealth,
  type Evaluation,
  type HeldMeeting,
  visibleSignals,
} from '@sparring/domain';
import t from 'tap';
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
  const res = await app.inject({ url: `/v1/networks/${s.networkId}/health`, headers: auth });
  t.equal(res.statusCode, 200);

  // The same data, built independently of the service, through the library.
  const rows = await app.db
    .selectFrom('meetings')
    .select(['id', 'starts_at'])
    .where('network_id', '=', s.networkId)
    .orderBy('starts_at')
    .execute();
  const meetings: HeldMeeting[] = rows.map((m, i) => ({
    meetingId: m.id,
    startsAt: m.starts_at,
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
  const expected = computeHealth(meetings, { minimumResponses: 5, noticeHours: 48 });
  const { signals, ...health } = res.json();
  t.same(health, JSON.parse(JSON.stringify(expected)), 'the whole report, field for field');
  t.equal(health.evaluatedMeetings, 3);
  const networkSignals = visibleSignals(
    assessNetwork(meetings, new Date(), { minimumResponses: 5 }).signals,
    {
      role: 'admin',
    },
  );
  t.same(signals, JSON.parse(JSON.stringify(networkSignals)), 'network signals only');
  t.notOk(res.body.includes('private'), 'no comment in health');
  t.notOk(res.body.includes(s.leaderIds[0]!), 'no member id in health');
});

t.test(
  'member-private signals: the member only; the facilitator only with policy AND consent; never the admin',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seedNetwork(app, tenantId, auth, {
      members: 6,
      answers: answersOf,
      attendance: attendanceOf,
      facilitator: 2,
    });
    const atRisk = s.leaderIds[0]!;
    const codesFor = async (headers: { authorization: string }, path = 'signals') => {
      const res = await app.inject({ url: `/v1/networks/${s.networkId}/${path}`, headers });
      t.equal(res.statusCode, 200);
      return (res.json().data as { code: string; audience: { kind: string; memberId?: string } }[])
        .filter((x) => x.audience.kind === 'member')
        .map((x) => x.audience.memberId);
    };
    t.same(await codesFor(s.tokens[0]!, 'signals/me'), [atRisk], 'the member sees their own signal');
    t.same(await codesFor(s.tokens[1]!, 'signals/me'), [], "another member sees nothing of member 0's");
    t.same(await codesFor(s.tokens[1]!), [], '… also not through /signals');
    t.same(await codesFor(auth), [], 'an admin key never sees a member signal');
    const adminMe = await app.inject({ url: `/v1/networks/${s.networkId}/signals/me`, headers: auth });
    t.equal(adminMe.statusCode, 403);

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
      const seen = await codesFor(s.tokens[2]!);
      t.same(seen, policy && consent ? [atRisk] : [], `facilitator with policy=${policy} consent=${consent}`);
      t.same(await codesFor(auth), [], `admin with policy=${policy} consent=${consent}`);
      t.same(await codesFor(s.tokens[3]!), [], `plain member with policy=${policy} consent=${consent}`);
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
      if (path === 'signals/me' && headers === b.auth) continue;
      const res = await app.inject({ url: `/v1/networks/${s.networkId}/${path}`, headers });
      t.equal(res.statusCode, 404, `${path}: 404 for a caller outside the network`);
    }
  }
  const bad = await app.inject({ url: '/v1/networks/not-a-uuid/health', headers: a.auth });
  t.equal(bad.statusCode, 400);
});
