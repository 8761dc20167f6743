/**
 * The network use cases, shared by REST and GraphQL: validate with the domain, authorise, persist,
 * and shape the resource for the caller. Every rule (size bounds, conflicts, roles policy, k, the
 * lifecycle) is the domain's; this file only gathers the stored facts it needs. Here: creating,
 * reading, listing and updating a network, its rule check and its lifecycle commands. The resource
 * shape (network.resource.ts) and the membership use cases (network-members.service.ts) are
 * re-exported from here; the name and settings inputs are checked in network.input.ts.
 */
import {
  checkNetwork,
  DEFAULT_EVALUATION_WINDOW_DAYS,
  DEFAULT_MIN_RESPONSES,
  DEFAULT_NETWORK_SIZE,
  DEFAULT_REVIEW_EVERY,
  DEFAULT_ROLES_POLICY,
  DEFAULT_TIME_ZONE,
  DEFAULT_TRIAL_LENGTH,
  activeMemberIds as domainActiveMemberIds,
  formingNetwork,
  isCharterInForce,
  type LifecycleEvent,
  minimumResponses,
  type NetworkViolation,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { type Principal, requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type { NetworkRow } from '../db/tables/network.table.js';
import { problem } from '../errors/problem.js';
import { inTransaction, recordEvent } from '../events/event.repository.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { findLeaders } from '../leaders/leader.repository.js';
import { advanceLifecycle } from './lifecycle.service.js';
import { serializeLifecycle } from './lifecycle-state.js';
import { networkName, parseSettings, type SettingsInput } from './network.input.js';
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
  updateNetworkRow,
} from './network.repository.js';
import { type MemberEntry, visibleMembers } from './network.resource.js';
import { beforeCutoff, cutoffOf, networkForCaller, requireFacilitator } from './network-access.js';

export {
  facilitatorIdOf,
  MEMBER_ROLES,
  type MemberEntry,
  type MemberRole,
  type MemberView,
  type NetworkResource,
  toFacilitatorResource,
  toLifecycleSummary,
  toMemberView,
  toNetworkResource,
  toSettings,
  visibleMembers,
} from './network.resource.js';
export {
  addMember,
  endMembership,
  removeMember,
  setOwnSignalConsent,
} from './network-members.service.js';

type Db = Kysely<Database>;

/** The domain's issue for a review interval outside its limits (settings and review decisions). */
export { reviewEveryIssue } from '@sparring/domain';

// ---------------------------------------------------------------------------------------------
// Use cases

export interface CreateNetworkInput extends SettingsInput {
  name: string;
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
