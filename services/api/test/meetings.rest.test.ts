import t from '@sparring/test-workers/tap';
import { api, type Method } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import {
  createLeaders,
  createNetwork,
  type MeetingJson,
  MODEL,
  memberToken,
  modelAndMeetings,
  moveTo,
} from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

t.test(
  'the model has versions; generation follows cadence, slot and time zone (local times asserted)',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const members = await createLeaders(app, auth, 4);
    const network = await createNetwork(app, tenantId, members);

    const none = await api(app, auth).get(`/v1/networks/${network}/meeting-model`);
    t.equal(none.statusCode, 404);
    const noModel = await api(app, auth).post(`/v1/networks/${network}/meetings/generate`, { count: 2 });
    t.equal(noModel.statusCode, 409);
    t.equal(noModel.json().code, 'no_meeting_model');

    const invalid = await api(app, auth).put(`/v1/networks/${network}/meeting-model`, {
      ...MODEL,
      localStartTime: '09:00',
      startDate: '2027-02-30',
    });
    t.equal(invalid.statusCode, 400);
    t.same(
      invalid
        .json()
        .issues.map((i: { path: string }) => i.path)
        .sort(),
      ['localStartTime', 'startDate'],
      'the domain’s issues: 09:00 is outside the evening slot; 30 February is no date',
    );
    const badCadence = await api(app, auth).put(`/v1/networks/${network}/meeting-model`, {
      ...MODEL,
      cadenceMonths: 4,
    });
    t.equal(badCadence.statusCode, 400);

    const meetings = await modelAndMeetings(app, auth, network, 4);
    t.same(
      meetings.map((m) => [m.sequence, m.localStartsAt, m.startsAt]),
      [
        [1, '2027-03-01T17:00', '2027-03-01T16:00:00.000Z'], // CET
        [2, '2027-04-01T17:00', '2027-04-01T15:00:00.000Z'], // CEST after 28 March: still 17:00 local
        [3, '2027-04-30T17:00', '2027-04-30T15:00:00.000Z'], // 1 May is a Saturday: the Friday before
        [4, '2027-06-01T17:00', '2027-06-01T15:00:00.000Z'],
      ],
    );
    t.ok(
      meetings.every((m) => new Date(m.endsAt).getTime() - new Date(m.startsAt).getTime() === 180 * 60_000),
    );

    const more = await api(app, auth).post(`/v1/networks/${network}/meetings/generate`, { count: 1 });
    t.equal(more.statusCode, 201);
    t.same(
      more.json().data.map((m: MeetingJson) => [m.sequence, m.localStartsAt]),
      [[5, '2027-07-01T17:00']],
      'the sequence continues after the last meeting',
    );

    const attendance = await api(app, auth).get(`/v1/meetings/${meetings[0]!.id}/attendance`);
    t.same(
      attendance
        .json()
        .data.map((a: { leaderId: string; status: string }) => [a.leaderId, a.status])
        .sort(),
      members.map((id) => [id, 'expected']).sort(),
      'every active member is expected',
    );

    // A new model version (e.g. an adjustment): later meetings follow it, after the latest stored meeting.
    const v1 = await api(app, auth).get(`/v1/networks/${network}/meeting-model`);
    t.equal(v1.headers.etag, '"1"');
    const stale = await api(app, auth).put(`/v1/networks/${network}/meeting-model`, MODEL, {
      headers: { 'if-match': '"0"' },
    });
    t.equal(stale.statusCode, 412);
    const v2 = await api(app, auth).put(
      `/v1/networks/${network}/meeting-model`,
      {
        ...MODEL,
        cadenceMonths: 2,
        timeSlot: 'weekday_daytime',
        localStartTime: null,
        startDate: '2027-01-04',
      },
      { headers: { 'if-match': '"1"' } },
    );
    t.equal(v2.statusCode, 201);
    t.equal(v2.json().version, 2);
    t.equal(v2.json().model.localStartTime, null);
    const after = await api(app, auth).post(`/v1/networks/${network}/meetings/generate`, { count: 2 });
    t.same(
      after
        .json()
        .data.map((m: MeetingJson & { modelVersion: number }) => [
          m.sequence,
          m.modelVersion,
          m.localStartsAt,
        ]),
      [
        [6, 2, '2027-07-05T09:00'], // 4 Jul 2027 is a Sunday: Monday; the slot’s default 09:00
        [7, 2, '2027-09-03T09:00'], // 4 Sep 2027 is a Saturday: the Friday before
      ],
    );

    const page1 = await api(app, auth).get(`/v1/networks/${network}/meetings?limit=4`);
    t.equal(page1.json().data.length, 4);
    const page2 = await api(app, auth).get(
      `/v1/networks/${network}/meetings?limit=4&cursor=${page1.json().nextCursor}`,
    );
    t.same(
      page2.json().data.map((m: MeetingJson) => m.sequence),
      [5, 6, 7],
    );
    t.equal(page2.json().nextCursor, null);
    const badCursor = await api(app, auth).get(`/v1/networks/${network}/meetings?cursor=nope`);
    t.equal(badCursor.statusCode, 400);
  },
);

