/**
 * Networks and their members in storage. Plain functions over a database handle or a
 * transaction; every query filters by tenant. Rows become domain values through the mappers
 * (`rowToMembership`, and the charter's in charter.repository.ts), never by handing rows out.
 * The batch readers take many network ids and issue ONE query, for REST lists and GraphQL loaders.
 * The charter's storage (charter.repository.ts) is re-exported from here.
 */
import type { NetworkMembership } from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import { qualified } from '../db/columns.js';
import { preparedQuery } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import {
  NETWORK_COLUMNS,
  type NetworkMemberRow,
  type NetworkRow,
  type NetworkTable,
} from '../db/tables/network.table.js';

export {
  acceptancesOf,
  acceptancesOfVersions,
  charterVersionsOf,
  charterVersionsPages,
  insertCharterVersion,
  latestCharters,
  noticeHoursOf,
  rowToAcceptance,
  rowToCharterVersion,
  upsertAcceptance,
} from './charter.repository.js';

type Db = Kysely<Database>;

/** Settings columns (everything a PATCH may change besides the name). */
export type NetworkSettingsColumns = Pick<
  NetworkTable,
  | 'min_members'
  | 'max_members'
  | 'trial_length'
  | 'review_every'
  | 'time_zone'
  | 'min_responses'
  | 'evaluation_window_days'
> & { roles_policy: string; facilitator: string | null };

