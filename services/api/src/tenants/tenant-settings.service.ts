/**
 * The tenant's own settings, read and changed with its admin key: its name and its policy on
 * member signals (PRODUCT.md §2, confidentiality: a member's signals reach the facilitator only
 * when the tenant's policy and the member's consent both allow it).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type Principal, requireAdmin } from '../plugins/auth.plugin.js';

export interface TenantSettingsInput {
  readonly facilitatorSeesMemberSignals?: boolean;
}

export async function getTenantSettings(db: Kysely<Database>, principal: Principal) {
  const { tenantId } = requireAdmin(principal);
  const row = await db
    .selectFrom('tenants')
    .select(['id', 'name', 'facilitator_sees_member_signals'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return {
    tenantId: row.id,
    name: row.name,
    facilitatorSeesMemberSignals: row.facilitator_sees_member_signals,
  };
}

export async function updateTenantSettings(
  db: Kysely<Database>,
  principal: Principal,
  input: TenantSettingsInput,
) {
  const { tenantId } = requireAdmin(principal);
  // GraphQL may send an explicit null for the optional field: like absent, it changes nothing.
  if (typeof input.facilitatorSeesMemberSignals === 'boolean')
    await db
      .updateTable('tenants')
      .set({ facilitator_sees_member_signals: input.facilitatorSeesMemberSignals })
      .where('id', '=', tenantId)
      .execute();
  return getTenantSettings(db, principal);
}
