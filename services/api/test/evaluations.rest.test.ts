import t from '@sparring/test-workers/tap';
import { myEvaluation } from '../src/evaluations/evaluation.service.js';
import { createMemberSession } from '../src/members/member-session.service.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { type Answers, closeEvaluationWindow, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const answers = (benefit: number, comment: string | null = null) => ({
  benefit,
  energy: 4,
  purposeFit: 4,
  relations: 5,
  giveGet: 0,
  ...(comment ? { comment } : {}),
});
/** Everyone answers the first two meetings, so they are released on their own and pool nothing. */
const earlierAnswered = (i: number): Answers | null =>
  i < 2 ? { benefit: 4, energy: 4, purposeFit: 4, relations: 4, giveGet: 0 } : null;
/** The member's own session (the sign-in link), the only way they read their own answers. */
const sessionOf = async (tenantId: string, leaderId: string) =>
  (await createMemberSession(app.db, tenantId, leaderId, new Date())).session;
const put = (meetingId: string, headers: { authorization: string }, payload: object) =>
  api(app, headers).put(`/v1/meetings/${meetingId}/evaluations/me`, payload);

t.test(
  'a member answers and edits with a token, reads only their own answers in their own session; the admin gets no individual answers',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seedNetwork(app, tenantId, auth, { members: 6, windowsOpen: true });
    const meeting = s.meetingIds[2]!;

    const created = await put(meeting, s.tokens[0]!, answers(4, 'My private thought'));
    t.equal(created.statusCode, 201);
    t.match(created.json(), { meetingId: meeting, benefit: 4, comment: 'My private thought' });
    const edited = await put(meeting, s.tokens[0]!, answers(2, 'Changed my mind'));
    t.equal(edited.statusCode, 200, 'a second PUT edits');
    t.equal(edited.json().benefit, 2);
    t.equal(edited.json().submittedAt, created.json().submittedAt, 'the first submission time is kept');

    const withToken = await api(app, s.tokens[0]!).get(`/v1/meetings/${meeting}/evaluations/me`);
    t.equal(withToken.statusCode, 403, 'a minted token acts (answers) but never reads the answers back');
    t.equal(withToken.json().code, 'private_data');
    t.notOk(withToken.body.includes('Changed my mind'));
    const mine = await myEvaluation(app.db, await sessionOf(tenantId, s.leaderIds[0]!), meeting);
    t.same(mine, edited.json(), 'the member reads their own answers in their own session');

    const other = await api(app, s.tokens[1]!).get(`/v1/meetings/${meeting}/evaluations/me`);
    t.equal(other.statusCode, 403, "another member's token gets nothing of the first member's");
    t.notOk(other.body.includes('Changed my mind'));
    t.equal(
      await myEvaluation(app.db, await sessionOf(tenantId, s.leaderIds[1]!), meeting),
      undefined,
      "another member's own session holds only their own (no) answers",
    );
    const admin = await api(app, auth).get(`/v1/meetings/${meeting}/evaluations/me`);
    t.equal(admin.statusCode, 403, 'an admin key cannot read a member answer');
    t.equal(admin.json().code, 'private_data');
    t.notOk(admin.body.includes('Changed my mind'));

    const open = await api(app, auth).get(`/v1/meetings/${meeting}/evaluations/summary`);
    t.same(
      open.json(),
      { released: false, reason: 'window_open', minimum: 5, closesAt: edited.json().editableUntil },
      'nothing while the window is open, not even a count',
    );
    await closeEvaluationWindow(app, tenantId, meeting);
    const summary = await api(app, auth).get(`/v1/meetings/${meeting}/evaluations/summary`);
    t.same(summary.json(), { released: false, reason: 'not_enough_responses', minimum: 5 });
  },
);

