/**
 * The planned future meetings follow a newly adopted meeting model (the review's adjust decision).
 * The rule is the domain's `replanMeetings` (which meetings follow, where they go, which answers
 * are reset); this file loads, calls it and stores, inside the caller's transaction.
 */
import { type MeetingModel, type MeetingPlacement, replanMeetings, type Venue } from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { validationProblem } from '../errors/problem.js';
import { recordEvents } from '../events/event.repository.js';
import { localDateTime } from './local-time.js';
import { attendanceOf, networkMeetings } from './meeting.repository.js';

/** A meeting's time and place on the wire. */
const placementResource = (p: MeetingPlacement, timeZone: string) => ({
  startsAt: p.startsAt.toISOString(),
  endsAt: p.endsAt.toISOString(),
  localStartsAt: localDateTime(p.startsAt, timeZone),
  durationMinutes: p.durationMinutes,
  venue: p.venue,
});

/** One meeting a decision moved, on the wire. */
export interface MovedMeetingResource {
  meetingId: string;
  sequence: number;
  from: ReturnType<typeof placementResource>;
  to: ReturnType<typeof placementResource>;
  /** Members whose yes or afbud was reset to unanswered (a count: who they are is the attendance list). */
  answersReset: number;
}

/**
 * Applies the domain's replan in `trx` (the caller holds the network's row lock): every planned
 * future meeting gets the new model version; each moved one its new start, end and venue (its
 * version bumped, so a stale If-Match on it fails) and, when its time changed, the reset answers
 * (status expected, no afbud time, not late) and the event `meeting.moved` (as a single move).
 * Returns the moved meetings, in start order.
 */
export async function followMeetingModel(
  trx: Kysely<Database>,
  network: NetworkRow,
  model: MeetingModel,
  modelVersion: number,
  now: Date,
): Promise<MovedMeetingResource[]> {
  const tenantId = network.tenant_id;
  const meetings = await networkMeetings(trx, tenantId, network.id);
  // Answers are read for planned meetings only: which of them follow is the domain's.
  const answers = await attendanceOf(
    trx,
    tenantId,
    meetings.filter((m) => m.status === 'planned').map((m) => m.id),
  );
  const replan = replanMeetings(
    meetings.map((m) => ({
      meetingId: m.id,
      status: m.status,
      startsAt: m.startsAt,
      endsAt: m.endsAt,
      venue: m.venue,
      answers: answers
        .filter((a) => a.meetingId === m.id)
        .map((a) => ({ memberId: a.leaderId, status: a.status })),
    })),
    model,
    { now, timeZone: network.time_zone },
  );
  if (!replan.ok) throw validationProblem(replan.error.issues);
  const { following, moved } = replan.value;
  if (following.length > 0)
    await trx
      .updateTable('meetings')
      .set({ model_version: modelVersion, version: sql`version + 1`, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', following)
      .execute();
  for (const move of moved) {
    await trx
      .updateTable('meetings')
      .set({
        starts_at: move.to.startsAt,
        ends_at: move.to.endsAt,
        venue: JSON.stringify(move.to.venue satisfies Venue),
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', move.meetingId)
      .execute();
    if (move.answersReset.length > 0)
      await trx
        .updateTable('attendance')
        .set({ status: 'expected', cancelled_at: null, late: false, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('meeting_id', '=', move.meetingId)
        .where('leader_id', 'in', move.answersReset)
        .execute();
  }
  await recordEvents(
    trx,
    tenantId,
    moved
      .filter((m) => m.timeChanged)
      .map((m) => ({
        type: 'meeting.moved' as const,
        data: {
          networkId: network.id,
          meetingId: m.meetingId,
          previousStartsAt: m.from.startsAt.toISOString(),
          startsAt: m.to.startsAt.toISOString(),
          endsAt: m.to.endsAt.toISOString(),
        },
      })),
  );
  const sequenceOf = new Map(meetings.map((m) => [m.id, m.sequence]));
  return moved.map((m) => ({
    meetingId: m.meetingId,
    sequence: sequenceOf.get(m.meetingId)!,
    from: placementResource(m.from, network.time_zone),
    to: placementResource(m.to, network.time_zone),
    answersReset: m.answersReset.length,
  }));
}
