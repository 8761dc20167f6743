/**
 * Calendar feeds in the database: plain functions taking the database (or a transaction) first;
 * every query but the token lookup filters by tenant (a calendar app sends no tenant, only the
 * token). Rows become values through `rowToCalendarFeed`.
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { hashSecret } from '../auth/secret.js';
import type { Database } from '../db/schema.js';
import type { CalendarFeedRow, FeedCreator, FeedLanguage } from '../db/tables/calendar-feed.table.js';

/** Feed tokens: `cf_` + 32 random bytes (base64url), like API keys (see tenants/api-key.ts). */
export const FEED_TOKEN_PREFIX = 'cf_';
/** A well-formed token: the prefix and 43 base64url characters (32 bytes). */
export const FEED_TOKEN_PATTERN = /^cf_[A-Za-z0-9_-]{43}$/;

/** A stored feed (never its token). */
export interface StoredCalendarFeed {
  readonly id: string;
  readonly tenantId: string;
  readonly subject:
    | { readonly kind: 'network'; readonly networkId: string }
    | { readonly kind: 'leader'; readonly leaderId: string };
  readonly language: FeedLanguage;
  readonly label: string | null;
  readonly tokenPrefix: string;
  readonly createdBy: FeedCreator;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

export function rowToCalendarFeed(row: CalendarFeedRow): StoredCalendarFeed {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    // The table's check constraint makes exactly one of the two set.
    subject:
      row.network_id !== null
        ? { kind: 'network', networkId: row.network_id }
        : { kind: 'leader', leaderId: row.leader_id ?? '' },
    language: row.language,
    label: row.label,
    tokenPrefix: row.token_prefix,
    createdBy: row.created_by,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** Creates a feed with a new token; returns the feed and the token (shown once, never stored). */
export async function insertCalendarFeed(
  db: Kysely<Database>,
  tenantId: string,
  subject: StoredCalendarFeed['subject'],
  options: { language: FeedLanguage; label: string | null; createdBy?: FeedCreator },
): Promise<{ feed: StoredCalendarFeed; token: string }> {
  const token = FEED_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('calendar_feeds')
    .values({
      tenant_id: tenantId,
      id: uuidv7(),
      network_id: subject.kind === 'network' ? subject.networkId : null,
      leader_id: subject.kind === 'leader' ? subject.leaderId : null,
      language: options.language,
      label: options.label,
      token_hash: hashSecret(token),
      token_prefix: token.slice(0, FEED_TOKEN_PREFIX.length + 6),
      created_by: options.createdBy ?? 'admin',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { feed: rowToCalendarFeed(row), token };
}

/**
 * The live (unrevoked) feed with this clear-text token, of any tenant; a leader's feed only while
 * the leader is active (a deactivation from a later time stops it then).
 */
export async function findLiveFeedByToken(db: Kysely<Database>, token: string) {
  const row = await db
    .selectFrom('calendar_feeds')
    .leftJoin('leaders', (j) =>
      j
        .onRef('leaders.tenant_id', '=', 'calendar_feeds.tenant_id')
        .onRef('leaders.id', '=', 'calendar_feeds.leader_id'),
    )
    .selectAll('calendar_feeds')
    .where('calendar_feeds.token_hash', '=', hashSecret(token))
    .where('calendar_feeds.revoked_at', 'is', null)
    .where((eb) =>
      eb.or([eb('leaders.deactivated_at', 'is', null), eb('leaders.deactivated_at', '>', sql<Date>`now()`)]),
    )
    .executeTakeFirst();
  return row ? rowToCalendarFeed(row) : undefined;
}

/** The live feeds of one network or one leader, in creation order (cursor: the last id seen). */
export async function listLiveFeeds(
  db: Kysely<Database>,
  tenantId: string,
  subject: StoredCalendarFeed['subject'],
  opts: { after?: string | undefined; limit: number },
) {
  let query = db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('revoked_at', 'is', null);
  query =
    subject.kind === 'network'
      ? query.where('network_id', '=', subject.networkId)
      : query.where('leader_id', '=', subject.leaderId);
  if (opts.after !== undefined) query = query.where('id', '>', opts.after);
  const rows = await query
    .orderBy('id')
    .limit(opts.limit + 1)
    .execute();
  return rows.map(rowToCalendarFeed);
}

/** One live feed of the tenant by id. */
export async function findLiveFeed(db: Kysely<Database>, tenantId: string, id: string) {
  const row = await db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? rowToCalendarFeed(row) : undefined;
}

/** Revokes a live feed of the tenant; the revoked feed, or undefined when there is none. */
export async function revokeCalendarFeed(db: Kysely<Database>, tenantId: string, id: string, now: Date) {
  const row = await db
    .updateTable('calendar_feeds')
    .set({ revoked_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  return row ? rowToCalendarFeed(row) : undefined;
}

/** Every membership (current and former) of one leader, one row per network. */
export async function membershipsOfLeader(db: Kysely<Database>, tenantId: string, leaderId: string) {
  return db
    .selectFrom('network_members')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', leaderId)
    .orderBy('network_id')
    .execute();
}

/** The live feeds a leader created themselves (member pages), newest first. */
export async function liveOwnFeeds(db: Kysely<Database>, tenantId: string, leaderId: string) {
  const rows = await db
    .selectFrom('calendar_feeds')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', leaderId)
    .where('created_by', '=', 'member')
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(rowToCalendarFeed);
}

/** Revokes every live feed a leader created themselves; how many were revoked. */
export async function revokeOwnFeeds(db: Kysely<Database>, tenantId: string, leaderId: string, now: Date) {
  const result = await db
    .updateTable('calendar_feeds')
    .set({ revoked_at: now })
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', leaderId)
    .where('created_by', '=', 'member')
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
