/**
 * The queries of the bulk upsert (leader-bulk.service.ts): each reads or writes a whole batch in
 * one statement, so a batch of 1,000 leaders costs a handful of round trips, not thousands.
 */
import type { LeaderProfile } from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { profileColumns, rowToLeader, type StoredLeader, takenBy } from './leader.repository.js';

/**
 * Holds the tenant's bulk upserts one at a time until the transaction ends (a transaction-level
 * advisory lock on the tenant): two batches naming the same new externalId cannot both decide to
 * create it. Single creates and updates do not take it; a clash with one of them is refused by
 * the unique indexes (409) and the batch is rolled back.
 */
export async function lockTenantLeaderUpserts(db: Kysely<Database>, tenantId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`leaders-upsert:${tenantId}`}, 0))`.execute(db);
}

/** The tenant's leaders with these externalIds, locked (FOR UPDATE) until the transaction ends. */
export async function lockLeadersByExternalId(
  db: Kysely<Database>,
  tenantId: string,
  externalIds: readonly string[],
): Promise<StoredLeader[]> {
  if (externalIds.length === 0) return [];
  const rows = await db
    .selectFrom('leaders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('external_id', 'in', externalIds)
    .forUpdate()
    .execute();
  return rows.map(rowToLeader);
}

/** Which leader of the tenant holds each of these (lower-cased) emails: email → id. */
export async function leaderIdsByEmail(
  db: Kysely<Database>,
  tenantId: string,
  emails: readonly string[],
): Promise<Map<string, string>> {
  if (emails.length === 0) return new Map();
  const rows = await db
    .selectFrom('leaders')
    .select(['id', 'email'])
    .where('tenant_id', '=', tenantId)
    .where('email', 'in', emails)
    .execute();
  return new Map(rows.map((r) => [r.email, r.id]));
}

export type UpsertLeaderRowsOutcome =
  | { readonly kind: 'written'; readonly leaders: StoredLeader[] }
  | { readonly kind: 'email_taken' | 'external_id_taken' };

/**
 * Writes new and changed leaders in one statement: a row whose id exists is updated (its version
 * bumped, `updated_at` now, `created_at` kept), any other inserted. Or says which unique rule
 * refused the batch (the statement, and so the transaction, is then aborted). 1,000 rows of 17
 * columns are 17,000 parameters, under PostgreSQL's 65,535 per statement.
 */
export async function upsertLeaderRows(
  db: Kysely<Database>,
  tenantId: string,
  rows: readonly { readonly id: string; readonly profile: LeaderProfile }[],
): Promise<UpsertLeaderRowsOutcome> {
  if (rows.length === 0) return { kind: 'written', leaders: [] };
  const values = rows.map((r) => ({ tenant_id: tenantId, id: r.id, ...profileColumns(r.profile) }));
  const columns = Object.keys(profileColumns(rows[0]!.profile)) as (keyof ReturnType<
    typeof profileColumns
  >)[];
  try {
    const written = await db
      .insertInto('leaders')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({
          ...Object.fromEntries(columns.map((c) => [c, eb.ref(`excluded.${c}`)])),
          version: sql<number>`leaders.version + 1`,
          updated_at: sql<Date>`now()`,
        })),
      )
      .returningAll()
      .execute();
    return { kind: 'written', leaders: written.map(rowToLeader) };
  } catch (error) {
    const taken = takenBy(error);
    if (taken) return { kind: taken };
    throw error;
  }
}