t.test('the meeting list reads the network and the page in one round trip; 404 stays', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 4);
  const network = await createNetwork(app, tenantId, members);
  const empty = await api(app, auth).get(`/v1/networks/${network}/meetings`);
  t.same(empty.json(), { data: [], nextCursor: null }, 'a network without meetings: an empty page');
  await api(app, auth).put(`/v1/networks/${network}/meeting-model`, MODEL);
  await api(app, auth).post(`/v1/networks/${network}/meetings/generate`, { count: 3 });
  // Without the key lookup (cached for a second): clear it, so the count is known (1 + the list).
  app.apiKeyCache.clear();
  const before = app.database.queries.count;
  const listed = await api(app, auth).get(`/v1/networks/${network}/meetings?limit=2`);
  const used = app.database.queries.count - before;
  t.equal(listed.json().data.length, 2);
  t.ok(listed.json().nextCursor, 'more to come');
  t.equal(used, 2, `the key lookup, then one query for the network and its meetings (${used})`);
  const unknown = await api(app, auth).get('/v1/networks/00000000-0000-7000-8000-000000000000/meetings');
  t.equal(unknown.statusCode, 404, 'an unknown network');
  t.equal(unknown.json().code, 'not_found');
  const other = await ctx.tenant();
  t.equal(
    (await api(app, other.auth).get(`/v1/networks/${network}/meetings`)).statusCode,
    404,
    'another tenant',
  );
});

t.test('another time zone: quarterly weekend meetings in New York', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 2);
  const network = await createNetwork(app, tenantId, members, { timeZone: 'America/New_York' });
  const meetings = await modelAndMeetings(app, auth, network, 3, {
    cadenceMonths: 3,
    timeSlot: 'weekend',
    venue: { kind: 'online', link: 'https://meet.example.com/net' },
    startDate: '2027-01-06',
  });
  t.same(
    meetings.map((m) => [m.localStartsAt, m.startsAt]),
    [
      ['2027-01-09T10:00', '2027-01-09T15:00:00.000Z'], // Wed 6 Jan → the next Saturday (never before the start)
      ['2027-04-03T10:00', '2027-04-03T14:00:00.000Z'], // Tue 6 Apr → the nearest Saturday; EDT
      ['2027-07-03T10:00', '2027-07-03T14:00:00.000Z'],
    ],
  );
});

t.test(
  'roles rotate fairly across generated meetings; an admin override is validated by the domain',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const members = await createLeaders(app, auth, 4);
    const network = await createNetwork(app, tenantId, members);
    const meetings = await modelAndMeetings(app, auth, network, 8);
    const turns = new Map<string, number>();
    for (const m of meetings) {
      t.equal(m.roles.length, 4);
      const holders = m.roles.map((r) => r.holder?.memberId);
      t.equal(new Set(holders).size, 4, `meeting ${m.sequence}: one role each`);
      for (const r of m.roles) {
        t.equal(r.basis, 'rotation');
        const key = `${r.role}:${r.holder?.memberId}`;
        turns.set(key, (turns.get(key) ?? 0) + 1);
      }
    }
    t.equal(turns.size, 16, 'every member held every role');
    t.ok(
      [...turns.values()].every((n) => n === 2),
      'each member held each role exactly twice in 8 meetings',
    );

    const meeting = meetings[0]!;
    const notMember = (await createLeaders(app, auth, 1))[0]!;
    const bad = await api(app, auth).put(`/v1/meetings/${meeting.id}/roles`, {
      coordinator: { kind: 'fixed', memberId: notMember },
    });
    t.equal(bad.statusCode, 400);
    t.equal(bad.json().issues[0].path, 'coordinator.memberId');
    t.equal(bad.json().issues[0].code, 'invalid_reference');
    const externalHost = await api(app, auth).put(`/v1/meetings/${meeting.id}/roles`, {
      host: { kind: 'external', name: 'Ekstern' },
    });
    t.equal(externalHost.statusCode, 400, 'only the facilitator may be external');
    const ok = await api(app, auth).put(
      `/v1/meetings/${meeting.id}/roles`,
      {
        coordinator: { kind: 'fixed', memberId: members[3] },
        facilitator: { kind: 'external', name: 'Hanne Facilitator' },
      },
      { headers: { 'if-match': `"${meeting.version}"` } },
    );
    t.equal(ok.statusCode, 200);
    const roles = ok.json().roles as MeetingJson['roles'];
    t.same(roles.find((r) => r.role === 'coordinator')?.holder, { kind: 'member', memberId: members[3] });
    t.same(roles.find((r) => r.role === 'facilitator')?.holder, {
      kind: 'external',
      name: 'Hanne Facilitator',
    });
    t.ok(ok.json().rolesOverriddenAt);

    const member = await memberToken(app, auth, members[0]!);
    const forbidden = await api(app, member).put(`/v1/meetings/${meeting.id}/roles`, {});
    t.equal(forbidden.statusCode, 403, 'roles override is admin-only');
  },
);

