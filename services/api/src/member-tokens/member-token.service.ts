/**
 * Member tokens as use cases shared by REST and GraphQL: an admin mints one for a leader of its
 * tenant and revokes it; the holder reads who they are. Minting and revoking are audited in the
 * log (whoever holds a token acts as that leader), never with the token itself.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { type Principal, requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { getLeader } from '../leaders/leader.service.js';
import {
  listMemberTokens,
  MEMBER_TOKEN_TTL,
  mintMemberToken,
  revokeMemberToken,
} from '../members/member-token.repository.js';

/** Mints a token for one leader of the caller's tenant (404 for any other); `ttlSeconds` within MEMBER_TOKEN_TTL. */
export async function issueMemberToken(
  db: Kysely<Database>,
  principal: Principal,
  leaderId: string,
  ttlSeconds: number | undefined,
  log: FastifyBaseLogger,
) {
  const admin = requireAdmin(principal);
  const ttl = ttlSeconds ?? MEMBER_TOKEN_TTL.defaultSeconds;
  if (!Number.isInteger(ttl) || ttl < MEMBER_TOKEN_TTL.minSeconds || ttl > MEMBER_TOKEN_TTL.maxSeconds)
    throw validationProblem([
      {
        path: 'ttlSeconds',
        code: 'not_allowed',
        message: {
          da: `Et helt antal sekunder fra ${MEMBER_TOKEN_TTL.minSeconds} til ${MEMBER_TOKEN_TTL.maxSeconds}.`,
          en: `A whole number of seconds from ${MEMBER_TOKEN_TTL.minSeconds} to ${MEMBER_TOKEN_TTL.maxSeconds}.`,
        },
      },
    ]);
  const leader = await getLeader(db, admin, leaderId);
  if (leader.erasedAt !== null) throw problem('leader_erased', 'An erased leader cannot get a member token');
  if (leader.deactivatedAt !== null && leader.deactivatedAt.getTime() <= Date.now())
    throw problem('leader_deactivated', 'A deactivated leader cannot get a member token');
  const minted = await mintMemberToken(db, admin.tenantId, leader.id, ttl, new Date());
  log.info(
    { audit: 'member_token_minted', tenantId: admin.tenantId, leaderId: leader.id, tokenId: minted.id },
    'member token minted',
  );
  return { ...minted, expiresAt: minted.expiresAt.toISOString() };
}

/** Revokes a live token of the caller's tenant; 404 when there is none with this id. */
export async function withdrawMemberToken(
  db: Kysely<Database>,
  principal: Principal,
  tokenId: string,
  log: FastifyBaseLogger,
) {
  const admin = requireAdmin(principal);
  assertUuid(tokenId, 'token id');
  if (!(await revokeMemberToken(db, admin.tenantId, tokenId, new Date())))
    throw problem('not_found', 'No live member token with this id');
  log.info({ audit: 'member_token_revoked', tenantId: admin.tenantId, tokenId }, 'member token revoked');
}

/** The leader a member token belongs to. */
export async function currentLeader(db: Kysely<Database>, principal: Principal) {
  if (principal.kind !== 'member') throw problem('forbidden', 'This needs a member token');
  return getLeader(db, principal, principal.leaderId);
}

type ListedMemberToken = Awaited<ReturnType<typeof listMemberTokens>>[number];

/**
 * A token as the list shows it: when it was minted, expires, was revoked, and what that makes it
 * now. Never the token or its hash (the token is shown once, when minted).
 */
export function toMemberTokenInfo(row: ListedMemberToken, now: Date) {
  return {
    id: row.id,
    leaderId: row.leader_id,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    status:
      row.revoked_at !== null
        ? ('revoked' as const)
        : row.expires_at.getTime() <= now.getTime()
          ? ('expired' as const)
          : ('live' as const),
  };
}
export type MemberTokenInfo = ReturnType<typeof toMemberTokenInfo>;

/** A leader's member tokens, newest first (admin); 404 for a leader not of the caller's tenant. */
export async function listMemberTokensPage(
  db: Kysely<Database>,
  principal: Principal,
  leaderId: string,
  opts: { limit: number; cursor?: string | undefined },
) {
  const admin = requireAdmin(principal);
  const leader = await getLeader(db, admin, leaderId);
  const rows = await listMemberTokens(db, admin.tenantId, leader.id, {
    before: decodeCursor(opts.cursor),
    limit: opts.limit,
  });
  const page = toPage(rows, opts.limit);
  const now = new Date();
  return { items: page.items.map((r) => toMemberTokenInfo(r, now)), nextCursor: page.nextCursor };
}
