/**
 * The meeting model: how often, how long, when and where a network meets. The seed: "Hvor tit vil
 * I mødes, hvor længe og hvor? Hver, hver anden eller hver tredje måned? I dagtimerne, om aftenen
 * eller i weekender? Er der lokaler … eller skal det være online?" — and "vælg én model og prøv den
 * af i 3-4 møder". `scheduleMeetings` turns a model into concrete instants in a time zone.
 */
import { TZDate } from '@date-fns/tz';
// Each function from its own module: the package's index loads all of date-fns (300 modules).
import { addMinutes } from 'date-fns/addMinutes';
import { addMonths } from 'date-fns/addMonths';
import { differenceInCalendarMonths } from 'date-fns/differenceInCalendarMonths';
import { FieldReader, issue } from './parse.js';
import { err, ok, type Result } from './result.js';
import type { ValidationFailure, ValidationIssue } from './validation.js';
import { CADENCES_IN_MONTHS, type CadenceInMonths, TIME_SLOTS, type TimeSlot } from './vocabulary.js';

/** Where a network meets: a place, a link, or both (the seed's "lokaler" or "online"). */
export type Venue =
  | { readonly kind: 'in_person'; readonly place: string }
  | { readonly kind: 'online'; readonly link: string }
  | { readonly kind: 'hybrid'; readonly place: string; readonly link: string };

/** A valid meeting model. */
export interface MeetingModel {
  readonly cadenceMonths: CadenceInMonths;
  readonly durationMinutes: number;
  readonly timeSlot: TimeSlot;
  /** Local start time "HH:MM"; null means the slot's default (DEFAULT_SLOT_START_TIMES). */
  readonly localStartTime: string | null;
  readonly venue: Venue;
  /** The local calendar date ("YYYY-MM-DD") of the first meeting; no meeting is scheduled before it. */
  readonly startDate: string;
}

/**
 * Meeting length bounds and default, in minutes. 60 is the shortest meeting that leaves room for a
 * check-in and one dilemma round; 480 is a full working day (Vistage's monthly meeting is a day).
 * Default 180: between Chief core groups' ~2 hours and EO forums' ~4-hour monthly meetings.
 */
export const MEETING_DURATION = { min: 60, max: 480, default: 180 } as const;

/**
 * Default local start time per slot. Ours, chosen so a default 3-hour meeting fits the slot:
 * weekday daytime 09:00 (start of the working day, over by lunch), weekday evening 17:00 (right
 * after work, over by 20:00), weekend 10:00 on Saturday (late enough to travel, over by 13:00).
 */
export const DEFAULT_SLOT_START_TIMES: Readonly<Record<TimeSlot, string>> = {
  weekday_daytime: '09:00',
  weekday_evening: '17:00',
  weekend: '10:00',
};

/**
 * The start times a slot allows, inclusive, "HH:MM". Daytime starts in working hours; evening
 * starts after them; a weekend meeting starts in the day. Keeping every start between 07:00 and
 * 20:00 also keeps it clear of the night-time DST switch.
 */
export const SLOT_START_WINDOWS: Readonly<Record<TimeSlot, readonly [string, string]>> = {
  weekday_daytime: ['07:00', '15:00'],
  weekday_evening: ['16:00', '20:00'],
  weekend: ['08:00', '18:00'],
};

/** The default time zone: the seed's networks are Danish. */
export const DEFAULT_TIME_ZONE = 'Europe/Copenhagen';

