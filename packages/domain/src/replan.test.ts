import t from '@sparring/test-workers/tap';
import { type MeetingModel, scheduleMeetings, type Venue } from './meeting-model.js';
import { type ReplanMeeting, replanMeetings } from './replan.js';

const TZ = 'Europe/Copenhagen';
const HOUR = 3_600_000;
const aarhus: Venue = { kind: 'in_person', place: 'Rådhuset, Aarhus' };
const online: Venue = { kind: 'online', link: 'https://meet.example.com/net' };

/** Model v1 of the seed's network: monthly, weekday evenings at 17:00, three hours, in Aarhus. */
const v1: MeetingModel = {
  cadenceMonths: 1,
  durationMinutes: 180,
  timeSlot: 'weekday_evening',
  localStartTime: '17:00',
  venue: aarhus,
  startDate: '2027-01-12',
};
/** Model v2 adopted at the trial-end review: weekday mornings at 09:00, four hours, online. */
const v2: MeetingModel = {
  ...v1,
  timeSlot: 'weekday_daytime',
  localStartTime: '09:00',
  durationMinutes: 240,
  venue: online,
};

const scheduled = (model: MeetingModel, count: number) => {
  const r = scheduleMeetings(model, { count, timeZone: TZ });
  if (!r.ok) throw new Error('schedule');
  return r.value;
};

const members = Array.from({ length: 12 }, (_, j) => `m${String(j + 1).padStart(2, '0')}`);

/** Meetings 1–6 of model v1: 1–3 held, 4–6 planned; answers by member index. */
function seedMeetings(answer: (meeting: number, j: number) => string = () => 'expected'): ReplanMeeting[] {
  return scheduled(v1, 6).map((s, i) => ({
    meetingId: `meeting-${i + 1}`,
    status: i < 3 ? 'held' : 'planned',
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    venue: aarhus,
    answers: members.map((memberId, j) => ({ memberId, status: answer(i + 1, j) })),
  }));
}
/** The day after meeting 3 was held: the review decides. */
const decidedAt = new Date('2027-03-13T12:00:00Z');

