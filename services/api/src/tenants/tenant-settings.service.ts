/**
 * The tenant's own settings, read and changed with its admin key: its name, its policy on
 * member signals (confidentiality: a member's signals reach the facilitator only when the
 * tenant's policy and the member's consent both allow it), and the https origins that may frame
 * the member pages under /m/ (its HR platform).
 */
import type { ValidationIssue } from '@sparring/domain';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { validationProblem } from '../errors/problem.js';
import { type Principal, requireAdmin } from '../plugins/auth.plugin.js';

export interface TenantSettingsInput {
  readonly facilitatorSeesMemberSignals?: boolean | null;
  readonly frameAncestors?: readonly string[] | null;
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

/** The issues of a frameAncestors list (empty when it is valid). */
export function frameAncestorsIssues(origins: readonly string[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (origins.length > FRAME_ANCESTORS_MAX)
    issues.push({
      path: 'frameAncestors',
      code: 'too_long',
      message: {
        da: `Højst ${FRAME_ANCESTORS_MAX} adresser.`,
        en: `At most ${FRAME_ANCESTORS_MAX} origins.`,
      },
    });
  origins.forEach((origin, i) => {
    if (!isHttpsOrigin(origin))
      issues.push({
        path: `frameAncestors[${i}]`,
        code: 'invalid_format',
        message: {
          da: 'En https-adresse uden sti, fx https://hr.example.dk.',
          en: 'An https origin without a path, e.g. https://hr.example.com.',
        },
      });
    else if (origins.indexOf(origin) !== i)
      issues.push({
        path: `frameAncestors[${i}]`,
        code: 'duplicate',
        message: { da: 'Adressen står der allerede.', en: 'The origin is listed already.' },
      });
  });
  return issues;
}

export async function getTenantSettings(db: Kysely<Database>, principal: Principal) {
  const { tenantId } = requireAdmin(principal);
  const row = await db
    .selectFrom('tenants')
    .select(['id', 'name', 'facilitator_sees_member_signals', 'frame_ancestors'])
    .where('id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return {
    tenantId: row.id,
    name: row.name,
    facilitatorSeesMemberSignals: row.facilitator_sees_member_signals,
    frameAncestors: [...row.frame_ancestors],
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

export async function updateTenantSettings(
  db: Kysely<Database>,
  principal: Principal,
  input: TenantSettingsInput,
) {
  const { tenantId } = requireAdmin(principal);
  // GraphQL may send an explicit null for an optional field: like absent, it changes nothing.
  const frameAncestors = Array.isArray(input.frameAncestors) ? input.frameAncestors : undefined;
  if (frameAncestors) {
    const issues = frameAncestorsIssues(frameAncestors);
    if (issues.length > 0) throw validationProblem(issues);
  }
  const changes = {
    ...(typeof input.facilitatorSeesMemberSignals === 'boolean'
      ? { facilitator_sees_member_signals: input.facilitatorSeesMemberSignals }
      : {}),
    ...(frameAncestors ? { frame_ancestors: JSON.stringify(frameAncestors) } : {}),
  };
  if (Object.keys(changes).length > 0)
    await db.updateTable('tenants').set(changes).where('id', '=', tenantId).execute();
  return getTenantSettings(db, principal);
}
