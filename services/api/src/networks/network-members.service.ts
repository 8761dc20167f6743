/**
 * The membership use cases: a leader joins or leaves a network (size and conflict rules from the
 * domain), a membership ends (also on a leader's deactivation), and a member sets their own consent
 * to share signals with the facilitator. network.service.ts re-exports everything here.
 */
import {
  charterStatus,
  checkNetwork,
  conflictBetween,
  activeMemberIds as domainActiveMemberIds,
  type NetworkSizeBounds,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { NetworkMemberRow, NetworkRow } from '../db/tables/network.table.js';
import { problem, validationProblem } from '../errors/problem.js';
import { recordEvent } from '../events/event.repository.js';
import { assertUuid } from '../http/ids.js';
import { findLeaders } from '../leaders/leader.repository.js';
import { requireNetworkOpen } from './lifecycle.service.js';
import { issue } from './network.input.js';
import {
  acceptancesOf,
  charterVersionsOf,
  clearFacilitator,
  findNetwork,
  lockNetwork,
  membersOf,
  rowToAcceptance,
  rowToCharterVersion,
  rowToMembership,
  setMemberLeftAt,
  setSignalConsent,
  shareLockLeader,
  touchNetwork,
  upsertMember,
} from './network.repository.js';
import { visibleMembers } from './network.resource.js';
import { networkForCaller } from './network-access.js';

type Db = Kysely<Database>;

/** Why a leader may not join, from the domain's rules (size and conflicts); never who excluded whom. */
function joinRefusal(
  network: NetworkRow,
  candidate: { id: string; managerId: string | null; exclusions: readonly string[] },
  members: readonly { id: string; managerId: string | null; exclusions: readonly string[] }[],
  memberships: ReturnType<typeof rowToMembership>[],
  now: Date,
) {
  const size: NetworkSizeBounds = { min: network.min_members, max: network.max_members };
  const violations = checkNetwork({
    size,
    memberships: [...memberships, { memberId: candidate.id, joinedAt: now, leftAt: null }],
    leaders: [...members, candidate],
    charterVersions: [],
    acceptances: [],
    now,
  });
  for (const v of violations) {
    if (
      (v.code === 'manager_report_pair' || v.code === 'exclusion_conflict') &&
      v.between.includes(candidate.id)
    ) {
      // The kind of conflict, as the domain names it; never the other member, never a direction.
      const kind = conflictBetween(candidate, members.find((m) => v.between.includes(m.id))!) ?? 'exclusion';
      return problem(
        'member_conflict',
        'This leader cannot join this network because of a conflict of interest',
        {
          reason: kind === 'manager_report' ? 'manager_report_pair' : 'exclusion_conflict',
          message: v.message,
        },
      );
    }
  }
  const tooMany = violations.find((v) => v.code === 'too_many_members');
  if (tooMany)
    return problem('network_full', tooMany.message.en, { max: size.max, message: tooMany.message });
  return null;
}

/** Adds a leader (or re-adds a former member): size and conflict rules from the domain. One transaction. */
export async function addMember(
  db: Db,
  principal: Principal,
  networkId: string,
  input: { leaderId: string; joinedAt?: string | undefined },
) {
  await networkForCaller(db, principal, networkId);
  assertUuid(input.leaderId, 'leader id');
  const requestedJoinedAt = input.joinedAt ? new Date(input.joinedAt) : undefined;
  if (requestedJoinedAt && Number.isNaN(requestedJoinedAt.getTime()))
    throw validationProblem([issue('joinedAt', 'invalid_format', 'A date-time', 'Et tidspunkt')]);
  return db.transaction().execute(async (trx) => {
    const network = await lockNetwork(trx, principal.tenantId, networkId);
    if (!network) throw problem('not_found', 'No network with this id');
    // The clock is read once the lock is held: a member who joined while this request waited has
    // joined before `now`, so the domain counts them as active (size and already-a-member checks).
    const now = new Date();
    const joinedAt = requestedJoinedAt ?? now;
    requireNetworkOpen(network.status);
    const rows = await membersOf(trx, principal.tenantId, [networkId]);
    const memberships = rows.map(rowToMembership);
    const active = domainActiveMemberIds(memberships, now);
    if (active.includes(input.leaderId))
      throw problem('already_a_member', 'The leader is already an active member');
    // The candidate's row under a share lock first: a deactivation holding it (FOR UPDATE) finishes
    // before this reads it, so a leader deactivated meanwhile is seen and refused below.
    await shareLockLeader(trx, principal.tenantId, input.leaderId);
    const leaders = await findLeaders(trx, principal.tenantId, [input.leaderId, ...active]);
    const candidate = leaders.find((l) => l.id === input.leaderId);
    if (!candidate) throw problem('not_found', 'No leader with this id');
    if (candidate.deactivatedAt !== null && candidate.deactivatedAt.getTime() <= now.getTime())
      throw problem('leader_deactivated', 'The leader is deactivated; reactivate them first');
    const others = leaders.filter((l) => l.id !== input.leaderId);
    const refusal = joinRefusal(
      network,
      candidate,
      others,
      memberships.filter((m) => m.memberId !== input.leaderId),
      now,
    );
    if (refusal) throw refusal;
    await upsertMember(trx, principal.tenantId, networkId, input.leaderId, joinedAt);
    await touchNetwork(trx, principal.tenantId, networkId, now);
    await recordEvent(trx, principal.tenantId, {
      type: 'network.member_joined',
      data: { networkId, leaderId: input.leaderId },
    });
    const after = await findNetwork(trx, principal.tenantId, networkId);
    return { row: after!, members: await visibleMembers(trx, principal, [networkId]) };
  });
}

/** A member leaves (left_at set; their charter acceptance is then no longer needed). */
export async function removeMember(
  db: Db,
  principal: Principal,
  networkId: string,
  leaderId: string,
  leftAtInput?: string,
) {
  await networkForCaller(db, principal, networkId);
  assertUuid(leaderId, 'leader id');
  const requestedLeftAt = leftAtInput ? new Date(leftAtInput) : undefined;
  if (requestedLeftAt && Number.isNaN(requestedLeftAt.getTime()))
    throw validationProblem([issue('leftAt', 'invalid_format', 'A date-time', 'Et tidspunkt')]);
  return db.transaction().execute(async (trx) => {
    const network = await lockNetwork(trx, principal.tenantId, networkId);
    if (!network) throw problem('not_found', 'No network with this id');
    // The clock is read once the lock is held (see addMember).
    const now = new Date();
    const leftAt = requestedLeftAt ?? now;
    const rows = await membersOf(trx, principal.tenantId, [networkId]);
    const row = rows.find((r) => r.leader_id === leaderId && r.left_at === null);
    if (!row) throw problem('not_found', 'No active member with this id in the network');
    if (leftAt.getTime() < row.joined_at.getTime())
      throw validationProblem([
        issue('leftAt', 'too_small', 'Before the member joined', 'Før medlemmet kom ind'),
      ]);
    await endMembership(trx, principal.tenantId, network, rows, leaderId, leftAt, now);
    const after = await findNetwork(trx, principal.tenantId, networkId);
    return { row: after!, members: await visibleMembers(trx, principal, [networkId]) };
  });
}

/**
 * Ends one active membership, inside the caller's transaction with the network row locked
 * (`lockNetwork`): left_at set (a future `leftAt` ends it then: the domain counts the member active
 * until that moment), a member facilitator cleared (the admin names a new one), the network
 * touched, `network.member_left` recorded, and `charter.accepted_by_all` when the charter comes
 * into force because the last member it waited for left. `membersBefore`: the network's
 * memberships read under the lock. Shared by `removeMember` and a leader's deactivation
 * (leaders/leader-lifecycle.service.ts); the caller checks the membership is open and
 * `leftAt` is not before it began.
 */
export async function endMembership(
  trx: Db,
  tenantId: string,
  network: NetworkRow,
  membersBefore: readonly NetworkMemberRow[],
  leaderId: string,
  leftAt: Date,
  now: Date,
) {
  await setMemberLeftAt(trx, tenantId, network.id, leaderId, leftAt);
  if (network.facilitator?.kind === 'member' && network.facilitator.leaderId === leaderId)
    await clearFacilitator(trx, tenantId, network.id);
  await touchNetwork(trx, tenantId, network.id, now);
  await recordEvent(trx, tenantId, {
    type: 'network.member_left',
    data: { networkId: network.id, leaderId },
  });
  await announceCharterInForce(trx, tenantId, network.id, membersBefore, now);
}

/**
 * Records charter.accepted_by_all when the charter is in force now (the domain's charterStatus)
 * but was not with the memberships before this change (`membersBefore`).
 */
async function announceCharterInForce(
  trx: Db,
  tenantId: string,
  networkId: string,
  membersBefore: readonly NetworkMemberRow[],
  now: Date,
) {
  const [versionRows, acceptanceRows, membersAfter] = await Promise.all([
    charterVersionsOf(trx, tenantId, [networkId]),
    acceptancesOf(trx, tenantId, [networkId]),
    membersOf(trx, tenantId, [networkId]),
  ]);
  const facts = {
    versions: versionRows.map(rowToCharterVersion),
    acceptances: acceptanceRows.map(rowToAcceptance),
  };
  const before = charterStatus({ ...facts, memberships: membersBefore.map(rowToMembership), now });
  const after = charterStatus({ ...facts, memberships: membersAfter.map(rowToMembership), now });
  if (!before.inForce && after.inForce && after.version !== null)
    await recordEvent(trx, tenantId, {
      type: 'charter.accepted_by_all',
      data: { networkId, version: after.version },
    });
}

/**
 * A member's own consent to share member-specific signals with the facilitator. Only an active
 * member sets it (403 not_an_active_member for a former one).
 */
export async function setOwnSignalConsent(db: Db, principal: Principal, networkId: string, consent: boolean) {
  if (principal.kind !== 'member')
    throw problem('forbidden', 'This is done by the member themselves, with a member token');
  await networkForCaller(db, principal, networkId);
  const rows = await membersOf(db, principal.tenantId, [networkId]);
  const active = domainActiveMemberIds(rows.map(rowToMembership), new Date());
  if (!active.includes(principal.leaderId))
    throw problem('not_an_active_member', 'Only active members may set their consent');
  // The network's version (its ETag) is NOT bumped: consent is private (the admin never reads it),
  // and a version that moved with nothing visible changed would tell the admin that someone consented.
  await setSignalConsent(db, principal.tenantId, networkId, principal.leaderId, consent);
  // The value just written, echoed to whoever wrote it (a token acts; it does not read).
  return { leaderId: principal.leaderId, shareSignalsWithFacilitator: consent };
}
