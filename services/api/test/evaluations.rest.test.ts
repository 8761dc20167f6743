import t from 'tap';
import { buildTestApp } from './helpers/build.js';
import { seedNetwork } from './helpers/network-fixtures.js';

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
const put = (meetingId: string, headers: { authorization: string }, payload: object) =>
  app.inject({ method: 'PUT', url: `/v1/meetings/${meetingId}/evaluations/me`, headers, payload });

t.test(
  'a member answers, edits and reads only their own answers; the admin gets no individual answers',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seedNetwork(app, tenantId, auth, { members: 6 });
    const meeting = s.meetingIds[2]!;

    const created = await put(meeting, s.tokens[0]!, answers(4, 'My private thought'));
    t.equal(created.statusCode, 201);
    t.match(created.json(), { meetingId: meeting, benefit: 4, comment: 'My private thought' });
    const edited = await put(meeting, s.tokens[0]!, answers(2, 'Changed my mind'));
    t.equal(edited.statusCode, 200, 'a second PUT edits');
    t.equal(edited.json().benefit, 2);
    t.equal(edited.json().submittedAt, created.json().submittedAt, 'the first submission time is kept');

    const mine = await app.inject({ url: `/v1/meetings/${meeting}/evaluations/me`, headers: s.tokens[0]! });
    t.equal(mine.statusCode, 200);
    t.same(mine.json(), edited.json());

    const other = await app.inject({ url: `/v1/meetings/${meeting}/evaluations/me`, headers: s.tokens[1]! });
    t.equal(other.statusCode, 404, "another member's token gets nothing of the first member's");
    t.notOk(other.body.includes('Changed my mind'));
    const admin = await app.inject({ url: `/v1/meetings/${meeting}/evaluations/me`, headers: auth });
    t.equal(admin.statusCode, 403, 'an admin key cannot read a member answer');

    const summary = await app.inject({ url: `/v1/meetings/${meeting}/evaluations/summary`, headers: auth });
    t.same(summary.json(), { released: false, reason: 'not_enough_responses', minimum: 5 });
  },
);

t.test(
  'aggregate withheld under k (4 answers, k=5: no numbers), released at k, never with comments',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seedNetwork(app, tenantId, auth, { members: 6 });
    const meeting = s.meetingIds[2]!;
    for (let j = 0; j < 4; j++)
      t.equal((await put(meeting, s.tokens[j]!, answers(j + 1, `secret ${j}`))).statusCode, 201);

    for (const headers of [auth, s.tokens[0]!, s.tokens[5]!]) {
      const withheld = await app.inject({ url: `/v1/meetings/${meeting}/evaluations/summary`, headers });
      t.equal(withheld.statusCode, 200);
      t.same(
        withheld.json(),
        { released: false, reason: 'not_enough_responses', minimum: 5 },
        'exactly: no numbers',
      );
    }
    await put(meeting, s.tokens[4]!, answers(5, 'secret 4'));
    const released = await app.inject({ url: `/v1/meetings/${meeting}/evaluations/summary`, headers: auth });
    const body = released.json();
    t.equal(body.released, true);
    t.equal(body.value.responses, 5);
    t.equal(body.value.eligible, 6);
    t.equal(body.value.benefit.mean, 3);
    t.same(body.value.benefit.distribution, { 1: 1, 2: 1, 3: 1, 4: 1, 5: 1 });
    t.notOk(released.body.includes('secret'), 'no comment ever reaches an aggregate');
    t.notOk(released.body.includes(s.leaderIds[0]!), 'no member id in an aggregate');
  },
);

t.test('validation and the domain refusals as coded problems', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, {
    members: 6,
    planned: true,
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
  t.equal(adminPut.statusCode, 403, 'evaluations are answered with a member token only');
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
  const s = await seedNetwork(app, a.tenantId, a.auth, { members: 5 });
  const other = await seedNetwork(app, b.tenantId, b.auth, { members: 5 });
  const sameTenantOther = await seedNetwork(app, a.tenantId, a.auth, { members: 5 });
  const meeting = s.meetingIds[0]!;
  await put(meeting, s.tokens[0]!, answers(3));
  for (const headers of [b.auth, other.tokens[0]!]) {
    t.equal(
      (await app.inject({ url: `/v1/meetings/${meeting}/evaluations/summary`, headers })).statusCode,
      404,
    );
  }
  t.equal((await put(meeting, other.tokens[0]!, answers(3))).statusCode, 404, "another tenant's member");
  t.equal(
    (await put(meeting, sameTenantOther.tokens[0]!, answers(3))).statusCode,
    404,
    'a member of another network',
  );
  t.equal(
    (await app.inject({ url: `/v1/meetings/${meeting}/evaluations/me`, headers: other.tokens[0]! }))
      .statusCode,
    404,
  );
  t.equal(
    (
      await app.inject({
        url: `/v1/meetings/${meeting}/evaluations/summary`,
        headers: sameTenantOther.tokens[0]!,
      })
    ).statusCode,
    404,
  );
});
