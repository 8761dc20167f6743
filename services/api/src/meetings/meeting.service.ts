/**
 * The meeting use cases, shared by REST and GraphQL: the meeting model and its versions, the
 * generated schedule with role holders, moves and cancellations, role overrides, agenda items,
 * whose case is next, attendance (confirm / afbud) and marking a meeting held. Every rule is the
 * domain's (meetingTransition for move, cancel, answer and held; attendanceResponse, roleHistory,
 * afbudReassignsRoles; scheduleMeetings, assignRoles, parseAgenda, proposeNextCases,
 * isLateCancellation, transition via advanceLifecycle); this file authorises, calls it and stores.
 */
import {
  AGENDA_LIMITS,
  adoptMeetingModelVersion,
  afbudReassignsRoles,
  assignRoles,
  attendanceResponse,
  DEFAULT_CANCELLATION_NOTICE_HOURS,
  DEFAULT_ROLES_POLICY,
  evaluationDeadline,
  heldAttendance,
  isLateCancellation,
  type MeetingEvent,
  type MeetingModel,
  type MeetingRefusal,
  type MeetingState,
  meetingTransition,
  parseAgenda,
  parseMeetingModel,
  parseRolesPolicy,
  presentedCases,
  proposeNextCases,
  type RoleAssignment,
  type RolesPolicy,
  recordAfbud,
  roleHistory,
  scheduleMeetings,
  turnsOf,
  type Venue,
} from '@sparring/domain';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { recordEvent, recordEvents } from '../events/event.repository.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { advanceLifecycle, requireNetworkOpen } from '../networks/lifecycle.service.js';
import { noticeHoursOf } from '../networks/network.repository.js';
import type { NetworkRow } from '../networks/network.table.js';
import {
  activeMemberIds,
  beforeCutoff,
  canFacilitate,
  memberCutoff,
  networkForCaller,
  requireActiveMember,
  requireFacilitator,
} from '../networks/network-access.js';
import { type Principal, requireAdmin } from '../plugins/auth.plugin.js';
import { openReviewIfDue } from '../reviews/review.service.js';
import { localDateTime } from './local-time.js';
import {
  agendaOf,
  attendanceOf,
  findAgendaItem,
  findMeeting,
  insertModelVersion,
  latestModelVersion,
  listMeetings,
  lockMeeting,
  networkMeetings,
  rowToAgendaItem,
  rowToAttendance,
  rowToMeeting,
  type StoredAgendaItem,
  type StoredAttendance,
  type StoredMeeting,
  toDomainAttendance,
} from './meeting.repository.js';
import type { MeetingStatus } from './meeting.table.js';

// -- shapes for the caller --

export { localDateTime };

export function toMeetingResource(meeting: StoredMeeting, timeZone: string) {
  return {
    id: meeting.id,
    networkId: meeting.networkId,
    sequence: meeting.sequence,
    modelVersion: meeting.modelVersion,
    status: meeting.status,
    startsAt: meeting.startsAt.toISOString(),
    endsAt: meeting.endsAt.toISOString(),
    timeZone,
    localStartsAt: localDateTime(meeting.startsAt, timeZone),
    localEndsAt: localDateTime(meeting.endsAt, timeZone),
    venue: meeting.venue,
    roles: meeting.roles.map((r) => ({
      role: r.role,
      holder: r.holder,
      basis: r.basis,
      turnsBefore: r.turnsBefore,
      lastTurn: r.lastTurn,
      explanation: r.explanation,
    })),
    rolesOverriddenAt: meeting.rolesOverriddenAt?.toISOString() ?? null,
    heldAt: meeting.heldAt?.toISOString() ?? null,
    cancelledAt: meeting.cancelledAt?.toISOString() ?? null,
    version: meeting.version,
    createdAt: meeting.createdAt.toISOString(),
    updatedAt: meeting.updatedAt.toISOString(),
  };
}
export type MeetingResource = ReturnType<typeof toMeetingResource>;

export const toAgendaItemResource = (item: StoredAgendaItem) => ({
  id: item.id,
  meetingId: item.meetingId,
  ownerId: item.ownerId,
  title: item.title,
  kind: item.kind,
  position: item.position,
  createdAt: item.createdAt.toISOString(),
});

