/**
 * Attendance: the list, a member's yes or afbud (the domain's attendanceResponse: a repeated afbud
 * keeps its first time), an afbud the facilitator records (recordAfbud), and marking a meeting held
 * (meetingTransition's hold: the attendance list check, then the lifecycle's meeting_held). An afbud
 * from a role holder re-rotates the roles (afbudReassignsRoles).
 */
import {
  afbudReassignsRoles,
  attendanceResponse,
  evaluationDeadline,
  heldAttendance,
  type LifecycleState,
  type MeetingEvent,
  recordAfbud,
} from '@sparring/domain';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { problem, validationProblem } from '../errors/problem.js';
import { recordEvent, recordEvents } from '../events/event.repository.js';
import { assertUuid } from '../http/ids.js';
import { advanceLifecycle } from '../networks/lifecycle.service.js';
import { activeMemberIds, requireActiveMember, requireFacilitator } from '../networks/network-access.js';
import {
  assignMeetingRoles,
  meetingForCaller,
  noticeHoursOfNetwork,
  requirePlanned,
  rolesPolicyOf,
  transitionOrThrow,
} from './meeting.access.js';
import {
  attendanceOf,
  lockMeeting,
  rowToAttendance,
  rowToMeeting,
  toDomainAttendance,
} from './meeting.repository.js';
import { toAttendanceResource } from './meeting.resource.js';

// -- attendance --

export async function listAttendance(db: Kysely<Database>, principal: Principal, meetingId: string) {
  const { meeting, network } = await meetingForCaller(db, principal, meetingId);
  const rows = await attendanceOf(db, principal.tenantId, [meeting.id]);
  return rows.map((a) => toAttendanceResource(a, principal, network));
}

/**
 * A member confirms or cancels (afbud) with their own token, for a planned meeting of a network
 * they are an active member of. An afbud keeps its time (now; a repeated afbud keeps the first)
 * and is flagged late by isLateCancellation with the latest charter's notice. If the member
 * held a role and no admin set the roles by hand, the meeting's roles are re-assigned by the
 * domain's rotation, skipping everyone who cancelled.
 */
export async function respondToMeeting(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  status: 'confirmed' | 'cancelled',
) {
  const { meeting, network } = await meetingForCaller(db, principal, meetingId);
  const leaderId = await requireActiveMember(db, principal, network.id);
  requirePlanned(meeting);
  const notice = await noticeHoursOfNetwork(db, principal.tenantId, network.id);
  const members = await activeMemberIds(db, principal.tenantId, network.id);
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const locked = await lockMeeting(trx, principal.tenantId, meeting.id);
    if (!locked) throw problem('not_found', 'No meeting with this id');
    requirePlanned(locked);
    const current = (await attendanceOf(trx, principal.tenantId, [meeting.id])).find(
      (a) => a.leaderId === leaderId,
    );
    const response = attendanceResponse(current, status, locked.startsAt, now, notice);
    const { late } = response;
    const values = { status, cancelled_at: response.cancelledAt, late, updated_at: now };
    const row = await trx
      .insertInto('attendance')
      .values({ tenant_id: principal.tenantId, meeting_id: meeting.id, leader_id: leaderId, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'meeting_id', 'leader_id']).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    // A new afbud is an event; repeating one (it keeps its time) or confirming is not.
    if (response.newAfbud)
      await recordEvent(trx, principal.tenantId, {
        type: 'meeting.afbud',
        data: { networkId: network.id, meetingId: meeting.id, leaderId, late },
      });
    let updated = locked;
    if (status === 'cancelled' && afbudReassignsRoles(locked, leaderId)) {
      const roles = await assignMeetingRoles(
        trx,
        principal.tenantId,
        locked,
        rolesPolicyOf(network),
        members,
      );
      const m = await trx
        .updateTable('meetings')
        .set({ roles: JSON.stringify(roles), version: sql`version + 1`, updated_at: now })
        .where('tenant_id', '=', principal.tenantId)
        .where('id', '=', meeting.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      updated = rowToMeeting(m);
    }
    return { network, meeting: updated, attendance: rowToAttendance(row) };
  });
}

