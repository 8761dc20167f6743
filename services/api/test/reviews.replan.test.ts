/**
 * An adjust decision with a new meeting model: the planned future meetings follow it (the
 * domain's replanMeetings), in the decision's transaction, and the response lists what moved.
 */

import t from '@sparring/test-workers/tap';
import { sql } from 'kysely';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { type Answers, type MeetingJson, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
const DAY = 86_400_000;

const answers = (_i: number, j: number): Answers | null =>
  j < 5 ? { benefit: 3, energy: 3, purposeFit: 3, relations: 3, giveGet: 0 } : null;
const attendance = (_i: number, j: number) => (j >= 5 ? ('cancelled' as const) : ('attended' as const));

/** The local date ten days from now: the first meeting of the evening model (always in the future). */
const startDate = new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10);
/** The model the trial ran on: monthly, weekday evenings at 17:00, three hours, in Aarhus. */
const evening = {
  cadenceMonths: 1,
  durationMinutes: 180,
  timeSlot: 'weekday_evening',
  localStartTime: '17:00',
  venue: { kind: 'in_person', place: 'Rådhuset, Aarhus' },
  startDate,
};
/** The model the review adopts: weekday mornings at 09:00, four hours, online (same dates). */
const morning = {
  ...evening,
  timeSlot: 'weekday_daytime',
  localStartTime: '09:00',
  durationMinutes: 240,
  venue: { kind: 'online', link: 'https://meet.example.com/sparring' },
};

/**
 * The seeded trial (7 members, 3 held meetings, review due), then the evening model as the
 * facilitator's version 2 and three planned meetings on it (4, 5, 6); meeting 6 is cancelled.
 * At meeting 4 member 1 said yes and member 2 gave afbud.
 */
async function trialWithPlannedMeetings() {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, { members: 7, answers, attendance, facilitator: 0 });
  const put = await api(app, auth).put(`/v1/networks/${s.networkId}/meeting-model`, evening);
  if (put.statusCode !== 201) throw new Error(`model: ${put.body}`);
  const gen = await api(app, auth).post(`/v1/networks/${s.networkId}/meetings/generate`, { count: 3 });
  if (gen.statusCode !== 201) throw new Error(`generate: ${gen.body}`);
  const planned = gen.json().data as MeetingJson[];
  const [m4, m5, m6] = planned as [MeetingJson, MeetingJson, MeetingJson];
  const respond = (meetingId: string, headers: Auth, status: string) =>
    api(app, headers).post(`/v1/meetings/${meetingId}/attendance/me`, { status });
  for (const [j, status] of [
    [1, 'confirmed'],
    [2, 'cancelled'],
  ] as const) {
    const res = await respond(m4.id, s.tokens[j]!, status);
    if (res.statusCode !== 200) throw new Error(`respond: ${res.body}`);
  }
  const cancel = await api(app, auth).post(`/v1/meetings/${m6.id}/cancel`, undefined, {
    headers: { 'if-match': `"${m6.version}"` },
  });
  if (cancel.statusCode !== 200) throw new Error(`cancel: ${cancel.body}`);
  return { tenantId, auth, s, m4, m5, m6 };
}

const decide = (networkId: string, headers: Auth, payload: object) =>
  api(app, headers).post(`/v1/networks/${networkId}/review/decision`, payload);
const meeting = async (id: string, auth: Auth) => (await api(app, auth).get(`/v1/meetings/${id}`)).json();
const attendanceOf = async (id: string, auth: Auth) =>
  (await api(app, auth).get(`/v1/meetings/${id}/attendance`)).json().data as {
    leaderId: string;
    status: string;
    cancelledAt: string | null;
  }[];
/** Every meeting of the network as stored: id → start, end, venue, status, model version. */
const snapshot = async (networkId: string) =>
  (
    await app.db
      .selectFrom('meetings')
      .select(['id', 'starts_at', 'ends_at', 'venue', 'status', 'model_version'])
      .where('network_id', '=', networkId)
      .orderBy('sequence')
      .execute()
  ).map((m) => ({ ...m, venue: typeof m.venue === 'string' ? JSON.parse(m.venue) : m.venue }));
