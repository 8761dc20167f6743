import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { createLeaders, createNetwork, MODEL, memberToken, PAST_MODEL } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const MEETING = 'id sequence status localStartsAt version roles { role holder { kind memberId name } basis }';

t.test('model, generation, nested meetings with agenda and attendance through GraphQL', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const networks = [await createNetwork(app, tenantId, members), await createNetwork(app, tenantId, members)];
  for (const [i, networkId] of networks.entries()) {
    const model = await gql(
      app,
      auth,
      'mutation($id: ID!, $input: MeetingModelInput!) { setMeetingModel(networkId: $id, input: $input, ifVersion: 0) { version cadenceMonths timeSlot venue { kind place } startDate } }',
      { id: networkId, input: { ...MODEL, cadenceMonths: i + 1 } },
    );
    t.notOk(model.body.errors);
    t.same(model.body.data!.setMeetingModel, {
      version: 1,
      cadenceMonths: i + 1,
      timeSlot: 'weekday_evening',
      venue: { kind: 'in_person', place: 'Rådhuset, Aarhus' },
      startDate: '2027-03-01',
    });
    const gen = await gql(
      app,
      auth,
      `mutation($id: ID!) { generateMeetings(networkId: $id, count: 2) { ${MEETING} } }`,
      { id: networkId },
    );
    t.notOk(gen.body.errors);
    t.same(
      (gen.body.data!.generateMeetings as { localStartsAt: string }[]).map((m) => m.localStartsAt),
      i === 0 ? ['2027-03-01T17:00', '2027-04-01T17:00'] : ['2027-03-01T17:00', '2027-04-30T17:00'],
    );
  }
  const invalid = await gql(
    app,
    auth,
    'mutation($id: ID!, $input: MeetingModelInput!) { setMeetingModel(networkId: $id, input: $input) { version } }',
    { id: networks[0], input: { ...MODEL, durationMinutes: 30 } },
  );
  t.equal(invalid.body.errors![0]!.extensions.code, 'validation_failed');
  t.equal(invalid.body.errors![0]!.extensions.issues![0]!.path, 'durationMinutes');

  const first = (
    await gql(app, auth, 'query($id: ID!) { network(id: $id) { meetings(first: 1) { id cursor } } }', {
      id: networks[0],
    })
  ).body.data!.network as { meetings: { id: string; cursor: string }[] };
  const meetingId = first.meetings[0]!.id;
  const add = await gql(
    app,
    auth,
    'mutation($m: ID!, $input: AgendaItemInput!) { addAgendaItem(meetingId: $m, input: $input) { title kind ownerId position } }',
    { m: meetingId, input: { ownerId: members[0], title: 'Forandring', kind: 'dilemma' } },
  );
  t.same(add.body.data!.addAgendaItem, {
    title: 'Forandring',
    kind: 'dilemma',
    ownerId: members[0],
    position: 1,
  });

  const nested = await gql(
    app,
    auth,
    `query($a: ID!, $b: ID!) {
      a: network(id: $a) { meetingModel { version cadenceMonths } meetings { sequence agenda { title } attendance { leaderId status } } }
      b: network(id: $b) { meetingModel { version cadenceMonths } meetings(first: 1) { sequence agenda { title } } }
    }`,
    { a: networks[0], b: networks[1] },
  );
  t.notOk(nested.body.errors);
  const a = nested.body.data!.a as {
    meetingModel: unknown;
    meetings: { sequence: number; agenda: { title: string }[]; attendance: unknown[] }[];
  };
  t.same(a.meetingModel, { version: 1, cadenceMonths: 1 });
  t.same(
    a.meetings.map((m) => [m.sequence, m.agenda.map((x) => x.title), m.attendance.length]),
    [
      [1, ['Forandring'], 3],
      [2, [], 3],
    ],
  );
  t.same(nested.body.data!.b, {
    meetingModel: { version: 1, cadenceMonths: 2 },
    meetings: [{ sequence: 1, agenda: [] }],
  });
  const after = await gql(
    app,
    auth,
    'query($id: ID!, $after: String) { network(id: $id) { meetings(after: $after) { sequence } } }',
    { id: networks[0], after: first.meetings[0]!.cursor },
  );
  t.same(after.body.data!.network, { meetings: [{ sequence: 2 }] });

  // meetingPage: the same meetings in the page shape of every list.
  const PAGE =
    'query($id: ID!, $after: String) { network(id: $id) { meetingPage(first: 1, after: $after) { nodes { sequence } nextCursor } } }';
  const page1 = (await gql(app, auth, PAGE, { id: networks[0] })).body.data!.network as {
    meetingPage: { nodes: { sequence: number }[]; nextCursor: string | null };
  };
  t.same(page1.meetingPage.nodes, [{ sequence: 1 }]);
  t.ok(page1.meetingPage.nextCursor, 'a next page');
  const page2 = (await gql(app, auth, PAGE, { id: networks[0], after: page1.meetingPage.nextCursor })).body
    .data!.network as { meetingPage: { nodes: { sequence: number }[]; nextCursor: string | null } };
  t.same(page2.meetingPage, { nodes: [{ sequence: 2 }], nextCursor: null }, 'the last page says so');
  const tooMany = await gql(
    app,
    auth,
    'query($id: ID!) { network(id: $id) { meetingPage(first: 201) { nextCursor } } }',
    {
      id: networks[0],
    },
  );
  t.equal(tooMany.body.errors?.[0]?.extensions.code, 'validation_failed');

  const stale = await gql(
    app,
    auth,
    'mutation($id: ID!) { moveMeeting(id: $id, input: { startsAt: "2027-03-02T16:00:00.000Z" }, ifVersion: 9) { version } }',
    { id: meetingId },
  );
  t.equal(stale.body.errors![0]!.extensions.code, 'precondition_failed', 'the same code as REST’s 412');
  const moved = await gql(
    app,
    auth,
    'mutation($id: ID!) { moveMeeting(id: $id, input: { startsAt: "2027-03-02T16:00:00.000Z" }, ifVersion: 1) { localStartsAt version } }',
    { id: meetingId },
  );
  t.same(moved.body.data!.moveMeeting, { localStartsAt: '2027-03-02T17:00', version: 2 });

  const roles = await gql(
    app,
    auth,
    `mutation($id: ID!, $m: ID!) { setMeetingRoles(id: $id, input: { host: { kind: "fixed", memberId: $m } }) { roles { role holder { memberId } basis } } }`,
    { id: meetingId, m: members[2] },
  );
  const host = (
    roles.body.data!.setMeetingRoles as { roles: { role: string; holder: { memberId: string } }[] }
  ).roles.find((r) => r.role === 'host');
  t.equal(host!.holder.memberId, members[2]);

  const next = await gql(
    app,
    auth,
    'query($id: ID!) { nextCases(networkId: $id) { meetingSequence proposals { memberId ownCases reason { en } } } }',
    { id: networks[0] },
  );
  t.equal((next.body.data!.nextCases as { proposals: unknown[] }).proposals.length, 2);

  const cancelled = await gql(app, auth, 'mutation($id: ID!) { cancelMeeting(id: $id) { status } }', {
    id: meetingId,
  });
  t.same(cancelled.body.data!.cancelMeeting, { status: 'cancelled' });
});