t.test(
  'aggregate withheld under k (4 answers, k=5: no numbers) and while the window is open, released once it closes with k, never with comments',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seedNetwork(app, tenantId, auth, {
      members: 6,
      windowsOpen: true,
      answers: earlierAnswered,
    });
    const meeting = s.meetingIds[2]!;
    for (let j = 0; j < 4; j++)
      t.equal((await put(meeting, s.tokens[j]!, answers(j + 1, `secret ${j}`))).statusCode, 201);

    for (const headers of [auth, s.tokens[0]!, s.tokens[5]!]) {
      const withheld = await api(app, headers).get(`/v1/meetings/${meeting}/evaluations/summary`);
      t.equal(withheld.statusCode, 200);
      t.same(
        Object.keys(withheld.json()).sort(),
        ['closesAt', 'minimum', 'reason', 'released'],
        'exactly: no numbers',
      );
      t.match(withheld.json(), { released: false, reason: 'window_open', minimum: 5 });
    }
    await put(meeting, s.tokens[4]!, answers(5, 'secret 4'));
    const stillOpen = await api(app, auth).get(`/v1/meetings/${meeting}/evaluations/summary`);
    t.match(
      stillOpen.json(),
      { released: false, reason: 'window_open', minimum: 5 },
      'k answers, but nothing before the window closes (one member could still answer)',
    );
    t.notOk(stillOpen.body.includes('responses'));

    await closeEvaluationWindow(app, tenantId, meeting);
    const released = await api(app, auth).get(`/v1/meetings/${meeting}/evaluations/summary`);
    const body = released.json();
    t.equal(body.released, true);
    t.same(body.value.meetingIds, [meeting], 'released alone: it reached k by itself');
    t.equal(body.value.minimum, 5);
    t.ok(Date.parse(body.value.releasedAt) <= Date.now());
    t.equal(body.value.responses, 5);
    t.equal(body.value.eligible, 6);
    t.equal(body.value.benefit.mean, 3);
    t.same(body.value.benefit.distribution, { 1: 1, 2: 1, 3: 1, 4: 1, 5: 1 });
    t.notOk(released.body.includes('secret'), 'no comment ever reaches an aggregate');
    t.notOk(released.body.includes(s.leaderIds[0]!), 'no member id in an aggregate');
    const late = await put(meeting, s.tokens[5]!, answers(1));
    t.equal(late.statusCode, 409, 'a released round takes no more answers');
    t.equal(late.json().code, 'evaluation_window_closed');
  },
);

t.test('the window closes early once every member who could answer has answered', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, {
    members: 6,
    windowsOpen: true,
    answers: earlierAnswered,
    attendance: (i, j) => (i === 2 && j === 5 ? 'cancelled' : 'attended'),
  });
  const meeting = s.meetingIds[2]!;
  for (let j = 0; j < 4; j++) t.equal((await put(meeting, s.tokens[j]!, answers(j + 1))).statusCode, 201);
  const open = await api(app, auth).get(`/v1/meetings/${meeting}/evaluations/summary`);
  t.match(open.json(), { released: false, reason: 'window_open' });
  const last = await put(meeting, s.tokens[4]!, answers(5));
  t.equal(last.statusCode, 201);
  t.ok(Date.parse(last.json().editableUntil) <= Date.now(), 'the last answer closes the window now');
  const released = await api(app, auth).get(`/v1/meetings/${meeting}/evaluations/summary`);
  t.match(released.json(), {
    released: true,
    value: { meetingIds: [meeting], minimum: 5, responses: 5, eligible: 5 },
  });
  const edit = await put(meeting, s.tokens[0]!, answers(1));
  t.equal(edit.statusCode, 409, 'answers are final once released');
  t.equal(edit.json().code, 'evaluation_window_closed');
});

t.test('a closed meeting under k is pooled with the next until k members answered', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  // k = 5: meeting 1 has 3 answers (members 0–2), meeting 2 has 3 (members 2–4): 5 distinct.
  const s = await seedNetwork(app, tenantId, auth, {
    members: 6,
    held: 3,
    answers: (i, j) =>
      i === 0
        ? { benefit: 4, energy: 4, purposeFit: 4, relations: 4, giveGet: 0 }
        : (i === 1 && j <= 2) || (i === 2 && j >= 2 && j <= 4)
          ? { benefit: 2, energy: 3, purposeFit: 3, relations: 3, giveGet: 0 }
          : null,
  });
  const [m0, m1, m2] = s.meetingIds as [string, string, string];
  const read = async (id: string) =>
    (await api(app, auth).get(`/v1/meetings/${id}/evaluations/summary`)).json();
  t.match(await read(m0), { released: true, value: { meetingIds: [m0], responses: 6 } });
  const pooled = await read(m1);
  t.equal(pooled.released, true);
  t.same(pooled.value.meetingIds, [m1, m2], 'one release over both meetings');
  t.equal(pooled.value.minimum, 5);
  t.same(await read(m2), pooled, 'the same release read from either meeting');
  t.notOk(JSON.stringify(pooled).includes(s.leaderIds[0]!));
});

