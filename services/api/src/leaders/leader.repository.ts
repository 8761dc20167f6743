/**
 * Leaders in the database. Plain functions taking the database (or a transaction) first; every
 * query filters by tenant. Rows become domain values through `rowToLeader`.
 */
import type { Leader, LeaderProfile } from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import { violatedConstraint } from '../db/errors.js';
import { preparedQuery } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import { LEADER_COLUMNS, type LeaderRow } from '../db/tables/leader.table.js';

/** A stored leader with its bookkeeping. */
export interface StoredLeader extends Leader {
  readonly version: number;
  /** When the leader stops (or stopped) being active; null while active with no end set. */
  readonly deactivatedAt: Date | null;
  /** When the leader was erased (GDPR art. 17); null otherwise. */
  readonly erasedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Whether the leader is active at `now`: never deactivated, or deactivated from a later time. */
export const isActiveLeader = (leader: Pick<StoredLeader, 'deactivatedAt'>, now = new Date()) =>
  leader.deactivatedAt === null || leader.deactivatedAt.getTime() > now.getTime();

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
    externalId: row.external_id,
    version: row.version,
    deactivatedAt: row.deactivated_at,
    erasedAt: row.erased_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function profileColumns(profile: LeaderProfile) {
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
    external_id: profile.externalId ?? null,
  };
}

/** Which unique rule a write broke: the email or the HR system's id (undefined: another error). */
export function takenBy(error: unknown): 'email_taken' | 'external_id_taken' | undefined {
  const constraint = violatedConstraint(error);
  if (constraint === 'leaders_external_id_key') return 'external_id_taken';
  return constraint === undefined ? undefined : 'email_taken';
}

export type InsertLeaderOutcome =
  | { readonly kind: 'created'; readonly leader: StoredLeader }
  | { readonly kind: 'email_taken' | 'external_id_taken' };

/** Inserts a leader, or says which unique rule refused it (nothing is written then). */
export async function insertLeader(
  db: Kysely<Database>,
  tenantId: string,
  id: string,
  profile: LeaderProfile,
): Promise<InsertLeaderOutcome> {
  try {
    const row = await db
      .insertInto('leaders')
      .values({ tenant_id: tenantId, id, ...profileColumns(profile) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { kind: 'created', leader: rowToLeader(row) };
  } catch (error) {
    const taken = takenBy(error);
    if (taken) return { kind: taken };
    throw error;
  }
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
  const rows = await leadersByIdQuery(db, null, { tenantId, ids });
  return rows.map(rowToLeader);
}

/** The query of `findLeaders` (the GraphQL leader loader), saved as a named statement. */
const leadersByIdQuery = preparedQuery(
  (db, _shape: null, v: { tenantId: string; ids: readonly string[] }) =>
    db
      .selectFrom('leaders')
      .select(LEADER_COLUMNS)
      .where('tenant_id', '=', v.tenantId)
      .where('id', '=', sql<string>`any(${v.ids})`),
  { statement: 'leaders_by_id' },
);

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

/** What a list of leaders may be narrowed to (an HR platform finding its people). */
export interface LeaderFilter {
  /** The HR system's id: at most one leader. */
  readonly externalId?: string | undefined;
  /** The sign-in address (stored lower-cased): at most one leader. */
  readonly email?: string | undefined;
  /** Only leaders changed at or after this time (a platform syncing changes since its last run). */
  readonly updatedSince?: Date | undefined;
  /** true: only leaders active now; false: only those deactivated (erased ones included). */
  readonly active?: boolean | undefined;
}

/**
 * A page of leaders in creation order (ids are UUIDv7), after the cursor id; fetches `limit + 1`
 * to know if more. Filters narrow the set without changing the order, so paging stays stable.
 */
export async function listLeaders(
  db: Kysely<Database>,
  tenantId: string,
  opts: { after?: string; limit: number } & LeaderFilter,
) {
  const rows = await leaderPage(
    db,
    { active: opts.active },
    {
      tenantId,
      after: opts.after,
      externalId: opts.externalId,
      email: opts.email?.toLowerCase(),
      updatedSince: opts.updatedSince,
      limit: opts.limit + 1,
    },
  );
  return rows.map(rowToLeader);
}

/** The page query of `listLeaders`, compiled once per set of filters (src/db/prepared.ts). */
const leaderPage = preparedQuery(
  (
    db,
    shape: { active: boolean | undefined },
    v: {
      tenantId: string;
      after: string | undefined;
      externalId: string | undefined;
      email: string | undefined;
      updatedSince: Date | undefined;
      limit: number;
    },
  ) =>
    db
      .selectFrom('leaders')
      .select(LEADER_COLUMNS)
      .where('tenant_id', '=', v.tenantId)
      .$if(v.after !== undefined, (q) => q.where('id', '>', v.after as string))
      .$if(v.externalId !== undefined, (q) => q.where('external_id', '=', v.externalId as string))
      .$if(v.email !== undefined, (q) => q.where('email', '=', v.email as string))
      .$if(v.updatedSince !== undefined, (q) => q.where('updated_at', '>=', v.updatedSince as Date))
      .$if(shape.active === true, (q) =>
        q.where((eb) =>
          eb.or([eb('deactivated_at', 'is', null), eb('deactivated_at', '>', sql<Date>`now()`)]),
        ),
      )
      .$if(shape.active === false, (q) => q.where('deactivated_at', '<=', sql<Date>`now()`))
      .orderBy('id')
      .limit(v.limit),
  { statement: 'leader_page' },
);

export type UpdateLeaderOutcome =
  | { readonly kind: 'updated'; readonly leader: StoredLeader }
  | { readonly kind: 'stale' }
  | { readonly kind: 'email_taken' | 'external_id_taken' };

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
    const taken = takenBy(error);
    if (taken) return { kind: taken };
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
