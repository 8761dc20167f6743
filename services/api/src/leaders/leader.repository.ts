/**
 * Leaders in the database. Plain functions taking the database (or a transaction) first; every
 * query filters by tenant. Rows become domain values through `rowToLeader`.
 */
import type { Leader, LeaderProfile } from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import type { LeaderRow } from './leader.table.js';

/** A stored leader with its bookkeeping. */
export interface StoredLeader extends Leader {
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export function rowToLeader(row: LeaderRow): StoredLeader {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    sector: row.sector,
    organisation: row.organisation,
    level: row.level,
    yearsOfExperience: row.years_of_experience,
    region: row.region,
    languages: row.languages,
    motivations: row.motivations,
    availability: row.availability,
    formats: row.formats,
    preferredCadenceMonths: row.preferred_cadence_months,
    managerId: row.manager_id,
    exclusions: row.exclusions,
    sameness: row.sameness,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function profileColumns(profile: LeaderProfile) {
  return {
    email: profile.email,
    name: profile.name,
    sector: profile.sector,
    organisation: profile.organisation,
    level: profile.level,
    years_of_experience: profile.yearsOfExperience,
    region: profile.region,
    languages: JSON.stringify(profile.languages),
    motivations: JSON.stringify(profile.motivations),
    availability: JSON.stringify(profile.availability),
    formats: JSON.stringify(profile.formats),
    preferred_cadence_months: profile.preferredCadenceMonths,
    manager_id: profile.managerId,
    exclusions: JSON.stringify(profile.exclusions),
    sameness: JSON.stringify(profile.sameness),
  };
}

/** Inserts a leader; undefined when the email is taken in the tenant (nothing is written). */
export async function insertLeader(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  profile: LeaderProfile,
): Promise<StoredLeader | undefined> {
  const row = await db
    .insertInto('leaders')
    .values({ tenant_id: tenantId, id, ...profileColumns(profile) })
    .onConflict((oc) => oc.columns(['tenant_id', 'email']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ? rowToLeader(row) : undefined;
}

export async function findLeader(db: Kysely<Database>, tenantId: string, id: string) {
  const row = await db
    .selectFrom('leaders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? rowToLeader(row) : undefined;
}

/** The leaders with these ids in the tenant, in one query (for loaders); missing ids are absent. */
export async function findLeaders(db: Kysely<Database>, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('leaders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
  return rows.map(rowToLeader);
}

/**
 * Name and organisation of these leaders, one query: all a fellow member sees of a leader (the
 * network's member view), so nothing else of the profile is even read for it.
 */
export async function findLeaderNames(
  db: Kysely<Database>,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, { name: string; organisation: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('leaders')
    .select(['id', 'name', 'organisation'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, organisation: r.organisation }]));
}

/** Which of these ids exist in the tenant. */
export async function existingLeaderIds(db: Kysely<Database>, tenantId: string, ids: readonly string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db
    .selectFrom('leaders')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** A page of leaders in creation order, after the cursor id; fetches `limit + 1` to know if more. */
export async function listLeaders(
  db: Kysely<Database>,
  tenantId: string,
  opts: { after?: string; limit: number },
) {
  let query = db.selectFrom('leaders').selectAll().where('tenant_id', '=', tenantId);
  if (opts.after !== undefined) query = query.where('id', '>', opts.after);
  const rows = await query
    .orderBy('id')
    .limit(opts.limit + 1)
    .execute();
  return rows.map(rowToLeader);
}

export type UpdateLeaderOutcome =
  | { readonly kind: 'updated'; readonly leader: StoredLeader }
  | { readonly kind: 'stale' }
  | { readonly kind: 'email_taken' };

/**
 * Writes a new profile if the row is still at `expectedVersion` (optimistic concurrency: a
 * concurrent update between read and write makes this 'stale', not a lost update).
 */
export async function updateLeader(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  expectedVersion: number,
  profile: LeaderProfile,
): Promise<UpdateLeaderOutcome> {
  try {
    const row = await db
      .updateTable('leaders')
      .set({ ...profileColumns(profile), version: sql`version + 1`, updated_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    return row ? { kind: 'updated', leader: rowToLeader(row) } : { kind: 'stale' };
  } catch (error) {
    if (isUniqueViolation(error)) return { kind: 'email_taken' };
    throw error;
  }
}

/** Deletes a leader; false when there was none in the tenant. */
export async function deleteLeader(db: Kysely<Database>, tenantId: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('leaders')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
