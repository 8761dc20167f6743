import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import {
  adoptMeetingModelVersion,
  DEFAULT_SLOT_START_TIMES,
  DEFAULT_TIME_ZONE,
  isValidTimeZone,
  MEETING_DURATION,
  type MeetingModel,
  parseLocalDate,
  parseMeetingModel,
  scheduleMeetings,
  slotDayShift,
} from './meeting-model.js';
import { TIME_SLOTS, type TimeSlot } from './vocabulary.js';

const online = { kind: 'online', link: 'https://meet.example.com/net' };
const base = { cadenceMonths: 1, timeSlot: 'weekday_evening', venue: online, startDate: '2026-01-15' };

const model = (over: Partial<MeetingModel> = {}): MeetingModel => ({
  cadenceMonths: 1,
  durationMinutes: 180,
  timeSlot: 'weekday_evening',
  localStartTime: null,
  venue: { kind: 'online', link: 'https://meet.example.com/net' },
  startDate: '2026-01-15',
  ...over,
});

const schedule = (m: MeetingModel, opts: Parameters<typeof scheduleMeetings>[1]) => {
  const r = scheduleMeetings(m, opts);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

t.test('parseMeetingModel accepts each venue and fills defaults', async (t) => {
  const rows: [unknown, Partial<MeetingModel>][] = [
    [base, { durationMinutes: 180, localStartTime: null, venue: online as MeetingModel['venue'] }],
    [
      { ...base, venue: { kind: 'in_person', place: 'Aarhus, lokale 2' }, durationMinutes: 240 },
      { durationMinutes: 240, venue: { kind: 'in_person', place: 'Aarhus, lokale 2' } },
    ],
    [
      { ...base, venue: { kind: 'hybrid', place: 'Odense', link: 'https://teams.example.com/x?y=1' } },
      { venue: { kind: 'hybrid', place: 'Odense', link: 'https://teams.example.com/x?y=1' } },
    ],
    [{ ...base, localStartTime: '18:30' }, { localStartTime: '18:30' }],
    [{ ...base, localStartTime: null }, { localStartTime: null }],
  ];
  for (const [input, expected] of rows) {
    const r = parseMeetingModel(input);
    t.ok(r.ok, JSON.stringify(input));
    if (r.ok) t.match(r.value, expected);
  }
  t.equal(MEETING_DURATION.default, 180);
});

t.test('parseMeetingModel rejects', async (t) => {
  const rows: [string, unknown, string[]][] = [
    [
      'not an object',
      null,
      [':wrong_type', 'cadenceMonths:required', 'timeSlot:required', 'startDate:required', 'venue:required'],
    ],
    ['cadence 4', { ...base, cadenceMonths: 4 }, ['cadenceMonths:not_allowed']],
    ['too short', { ...base, durationMinutes: 30 }, ['durationMinutes:too_small']],
    ['too long', { ...base, durationMinutes: 600 }, ['durationMinutes:too_large']],
    ['unknown slot', { ...base, timeSlot: 'night' }, ['timeSlot:not_allowed']],
    ['bad time', { ...base, localStartTime: '25:00' }, ['localStartTime:invalid_format']],
    ['evening starting in the morning', { ...base, localStartTime: '09:00' }, ['localStartTime:too_small']],
    [
      'daytime starting at night',
      { ...base, timeSlot: 'weekday_daytime', localStartTime: '19:00' },
      ['localStartTime:too_large'],
    ],
    ['bad date shape', { ...base, startDate: '15-01-2026' }, ['startDate:invalid_format']],
    ['impossible date', { ...base, startDate: '2026-02-30' }, ['startDate:invalid_format']],
    ['unknown venue kind', { ...base, venue: { kind: 'phone' } }, ['venue.kind:not_allowed']],
    ['in person without place', { ...base, venue: { kind: 'in_person' } }, ['venue.place:required']],
    [
      'online with http link',
      { ...base, venue: { kind: 'online', link: 'http://x.example.com' } },
      ['venue.link:invalid_format'],
    ],
    [
      'online with a place',
      { ...base, venue: { kind: 'online', link: online.link, place: 'x' } },
      ['venue.place:unknown_property'],
    ],
    ['hybrid without link', { ...base, venue: { kind: 'hybrid', place: 'Odense' } }, ['venue.link:required']],
    [
      'hybrid without place',
      { ...base, venue: { kind: 'hybrid', link: online.link } },
      ['venue.place:required'],
    ],
    ['venue not an object', { ...base, venue: 'online' }, ['venue:wrong_type', 'venue.kind:required']],
    ['unknown field', { ...base, room: 'x' }, ['room:unknown_property']],
  ];
  for (const [name, input, expected] of rows) {
    const r = parseMeetingModel(input);
    t.same(r.ok ? [] : r.error.issues.map((i) => `${i.path}:${i.code}`), expected, name);
  }
});

t.test('parseLocalDate', async (t) => {
  t.same(parseLocalDate('2028-02-29'), { year: 2028, month: 2, day: 29 });
  t.equal(parseLocalDate('2027-02-29'), null);
  t.equal(parseLocalDate('2027-2-1'), null);
});

t.test('slotDayShift moves to the nearest day that fits the slot', async (t) => {
  // dow: 0 Sunday … 6 Saturday
  const rows: [TimeSlot, number, boolean, number][] = [
    ['weekday_evening', 1, false, 0],
    ['weekday_daytime', 5, false, 0],
    ['weekday_daytime', 6, false, -1],
    ['weekday_daytime', 6, true, 2],
    ['weekday_evening', 0, false, 1],
    ['weekday_evening', 0, true, 1],
    ['weekend', 6, false, 0],
    ['weekend', 0, false, -1],
    ['weekend', 1, false, -2],
    ['weekend', 2, false, -3],
    ['weekend', 3, false, 3],
    ['weekend', 4, false, 2],
    ['weekend', 5, false, 1],
    ['weekend', 0, true, 6],
    ['weekend', 1, true, 5],
  ];
  for (const [slot, dow, forwardOnly, shift] of rows)
    t.equal(slotDayShift(slot, dow, forwardOnly), shift, `${slot} dow=${dow} forwardOnly=${forwardOnly}`);
});

t.test('a 17:00 evening meeting stays 17:00 local across both DST changes', async (t) => {
  const meetings = schedule(model({ startDate: '2026-02-24' }), { count: 10 });
  const utc = meetings.map((m) => m.startsAt.toISOString());
  t.equal(utc[0], '2026-02-24T16:00:00.000Z', 'winter: CET = UTC+1');
  t.equal(utc[1], '2026-03-24T16:00:00.000Z', 'before the switch on 29 March');
  t.equal(utc[2], '2026-04-24T15:00:00.000Z', 'summer: CEST = UTC+2');
  t.equal(utc[8], '2026-10-23T15:00:00.000Z', 'before the switch on 25 October (24 Oct is a Saturday)');
  t.equal(utc[9], '2026-11-24T16:00:00.000Z', 'winter again');
  for (const m of meetings) {
    t.equal(m.localStartTime, '17:00');
    t.equal(m.endsAt.getTime() - m.startsAt.getTime(), 180 * 60_000);
    t.equal(m.timeZone, DEFAULT_TIME_ZONE);
  }
  t.same(
    meetings.map((m) => m.sequence),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
});

t.test('every scheduled meeting falls on a day and at a local time that fit its slot', async (t) => {
  const localParts = (d: Date, timeZone: string) => {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(d);
    const get = (type: string) => parts.find((p) => p.type === type)!.value;
    return { weekday: get('weekday'), time: `${get('hour')}:${get('minute')}` };
  };
  fc.assert(
    fc.property(
      fc.constantFrom(...TIME_SLOTS),
      fc.constantFrom(1 as const, 2 as const, 3 as const),
      fc.date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2035-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      fc.constantFrom('Europe/Copenhagen', 'America/New_York', 'Australia/Sydney', 'UTC'),
      (timeSlot, cadenceMonths, start, timeZone) => {
        const startDate = start.toISOString().slice(0, 10);
        const meetings = schedule(model({ timeSlot, cadenceMonths, startDate }), { count: 8, timeZone });
        return meetings.every((m, i) => {
          const { weekday, time } = localParts(m.startsAt, timeZone);
          const dayFits = timeSlot === 'weekend' ? weekday === 'Sat' : !['Sat', 'Sun'].includes(weekday);
          const later = i === 0 || m.startsAt.getTime() > meetings[i - 1]!.startsAt.getTime();
          return dayFits && time === DEFAULT_SLOT_START_TIMES[timeSlot] && m.localDate >= startDate && later;
        });
      },
    ),
  );
  t.pass('the property held');
});

t.test('moves: a weekend date for a weekday slot, a weekday for the weekend slot', async (t) => {
  // 2026-01-31 is a Saturday; the first meeting never moves before the start date.
  const evening = schedule(model({ startDate: '2026-01-31' }), { count: 3 });
  t.same(
    evening.map((m) => [m.nominalDate, m.localDate]),
    [
      ['2026-01-31', '2026-02-02'],
      ['2026-02-28', '2026-02-27'],
      ['2026-03-31', '2026-03-31'],
    ],
  );
  // 2026-03-02 is a Monday: first meeting forward to Saturday 7 March; 2 May is a Saturday.
  const weekend = schedule(
    model({
      timeSlot: 'weekend',
      cadenceMonths: 2,
      startDate: '2026-03-02',
      venue: { kind: 'in_person', place: 'x' },
    }),
    { count: 3 },
  );
  t.same(
    weekend.map((m) => [m.localDate, m.startsAt.toISOString()]),
    [
      ['2026-03-07', '2026-03-07T09:00:00.000Z'],
      ['2026-05-02', '2026-05-02T08:00:00.000Z'],
      ['2026-07-04', '2026-07-04T08:00:00.000Z'],
    ],
  );
  const daytime = schedule(
    model({ timeSlot: 'weekday_daytime', localStartTime: '13:00', startDate: '2026-06-10' }),
    {
      count: 1,
    },
  );
  t.equal(daytime[0]!.startsAt.toISOString(), '2026-06-10T11:00:00.000Z');
});

t.test('from: only meetings at or after it, with sequence numbers kept', async (t) => {
  const m = model({ startDate: '2026-01-15', cadenceMonths: 3 });
  const all = schedule(m, { count: 12 });
  const later = schedule(m, { count: 3, from: new Date('2027-01-15T16:00:00Z') });
  t.same(
    later.map((x) => x.sequence),
    [5, 6, 7],
  );
  t.same(later, all.slice(4, 7));
  const before = schedule(m, { count: 2, from: new Date('2020-01-01T00:00:00Z') });
  t.same(before, all.slice(0, 2));
  const justAfter = schedule(m, { count: 1, from: new Date('2027-01-15T16:00:00.001Z') });
  t.equal(justAfter[0]!.sequence, 6);
});

t.test('scheduleMeetings refuses bad options', async (t) => {
  const rows: [Parameters<typeof scheduleMeetings>[1], Partial<MeetingModel>, string[]][] = [
    [{ count: 0 }, {}, ['count:too_small']],
    [{ count: 1.5 }, {}, ['count:too_small']],
    [{ count: 121 }, {}, ['count:too_large']],
    [{ count: 1, timeZone: 'Mars/Olympus' }, {}, ['timeZone:invalid_format']],
    [{ count: 1, from: new Date(Number.NaN) }, {}, ['from:invalid_format']],
    [{ count: 1 }, { startDate: 'soon' }, ['startDate:invalid_format']],
  ];
  for (const [opts, over, expected] of rows) {
    const r = scheduleMeetings(model(over), opts);
    t.same(r.ok ? [] : r.error.issues.map((i) => `${i.path}:${i.code}`), expected, JSON.stringify(opts));
  }
  t.ok(isValidTimeZone('Europe/Copenhagen'));
  t.notOk(isValidTimeZone('Nowhere/Else'));
});

t.test('model versions are numbered from 1', async (t) => {
  const at = new Date('2026-01-01T00:00:00Z');
  const v1 = adoptMeetingModelVersion(null, model(), at);
  const v2 = adoptMeetingModelVersion(v1, model({ cadenceMonths: 2 }), at);
  t.same([v1.version, v2.version, v2.model.cadenceMonths], [1, 2, 2]);
});