t.test('move needs If-Match (428/412); cancel; planned only', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const network = await createNetwork(app, tenantId, members);
  const [m1, m2] = await modelAndMeetings(app, auth, network, 2);
  const read = await api(app, auth).get(`/v1/meetings/${m1!.id}`);
  t.equal(read.headers.etag, '"1"');
  const missing = await api(app, auth).patch(`/v1/meetings/${m1!.id}`, {
    startsAt: '2027-03-02T16:00:00.000Z',
  });
  t.equal(missing.statusCode, 428);
  const stale = await api(app, auth).patch(
    `/v1/meetings/${m1!.id}`,
    { startsAt: '2027-03-02T16:00:00.000Z' },
    { headers: { 'if-match': '"7"' } },
  );
  t.equal(stale.statusCode, 412);
  const tooShort = await api(app, auth).patch(
    `/v1/meetings/${m1!.id}`,
    { startsAt: '2027-03-02T16:00:00.000Z', endsAt: '2027-03-02T16:30:00.000Z' },
    { headers: { 'if-match': '"1"' } },
  );
  t.equal(tooShort.statusCode, 400);
  const badVenue = await api(app, auth).patch(
    `/v1/meetings/${m1!.id}`,
    { venue: { kind: 'online', link: 'http://insecure.example.com' } },
    { headers: { 'if-match': '"1"' } },
  );
  t.equal(badVenue.statusCode, 400);
  t.equal(badVenue.json().issues[0].path, 'venue.link');
  const moved = await api(app, auth).patch(
    `/v1/meetings/${m1!.id}`,
    {
      startsAt: '2027-03-02T16:00:00.000Z',
      venue: { kind: 'online', link: 'https://meet.example.dk/x' },
    },
    { headers: { 'if-match': '"1"' } },
  );
  t.equal(moved.statusCode, 200);
  t.equal(moved.json().localStartsAt, '2027-03-02T17:00');
  t.equal(moved.json().endsAt, '2027-03-02T19:00:00.000Z', 'the length is kept');
  t.equal(moved.headers.etag, '"2"');

  const cancelled = await api(app, auth).post(`/v1/meetings/${m2!.id}/cancel`);
  t.equal(cancelled.statusCode, 200);
  t.equal(cancelled.json().status, 'cancelled');
  const again = await api(app, auth).post(`/v1/meetings/${m2!.id}/cancel`);
  t.equal(again.statusCode, 409);
  t.equal(again.json().code, 'meeting_not_planned');
  const moveCancelled = await api(app, auth).patch(
    `/v1/meetings/${m2!.id}`,
    { startsAt: '2027-05-02T16:00:00.000Z' },
    { headers: { 'if-match': '"2"' } },
  );
  t.equal(moveCancelled.statusCode, 409);

  // A facilitator's member token may move; another member's may not.
  const member = await memberToken(app, auth, members[1]!);
  const byMember = await api(app, member).patch(
    `/v1/meetings/${m1!.id}`,
    { startsAt: '2027-03-03T16:00:00.000Z' },
    { headers: { 'if-match': '"2"' } },
  );
  t.equal(byMember.statusCode, 403);
  await moveTo(app, auth, m1!, new Date('2027-03-04T16:00:00.000Z'));
});

