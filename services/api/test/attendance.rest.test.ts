import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import {
  addCharter,
  createLeaders,
  createNetwork,
  type MeetingJson,
  memberToken,
  modelAndMeetings,
  moveTo,
  PAST_MODEL,
} from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
const HOUR = 3_600_000;

const respond = (meetingId: string, headers: { authorization: string }, status: string) =>
  api(app, headers).post(`/v1/meetings/${meetingId}/attendance/me`, { status });

t.test(
  'afbud keeps its time and is late by the charter’s notice (default 48 h without a charter)',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const members = await createLeaders(app, auth, 3);
    const withCharter = await createNetwork(app, tenantId, members);
    await addCharter(app, tenantId, withCharter, 24);
    const [m30, m20] = await modelAndMeetings(app, auth, withCharter, 2);
    await moveTo(app, auth, m30!, new Date(Date.now() + 30 * HOUR));
    await moveTo(app, auth, m20!, new Date(Date.now() + 20 * HOUR));
    const member = await memberToken(app, auth, members[0]!);

    const before = Date.now();
    const onTime = await respond(m30!.id, member, 'cancelled');
    t.equal(onTime.statusCode, 200);
    t.equal(onTime.json().status, 'cancelled');
    t.equal(onTime.json().late, false, '30 h before, with a 24 h notice: on time');
    const at = new Date(onTime.json().cancelledAt).getTime();
    t.ok(at >= before && at <= Date.now(), 'the afbud’s time is now');
    const late = await respond(m20!.id, member, 'cancelled');
    t.equal(late.json().late, true, '20 h before, with a 24 h notice: late');

    const again = await respond(m30!.id, member, 'cancelled');
    t.equal(again.json().cancelledAt, onTime.json().cancelledAt, 'a repeated afbud keeps the first time');
    const confirmed = await respond(m30!.id, member, 'confirmed');
    t.same(
      [confirmed.json().status, confirmed.json().cancelledAt, confirmed.json().late],
      ['confirmed', null, null],
    );

    // Without a charter the domain's default notice (48 h) applies: 30 h before is late.
    const noCharter = await createNetwork(app, tenantId, members);
    const [n30] = await modelAndMeetings(app, auth, noCharter, 1);
    await moveTo(app, auth, n30!, new Date(Date.now() + 30 * HOUR));
    const defaultNotice = await respond(n30!.id, member, 'cancelled');
    t.equal(defaultNotice.json().late, true);

    // Moving a meeting re-reads the flag against the new start, as the domain's rates would.
    const moved = await moveTo(app, auth, n30!, new Date(Date.now() + 72 * HOUR));
    const rows = await api(app, auth).get(`/v1/meetings/${moved.id}/attendance`);
    t.equal(rows.json().data.find((a: { leaderId: string }) => a.leaderId === members[0]).late, false);
  },
);

t.test('who may respond, and what members see of each other', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const [m0, m1, m2, outsider] = await createLeaders(app, auth, 4);
  const network = await createNetwork(app, tenantId, [m0!, m1!, m2!], { facilitatorId: m2! });
  const [meeting] = await modelAndMeetings(app, auth, network, 1);
  const [a, b, fac, stranger] = [
    await memberToken(app, auth, m0!),
    await memberToken(app, auth, m1!),
    await memberToken(app, auth, m2!),
    await memberToken(app, auth, outsider!),
  ];
  t.equal((await respond(meeting!.id, stranger, 'confirmed')).statusCode, 404, 'not a member: 404');
  const admin = await respond(meeting!.id, auth, 'confirmed');
  t.equal(admin.statusCode, 403, 'an admin key cannot answer for a member');
  const invalid = await respond(meeting!.id, a, 'attended');
  t.equal(invalid.statusCode, 400);

  await respond(meeting!.id, a, 'cancelled');
  await respond(meeting!.id, b, 'confirmed');
  const seenByB = (await api(app, b).get(`/v1/meetings/${meeting!.id}/attendance`)).json().data;
  const aSeenByB = seenByB.find((x: { leaderId: string }) => x.leaderId === m0);
  t.same([aSeenByB.status, aSeenByB.cancelledAt, aSeenByB.late], ['cancelled', null, null], 'status only');
  const seenByA = (await api(app, a).get(`/v1/meetings/${meeting!.id}/attendance`)).json().data;
  t.ok(
    seenByA.find((x: { leaderId: string }) => x.leaderId === m0).cancelledAt,
    'a member sees their own time',
  );
  const seenByFac = (await api(app, fac).get(`/v1/meetings/${meeting!.id}/attendance`)).json().data;
  t.ok(seenByFac.find((x: { leaderId: string }) => x.leaderId === m0).cancelledAt, 'the facilitator sees it');
  t.equal(typeof seenByFac.find((x: { leaderId: string }) => x.leaderId === m0).late, 'boolean');

  // A member who left no longer answers; a meeting that starts after they left is not even found
  // for them (they read what happened while they were a member: test/confidentiality.members).
  await app.db
    .updateTable('network_members')
    .set({ left_at: new Date() })
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', m1!)
    .execute();
  t.equal((await respond(meeting!.id, b, 'confirmed')).statusCode, 404);

  const cancelled = await api(app, auth).post(`/v1/meetings/${meeting!.id}/cancel`);
  t.equal(cancelled.statusCode, 200);
  const onCancelled = await respond(meeting!.id, a, 'confirmed');
  t.equal(onCancelled.statusCode, 409);
  t.equal(onCancelled.json().code, 'meeting_not_planned');
});

