/**
 * Attendance per member per meeting (product rules) and the rates the seed reads as its off-track
 * sign: "Er der mange afbud, kan det være tegn på, at I er på vildspor" (many cancellations can be
 * a sign that you are off track). Pure: the meeting's start and the cancellation's time are data.
 */
import { FieldReader } from './parse.js';
import { err, ok, type Result } from './result.js';
import type { ValidationFailure } from './validation.js';

/**
 * A member's attendance at one meeting. `expected` is the starting point (the member is invited);
 * `confirmed` means they said yes; `cancelled` is an afbud, with the time it was given; after the
 * meeting a member is `attended` or `no_show` (neither came nor cancelled).
 */
export const ATTENDANCE_STATUSES = ['expected', 'confirmed', 'cancelled', 'attended', 'no_show'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** One member's attendance at one meeting. Only a cancellation carries a time. */
export type Attendance =
  | { readonly memberId: string; readonly status: 'expected' | 'confirmed' | 'attended' | 'no_show' }
  | { readonly memberId: string; readonly status: 'cancelled'; readonly cancelledAt: Date };

/** A meeting as the attendance rules see it: when it starts and who was expected. */
export interface MeetingAttendance {
  readonly meetingId: string;
  readonly startsAt: Date;
  readonly attendance: readonly Attendance[];
}

/**
 * Default cancellation notice: an afbud later than this before the start is LATE. Source:
 * product rules (the charter's cancellation-notice ground rule, default 48 hours); a network's own
 * charter may set another value, so every function takes the notice as a parameter.
 */
export const DEFAULT_CANCELLATION_NOTICE_HOURS = 48;

/**
 * Default window for attendance rates: the last 3 held meetings. Source: product rules ("over 25 %
 * of expected attendance in the last 3 meetings") and the seed's trial of "3-4 møder".
 */
export const DEFAULT_ATTENDANCE_WINDOW = 3;

const HOUR_MS = 3_600_000;

/**
 * True when a cancellation is late: given inside the notice before the meeting's start.
 * Formula: `startsAt − cancelledAt < noticeHours × 1 h`. Exactly on the notice is on time; an
 * afbud after the start is late too.
 */
export function isLateCancellation(
  cancelledAt: Date,
  meetingStartsAt: Date,
  noticeHours: number = DEFAULT_CANCELLATION_NOTICE_HOURS,
): boolean {
  return meetingStartsAt.getTime() - cancelledAt.getTime() < noticeHours * HOUR_MS;
}

/**
 * What a member's attendance becomes when the meeting is recorded as held with `recorded` for
 * them. Someone who came counts as `attended`, whatever they said before. An afbud stands against
 * `no_show`: a member who cancelled did not fail to turn up, they said they would not come, and the
 * cancellation (with its time, so whether it was late) is what the off-track sign counts.
 */
export function heldAttendance(
  previous: Attendance | undefined,
  recorded: 'attended' | 'no_show',
  memberId: string,
): Attendance {
  if (recorded === 'no_show' && previous?.status === 'cancelled') return previous;
  return { memberId, status: recorded };
}

/**
 * An afbud the facilitator or an admin records for a member (given by phone, in person), with the
 * time it was given, so late or on time is judged from that time, not from when it was typed in.
 * Refused (validation issues on `cancelledAt`): a time after `now` (an afbud not given yet), and
 * a member already recorded as attended (they came; that is not an afbud). An afbud after the
 * start is allowed and late. Late by {@link isLateCancellation} with the charter's notice.
 */
export function recordAfbud(
  previous: Attendance | undefined,
  memberId: string,
  cancelledAt: Date,
  meeting: { readonly startsAt: Date },
  now: Date,
  noticeHours: number = DEFAULT_CANCELLATION_NOTICE_HOURS,
): Result<{ readonly attendance: Attendance; readonly late: boolean }, ValidationFailure> {
  if (cancelledAt.getTime() > now.getTime())
    return err({
      code: 'validation_failed',
      issues: [
        {
          path: 'cancelledAt',
          code: 'too_large',
          message: {
            da: 'Et afbud kan ikke være givet senere end nu.',
            en: 'An afbud cannot have been given later than now.',
          },
        },
      ],
    });
  if (previous?.status === 'attended')
    return err({
      code: 'validation_failed',
      issues: [
        {
          path: 'cancelledAt',
          code: 'not_allowed',
          message: {
            da: 'Medlemmet er registreret som mødt; det er ikke et afbud.',
            en: 'The member is recorded as attended; that is not an afbud.',
          },
        },
      ],
    });
  return ok({
    attendance: { memberId, status: 'cancelled', cancelledAt },
    late: isLateCancellation(cancelledAt, meeting.startsAt, noticeHours),
  });
}

/** Reads an ISO 8601 timestamp (or a Date) from a field; records an issue when it is not one. */
export function readTimestamp(
  r: FieldReader,
  key: string,
  opts: { optional?: boolean } = {},
): Date | undefined {
  const value = r.raw(key);
  if (value === undefined || value === null) {
    if (!opts.optional) r.fail(key, 'required');
    return undefined;
  }
  const date =
    value instanceof Date ? new Date(value.getTime()) : typeof value === 'string' ? new Date(value) : null;
  if (date === null || Number.isNaN(date.getTime()) || (typeof value === 'string' && !value.includes('T'))) {
    r.fail(key, 'invalid_format', 'ISO 8601 date-time');
    return undefined;
  }
  return date;
}

/**
 * Validates one attendance record: a member id, a status, and for a cancellation its time (an
 * ISO 8601 date-time). Never throws; every issue is in the result.
 */
export function parseAttendance(input: unknown): Result<Attendance, ValidationFailure> {
  const r = new FieldReader(input);
  r.rejectUnknown(['memberId', 'status', 'cancelledAt']);
  const memberId = r.string('memberId', { max: 100 });
  const status = r.oneOf('status', ATTENDANCE_STATUSES);
  let cancelledAt: Date | undefined;
  if (status === 'cancelled') cancelledAt = readTimestamp(r, 'cancelledAt');
  else if (r.has('cancelledAt')) r.fail('cancelledAt', 'not_allowed', 'only for status cancelled');
  if (r.issues.length > 0) return err({ code: 'validation_failed', issues: r.issues });
  if (status === 'cancelled') return ok({ memberId: memberId!, status, cancelledAt: cancelledAt! });
  return ok({ memberId: memberId!, status: status as Exclude<AttendanceStatus, 'cancelled'> });
}

/** Counts and rates of attendance over a window of meetings. */
export interface AttendanceRates {
  /** Meetings in the window. */
  readonly meetings: number;
  /** Expected attendances: one per member per meeting, whatever the member's status. */
  readonly expected: number;
  readonly attended: number;
  readonly cancellations: number;
  /** Cancellations inside the notice (a subset of `cancellations`). */
  readonly lateCancellations: number;
  readonly noShows: number;
  /** `cancellations / expected` (0 when nothing was expected). */
  readonly cancellationRate: number;
  /** `lateCancellations / expected` (0 when nothing was expected). */
  readonly lateCancellationRate: number;
  /** `noShows / expected` (0 when nothing was expected). */
  readonly noShowRate: number;
}

/** Options for the rates: how many of the latest meetings, and the charter's notice. */
export interface AttendanceOptions {
  /** The last N meetings by start time (default {@link DEFAULT_ATTENDANCE_WINDOW}). */
  readonly window?: number;
  /** The charter's cancellation notice (default {@link DEFAULT_CANCELLATION_NOTICE_HOURS}). */
  readonly noticeHours?: number;
}

/** The last `window` meetings by start time, oldest first (stable for equal times). */
export function latestMeetings<M extends { readonly startsAt: Date }>(
  meetings: readonly M[],
  window: number,
): M[] {
  const sorted = [...meetings].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  return window <= 0 ? [] : sorted.slice(-Math.floor(window));
}

const rate = (count: number, expected: number): number => (expected === 0 ? 0 : count / expected);

function ratesOf(
  meetings: readonly MeetingAttendance[],
  include: (a: Attendance) => boolean,
  noticeHours: number,
): AttendanceRates {
  let expected = 0;
  let attended = 0;
  let cancellations = 0;
  let lateCancellations = 0;
  let noShows = 0;
  for (const meeting of meetings) {
    for (const a of meeting.attendance) {
      if (!include(a)) continue;
      expected++;
      if (a.status === 'attended') attended++;
      else if (a.status === 'no_show') noShows++;
      else if (a.status === 'cancelled') {
        cancellations++;
        if (isLateCancellation(a.cancelledAt, meeting.startsAt, noticeHours)) lateCancellations++;
      }
    }
  }
  return {
    meetings: meetings.length,
    expected,
    attended,
    cancellations,
    lateCancellations,
    noShows,
    cancellationRate: rate(cancellations, expected),
    lateCancellationRate: rate(lateCancellations, expected),
    noShowRate: rate(noShows, expected),
  };
}

/**
 * The network's attendance rates over its last N meetings. Pass held meetings: a cancelled or
 * planned meeting has no attendance to judge. Rates divide by expected attendances.
 */
export function networkAttendanceRates(
  meetings: readonly MeetingAttendance[],
  options: AttendanceOptions = {},
): AttendanceRates {
  const window = latestMeetings(meetings, options.window ?? DEFAULT_ATTENDANCE_WINDOW);
  return ratesOf(window, () => true, options.noticeHours ?? DEFAULT_CANCELLATION_NOTICE_HOURS);
}

/**
 * One member's attendance rates over the network's last N meetings (a member who joined later
 * simply has fewer expected attendances in the window).
 */
export function memberAttendanceRates(
  meetings: readonly MeetingAttendance[],
  memberId: string,
  options: AttendanceOptions = {},
): AttendanceRates {
  const window = latestMeetings(meetings, options.window ?? DEFAULT_ATTENDANCE_WINDOW);
  return ratesOf(
    window,
    (a) => a.memberId === memberId,
    options.noticeHours ?? DEFAULT_CANCELLATION_NOTICE_HOURS,
  );
}

/** Every member's rates over the window, keyed by member id, in sorted id order. */
export function attendanceRatesByMember(
  meetings: readonly MeetingAttendance[],
  options: AttendanceOptions = {},
): ReadonlyMap<string, AttendanceRates> {
  const window = latestMeetings(meetings, options.window ?? DEFAULT_ATTENDANCE_WINDOW);
  const ids = [...new Set(window.flatMap((m) => m.attendance.map((a) => a.memberId)))].sort();
  const byMember = new Map<string, AttendanceRates>();
  for (const id of ids) byMember.set(id, memberAttendanceRates(window, id, options));
  return byMember;
}
