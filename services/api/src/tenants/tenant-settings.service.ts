/**
 * The tenant's own settings, read and changed with its admin key: its name, its policy on
 * member signals (confidentiality: a member's signals reach the facilitator only when the
 * tenant's policy and the member's consent both allow it), the https origins that may frame
 * the member pages under /m/ (its HR platform), and the origins whose browser code may call the
 * API (CORS, http/cors.plugin.ts).
 */
import type { ValidationIssue } from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import { type Principal, requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { validationProblem } from '../errors/problem.js';

export interface TenantSettingsInput {
  readonly facilitatorSeesMemberSignals?: boolean | null;
  readonly frameAncestors?: readonly string[] | null;
  readonly corsOrigins?: readonly string[] | null;
}

/** At most this many origins may frame the member pages (an HR platform has one or two). */
export const FRAME_ANCESTORS_MAX = 10;

/**
 * True when `value` is exactly an https origin (`https://host[:port]`, no path, query, fragment or
 * credentials, written as the URL standard serialises it): the only form that goes into a CSP
 * `frame-ancestors` list without widening it or breaking the header.
 */
export function isHttpsOrigin(value: string): boolean {
  if (!value.startsWith('https://')) return false;
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/**
 * At most this many origins may call the API from a browser for one tenant: an HR platform has a
 * production origin and a few staging or local ones (the same order of size as FRAME_ANCESTORS_MAX;
 * every origin of every tenant is held in memory for preflights, so the list is bounded).
 */
export const CORS_ORIGINS_MAX = 20;

/** Hosts a developer's own machine answers on: plain http is accepted for them only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * True when `value` is exactly an origin a browser sends in `Origin` and may be allowed to call
 * the API: `https://host[:port]`, or `http://` on a loopback host (local development), with no
 * path, query, fragment or credentials, written as the URL standard serialises it (lower case,
 * no default port, punycode). `*` and `null` are not origins.
 */
export function isCorsOrigin(value: string): boolean {
  if (!value.startsWith('https://') && !value.startsWith('http://')) return false;
  try {
    const url = new URL(value);
    if (url.origin !== value) return false;
    return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

/** The issues of a list of origins under `field` (empty when it is valid). */
function originListIssues(
  field: string,
  origins: readonly string[],
  max: number,
  isValid: (origin: string) => boolean,
  expected: { da: string; en: string },
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (origins.length > max)
    issues.push({
      path: field,
      code: 'too_long',
      message: { da: `Højst ${max} adresser.`, en: `At most ${max} origins.` },
    });
  origins.forEach((origin, i) => {
    if (origin === '*')
      issues.push({
        path: `${field}[${i}]`,
        code: 'not_allowed',
        message: {
          da: 'Ingen jokertegn: skriv hver adresse for sig.',
          en: 'No wildcard: list each origin.',
        },
      });
    else if (!isValid(origin))
      issues.push({ path: `${field}[${i}]`, code: 'invalid_format', message: expected });
    else if (origins.indexOf(origin) !== i)
      issues.push({
        path: `${field}[${i}]`,
        code: 'duplicate',
        message: { da: 'Adressen står der allerede.', en: 'The origin is listed already.' },
      });
  });
  return issues;
}

/** The issues of a frameAncestors list (empty when it is valid). */
export function frameAncestorsIssues(origins: readonly string[]): ValidationIssue[] {
  return originListIssues('frameAncestors', origins, FRAME_ANCESTORS_MAX, isHttpsOrigin, {
    da: 'En https-adresse uden sti, fx https://hr.example.dk.',
    en: 'An https origin without a path, e.g. https://hr.example.com.',
  });
}

/** The issues of a corsOrigins list (empty when it is valid). */
export function corsOriginsIssues(origins: readonly string[]): ValidationIssue[] {
  return originListIssues('corsOrigins', origins, CORS_ORIGINS_MAX, isCorsOrigin, {
    da: 'En adresse som browseren skriver den i Origin: https://vært[:port] uden sti og med små bogstaver, fx https://hr.example.dk (http kun for localhost).',
    en: 'An origin as the browser writes it in Origin: https://host[:port], lower case, no path, e.g. https://hr.example.com (http for localhost only).',
  });
}

export async function getTenantSettings(db: Kysely<Database>, principal: Principal) {
  const { tenantId } = requireAdmin(principal);
  const row = await db
    .selectFrom('tenants')
    .select(['id', 'name', 'facilitator_sees_member_signals', 'frame_ancestors', 'cors_origins'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return {
    tenantId: row.id,
    name: row.name,
    facilitatorSeesMemberSignals: row.facilitator_sees_member_signals,
    frameAncestors: [...row.frame_ancestors],
    corsOrigins: [...row.cors_origins],
  };
}

/** The origins allowed to frame the member pages of a tenant ([] for an unknown tenant). Any caller. */
export async function frameAncestorsOf(db: Kysely<Database>, tenantId: string): Promise<string[]> {
  const row = await db
    .selectFrom('tenants')
    .select('frame_ancestors')
    .where('id', '=', tenantId)
    .executeTakeFirst();
  // Re-checked on the way out: only well-formed origins ever reach a header.
  return (row?.frame_ancestors ?? []).filter(isHttpsOrigin);
}

let corsOriginsChanges = 0;

/**
 * A number that grows whenever this process changes a tenant's corsOrigins: the CORS plugin's
 * cache reloads at once when it moves (other replicas see a change when their cache expires).
 */
export const corsOriginsGeneration = () => corsOriginsChanges;

/** Every tenant that lists an origin, with its origins (for the CORS plugin's cache). Any caller. */
export async function allCorsOrigins(
  db: Kysely<Database>,
): Promise<{ tenantId: string; origins: string[] }[]> {
  const rows = await db
    .selectFrom('tenants')
    .select(['id', 'cors_origins'])
    .where('cors_origins', '!=', sql<string[]>`'[]'::jsonb`)
    .execute();
  // Re-checked on the way out: only well-formed origins ever reach a header.
  return rows.map((r) => ({ tenantId: r.id, origins: r.cors_origins.filter(isCorsOrigin) }));
}

export async function updateTenantSettings(
  db: Kysely<Database>,
  principal: Principal,
  input: TenantSettingsInput,
) {
  const { tenantId } = requireAdmin(principal);
  // GraphQL may send an explicit null for an optional field: like absent, it changes nothing.
  const frameAncestors = Array.isArray(input.frameAncestors) ? input.frameAncestors : undefined;
  const corsOrigins = Array.isArray(input.corsOrigins) ? input.corsOrigins : undefined;
  const issues = [...frameAncestorsIssues(frameAncestors ?? []), ...corsOriginsIssues(corsOrigins ?? [])];
  if (issues.length > 0) throw validationProblem(issues);
  const changes = {
    ...(typeof input.facilitatorSeesMemberSignals === 'boolean'
      ? { facilitator_sees_member_signals: input.facilitatorSeesMemberSignals }
      : {}),
    ...(frameAncestors ? { frame_ancestors: JSON.stringify(frameAncestors) } : {}),
    ...(corsOrigins ? { cors_origins: JSON.stringify(corsOrigins) } : {}),
  };
  if (Object.keys(changes).length > 0)
    await db.updateTable('tenants').set(changes).where('id', '=', tenantId).execute();
  if (corsOrigins) corsOriginsChanges++;
  return getTenantSettings(db, principal);
}
