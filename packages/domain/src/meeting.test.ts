import t from '@sparring/test-workers/tap';
import {
  afbudReassignsRoles,
  attendanceResponse,
  MEETING_STATUS_LABELS,
  MEETING_STATUSES,
  type MeetingState,
  meetingTransition,
  networkAcceptsChanges,
  roleHistory,
} from './meeting.js';
import { parseVenue } from './meeting-model.js';
import type { RoleAssignment } from './roles.js';

const HOUR = 3_600_000;
const startsAt = new Date('2027-03-10T16:00:00Z');
const planned: MeetingState = {
  status: 'planned',
  startsAt,
  endsAt: new Date(startsAt.getTime() + 3 * HOUR),
  venue: { kind: 'in_person', place: 'Rådhuset, Aarhus' },
  heldAt: null,
  cancelledAt: null,
};
const before = new Date(startsAt.getTime() - 72 * HOUR);
const after = new Date(startsAt.getTime() + HOUR);

t.test('statuses and labels', async (t) => {
  t.same(MEETING_STATUSES, ['planned', 'held', 'cancelled']);
  for (const s of MEETING_STATUSES) t.ok(MEETING_STATUS_LABELS[s].da && MEETING_STATUS_LABELS[s].en);
});

t.test('only a planned meeting moves, is cancelled, answered or held', async (t) => {
  for (const status of ['held', 'cancelled'] as const) {
    const state = { ...planned, status };
    for (const event of [
      { type: 'move' as const, venue: { kind: 'online', link: 'https://x.example' } },
      { type: 'cancel' as const },
      { type: 'respond' as const },
      { type: 'hold' as const, attendance: [], members: [] },
    ]) {
      const r = meetingTransition(state, event, after);
      t.notOk(r.ok);
      if (!r.ok && r.error.code === 'meeting_not_planned') {
        t.equal(r.error.meetingStatus, status);
        t.equal(r.error.message.en, `The meeting is ${status}`);
        t.match(r.error.message.da, MEETING_STATUS_LABELS[status].da);
      } else t.fail('expected meeting_not_planned');
    }
  }
});

t.test('an afbud is recorded for a planned or held meeting, not a cancelled one', async (t) => {
  t.ok(meetingTransition(planned, { type: 'record_afbud' }, after).ok);
  t.ok(meetingTransition({ ...planned, status: 'held' }, { type: 'record_afbud' }, after).ok);
  const r = meetingTransition({ ...planned, status: 'cancelled' }, { type: 'record_afbud' }, after);
  t.equal(!r.ok && r.error.code, 'meeting_not_planned');
});

t.test('respond leaves a planned meeting as it is', async (t) => {
  t.same(meetingTransition(planned, { type: 'respond' }, after), { ok: true, value: planned });
});

t.test('cancel: cancelled now', async (t) => {
  const r = meetingTransition(planned, { type: 'cancel' }, before);
  t.same(r, { ok: true, value: { ...planned, status: 'cancelled', cancelledAt: before } });
});

t.test('move', async (t) => {
  t.test('the length is kept when only the start moves', async (t) => {
    const r = meetingTransition(planned, { type: 'move', startsAt: '2027-03-11T08:00:00Z' }, before);
    t.ok(r.ok);
    if (r.ok) {
      t.same(r.value.startsAt, new Date('2027-03-11T08:00:00Z'));
      t.same(r.value.endsAt, new Date('2027-03-11T11:00:00Z'));
      t.same(r.value.venue, planned.venue);
    }
  });
  t.test('a new end and venue', async (t) => {
    const venue = { kind: 'online', link: 'https://meet.example.com/n' };
    const r = meetingTransition(planned, { type: 'move', endsAt: '2027-03-10T20:00:00Z', venue }, before);
    t.ok(r.ok);
    if (r.ok) {
      t.same(r.value.startsAt, startsAt);
      t.same(r.value.endsAt, new Date('2027-03-10T20:00:00Z'));
      t.same(r.value.venue, venue);
    }
  });
  t.test('date-times must be ISO 8601 with a time', async (t) => {
    const r = meetingTransition(planned, { type: 'move', startsAt: '2027-03-11', endsAt: 'soon' }, before);
    t.equal(!r.ok && r.error.code, 'validation_failed');
    if (!r.ok && r.error.code === 'validation_failed')
      t.same(
        r.error.issues.map((i) => [i.path, i.code]),
        [
          ['startsAt', 'invalid_format'],
          ['endsAt', 'invalid_format'],
        ],
      );
  });
  t.test('too short, too long, bad venue: every issue', async (t) => {
    const short = meetingTransition(
      planned,
      { type: 'move', endsAt: '2027-03-10T16:30:00Z', venue: { kind: 'online', link: 'http://x' } },
      before,
    );
    t.ok(!short.ok && short.error.code === 'validation_failed');
    if (!short.ok && short.error.code === 'validation_failed') {
      t.same(short.error.issues[0], {
        path: 'endsAt',
        code: 'too_small',
        message: { da: 'Et møde varer mindst 60 minutter.', en: 'A meeting lasts at least 60 minutes.' },
      });
      t.ok(short.error.issues.slice(1).every((i) => i.path.startsWith('venue')));
      t.ok(short.error.issues.length > 1);
    }
    const long = meetingTransition(planned, { type: 'move', endsAt: '2027-03-11T01:00:00Z' }, before);
    t.same(!long.ok && long.error.code === 'validation_failed' && long.error.issues.map((i) => i.code), [
      'too_large',
    ]);
  });
});