t.test('agenda items: owners, limits, removal; next cases by airtime', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const network = await createNetwork(app, tenantId, members, { status: 'trial' });
  const [m1, m2] = await modelAndMeetings(app, auth, network, 2, { ...MODEL, startDate: '2024-01-08' });
  const [a, b] = [await memberToken(app, auth, members[0]!), await memberToken(app, auth, members[1]!)];

  const own = await api(app, a).post(`/v1/meetings/${m1!.id}/agenda-items`, {
    title: 'Min medarbejder siger op',
    kind: 'dilemma',
  });
  t.equal(own.statusCode, 201);
  t.equal(own.json().ownerId, members[0]);
  const forOther = await api(app, a).post(`/v1/meetings/${m1!.id}/agenda-items`, {
    ownerId: members[1],
    title: 'x',
    kind: 'dilemma',
  });
  t.equal(forOther.statusCode, 403);
  const byAdmin = await api(app, auth).post(`/v1/meetings/${m1!.id}/agenda-items`, {
    ownerId: members[1],
    title: 'Strategi 2030',
    kind: 'strategic_theme',
  });
  t.equal(byAdmin.statusCode, 201);
  t.equal(byAdmin.json().position, 2);
  const adminNoOwner = await api(app, auth).post(`/v1/meetings/${m1!.id}/agenda-items`, {
    title: 'x',
    kind: 'dilemma',
  });
  t.equal(adminNoOwner.statusCode, 400);
  t.equal(adminNoOwner.json().issues[0].path, 'ownerId');

  for (let i = 0; i < 10; i++)
    await api(app, auth).post(`/v1/meetings/${m2!.id}/agenda-items`, {
      ownerId: members[2],
      title: `item ${i}`,
      kind: 'reflection',
    });
  const eleventh = await api(app, auth).post(`/v1/meetings/${m2!.id}/agenda-items`, {
    ownerId: members[2],
    title: 'item 11',
    kind: 'reflection',
  });
  t.equal(eleventh.statusCode, 201);
  const twelfth = await api(app, auth).post(`/v1/meetings/${m2!.id}/agenda-items`, {
    ownerId: members[2],
    title: 'item 12',
    kind: 'reflection',
  });
  t.equal(twelfth.statusCode, 201);
  const thirteenth = await api(app, auth).post(`/v1/meetings/${m2!.id}/agenda-items`, {
    ownerId: members[2],
    title: 'item 13',
    kind: 'reflection',
  });
  t.equal(thirteenth.statusCode, 400, 'the domain’s limit: 12 items');

  const notOwner = await api(app, a).delete(`/v1/agenda-items/${byAdmin.json().id}`);
  t.equal(notOwner.statusCode, 403);
  const byOwner = await api(app, b).delete(`/v1/agenda-items/${byAdmin.json().id}`);
  t.equal(byOwner.statusCode, 204);
  const list = await api(app, b).get(`/v1/meetings/${m1!.id}/agenda-items`);
  t.same(
    list.json().data.map((i: { title: string }) => i.title),
    ['Min medarbejder siger op'],
  );

  // Member 0 presented a dilemma at meeting 1: the next cases go to the others first.
  const held = await api(app, auth).post(`/v1/meetings/${m1!.id}/held`, {
    attendance: members.map((leaderId) => ({ leaderId, status: 'attended' })),
  });
  t.equal(held.statusCode, 200);
  const next = await api(app, b).get(`/v1/networks/${network}/next-cases`);
  t.equal(next.statusCode, 200);
  t.equal(next.json().meetingId, m2!.id);
  t.same(
    next
      .json()
      .proposals.map((p: { memberId: string }) => p.memberId)
      .sort(),
    [members[1], members[2]].sort(),
  );
  const afterHeld = await api(app, a).post(`/v1/meetings/${m1!.id}/agenda-items`, {
    title: 'late',
    kind: 'dilemma',
  });
  t.equal(afterHeld.statusCode, 409, 'a held meeting’s agenda is history');
});