/**
 * One attendance row as the caller may see it. Attendance is not secret inside a network: every
 * member sees who comes (status). When a member cancelled and whether it was late is shown to
 * the admin, the facilitator and the member themselves; to other members it is null.
 */
export function toAttendanceResource(a: StoredAttendance, principal: Principal, network: NetworkRow) {
  const full =
    canFacilitate(network, principal) || (principal.kind === 'member' && principal.leaderId === a.leaderId);
  return {
    meetingId: a.meetingId,
    leaderId: a.leaderId,
    status: a.status,
    cancelledAt: full ? (a.cancelledAt?.toISOString() ?? null) : null,
    late: full ? (a.status === 'cancelled' ? a.late : null) : null,
    updatedAt: a.updatedAt.toISOString(),
  };
}

export const toModelResource = (
  networkId: string,
  v: { version: number; model: MeetingModel; adoptedAt: Date },
) => ({
  networkId,
  version: v.version,
  model: v.model,
  adoptedAt: v.adoptedAt.toISOString(),
});

// -- access --

/**
 * The meeting and its network, if the caller may see the network and the meeting; 404 otherwise.
 * A former member sees only meetings that started before they left (`memberCutoff`): one that
 * starts later is not found, for reading and for acting alike.
 */
export async function meetingForCaller(db: Kysely<Database>, principal: Principal, meetingId: string) {
  assertUuid(meetingId, 'meeting id');
  const meeting = await findMeeting(db, principal.tenantId, meetingId);
  if (!meeting) throw problem('not_found', 'No meeting with this id');
  const notFound = () => {
    throw problem('not_found', 'No meeting with this id');
  };
  const network = await networkForCaller(db, principal, meeting.networkId).catch(notFound);
  const cutoff = await memberCutoff(db, principal, network.id);
  if (!beforeCutoff(cutoff, meeting.startsAt)) notFound();
  return { meeting, network };
}

const refuseIfDissolved = (network: NetworkRow) => requireNetworkOpen(network.status);

/** The domain's refusal of a meeting event as the problem the API answers with. */
function meetingRefused(refusal: MeetingRefusal) {
  switch (refusal.code) {
    case 'meeting_not_planned':
      return problem('meeting_not_planned', refusal.message.en, { meetingStatus: refusal.meetingStatus });
    case 'meeting_not_started':
      return problem('meeting_not_started', refusal.message.en);
    case 'validation_failed':
      return validationProblem(refusal.issues);
  }
}

/** The meeting's next state by the domain's meetingTransition; a refusal is thrown as its problem. */
function transitionOrThrow(meeting: MeetingState, event: MeetingEvent, now: Date = new Date()): MeetingState {
  const next = meetingTransition(meeting, event, now);
  if (!next.ok) throw meetingRefused(next.error);
  return next.value;
}

/** A change inside a planned meeting (an answer, its agenda, its roles): refused once it is held or cancelled. */
const requirePlanned = (meeting: MeetingState) => void transitionOrThrow(meeting, { type: 'respond' });

const rolesPolicyOf = (network: NetworkRow): RolesPolicy => {
  const stored =
    typeof network.roles_policy === 'string' ? JSON.parse(network.roles_policy) : network.roles_policy;
  return (stored as RolesPolicy | null) ?? DEFAULT_ROLES_POLICY;
};

