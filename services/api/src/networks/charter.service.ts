/**
 * The charter (kontrakt) use cases, shared by REST and GraphQL: propose a version (admin or the
 * facilitator), read the latest with whether it is in force and who has accepted it, and accept
 * it as a member. Validity, versioning, acceptance and "in force" are the domain's
 * (`parseCharter`, `adoptCharterVersion`, `acceptCharter`, `charterStatus`).
 */
import {
  acceptCharter,
  activeMemberIds,
  adoptCharterVersion,
  type CharterAcceptance,
  type CharterVersion,
  charterStatus,
  latestCharterVersion,
  type NetworkMembership,
  parseCharter,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { recordEvent } from '../events/event.repository.js';
import { decodeVersionCursor, encodeVersionCursor } from '../http/pagination.js';
import {
  acceptancesOf,
  acceptancesOfVersions,
  charterVersionsOf,
  charterVersionsPages,
  insertCharterVersion,
  lockNetwork,
  membersOf,
  rowToAcceptance,
  rowToCharterVersion,
  rowToMembership,
  upsertAcceptance,
} from './network.repository.js';
import { networkForCaller, networksForCaller, requireFacilitator } from './network-access.js';

type Db = Kysely<Database>;

export const toCharterVersionResource = (v: CharterVersion) => ({
  version: v.version,
  purpose: v.charter.purpose,
  goals: v.charter.goals.map((g) => ({ ...g })),
  groundRules: v.charter.groundRules.map((r) => ({ ...r })),
  adoptedAt: v.adoptedAt.toISOString(),
});

/**
 * The charter view of one network from its stored facts: the latest version, whether it is in
 * force (the domain's `charterStatus`), and who has accepted it — the active members whose
 * acceptance counts, with the time. Never why anyone has not.
 */
export function charterView(
  versions: readonly CharterVersion[],
  memberships: readonly NetworkMembership[],
  acceptances: readonly CharterAcceptance[],
  now: Date,
) {
  const latest = latestCharterVersion(versions);
  const status = charterStatus({ versions, memberships, acceptances, now });
  if (latest === null) return { version: null, inForce: false, charter: null, acceptedBy: [] };
  const awaiting = new Set(status.awaitingAcceptance);
  const activeIds = new Set(activeMemberIds(memberships, now));
  const acceptedBy = acceptances
    .filter((a) => a.version === latest.version && activeIds.has(a.memberId) && !awaiting.has(a.memberId))
    .map((a) => ({ leaderId: a.memberId, acceptedAt: a.acceptedAt.toISOString() }))
    .sort((x, y) => x.acceptedAt.localeCompare(y.acceptedAt) || x.leaderId.localeCompare(y.leaderId));
  return {
    version: latest.version,
    inForce: status.inForce,
    charter: toCharterVersionResource(latest),
    acceptedBy,
  };
}
export type CharterView = ReturnType<typeof charterView>;

/** Charter views of many networks with three queries in all (REST lists and GraphQL loaders). */
export async function charterViews(
  db: Db,
  tenantId: string,
  networkIds: readonly string[],
  now = new Date(),
) {
  const [members, versions, acceptances] = await Promise.all([
    membersOf(db, tenantId, networkIds),
    charterVersionsOf(db, tenantId, networkIds),
    acceptancesOf(db, tenantId, networkIds),
  ]);
  return new Map(
    networkIds.map((id) => [
      id,
      charterView(
        versions.filter((v) => v.network_id === id).map(rowToCharterVersion),
        members.filter((m) => m.network_id === id).map(rowToMembership),
        acceptances.filter((a) => a.network_id === id).map(rowToAcceptance),
        now,
      ),
    ]),
  );
}

/** The charter of a network the caller may see. */
export async function getCharter(db: Db, principal: Principal, networkId: string) {
  await networkForCaller(db, principal, networkId);
  return (await charterViews(db, principal.tenantId, [networkId])).get(networkId)!;
}

/** One network's page of charter versions to read: at most `limit` after the `cursor`. */
export interface CharterVersionsPageQuery {
  readonly networkId: string;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/**
 * A network's charter versions in version order, each with its acceptances: every acceptance
 * recorded for that version (members who have since left included), whether it is the latest, and
 * — for the latest only — whether it is in force (the domain's `charterStatus`, as `getCharter`).
 * The same access as `getCharter`: a network the caller may not see is a 404.
 */
export async function listCharterVersionsPage(
  db: Db,
  principal: Principal,
  networkId: string,
  opts: { limit: number; cursor?: string | undefined },
) {
  return (await listCharterVersionsPages(db, principal, [{ networkId, ...opts }]))[0]!;
}

/**
 * `listCharterVersionsPage` for many pages at once (GraphQL's Network.charterVersions): the same
 * pages in the same order as the queries, in a fixed number of round trips whatever their number
 * (the access check, the pages, then the acceptances and the charter views). A network the caller
 * may not see fails them all with the 404 one page gets, as a cursor we did not issue does with its
 * 400; access is checked first, as `networkForCaller` is before the cursor is read.
 */
export async function listCharterVersionsPages(
  db: Db,
  principal: Principal,
  queries: readonly CharterVersionsPageQuery[],
) {
  const { tenantId } = principal;
  const networkIds = [...new Set(queries.map((q) => q.networkId))];
  const visible = await networksForCaller(db, principal, networkIds);
  if (networkIds.some((id) => !visible.has(id))) throw problem('not_found', 'No network with this id');
  const requests = queries.map((q) => ({
    networkId: q.networkId,
    afterVersion: decodeVersionCursor(q.cursor),
    limit: q.limit,
  }));
  // `limit + 1` rows each: the last one only says there is a next page.
  const fetched = await charterVersionsPages(db, tenantId, requests);
  const pages = fetched.map((rows, i) => rows.slice(0, requests[i]!.limit));
  const [acceptances, views] = await Promise.all([
    acceptancesOfVersions(
      db,
      tenantId,
      networkIds,
      pages.flat().map((r) => r.version),
    ),
    charterViews(db, tenantId, networkIds),
  ]);
  return pages.map((page, i) => {
    const { networkId, limit } = requests[i]!;
    const current = views.get(networkId)!;
    const items = page.map((row) => {
      const latest = row.version === current.version;
      return {
        ...toCharterVersionResource(rowToCharterVersion(row)),
        latest,
        inForce: latest && current.inForce,
        acceptedBy: acceptances
          .filter((a) => a.network_id === networkId && a.version === row.version)
          .map((a) => ({ leaderId: a.leader_id, acceptedAt: a.accepted_at.toISOString() })),
      };
    });
    const last = page.at(-1);
    return {
      items,
      nextCursor: fetched[i]!.length > limit && last ? encodeVersionCursor(last.version) : null,
    };
  });
}
export type CharterVersionListItem = Awaited<ReturnType<typeof listCharterVersionsPage>>['items'][number];

/**
 * Proposes a new version (admin or the network's facilitator). Every active member must accept it
 * again before it is in force. The network row is locked so two proposals get two numbers.
 */
export async function proposeCharter(db: Db, principal: Principal, networkId: string, input: unknown) {
  const visible = await networkForCaller(db, principal, networkId);
  requireFacilitator(visible, principal);
  const parsed = parseCharter(input);
  if (!parsed.ok) throw validationProblem(parsed.error.issues);
  return db.transaction().execute(async (trx) => {
    await lockNetwork(trx, principal.tenantId, networkId);
    // The clock is read once the lock is held (see addMember).
    const now = new Date();
    const versions = (await charterVersionsOf(trx, principal.tenantId, [networkId])).map(rowToCharterVersion);
    const next = adoptCharterVersion(latestCharterVersion(versions), parsed.value, now);
    await insertCharterVersion(trx, principal.tenantId, networkId, next);
    await recordEvent(trx, principal.tenantId, {
      type: 'charter.version_proposed',
      data: { networkId, version: next.version },
    });
    return toCharterVersionResource(next);
  });
}

/**
 * The member (token) accepts a version as themselves. Refusals are the domain's:
 * `not_an_active_member` (403) and `not_the_latest_version` (409); an unknown version is 404.
 * Accepting again is idempotent (`created: false`).
 */
export async function acceptCharterVersion(db: Db, principal: Principal, networkId: string, version: number) {
  if (principal.kind !== 'member')
    throw problem('forbidden', 'A member accepts the charter themselves, with a member token');
  await networkForCaller(db, principal, networkId);
  return db.transaction().execute(async (trx) => {
    await lockNetwork(trx, principal.tenantId, networkId);
    // The clock is read once the lock is held (see addMember).
    const now = new Date();
    const [members, versionRows, acceptanceRows] = await Promise.all([
      membersOf(trx, principal.tenantId, [networkId]),
      charterVersionsOf(trx, principal.tenantId, [networkId]),
      acceptancesOf(trx, principal.tenantId, [networkId]),
    ]);
    const versions = versionRows.map(rowToCharterVersion);
    const latest = latestCharterVersion(versions);
    if (latest === null || !versions.some((v) => v.version === version))
      throw problem('not_found', 'No charter version with this number');
    const acceptances = acceptanceRows.map(rowToAcceptance);
    const result = acceptCharter({
      latest,
      version,
      memberId: principal.leaderId,
      memberships: members.map(rowToMembership),
      acceptances,
      now,
    });
    if (!result.ok)
      throw problem(result.error.code, result.error.message.en, { message: result.error.message });
    const created = result.value.length > acceptances.length;
    const mine = created
      ? result.value.at(-1)!
      : acceptances
          .filter((a) => a.memberId === principal.leaderId && a.version === version)
          .sort((a, b) => b.acceptedAt.getTime() - a.acceptedAt.getTime())[0]!;
    if (created) {
      await upsertAcceptance(trx, principal.tenantId, networkId, mine);
      const memberships = members.map(rowToMembership);
      const before = charterStatus({ versions, memberships, acceptances, now });
      const after = charterStatus({ versions, memberships, acceptances: result.value, now });
      if (!before.inForce && after.inForce && after.version !== null)
        await recordEvent(trx, principal.tenantId, {
          type: 'charter.accepted_by_all',
          data: { networkId, version: after.version },
        });
    }
    return {
      created,
      leaderId: mine.memberId,
      version: mine.version,
      acceptedAt: mine.acceptedAt.toISOString(),
    };
  });
}
