/**
 * The evaluation use cases, shared by REST, GraphQL and the member pages. A member answers about a
 * held meeting (with their own session or an admin-minted token: answering is acting); the domain's
 * `parseEvaluation` validates and refuses. A member reads their own answers only in their own
 * session (`requireOwnSession`). Everyone who may see the network gets the results through the
 * domain's release rule (`releaseStateOf` / `meetingDisclosure`): released once, after the window
 * closed, over at least k members; never a count below k, never a comment.
 */
import {
  type AttendanceStatus,
  closesEarly,
  evaluationClosesAt,
  isEvaluationOpen,
  meetingDisclosure,
  minimumResponses,
  parseEvaluation,
  type ReleasedAggregate,
  releaseStateOf,
  type Withheld,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import { type Principal, requireMember, requireOwnSession } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { MeetingRow } from '../db/tables/meeting.table.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { ProblemError, problem, validationProblem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import { beforeCutoff, memberCutoffs, networkForCaller } from '../networks/network-access.js';
import { announceReleases } from './announcements.js';
import { findEvaluation, type StoredEvaluation, upsertEvaluation } from './evaluation.repository.js';
import { heldMeetingsOf } from './health.repository.js';

/**
 * The meeting and its network, if the caller may see them; 404 otherwise (other tenants, networks
 * the member never belonged to, and for a former member a meeting that started after they left).
 */
export async function meetingForCaller(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
): Promise<{ meeting: MeetingRow; network: NetworkRow }> {
  assertUuid(meetingId, 'meeting id');
  const meeting = await db
    .selectFrom('meetings')
    .selectAll()
    .where('tenant_id', '=', principal.tenantId)
    .where('id', '=', meetingId)
    .executeTakeFirst();
  if (!meeting) throw problem('not_found', 'No meeting with this id');
  try {
    const network = await networkForCaller(db, principal, meeting.network_id);
    const cutoff = (await memberCutoffs(db, principal, [network.id])).get(network.id) ?? null;
    if (!beforeCutoff(cutoff, meeting.starts_at)) throw problem('not_found', 'No meeting with this id');
    return { meeting, network };
  } catch (error) {
    // A network the caller may not see hides its meetings too; anything else is not ours to reword.
    if (error instanceof ProblemError && error.code === 'not_found')
      throw problem('not_found', 'No meeting with this id');
    throw error;
  }
}

/**
 * When the evaluation window of a meeting closes: the instant frozen when it was held (the
 * deadline, or earlier once every eligible member answered); for a meeting not held yet, what it
 * would be: `held_at` (else its start) plus the network's `evaluation_window_days`. Answers can be
 * given and edited until then.
 */
export function evaluationWindowClosesAt(
  meeting: Pick<MeetingRow, 'held_at' | 'starts_at'> & { evaluation_closes_at?: Date | null },
  network: Pick<NetworkRow, 'evaluation_window_days'>,
): Date {
  return evaluationClosesAt(
    {
      startsAt: meeting.starts_at,
      heldAt: meeting.held_at,
      evaluationClosesAt: meeting.evaluation_closes_at,
    },
    network.evaluation_window_days,
  );
}

/** The member's own evaluation on the wire: their answers, their private comment, and until when it can change. */
export function toMyEvaluationResource(e: StoredEvaluation, closesAt: Date) {
  return {
    meetingId: e.meetingId,
    benefit: e.benefit,
    energy: e.energy,
    purposeFit: e.purposeFit,
    relations: e.relations,
    giveGet: e.giveGet,
    comment: e.comment,
    submittedAt: e.submittedAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
    editableUntil: closesAt.toISOString(),
  };
}
export type MyEvaluationResource = ReturnType<typeof toMyEvaluationResource>;

/**
 * Creates or edits the caller's evaluation of a held meeting. Order: answers validated (400 with
 * the domain's issues), then the domain's refusals (meeting_not_held 409, not_an_attendee 403),
 * then the window (evaluation_window_closed 409). The window is checked and the answer stored under
 * the meeting's row lock; when this answer completes the round (every eligible member answered,
 * the domain's `closesEarly`), the window closes now and the results can be released.
 */
export async function submitEvaluation(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  answers: Record<string, unknown>,
  now: Date,
): Promise<{ created: boolean; evaluation: MyEvaluationResource }> {
  const member = requireMember(
    principal,
    'Evaluations are answered by the member themselves (their session or a member token)',
  );
  const { meeting, network } = await meetingForCaller(db, member, meetingId);
  // A former member reads what happened while they were a member, but no longer acts in it.
  if ((await memberCutoffs(db, member, [network.id], now)).get(network.id))
    throw problem('not_an_active_member', 'You have left this network');
  const attendance = await db
    .selectFrom('attendance')
    .select('status')
    .where('tenant_id', '=', member.tenantId)
    .where('meeting_id', '=', meeting.id)
    .where('leader_id', '=', member.leaderId)
    .executeTakeFirst();
  const parsed = parseEvaluation(
    { ...answers, meetingId: meeting.id, memberId: member.leaderId },
    {
      meetingId: meeting.id,
      meetingStatus: meeting.status,
      memberAttendance: (attendance?.status ?? null) as AttendanceStatus | null,
    },
  );
  if (!parsed.ok) {
    const e = parsed.error;
    if (e.code === 'validation_failed') throw validationProblem(e.issues);
    throw problem(e.code, e.message.en, { message: e.message });
  }
  return db.transaction().execute(async (trx) => {
    // The meeting row locked: the window and an early close are decided by one writer at a time.
    const locked = await trx
      .selectFrom('meetings')
      .selectAll()
      .where('tenant_id', '=', member.tenantId)
      .where('id', '=', meeting.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const closesAt = evaluationWindowClosesAt(locked, network);
    if (!isEvaluationOpen(closesAt, now)) {
      throw problem(
        'evaluation_window_closed',
        `Answers could be given or edited until ${closesAt.toISOString()}`,
        { closedAt: closesAt.toISOString() },
      );
    }
    const { created, stored } = await upsertEvaluation(trx, member.tenantId, parsed.value, now);
    const [eligible, answered] = await Promise.all([
      trx
        .selectFrom('attendance')
        .select('leader_id')
        .where('tenant_id', '=', member.tenantId)
        .where('meeting_id', '=', meeting.id)
        .where('status', 'in', COULD_ANSWER)
        .execute(),
      trx
        .selectFrom('evaluations')
        .select('leader_id')
        .where('tenant_id', '=', member.tenantId)
        .where('meeting_id', '=', meeting.id)
        .execute(),
    ]);
    let editableUntil = closesAt;
    if (
      closesEarly(
        eligible.map((r) => r.leader_id),
        answered.map((r) => r.leader_id),
      )
    ) {
      editableUntil = now;
      await trx
        .updateTable('meetings')
        .set({ evaluation_closes_at: now })
        .where('tenant_id', '=', member.tenantId)
        .where('id', '=', meeting.id)
        .execute();
      // The window closed now: a release it completes is announced in this transaction.
      await announceReleases(trx, network, now);
    }
    return { created, evaluation: toMyEvaluationResource(stored, editableUntil) };
  });
}

/**
 * The caller's own evaluation of the meeting, or undefined when they have not answered. Private
 * data: only in the member's own session (an admin key or a minted token gets `private_data`).
 */
export async function myEvaluation(db: Kysely<Database>, principal: Principal, meetingId: string) {
  const member = requireOwnSession(principal);
  const { meeting, network } = await meetingForCaller(db, member, meetingId);
  const stored = await findEvaluation(db, member.tenantId, meeting.id, member.leaderId);
  return stored ? toMyEvaluationResource(stored, evaluationWindowClosesAt(meeting, network)) : undefined;
}

/** Members who could answer a meeting: there, i.e. expected, confirmed or attended (parseEvaluation's rule). */
const COULD_ANSWER: readonly AttendanceStatus[] = ['expected', 'confirmed', 'attended'];

/** What may be shown of a meeting's results: its release's aggregate, or why not (never a count). */
export type MeetingResults =
  | { readonly released: true; readonly value: ReleasedAggregate }
  | (Withheld & { readonly closesAt?: Date });

/**
 * The results of each meeting through the domain's release rule, read at `now`: every held
 * meeting of their networks is loaded (a release may pool several), in a fixed number of queries.
 * `cutoffs` (network → instant) hides what started after a former member left: the rounds after it
 * are left out, which can only keep the last pool unreleased, never change a release.
 */
export async function summariesOfMeetings(
  db: Kysely<Database>,
  tenantId: string,
  meetingIds: readonly string[],
  now: Date = new Date(),
  cutoffs: ReadonlyMap<string, Date | null> = new Map(),
): Promise<Map<string, MeetingResults>> {
  const out = new Map<string, MeetingResults>();
  if (meetingIds.length === 0) return out;
  const meetings = await db
    .selectFrom('meetings')
    .innerJoin('networks', (j) =>
      j
        .onRef('networks.tenant_id', '=', 'meetings.tenant_id')
        .onRef('networks.id', '=', 'meetings.network_id'),
    )
    .select(['meetings.id as id', 'meetings.network_id as networkId', 'networks.min_responses as k'])
    .where('meetings.tenant_id', '=', tenantId)
    .where('meetings.id', 'in', meetingIds)
    .execute();
  const networkIds = [...new Set(meetings.map((m) => m.networkId))];
  const held = await heldMeetingsOf(db, tenantId, networkIds);
  for (const networkId of networkIds) {
    const cutoff = cutoffs.get(networkId) ?? null;
    const rounds = (held.get(networkId) ?? []).filter((m) => beforeCutoff(cutoff, m.startsAt));
    const k = meetings.find((m) => m.networkId === networkId)!.k;
    const state = releaseStateOf(rounds, { now, minimumResponses: k });
    const eligibleOf = new Map(
      rounds.map((m) => [m.meetingId, m.attendance.filter((a) => COULD_ANSWER.includes(a.status)).length]),
    );
    for (const m of meetings.filter((x) => x.networkId === networkId)) {
      const status = state.byMeeting.get(m.id);
      if (status === undefined) {
        out.set(m.id, { released: false, reason: 'not_enough_responses', minimum: minimumResponses(k) });
        continue;
      }
      const eligible =
        status.state === 'released'
          ? status.release.meetingIds.reduce((n, id) => n + (eligibleOf.get(id) ?? 0), 0)
          : null;
      out.set(m.id, meetingDisclosure(status, eligible));
    }
  }
  return out;
}

/** A meeting's results on the wire (REST and the member pages): ISO dates, plain arrays. */
export function toResultsResource(d: MeetingResults) {
  if (!d.released) {
    const { closesAt, ...rest } = d;
    return closesAt ? { ...rest, closesAt: closesAt.toISOString() } : rest;
  }
  return {
    released: true as const,
    value: { ...d.value, meetingIds: [...d.value.meetingIds], releasedAt: d.value.releasedAt.toISOString() },
  };
}

/** The distinct networks of these meetings (tenant-scoped), for the cutoffs of a batch. */
export async function networksOfMeetings(
  db: Kysely<Database>,
  tenantId: string,
  meetingIds: readonly string[],
): Promise<string[]> {
  if (meetingIds.length === 0) return [];
  const rows = await db
    .selectFrom('meetings')
    .select('network_id')
    .distinct()
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', meetingIds)
    .execute();
  return rows.map((r) => r.network_id);
}

/** The meeting's results for anyone who may see its network (admin, member, token): withheld until released. */
export async function evaluationSummary(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  now: Date = new Date(),
) {
  const { meeting, network } = await meetingForCaller(db, principal, meetingId);
  const cutoffs = await memberCutoffs(db, principal, [network.id], now);
  return (await summariesOfMeetings(db, principal.tenantId, [meeting.id], now, cutoffs)).get(meeting.id)!;
}
