/**
 * Member tokens: minted by an admin for one leader, short-lived, revocable. With one, the leader
 * acts as themselves only (accept the charter, confirm or cancel, answer evaluations, read their
 * own answers). Stored as SHA-256 hashes, like API keys.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { hashSecret } from '../auth/secret.js';
import type { Database } from '../db/schema.js';
import { revokeCredential, revokeLeaderCredentials } from './credential.repository.js';

export const MEMBER_TOKEN_PREFIX = 'mt_';

/** Default lifetime: one hour, a typical HR-platform session; at most 30 days. */
export const MEMBER_TOKEN_TTL = { defaultSeconds: 3600, minSeconds: 60, maxSeconds: 30 * 24 * 3600 } as const;

export async function mintMemberToken(
  db: Kysely<Database>,
  tenantId: string,
  leaderId: string,
  ttlSeconds: number,
  now: Date,
) {
  const token = MEMBER_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await db
    .insertInto('member_tokens')
    .values({
      tenant_id: tenantId,
      id: uuidv7(),
      leader_id: leaderId,
      token_hash: hashSecret(token),
      expires_at: new Date(now.getTime() + ttlSeconds * 1000),
    })
    .returning(['id', 'leader_id', 'expires_at'])
    .executeTakeFirstOrThrow();
  return { token, id: row.id, leaderId: row.leader_id, expiresAt: row.expires_at };
}

/**
 * The live (unexpired, unrevoked) token whose stored form (`hashSecret` of the clear-text value) is
 * `tokenHash`, of a leader still active at `now` (a deactivation from a later time stops the token
 * then; docs/provisioning.md).
 */
export async function findLiveMemberToken(db: Kysely<Database>, tokenHash: string, now: Date) {
  return db
    .selectFrom('member_tokens')
    .innerJoin('leaders', (j) =>
      j
        .onRef('leaders.tenant_id', '=', 'member_tokens.tenant_id')
        .onRef('leaders.id', '=', 'member_tokens.leader_id'),
    )
    .select(['member_tokens.tenant_id', 'member_tokens.id', 'member_tokens.leader_id'])
    .where('member_tokens.token_hash', '=', tokenHash)
    .where('member_tokens.revoked_at', 'is', null)
    .where('member_tokens.expires_at', '>', now)
    .where((eb) => eb.or([eb('leaders.deactivated_at', 'is', null), eb('leaders.deactivated_at', '>', now)]))
    .executeTakeFirst();
}

/** Revokes a token of the tenant; false when there is none. */
export const revokeMemberToken = (db: Kysely<Database>, tenantId: string, id: string, now: Date) =>
  revokeCredential(db, 'member_tokens', tenantId, id, now);

/** Revokes every live token of a leader (they leave); how many. */
export const revokeLeaderTokens = (db: Kysely<Database>, tenantId: string, leaderId: string, now: Date) =>
  revokeLeaderCredentials(db, 'member_tokens', tenantId, leaderId, now);

/**
 * A leader's tokens, newest first (UUIDv7 ids sort by creation), `limit + 1` rows for `toPage`.
 * Never selects the hash: nothing that could help guess a token leaves this function.
 */
export async function listMemberTokens(
  db: Kysely<Database>,
  tenantId: string,
  leaderId: string,
  opts: { before?: string | undefined; limit: number },
) {
  let q = db
    .selectFrom('member_tokens')
    .select(['id', 'leader_id', 'created_at', 'expires_at', 'revoked_at'])
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', leaderId);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  return q
    .orderBy('id', 'desc')
    .limit(opts.limit + 1)
    .execute();
}
