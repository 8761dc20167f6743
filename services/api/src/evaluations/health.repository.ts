/**
 * What health reads, loaded from storage for many networks at once (REST reads one, GraphQL
 * loaders many): the held meetings with their attendance and evaluations (each network's
 * cancellation notice is the networks module's `noticeHoursOf`). A fixed number of queries.
 */
import type { HeldMeeting } from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { attendanceOf, toDomainAttendance } from '../meetings/meeting.repository.js';
import { evaluationsOfMeetings } from './evaluation.repository.js';

/** The held meetings of each network (by start time), as the domain's `HeldMeeting`, in 3 queries. */
export async function heldMeetingsOf(
  db: Kysely<Database>,
  tenantId: string,
  networkIds: readonly string[],
): Promise<Map<string, HeldMeeting[]>> {
  const out = new Map<string, HeldMeeting[]>(networkIds.map((id) => [id, []]));
  if (networkIds.length === 0) return out;
  const meetings = await db
    .selectFrom('meetings')
    .select(['id', 'network_id', 'starts_at', 'evaluation_k', 'evaluation_closes_at'])
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .where('status', '=', 'held')
    .orderBy('starts_at')
    .execute();
  if (meetings.length === 0) return out;
  const ids = meetings.map((m) => m.id);
  const attendance = await attendanceOf(db, tenantId, ids);
  const evaluations = await evaluationsOfMeetings(db, tenantId, ids);
  for (const m of meetings) {
    out.get(m.network_id)?.push({
      meetingId: m.id,
      startsAt: m.starts_at,
      // The round frozen when the meeting was held (migration 0009).
      ...(m.evaluation_closes_at ? { evaluationClosesAt: m.evaluation_closes_at } : {}),
      ...(m.evaluation_k !== null ? { minimumResponses: m.evaluation_k } : {}),
      attendance: attendance.filter((a) => a.meetingId === m.id).map(toDomainAttendance),
      // The domain's plain Evaluation (no bookkeeping fields), so reports equal the library's.
      evaluations: evaluations
        .filter((e) => e.meetingId === m.id)
        .map(({ submittedAt: _s, updatedAt: _u, ...e }) => e),
    });
  }
  return out;
}