/** The cancellation notice of the network's latest charter (the domain's default when there is none). */
async function noticeHoursOfNetwork(
  db: Kysely<Database>,
  tenantId: string,
  networkId: string,
): Promise<number> {
  return (await noticeHoursOf(db, tenantId, [networkId])).get(networkId) ?? DEFAULT_CANCELLATION_NOTICE_HOURS;
}

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
      await trx
        .selectFrom('networks')
        .select('id')
        .where('tenant_id', '=', principal.tenantId)
        .where('id', '=', networkId)
        .forUpdate()
        .execute();
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
      await trx
        .selectFrom('networks')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', '=', networkId)
        .forUpdate()
        .execute();
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
  const network = await networkForCaller(db, principal, networkId);
  // A former member lists the meetings that started before they left, none after.
  const cutoff = await memberCutoff(db, principal, network.id);
  const rows = await listMeetings(db, principal.tenantId, network.id, {
    after: decodeCursor(opts.cursor),
    limit: opts.limit,
    status: opts.status,
    startsBefore: cutoff ?? undefined,
  });
  return { network, page: toPage(rows, opts.limit) };
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
    const row = await trx
      .updateTable('meetings')
      .set({
        starts_at: startsAt,
        ends_at: endsAt,
        ...(input.venue !== undefined ? { venue: JSON.stringify(next.venue satisfies Venue) } : {}),
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('tenant_id', '=', principal.tenantId)
      .where('id', '=', meeting.id)
      .where('version', '=', meeting.version)
      .where('status', '=', 'planned')
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw problem('precondition_failed', 'The meeting was changed by another request; read it again');
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
    const cancelled = await trx
      .updateTable('meetings')
      .set({
        status: next.status,
        cancelled_at: next.cancelledAt,
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('tenant_id', '=', principal.tenantId)
      .where('id', '=', meeting.id)
      .where('version', '=', meeting.version)
      .where('status', '=', 'planned')
      .returningAll()
      .executeTakeFirst();
    if (!cancelled)
      throw problem('precondition_failed', 'The meeting was changed by another request; read it again');
    await recordEvent(trx, principal.tenantId, {
      type: 'meeting.cancelled',
      data: { networkId: network.id, meetingId: meeting.id },
    });
    return cancelled;
  });
  return { network, meeting: rowToMeeting(row) };
}

/** The role assignments of one meeting by the domain's rotation, skipping members who cancelled. */
async function assignMeetingRoles(
  trx: Kysely<Database>,
  tenantId: string,
  meeting: StoredMeeting,
  policy: RolesPolicy,
  members: readonly string[],
): Promise<RoleAssignment[]> {
  const others = (await networkMeetings(trx, tenantId, meeting.networkId)).filter((m) => m.id !== meeting.id);
  const unavailable = (await attendanceOf(trx, tenantId, [meeting.id]))
    .filter((a) => a.status === 'cancelled')
    .map((a) => a.leaderId);
  return assignRoles({
    policy,
    memberIds: members,
    unavailable,
    history: roleHistory(others),
    meetingSequence: meeting.sequence,
  });
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
    const row = await trx
      .updateTable('meetings')
      .set({
        roles: JSON.stringify(roles),
        roles_overridden_at: now,
        version: sql`version + 1`,
        updated_at: now,
      })
      .where('tenant_id', '=', principal.tenantId)
      .where('id', '=', meeting.id)
      .where('version', '=', meeting.version)
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw problem('precondition_failed', 'The meeting was changed by another request; read it again');
    return { network, meeting: rowToMeeting(row) };
  });
}

// -- whose case is next --

/**
 * The domain's proposal of whose cases the next planned meeting should take: airtime counted
 * from the dilemma items of held meetings; members who cancelled for that meeting are skipped.
 */
export async function nextCases(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  count: number | undefined,
) {
  const network = await networkForCaller(db, principal, networkId);
  // Whose case is next is about meetings to come: not for a former member (they read the past only).
  if ((await memberCutoff(db, principal, network.id)) !== null)
    throw problem(
      'not_an_active_member',
      'A former member reads what happened while they were a member, no more',
    );
  const meetings = await networkMeetings(db, principal.tenantId, network.id);
  const held = meetings.filter((m) => m.status === 'held');
  const next = meetings.find((m) => m.status === 'planned') ?? null;
  const agenda = await agendaOf(
    db,
    principal.tenantId,
    held.map((m) => m.id),
  );
  const cases = presentedCases(
    held.map((m) => ({ meetingSequence: m.sequence, agenda: agenda.filter((a) => a.meetingId === m.id) })),
  );
  const unavailable = next
    ? (await attendanceOf(db, principal.tenantId, [next.id]))
        .filter((a) => a.status === 'cancelled')
        .map((a) => a.leaderId)
    : [];
  const members = await activeMemberIds(db, principal.tenantId, network.id);
  const proposals = proposeNextCases({
    memberIds: members,
    unavailable,
    cases,
    ...(count !== undefined ? { count } : {}),
  });
  return {
    networkId: network.id,
    meetingId: next?.id ?? null,
    meetingSequence: next?.sequence ?? null,
    proposals: proposals.map((p) => ({
      memberId: p.memberId,
      ownCases: p.ownCases,
      lastCase: p.lastCase,
      reason: p.reason,
    })),
  };
}

// -- agenda --

