import t from '@sparring/test-workers/tap';
import { attendanceRates } from '../test/helpers/health.js';
import {
  type Attendance,
  attendanceRatesByMember,
  DEFAULT_CANCELLATION_NOTICE_HOURS,
  heldAttendance,
  isLateCancellation,
  latestMeetings,
  type MeetingAttendance,
  memberAttendanceRates,
  networkAttendanceRates,
  parseAttendance,
  recordAfbud,
} from './attendance.js';

const start = new Date('2026-03-10T16:00:00Z');
const hoursBefore = (h: number, at = start) => new Date(at.getTime() - h * 3_600_000);

t.test('a cancellation is late only inside the notice before the start', async (t) => {
  const cases: [string, number, number, boolean][] = [
    ['a week before', 168, 48, false],
    ['exactly on the 48 h notice', 48, 48, false],
    ['one minute inside the notice', 48 - 1 / 60, 48, true],
    ['the morning of the meeting', 6, 48, true],
    ['after the start', -1, 48, true],
    ['30 h before with a 24 h charter notice', 30, 24, false],
    ['30 h before with a 72 h charter notice', 30, 72, true],
  ];
  for (const [name, before, notice, late] of cases)
    t.equal(isLateCancellation(hoursBefore(before), start, notice), late, name);
  t.equal(DEFAULT_CANCELLATION_NOTICE_HOURS, 48);
  t.equal(isLateCancellation(hoursBefore(47), start), true, 'default notice is 48 h');
  t.equal(isLateCancellation(hoursBefore(49), start), false, 'default notice is 48 h');
});

t.test('parseAttendance validates and types a record', async (t) => {
  t.same(parseAttendance({ memberId: ' m1 ', status: 'attended' }), {
    ok: true,
    value: { memberId: 'm1', status: 'attended' },
  });
  const cancelled = parseAttendance({
    memberId: 'm1',
    status: 'cancelled',
    cancelledAt: '2026-03-09T10:00:00Z',
  });
  t.ok(cancelled.ok);
  if (cancelled.ok && cancelled.value.status === 'cancelled')
    t.equal(cancelled.value.cancelledAt.toISOString(), '2026-03-09T10:00:00.000Z');
  const asDate = parseAttendance({ memberId: 'm1', status: 'cancelled', cancelledAt: start });
  t.ok(asDate.ok, 'a Date is accepted');
  const bad: [string, unknown, string, string][] = [
    ['not an object', 'x', '', 'wrong_type'],
    ['unknown status', { memberId: 'm', status: 'maybe' }, 'status', 'not_allowed'],
    ['missing member', { status: 'attended' }, 'memberId', 'required'],
    ['cancelled without time', { memberId: 'm', status: 'cancelled' }, 'cancelledAt', 'required'],
    [
      'time not a date',
      { memberId: 'm', status: 'cancelled', cancelledAt: 'soon' },
      'cancelledAt',
      'invalid_format',
    ],
    [
      'date without time',
      { memberId: 'm', status: 'cancelled', cancelledAt: '2026-03-09' },
      'cancelledAt',
      'invalid_format',
    ],
    [
      'time not a string',
      { memberId: 'm', status: 'cancelled', cancelledAt: 5 },
      'cancelledAt',
      'invalid_format',
    ],
    [
      'time on a non-cancellation',
      { memberId: 'm', status: 'attended', cancelledAt: '2026-03-09T10:00:00Z' },
      'cancelledAt',
      'not_allowed',
    ],
    ['unknown field', { memberId: 'm', status: 'attended', note: 'x' }, 'note', 'unknown_property'],
  ];
  for (const [name, input, path, code] of bad) {
    const r = parseAttendance(input);
    t.notOk(r.ok, name);
    if (!r.ok)
      t.ok(
        r.error.issues.some((i) => i.path === path && i.code === code),
        `${name}: ${path} ${code}`,
      );
  }
});

const meeting = (id: string, at: string, attendance: Attendance[]): MeetingAttendance => ({
  meetingId: id,
  startsAt: new Date(at),
  attendance,
});
const cancel = (memberId: string, at: string): Attendance => ({
  memberId,
  status: 'cancelled',
  cancelledAt: new Date(at),
});

const meetings: MeetingAttendance[] = [
  // given out of order on purpose
  meeting('m3', '2026-03-10T16:00:00Z', [
    { memberId: 'a', status: 'attended' },
    cancel('b', '2026-03-10T08:00:00Z'), // late
    { memberId: 'c', status: 'no_show' },
    { memberId: 'd', status: 'confirmed' },
  ]),
  meeting('m1', '2026-01-10T16:00:00Z', [
    { memberId: 'a', status: 'attended' },
    { memberId: 'b', status: 'attended' },
    cancel('c', '2026-01-01T08:00:00Z'), // early
    { memberId: 'd', status: 'attended' },
  ]),
  meeting('m2', '2026-02-10T16:00:00Z', [
    { memberId: 'a', status: 'attended' },
    cancel('b', '2026-02-01T08:00:00Z'), // early
    { memberId: 'c', status: 'attended' },
    { memberId: 'd', status: 'expected' },
  ]),
];

