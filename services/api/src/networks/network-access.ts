/**
 * Who may see and touch a network. An admin key sees every network of its tenant; a member token
 * sees only networks the leader belongs (or belonged) to. Anything else reads as "not found",
 * never "forbidden", so ids of other tenants' or other networks' data reveal nothing.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { problem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import type { Principal } from '../plugins/auth.plugin.js';
import type { NetworkRow } from './network.table.js';

/** The network, if the caller may see it; a 404 problem otherwise. */
export async function networkForCaller(
  db: Kysely<Database>,
  principal: Principal,
  networkId: string,
): Promise<NetworkRow> {
  assertUuid(networkId, 'network id');
  const network = await db
    .selectFrom('networks')
    .selectAll()
    .where('tenant_id', '=', principal.tenantId)
    .where('id', '=', networkId)
    .executeTakeFirst();
  if (!network) throw problem('not_found', 'No network with this id');
  if (principal.kind === 'member') {
    const membership = await db
      .selectFrom('network_members')
      .select('leader_id')
      .where('tenant_id', '=', principal.tenantId)
      .where('network_id', '=', networkId)
      .where('leader_id', '=', principal.leaderId)
      .executeTakeFirst();
    if (!membership) throw problem('not_found', 'No network with this id');
  }
  return network;
}

/** The active member ids of a network (joined, not left). */
export async function activeMemberIds(
  db: Kysely<Database>,
  tenantId: string,
  networkId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('network_members')
    .select('leader_id')
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId)
    .where('left_at', 'is', null)
    .orderBy('leader_id')
    .execute();
  return rows.map((r) => r.leader_id);
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
