/** The meeting resources as the caller sees them (REST and GraphQL): meetings, agenda items, attendance, the model. */
import type { MeetingModel } from '@sparring/domain';
import type { Principal } from '../auth/principal.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { canFacilitate } from '../networks/network-access.js';
import { localDateTime } from './local-time.js';
import type { StoredAgendaItem, StoredAttendance, StoredMeeting } from './meeting.repository.js';

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