const movedEvents = async (tenantId: string) =>
  (
    await app.db
      .selectFrom('events')
      .select(['data'])
      .where('tenant_id', '=', tenantId)
      .where('type', '=', 'meeting.moved')
      .where(sql<boolean>`data->>'meetingId' not in (select id::text from meetings where status = 'held')`) // not seedNetwork's moves
      .execute()
  ).map((e) => (typeof e.data === 'string' ? JSON.parse(e.data) : e.data) as { meetingId: string });

t.test(
  'adjust with a new model: the planned future meetings follow it, the response lists them',
  async (t) => {
    const { tenantId, auth, s, m4, m5, m6 } = await trialWithPlannedMeetings();
    t.match(m4.localStartsAt, /T17:00$/, 'meeting 4 at 17:00 on the model the trial ran on');
    const before = await snapshot(s.networkId);
    const res = await decide(s.networkId, s.tokens[0]!, {
      decision: 'adjust',
      changes: ['time_slot'],
      meetingModel: morning,
    });
    t.equal(res.statusCode, 200);
    const body = res.json();
    t.equal(body.review.decisionDetail.meetingModelVersion, 3);
    t.equal(body.movedMeetings.length, 2, 'meetings 4 and 5; the cancelled meeting 6 stays as it was');
    const [moved4, moved5] = body.movedMeetings;
    t.match(moved4, {
      meetingId: m4.id,
      sequence: 4,
      from: {
        startsAt: m4.startsAt,
        endsAt: m4.endsAt,
        localStartsAt: m4.localStartsAt,
        durationMinutes: 180,
        venue: evening.venue,
      },
      to: {
        localStartsAt: `${m4.localStartsAt.slice(0, 10)}T09:00`,
        durationMinutes: 240,
        venue: morning.venue,
      },
      answersReset: 2,
    });
    t.match(moved5, { meetingId: m5.id, sequence: 5, answersReset: 0, to: { localStartsAt: /T09:00$/ } });

    // The meetings as stored and read: the new time, length, venue and model version.
    const read4 = await meeting(m4.id, auth);
    t.equal(read4.startsAt, moved4.to.startsAt);
    t.equal(read4.endsAt, moved4.to.endsAt);
    t.equal((Date.parse(read4.endsAt) - Date.parse(read4.startsAt)) / 60_000, 240);
    t.same(read4.venue, morning.venue);
    t.equal(read4.modelVersion, 3);
    t.ok(read4.version > m4.version, 'its version moved on: a stale If-Match on it fails');
    // The yes and the afbud given for 17:00 are unanswered again; nobody else changed.
    const att = await attendanceOf(m4.id, auth);
    for (const j of [1, 2]) {
      const a = att.find((x) => x.leaderId === s.leaderIds[j])!;
      t.equal(a.status, 'expected', `member ${j} answers again for 09:00`);
      t.equal(a.cancelledAt, null);
    }
    t.ok(att.filter((x) => x.status !== 'expected').length === 0);
    // Held and cancelled meetings are untouched.
    const after = await snapshot(s.networkId);
    t.same(after.slice(0, 3), before.slice(0, 3), 'the three held meetings');
    t.same(after[5], before[5], 'the cancelled meeting 6');
    t.equal(after[5]!.status, 'cancelled');
    t.equal((await meeting(m6.id, auth)).startsAt, m6.startsAt);
    // One meeting.moved event per moved meeting, as for a single move.
    const events = await movedEvents(tenantId);
    t.same(events.map((e) => e.meetingId).sort(), [m4.id, m5.id].sort());
    t.match(
      events.find((e) => e.meetingId === m4.id),
      { previousStartsAt: m4.startsAt, startsAt: moved4.to.startsAt, endsAt: moved4.to.endsAt },
    );
  },
);

t.test('a decision without a new model moves nothing and lists []', async (t) => {
  for (const payload of [
    { decision: 'adjust', changes: ['agenda_format'] },
    { decision: 'continue', reviewEvery: 6 },
  ]) {
    const { tenantId, s } = await trialWithPlannedMeetings();
    const before = await snapshot(s.networkId);
    const res = await decide(s.networkId, s.tokens[0]!, payload);
    t.equal(res.statusCode, 200, payload.decision);
    t.same(res.json().movedMeetings, []);
    t.same(await snapshot(s.networkId), before, 'every meeting as it was');
    t.same(await movedEvents(tenantId), []);
  }
});

