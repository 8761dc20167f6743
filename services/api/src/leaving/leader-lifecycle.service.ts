/**
 * Leaving and erasure of leaders (docs/provisioning.md, "Leaving and erasure"), shared by REST,
 * GraphQL and SCIM:
 *
 * - `deactivateLeader`: the leader stops being active from a time (default now). Every open
 *   membership ends then (the networks' own `endMembership`: facilitator cleared, member_left and
 *   charter events), their member tokens, sessions, sign-in links and calendar feeds stop, and
 *   `leader.deactivated` is recorded. Idempotent.
 * - `reactivateLeader`: active again; memberships are not restored.
 * - `eraseLeader` (GDPR art. 17): deactivates, then removes the person's identity and every free
 *   text they wrote, and mentions of their name, email or HR id in the tenant's free texts. The
 *   row and the ids that released aggregates count (attendance, evaluation scores, memberships)
 *   stay, anonymised, so released results do not change. A leader who was never a member is
 *   deleted outright.
 *
 * Each writes one audit line (`audit: leader_deactivated | leader_reactivated | leader_erased`)
 * with ids and counts only, never a name or an address. The scrubbing of mentions in other
 * people's texts is in leader-erasure.repository.ts.
 */
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { type Principal, requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { inTransaction, recordEvent } from '../events/event.repository.js';
import { assertUuid } from '../http/ids.js';
import { rowToLeader, type StoredLeader } from '../leaders/leader.repository.js';
import { revokeSessionsOfLeader } from '../members/member-session.service.js';
import { revokeLeaderTokens } from '../members/member-token.repository.js';
import { lockNetwork, membersOf } from '../networks/network.repository.js';
import { endMembership } from '../networks/network.service.js';
import { ERASED_TEXT, scrubIdempotency, scrubMentions } from './leader-erasure.repository.js';

export { isActiveLeader } from '../leaders/leader.repository.js';
export { ERASED_TEXT } from './leader-erasure.repository.js';

import type { LeaderRow } from '../db/tables/leader.table.js';

type Db = Kysely<Database>;

/** What an erased leader's name reads as (clients may show their own words when `erasedAt` is set). */
export const ERASED_LEADER_NAME = 'Erased leader';
/**
 * An erased leader's address: unique in the tenant (the column is unique and not null) and
 * undeliverable by construction (`.invalid` is reserved, RFC 2606 §2 / RFC 6761 §6.4).
 */
export const erasedEmail = (leaderId: string) => `erased-${leaderId}@erased.invalid`;

export interface LifecycleOptions {
  /** Where the audit line goes: the request's logger (REST, GraphQL, SCIM pass `request.log`). */
  readonly log?: FastifyBaseLogger | undefined;
}

/** RFC 3339 date-time with a zone, as `updatedSince` takes it. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function parseFrom(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (!RFC3339.test(value) || Number.isNaN(at.getTime()))
    throw validationProblem([
      {
        path: 'from',
        code: 'invalid_format',
        message: {
          da: 'Angiv et tidspunkt som 2026-12-01T08:00:00Z.',
          en: 'Give a time such as 2026-12-01T08:00:00Z.',
        },
      },
    ]);
  return at;
}

/** The leader's row, locked for the rest of the transaction; 404 when the tenant has none. */
async function lockLeader(trx: Db, tenantId: string, leaderId: string): Promise<LeaderRow> {
  const row = await trx
    .selectFrom('leaders')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('id', '=', leaderId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw problem('not_found', 'No leader with this id');
  return row;
}

interface DeactivationCounts {
  membershipsEnded: number;
  tokensRevoked: number;
  sessionsRevoked: number;
  feedsRevoked: number;
}

/**
 * The work of a deactivation on a locked leader row, inside the caller's transaction.
 *
 * `at` may lie ahead (a leaving date HR knows in advance): memberships end at `at` (the domain
 * counts the member active until then, as with a future `leftAt` on the network), and the
 * credential lookups (member tokens, sessions, calendar feeds, sign-in requests) refuse a leader
 * whose `deactivated_at` has passed, so they stop at `at` with nothing scheduled. Credentials are
 * also revoked here when `at` is now or past. A membership that began after `at` ends when it
 * began (it can only be that short).
 */
async function deactivateLocked(
  trx: Db,
  tenantId: string,
  leaderId: string,
  at: Date,
  now: Date,
): Promise<DeactivationCounts> {
  const open = await trx
    .selectFrom('network_members')
    .select(['network_id', 'joined_at'])
    .where('tenant_id', '=', tenantId)
    .where('leader_id', '=', leaderId)
    .where((eb) => eb.or([eb('left_at', 'is', null), eb('left_at', '>', at)]))
    .orderBy('network_id') // one lock order for every caller
    .execute();
  for (const membership of open) {
    const network = await lockNetwork(trx, tenantId, membership.network_id);
    if (!network) continue;
    const rows = await membersOf(trx, tenantId, [network.id]);
    const leftAt = at.getTime() < membership.joined_at.getTime() ? membership.joined_at : at;
    await endMembership(trx, tenantId, network, rows, leaderId, leftAt, now);
  }
  await trx
    .updateTable('leaders')
    .set({ deactivated_at: at, version: sql`version + 1`, updated_at: sql`now()` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', leaderId)
    .execute();
  let tokensRevoked = 0;
  let sessionsRevoked = 0;
  let feedsRevoked = 0;
  if (at.getTime() <= now.getTime()) {
    tokensRevoked = await revokeLeaderTokens(trx, tenantId, leaderId, now);
    sessionsRevoked = await revokeSessionsOfLeader(trx, tenantId, leaderId, now);
    const feeds = await trx
      .updateTable('calendar_feeds')
      .set({ revoked_at: now })
      .where('tenant_id', '=', tenantId)
      .where('leader_id', '=', leaderId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    feedsRevoked = Number(feeds.numUpdatedRows);
  }
  await recordEvent(trx, tenantId, {
    type: 'leader.deactivated',
    data: { leaderId, deactivatedAt: at.toISOString() },
  });
  return { membershipsEnded: open.length, tokensRevoked, sessionsRevoked, feedsRevoked };
}

/**
 * Deactivates a leader from `options.from` (RFC 3339, default now; see `deactivateLocked` for a
 * time ahead). Admins only. Already deactivated (or erased): returned unchanged, nothing recorded;
 * to move the date, reactivate and deactivate again.
 */
export async function deactivateLeader(
  db: Db,
  principal: Principal,
  leaderId: string,
  options: LifecycleOptions & { readonly from?: string | undefined } = {},
): Promise<StoredLeader> {
  const admin = requireAdmin(principal);
  assertUuid(leaderId, 'leader id');
  const from = parseFrom(options.from);
  const outcome = await inTransaction(db, async (trx) => {
    const row = await lockLeader(trx, admin.tenantId, leaderId);
    if (row.deactivated_at !== null) return { row, counts: null };
    const now = new Date();
    const counts = await deactivateLocked(trx, admin.tenantId, leaderId, from ?? now, now);
    return { row: await lockLeader(trx, admin.tenantId, leaderId), counts };
  });
  if (outcome.counts)
    options.log?.info(
      {
        audit: 'leader_deactivated',
        tenantId: admin.tenantId,
        leaderId,
        deactivatedAt: outcome.row.deactivated_at?.toISOString(),
        ...outcome.counts,
      },
      'leader deactivated',
    );
  return rowToLeader(outcome.row);
}

/**
 * Makes a deactivated leader active again (admins only). Memberships that ended are not restored
 * (the admin adds the leader to a network again); an erased leader cannot come back (410). An
 * active leader is returned unchanged. Records `leader.updated` (the version moves).
 */
export async function reactivateLeader(
  db: Db,
  principal: Principal,
  leaderId: string,
  options: LifecycleOptions = {},
): Promise<StoredLeader> {
  const admin = requireAdmin(principal);
  assertUuid(leaderId, 'leader id');
  const outcome = await inTransaction(db, async (trx) => {
    const row = await lockLeader(trx, admin.tenantId, leaderId);
    if (row.erased_at !== null) throw problem('leader_erased', 'An erased leader cannot be reactivated');
    if (row.deactivated_at === null) return { row, changed: false };
    const updated = await trx
      .updateTable('leaders')
      .set({ deactivated_at: null, version: sql`version + 1`, updated_at: sql`now()` })
      .where('tenant_id', '=', admin.tenantId)
      .where('id', '=', leaderId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordEvent(trx, admin.tenantId, {
      type: 'leader.updated',
      data: { leaderId, version: updated.version },
    });
    return { row: updated, changed: true };
  });
  if (outcome.changed)
    options.log?.info(
      { audit: 'leader_reactivated', tenantId: admin.tenantId, leaderId },
      'leader reactivated',
    );
  return rowToLeader(outcome.row);
}

// ---------------------------------------------------------------------------------------------
// Erasure

/**
 * Erases a leader (GDPR art. 17; admins only). A member (current or former) is deactivated first
 * (now) if active or deactivated from a later time. Then, in the same transaction:
 * - mentions of their name, email and HR id in the tenant's free texts become ERASED_TEXT,
 *   stored `Idempotency-Key` responses carrying them are replaced or deleted (`scrubIdempotency`);
 * - a leader who was never a member is deleted (their tokens, sessions, links, notices and
 *   feeds go with the row);
 * - anyone else keeps the row and its id, anonymised: the profile reset (ERASED_LEADER_NAME, an
 *   undeliverable unique address, no HR id, organisation, sector, region, manager, exclusions or
 *   preferences; `level` stays, the column has no empty value), their own free texts erased
 *   (agenda titles they own become ERASED_TEXT, evaluation comments null, feed labels null), their
 *   tokens, token actions, sessions, sign-in links and notices deleted. Memberships, attendance and
 *   evaluation scores stay under the id: released results and health read the same.
 * Records `leader.erased`. Erasing an erased leader changes nothing. Returns the erased leader,
 * or null when the row was deleted.
 */
export async function eraseLeader(
  db: Db,
  principal: Principal,
  leaderId: string,
  options: LifecycleOptions = {},
): Promise<StoredLeader | null> {
  const admin = requireAdmin(principal);
  assertUuid(leaderId, 'leader id');
  const tenantId = admin.tenantId;
  const outcome = await inTransaction(db, async (trx) => {
    const row = await lockLeader(trx, tenantId, leaderId);
    if (row.erased_at !== null) return { row, audit: null };
    const now = new Date();
    const mentions = [row.name, row.email, ...(row.external_id ? [row.external_id] : [])];
    const everMember = await trx
      .selectFrom('network_members')
      .select('network_id')
      .where('tenant_id', '=', tenantId)
      .where('leader_id', '=', leaderId)
      .limit(1)
      .executeTakeFirst();
    // A member is deactivated first (memberships end now, credentials stop); a leader who was
    // never one has nothing to end, and their credentials go with the row.
    const deactivation =
      everMember !== undefined &&
      (row.deactivated_at === null || row.deactivated_at.getTime() > now.getTime())
        ? await deactivateLocked(trx, tenantId, leaderId, now, now)
        : null;
    const [tokens, sessions] = await Promise.all([
      trx
        .selectFrom('member_tokens')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('leader_id', '=', leaderId)
        .execute(),
      trx
        .selectFrom('member_sessions')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('leader_id', '=', leaderId)
        .execute(),
    ]);
    // The person's own free texts first (whole), then mentions of them anywhere.
    const own = await trx
      .updateTable('agenda_items')
      .set({ title: ERASED_TEXT })
      .where('tenant_id', '=', tenantId)
      .where('owner_id', '=', leaderId)
      .executeTakeFirst();
    const comments = await trx
      .updateTable('evaluations')
      .set({ comment: null })
      .where('tenant_id', '=', tenantId)
      .where('leader_id', '=', leaderId)
      .where('comment', 'is not', null)
      .executeTakeFirst();
    await trx
      .updateTable('calendar_feeds')
      .set({ label: null })
      .where('tenant_id', '=', tenantId)
      .where('leader_id', '=', leaderId)
      .execute();
    const mentionRows = await scrubMentions(trx, tenantId, mentions);
    const idempotencyRows = await scrubIdempotency(trx, tenantId, leaderId, mentions, [
      ...tokens.map((t) => t.id),
      ...sessions.map((s) => s.id),
    ]);
    const audit = {
      hardDeleted: everMember === undefined,
      ownTextsErased: Number(own.numUpdatedRows) + Number(comments.numUpdatedRows),
      mentionRows,
      idempotencyRows,
      ...(deactivation ?? {}),
    };
    await recordEvent(trx, tenantId, { type: 'leader.erased', data: { leaderId } });
    if (everMember === undefined) {
      await trx.deleteFrom('leaders').where('tenant_id', '=', tenantId).where('id', '=', leaderId).execute();
      return { row: null, audit };
    }
    for (const table of [
      'member_token_actions',
      'member_tokens',
      'member_sessions',
      'member_sign_in_links',
      'member_notices',
    ] as const)
      await trx
        .deleteFrom(table)
        .where('tenant_id', '=', tenantId)
        .where('leader_id', '=', leaderId)
        .execute();
    const erased = await trx
      .updateTable('leaders')
      .set({
        name: ERASED_LEADER_NAME,
        email: erasedEmail(leaderId),
        organisation: '',
        sector: '',
        region: '',
        years_of_experience: 0,
        languages: '[]',
        motivations: '[]',
        availability: '[]',
        formats: '[]',
        preferred_cadence_months: null,
        manager_id: null,
        exclusions: '[]',
        sameness: JSON.stringify({
          sector: 'no_preference',
          experience: 'no_preference',
          organisation: 'no_preference',
        }),
        external_id: null,
        erased_at: now,
        version: sql`version + 1`,
        updated_at: sql`now()`,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', leaderId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { row: erased, audit };
  });
  if (outcome.audit)
    options.log?.info({ audit: 'leader_erased', tenantId, leaderId, ...outcome.audit }, 'leader erased');
  return outcome.row ? rowToLeader(outcome.row) : null;
}
