/**
 * A meeting's agenda and whose case is next: the domain's parseAgenda (items, limits) and
 * proposeNextCases (airtime over held meetings). Items are added to planned meetings only.
 */
import { AGENDA_LIMITS, parseAgenda, presentedCases, proposeNextCases } from '@sparring/domain';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import {
  activeMemberIds,
  canFacilitate,
  memberCutoff,
  networkForCaller,
  requireActiveMember,
} from '../networks/network-access.js';
import { meetingForCaller, requirePlanned } from './meeting.access.js';
import {
  agendaOf,
  attendanceOf,
  findAgendaItem,
  lockMeeting,
  networkMeetings,
  rowToAgendaItem,
} from './meeting.repository.js';

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
