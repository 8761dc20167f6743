/**
 * What every meeting use case shares: reading a meeting the caller may see, the domain's meeting
 * transition with its refusals as problems, the dissolved-network guard, the network's roles
 * policy and cancellation notice, and re-assigning a meeting's roles by the domain's rotation.
 */
import {
  assignRoles,
  DEFAULT_CANCELLATION_NOTICE_HOURS,
  DEFAULT_ROLES_POLICY,
  type MeetingEvent,
  type MeetingRefusal,
  type MeetingState,
  meetingTransition,
  type RoleAssignment,
  type RolesPolicy,
  roleHistory,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { problem, validationProblem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import { requireNetworkOpen } from '../networks/lifecycle.service.js';
import { noticeHoursOf } from '../networks/network.repository.js';
import { beforeCutoff, memberCutoff, networkForCaller } from '../networks/network-access.js';
import { attendanceOf, findMeeting, networkMeetings, type StoredMeeting } from './meeting.repository.js';

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

export const refuseIfDissolved = (network: NetworkRow) => requireNetworkOpen(network.status);

/** The domain's refusal of a meeting event as the problem the API answers with. */
export function meetingRefused(refusal: MeetingRefusal) {
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
export function transitionOrThrow(
  meeting: MeetingState,
  event: MeetingEvent,
  now: Date = new Date(),
): MeetingState {
  const next = meetingTransition(meeting, event, now);
  if (!next.ok) throw meetingRefused(next.error);
  return next.value;
}

/** A change inside a planned meeting (an answer, its agenda, its roles): refused once it is held or cancelled. */
export const requirePlanned = (meeting: MeetingState) => void transitionOrThrow(meeting, { type: 'respond' });

export const rolesPolicyOf = (network: NetworkRow): RolesPolicy => {
  const stored =
    typeof network.roles_policy === 'string' ? JSON.parse(network.roles_policy) : network.roles_policy;
  return (stored as RolesPolicy | null) ?? DEFAULT_ROLES_POLICY;
};

/** The cancellation notice of the network's latest charter (the domain's default when there is none). */
export async function noticeHoursOfNetwork(
  db: Kysely<Database>,
  tenantId: string,
  networkId: string,
): Promise<number> {
  return (await noticeHoursOf(db, tenantId, [networkId])).get(networkId) ?? DEFAULT_CANCELLATION_NOTICE_HOURS;
}

/** The role assignments of one meeting by the domain's rotation, skipping members who cancelled. */
export async function assignMeetingRoles(
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
