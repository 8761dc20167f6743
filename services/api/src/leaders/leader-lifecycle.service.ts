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
 * with ids and counts only, never a name or an address.
 */
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { type Principal, requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, toProblemDocument, validationProblem } from '../errors/problem.js';
import { inTransaction, recordEvent } from '../events/event.repository.js';
import { assertUuid } from '../http/ids.js';
import { revokeSessionsOfLeader } from '../members/member-session.service.js';
import { revokeLeaderTokens } from '../members/member-token.repository.js';
import { lockNetwork, membersOf } from '../networks/network.repository.js';
import { endMembership } from '../networks/network.service.js';
import { rowToLeader, type StoredLeader } from './leader.repository.js';

export { isActiveLeader } from './leader.repository.js';

import type { LeaderRow } from './leader.table.js';

type Db = Kysely<Database>;

/** What an erased leader's name reads as (clients may show their own words when `erasedAt` is set). */
export const ERASED_LEADER_NAME = 'Erased leader';
/** What replaces an erased person's free text and mentions of them in other texts. */
export const ERASED_TEXT = '[erased]';
/**
 * An erased leader's address: unique in the tenant (the column is unique and not null) and
 * undeliverable by construction (`.invalid` is reserved, RFC 2606 §2 / RFC 6761 §6.4).
 */
export const erasedEmail = (leaderId: string) => `erased-${leaderId}@erased.invalid`;
/**
 * Mentions shorter than this are not searched for in other people's texts: a two-letter name
 * would erase every word it occurs in. The person's own texts are erased whole regardless.
 */
const MENTION_MIN_LENGTH = 4;

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
 * Free-text columns of the tenant's tables where someone else may have written the person's name,
 * email or HR id: each mention is replaced by ERASED_TEXT. `json`: the column holds JSON (jsonb,
 * or text carrying a JSON document), so the mention is matched in its JSON-escaped form.
 * The test (test/leaders.lifecycle.test.ts) scans every text and jsonb column of the database,
 * so a new free-text column that is not listed here fails it once a fixture writes there.
 */
const MENTION_COLUMNS: readonly { table: keyof Database; column: string; kind: 'text' | 'jsonb' }[] = [
  { table: 'agenda_items', column: 'title', kind: 'text' },
  { table: 'evaluations', column: 'comment', kind: 'text' },
  { table: 'charter_versions', column: 'charter', kind: 'jsonb' },
  { table: 'meeting_model_versions', column: 'model', kind: 'jsonb' },
  { table: 'meetings', column: 'venue', kind: 'jsonb' },
  { table: 'meetings', column: 'roles', kind: 'jsonb' },
  { table: 'networks', column: 'name', kind: 'text' },
  { table: 'networks', column: 'facilitator', kind: 'jsonb' },
  { table: 'networks', column: 'lifecycle', kind: 'jsonb' },
  { table: 'reviews', column: 'recommendation', kind: 'jsonb' },
  { table: 'reviews', column: 'decision_detail', kind: 'jsonb' },
  { table: 'calendar_feeds', column: 'label', kind: 'text' },
  { table: 'webhook_endpoints', column: 'description', kind: 'text' },
  { table: 'webhook_deliveries', column: 'payload', kind: 'text' },
  { table: 'webhook_delivery_attempts', column: 'response_body', kind: 'text' },
  { table: 'webhook_delivery_attempts', column: 'error', kind: 'text' },
  { table: 'events', column: 'data', kind: 'jsonb' },
  { table: 'formation_runs', column: 'error', kind: 'text' },
  { table: 'member_notices', column: 'data', kind: 'jsonb' },
  { table: 'api_keys', column: 'name', kind: 'text' },
];

/** A literal for a PostgreSQL regular expression (ARE): ASCII punctuation escaped. */
const literal = (s: string) => s.replace(/[^A-Za-z0-9\s\u0080-\uffff]/g, (c) => `\\${c}`);

/** One alternative: the literal, bounded as a whole word where it starts or ends with one. */
function wholeWord(s: string): string {
  const start = /^[A-Za-z0-9_]/.test(s) ? '\\m' : '';
  const end = /[A-Za-z0-9_]$/.test(s) ? '\\M' : '';
  return `${start}${literal(s)}${end}`;
}

/** The case-insensitive pattern for these mentions, raw or JSON-escaped; null when none is long enough. */
function mentionPattern(values: readonly string[], json: boolean): string | null {
  const forms = values
    .filter((v) => v.trim().length >= MENTION_MIN_LENGTH)
    .map((v) => (json ? JSON.stringify(v).slice(1, -1) : v));
  if (forms.length === 0) return null;
  return `(${[...new Set(forms)].map(wholeWord).join('|')})`;
}

/** Replaces mentions of the person in the tenant's free-text columns; returns how many rows changed. */
async function scrubMentions(trx: Db, tenantId: string, values: readonly string[]) {
  let changed = 0;
  const raw = mentionPattern(values, false);
  const json = mentionPattern(values, true);
  for (const { table, column, kind } of MENTION_COLUMNS) {
    const col = sql.ref(column);
    const patterns = kind === 'jsonb' ? [json] : [...new Set([raw, json])];
    for (const pattern of patterns) {
      if (pattern === null) continue;
      const replaced = sql`regexp_replace(${col}::text, ${pattern}, ${ERASED_TEXT}, 'gi')`;
      const result = await sql`
        update ${sql.table(table)}
        set ${col} = ${kind === 'jsonb' ? sql`(${replaced})::jsonb` : replaced}
        where tenant_id = ${tenantId} and ${col}::text ~* ${pattern}`.execute(trx);
      changed += Number(result.numAffectedRows ?? 0n);
    }
  }
  return changed;
}

/**
 * Stored responses of `Idempotency-Key` requests that carry the person (their id, or a mention):
 * those of their own tokens and sessions are deleted (those callers are gone); any other caller's
 * is replaced by a 410 `leader_erased` problem, so a retry with the key is still answered, not
 * run again, and replays nothing of the person.
 */
async function scrubIdempotency(
  trx: Db,
  tenantId: string,
  leaderId: string,
  values: readonly string[],
  ownCallerIds: readonly string[],
) {
  let changed = 0;
  if (ownCallerIds.length > 0) {
    const deleted = await trx
      .deleteFrom('idempotency_keys')
      .where('tenant_id', '=', tenantId)
      .where('principal', 'in', ownCallerIds)
      .executeTakeFirst();
    changed += Number(deleted.numDeletedRows);
  }
  const raw = mentionPattern(values, false);
  const json = mentionPattern(values, true);
  const body = JSON.stringify(
    toProblemDocument(
      problem('leader_erased', 'The stored response named a leader who has since been erased'),
    ),
  );
  const result = await trx
    .updateTable('idempotency_keys')
    .set({
      status_code: 410,
      response_headers: JSON.stringify({
        'content-type': 'application/problem+json; charset=utf-8',
      }) as unknown as Record<string, string>,
      response_body: body,
    })
    .where('tenant_id', '=', tenantId)
    .where('state', '=', 'completed')
    .where((eb) =>
      eb.or([
        eb('response_body', 'like', `%${leaderId}%`),
        ...[raw, json].flatMap((p) => (p === null ? [] : [eb('response_body', '~*', p)])),
      ]),
    )
    .executeTakeFirst();
  changed += Number(result.numUpdatedRows);
  return changed;
}

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