t.test('hold', async (t) => {
  const members = ['a', 'b', 'c'];
  t.test('the attendance list: each member once, only members', async (t) => {
    const r = meetingTransition(
      planned,
      {
        type: 'hold',
        attendance: [
          { leaderId: 'a', status: 'attended' },
          { leaderId: 'a', status: 'no_show' },
          { leaderId: 'x', status: 'attended' },
        ],
        members,
      },
      after,
    );
    t.ok(!r.ok && r.error.code === 'validation_failed');
    if (!r.ok && r.error.code === 'validation_failed')
      t.same(
        r.error.issues.map((i) => [i.path, i.code]),
        [
          ['attendance[1].leaderId', 'duplicate'],
          ['attendance[2].leaderId', 'invalid_reference'],
        ],
      );
  });
  t.test('the list is checked before the status', async (t) => {
    const r = meetingTransition(
      { ...planned, status: 'held' },
      { type: 'hold', attendance: [{ leaderId: 'x', status: 'attended' }], members },
      after,
    );
    t.equal(!r.ok && r.error.code, 'validation_failed');
  });
  t.test('not before it starts', async (t) => {
    const r = meetingTransition(planned, { type: 'hold', attendance: [], members }, before);
    t.ok(!r.ok && r.error.code === 'meeting_not_started');
    if (!r.ok && r.error.code === 'meeting_not_started') {
      t.same(r.error.startsAt, startsAt);
      t.equal(r.error.message.en, `The meeting starts at ${startsAt.toISOString()}`);
    }
  });
  t.test('held at now, from its start on', async (t) => {
    const r = meetingTransition(
      planned,
      { type: 'hold', attendance: [{ leaderId: 'b', status: 'attended' }], members },
      startsAt,
    );
    t.same(r, { ok: true, value: { ...planned, status: 'held', heldAt: startsAt } });
  });
});

t.test('attendanceResponse: a repeated afbud keeps its first time', async (t) => {
  const now = new Date(startsAt.getTime() - 24 * HOUR);
  t.same(attendanceResponse(undefined, 'confirmed', startsAt, now), {
    status: 'confirmed',
    cancelledAt: null,
    late: false,
    newAfbud: false,
  });
  t.same(attendanceResponse({ status: 'confirmed', cancelledAt: null }, 'cancelled', startsAt, now), {
    status: 'cancelled',
    cancelledAt: now,
    late: true,
    newAfbud: true,
  });
  t.same(attendanceResponse(undefined, 'cancelled', startsAt, now, 12), {
    status: 'cancelled',
    cancelledAt: now,
    late: false,
    newAfbud: true,
  });
  t.same(attendanceResponse({ status: 'cancelled', cancelledAt: before }, 'cancelled', startsAt, now), {
    status: 'cancelled',
    cancelledAt: before,
    late: false,
    newAfbud: false,
  });
  // A cancelled row without a time (never written so, but read defensively) takes now.
  t.same(
    attendanceResponse({ status: 'cancelled', cancelledAt: null }, 'cancelled', startsAt, now).cancelledAt,
    now,
  );
  t.same(attendanceResponse({ status: 'cancelled', cancelledAt: before }, 'confirmed', startsAt, now), {
    status: 'confirmed',
    cancelledAt: null,
    late: false,
    newAfbud: false,
  });
});

const role = (memberId: string | null, role: RoleAssignment['role'] = 'host'): RoleAssignment => ({
  role,
  holder: memberId === null ? null : { kind: 'member', memberId },
  basis: 'rotation',
  turnsBefore: 0,
  lastTurn: null,
  explanation: { da: '', en: '' },
});

t.test('roleHistory: the roles of cancelled meetings were never taken', async (t) => {
  const history = roleHistory([
    { status: 'held', sequence: 1, roles: [role('a')] },
    { status: 'cancelled', sequence: 2, roles: [role('b')] },
    { status: 'planned', sequence: 3, roles: [role('c'), role(null, 'coordinator')] },
  ]);
  t.same(history, [
    { meetingSequence: 1, role: 'host', memberId: 'a' },
    { meetingSequence: 3, role: 'host', memberId: 'c' },
  ]);
});

t.test('afbudReassignsRoles', async (t) => {
  const m = { status: 'planned' as const, roles: [role('a')], rolesOverriddenAt: null };
  t.ok(afbudReassignsRoles(m, 'a'));
  t.notOk(afbudReassignsRoles(m, 'b'), 'holds no role');
  t.notOk(afbudReassignsRoles({ ...m, status: 'held' }, 'a'), 'not planned');
  t.notOk(afbudReassignsRoles({ ...m, rolesOverriddenAt: before }, 'a'), 'set by hand');
  t.notOk(
    afbudReassignsRoles(
      { ...m, roles: [{ ...role(null), holder: { kind: 'external', name: 'Coach' } }] },
      'a',
    ),
    'an external holder',
  );
});

t.test('networkAcceptsChanges: not a dissolved network', async (t) => {
  t.same(networkAcceptsChanges('active'), { ok: true, value: 'active' });
  const r = networkAcceptsChanges('dissolved');
  t.same(r, {
    ok: false,
    error: {
      code: 'network_dissolved',
      message: { da: 'Netværket er opløst.', en: 'The network is dissolved.' },
    },
  });
});

t.test('parseVenue: the model venue rules on their own', async (t) => {
  t.same(parseVenue({ kind: 'hybrid', place: 'Aarhus', link: 'https://m.example' }), {
    ok: true,
    value: { kind: 'hybrid', place: 'Aarhus', link: 'https://m.example' },
  });
  const r = parseVenue({ kind: 'online' });
  t.ok(!r.ok && r.error.issues.every((i) => i.path.startsWith('venue')));
});
