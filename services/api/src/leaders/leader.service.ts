/**
 * The leader use cases, shared by REST and GraphQL: validate with the domain, check references
 * within the tenant, persist, and shape the resource for the caller.
 */
import { type LeaderProfile, mailLanguage, parseLeaderProfile, patchLeaderProfile } from '@sparring/domain';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { inTransaction, recordEvent } from '../events/event.repository.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { type EmailChange, recordEmailChange } from '../members/member-session.service.js';
import {
  existingLeaderIds,
  findLeader,
  insertLeader,
  isActiveLeader,
  listLeaders,
  type StoredLeader,
  updateLeader,
} from './leader.repository.js';

/**
 * A leader as the caller may see it. Never the exclusion list: it is the leader's private data,
 * WRITE-ONLY for the admin (HR provisions it on create and update, the domain's conflict rules
 * read it), and no response of the API returns it, to the admin or anyone else
 * (docs/confidentiality.md). `_principal` is kept so every read passes who is asking.
 */
export function toLeaderResource(leader: StoredLeader, _principal: Principal) {
  // Every field by name, so the write-only exclusion list is never among them. (This was a rest
  // destructuring that left `exclusions` out: ~35 × slower per leader, a tenth of the CPU of a
  // leader list page; docs/benchmarks.md "Reads".)
  return {
    id: leader.id,
    name: leader.name,
    email: leader.email,
    sector: leader.sector,
    organisation: leader.organisation,
    level: leader.level,
    yearsOfExperience: leader.yearsOfExperience,
    region: leader.region,
    languages: [...leader.languages],
    motivations: [...leader.motivations],
    availability: [...leader.availability],
    formats: [...leader.formats],
    preferredCadenceMonths: leader.preferredCadenceMonths,
    managerId: leader.managerId,
    sameness: { ...leader.sameness },
    externalId: leader.externalId ?? null,
    active: isActiveLeader(leader),
    deactivatedAt: leader.deactivatedAt ? leader.deactivatedAt.toISOString() : null,
    erasedAt: leader.erasedAt ? leader.erasedAt.toISOString() : null,
    version: leader.version,
    createdAt: leader.createdAt.toISOString(),
    updatedAt: leader.updatedAt.toISOString(),
  };
}
export type LeaderResource = ReturnType<typeof toLeaderResource>;

/** The manager and excluded leaders must be leaders of the same tenant (unknown ids read as absent). */
async function checkReferences(db: Kysely<Database>, tenantId: string, profile: LeaderProfile) {
  const ids = [...(profile.managerId ? [profile.managerId] : []), ...profile.exclusions];
  for (const id of ids) assertUuid(id, 'leader id');
  const found = await existingLeaderIds(db, tenantId, ids);
  const issues = [];
  if (profile.managerId && !found.has(profile.managerId)) {
    issues.push({
      path: 'managerId',
      code: 'invalid_reference' as const,
      message: { da: 'Ingen leder med dette id.', en: 'No leader with this id.' },
    });
  }
  profile.exclusions.forEach((id, i) => {
    if (!found.has(id)) {
      issues.push({
        path: `exclusions[${i}]`,
        code: 'invalid_reference' as const,
        message: { da: 'Ingen leder med dette id.', en: 'No leader with this id.' },
      });
    }
  });
  if (issues.length > 0) throw validationProblem(issues);
}

/** The 409 for a unique rule a write broke, naming the value that is taken. */
const takenProblem = (kind: 'email_taken' | 'external_id_taken', profile: LeaderProfile) =>
  kind === 'email_taken'
    ? problem('email_taken', `A leader with email ${profile.email} already exists`)
    : problem('external_id_taken', `A leader with externalId ${profile.externalId} already exists`);