t.test('tenant isolation: every id route answers 404 to another tenant', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const members = await createLeaders(app, a.auth, 2);
  const network = await createNetwork(app, a.tenantId, members);
  const [meeting] = await modelAndMeetings(app, a.auth, network, 1);
  const item = (
    await api(app, a.auth).post(`/v1/meetings/${meeting!.id}/agenda-items`, {
      ownerId: members[0],
      title: 'x',
      kind: 'dilemma',
    })
  ).json();
  const bLeader = (await createLeaders(app, b.auth, 1))[0]!;
  const bMember = await memberToken(app, b.auth, bLeader);
  const routes: [string, string, unknown?][] = [
    ['GET', `/v1/networks/${network}/meeting-model`],
    ['PUT', `/v1/networks/${network}/meeting-model`, MODEL],
    ['POST', `/v1/networks/${network}/meetings/generate`, { count: 1 }],
    ['GET', `/v1/networks/${network}/meetings`],
    ['GET', `/v1/networks/${network}/next-cases`],
    ['GET', `/v1/meetings/${meeting!.id}`],
    ['PATCH', `/v1/meetings/${meeting!.id}`, { startsAt: '2027-03-02T16:00:00.000Z' }],
    ['POST', `/v1/meetings/${meeting!.id}/cancel`],
    ['PUT', `/v1/meetings/${meeting!.id}/roles`, {}],
    ['POST', `/v1/meetings/${meeting!.id}/agenda-items`, { ownerId: bLeader, title: 'x', kind: 'dilemma' }],
    ['GET', `/v1/meetings/${meeting!.id}/agenda-items`],
    ['DELETE', `/v1/agenda-items/${item.id}`],
    ['GET', `/v1/meetings/${meeting!.id}/attendance`],
    ['POST', `/v1/meetings/${meeting!.id}/held`, { attendance: [] }],
  ];
  for (const [method, url, payload] of routes) {
    const res = await api(app, b.auth).send(method as Method, url, payload, {
      headers: { 'if-match': '"1"' },
    });
    t.equal(res.statusCode, 404, `${method} ${url}`);
    t.equal(res.json().code, 'not_found');
  }
  const me = await api(app, bMember).post(`/v1/meetings/${meeting!.id}/attendance/me`, {
    status: 'confirmed',
  });
  t.equal(me.statusCode, 404, 'another tenant’s member token');
  const stillPlanned = await api(app, a.auth).get(`/v1/meetings/${meeting!.id}`);
  t.equal(stillPlanned.json().status, 'planned');
  t.equal(stillPlanned.json().version, 1, 'nothing changed');
  const notUuid = await api(app, a.auth).get('/v1/meetings/not-a-uuid');
  t.equal(notUuid.statusCode, 400);
});

t.test(
  'member token limits: not a member → 404; admin/facilitator routes → 403; facilitator may',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const [m0, m1, outsider] = await createLeaders(app, auth, 3);
    const network = await createNetwork(app, tenantId, [m0!, m1!], { facilitatorId: m1! });
    const [meeting] = await modelAndMeetings(app, auth, network, 1);
    const [member, facilitator, stranger] = [
      await memberToken(app, auth, m0!),
      await memberToken(app, auth, m1!),
      await memberToken(app, auth, outsider!),
    ];
    for (const url of [`/v1/meetings/${meeting!.id}`, `/v1/networks/${network}/meetings`]) {
      const res = await api(app, stranger).get(url);
      t.equal(res.statusCode, 404, `a leader outside the network: ${url}`);
    }
    const gen = await api(app, member).post(`/v1/networks/${network}/meetings/generate`, { count: 1 });
    t.equal(gen.statusCode, 403);
    const model = await api(app, member).put(`/v1/networks/${network}/meeting-model`, MODEL);
    t.equal(model.statusCode, 403);
    const cancel = await api(app, member).post(`/v1/meetings/${meeting!.id}/cancel`);
    t.equal(cancel.statusCode, 403);
    const byFacilitator = await api(app, facilitator).post(`/v1/networks/${network}/meetings/generate`, {
      count: 1,
    });
    t.equal(byFacilitator.statusCode, 201, 'the network’s facilitator (a member) may generate');
    const read = await api(app, member).get(`/v1/meetings/${meeting!.id}`);
    t.equal(read.statusCode, 200, 'members read their meetings');
  },
);

t.test('generate is one transaction and replays with an Idempotency-Key', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 2);
  const network = await createNetwork(app, tenantId, members);
  await modelAndMeetings(app, auth, network, 1);
  const headers = { ...auth, 'idempotency-key': 'gen-1' };
  const first = await api(app, headers).post(`/v1/networks/${network}/meetings/generate`, { count: 2 });
  const replay = await api(app, headers).post(`/v1/networks/${network}/meetings/generate`, { count: 2 });
  t.equal(first.statusCode, 201);
  t.same(replay.json(), first.json(), 'the first response is replayed');
  const all = await api(app, auth).get(`/v1/networks/${network}/meetings`);
  t.equal(all.json().data.length, 3, 'nothing generated twice');
  const tooMany = await api(app, auth).post(`/v1/networks/${network}/meetings/generate`, { count: 500 });
  t.equal(tooMany.statusCode, 400);
});