t.test('the same model again: the meetings follow it, none is listed as moved', async (t) => {
  const { s, auth, m4 } = await trialWithPlannedMeetings();
  const res = await decide(s.networkId, auth, {
    decision: 'adjust',
    changes: ['charter'],
    meetingModel: evening,
  });
  t.equal(res.statusCode, 200);
  t.same(res.json().movedMeetings, []);
  const read4 = await meeting(m4.id, auth);
  t.equal(read4.startsAt, m4.startsAt);
  t.equal(read4.modelVersion, 3, 'now on the adopted version');
  const att = await attendanceOf(m4.id, auth);
  t.equal(att.find((x) => x.leaderId === s.leaderIds[1])!.status, 'confirmed', 'answers stand');
});

t.test('a bad model is 400 and nothing moves', async (t) => {
  const { tenantId, auth, s, m4 } = await trialWithPlannedMeetings();
  const before = await snapshot(s.networkId);
  const res = await decide(s.networkId, auth, {
    decision: 'adjust',
    changes: ['time_slot'],
    meetingModel: { ...morning, localStartTime: '19:00' },
  });
  t.equal(res.statusCode, 400);
  t.ok(res.json().issues.some((i: { path: string }) => i.path === 'meetingModel.localStartTime'));
  t.same(await snapshot(s.networkId), before);
  t.same(await movedEvents(tenantId), []);
  const att = await attendanceOf(m4.id, auth);
  t.equal(att.find((x) => x.leaderId === s.leaderIds[2])!.status, 'cancelled', 'the afbud stands');
  t.equal(
    (
      await app.db
        .selectFrom('networks')
        .select('status')
        .where('id', '=', s.networkId)
        .executeTakeFirstOrThrow()
    ).status,
    'review_due',
  );
});

t.test('a refused decision (readiness: too few members) is 409 and nothing moves', async (t) => {
  const { tenantId, auth, s } = await trialWithPlannedMeetings();
  const before = await snapshot(s.networkId);
  // Two members leave: 5 active < minimum 6, so the new trial cannot start.
  await app.db
    .updateTable('network_members')
    .set({ left_at: new Date(Date.now() - 1000) })
    .where('network_id', '=', s.networkId)
    .where('leader_id', 'in', s.leaderIds.slice(5))
    .execute();
  const res = await decide(s.networkId, auth, {
    decision: 'adjust',
    changes: ['time_slot'],
    meetingModel: morning,
  });
  t.equal(res.statusCode, 409);
  t.same(await snapshot(s.networkId), before, 'the transaction wrote nothing');
  t.same(await movedEvents(tenantId), []);
});

const DECIDE = `mutation ($n: ID!, $i: ReviewDecisionInput!) { decideReview(networkId: $n, input: $i) {
  networkStatus review { decision }
  movedMeetings { meetingId sequence answersReset
    from { startsAt endsAt localStartsAt durationMinutes venue { kind place link } }
    to { startsAt endsAt localStartsAt durationMinutes venue { kind place link } } }
} }`;

t.test('GraphQL: the decision payload lists the moved meetings as REST does', async (t) => {
  const { auth, s, m4, m5 } = await trialWithPlannedMeetings();
  const res = await gql(app, auth, DECIDE, {
    n: s.networkId,
    i: { decision: 'adjust', changes: ['time_slot'], meetingModel: morning },
  });
  t.same(res.body.errors, undefined);
  const moved = (res.body.data!.decideReview as { movedMeetings: Record<string, unknown>[] }).movedMeetings;
  t.same(
    moved.map((m) => [m.meetingId, m.sequence, m.answersReset]),
    [
      [m4.id, 4, 2],
      [m5.id, 5, 0],
    ],
  );
  t.match(moved[0], {
    from: {
      localStartsAt: /T17:00$/,
      durationMinutes: 180,
      venue: { kind: 'in_person', place: 'Rådhuset, Aarhus' },
    },
    to: {
      localStartsAt: /T09:00$/,
      durationMinutes: 240,
      venue: { kind: 'online', link: morning.venue.link },
    },
  });
  t.equal((await meeting(m4.id, auth)).startsAt, (moved[0]!.to as { startsAt: string }).startsAt);
  const none = await gql(app, auth, DECIDE, { n: s.networkId, i: { decision: 'continue' } });
  t.equal(none.body.errors?.length, 1, 'no review is due any more');
});