t.test('network rates over the last N meetings divide by expected attendances', async (t) => {
  const all = networkAttendanceRates(meetings);
  t.match(all, {
    meetings: 3,
    expected: 12,
    attended: 6,
    cancellations: 3,
    lateCancellations: 1,
    noShows: 1,
    cancellationRate: 3 / 12,
    lateCancellationRate: 1 / 12,
    noShowRate: 1 / 12,
  });
  const last2 = networkAttendanceRates(meetings, { window: 2 });
  t.match(last2, { meetings: 2, expected: 8, cancellations: 2, lateCancellations: 1, noShows: 1 });
  const strict = networkAttendanceRates(meetings, { noticeHours: 24 * 10 });
  t.equal(strict.lateCancellations, 3, 'a 10-day notice makes every afbud late');
  t.same(networkAttendanceRates([]), attendanceRates(), 'no meetings: every count and rate is 0');
});

t.test('member rates and rates by member', async (t) => {
  t.match(memberAttendanceRates(meetings, 'b'), {
    expected: 3,
    cancellations: 2,
    lateCancellations: 1,
    cancellationRate: 2 / 3,
  });
  t.match(memberAttendanceRates(meetings, 'b', { window: 1 }), { expected: 1, cancellations: 1 });
  t.match(memberAttendanceRates(meetings, 'nobody'), { expected: 0, cancellationRate: 0 });
  const byMember = attendanceRatesByMember(meetings);
  t.same([...byMember.keys()], ['a', 'b', 'c', 'd']);
  t.match(byMember.get('c'), { cancellations: 1, noShows: 1, noShowRate: 1 / 3 });
  t.same([...attendanceRatesByMember(meetings, { window: 0 }).keys()], []);
});

t.test('latestMeetings keeps the last N by start time, oldest first', async (t) => {
  t.same(
    latestMeetings(meetings, 2).map((m) => m.meetingId),
    ['m2', 'm3'],
  );
  t.same(latestMeetings(meetings, 0), []);
  t.same(latestMeetings(meetings, 2.7).length, 2);
  t.same(latestMeetings(meetings, 10).length, 3);
});

t.test('recording a held meeting: attended wins, an afbud stands against no_show', async (t) => {
  const cancelled = {
    memberId: 'a',
    status: 'cancelled' as const,
    cancelledAt: new Date('2026-03-01T08:00:00Z'),
  };
  t.same(heldAttendance(cancelled, 'no_show', 'a'), cancelled, 'the afbud and its time are kept');
  t.same(heldAttendance(cancelled, 'attended', 'a'), { memberId: 'a', status: 'attended' }, 'came after all');
  t.same(heldAttendance({ memberId: 'b', status: 'confirmed' }, 'no_show', 'b'), {
    memberId: 'b',
    status: 'no_show',
  });
  t.same(heldAttendance(undefined, 'attended', 'c'), { memberId: 'c', status: 'attended' });
});

t.test('recordAfbud: an afbud recorded for a member with the time it was given', async (t) => {
  const startsAt = new Date('2026-03-03T16:00:00Z');
  const now = new Date('2026-03-10T09:00:00Z');
  const hoursBefore = (h: number) => new Date(startsAt.getTime() - h * 3_600_000);
  const onTime = recordAfbud(undefined, 'm1', hoursBefore(72), { startsAt }, now);
  t.same(onTime, {
    ok: true,
    value: { attendance: { memberId: 'm1', status: 'cancelled', cancelledAt: hoursBefore(72) }, late: false },
  });
  t.match(recordAfbud({ memberId: 'm1', status: 'confirmed' }, 'm1', hoursBefore(20), { startsAt }, now), {
    ok: true,
    value: { late: true },
  });
  t.match(
    recordAfbud({ memberId: 'm1', status: 'no_show' }, 'm1', hoursBefore(30), { startsAt }, now, 24),
    { ok: true, value: { late: false } },
    "the charter's notice decides (24 h)",
  );
  t.match(recordAfbud(undefined, 'm1', hoursBefore(-1), { startsAt }, now), {
    ok: true,
    value: { late: true },
  });
  const future = recordAfbud(undefined, 'm1', new Date(now.getTime() + 1), { startsAt }, now);
  t.match(future, { ok: false, error: { issues: [{ path: 'cancelledAt', code: 'too_large' }] } });
  const came = recordAfbud({ memberId: 'm1', status: 'attended' }, 'm1', hoursBefore(72), { startsAt }, now);
  t.match(came, { ok: false, error: { issues: [{ path: 'cancelledAt', code: 'not_allowed' }] } });
});
