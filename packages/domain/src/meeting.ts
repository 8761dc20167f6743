/**
 * One meeting's life (docs/domain.md, "Meetings"): a meeting is planned, then held or cancelled,
 * never back. `meetingTransition` is the one place that decides whether a meeting may be moved,
 * cancelled, answered or marked held; a refusal is a value with a code and a {da, en} message.
 * Beside it: how a member's answer is stored (a repeated afbud keeps its first time), which
 * role turns count as taken, when an afbud re-rotates the roles, and the dissolved-network guard.
 */
import { DEFAULT_CANCELLATION_NOTICE_HOURS, isLateCancellation } from './attendance.js';
import { LIFECYCLE_REFUSAL_MESSAGES, type LifecycleRefusal, type LifecycleStatus } from './lifecycle.js';
import { MEETING_DURATION, parseVenue, type Venue } from './meeting-model.js';
import { err, ok, type Result } from './result.js';
import { type RoleAssignment, type RoleTurn, turnsOf } from './roles.js';
import { type LocalizedText, text } from './text.js';
import type { ValidationIssue } from './validation.js';

/** A meeting's statuses: planned until it is held or cancelled; both are final. */
export const MEETING_STATUSES = ['planned', 'held', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const MEETING_STATUS_LABELS: Readonly<Record<MeetingStatus, LocalizedText>> = {
  planned: text('planlagt', 'planned'),
  held: text('holdt', 'held'),
  cancelled: text('aflyst', 'cancelled'),
};

/** What the rules read of a meeting. */
export interface MeetingState {
  readonly status: MeetingStatus;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly venue: Venue;
  readonly heldAt: Date | null;
  readonly cancelledAt: Date | null;
}

/** One line of the attendance list given when a meeting is marked held. */
export interface HeldAttendanceLine {
  readonly leaderId: string;
  readonly status: 'attended' | 'no_show';
}

/**
 * What can happen to a meeting. `move`: a new start and/or end (ISO 8601 date-times; the length
 * is kept when only the start moves) and/or venue. `respond`: a member confirms or sends an afbud.
 * `record_afbud`: the facilitator records an afbud given by phone (a held meeting too). `hold`:
 * the meeting took place; `attendance` lists who came, `members` who may be listed (the active
 * members and everyone with an attendance row).
 */
export type MeetingEvent =
  | {
      readonly type: 'move';
      readonly startsAt?: string | undefined;
      readonly endsAt?: string | undefined;
      readonly venue?: unknown;
    }
  | { readonly type: 'cancel' }
  | { readonly type: 'respond' }
  | { readonly type: 'record_afbud' }
  | {
      readonly type: 'hold';
      readonly attendance: readonly HeldAttendanceLine[];
      readonly members: readonly string[];
    };

export const MEETING_REFUSAL_CODES = [
  'meeting_not_planned',
  'meeting_not_started',
  'validation_failed',
] as const;
export type MeetingRefusalCode = (typeof MEETING_REFUSAL_CODES)[number];

/** Why a meeting event was refused: the code, a message, and what the caller needs to say more. */
export type MeetingRefusal =
  | {
      readonly code: 'meeting_not_planned';
      readonly message: LocalizedText;
      readonly meetingStatus: MeetingStatus;
    }
  | { readonly code: 'meeting_not_started'; readonly message: LocalizedText; readonly startsAt: Date }
  | {
      readonly code: 'validation_failed';
      readonly message: LocalizedText;
      readonly issues: readonly ValidationIssue[];
    };

const notPlanned = (status: MeetingStatus): { ok: false; error: MeetingRefusal } =>
  err({
    code: 'meeting_not_planned',
    message: text(`Mødet er ${MEETING_STATUS_LABELS[status].da}`, `The meeting is ${status}`),
    meetingStatus: status,
  });

const invalid = (issues: readonly ValidationIssue[]): { ok: false; error: MeetingRefusal } =>
  err({
    code: 'validation_failed',
    message: text('Ugyldige oplysninger om mødet.', 'Invalid meeting details.'),
    issues,
  });

const MINUTE_MS = 60_000;

/** A date-time string the service accepts: parseable, with a time part. */
const readDateTime = (value: string): Date | null => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || !value.includes('T') ? null : date;
};

function move(state: MeetingState, event: Extract<MeetingEvent, { type: 'move' }>) {
  const formatIssues: ValidationIssue[] = [];
  const read = (key: 'startsAt' | 'endsAt'): Date | undefined => {
    const value = event[key];
    if (value === undefined) return undefined;
    const date = readDateTime(value);
    if (date === null)
      formatIssues.push({
        path: key,
        code: 'invalid_format',
        message: text('Et ISO 8601-tidspunkt.', 'An ISO 8601 date-time.'),
      });
    return date ?? undefined;
  };
  const newStart = read('startsAt');
  const newEnd = read('endsAt');
  if (formatIssues.length > 0) return invalid(formatIssues);
  const startsAt = newStart ?? state.startsAt;
  const endsAt = newEnd ?? new Date(startsAt.getTime() + (state.endsAt.getTime() - state.startsAt.getTime()));
  const minutes = (endsAt.getTime() - startsAt.getTime()) / MINUTE_MS;
  const issues: ValidationIssue[] = [];
  if (minutes < MEETING_DURATION.min)
    issues.push({
      path: 'endsAt',
      code: 'too_small',
      message: text(
        `Et møde varer mindst ${MEETING_DURATION.min} minutter.`,
        `A meeting lasts at least ${MEETING_DURATION.min} minutes.`,
      ),
    });
  if (minutes > MEETING_DURATION.max)
    issues.push({
      path: 'endsAt',
      code: 'too_large',
      message: text(
        `Et møde varer højst ${MEETING_DURATION.max} minutter.`,
        `A meeting lasts at most ${MEETING_DURATION.max} minutes.`,
      ),
    });
  let venue = state.venue;
  if (event.venue !== undefined) {
    const parsed = parseVenue(event.venue);
    if (parsed.ok) venue = parsed.value;
    else issues.push(...parsed.error.issues);
  }
  if (issues.length > 0) return invalid(issues);
  return ok({ ...state, startsAt, endsAt, venue });
}