export async function listAgenda(db: Kysely<Database>, principal: Principal, meetingId: string) {
  const { meeting } = await meetingForCaller(db, principal, meetingId);
  return agendaOf(db, principal.tenantId, [meeting.id]);
}

/**
 * Adds an item to a planned meeting's agenda. A member adds their own item (ownerId defaults to
 * them; another owner is 403); the admin or facilitator adds one for any active member. The
 * domain's parseAgenda checks the item (owner an active member, title, kind) and the limits.
 */
export async function addAgendaItem(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  input: { ownerId?: string; title: string; kind: string },
) {
  const { meeting, network } = await meetingForCaller(db, principal, meetingId);
  const facilitates = canFacilitate(network, principal);
  const ownerId = input.ownerId ?? (principal.kind === 'member' ? principal.leaderId : undefined);
  if (!facilitates) {
    await requireActiveMember(db, principal, network.id);
    if (principal.kind === 'member' && ownerId !== principal.leaderId)
      throw problem(
        'forbidden',
        'A member adds items of their own; the admin or facilitator adds them for others',
      );
  }
  requirePlanned(meeting);
  const members = await activeMemberIds(db, principal.tenantId, network.id);
  const item = { ownerId, title: input.title, kind: input.kind };
  const one = parseAgenda([item], members);
  if (!one.ok)
    throw validationProblem(one.error.issues.map((i) => ({ ...i, path: i.path.replace(/^\[\d+\]\.?/, '') })));
  return db.transaction().execute(async (trx) => {
    await lockMeeting(trx, principal.tenantId, meeting.id);
    const existing = await agendaOf(trx, principal.tenantId, [meeting.id]);
    const all = parseAgenda([
      ...existing.map((a) => ({ ownerId: a.ownerId, title: a.title, kind: a.kind })),
      ...one.value,
    ]);
    if (!all.ok) throw validationProblem(all.error.issues.map((i) => ({ ...i, path: i.path || 'agenda' })));
    const row = await trx
      .insertInto('agenda_items')
      .values({
        tenant_id: principal.tenantId,
        id: uuidv7(),
        meeting_id: meeting.id,
        owner_id: one.value[0]!.ownerId,
        title: one.value[0]!.title,
        kind: one.value[0]!.kind,
        position: existing.reduce((max, a) => Math.max(max, a.position), 0) + 1,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToAgendaItem(row);
  });
}

/** Removes an agenda item of a planned meeting: its owner, the admin or the facilitator. */
export async function deleteAgendaItem(db: Kysely<Database>, principal: Principal, itemId: string) {
  assertUuid(itemId, 'agenda item id');
  const item = await findAgendaItem(db, principal.tenantId, itemId);
  if (!item) throw problem('not_found', 'No agenda item with this id');
  const { meeting, network } = await meetingForCaller(db, principal, item.meetingId).catch(() => {
    throw problem('not_found', 'No agenda item with this id');
  });
  const owner = principal.kind === 'member' && principal.leaderId === item.ownerId;
  if (!owner && !canFacilitate(network, principal))
    throw problem('forbidden', 'Only the owner, the admin or the facilitator may remove an item');
  requirePlanned(meeting);
  await db
    .deleteFrom('agenda_items')
    .where('tenant_id', '=', principal.tenantId)
    .where('id', '=', item.id)
    .execute();
}

/** Agenda limits, for the schema's description. */
export const AGENDA_ITEMS_MAX = AGENDA_LIMITS.itemsMax;

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
 * Marks a started, planned meeting held (admin or facilitator) in ONE transaction: the meeting
 * (status held, held_at), each listed member's attendance (attended / no_show; members not
 * listed keep their status) and the lifecycle event `meeting_held` (advanceLifecycle: the domain
 * counts the trial and makes the review due; the review row is then opened, openReviewIfDue).
 * Any refusal writes nothing.
 */
export async function markMeetingHeld(
  db: Kysely<Database>,
  principal: Principal,
  meetingId: string,
  input: { attendance: readonly { leaderId: string; status: 'attended' | 'no_show' }[] },
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
    await openReviewIfDue(trx, tenantId, network, lifecycleBefore, after, now);
    const attendance = await attendanceOf(trx, tenantId, [meeting.id]);
    return { network, meeting: rowToMeeting(row), attendance, lifecycleStatus: after.status };
  });
}