t.test('attendance with a member token, held meeting and the same codes as REST', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const members = await createLeaders(app, auth, 3);
  const network = await createNetwork(app, tenantId, members, { status: 'trial' });
  await gql(
    app,
    auth,
    'mutation($id: ID!, $input: MeetingModelInput!) { setMeetingModel(networkId: $id, input: $input) { version } }',
    { id: network, input: PAST_MODEL },
  );
  const gen = await gql(
    app,
    auth,
    'mutation($id: ID!) { generateMeetings(networkId: $id, count: 3) { id } }',
    {
      id: network,
    },
  );
  const ids = (gen.body.data!.generateMeetings as { id: string }[]).map((m) => m.id);
  const member = await memberToken(app, auth, members[0]!);
  const other = await memberToken(app, auth, members[1]!);

  const afbud = await gql(
    app,
    member,
    'mutation($m: ID!) { cancelAttendance(meetingId: $m) { leaderId status late cancelledAt } }',
    { m: ids[0] },
  );
  t.notOk(afbud.body.errors);
  t.match(afbud.body.data!.cancelAttendance, { leaderId: members[0], status: 'cancelled', late: true });
  const byAdmin = await gql(app, auth, 'mutation($m: ID!) { confirmAttendance(meetingId: $m) { status } }', {
    m: ids[0],
  });
  t.equal(byAdmin.body.errors![0]!.extensions.code, 'forbidden');
  const seen = await gql(
    app,
    other,
    'query($m: ID!) { meeting(id: $m) { attendance { leaderId status cancelledAt late } } }',
    {
      m: ids[0],
    },
  );
  const row = (seen.body.data!.meeting as { attendance: { leaderId: string }[] }).attendance.find(
    (x) => x.leaderId === members[0],
  );
  t.same(
    row,
    { leaderId: members[0], status: 'cancelled', cancelledAt: null, late: null },
    'status only for others',
  );
  const memberRoles = await gql(
    app,
    member,
    'mutation($m: ID!) { setMeetingRoles(id: $m, input: {}) { id } }',
    {
      m: ids[0],
    },
  );
  t.equal(memberRoles.body.errors![0]!.extensions.code, 'forbidden');

  const bad = await gql(
    app,
    auth,
    'mutation($m: ID!, $a: [HeldAttendanceInput!]!) { markMeetingHeld(id: $m, attendance: $a) { lifecycleStatus } }',
    { m: ids[0], a: [{ leaderId: '0190a5f4-0000-7000-8000-000000000000', status: 'attended' }] },
  );
  t.equal(bad.body.errors![0]!.extensions.code, 'validation_failed');
  const still = await gql(app, auth, 'query($m: ID!) { meeting(id: $m) { status } }', { m: ids[0] });
  t.same(still.body.data!.meeting, { status: 'planned' });

  const statuses: string[] = [];
  for (const id of ids) {
    const held = await gql(
      app,
      auth,
      'mutation($m: ID!, $a: [HeldAttendanceInput!]!) { markMeetingHeld(id: $m, attendance: $a) { meeting { status } lifecycleStatus } }',
      { m: id, a: [{ leaderId: members[1], status: 'attended' }] },
    );
    t.notOk(held.body.errors);
    statuses.push((held.body.data!.markMeetingHeld as { lifecycleStatus: string }).lifecycleStatus);
  }
  t.same(statuses, ['trial', 'trial', 'review_due'], 'the third held meeting ends the trial');
  const row2 = await app.db
    .selectFrom('networks')
    .select('status')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', network)
    .executeTakeFirstOrThrow();
  t.equal(row2.status, 'review_due');
});