/** The most meetings one call may schedule: 10 years of monthly meetings. */
export const MAX_SCHEDULED_MEETINGS = 120;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** A meeting link must be an https URL (every mainstream meeting tool issues one). */
const LINK_PATTERN = /^https:\/\/[^\s/?#]+\.[^\s]+$/;

/** The calendar date "YYYY-MM-DD" as numbers, or null when it is not a real date. */
export function parseLocalDate(value: string): { year: number; month: number; day: number } | null {
  const m = DATE_PATTERN.exec(value);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? { year, month, day } : null;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Validates a meeting model: `cadenceMonths` (1, 2 or 3), `durationMinutes` (integer 60–480,
 * default 180), `timeSlot`, optional `localStartTime` ("HH:MM" inside the slot's window), `venue`
 * (`{ kind: 'in_person', place }`, `{ kind: 'online', link }` or `{ kind: 'hybrid', place, link }`,
 * link an https URL), `startDate` ("YYYY-MM-DD"). Returns every issue; never throws.
 */
export function parseMeetingModel(input: unknown): Result<MeetingModel, ValidationFailure> {
  const r = new FieldReader(input);
  r.rejectUnknown(['cadenceMonths', 'durationMinutes', 'timeSlot', 'localStartTime', 'venue', 'startDate']);
  const cadenceMonths = r.oneOf('cadenceMonths', CADENCES_IN_MONTHS);
  const durationMinutes =
    r.number('durationMinutes', {
      min: MEETING_DURATION.min,
      max: MEETING_DURATION.max,
      integer: true,
      optional: true,
    }) ?? MEETING_DURATION.default;
  const timeSlot = r.oneOf('timeSlot', TIME_SLOTS);
  const localStartTime =
    r.string('localStartTime', { optional: true, pattern: [TIME_PATTERN, 'HH:MM (24-hour)'] }) || null;
  if (localStartTime !== null && timeSlot !== undefined) {
    const [first, last] = SLOT_START_WINDOWS[timeSlot];
    if (minutesOf(localStartTime) < minutesOf(first)) r.fail('localStartTime', 'too_small', first);
    else if (minutesOf(localStartTime) > minutesOf(last)) r.fail('localStartTime', 'too_large', last);
  }
  const startDate = r.string('startDate', { pattern: [DATE_PATTERN, 'YYYY-MM-DD'] });
  if (startDate !== undefined && parseLocalDate(startDate) === null)
    r.fail('startDate', 'invalid_format', 'a real calendar date');
  const venue = readVenue(r);
  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  return ok({
    cadenceMonths: cadenceMonths!,
    durationMinutes,
    timeSlot: timeSlot!,
    localStartTime,
    venue: venue!,
    startDate: startDate!,
  });
}

/**
 * Validates a venue on its own (a meeting moved to another place), by the same rules as a model's
 * `venue`; issue paths start with `venue`, as inside a model.
 */
export function parseVenue(input: unknown): Result<Venue, ValidationFailure> {
  const r = new FieldReader({ venue: input });
  const venue = readVenue(r);
  return r.issues.length > 0 ? err({ code: 'validation_failed', issues: r.issues }) : ok(venue!);
}

function readVenue(r: FieldReader): Venue | undefined {
  if (!r.has('venue')) return void r.fail('venue', 'required');
  const v = new FieldReader(r.raw('venue'), r.childPath('venue'), r.issues);
  const kind = v.oneOf('kind', ['in_person', 'online', 'hybrid'] as const);
  const linkOpts = { max: 2000, pattern: [LINK_PATTERN, 'https URL'] as [RegExp, string] };
  switch (kind) {
    case undefined:
      return undefined;
    case 'in_person': {
      v.rejectUnknown(['kind', 'place']);
      const place = v.string('place', { max: 500 });
      return place === undefined ? undefined : { kind, place };
    }
    case 'online': {
      v.rejectUnknown(['kind', 'link']);
      const link = v.string('link', linkOpts);
      return link === undefined ? undefined : { kind, link };
    }
    case 'hybrid': {
      v.rejectUnknown(['kind', 'place', 'link']);
      const place = v.string('place', { max: 500 });
      const link = v.string('link', linkOpts);
      return place === undefined || link === undefined ? undefined : { kind, place, link };
    }
  }
}

/** One meeting of a schedule. Instants are plain `Date`s (UTC); local fields are in `timeZone`. */
export interface ScheduledMeeting {
  /** 1 for the meeting on or after the start date, 2 for the next, … (stable whatever `from` is). */
  readonly sequence: number;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly timeZone: string;
  /** The local date and start time the meeting was placed on. */
  readonly localDate: string;
  readonly localStartTime: string;
  /** The date the cadence gave before moving to a day that fits the slot (equal to `localDate` if not moved). */
  readonly nominalDate: string;
}

/** Options of `scheduleMeetings`. */
export interface ScheduleOptions {
  /** How many meetings to return (1–120). */
  readonly count: number;
  /** Only meetings starting at or after this instant are returned; default: from the start date. */
  readonly from?: Date;
  /** An IANA time zone; default Europe/Copenhagen. */
  readonly timeZone?: string;
}

/** True when `timeZone` is a time zone the runtime knows (IANA name or UTC offset). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const SATURDAY = 6;
const SUNDAY = 0;

/**
 * The number of days to move a nominal date (weekday `dow`, 0 = Sunday) so it fits the slot.
 * Weekday slots: Saturday → Friday (−1), Sunday → Monday (+1). Weekend: the nearest Saturday
 * (Sunday −1, Monday −2, Tuesday −3, Wednesday +3, Thursday +2, Friday +1; there is no tie since
 * back + forward = 7). `forwardOnly` (used when moving back would fall before the start date)
 * takes the next valid day instead.
 */
export function slotDayShift(timeSlot: TimeSlot, dow: number, forwardOnly: boolean): number {
  if (timeSlot === 'weekend') {
    const back = (dow - SATURDAY + 7) % 7;
    const forward = (SATURDAY - dow + 7) % 7;
    return back <= forward && !forwardOnly ? -back : forward;
  }
  if (dow === SATURDAY) return forwardOnly ? 2 : -1;
  if (dow === SUNDAY) return 1;
  return 0;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const localDateOf = (d: Date): string =>
  `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * The next `count` meetings of a model, as UTC instants, in `timeZone` (default Europe/Copenhagen).
 *
 * Formula, for meeting k = 1, 2, …: nominal date = start date + (k − 1) × cadence months (from the
 * start date each time, so a 31st falls back to the month's last day without drifting); then moved
 * to the nearest day that fits the slot (`slotDayShift`), never before the start date; start = that
 * local date at the model's local start time (or the slot default) in the time zone, so a 17:00
 * evening meeting stays 17:00 local across a DST change; end = start + duration. Public holidays
 * are not known to the domain. Never throws; a bad count or time zone is in the result.
 */
export function scheduleMeetings(
  model: MeetingModel,
  options: ScheduleOptions,
): Result<ScheduledMeeting[], ValidationFailure> {
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  const issues: ValidationIssue[] = [];
  if (!Number.isInteger(options.count) || options.count < 1)
    issues.push(issue('count', 'too_small', '1 (an integer)'));
  else if (options.count > MAX_SCHEDULED_MEETINGS)
    issues.push(issue('count', 'too_large', `${MAX_SCHEDULED_MEETINGS}`));
  if (!isValidTimeZone(timeZone)) issues.push(issue('timeZone', 'invalid_format', 'IANA time zone'));
  if (options.from !== undefined && Number.isNaN(options.from.getTime()))
    issues.push(issue('from', 'invalid_format', 'a valid date'));
  const start = parseLocalDate(model.startDate);
  if (start === null) issues.push(issue('startDate', 'invalid_format', 'YYYY-MM-DD'));
  if (issues.length > 0 || start === null) return err({ code: 'validation_failed', issues });

  const startTime = model.localStartTime ?? DEFAULT_SLOT_START_TIMES[model.timeSlot];
  const [hours, minutes] = [Number(startTime.slice(0, 2)), Number(startTime.slice(3, 5))];
  // Noon on the start date: date arithmetic at noon never meets a DST switch.
  const anchor = new TZDate(start.year, start.month - 1, start.day, 12, 0, timeZone);
  // Skip ahead to shortly before `from` instead of walking every earlier meeting.
  let index = 0;
  if (options.from !== undefined) {
    const months = differenceInCalendarMonths(new TZDate(options.from, timeZone), anchor);
    index = Math.max(0, Math.floor(months / model.cadenceMonths) - 1);
  }
  const meetings: ScheduledMeeting[] = [];
  for (; meetings.length < options.count; index++) {
    const nominal = addMonths(anchor, index * model.cadenceMonths);
    const shift = slotDayShift(model.timeSlot, nominal.getDay(), index === 0);
    const day = new TZDate(
      nominal.getFullYear(),
      nominal.getMonth(),
      nominal.getDate() + shift,
      12,
      0,
      timeZone,
    );
    const startsAt = new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), hours, minutes, timeZone);
    if (options.from !== undefined && startsAt.getTime() < options.from.getTime()) continue;
    meetings.push({
      sequence: index + 1,
      startsAt: new Date(startsAt.getTime()),
      endsAt: new Date(addMinutes(startsAt, model.durationMinutes).getTime()),
      timeZone,
      localDate: localDateOf(day),
      localStartTime: startTime,
      nominalDate: localDateOf(nominal),
    });
  }
  return ok(meetings);
}

/** One version of a network's meeting model (product rules: "a network's model has versions"). */
export interface MeetingModelVersion {
  readonly version: number;
  readonly model: MeetingModel;
  readonly adoptedAt: Date;
}

/** The next version of a meeting model: number = latest + 1 (1 for the first). */
export function adoptMeetingModelVersion(
  latest: MeetingModelVersion | null,
  model: MeetingModel,
  now: Date,
): MeetingModelVersion {
  return { version: (latest?.version ?? 0) + 1, model, adoptedAt: now };
}