const replan = (meetings: ReplanMeeting[], model: MeetingModel, now = decidedAt, timeZone = TZ) => {
  const r = replanMeetings(meetings, model, { now, timeZone });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

t.test('golden: the seed’s network of 12 adopts v2; meeting 4 at 17:00 moves to 09:00', async (t) => {
  // Meeting 4: 8 said yes, 2 gave afbud (one late), 2 have not answered.
  const meetings = seedMeetings((m, j) =>
    m === 4 ? (j < 8 ? 'confirmed' : j < 10 ? 'cancelled' : 'expected') : m <= 3 ? 'attended' : 'expected',
  );
  const m4 = meetings[3]!;
  t.equal(m4.startsAt.toISOString(), '2027-04-12T15:00:00.000Z', 'meeting 4: Monday 12 April, 17:00 CEST');
  const result = replan(meetings, v2);
  t.same(result.following, ['meeting-4', 'meeting-5', 'meeting-6'], 'held meetings do not follow');
  t.equal(result.moved.length, 3, 'every planned meeting moves: another slot, length and venue');
  const moved4 = result.moved[0]!;
  t.equal(moved4.meetingId, 'meeting-4');
  t.same(moved4.from, { startsAt: m4.startsAt, endsAt: m4.endsAt, durationMinutes: 180, venue: aarhus });
  t.same(moved4.to, {
    startsAt: new Date('2027-04-12T07:00:00.000Z'),
    endsAt: new Date('2027-04-12T11:00:00.000Z'),
    durationMinutes: 240,
    venue: online,
  });
  t.equal(moved4.timeChanged, true);
  t.same(moved4.answersReset, members.slice(0, 10), 'the 8 yes and the 2 afbud are reset; unanswered stay');
  t.same(result.moved[1]!.answersReset, [], 'nobody had answered meeting 5');
});

t.test('held, cancelled and already started meetings keep what they were', async (t) => {
  const meetings = seedMeetings();
  meetings[4] = { ...meetings[4]!, status: 'cancelled' };
  // Meeting 4 started an hour before the decision and is not yet marked held.
  const now = new Date(meetings[3]!.startsAt.getTime() + HOUR);
  const result = replan(meetings, v2, now);
  t.same(result.following, ['meeting-6']);
  t.same(
    result.moved.map((m) => m.meetingId),
    ['meeting-6'],
  );
  t.same(result.moved[0]!.to.startsAt, new Date('2027-05-12T07:00:00.000Z'), 'the first of v2 after now');
});

t.test('no planned future meeting: nothing follows, nothing moves', async (t) => {
  const held = seedMeetings().slice(0, 3);
  t.same(replan(held, v2), { following: [], moved: [] });
  t.same(replan([], v2, decidedAt, 'Not/AZone'), { following: [], moved: [] }, 'nothing to schedule');
});

t.test('the same model again: the meetings follow it and none is listed as moved', async (t) => {
  const result = replan(seedMeetings(), v1);
  t.same(result.following, ['meeting-4', 'meeting-5', 'meeting-6']);
  t.same(result.moved, []);
});

t.test('only the venue changes: listed as moved, the answers stand', async (t) => {
  const hybrid: Venue = { kind: 'hybrid', place: 'Rådhuset, Aarhus', link: 'https://meet.example.com/net' };
  for (const venue of [online, hybrid, { kind: 'in_person', place: 'Dokk1, Aarhus' } as Venue]) {
    const result = replan(
      seedMeetings(() => 'confirmed'),
      { ...v1, venue },
    );
    t.equal(result.moved.length, 3, `${JSON.stringify(venue)}`);
    t.equal(result.moved[0]!.timeChanged, false);
    t.same(result.moved[0]!.answersReset, []);
    t.same(result.moved[0]!.to.startsAt, result.moved[0]!.from.startsAt);
    t.same(result.moved[0]!.to.venue, venue);
  }
  // Hybrid → hybrid with another link is a move; the same hybrid venue is not.
  const onLine = seedMeetings().map((m) => ({ ...m, venue: online }));
  t.equal(replan(onLine, { ...v1, venue: online }).moved.length, 0, 'the same link');
  const onHybrid = seedMeetings().map((m) => ({ ...m, venue: hybrid }));
  t.equal(replan(onHybrid, { ...v1, venue: hybrid }).moved.length, 0);
  t.equal(
    replan(onHybrid, { ...v1, venue: { ...hybrid, link: 'https://meet.example.com/other' } }).moved.length,
    3,
  );
});

t.test('only the length changes: the end moves, so the answers are reset', async (t) => {
  const result = replan(
    seedMeetings((m, j) => (m === 4 && j === 0 ? 'cancelled' : 'expected')),
    { ...v1, durationMinutes: 240 },
  );
  const first = result.moved[0]!;
  t.same(first.to.startsAt, first.from.startsAt);
  t.equal(first.to.durationMinutes, 240);
  t.equal(first.timeChanged, true);
  t.same(first.answersReset, ['m01']);
});

t.test('meeting less often: the planned meetings spread out, in start order', async (t) => {
  const meetings = seedMeetings().reverse(); // the order given does not matter
  const result = replan(meetings, { ...v1, cadenceMonths: 2 });
  t.same(
    result.moved.map((m) => [m.meetingId, m.to.startsAt.toISOString()]),
    [
      // v1's grid from 12 January every second month: 12 May, 12 July, 12 September (17:00 CEST).
      ['meeting-4', '2027-05-12T15:00:00.000Z'],
      ['meeting-5', '2027-07-12T15:00:00.000Z'],
      ['meeting-6', '2027-09-13T15:00:00.000Z'],
    ],
    '12 September 2027 is a Sunday: the slot moves it to Monday the 13th',
  );
});

t.test('a later start date: the new rhythm starts there', async (t) => {
  const result = replan(seedMeetings(), { ...v2, startDate: '2027-06-01' });
  t.same(
    result.moved.map((m) => m.to.startsAt.toISOString()),
    ['2027-06-01T07:00:00.000Z', '2027-07-01T07:00:00.000Z', '2027-08-02T07:00:00.000Z'],
    '1 August 2027 is a Sunday: Monday the 2nd',
  );
});

t.test('more planned meetings than one schedule call returns', async (t) => {
  // 125 planned meetings, one a day from 2 January 2027 at noon UTC (one schedule call gives 120).
  const many: ReplanMeeting[] = Array.from({ length: 125 }, (_, i) => ({
    meetingId: `m${i}`,
    status: 'planned',
    startsAt: new Date(Date.UTC(2027, 0, 2 + i, 12)),
    endsAt: new Date(Date.UTC(2027, 0, 2 + i, 15)),
    venue: aarhus,
    answers: [],
  }));
  const now = new Date('2027-01-01T00:00:00Z');
  const result = replan(many, v2, now);
  t.equal(result.following.length, 125);
  t.equal(result.moved.length, 125);
  const starts = result.moved.map((m) => m.to.startsAt.getTime());
  t.ok(
    starts.every((s, i) => i === 0 || s > starts[i - 1]!),
    'one meeting per cadence step, none twice',
  );
  t.equal(result.moved[124]!.to.startsAt.toISOString().slice(0, 10), '2037-05-12', 'the 125th month');
});

t.test('an unknown time zone is in the result', async (t) => {
  const r = replanMeetings(seedMeetings(), v2, { now: decidedAt, timeZone: 'Not/AZone' });
  t.equal(r.ok, false);
  t.match(r, { error: { code: 'validation_failed', issues: [{ path: 'timeZone' }] } });
});