t.test(
  'a role holder’s afbud re-assigns the meeting’s roles by rotation (not when an admin set them)',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const members = await createLeaders(app, auth, 5);
    const network = await createNetwork(app, tenantId, members);
    const [meeting, second] = await modelAndMeetings(app, auth, network, 2);
    const holder = meeting!.roles[0]!.holder!.memberId!;
    const res = await respond(meeting!.id, await memberToken(app, auth, holder), 'cancelled');
    t.equal(res.statusCode, 200);
    const after = (await api(app, auth).get(`/v1/meetings/${meeting!.id}`)).json() as MeetingJson;
    t.notOk(
      after.roles.some((r) => r.holder?.memberId === holder),
      'the member who cancelled holds no role',
    );
    t.equal(new Set(after.roles.map((r) => r.holder?.memberId)).size, 4);
    t.equal(after.version, meeting!.version + 1);

    const set = await api(app, auth).put(`/v1/meetings/${second!.id}/roles`, {
      host: { kind: 'fixed', memberId: members[4] },
    });
    t.equal(set.statusCode, 200);
    const hostToken = await memberToken(app, auth, members[4]!);
    await respond(second!.id, hostToken, 'cancelled');
    const kept = (await api(app, auth).get(`/v1/meetings/${second!.id}`)).json() as MeetingJson;
    t.same(kept.roles, set.json().roles, 'an admin’s choice stands');
  },
);

t.test('marking held: one transaction, all or nothing', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const network = await createNetwork(app, tenantId, members, { status: 'trial', facilitatorId: members[2] });
  const meetings = await modelAndMeetings(app, auth, network, 4, PAST_MODEL);
  const lifecycle = async () =>
    app.db
      .selectFrom('networks')
      .select(['status', 'lifecycle', 'version'])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', network)
      .executeTakeFirstOrThrow();
  const attendance = async (id: string) =>
    (await api(app, auth).get(`/v1/meetings/${id}/attendance`)).json().data;
  const start = await lifecycle();
  const before = await attendance(meetings[0]!.id);

  const stranger = (await createLeaders(app, auth, 1))[0]!;
  const invalid = await api(app, auth).post(`/v1/meetings/${meetings[0]!.id}/held`, {
    attendance: [
      { leaderId: members[0], status: 'attended' },
      { leaderId: stranger, status: 'attended' },
    ],
  });
  t.equal(invalid.statusCode, 400);
  t.same(
    invalid.json().issues.map((i: { path: string; code: string }) => [i.path, i.code]),
    [['attendance[1].leaderId', 'invalid_reference']],
  );
  const duplicate = await api(app, auth).post(`/v1/meetings/${meetings[0]!.id}/held`, {
    attendance: [
      { leaderId: members[0], status: 'attended' },
      { leaderId: members[0], status: 'no_show' },
    ],
  });
  t.equal(duplicate.statusCode, 400);
  const m1 = (await api(app, auth).get(`/v1/meetings/${meetings[0]!.id}`)).json();
  t.equal(m1.status, 'planned', 'the meeting stays planned');
  t.equal(m1.version, 1);
  t.same(await attendance(meetings[0]!.id), before, 'no attendance row changed');
  t.same(await lifecycle(), start, 'the lifecycle is unchanged');

  // A member who is not the facilitator may not; the facilitator may.
  const plain = await api(app, await memberToken(app, auth, members[0]!)).post(
    `/v1/meetings/${meetings[0]!.id}/held`,
    { attendance: [] },
  );
  t.equal(plain.statusCode, 403);
  const facilitator = await memberToken(app, auth, members[2]!);
  await respond(meetings[0]!.id, await memberToken(app, auth, members[1]!), 'cancelled');
  const held = await api(app, facilitator).post(`/v1/meetings/${meetings[0]!.id}/held`, {
    attendance: [
      { leaderId: members[0], status: 'attended' },
      { leaderId: members[2], status: 'no_show' },
    ],
  });
  t.equal(held.statusCode, 200);
  t.equal(held.json().meeting.status, 'held');
  t.ok(held.json().meeting.heldAt);
  t.equal(held.json().lifecycleStatus, 'trial');
  t.same(
    held
      .json()
      .attendance.map((a: { leaderId: string; status: string }) => [a.leaderId, a.status])
      .sort(),
    [
      [members[0], 'attended'],
      [members[1], 'cancelled'],
      [members[2], 'no_show'],
    ].sort(),
    'members not listed keep their status',
  );
  const twice = await api(app, auth).post(`/v1/meetings/${meetings[0]!.id}/held`, { attendance: [] });
  t.equal(twice.statusCode, 409);
  t.equal(twice.json().code, 'meeting_not_planned');

  // Trial counting: 3 held meetings make the review due (the domain's rule), visible in the networks table.
  for (const m of meetings.slice(1, 3)) {
    const res = await api(app, auth).post(`/v1/meetings/${m.id}/held`, {
      attendance: members.map((leaderId) => ({ leaderId, status: 'attended' })),
    });
    t.equal(res.statusCode, 200);
  }
  const due = await lifecycle();
  t.equal(due.status, 'review_due');
  t.match(due.lifecycle, { status: 'review_due', kind: 'trial_end' });

  // A future meeting cannot be held yet.
  const future = (
    await modelAndMeetings(app, auth, network, 1, { ...PAST_MODEL, startDate: '2099-01-05' })
  )[0]!;
  const early = await api(app, auth).post(`/v1/meetings/${future.id}/held`, { attendance: [] });
  t.equal(early.statusCode, 409);
  t.equal(early.json().code, 'meeting_not_started');
});