/** The attendance list's issues: each listed leader once, and each one who may be listed. */
function attendanceListIssues(
  attendance: readonly HeldAttendanceLine[],
  members: readonly string[],
): ValidationIssue[] {
  const known = new Set(members);
  const seen = new Set<string>();
  const issues: ValidationIssue[] = [];
  attendance.forEach((a, i) => {
    if (seen.has(a.leaderId))
      issues.push({
        path: `attendance[${i}].leaderId`,
        code: 'duplicate',
        message: text('Medlemmet står der allerede.', 'The member is listed already.'),
      });
    else if (!known.has(a.leaderId))
      issues.push({
        path: `attendance[${i}].leaderId`,
        code: 'invalid_reference',
        message: text('Ikke et medlem af netværket.', 'Not a member of the network.'),
      });
    seen.add(a.leaderId);
  });
  return issues;
}

/**
 * The one transition function of a meeting. Only a planned meeting is moved, cancelled, answered
 * or held (`meeting_not_planned` otherwise); an afbud can also be recorded for a held meeting,
 * not for a cancelled one. Held needs a valid attendance list (checked first) and a meeting that
 * has started (`meeting_not_started`). A move keeps the meeting between MEETING_DURATION's bounds
 * and a valid venue (`validation_failed` with every issue). Pure: `now` is the clock.
 */
export function meetingTransition(
  state: MeetingState,
  event: MeetingEvent,
  now: Date,
): Result<MeetingState, MeetingRefusal> {
  switch (event.type) {
    case 'record_afbud':
      return state.status === 'cancelled' ? notPlanned(state.status) : ok(state);
    case 'hold': {
      const issues = attendanceListIssues(event.attendance, event.members);
      if (issues.length > 0) return invalid(issues);
      break;
    }
  }
  if (state.status !== 'planned') return notPlanned(state.status);
  switch (event.type) {
    case 'move':
      return move(state, event);
    case 'cancel':
      return ok({ ...state, status: 'cancelled', cancelledAt: now });
    case 'respond':
      return ok(state);
    default:
      if (state.startsAt.getTime() > now.getTime())
        return err({
          code: 'meeting_not_started',
          message: text(
            `Mødet begynder ${state.startsAt.toISOString()}`,
            `The meeting starts at ${state.startsAt.toISOString()}`,
          ),
          startsAt: state.startsAt,
        });
      return ok({ ...state, status: 'held', heldAt: now });
  }
}

/** A member's stored answer to a meeting, as the rules read it. */
export interface StoredResponse {
  readonly status: string;
  readonly cancelledAt: Date | null;
}

/** What a member's answer stores: the row's values, and whether it is a new afbud (an event). */
export interface MeetingResponse {
  readonly status: 'confirmed' | 'cancelled';
  readonly cancelledAt: Date | null;
  readonly late: boolean;
  readonly newAfbud: boolean;
}

/**
 * A member confirms or sends an afbud. An afbud is given now; a repeated afbud keeps its first
 * time (sending it again does not make it later). Late by isLateCancellation with the charter's
 * notice. A confirmation clears the afbud.
 */
export function attendanceResponse(
  current: StoredResponse | undefined,
  status: 'confirmed' | 'cancelled',
  startsAt: Date,
  now: Date,
  noticeHours: number = DEFAULT_CANCELLATION_NOTICE_HOURS,
): MeetingResponse {
  if (status === 'confirmed') return { status, cancelledAt: null, late: false, newAfbud: false };
  const first = current?.status === 'cancelled' ? current.cancelledAt : null;
  const cancelledAt = first ?? now;
  return {
    status,
    cancelledAt,
    late: isLateCancellation(cancelledAt, startsAt, noticeHours),
    newAfbud: first === null,
  };
}

/** A meeting as the role history reads it. */
export interface MeetingRoles {
  readonly status: MeetingStatus;
  readonly sequence: number;
  readonly roles: readonly RoleAssignment[];
}

/**
 * The role turns taken: those of every meeting not cancelled (a cancelled meeting's roles were
 * never taken, so the rotation gives them again).
 */
export function roleHistory(meetings: readonly MeetingRoles[]): RoleTurn[] {
  return meetings.filter((m) => m.status !== 'cancelled').flatMap((m) => turnsOf(m.sequence, m.roles));
}

/**
 * True when an afbud from `memberId` re-rotates the meeting's roles: the meeting is planned, the
 * member holds a role in it, and no admin has set the roles by hand.
 */
export function afbudReassignsRoles(
  meeting: {
    readonly status: MeetingStatus;
    readonly roles: readonly RoleAssignment[];
    readonly rolesOverriddenAt: Date | null;
  },
  memberId: string,
): boolean {
  return (
    meeting.status === 'planned' &&
    meeting.rolesOverriddenAt === null &&
    meeting.roles.some((r) => r.holder?.kind === 'member' && r.holder.memberId === memberId)
  );
}

/**
 * A dissolved network takes no more changes (no meeting model, no meetings, no members): a
 * `network_dissolved` refusal; otherwise the status back.
 */
export function networkAcceptsChanges(status: LifecycleStatus): Result<LifecycleStatus, LifecycleRefusal> {
  return status === 'dissolved'
    ? err({ code: 'network_dissolved', message: LIFECYCLE_REFUSAL_MESSAGES.network_dissolved })
    : ok(status);
}
