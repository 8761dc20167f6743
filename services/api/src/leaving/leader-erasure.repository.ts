/**
 * Erasure's scrubbing of mentions (docs/provisioning.md, "Leaving and erasure"): the tenant's
 * free-text columns and stored `Idempotency-Key` responses where someone else may have written an
 * erased person's name, email or HR id. Used by `eraseLeader` (leader-lifecycle.service.ts).
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { problem, toProblemDocument } from '../errors/problem.js';

type Db = Kysely<Database>;

/** What replaces an erased person's free text and mentions of them in other texts. */
export const ERASED_TEXT = '[erased]';
/**
 * Mentions shorter than this are not searched for in other people's texts: a two-letter name
 * would erase every word it occurs in. The person's own texts are erased whole regardless.
 */
const MENTION_MIN_LENGTH = 4;

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
export async function scrubMentions(trx: Db, tenantId: string, values: readonly string[]) {
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
export async function scrubIdempotency(
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