t.test('validation and the domain refusals as coded problems', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, {
    members: 6,
    planned: true,
    windowsOpen: true,
    attendance: (i, j) => (j === 5 ? (i === 2 ? 'cancelled' : 'no_show') : 'attended'),
  });
  const meeting = s.meetingIds[2]!;
  const bad = await put(meeting, s.tokens[0]!, { ...answers(6), giveGet: 3, extra: 1 });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().code, 'validation_failed');
  t.ok(bad.json().issues.length >= 2, 'every issue is listed');
  const missing = await put(meeting, s.tokens[0]!, { benefit: 3 });
  t.equal(missing.statusCode, 400);
  const longComment = await put(meeting, s.tokens[0]!, { ...answers(3), comment: 'x'.repeat(2001) });
  t.equal(longComment.statusCode, 400);

  const planned = await put(s.plannedMeetingId!, s.tokens[0]!, answers(3));
  t.equal(planned.statusCode, 409);
  t.equal(planned.json().code, 'meeting_not_held');
  const cancelled = await put(meeting, s.tokens[5]!, answers(3));
  t.equal(cancelled.statusCode, 403);
  t.equal(cancelled.json().code, 'not_an_attendee');
  const noShow = await put(s.meetingIds[1]!, s.tokens[5]!, answers(3));
  t.equal(noShow.json().code, 'not_an_attendee');
  const adminPut = await put(meeting, auth, answers(3));
  t.equal(adminPut.statusCode, 403, 'evaluations are answered by the member only (token or session)');
  const notUuid = await put('nope', s.tokens[0]!, answers(3));
  t.equal(notUuid.statusCode, 400);
  const none = await app.db
    .selectFrom('evaluations')
    .select('leader_id')
    .where('tenant_id', '=', tenantId)
    .execute();
  t.equal(none.length, 0, 'nothing refused was stored');
});

t.test('edits close with the evaluation window (14 days after held_at)', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, { members: 6, lastHeldDaysAgo: 20, spacingDays: 5 });
  const closed = await put(s.meetingIds[2]!, s.tokens[0]!, answers(3));
  t.equal(closed.statusCode, 409);
  t.equal(closed.json().code, 'evaluation_window_closed');
  t.ok(closed.json().closedAt);
});

t.test('tenant isolation: other tenants and other networks see nothing (404)', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const s = await seedNetwork(app, a.tenantId, a.auth, { members: 5, windowsOpen: true });
  const other = await seedNetwork(app, b.tenantId, b.auth, { members: 5, windowsOpen: true });
  const sameTenantOther = await seedNetwork(app, a.tenantId, a.auth, { members: 5, windowsOpen: true });
  const meeting = s.meetingIds[0]!;
  await put(meeting, s.tokens[0]!, answers(3));
  for (const headers of [b.auth, other.tokens[0]!]) {
    t.equal((await api(app, headers).get(`/v1/meetings/${meeting}/evaluations/summary`)).statusCode, 404);
  }
  t.equal((await put(meeting, other.tokens[0]!, answers(3))).statusCode, 404, "another tenant's member");
  t.equal(
    (await put(meeting, sameTenantOther.tokens[0]!, answers(3))).statusCode,
    404,
    'a member of another network',
  );
  const otherToken = await api(app, other.tokens[0]!).get(`/v1/meetings/${meeting}/evaluations/me`);
  t.equal(otherToken.statusCode, 403, 'a token never reads private data, whatever the meeting');
  t.equal(otherToken.json().code, 'private_data');
  const otherSession = (await createMemberSession(app.db, b.tenantId, other.leaderIds[0]!, new Date()))
    .session;
  const status = await myEvaluation(app.db, otherSession, meeting).then(
    () => 200,
    (e: { statusCode?: number }) => e.statusCode,
  );
  t.equal(status, 404, "another tenant's member, in their own session, finds no such meeting");
  t.equal(
    (await api(app, sameTenantOther.tokens[0]!).get(`/v1/meetings/${meeting}/evaluations/summary`))
      .statusCode,
    404,
  );
});
