/**
 * What a member's two kinds of credential share: a token the admin mints (`member_tokens`) and a
 * session opened from a sign-in link (`member_sessions`) are both revoked by setting `revoked_at`,
 * one at a time or every live one of a leader (they leave, their address changes).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type CredentialTable = 'member_tokens' | 'member_sessions';

/** Revokes one credential of the tenant; false when it was not live. */
export async function revokeCredential(
  db: Kysely<Database>,
  table: CredentialTable,
  tenantId: string,
  id: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable(table)
    .set({ revoked_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Revokes every live credential of a leader in `table`; how many. */
export async function revokeLeaderCredentials(
  db: Kysely<Database>,
  table: CredentialTable,
  tenantId: string,
  leaderId: string,
  now: Date,
): Promise<number> {
  const result = await db
    .updateTable(table)
    .set({ revoked_at: now })
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', leaderId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
