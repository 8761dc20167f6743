/** The queries only SCIM needs: a filtered, counted page of leaders, and the tenant's name. */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { rowToLeader } from '../leaders/leader.repository.js';
import type { LeaderWhere } from './scim-filter.js';

/**
 * One page of the tenant's leaders matching `where`, in creation order (ids are UUIDv7), from
 * the 0-based `offset`, and how many match in all (SCIM pages by index, RFC 7644 §3.4.2.4).
 * Erased leaders are gone as far as SCIM is concerned.
 */
export async function listLeadersByFilter(
  db: Kysely<Database>,
  tenantId: string,
  where: LeaderWhere | undefined,
  offset: number,
  limit: number,
) {
  const base = db
    .selectFrom('leaders')
    .where('tenant_id', '=', tenantId)
    .where('erased_at', 'is', null)
    .$if(where !== undefined, (q) => q.where(where!));
  const { total } = await base
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = limit === 0 ? [] : await base.selectAll().orderBy('id').offset(offset).limit(limit).execute();
  return { total: Number(total), leaders: rows.map(rowToLeader) };
}

/** The tenant's name: a provisioned leader's organisation when the client sends none. */
export async function findTenantName(db: Kysely<Database>, tenantId: string): Promise<string> {
  const row = await db.selectFrom('tenants').select('name').where('id', '=', tenantId).executeTakeFirst();
  return row?.name ?? 'unspecified';
}