t.test('tenant isolation on every GraphQL field and mutation that takes an id', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const members = await createLeaders(app, a.auth, 2);
  const network = await createNetwork(app, a.tenantId, members);
  await api(app, a.auth).put(`/v1/networks/${network}/meeting-model`, MODEL);
  const meeting = (
    await api(app, a.auth).post(`/v1/networks/${network}/meetings/generate`, { count: 1 })
  ).json().data[0];
  const item = (
    await api(app, a.auth).post(`/v1/meetings/${meeting.id}/agenda-items`, {
      ownerId: members[0],
      title: 'x',
      kind: 'dilemma',
    })
  ).json();
  const bMember = await memberToken(app, b.auth, (await createLeaders(app, b.auth, 1))[0]!);
  const ops: [string, Record<string, unknown>, { authorization: string }?][] = [
    ['query($id: ID!) { meeting(id: $id) { id } }', { id: meeting.id }],
    ['query($id: ID!) { nextCases(networkId: $id) { meetingId } }', { id: network }],
    [
      'mutation($id: ID!, $input: MeetingModelInput!) { setMeetingModel(networkId: $id, input: $input) { version } }',
      { id: network, input: MODEL },
    ],
    ['mutation($id: ID!) { generateMeetings(networkId: $id, count: 1) { id } }', { id: network }],
    [
      'mutation($id: ID!) { moveMeeting(id: $id, input: { startsAt: "2027-03-02T16:00:00.000Z" }, ifVersion: 1) { id } }',
      { id: meeting.id },
    ],
    ['mutation($id: ID!) { cancelMeeting(id: $id) { id } }', { id: meeting.id }],
    ['mutation($id: ID!) { setMeetingRoles(id: $id, input: {}) { id } }', { id: meeting.id }],
    [
      'mutation($id: ID!) { addAgendaItem(meetingId: $id, input: { title: "x", kind: dilemma }) { id } }',
      { id: meeting.id },
    ],
    ['mutation($id: ID!) { removeAgendaItem(id: $id) }', { id: item.id }],
    [
      'mutation($id: ID!) { markMeetingHeld(id: $id, attendance: []) { lifecycleStatus } }',
      { id: meeting.id },
    ],
    ['mutation($id: ID!) { confirmAttendance(meetingId: $id) { status } }', { id: meeting.id }, bMember],
    ['mutation($id: ID!) { cancelAttendance(meetingId: $id) { status } }', { id: meeting.id }, bMember],
  ];
  for (const [query, vars, auth] of ops) {
    const res = await gql(app, auth ?? b.auth, query, vars);
    t.equal(res.body.errors?.[0]?.extensions.code, 'not_found', query.slice(0, 60));
  }
  const unchanged = (await api(app, a.auth).get(`/v1/meetings/${meeting.id}`)).json();
  t.same([unchanged.status, unchanged.version], ['planned', 1]);
});

