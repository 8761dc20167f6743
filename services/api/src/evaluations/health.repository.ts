/**
 * What health reads, loaded from storage for many networks at once (REST reads one, GraphQL
 * loaders many): the held meetings with their attendance and evaluations, and each network's
 * cancellation notice from its latest charter. A fixed number of queries, whatever the count.
 */
import { type Attendance, type Charter, cancellationNoticeHours, type HeldMeeting } from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AttendanceRow } from '../meetings/meeting.table.js';
import { evaluationsOfMeetings } from './evaluation.repository.js';

/** One attendance row as the domain's `Attendance` (a cancellation without a time uses the row's update time). */
export function rowToAttendance(row: AttendanceRow): Attendance {
  if (row.status === 'cancelled') {
    return { memberId: row.leader_id, status: 'cancelled', cancelledAt: row.cancelled_at ?? row.updated_at };
  }
  return { memberId: row.leader_id, status: row.status };
}

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
    .select(['id', 'network_id', 'starts_at'])
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .where('status', '=', 'held')
    .orderBy('starts_at')
    .execute();
  if (meetings.length === 0) return out;
  const ids = meetings.map((m) => m.id);
  const attendance = await db
    .selectFrom('attendance')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('meeting_id', 'in', ids)
    .orderBy('meeting_id')
    .orderBy('leader_id')
    .execute();
  const evaluations = await evaluationsOfMeetings(db, tenantId, ids);
  for (const m of meetings) {
    out.get(m.network_id)?.push({
      meetingId: m.id,
      startsAt: m.starts_at,
      attendance: attendance.filter((a) => a.meeting_id === m.id).map(rowToAttendance),
      // The domain's plain Evaluation (no bookkeeping fields), so reports equal the library's.
      evaluations: evaluations
        .filter((e) => e.meetingId === m.id)
        .map(({ submittedAt: _s, updatedAt: _u, ...e }) => e),
    });
  }
  return out;
}

/** Each network's cancellation notice in hours, from its latest charter version (default 48 h). */
export async function noticeHoursOf(
  db: Kysely<Database>,
  tenantId: string,
  networkIds: readonly string[],
): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  if (networkIds.length === 0) return out;
  const rows = await db
    .selectFrom('charter_versions')
    .select(['network_id', 'version', 'charter'])
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .orderBy('network_id')
    .orderBy('version')
    .execute();
  for (const r of rows) out.set(r.network_id, cancellationNoticeHours(r.charter as Charter));
  return out;
}