t.test(
  'a forming network’s meeting cannot be held: the lifecycle refuses and nothing is written',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const members = await createLeaders(app, auth, 2);
    const network = await createNetwork(app, tenantId, members);
    const [meeting] = await modelAndMeetings(app, auth, network, 1, PAST_MODEL);
    const res = await api(app, auth).post(`/v1/meetings/${meeting!.id}/held`, {
      attendance: members.map((leaderId) => ({ leaderId, status: 'attended' })),
    });
    t.equal(res.statusCode, 409);
    t.equal(res.json().code, 'lifecycle_refused');
    t.equal(res.json().reason, 'not_started');
    const after = (await api(app, auth).get(`/v1/meetings/${meeting!.id}`)).json();
    t.same([after.status, after.heldAt, after.version], ['planned', null, 1], 'the meeting was not written');
    const rows = (await api(app, auth).get(`/v1/meetings/${meeting!.id}/attendance`)).json().data;
    t.ok(
      rows.every((a: { status: string }) => a.status === 'expected'),
      'no attendance was written',
    );
  },
);

t.test(
  'marking held: an afbud stands against no_show; a member who came after all is attended',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const members = await createLeaders(app, auth, 3);
    const network = await createNetwork(app, tenantId, members, { status: 'trial' });
    const [meeting] = await modelAndMeetings(app, auth, network, 1, PAST_MODEL);
    // Both cancel after the (past) start: late afbud.
    for (const m of [members[0]!, members[1]!])
      t.equal((await respond(meeting!.id, await memberToken(app, auth, m), 'cancelled')).statusCode, 200);
    const held = await api(app, auth).post(`/v1/meetings/${meeting!.id}/held`, {
      attendance: [
        { leaderId: members[0], status: 'no_show' },
        { leaderId: members[1], status: 'attended' },
        { leaderId: members[2], status: 'no_show' },
      ],
    });
    t.equal(held.statusCode, 200);
    const byId = new Map(
      held.json().attendance.map((a: { leaderId: string }) => [a.leaderId, a] as const),
    ) as Map<string, { status: string; cancelledAt: string | null; late: boolean }>;
    t.match(
      byId.get(members[0]!),
      { status: 'cancelled', cancelledAt: String, late: true },
      'the late afbud is kept',
    );
    t.match(byId.get(members[1]!), { status: 'attended', cancelledAt: null }, 'came after all');
    t.match(byId.get(members[2]!), { status: 'no_show' });
    const health = (await api(app, auth).get(`/v1/networks/${network}/health`)).json();
    t.equal(health.attendance.lateCancellations, 1, 'the off-track sign counts the afbud');
    t.equal(health.attendance.noShows, 1);
  },
);
