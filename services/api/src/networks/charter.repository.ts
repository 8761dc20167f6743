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
import { type Kysely, sql } from 'kysely';
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

/** One network's page of charter versions: the versions after `afterVersion`, at most `limit`. */
export interface CharterVersionsPageRequest {
  readonly networkId: string;
  readonly afterVersion?: number | undefined;
  readonly limit: number;
}

/**
 * One page of charter versions per request, in ONE query: for each request (a network may come
 * more than once, with other bounds) its network's versions after `afterVersion` in version order,
 * `limit + 1` rows so the caller knows whether there is more. The requests are a VALUES list, each
 * joined laterally to its own page (the primary key's order: no sort beyond the page). Index i of
 * the result is request i's rows.
 */
export async function charterVersionsPages(
  db: Db,
  tenantId: string,
  requests: readonly CharterVersionsPageRequest[],
): Promise<CharterVersionRow[][]> {
  if (requests.length === 0) return [];
  const values = sql.join(
    requests.map(
      (r, i) =>
        // Versions start at 1: "after version 0" is the first page.
        sql`(${i}::int, ${r.networkId}::uuid, ${r.afterVersion ?? 0}::int, ${r.limit + 1}::int)`,
    ),
  );
  const { rows } = await sql<CharterVersionRow & { request: number }>`
    SELECT r.request, v.*
      FROM (VALUES ${values}) AS r(request, network_id, after_version, row_limit)
     CROSS JOIN LATERAL (
           SELECT cv.* FROM charter_versions cv
            WHERE cv.tenant_id = ${tenantId}::uuid
              AND cv.network_id = r.network_id
              AND cv.version > r.after_version
            ORDER BY cv.version
            LIMIT r.row_limit) AS v
     ORDER BY r.request, v.version`.execute(db);
  const pages = requests.map((): CharterVersionRow[] => []);
  for (const { request, ...row } of rows)
    pages[request]!.push({ ...row, charter: json<Charter>(row.charter) });
  return pages;
}

/**
 * The acceptances of the given networks' versions (every pair of the two lists: the caller picks
 * its own), in the order they were given, one query.
 */
export async function acceptancesOfVersions(
  db: Db,
  tenantId: string,
  networkIds: readonly string[],
  versions: readonly number[],
): Promise<CharterAcceptanceRow[]> {
  if (networkIds.length === 0 || versions.length === 0) return [];
  return db
    .selectFrom('charter_acceptances')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .where('version', 'in', [...new Set(versions)])
    .orderBy('accepted_at')
    .orderBy('leader_id')
    .execute();
}