export const rowToMembership = (row: NetworkMemberRow): NetworkMembership => ({
  memberId: row.leader_id,
  joinedAt: row.joined_at,
  leftAt: row.left_at,
});
export async function insertNetwork(
  db: Db,
  values: {
    tenant_id: string;
    id: string;
    name: string;
    status: NetworkRow['status'];
    lifecycle: string;
  } & NetworkSettingsColumns & {
      created_at: Date;
      updated_at: Date;
    },
): Promise<NetworkRow> {
  return db.insertInto('networks').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function findNetwork(db: Db, tenantId: string, id: string): Promise<NetworkRow | undefined> {
  return db
    .selectFrom('networks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A membership with what fellow members may know of the leader (the service's `MemberEntry`). */
export interface MembershipWithName {
  readonly row: NetworkMemberRow;
  readonly name: string;
  readonly organisation: string;
}

/** A membership as `json_build_object` gives it (timestamps as ISO text). */
interface MemberJson {
  readonly leader_id: string;
  readonly joined_at: string;
  readonly left_at: string | null;
  readonly signal_consent: boolean;
  readonly name: string;
  readonly organisation: string;
}

/**
 * The network with every membership (active and former) and each member's name and organisation,
 * in ONE query: the members come as a JSON array beside the row, in `membersOf`'s order (joined,
 * then leader id). Undefined when the tenant has no such network.
 */
export async function findNetworkWithMembers(
  db: Db,
  tenantId: string,
  id: string,
): Promise<{ row: NetworkRow; members: MembershipWithName[] } | undefined> {
  const [found] = await networkWithMembersQuery(db, null, { tenantId, id });
  if (!found) return undefined;
  const { members_json, ...row } = found;
  return {
    row,
    members: json<MemberJson[]>(members_json).map((m) => ({
      row: {
        tenant_id: row.tenant_id,
        network_id: row.id,
        leader_id: m.leader_id,
        joined_at: new Date(m.joined_at),
        left_at: m.left_at === null ? null : new Date(m.left_at),
        signal_consent: m.signal_consent,
      },
      name: m.name,
      organisation: m.organisation,
    })),
  };
}

/** The query of `findNetworkWithMembers`, compiled once (src/db/prepared.ts). */
const networkWithMembersQuery = preparedQuery(
  (db, _shape: null, v: { tenantId: string; id: string }) =>
    db
      .selectFrom('networks as n')
      .select(qualified('n', NETWORK_COLUMNS))
      .select(
        sql<MemberJson[]>`coalesce((
        SELECT json_agg(json_build_object(
                 'leader_id', m.leader_id, 'joined_at', m.joined_at, 'left_at', m.left_at,
                 'signal_consent', m.signal_consent, 'name', l.name, 'organisation', l.organisation)
                 ORDER BY m.joined_at, m.leader_id)
          FROM network_members m
          JOIN leaders l ON l.tenant_id = m.tenant_id AND l.id = m.leader_id
         WHERE m.tenant_id = n.tenant_id AND m.network_id = n.id), '[]'::json)`.as('members_json'),
      )
      .where('n.tenant_id', '=', v.tenantId)
      .where('n.id', '=', v.id),
  { statement: 'network_members' },
);

/** Locks the network row for the rest of the transaction (writes that read-then-check). */
export async function lockNetwork(trx: Db, tenantId: string, id: string): Promise<NetworkRow | undefined> {
  return trx
    .selectFrom('networks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * One page of networks in creation order (UUIDv7), `limit + 1` rows so the caller knows whether
 * there is a next page. `visibleTo` limits to networks a leader belongs or belonged to (member
 * tokens); `member` is the client's filter by leader.
 */
export async function listNetworks(
  db: Db,
  tenantId: string,
  opts: {
    after?: string | undefined;
    limit: number;
    status?: string | undefined;
    member?: string | undefined;
    visibleTo?: string | undefined;
  },
): Promise<NetworkRow[]> {
  let q = db.selectFrom('networks').selectAll().where('tenant_id', '=', tenantId);
  if (opts.after) q = q.where('id', '>', opts.after);
  if (opts.status) q = q.where('status', '=', opts.status as NetworkRow['status']);
  for (const leaderId of [opts.member, opts.visibleTo]) {
    if (!leaderId) continue;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('network_members as m')
          .select('m.leader_id')
          .where('m.tenant_id', '=', tenantId)
          .whereRef('m.network_id', '=', 'networks.id')
          .where('m.leader_id', '=', leaderId),
      ),
    );
  }
  return q
    .orderBy('id')
    .limit(opts.limit + 1)
    .execute();
}

/** Networks by id (one query), for loaders. */
export async function findNetworks(db: Db, tenantId: string, ids: readonly string[]): Promise<NetworkRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('networks')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .execute();
}

/** Networks by id as a map (one query), for loaders that need their parents' rows. */
export async function networksById(
  db: Db,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, NetworkRow>> {
  return new Map((await findNetworks(db, tenantId, ids)).map((r) => [r.id, r]));
}

/** Updates name/settings if the version is still `expectedVersion`; undefined when stale. */
export async function updateNetworkRow(
  db: Db,
  tenantId: string,
  id: string,
  expectedVersion: number,
  set: Partial<{ name: string } & NetworkSettingsColumns>,
  now: Date,
): Promise<NetworkRow | undefined> {
  return db
    .updateTable('networks')
    .set({ ...set, version: sql`version + 1`, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
}

/** Bumps the version (membership changes alter the network's representation, so its ETag). */
export async function touchNetwork(db: Db, tenantId: string, id: string, now: Date): Promise<void> {
  await db
    .updateTable('networks')
    .set({ version: sql`version + 1`, updated_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Every membership row of the given networks (active and former), one query. */
export async function membersOf(
  db: Db,
  tenantId: string,
  networkIds: readonly string[],
): Promise<NetworkMemberRow[]> {
  if (networkIds.length === 0) return [];
  return db
    .selectFrom('network_members')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('network_id', 'in', networkIds)
    .orderBy('network_id')
    .orderBy('joined_at')
    .orderBy('leader_id')
    .execute();
}

/** Adds a membership, or re-opens a former one (a leader who rejoins): one row per leader. */
export async function upsertMember(
  db: Db,
  tenantId: string,
  networkId: string,
  leaderId: string,
  joinedAt: Date,
) {
  await db
    .insertInto('network_members')
    .values({
      tenant_id: tenantId,
      network_id: networkId,
      leader_id: leaderId,
      joined_at: joinedAt,
      left_at: null,
    })
    .onConflict((oc) =>
      oc
        .columns(['tenant_id', 'network_id', 'leader_id'])
        .doUpdateSet({ joined_at: joinedAt, left_at: null, signal_consent: false }),
    )
    .execute();
}

/**
 * Takes a share lock on a leader's row for the rest of the transaction: a deactivation holding it
 * (FOR UPDATE) finishes first, so the caller then reads the leader as it is after that.
 */
export async function shareLockLeader(trx: Db, tenantId: string, leaderId: string): Promise<void> {
  await trx
    .selectFrom('leaders')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('id', '=', leaderId)
    .forShare()
    .execute();
}

/** Clears the network's facilitator (a member facilitator who left; the admin names a new one). */
export async function clearFacilitator(db: Db, tenantId: string, networkId: string): Promise<void> {
  await db
    .updateTable('networks')
    .set({ facilitator: null })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', networkId)
    .execute();
}

export async function setMemberLeftAt(
  db: Db,
  tenantId: string,
  networkId: string,
  leaderId: string,
  leftAt: Date,
) {
  await db
    .updateTable('network_members')
    .set({ left_at: leftAt })
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId)
    .where('leader_id', '=', leaderId)
    .execute();
}

export async function setSignalConsent(
  db: Db,
  tenantId: string,
  networkId: string,
  leaderId: string,
  consent: boolean,
) {
  await db
    .updateTable('network_members')
    .set({ signal_consent: consent })
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId)
    .where('leader_id', '=', leaderId)
    .execute();
}

/** jsonb comes back parsed from pg; PGlite may hand back text in some paths. */
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** True when the network has any meeting model version (a trial needs one). */
export async function hasMeetingModel(db: Db, tenantId: string, networkId: string): Promise<boolean> {
  const row = await db
    .selectFrom('meeting_model_versions')
    .select('version')
    .where('tenant_id', '=', tenantId)
    .where('network_id', '=', networkId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