/**
 * The facilitator or an admin records an afbud for a member with the time it was given (by
 * phone, in person), for a planned or held meeting (not a cancelled one): late or on time is the
 * domain's (`recordAfbud`, the latest charter's notice) from that time. Refused: a time after now,
 * a member recorded as attended, someone not a member. A new afbud is the event `meeting.afbud`;
 * correcting the time of one is not. Every recording writes one audit line (`audit:
 * afbud_recorded`, who recorded it and the time given). If the member held a role at a planned
 * meeting and no admin set the roles by hand, the roles are re-assigned as for a member's afbud.
 */
export async function recordAfbudForMember(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  leaderId: string,
  cancelledAt: Date,
  log: FastifyBaseLogger,
) {
  const { meeting, network } = await meetingForCaller(db, principal, meetingId);
  requireFacilitator(network, principal);
  assertUuid(leaderId, 'leader id');
  const tenantId = principal.tenantId;
  const members = new Set(await activeMemberIds(db, tenantId, network.id));
  for (const a of await attendanceOf(db, tenantId, [meeting.id])) members.add(a.leaderId);
  if (!members.has(leaderId))
    throw validationProblem([
      {
        path: 'leaderId',
        code: 'invalid_reference',
        message: { da: 'Ikke et medlem af netværket.', en: 'Not a member of the network.' },
      },
    ]);
  const notice = await noticeHoursOfNetwork(db, tenantId, network.id);
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const locked = await lockMeeting(trx, tenantId, meeting.id);
    if (!locked) throw problem('not_found', 'No meeting with this id');
    transitionOrThrow(locked, { type: 'record_afbud' }, now);
    const current = (await attendanceOf(trx, tenantId, [meeting.id])).find((a) => a.leaderId === leaderId);
    const recorded = recordAfbud(
      current ? toDomainAttendance(current) : undefined,
      leaderId,
      cancelledAt,
      locked,
      now,
      notice,
    );
    if (!recorded.ok) throw validationProblem(recorded.error.issues);
    const { late } = recorded.value;
    const values = { status: 'cancelled' as const, cancelled_at: cancelledAt, late, updated_at: now };
    const row = await trx
      .insertInto('attendance')
      .values({ tenant_id: tenantId, meeting_id: meeting.id, leader_id: leaderId, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'meeting_id', 'leader_id']).doUpdateSet(values))
      .returningAll()
      .executeTakeFirstOrThrow();
    if (current?.status !== 'cancelled')
      await recordEvent(trx, tenantId, {
        type: 'meeting.afbud',
        data: { networkId: network.id, meetingId: meeting.id, leaderId, late },
      });
    let updated = locked;
    if (afbudReassignsRoles(locked, leaderId)) {
      const roles = await assignMeetingRoles(
        trx,
        tenantId,
        locked,
        rolesPolicyOf(network),
        await activeMemberIds(trx, tenantId, network.id),
      );
      const m = await trx
        .updateTable('meetings')
        .set({ roles: JSON.stringify(roles), version: sql`version + 1`, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', meeting.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      updated = rowToMeeting(m);
    }
    log.info(
      {
        audit: 'afbud_recorded',
        tenantId,
        meetingId: meeting.id,
        leaderId,
        recordedBy:
          principal.kind === 'admin' ? { keyId: principal.keyId } : { leaderId: principal.leaderId },
        cancelledAt: cancelledAt.toISOString(),
        late,
        previousStatus: current?.status ?? null,
      },
      'afbud recorded',
    );
    return { network, meeting: updated, attendance: rowToAttendance(row) };
  });
}

