/**
 * The evaluation use cases, shared by REST and GraphQL. A member answers about a held meeting with
 * their member token (the domain's `parseEvaluation` validates and refuses); a member reads only
 * their own answers; everyone else gets the aggregate through the domain's k rule
 * (`releaseMeetingAggregate`), which carries no numbers below k and never comments.
 */
import {
  type AttendanceStatus,
  type Disclosure,
  type MeetingEvaluationAggregate,
  parseEvaluation,
  releaseMeetingAggregate,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ProblemError, problem, validationProblem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import type { MeetingRow } from '../meetings/meeting.table.js';
import type { NetworkRow } from '../networks/network.table.js';
import { networkForCaller } from '../networks/network-access.js';
import type { Principal } from '../plugins/auth.plugin.js';
import {
  evaluationsOfMeetings,
  findEvaluation,
  type StoredEvaluation,
  upsertEvaluation,
} from './evaluation.repository.js';

const DAY_MS = 86_400_000;

/** The meeting and its network, if the caller may see the network; 404 otherwise (other tenants too). */
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
    return { meeting, network: await networkForCaller(db, principal, meeting.network_id) };
  } catch (error) {
    // A network the caller may not see hides its meetings too; anything else is not ours to reword.
    if (error instanceof ProblemError && error.code === 'not_found')
      throw problem('not_found', 'No meeting with this id');
    throw error;
  }
}

/**
 * When the evaluation window of a meeting closes: `held_at` (else its start) plus the network's
 * `evaluation_window_days` (default 14, set on the network). Answers can be given and edited until then.
 */
export function evaluationWindowClosesAt(meeting: MeetingRow, network: NetworkRow): Date {
  const heldAt = meeting.held_at ?? meeting.starts_at;
  return new Date(heldAt.getTime() + network.evaluation_window_days * DAY_MS);
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

function requireMember(principal: Principal): Extract<Principal, { kind: 'member' }> {
  if (principal.kind !== 'member') {
    throw problem(
      'forbidden',
      'Evaluations are answered and read by the member themselves, with a member token',
    );
  }
  return principal;
}

/**
 * Creates or edits the caller's evaluation of a held meeting. Order: answers validated (400 with
 * the domain's issues), then the domain's refusals (meeting_not_held 409, not_an_attendee 403),
 * then the window (evaluation_window_closed 409).
 */
export async function submitEvaluation(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  answers: Record<string, unknown>,
  now: Date,
): Promise<{ created: boolean; evaluation: MyEvaluationResource }> {
  const member = requireMember(principal);
  const { meeting, network } = await meetingForCaller(db, member, meetingId);
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
  const closesAt = evaluationWindowClosesAt(meeting, network);
  if (now.getTime() > closesAt.getTime()) {
    throw problem(
      'evaluation_window_closed',
      `Answers could be given or edited until ${closesAt.toISOString()}`,
      {
        closedAt: closesAt.toISOString(),
      },
    );
  }
  const { created, stored } = await upsertEvaluation(db, member.tenantId, parsed.value, now);
  return { created, evaluation: toMyEvaluationResource(stored, closesAt) };
}

/** The caller's own evaluation of the meeting, or undefined when they have not answered. */
export async function myEvaluation(db: Kysely<Database>, principal: Principal, meetingId: string) {
  const member = requireMember(principal);
  const { meeting, network } = await meetingForCaller(db, member, meetingId);
  const stored = await findEvaluation(db, member.tenantId, meeting.id, member.leaderId);
  return stored ? toMyEvaluationResource(stored, evaluationWindowClosesAt(meeting, network)) : undefined;
}

/** Members who could answer a meeting: there, i.e. expected, confirmed or attended (parseEvaluation's rule). */
const COULD_ANSWER: readonly AttendanceStatus[] = ['expected', 'confirmed', 'attended'];

/**
 * The aggregate of each meeting through the domain's k rule (the network's `min_responses`), in
 * three queries: meetings with their network's k, attendance counts, evaluations.
 */
export async function summariesOfMeetings(
  db: Kysely<Database>,
  tenantId: string,
  meetingIds: readonly string[],
): Promise<Map<string, Disclosure<MeetingEvaluationAggregate>>> {
  const out = new Map<string, Disclosure<MeetingEvaluationAggregate>>();
  if (meetingIds.length === 0) return out;
  const meetings = await db
    .selectFrom('meetings')
    .innerJoin('networks', (j) =>
      j
        .onRef('networks.tenant_id', '=', 'meetings.tenant_id')
        .onRef('networks.id', '=', 'meetings.network_id'),
    )
    .select(['meetings.id as id', 'networks.min_responses as k'])
    .where('meetings.tenant_id', '=', tenantId)
    .where('meetings.id', 'in', meetingIds)
    .execute();
  const attendance = await db
    .selectFrom('attendance')
    .select(['meeting_id', 'status'])
    .where('tenant_id', '=', tenantId)
    .where('meeting_id', 'in', meetingIds)
    .execute();
  const evaluations = await evaluationsOfMeetings(db, tenantId, meetingIds);
  for (const m of meetings) {
    const eligible = attendance.filter(
      (a) => a.meeting_id === m.id && COULD_ANSWER.includes(a.status),
    ).length;
    out.set(
      m.id,
      releaseMeetingAggregate(
        evaluations.filter((e) => e.meetingId === m.id),
        { minimumResponses: m.k, eligible },
      ),
    );
  }
  return out;
}

/** The meeting's aggregate for anyone who may see its network (admin or member): withheld under k. */
export async function evaluationSummary(db: Kysely<Database>, principal: Principal, meetingId: string) {
  const { meeting } = await meetingForCaller(db, principal, meetingId);
  return (await summariesOfMeetings(db, principal.tenantId, [meeting.id])).get(meeting.id)!;
}
