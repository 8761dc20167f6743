/**
 * Replanning after a new meeting model is adopted (an adjust decision at a review). The seed: "vælg
 * én model og prøv den af i 3-4 møder" — when the network decides to adjust "hvor ofte, hvor
 * længe og hvor", the meetings already in the calendar are the next meetings of the new model, not
 * leftovers of the old one.
 *
 * The rule, in full:
 * - Which meetings follow: every meeting still `planned` that starts after the decision (`now`).
 *   Held and cancelled meetings, and planned meetings that have already started, keep what they were.
 * - Where they go: in start order, the k-th of them becomes the k-th meeting of the new model's
 *   schedule (`scheduleMeetings` in the network's time zone) starting after `now` (and never before
 *   the model's `startDate`). The number of planned meetings stays the same: a network meeting less
 *   often sees them spread out, one meeting more often sees them closer together. To start the new
 *   rhythm later, the facilitator sets the new model's `startDate`.
 * - What they become: the new model's start, duration (`durationMinutes`) and venue.
 * - What is listed as moved: a meeting whose start, end or venue changes. One already at the new
 *   model's time and place follows the model without being listed.
 * - Answers: a member's yes (`confirmed`) or afbud (`cancelled`) was given for a time window ("hvor
 *   længe": a yes to 17–20 is not a yes to 09–13). When the start or end changes, both are reset to
 *   unanswered (`expected`) so the members answer again for the new time, and an afbud given for the
 *   old time no longer counts in the network's cancellation rates. When only the venue changes, the
 *   meeting is at the same time and the answers stand.
 */
import { MAX_SCHEDULED_MEETINGS, type MeetingModel, scheduleMeetings, type Venue } from './meeting-model.js';
import { err, ok, type Result } from './result.js';
import type { ValidationFailure } from './validation.js';

/** The answers that hold only for the time they were given for. */
const TIME_BOUND_ANSWERS = ['confirmed', 'cancelled'] as const;

/** A stored meeting as replanning reads it. */
export interface ReplanMeeting {
  readonly meetingId: string;
  readonly status: 'planned' | 'held' | 'cancelled';
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly venue: Venue;
  /** Each member's attendance status at this meeting ('expected', 'confirmed', 'cancelled', …). */
  readonly answers: readonly { readonly memberId: string; readonly status: string }[];
}

/** Where and when a meeting is. */
export interface MeetingPlacement {
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly durationMinutes: number;
  readonly venue: Venue;
}

/** One meeting the new model moves. */
export interface MeetingMove {
  readonly meetingId: string;
  readonly from: MeetingPlacement;
  readonly to: MeetingPlacement;
  /** The start or end changes (answers are reset); false when only the venue changes. */
  readonly timeChanged: boolean;
  /** The members whose yes or afbud no longer holds: back to unanswered. */
  readonly answersReset: readonly string[];
}

/** What replanning decides. */
export interface Replan {
  /** Every meeting that now follows the new model (moved or not), in start order. */
  readonly following: readonly string[];
  /** The meetings whose time or venue changes, in start order. */
  readonly moved: readonly MeetingMove[];
}

/** Options of `replanMeetings`. */
export interface ReplanOptions {
  /** The moment the model is adopted: only meetings starting after it follow. */
  readonly now: Date;
  /** The network's IANA time zone. */
  readonly timeZone: string;
}

const sameVenue = (a: Venue, b: Venue): boolean =>
  a.kind === b.kind &&
  ('place' in a ? a.place : null) === ('place' in b ? b.place : null) &&
  ('link' in a ? a.link : null) === ('link' in b ? b.link : null);

const placement = (startsAt: Date, endsAt: Date, venue: Venue): MeetingPlacement => ({
  startsAt,
  endsAt,
  durationMinutes: Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000),
  venue,
});

/**
 * What the planned future meetings become under a newly adopted model (the rule above). Pure;
 * never throws; an invalid time zone is in the result (scheduleMeetings' issues).
 */
export function replanMeetings(
  meetings: readonly ReplanMeeting[],
  model: MeetingModel,
  options: ReplanOptions,
): Result<Replan, ValidationFailure> {
  const now = options.now.getTime();
  const planned = meetings
    .filter((m) => m.status === 'planned' && m.startsAt.getTime() > now)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  if (planned.length === 0) return ok({ following: [], moved: [] });
  // The schedule after `now`, in pieces of at most MAX_SCHEDULED_MEETINGS (one call's limit).
  const slots: { startsAt: Date; endsAt: Date }[] = [];
  let from = new Date(now + 1);
  while (slots.length < planned.length) {
    const count = Math.min(planned.length - slots.length, MAX_SCHEDULED_MEETINGS);
    const schedule = scheduleMeetings(model, { count, from, timeZone: options.timeZone });
    if (!schedule.ok) return err(schedule.error);
    slots.push(...schedule.value);
    from = new Date(slots.at(-1)!.startsAt.getTime() + 1);
  }

  const moved: MeetingMove[] = [];
  for (const [i, m] of planned.entries()) {
    const slot = slots[i]!;
    const timeChanged =
      slot.startsAt.getTime() !== m.startsAt.getTime() || slot.endsAt.getTime() !== m.endsAt.getTime();
    if (!timeChanged && sameVenue(m.venue, model.venue)) continue;
    moved.push({
      meetingId: m.meetingId,
      from: placement(m.startsAt, m.endsAt, m.venue),
      to: placement(slot.startsAt, slot.endsAt, model.venue),
      timeChanged,
      answersReset: timeChanged
        ? m.answers
            .filter((a) => (TIME_BOUND_ANSWERS as readonly string[]).includes(a.status))
            .map((a) => a.memberId)
        : [],
    });
  }
  return ok({ following: planned.map((m) => m.meetingId), moved });
}
