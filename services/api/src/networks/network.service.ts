/**
 * The network use cases, shared by REST and GraphQL: validate with the domain, authorise, persist,
 * and shape the resource for the caller. Every rule (size bounds, conflicts, roles policy, k, the
 * lifecycle) is the domain's; this file only gathers the stored facts it needs.
 */
import {
  charterStatus,
  checkNetwork,
  conflictBetween,
  DEFAULT_EVALUATION_WINDOW_DAYS,
  DEFAULT_MIN_RESPONSES,
  DEFAULT_NETWORK_SIZE,
  DEFAULT_REVIEW_EVERY,
  DEFAULT_ROLES_POLICY,
  DEFAULT_TIME_ZONE,
  DEFAULT_TRIAL_LENGTH,
  activeMemberIds as domainActiveMemberIds,
  formingNetwork,
  isActiveMembership,
  isCharterInForce,
  isStorableText,
  type LifecycleEvent,
  type LifecycleState,
  minimumResponses,
  type NetworkSettingsInput,
  type NetworkSizeBounds,
  type NetworkViolation,
  parseNetworkSettings,
  unstorableTextIssue,
  type ValidationIssue,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { type Principal, requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { inTransaction, recordEvent } from '../events/event.repository.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { findLeaderNames, findLeaders } from '../leaders/leader.repository.js';
import { advanceLifecycle, requireNetworkOpen } from './lifecycle.service.js';
import { reviveLifecycle, serializeLifecycle } from './lifecycle-state.js';
import {
  acceptancesOf,
  charterVersionsOf,
  findNetwork,
  findNetworks,
  findNetworkWithMembers,
  hasMeetingModel,
  insertNetwork,
  listNetworks,
  lockNetwork,
  membersOf,
  type NetworkSettingsColumns,
  rowToAcceptance,
  rowToCharterVersion,
  rowToMembership,
  setMemberLeftAt,
  setSignalConsent,
  touchNetwork,
  updateNetworkRow,
  upsertMember,
} from './network.repository.js';
import type { Facilitator, NetworkMemberRow, NetworkRow } from './network.table.js';
import {
  beforeCutoff,
  cutoffOf,
  memberCutoffs,
  networkForCaller,
  requireFacilitator,
} from './network-access.js';

type Db = Kysely<Database>;

/** The domain's issue for a review interval outside its limits (settings and review decisions). */
export { reviewEveryIssue } from '@sparring/domain';

const issue = (path: string, code: ValidationIssue['code'], en: string, da: string): ValidationIssue => ({
  path,
  code,
  message: { da, en },
});

// ---------------------------------------------------------------------------------------------
// Resource shape

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

// ---------------------------------------------------------------------------------------------
// Settings

type SettingsInput = NetworkSettingsInput;

/**
 * The domain's `parseNetworkSettings` on the settings present in `input`, as the columns they are
 * stored in; a 400 problem with every issue otherwise. This only gathers the stored facts the rules
 * need: whether a member facilitator's leader exists. `memberIds`: the active members (PATCH);
 * undefined at creation, when there are no members yet.
 */
async function parseSettings(
  db: Db,
  tenantId: string,
  input: SettingsInput,
  memberIds: readonly string[] | undefined,
): Promise<Partial<NetworkSettingsColumns>> {
  const f = input.facilitator as { kind?: unknown; leaderId?: unknown } | null | undefined;
  const named = f?.kind === 'member' && typeof f.leaderId === 'string' ? f.leaderId : null;
  if (named !== null) assertUuid(named, 'facilitator leader id');
  const found = named === null ? [] : await findLeaders(db, tenantId, [named]);
  const parsed = parseNetworkSettings(input, {
    ...(memberIds === undefined ? {} : { memberIds }),
    leaderExists: (id) => found.some((l) => l.id === id),
  });
  if (!parsed.ok) throw validationProblem(parsed.error.issues);
  const v = parsed.value;
  const out: Partial<NetworkSettingsColumns> = {};
  if (v.size !== undefined) {
    out.min_members = v.size.min;
    out.max_members = v.size.max;
  }
  if (v.trialLength !== undefined) out.trial_length = v.trialLength;
  if (v.reviewEvery !== undefined) out.review_every = v.reviewEvery;
  if (v.timeZone !== undefined) out.time_zone = v.timeZone;
  if (v.rolesPolicy !== undefined) out.roles_policy = JSON.stringify(v.rolesPolicy);
  if (v.minResponses !== undefined) out.min_responses = v.minResponses;
  if (v.evaluationWindowDays !== undefined) out.evaluation_window_days = v.evaluationWindowDays;
  if (v.facilitator !== undefined)
    out.facilitator = v.facilitator === null ? null : JSON.stringify(v.facilitator);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Use cases

export interface CreateNetworkInput extends SettingsInput {
  name: string;
}

/** A network's name as stored: trimmed, not empty, storable text; a 400 problem otherwise. */
function networkName(raw: string): string {
  const name = raw.trim();
  if (name === '')
    throw validationProblem([issue('name', 'required', 'A name is required', 'Et navn er påkrævet')]);
  if (!isStorableText(name)) throw validationProblem([unstorableTextIssue('name')]);
  return name;
}

/** Creates a network, forming since now (the domain's `formingNetwork`). */
export async function createNetwork(db: Db, principal: Principal, input: CreateNetworkInput) {
  const now = new Date();
  const name = networkName(input.name);
  const settings = await parseSettings(db, principal.tenantId, input, undefined);
  const lifecycle = formingNetwork(now);
  const values = {
    tenant_id: principal.tenantId,
    id: uuidv7(),
    name,
    status: lifecycle.status,
    lifecycle: serializeLifecycle(lifecycle),
    min_members: DEFAULT_NETWORK_SIZE.min,
    max_members: DEFAULT_NETWORK_SIZE.max,
    trial_length: DEFAULT_TRIAL_LENGTH,
    review_every: DEFAULT_REVIEW_EVERY,
    time_zone: DEFAULT_TIME_ZONE,
    roles_policy: JSON.stringify(DEFAULT_ROLES_POLICY),
    facilitator: null,
    min_responses: minimumResponses(DEFAULT_MIN_RESPONSES),
    evaluation_window_days: DEFAULT_EVALUATION_WINDOW_DAYS,
    ...settings,
    created_at: now,
    updated_at: now,
  };
  const row = await inTransaction(db, async (trx) => {
    const created = await insertNetwork(trx, values);
    await recordEvent(trx, principal.tenantId, {
      type: 'network.created',
      data: { networkId: created.id, name: created.name, status: created.status },
    });
    return created;
  });
  return { row, members: [] as MemberEntry[] };
}

/**
 * The network with the members the caller may see, if the caller may see it (404 otherwise). A
 * former member still sees the network, but no member who joined after they left. One query: the
 * rules of `networkForCaller` and `visibleMembers`, applied to the rows `findNetworkWithMembers` brings.
 */
export async function getNetwork(
  db: Db,
  principal: Principal,
  id: string,
): Promise<{ row: NetworkRow; members: MemberEntry[] }> {
  assertUuid(id, 'network id');
  const found = await findNetworkWithMembers(db, principal.tenantId, id);
  if (!found) throw problem('not_found', 'No network with this id');
  if (principal.kind === 'admin') return found;
  const own = found.members.find((m) => m.row.leader_id === principal.leaderId);
  if (!own) throw problem('not_found', 'No network with this id');
  const cutoff = cutoffOf(own.row, new Date());
  return { row: found.row, members: found.members.filter((m) => beforeCutoff(cutoff, m.row.joined_at)) };
}

/** A page of networks the caller may see, with their members (two queries). */
export async function listNetworksPage(
  db: Db,
  principal: Principal,
  opts: {
    limit: number;
    cursor?: string | undefined;
    status?: string | undefined;
    member?: string | undefined;
  },
) {
  if (opts.member !== undefined) assertUuid(opts.member, 'member id');
  const rows = await listNetworks(db, principal.tenantId, {
    after: decodeCursor(opts.cursor),
    limit: opts.limit,
    status: opts.status,
    member: opts.member,
    visibleTo: principal.kind === 'member' ? principal.leaderId : undefined,
  });
  const page = toPage(rows, opts.limit);
  return {
    ...page,
    members: await visibleMembers(
      db,
      principal,
      page.items.map((r) => r.id),
    ),
  };
}

export interface UpdateNetworkInput extends SettingsInput {
  name?: string;
}

/**
 * Updates name and settings. `checkVersion` sees the current version first (If-Match / ifVersion);
 * a concurrent write between read and write is refused as stale (412), never lost. Status is not
 * an input: it changes only through the lifecycle endpoints.
 */
export async function updateNetwork(
  db: Db,
  principal: Principal,
  id: string,
  input: UpdateNetworkInput,
  checkVersion: (version: number) => void,
) {
  const current = await networkForCaller(db, principal, id);
  checkVersion(current.version);
  const members = await membersOf(db, principal.tenantId, [id]);
  const now = new Date();
  const activeIds = domainActiveMemberIds(members.map(rowToMembership), now);
  // The size bounds are one value: a PATCH of one bound is checked together with the other.
  const size =
    input.size !== null && typeof input.size === 'object'
      ? { min: current.min_members, max: current.max_members, ...input.size }
      : input.size;
  const settings = await parseSettings(db, principal.tenantId, { ...input, size }, activeIds);
  const set: Partial<{ name: string } & NetworkSettingsColumns> = { ...settings };
  if (input.name !== undefined) set.name = networkName(input.name);
  const row = await updateNetworkRow(db, principal.tenantId, id, current.version, set, now);
  if (!row) throw problem('precondition_failed', 'The network was changed by another request; read it again');
  return { row, members: await visibleMembers(db, principal, [id]) };
}

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
    await trx
      .selectFrom('leaders')
      .select('id')
      .where('tenant_id', '=', principal.tenantId)
      .where('id', '=', input.leaderId)
      .forShare()
      .execute();
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
    await trx
      .updateTable('networks')
      .set({ facilitator: null })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', network.id)
      .execute();
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

/** The domain's `checkNetwork` on what is stored: every violated rule, with codes and texts. Admins only. */
export async function networkRules(db: Db, principal: Principal, networkId: string) {
  requireAdmin(principal);
  await networkForCaller(db, principal, networkId);
  return (await networkRulesBatch(db, principal.tenantId, [networkId])).get(networkId)!;
}

/** `checkNetwork` for many networks with five queries in all (GraphQL loader). Callers authorise. */
export async function networkRulesBatch(db: Db, tenantId: string, networkIds: readonly string[]) {
  const now = new Date();
  const [networks, rows, versions, acceptances] = await Promise.all([
    findNetworks(db, tenantId, networkIds),
    membersOf(db, tenantId, networkIds),
    charterVersionsOf(db, tenantId, networkIds),
    acceptancesOf(db, tenantId, networkIds),
  ]);
  const leaders = await findLeaders(db, tenantId, [...new Set(rows.map((r) => r.leader_id))]);
  const out = new Map<string, { ok: boolean; violations: NetworkViolation[] }>();
  for (const network of networks) {
    const memberships = rows.filter((r) => r.network_id === network.id).map(rowToMembership);
    const violations = checkNetwork({
      size: { min: network.min_members, max: network.max_members },
      memberships,
      leaders,
      charterVersions: versions.filter((v) => v.network_id === network.id).map(rowToCharterVersion),
      acceptances: acceptances.filter((a) => a.network_id === network.id).map(rowToAcceptance),
      now,
    });
    out.set(network.id, { ok: violations.length === 0, violations });
  }
  return out;
}

/** Readiness facts for a trial, read from storage inside the caller's transaction (reviews use it too). */
export async function trialReadiness(trx: Db, network: NetworkRow, now: Date) {
  const [rows, versions, acceptances, model] = await Promise.all([
    membersOf(trx, network.tenant_id, [network.id]),
    charterVersionsOf(trx, network.tenant_id, [network.id]),
    acceptancesOf(trx, network.tenant_id, [network.id]),
    hasMeetingModel(trx, network.tenant_id, network.id),
  ]);
  const memberships = rows.map(rowToMembership);
  return {
    memberCount: domainActiveMemberIds(memberships, now).length,
    minimumMembers: network.min_members,
    charterInForce: isCharterInForce({
      versions: versions.map(rowToCharterVersion),
      memberships,
      acceptances: acceptances.map(rowToAcceptance),
      now,
    }),
    hasMeetingModel: model,
  };
}

export type LifecycleCommand = 'start_trial' | 'pause' | 'resume' | 'dissolve';

/**
 * Applies a lifecycle event through the domain's state machine in one transaction (the row is
 * locked first, so the readiness facts and the transition see the same network). Refusals are
 * 409 `lifecycle_refused` with the domain's `reason`.
 */
export async function applyLifecycleCommand(
  db: Db,
  principal: Principal,
  networkId: string,
  command: LifecycleCommand,
) {
  const visible = await networkForCaller(db, principal, networkId);
  if (command === 'start_trial') requireFacilitator(visible, principal);
  else requireAdmin(principal);
  return db.transaction().execute(async (trx) => {
    const network = await lockNetwork(trx, principal.tenantId, networkId);
    if (!network) throw problem('not_found', 'No network with this id');
    // The clock is read once the lock is held (see addMember).
    const now = new Date();
    let event: LifecycleEvent;
    if (command === 'start_trial') {
      event = {
        type: 'start_trial',
        readiness: await trialReadiness(trx, network, now),
        trialLength: network.trial_length,
      };
    } else event = { type: command };
    await advanceLifecycle(trx, principal.tenantId, networkId, event, now);
    const after = await findNetwork(trx, principal.tenantId, networkId);
    return { row: after!, members: await visibleMembers(trx, principal, [networkId]) };
  });
}