export async function createLeader(db: Kysely<Database>, principal: Principal, input: unknown) {
  const id = uuidv7();
  const parsed = parseLeaderProfile(input, id);
  if (!parsed.ok) throw validationProblem(parsed.error.issues);
  await checkReferences(db, principal.tenantId, parsed.value);
  return inTransaction(db, async (trx) => {
    const outcome = await insertLeader(trx, principal.tenantId, id, parsed.value);
    if (outcome.kind !== 'created') throw takenProblem(outcome.kind, parsed.value);
    await recordEvent(trx, principal.tenantId, { type: 'leader.created', data: { leaderId: id } });
    return outcome.leader;
  });
}

export async function getLeader(db: Kysely<Database>, principal: Principal, id: string) {
  assertUuid(id, 'leader id');
  const leader = await findLeader(db, principal.tenantId, id);
  if (!leader) throw problem('not_found', 'No leader with this id');
  return leader;
}

/** RFC 3339 date-time with a zone: what `updatedSince` takes on REST and GraphQL alike. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function parseUpdatedSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (!RFC3339.test(value) || Number.isNaN(at.getTime()))
    throw validationProblem([
      {
        path: 'updatedSince',
        code: 'invalid_format',
        message: {
          da: 'Angiv et tidspunkt som 2026-12-01T08:00:00Z.',
          en: 'Give a time such as 2026-12-01T08:00:00Z.',
        },
      },
    ]);
  return at;
}

export async function listLeadersPage(
  db: Kysely<Database>,
  principal: Principal,
  opts: {
    limit: number;
    cursor?: string | undefined;
    externalId?: string | undefined;
    email?: string | undefined;
    /** RFC 3339 with a zone, e.g. 2026-12-01T00:00:00Z. */
    updatedSince?: string | undefined;
    /** true: active leaders only; false: deactivated ones only (erased included). */
    active?: boolean | undefined;
  },
) {
  const rows = await listLeaders(db, principal.tenantId, {
    after: decodeCursor(opts.cursor),
    limit: opts.limit,
    externalId: opts.externalId,
    email: opts.email,
    updatedSince: parseUpdatedSince(opts.updatedSince),
    active: opts.active,
  });
  return toPage(rows, opts.limit);
}

/**
 * Applies a partial update. `checkVersion` sees the current version first (REST's If-Match);
 * a concurrent write between read and write is refused as stale (412), never lost. When the
 * sign-in address changes, the change is recorded for the member in the same transaction and
 * returned as `emailChange`: the caller mails the old address (`notifyEmailChange`).
 */
export async function patchLeader(
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  patch: unknown,
  checkVersion: (version: number) => void = () => {},
): Promise<{ leader: StoredLeader; emailChange: EmailChange | null }> {
  const current = await getLeader(db, principal, id);
  if (current.erasedAt !== null) throw problem('leader_erased', 'An erased leader cannot be changed');
  checkVersion(current.version);
  const parsed = patchLeaderProfile(current, patch, id);
  if (!parsed.ok) throw validationProblem(parsed.error.issues);
  await checkReferences(db, principal.tenantId, parsed.value);
  const emailChange: EmailChange | null =
    parsed.value.email === current.email
      ? null
      : {
          tenantId: principal.tenantId,
          leaderId: id,
          oldEmail: current.email,
          newEmail: parsed.value.email,
          lang: mailLanguage(parsed.value.languages),
        };
  // Throwing inside the transaction rolls it back (a unique violation has aborted it already).
  const write = async (trx: Kysely<Database>) => {
    const outcome = await updateLeader(trx, principal.tenantId, id, current.version, parsed.value);
    switch (outcome.kind) {
      case 'updated':
        if (emailChange) await recordEmailChange(trx, emailChange, new Date());
        await recordEvent(trx, principal.tenantId, {
          type: 'leader.updated',
          data: { leaderId: id, version: outcome.leader.version },
        });
        return outcome.leader;
      case 'stale':
        throw problem('precondition_failed', 'The leader was changed by another request; read it again');
      case 'email_taken':
      case 'external_id_taken':
        throw takenProblem(outcome.kind, parsed.value);
    }
  };
  const leader = await inTransaction(db, write);
  return { leader, emailChange };
}
