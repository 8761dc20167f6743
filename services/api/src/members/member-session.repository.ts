/**
 * Sign-in links, member sessions and member notices in the database. Plain functions taking the
 * database (or a transaction) first. Tokens arrive here already hashed: no clear-text secret is
 * ever written. Time is an argument (`now`), so the limits and expiries are testable.
 */
import { type Kysely, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../db/schema.js';
import type { MemberNoticeData } from '../db/tables/member-session.table.js';
import { revokeCredential, revokeLeaderCredentials } from './credential.repository.js';

/**
 * The active leaders, in every tenant, whose address on file is `email` (lower case), oldest
 * first (a deactivated leader gets no sign-in link).
 */
export async function findLeadersByEmail(db: Kysely<Database>, email: string) {
  return db
    .selectFrom('leaders')
    .select(['tenant_id', 'id', 'email', 'languages'])
    .where(sql<string>`lower(email)`, '=', email)
    .where((eb) => eb.or([eb('deactivated_at', 'is', null), eb('deactivated_at', '>', sql<Date>`now()`)]))
    .orderBy('created_at')
    .execute();
}

/** How many links went to this address (lower case, any tenant) since `since`. */
export async function countLinksToAddress(db: Kysely<Database>, email: string, since: Date) {
  const row = await db
    .selectFrom('member_sign_in_links')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('email', '=', email)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many links were requested from this IP (hashed) since `since`. */
export async function countLinksFromIp(db: Kysely<Database>, ipHash: string, since: Date) {
  const row = await db
    .selectFrom('member_sign_in_links')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('requested_ip_hash', '=', ipHash)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertSignInLink(
  db: Kysely<Database>,
  link: {
    tenantId: string;
    leaderId: string;
    email: string;
    tokenHash: string;
    ipHash: string;
    now: Date;
    expiresAt: Date;
  },
) {
  await db
    .insertInto('member_sign_in_links')
    .values({
      tenant_id: link.tenantId,
      id: uuidv7(),
      leader_id: link.leaderId,
      token_hash: link.tokenHash,
      email: link.email,
      created_at: link.now,
      expires_at: link.expiresAt,
      requested_ip_hash: link.ipHash,
    })
    .execute();
}

/** Deletes links that expired before `before` (their address and IP hash are kept no longer). */
export async function purgeSignInLinks(db: Kysely<Database>, before: Date) {
  await db.deleteFrom('member_sign_in_links').where('expires_at', '<', before).execute();
}

/**
 * Marks the live, unused link with this hash as used and returns whose it is; undefined when there
 * is none. One statement: of two concurrent uses, exactly one gets the row.
 */
export async function useSignInLink(db: Kysely<Database>, tokenHash: string, now: Date) {
  return db
    .updateTable('member_sign_in_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['tenant_id', 'leader_id'])
    .executeTakeFirst();
}

/** The link with this hash, used or not (to say why it cannot be used). */
export async function findSignInLink(db: Kysely<Database>, tokenHash: string) {
  return db
    .selectFrom('member_sign_in_links')
    .select(['used_at', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Ends the leader's links that are still unused (their address changed, or they were deactivated). */
export async function expireUnusedLinks(db: Kysely<Database>, tenantId: string, leaderId: string, now: Date) {
  await db
    .updateTable('member_sign_in_links')
    .set({ expires_at: now })
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', leaderId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .execute();
}

export async function insertSession(
  db: Kysely<Database>,
  session: { tenantId: string; leaderId: string; tokenHash: string; now: Date; expiresAt: Date },
) {
  const row = await db
    .insertInto('member_sessions')
    .values({
      tenant_id: session.tenantId,
      id: uuidv7(),
      leader_id: session.leaderId,
      token_hash: session.tokenHash,
      created_at: session.now,
      expires_at: session.expiresAt,
      last_seen_at: session.now,
    })
    .returning(['tenant_id', 'id', 'leader_id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return row;
}

/** Deletes the leader's sessions that ended (expired or revoked) before `before`. */
export async function purgeEndedSessions(
  db: Kysely<Database>,
  tenantId: string,
  leaderId: string,
  before: Date,
) {
  await db
    .deleteFrom('member_sessions')
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', leaderId)
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('revoked_at', '<', before)]))
    .execute();
}

/** The live (unexpired, unrevoked) session with this hash, of a leader still active at `now`. */
export async function findLiveSession(db: Kysely<Database>, tokenHash: string, now: Date) {
  return db
    .selectFrom('member_sessions')
    .innerJoin('leaders', (j) =>
      j
        .onRef('leaders.tenant_id', '=', 'member_sessions.tenant_id')
        .onRef('leaders.id', '=', 'member_sessions.leader_id'),
    )
    .select([
      'member_sessions.tenant_id',
      'member_sessions.id',
      'member_sessions.leader_id',
      'member_sessions.last_seen_at',
    ])
    .where('member_sessions.token_hash', '=', tokenHash)
    .where('member_sessions.revoked_at', 'is', null)
    .where('member_sessions.expires_at', '>', now)
    .where((eb) => eb.or([eb('leaders.deactivated_at', 'is', null), eb('leaders.deactivated_at', '>', now)]))
    .executeTakeFirst();
}

export async function touchSession(db: Kysely<Database>, tenantId: string, id: string, now: Date) {
  await db
    .updateTable('member_sessions')
    .set({ last_seen_at: now })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
}

/** Revokes one session; false when it was not live. */
export const revokeSession = (db: Kysely<Database>, tenantId: string, id: string, now: Date) =>
  revokeCredential(db, 'member_sessions', tenantId, id, now);

/** Revokes every live session of a leader; returns how many. */
export const revokeLeaderSessions = (db: Kysely<Database>, tenantId: string, leaderId: string, now: Date) =>
  revokeLeaderCredentials(db, 'member_sessions', tenantId, leaderId, now);

export async function insertNotice(
  db: Kysely<Database>,
  notice: { tenantId: string; leaderId: string; kind: 'email_changed'; data: MemberNoticeData; now: Date },
) {
  await db
    .insertInto('member_notices')
    .values({
      tenant_id: notice.tenantId,
      id: uuidv7(),
      leader_id: notice.leaderId,
      kind: notice.kind,
      data: JSON.stringify(notice.data),
      created_at: notice.now,
    })
    .execute();
}

/** The leader's newest notices, newest first. */
export async function listNotices(db: Kysely<Database>, tenantId: string, leaderId: string, limit: number) {
  return db
    .selectFrom('member_notices')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', leaderId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
