/**
 * Who may see and touch a network. An admin key sees every network of its tenant; a member token
 * sees only networks the leader belongs (or belonged) to. Anything else reads as "not found",
 * never "forbidden", so ids of other tenants' or other networks' data reveal nothing.
 */
import { activeMemberIds as domainActiveMemberIds, isActiveMembership } from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import type { Principal } from '../auth/principal.js';
import { preparedQuery } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { NETWORK_COLUMNS, type NetworkMemberRow, type NetworkRow } from '../db/tables/network.table.js';
import { problem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import { rowToMembership } from './network.repository.js';

/** The network, if the caller may see it (the rule of `networksForCaller`); a 404 problem otherwise. */
export async function networkForCaller(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
): Promise<NetworkRow> {
  const network = (await networksForCaller(db, principal, [networkId])).get(networkId);
  if (!network) throw problem('not_found', 'No network with this id');
  return network;
}

/**
 * The networks the caller may see, in ONE query: network id → row. The rule: a network of the
 * tenant; for a member token, one the leader belongs or belonged to. The others are left out; the
 * caller answers for them (404). `networkForCaller` is this for one network.
 */
export async function networksForCaller(
  db: Kysely<Database>,
  principal: Principal,
  networkIds: readonly string[],
): Promise<Map<string, NetworkRow>> {
  for (const id of networkIds) assertUuid(id, 'network id');
  if (networkIds.length === 0) return new Map();
  const rows = await networksQuery(
    db,
    { member: principal.kind === 'member' },
    {
      tenantId: principal.tenantId,
      ids: networkIds,
      leaderId: principal.kind === 'member' ? principal.leaderId : undefined,
    },
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/** The query of `networksForCaller`, compiled once per kind of caller (src/db/prepared.ts). */
const networksQuery = preparedQuery(
  (
    db,
    shape: { member: boolean },
    v: { tenantId: string; ids: readonly string[]; leaderId: string | undefined },
  ) => {
    // The ids as one array parameter (`= any($n)`), so the compiled query serves any number of them.
    const q = db
      .selectFrom('networks')
      .select(NETWORK_COLUMNS)
      .where('tenant_id', '=', v.tenantId)
      .where('id', '=', sql<string>`any(${v.ids})`);
    if (!shape.member) return q;
    return q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('network_members as m')
          .select('m.leader_id')
          .whereRef('m.tenant_id', '=', 'networks.tenant_id')
          .whereRef('m.network_id', '=', 'networks.id')
          .where('m.leader_id', '=', v.leaderId as string),
      ),
    );
  },
  { statement: 'networks_for' },
);

/**
 * Until when the caller may read what happened in a network. A former member reads what happened
 * while they were a member and nothing after: the cutoff is the instant they left (their
 * `network_members.left_at`). Null (no cutoff) for an admin and for a member who has not left
 * (the domain's `isActiveMembership`, or a membership that has not started yet).
 *
 * Readers hide what STARTED after the cutoff: a meeting that starts, a review that opens, a member
 * who joins after it. A member with no membership in the network gets 404, as `networkForCaller`.
 */
export async function memberCutoff(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
  now = new Date(),
): Promise<Date | null> {
  const cutoffs = await memberCutoffs(db, principal, [networkId], now);
  if (!cutoffs.has(networkId)) throw problem('not_found', 'No network with this id');
  return cutoffs.get(networkId) ?? null;
}

/**
 * `memberCutoff` for many networks in one query (GraphQL loaders): network id → cutoff. Networks
 * the member never belonged to are left out of the map; the caller has already hidden them.
 */
export async function memberCutoffs(
  db: Kysely<Database>,
  principal: Principal,
  networkIds: readonly string[],
  now = new Date(),
): Promise<Map<string, Date | null>> {
  const out = new Map<string, Date | null>();
  if (principal.kind === 'admin') {
    for (const id of networkIds) out.set(id, null);
    return out;
  }
  if (networkIds.length === 0) return out;
  const rows = await db
    .selectFrom('network_members')
    .selectAll()
    .where('tenant_id', '=', principal.tenantId)
    .where('leader_id', '=', principal.leaderId)
    .where('network_id', 'in', networkIds)
    .execute();
  for (const row of rows) out.set(row.network_id, cutoffOf(row, now));
  return out;
}

/** The cutoff of one membership row: its leave date once it has passed, else none. */
export function cutoffOf(row: NetworkMemberRow, now: Date): Date | null {
  const membership = rowToMembership(row);
  if (isActiveMembership(membership, now) || membership.leftAt === null) return null;
  return membership.leftAt.getTime() <= now.getTime() ? membership.leftAt : null;
}

/** True when something that started at `startedAt` is visible under `cutoff` (null: everything). */
export function beforeCutoff(cutoff: Date | null, startedAt: Date): boolean {
  return cutoff === null || startedAt.getTime() < cutoff.getTime();
}

/**
 * The active member ids of a network at `now`, sorted: the domain's rule (`activeMemberIds`,
 * `joinedAt ≤ now < leftAt`), so a member with a future leave date counts until that date and one
 * with a future join date does not count yet.
 */
export async function activeMemberIds(
  db: Kysely<Database>,
  tenantId: string,
  networkId: string,
  now = new Date(),
): Promise<string[]> {
  const rows = await db
    .selectFrom('network_members')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId)
    .execute();
  return domainActiveMemberIds(rows.map(rowToMembership), now);
}

/** True when the caller is the network's admin, or the member who is its facilitator. */
export function canFacilitate(network: NetworkRow, principal: Principal): boolean {
  if (principal.kind === 'admin') return true;
  return network.facilitator?.kind === 'member' && network.facilitator.leaderId === principal.leaderId;
}

/** Requires admin or facilitator (403 for any other member). */
export function requireFacilitator(network: NetworkRow, principal: Principal): void {
  if (!canFacilitate(network, principal)) {
    throw problem('forbidden', "Only the tenant's admin or the network's facilitator may do this");
  }
}

/** Requires a member token of an active member of this network, acting as themselves. */
export async function requireActiveMember(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
): Promise<string> {
  if (principal.kind !== 'member') {
    throw problem('forbidden', 'This is done by the member themselves, with a member token');
  }
  const ids = await activeMemberIds(db, principal.tenantId, networkId);
  if (!ids.includes(principal.leaderId))
    throw problem('forbidden', 'Only active members of this network may do this');
  return principal.leaderId;
}