/**
 * What runs in the transaction that marks a meeting held, once the lifecycle has moved: the
 * reviews' `openReviewIfDue`, handed in by app.ts (reviews sit above meetings: a review's decision
 * replans meetings), so this module does not import the reviews.
 */
export type AfterMeetingHeld = (
  trx: Kysely<Database>,
  tenantId: string,
  network: NetworkRow,
  before: LifecycleState,
  after: LifecycleState,
  now: Date,
) => Promise<void>;

/**
 * Marks a started, planned meeting held (admin or facilitator) in ONE transaction: the meeting
 * (status held, held_at), each listed member's attendance (attended / no_show; members not
 * listed keep their status) and the lifecycle event `meeting_held` (advanceLifecycle: the domain
 * counts the trial and makes the review due), then `afterHeld` in the same transaction (app.ts hands
 * in the reviews' `openReviewIfDue`: the meeting that makes the network due opens its review).
 * Any refusal writes nothing.
 */
export async function markMeetingHeld(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  input: { attendance: readonly { leaderId: string; status: 'attended' | 'no_show' }[] },
  afterHeld: AfterMeetingHeld,
) {
  const { meeting, network } = await meetingForCaller(db, principal, meetingId);
  requireFacilitator(network, principal);
  const tenantId = principal.tenantId;
  const members = new Set(await activeMemberIds(db, tenantId, network.id));
  for (const a of await attendanceOf(db, tenantId, [meeting.id])) members.add(a.leaderId);
  const now = new Date();
  const hold: MeetingEvent = { type: 'hold', attendance: input.attendance, members: [...members] };
  transitionOrThrow(meeting, hold, now);
  return db.transaction().execute(async (trx) => {
    const locked = await lockMeeting(trx, tenantId, meeting.id);
    if (!locked) throw problem('not_found', 'No meeting with this id');
    const held = transitionOrThrow(locked, hold, now);
    const row = await trx
      .updateTable('meetings')
      .set({
        status: held.status,
        held_at: held.heldAt,
        // The evaluation round opens: its k and its deadline are frozen now (docs/confidentiality.md).
        evaluation_k: network.min_responses,
        evaluation_closes_at: evaluationDeadline(now, network.evaluation_window_days),
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', meeting.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const before = new Map(
      (await attendanceOf(trx, tenantId, [meeting.id])).map((a) => [a.leaderId, toDomainAttendance(a)]),
    );
    for (const a of input.attendance) {
      const previous = before.get(a.leaderId);
      // The domain decides: attended wins; an afbud (with its time and lateness) stands against no_show.
      const next = heldAttendance(previous, a.status, a.leaderId);
      if (next === previous) continue;
      const values = { status: next.status, cancelled_at: null, late: false, updated_at: now };
      await trx
        .insertInto('attendance')
        .values({ tenant_id: tenantId, meeting_id: meeting.id, leader_id: a.leaderId, ...values })
        .onConflict((oc) => oc.columns(['tenant_id', 'meeting_id', 'leader_id']).doUpdateSet(values))
        .execute();
    }
    await recordEvents(trx, tenantId, [
      { type: 'meeting.held', data: { networkId: network.id, meetingId: meeting.id } },
      {
        type: 'evaluation.window_opened',
        data: {
          networkId: network.id,
          meetingId: meeting.id,
          closesAt: row.evaluation_closes_at!.toISOString(),
          minimum: row.evaluation_k!,
        },
      },
    ]);
    const { before: lifecycleBefore, after } = await advanceLifecycle(
      trx,
      tenantId,
      network.id,
      { type: 'meeting_held' },
      now,
    );
    // The meeting that makes the network due opens its review, with the recommendation of now.
    await afterHeld(trx, tenantId, network, lifecycleBefore, after, now);
    const attendance = await attendanceOf(trx, tenantId, [meeting.id]);
    return { network, meeting: rowToMeeting(row), attendance, lifecycleStatus: after.status };
  });
}
