/**
 * The network resource as callers read it, on REST and GraphQL alike: the member view, the
 * lifecycle summary, the settings and the facilitator, and which memberships a caller may see.
 * network.service.ts re-exports everything here.
 */

import type { Facilitator } from '@sparring/domain';
import { isActiveMembership, type LifecycleState } from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { NetworkMemberRow, NetworkRow } from '../db/tables/network.table.js';
import { findLeaderNames } from '../leaders/leader.repository.js';
import { reviveLifecycle } from './lifecycle-state.js';
import { membersOf, rowToMembership } from './network.repository.js';
import { beforeCutoff, memberCutoffs } from './network-access.js';

type Db = Kysely<Database>;

/**
 * A member's role in the network as everyone who may see it reads it: `facilitator` for the member
 * who facilitates, `former_member` once they have left, `member` otherwise.
 */
export const MEMBER_ROLES = ['member', 'facilitator', 'former_member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** One membership with what fellow members may know of the leader: name and organisation. */
export interface MemberEntry {
  readonly row: NetworkMemberRow;
  readonly name: string;
  readonly organisation: string;
}

/**
 * The member view: what anyone who may see a network reads of one of its members, on REST and
 * GraphQL alike, admins included: `{ leaderId, name, organisation, role, joinedAt, leftAt, active }`.
 * Nothing else of the profile (email, manager, motivations, …): a member reaches no one beyond the
 * people in the room. The member's consent (`shareSignalsWithFacilitator`) is private: it appears
 * on the member's OWN row only, and only in their own session (never to the admin, never through an
 * admin-minted token). `facilitatorId`: the member who facilitates, if any.
 */
export function toMemberView(
  entry: MemberEntry,
  facilitatorId: string | null,
  principal: Principal,
  now: Date,
) {
  const { row } = entry;
  const membership = rowToMembership(row);
  const active = isActiveMembership(membership, now);
  const former = !active && membership.leftAt !== null && membership.leftAt.getTime() <= now.getTime();
  const role: MemberRole = former
    ? 'former_member'
    : facilitatorId === row.leader_id
      ? 'facilitator'
      : 'member';
  const ownSession =
    principal.kind === 'member' && principal.via === 'session' && principal.leaderId === row.leader_id;
  return {
    leaderId: row.leader_id,
    name: entry.name,
    organisation: entry.organisation,
    role,
    joinedAt: row.joined_at.toISOString(),
    leftAt: row.left_at ? row.left_at.toISOString() : null,
    active,
    ...(ownSession ? { shareSignalsWithFacilitator: row.signal_consent } : {}),
  };
}
export type MemberView = ReturnType<typeof toMemberView>;

/** The member who facilitates, if the facilitator is a member. */
export const facilitatorIdOf = (f: Facilitator | null): string | null =>
  f?.kind === 'member' ? f.leaderId : null;

/** Every membership of these networks with names (two queries, whatever the number of networks). */
async function membersWithNames(db: Db, tenantId: string, networkIds: readonly string[]) {
  const rows = await membersOf(db, tenantId, networkIds);
  const names = await findLeaderNames(db, tenantId, [...new Set(rows.map((r) => r.leader_id))]);
  // Every membership's leader exists: a leader who is or was a member cannot be deleted.
  return rows.map((row): MemberEntry => ({ row, ...names.get(row.leader_id)! }));
}

/**
 * The memberships of these networks the caller may see, with names: all of them for an admin and
 * an active member; for a former member, those who joined before they left (`memberCutoffs`).
 * A network the caller does not belong to contributes none (it is hidden from them anyway).
 */
export async function visibleMembers(
  db: Db,
  principal: Principal,
  networkIds: readonly string[],
): Promise<MemberEntry[]> {
  const [entries, cutoffs] = await Promise.all([
    membersWithNames(db, principal.tenantId, networkIds),
    memberCutoffs(db, principal, networkIds),
  ]);
  return entries.filter(
    (e) => cutoffs.has(e.row.network_id) && beforeCutoff(cutoffs.get(e.row.network_id)!, e.row.joined_at),
  );
}

/** The lifecycle summary: status, since, the phase's progress and the history. */
export function toLifecycleSummary(state: LifecycleState) {
  const phase: Record<string, unknown> = {};
  switch (state.status) {
    case 'trial':
      Object.assign(phase, {
        heldInTrial: state.heldInTrial,
        trialLength: state.trialLength,
        round: state.round,
      });
      break;
    case 'review_due':
      Object.assign(phase, {
        reviewKind: state.kind,
        reviewEvery: state.reviewEvery,
        heldWhileDue: state.heldWhileDue,
      });
      break;
    case 'active':
      Object.assign(phase, { reviewEvery: state.reviewEvery, heldSinceReview: state.heldSinceReview });
      break;
    case 'paused':
      Object.assign(phase, { resumeTo: state.resumeTo.status });
      break;
    default:
      break;
  }
  return {
    status: state.status,
    since: state.since.toISOString(),
    ...phase,
    history: state.history.map((h) => ({
      at: h.at.toISOString(),
      event: h.event,
      from: h.from,
      to: h.to,
      ...(h.decision ? { decision: h.decision } : {}),
      ...(h.changes ? { changes: [...h.changes] } : {}),
    })),
  };
}

export function toSettings(row: NetworkRow) {
  return {
    size: { min: row.min_members, max: row.max_members },
    trialLength: row.trial_length,
    reviewEvery: row.review_every,
    timeZone: row.time_zone,
    rolesPolicy: row.roles_policy,
    minResponses: row.min_responses,
    evaluationWindowDays: row.evaluation_window_days,
  };
}

export function toFacilitatorResource(f: Facilitator | null) {
  if (f === null) return null;
  return f.kind === 'member'
    ? { kind: f.kind, leaderId: f.leaderId }
    : { kind: f.kind, name: f.name, email: f.email };
}

/** The network as the caller may see it, with its members (`visibleMembers`; this network's only). */
export function toNetworkResource(
  row: NetworkRow,
  members: readonly MemberEntry[],
  principal: Principal,
  now = new Date(),
) {
  const facilitatorId = facilitatorIdOf(row.facilitator);
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    settings: toSettings(row),
    facilitator: toFacilitatorResource(row.facilitator),
    members: members
      .filter((m) => m.row.network_id === row.id)
      .map((m) => toMemberView(m, facilitatorId, principal, now)),
    lifecycle: toLifecycleSummary(reviveLifecycle(row.lifecycle)),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
export type NetworkResource = ReturnType<typeof toNetworkResource>;
