/**
 * What health reads, loaded from storage for many networks at once (REST reads one, GraphQL
 * loaders many): the held meetings with their attendance and evaluations (each network's
 * cancellation notice is the networks module's `noticeHoursOf`). A fixed number of queries.
 * `healthInputStamps` fingerprints all of it in one query, so a computed health can be reused
 * until something it reads changes.
 */
import type { HeldMeeting } from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import { preparedQuery } from '../db/prepared.js';
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

/**
 * A fingerprint of everything health reads for each network, in ONE query: the rows of its held
 * meetings, their attendance and evaluations, and its charter versions (the notice), each table
 * as a row count and the sum of its rows' `xmin`, the id of the transaction that wrote each row
 * version. An insert or update writes a version whose transaction id is newer than the rows' that
 * were there, a delete lowers the count, so the pair moves with any mix of them; only changes that
 * remove and add rows with exactly equal sums of ids could hide, which needs transactions that
 * overlap on one network's rows (or ids wrapped around after 2³² transactions) and would then last
 * until that network's next write. Whichever process or replica wrote it, nothing has to remember
 * to invalidate anything. Networks the tenant does not have are absent.
 * (A sum of 64-bit hashes of each row's text served before: it cost PostgreSQL ~50 % more CPU than
 * the bare app's six reads; reading `xmin` needs no row turned into text.)
 */
export async function healthInputStamps(
  db: Kysely<Database>,
  tenantId: string,
  networkIds: readonly string[],
): Promise<Map<string, string>> {
  if (networkIds.length === 0) return new Map();
  const rows = await stampsQuery(db, null, { tenantId, ids: networkIds });
  return new Map(rows.map((r) => [r.id, r.stamp]));
}

/**
 * The query of `healthInputStamps`, compiled once and prepared on each connection under a name
 * (src/db/prepared.ts): planning its four sub-selects was most of what PostgreSQL spent on a
 * health read. The ids as one array.
 */
const stampsQuery = preparedQuery(
  (db, _shape: null, v: { tenantId: string; ids: readonly string[] }) => {
    const fingerprint = (alias: string) =>
      sql.raw(`count(*) || ':' || coalesce(sum(${alias}.xmin::text::bigint), 0)`);
    const held = sql`m.tenant_id = n.tenant_id AND m.network_id = n.id AND m.status = 'held'`;
    return db
      .selectFrom('networks as n')
      .select('n.id')
      .select(
        sql<string>`concat_ws('|',
        (SELECT ${fingerprint('m')} FROM meetings m WHERE ${held}),
        (SELECT ${fingerprint('a')} FROM meetings m
           JOIN attendance a ON a.tenant_id = m.tenant_id AND a.meeting_id = m.id WHERE ${held}),
        (SELECT ${fingerprint('e')} FROM meetings m
           JOIN evaluations e ON e.tenant_id = m.tenant_id AND e.meeting_id = m.id WHERE ${held}),
        (SELECT ${fingerprint('c')} FROM charter_versions c
          WHERE c.tenant_id = n.tenant_id AND c.network_id = n.id))`.as('stamp'),
      )
      .where('n.tenant_id', '=', v.tenantId)
      .where('n.id', '=', sql<string>`any(${v.ids})`);
  },
  { statement: 'health_stamps' },
);
