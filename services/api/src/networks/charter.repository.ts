/**
 * Charters in storage: versions and acceptances of networks' charters. Plain functions over a
 * database handle or a transaction; every query filters by tenant. Rows become domain values through
 * the mappers (`rowToCharterVersion`, `rowToAcceptance`). The batch readers take many network ids and
 * issue ONE query. network.repository.ts re-exports everything here.
 */
import {
  type Charter,
  type CharterAcceptance,
  type CharterVersion,
  cancellationNoticeHours,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CharterAcceptanceRow, CharterVersionRow } from '../db/tables/network.table.js';

type Db = Kysely<Database>;

export const rowToCharterVersion = (row: CharterVersionRow): CharterVersion => ({
  version: row.version,
  charter: row.charter,
  adoptedAt: row.created_at,
});

export const rowToAcceptance = (row: CharterAcceptanceRow): CharterAcceptance => ({
  memberId: row.leader_id,
  version: row.version,
  acceptedAt: row.accepted_at,
});

/** Every charter version of the given networks, one query. */
export async function charterVersionsOf(
  db: Db,
  tenantId: string,
  networkIds: readonly string[],
): Promise<CharterVersionRow[]> {
  if (networkIds.length === 0) return [];
  return db
    .selectFrom('charter_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .orderBy('network_id')
    .orderBy('version')
    .execute();
}

/** Every charter acceptance of the given networks, one query. */
export async function acceptancesOf(
  db: Db,
  tenantId: string,
  networkIds: readonly string[],
): Promise<CharterAcceptanceRow[]> {
  if (networkIds.length === 0) return [];
  return db
    .selectFrom('charter_acceptances')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .orderBy('accepted_at')
    .execute();
}

/** jsonb comes back parsed from pg; PGlite may hand back text in some paths. */
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** Each network's charter of its latest version (networks without a charter are absent), one query. */
export async function latestCharters(
  db: Db,
  tenantId: string,
  networkIds: readonly string[],
): Promise<Map<string, Charter>> {
  const out = new Map<string, Charter>();
  // Ordered by network, then version: the last row of each network is its latest.
  for (const r of await charterVersionsOf(db, tenantId, networkIds))
    out.set(r.network_id, json<Charter>(r.charter));
  return out;
}

/** Each network's cancellation notice in hours, from its latest charter (absent without a charter). */
export async function noticeHoursOf(
  db: Db,
  tenantId: string,
  networkIds: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const [id, charter] of await latestCharters(db, tenantId, networkIds))
    out.set(id, cancellationNoticeHours(charter));
  return out;
}

export async function insertCharterVersion(
  db: Db,
  tenantId: string,
  networkId: string,
  version: CharterVersion,
) {
  await db
    .insertInto('charter_versions')
    .values({
      tenant_id: tenantId,
      network_id: networkId,
      version: version.version,
      charter: JSON.stringify(version.charter),
      created_at: version.adoptedAt,
    })
    .execute();
}

/** Stores an acceptance; a leader who rejoined and accepts the same version again overwrites the time. */
export async function upsertAcceptance(
  db: Db,
  tenantId: string,
  networkId: string,
  acceptance: CharterAcceptance,
) {
  await db
    .insertInto('charter_acceptances')
    .values({
      tenant_id: tenantId,
      network_id: networkId,
      version: acceptance.version,
      leader_id: acceptance.memberId,
      accepted_at: acceptance.acceptedAt,
    })
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'network_id', 'version', 'leader_id'])
        .doUpdateSet({ accepted_at: acceptance.acceptedAt }),
    )
    .execute();
}

/** One page of a network's charter versions in version order (`limit + 1` rows), after `afterVersion`. */
export async function charterVersionsPage(
  db: Db,
  tenantId: string,
  networkId: string,
  opts: { afterVersion?: number | undefined; limit: number },
): Promise<CharterVersionRow[]> {
  let q = db
    .selectFrom('charter_versions')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId);
  if (opts.afterVersion !== undefined) q = q.where('version', '>', opts.afterVersion);
  return q
    .orderBy('version')
    .limit(opts.limit + 1)
    .execute();
}

/** The acceptances of these versions of one network, in the order they were given. */
export async function acceptancesOfVersions(
  db: Db,
  tenantId: string,
  networkId: string,
  versions: readonly number[],
): Promise<CharterAcceptanceRow[]> {
  if (versions.length === 0) return [];
  return db
    .selectFrom('charter_acceptances')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId)
    .where('version', 'in', versions)
    .orderBy('accepted_at')
    .orderBy('leader_id')
    .execute();
}
