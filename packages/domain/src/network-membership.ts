/**
 * Who is in a network at a given instant. A membership has a join date and, once the member has
 * left, a leave date (product rules: "members (join and leave dates)"). A leader who leaves and
 * rejoins has two memberships. Pure: the instant is always an argument.
 */
import type { LeaderId } from './leader.js';

/** One period of membership of one leader in one network. */
export interface NetworkMembership {
  readonly memberId: LeaderId;
  readonly joinedAt: Date;
  /** When the member left; null while they are still a member. */
  readonly leftAt: Date | null;
}

/**
 * True when the membership covers `now`: `joinedAt ≤ now < leftAt` (a member who leaves at an
 * instant is no longer a member at that instant; one who joins at it already is).
 */
export function isActiveMembership(membership: NetworkMembership, now: Date): boolean {
  const t = now.getTime();
  return (
    membership.joinedAt.getTime() <= t && (membership.leftAt === null || t < membership.leftAt.getTime())
  );
}

/**
 * The active membership of each member at `now`, one per member, sorted by member id so every
 * caller sees the same order. If a leader's memberships overlap (bad data), the latest join wins.
 */
export function activeMemberships(memberships: readonly NetworkMembership[], now: Date): NetworkMembership[] {
  const byMember = new Map<LeaderId, NetworkMembership>();
  for (const m of memberships) {
    if (!isActiveMembership(m, now)) continue;
    const seen = byMember.get(m.memberId);
    if (seen === undefined || seen.joinedAt.getTime() < m.joinedAt.getTime()) byMember.set(m.memberId, m);
  }
  return [...byMember.values()].sort((a, b) => compareIds(a.memberId, b.memberId));
}

/** The ids of the active members at `now`, sorted. */
export function activeMemberIds(memberships: readonly NetworkMembership[], now: Date): LeaderId[] {
  return activeMemberships(memberships, now).map((m) => m.memberId);
}

/**
 * The package's stable order for member ids: plain code-unit order (not locale-dependent), so a
 * tie is broken the same way in every runtime.
 */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
