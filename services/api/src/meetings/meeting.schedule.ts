/**
 * The meeting model and the schedule: adopting a model version, generating planned meetings with
 * their role holders, listing them, moving and cancelling one (the domain's meetingTransition) and
 * setting its roles by hand. Each use case loads, asks the domain, stores.
 */

import type { MeetingStatus } from '@sparring/domain';
import {
  adoptMeetingModelVersion,
  assignRoles,
  isLateCancellation,
  parseMeetingModel,
  parseRolesPolicy,
  roleHistory,
  scheduleMeetings,
  turnsOf,
  type Venue,
} from '@sparring/domain';
import { type Kysely, sql, type Updateable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { type Principal, requireAdmin } from '../auth/principal.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import type { MeetingRow, MeetingTable } from '../db/tables/meeting.table.js';
import { problem, validationProblem } from '../errors/problem.js';
import { recordEvent, recordEvents } from '../events/event.repository.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { lockNetwork } from '../networks/network.repository.js';
import {
  activeMemberIds,
  memberCutoff,
  networkForCaller,
  requireFacilitator,
} from '../networks/network-access.js';
import {
  assignMeetingRoles,
  meetingForCaller,
  noticeHoursOfNetwork,
  refuseIfDissolved,
  requirePlanned,
  rolesPolicyOf,
  transitionOrThrow,
} from './meeting.access.js';
import {
  attendanceOf,
  insertModelVersion,
  latestModelVersion,
  networkMeetings,
  networkWithMeetings,
  rowToMeeting,
  type StoredMeeting,
} from './meeting.repository.js';

// -- meeting model --

/** Adopts a new version of the network's meeting model (admin or facilitator). */
export async function setMeetingModel(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  input: unknown,
  checkVersion: (currentVersion: number) => void = () => {},
) {
  const network = await networkForCaller(db, principal, networkId);
  requireFacilitator(network, principal);
  refuseIfDissolved(network);
  const parsed = parseMeetingModel(input);
  if (!parsed.ok) throw validationProblem(parsed.error.issues);
  try {
    return await db.transaction().execute(async (trx) => {
      await lockNetwork(trx, principal.tenantId, networkId);
      const latest = await latestModelVersion(trx, principal.tenantId, networkId);
      checkVersion(latest?.version ?? 0);
      const next = adoptMeetingModelVersion(latest, parsed.value, new Date());
      return insertModelVersion(trx, principal.tenantId, networkId, next);
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw problem('conflict', 'Another model version was adopted at the same time');
    throw error;
  }
}

export async function getMeetingModel(db: Kysely<Database>, principal: Principal, networkId: string) {
  const network = await networkForCaller(db, principal, networkId);
  const latest = await latestModelVersion(db, principal.tenantId, network.id);
  if (!latest) throw problem('not_found', 'The network has no meeting model yet');
  return latest;
}

// -- schedule --

/**
 * Creates the next `count` planned meetings from the latest model (admin or facilitator), in one
 * transaction: the meetings (scheduleMeetings in the network's time zone, continuing after the
 * latest stored meeting), their role holders (assignRoles: rotation over every earlier turn,
 * including those of the meetings generated just before in the same call) and an `expected`
 * attendance row for every active member.
 */
export async function generateMeetings(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  input: { count: number },
) {
  const network = await networkForCaller(db, principal, networkId);
  requireFacilitator(network, principal);
  refuseIfDissolved(network);
  const tenantId = principal.tenantId;
  try {
    return await db.transaction().execute(async (trx) => {
      // One generation per network at a time: the next sequence depends on what is stored.
      await lockNetwork(trx, tenantId, networkId);
      const model = await latestModelVersion(trx, tenantId, networkId);
      if (!model) throw problem('no_meeting_model', 'Set the meeting model (PUT …/meeting-model) first');
      const existing = await networkMeetings(trx, tenantId, networkId);
      const last = existing.at(-1);
      const latestStart = existing.reduce<number | undefined>(
        (max, m) => (max === undefined || m.startsAt.getTime() > max ? m.startsAt.getTime() : max),
        undefined,
      );
      const schedule = scheduleMeetings(model.model, {
        count: input.count,
        timeZone: network.time_zone,
        ...(latestStart !== undefined ? { from: new Date(latestStart + 1) } : {}),
      });
      if (!schedule.ok) throw validationProblem(schedule.error.issues);
      const members = await activeMemberIds(trx, tenantId, networkId);
      const policy = rolesPolicyOf(network);
      const history = roleHistory(existing);
      let sequence = last?.sequence ?? 0;
      const created: StoredMeeting[] = [];
      for (const planned of schedule.value) {
        sequence++;
        const roles = assignRoles({
          policy,
          memberIds: members,
          unavailable: [],
          history,
          meetingSequence: sequence,
        });
        history.push(...turnsOf(sequence, roles));
        const row = await trx
          .insertInto('meetings')
          .values({
            tenant_id: tenantId,
            id: uuidv7(),
            network_id: networkId,
            sequence,
            model_version: model.version,
            starts_at: planned.startsAt,
            ends_at: planned.endsAt,
            venue: JSON.stringify(model.model.venue),
            status: 'planned',
            roles: JSON.stringify(roles),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (members.length > 0) {
          await trx
            .insertInto('attendance')
            .values(
              members.map((leaderId) => ({
                tenant_id: tenantId,
                meeting_id: row.id,
                leader_id: leaderId,
                status: 'expected' as const,
              })),
            )
            .execute();
        }
        created.push(rowToMeeting(row));
      }
      await recordEvents(
        trx,
        tenantId,
        created.map((m) => ({
          type: 'meeting.scheduled' as const,
          data: {
            networkId,
            meetingId: m.id,
            sequence: m.sequence,
            startsAt: m.startsAt.toISOString(),
            endsAt: m.endsAt.toISOString(),
          },
        })),
      );
      return { network, meetings: created };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw problem('conflict', 'Meetings were generated at the same time; try again');
    throw error;
  }
}

export async function listMeetingsPage(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  opts: { limit: number; cursor?: string | undefined; status?: MeetingStatus | undefined },
) {
  assertUuid(networkId, 'network id');
  // A former member lists the meetings that started before they left, none after. For a member,
  // the membership this reads is also the access check (none: 404, as networkForCaller); an admin
  // has no cutoff and no query here.
  const cutoff = await memberCutoff(db, principal, networkId);
  // The network and the page in one round trip (an admin's list is this one query).
  const found = await networkWithMeetings(db, principal.tenantId, networkId, {
    after: decodeCursor(opts.cursor),
    limit: opts.limit,
    status: opts.status,
    startsBefore: cutoff ?? undefined,
  });
  if (!found) throw problem('not_found', 'No network with this id');
  return { timeZone: found.timeZone, page: toPage(found.meetings, opts.limit) };
}

// -- one meeting --

/**
 * Moves a planned meeting (admin or facilitator): new start and/or end (the length is kept when
 * only the start moves) and/or venue. Cancellations keep their time; their late flag is
 * re-read against the new start (isLateCancellation), as the domain's rates would.
 */
export async function moveMeeting(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  input: { startsAt?: string; endsAt?: string; venue?: unknown },
  checkVersion: (currentVersion: number) => void,
) {
  const { meeting, network } = await meetingForCaller(db, principal, meetingId);
  requireFacilitator(network, principal);
  checkVersion(meeting.version);
  const next = transitionOrThrow(meeting, {
    type: 'move',
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    venue: input.venue,
  });
  const { startsAt, endsAt } = next;
  const notice = await noticeHoursOfNetwork(db, principal.tenantId, network.id);
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const row = await writeAtVersion(trx, principal.tenantId, meeting, now, {
      starts_at: startsAt,
      ends_at: endsAt,
      ...(input.venue !== undefined ? { venue: JSON.stringify(next.venue satisfies Venue) } : {}),
    });
    const cancelled = (await attendanceOf(trx, principal.tenantId, [meeting.id])).filter(
      (a) => a.status === 'cancelled' && a.cancelledAt !== null,
    );
    for (const a of cancelled) {
      const late = isLateCancellation(a.cancelledAt!, startsAt, notice);
      if (late !== a.late)
        await trx
          .updateTable('attendance')
          .set({ late })
          .where('tenant_id', '=', principal.tenantId)
          .where('meeting_id', '=', meeting.id)
          .where('leader_id', '=', a.leaderId)
          .execute();
    }
    const moved = rowToMeeting(row);
    if (
      moved.startsAt.getTime() !== meeting.startsAt.getTime() ||
      moved.endsAt.getTime() !== meeting.endsAt.getTime()
    )
      await recordEvent(trx, principal.tenantId, {
        type: 'meeting.moved',
        data: {
          networkId: network.id,
          meetingId: meeting.id,
          previousStartsAt: meeting.startsAt.toISOString(),
          startsAt: moved.startsAt.toISOString(),
          endsAt: moved.endsAt.toISOString(),
        },
      });
    return { network, meeting: moved };
  });
}

/** Cancels a whole planned meeting (admin or facilitator). Its rows stay, for the history. */
export async function cancelMeeting(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  checkVersion: (currentVersion: number) => void = () => {},
) {
  const { meeting, network } = await meetingForCaller(db, principal, meetingId);
  requireFacilitator(network, principal);
  checkVersion(meeting.version);
  const now = new Date();
  const next = transitionOrThrow(meeting, { type: 'cancel' }, now);
  const row = await db.transaction().execute(async (trx) => {
    const cancelled = await writeAtVersion(trx, principal.tenantId, meeting, now, {
      status: next.status,
      cancelled_at: next.cancelledAt,
    });
    await recordEvent(trx, principal.tenantId, {
      type: 'meeting.cancelled',
      data: { networkId: network.id, meetingId: meeting.id },
    });
    return cancelled;
  });
  return { network, meeting: rowToMeeting(row) };
}

/**
 * An admin sets who holds the roles of one planned meeting. The body is the domain's roles policy
 * for this meeting (`{ kind: 'fixed', memberId }`, `{ kind: 'external', name }` for the
 * facilitator only, or `{ kind: 'rotating' }`; a missing role rotates), validated by
 * parseRolesPolicy against the active members and turned into assignments by assignRoles.
 */
export async function setMeetingRoles(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  input: unknown,
  checkVersion: (currentVersion: number) => void = () => {},
) {
  requireAdmin(principal);
  const { meeting, network } = await meetingForCaller(db, principal, meetingId);
  checkVersion(meeting.version);
  requirePlanned(meeting);
  const members = await activeMemberIds(db, principal.tenantId, network.id);
  const policy = parseRolesPolicy(input, members);
  if (!policy.ok) throw validationProblem(policy.error.issues);
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const roles = await assignMeetingRoles(trx, principal.tenantId, meeting, policy.value, members);
    const row = await writeAtVersion(trx, principal.tenantId, meeting, now, {
      roles: JSON.stringify(roles),
      roles_overridden_at: now,
    });
    return { network, meeting: rowToMeeting(row) };
  });
}

/**
 * Writes `changes` to a planned meeting as its next version, only while it is still planned and at
 * the version this request read (optimistic concurrency): otherwise another request changed it
 * first, and the caller gets a 412 to read it again.
 */
async function writeAtVersion(
  trx: Kysely<Database>,
  tenantId: string,
  meeting: { readonly id: string; readonly version: number },
  now: Date,
  changes: Updateable<MeetingTable>,
): Promise<MeetingRow> {
  const row = await trx
    .updateTable('meetings')
    .set({ ...changes, version: sql`version + 1`, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', meeting.id)
    .where('version', '=', meeting.version)
    .where('status', '=', 'planned')
    .returningAll()
    .executeTakeFirst();
  if (!row) throw problem('precondition_failed', 'The meeting was changed by another request; read it again');
  return row;
}