t.test(
  'Network.meetingModel, meetings, agenda, attendance, evaluationSummary and rules: round trips do not grow with N',
  async (t) => {
    // Within the cost limit (graphql-armor): five networks of three meetings.
    const query = `{ networks(first: 5) { nodes {
    id rules { ok violations { code } }
    meetingModel { version cadenceMonths }
    meetings(first: 3) {
      id status agenda { title } attendance { leaderId status } evaluationSummary { released }
    }
  } } }`;
    const cost = async (n: number) => {
      const { tenantId, auth } = await ctx.tenant();
      for (let i = 0; i < n; i++) {
        const members = await createLeaders(app, auth, 6);
        const network = await createNetwork(app, tenantId, members, { status: 'trial' });
        await api(app, auth).put(`/v1/networks/${network}/meeting-model`, MODEL);
        await api(app, auth).post(`/v1/networks/${network}/meetings/generate`, { count: 3 });
      }
      // The key lookup is cached for a second: start without it, so each count includes it.
      app.apiKeyCache.clear();
      const before = app.database.queries.count;
      const res = await gql(app, auth, query);
      const used = app.database.queries.count - before;
      t.notOk(res.body.errors, JSON.stringify(res.body.errors));
      const nodes = (res.body.data!.networks as { nodes: { meetings: { attendance: unknown[] }[] }[] }).nodes;
      t.equal(nodes.length, n);
      t.ok(
        nodes.every((x) => x.meetings.length === 3),
        'every network has its three meetings',
      );
      return used;
    };
    const two = await cost(2);
    const five = await cost(5);
    t.equal(five, two, `round trips: ${two} for 2 networks, ${five} for 5`);
  },
);
