/**
 * The few queries only the member pages need, each scoped to the signed-in member's own rows: the
 * meetings they have answered, and their own evaluations with the meeting and network they belong
 * to. Everything else the pages show comes from the use cases REST and GraphQL share.
 */
import type { Kysely } from 'kysely';
import type { SessionMemberPrincipal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { rowToEvaluation } from '../evaluations/evaluation.repository.js';
import { evaluationWindowClosesAt } from '../evaluations/evaluation.service.js';

/** Which of these meetings the member has answered (ids only: nobody's answers are loaded). */
export async function answeredMeetingIds(
  db: Kysely<Database>,
  session: SessionMemberPrincipal,
  meetingIds: readonly string[],
): Promise<Set<string>> {
  if (meetingIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('evaluations')
    .select('meeting_id')
    .where('tenant_id', '=', session.tenantId)
    .where('leader_id', '=', session.leaderId)
    .where('meeting_id', 'in', meetingIds)
    .execute();
  return new Set(rows.map((r) => r.meeting_id));
}

/**
 * The member's own evaluations, newest meeting first, with the meeting's start and network (its
 * name and time zone): private data, so it takes a session principal only.
 */
export async function ownEvaluations(db: Kysely<Database>, session: SessionMemberPrincipal, limit = 50) {
  const rows = await db
    .selectFrom('evaluations')
    .innerJoin('meetings', (j) =>
      j
        .onRef('meetings.tenant_id', '=', 'evaluations.tenant_id')
        .onRef('meetings.id', '=', 'evaluations.meeting_id'),
    )
    .innerJoin('networks', (j) =>
      j
        .onRef('networks.tenant_id', '=', 'meetings.tenant_id')
        .onRef('networks.id', '=', 'meetings.network_id'),
    )
    .selectAll('evaluations')
    .select([
      'meetings.starts_at as meeting_starts_at',
      'meetings.held_at as meeting_held_at',
      'meetings.evaluation_closes_at as meeting_evaluation_closes_at',
      'networks.id as network_id',
      'networks.name as network_name',
      'networks.time_zone as network_time_zone',
      'networks.evaluation_window_days as network_window_days',
    ])
    .where('evaluations.tenant_id', '=', session.tenantId)
    .where('evaluations.leader_id', '=', session.leaderId)
    .orderBy('meetings.starts_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    evaluation: rowToEvaluation(r),
    meetingStartsAt: r.meeting_starts_at,
    /** When the answers can no longer change (the evaluations use case's rule). */
    editableUntil: evaluationWindowClosesAt(
      {
        held_at: r.meeting_held_at,
        starts_at: r.meeting_starts_at,
        evaluation_closes_at: r.meeting_evaluation_closes_at,
      },
      { evaluation_window_days: r.network_window_days },
    ),
    network: { id: r.network_id, name: r.network_name, timeZone: r.network_time_zone },
  }));
}

/** When each of these meetings' evaluation windows closes, as stored (the frozen deadline or an early close). */
export async function evaluationWindowsOf(
  db: Kysely<Database>,
  session: SessionMemberPrincipal,
  meetingIds: readonly string[],
) {
  if (meetingIds.length === 0)
    return new Map<string, { held_at: Date | null; starts_at: Date; evaluation_closes_at: Date | null }>();
  const rows = await db
    .selectFrom('meetings')
    .select(['id', 'held_at', 'starts_at', 'evaluation_closes_at'])
    .where('tenant_id', '=', session.tenantId)
    .where('id', 'in', meetingIds)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}
