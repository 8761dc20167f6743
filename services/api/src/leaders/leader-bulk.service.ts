/**
 * Bulk upsert of leaders by the HR system's id (`externalId`), shared by REST and GraphQL.
 *
 * All or nothing: the domain plans the whole batch (planLeaderUpsert); references and emails are
 * checked against the tenant; if any item is invalid, the answer is one 400 `validation_failed`
 * naming every invalid item by its index (`leaders[3].email`) and nothing is written. Otherwise
 * every new or changed leader is written in one statement, in one transaction with its events
 * (`leader.created`, `leader.updated`, as single writes record them). An item that changes nothing
 * is `unchanged`: no write, no event, same version and `updatedAt`, so repeating a batch is
 * harmless. A fixed number of statements per batch, whatever its size (docs/provisioning.md).
 */
import {
  isStorableText,
  type LeaderUpsertStatus,
  type LeaderUpsertStep,
  mailLanguage,
  planLeaderUpsert,
  type ValidationIssue,
} from '@sparring/domain';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { problem, validationProblem } from '../errors/problem.js';
import { inTransaction, recordEvents } from '../events/event.repository.js';
import { type EmailChange, recordEmailChange } from '../members/member-session.service.js';
import { existingLeaderIds } from './leader.repository.js';
import {
  leaderIdsByEmail,
  lockLeadersByExternalId,
  lockTenantLeaderUpserts,
  upsertLeaderRows,
} from './leader-bulk.repository.js';

/** What one item of the batch did. */
export interface LeaderUpsertResult {
  readonly index: number;
  readonly externalId: string;
  readonly id: string;
  readonly status: LeaderUpsertStatus;
  /** The leader's version after the batch (its ETag's value). */
  readonly version: number;
}

export interface LeaderUpsertOutcome {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** One per item, in the batch's order. */
  readonly results: LeaderUpsertResult[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const referenceIssue = (path: string, code: 'invalid_format' | 'invalid_reference'): ValidationIssue => ({
  path,
  code,
  message:
    code === 'invalid_format'
      ? { da: 'Et leder-id er et UUID.', en: 'A leader id is a UUID.' }
      : { da: 'Ingen leder med dette id.', en: 'No leader with this id.' },
});

/** The externalIds the batch names (its keys and managers), read loosely: the domain validates them. */
function namedExternalIds(items: unknown): string[] {
  if (!Array.isArray(items)) return [];
  const names = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue;
    const { externalId, managerExternalId } = item as Record<string, unknown>;
    for (const name of [externalId, managerExternalId]) {
      // Text the database cannot hold (a NUL) is not looked up: the domain refuses the item.
      if (typeof name === 'string' && name.trim() !== '' && isStorableText(name)) names.add(name.trim());
    }
  }
  return [...names];
}

/**
 * Leader ids as the database gives them back: UUIDs in lower case. A manager or exclusion sent
 * in capitals is the same leader, and must compare equal to the stored one (else a repeat would
 * read as a change).
 */
function lowerCaseIds(items: unknown): unknown {
  if (!Array.isArray(items)) return items;
  const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
  return items.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
    const { managerId, exclusions } = item as Record<string, unknown>;
    return {
      ...item,
      ...(managerId !== undefined ? { managerId: lower(managerId) } : {}),
      ...(Array.isArray(exclusions) ? { exclusions: exclusions.map(lower) } : {}),
    };
  });
}

/**
 * The references of the steps that write (manager and exclusions) name leaders of the tenant,
 * stored or created by this batch; ids are UUIDs. One query for the whole batch.
 */
async function referenceIssues(
  db: Kysely<Database>,
  tenantId: string,
  steps: readonly LeaderUpsertStep[],
): Promise<ValidationIssue[]> {
  const batchIds = new Set(steps.map((s) => s.id));
  const refs: { path: string; id: string }[] = [];
  for (const s of steps) {
    if (s.status === 'unchanged') continue;
    if (s.profile.managerId) refs.push({ path: `leaders[${s.index}].managerId`, id: s.profile.managerId });
    s.profile.exclusions.forEach((id, k) => {
      refs.push({ path: `leaders[${s.index}].exclusions[${k}]`, id });
    });
  }
  const issues: ValidationIssue[] = [];
  const lookup = new Set<string>();
  for (const ref of refs) {
    if (!UUID.test(ref.id)) issues.push(referenceIssue(ref.path, 'invalid_format'));
    else if (!batchIds.has(ref.id)) lookup.add(ref.id);
  }
  const found = await existingLeaderIds(db, tenantId, [...lookup]);
  for (const ref of refs) {
    if (UUID.test(ref.id) && !batchIds.has(ref.id) && !found.has(ref.id))
      issues.push(referenceIssue(ref.path, 'invalid_reference'));
  }
  return issues;
}

/** An email a step takes must not belong to a leader outside the batch. One query. */
async function emailIssues(
  db: Kysely<Database>,
  tenantId: string,
  steps: readonly LeaderUpsertStep[],
): Promise<ValidationIssue[]> {
  const taking = steps.filter((s) => s.status !== 'unchanged' && s.profile.email !== s.current?.email);
  const holders = await leaderIdsByEmail(
    db,
    tenantId,
    taking.map((s) => s.profile.email),
  );
  const batchIds = new Set(steps.map((s) => s.id));
  return taking
    .filter((s) => {
      const holder = holders.get(s.profile.email);
      return holder !== undefined && !batchIds.has(holder);
    })
    .map((s) => ({
      path: `leaders[${s.index}].email`,
      code: 'duplicate' as const,
      message: {
        da: 'En anden leder i organisationen har denne e-mailadresse.',
        en: 'Another leader of the tenant has this email address.',
      },
    }));
}

/**
 * Upserts a batch of leaders for the caller's tenant (see the file's comment). Returns the
 * outcome and the sign-in address changes it recorded, for the caller to mail the old addresses
 * after the commit (`notifyEmailChange`), as a single update does.
 */
export async function upsertLeaders(
  db: Kysely<Database>,
  principal: Principal,
  items: unknown,
): Promise<{ outcome: LeaderUpsertOutcome; emailChanges: EmailChange[] }> {
  const { tenantId } = principal;
  return inTransaction(db, async (trx) => {
    await lockTenantLeaderUpserts(trx, tenantId);
    const known = await lockLeadersByExternalId(trx, tenantId, namedExternalIds(items));
    const plan = planLeaderUpsert(
      lowerCaseIds(items),
      new Map(known.map((l) => [l.externalId as string, l])),
      uuidv7,
    );
    if (!plan.ok) throw validationProblem(plan.error.issues);
    const steps = plan.value;
    const storedVersions = new Map(known.map((l) => [l.id, l.version]));
    const issues = [
      ...(await referenceIssues(trx, tenantId, steps)),
      ...(await emailIssues(trx, tenantId, steps)),
    ];
    if (issues.length > 0) {
      const at = (i: ValidationIssue) => Number(/^leaders\[(\d+)\]/.exec(i.path)?.[1]);
      throw validationProblem(issues.sort((a, b) => at(a) - at(b)));
    }

    const changed = steps.filter((s) => s.status !== 'unchanged');
    const written = await upsertLeaderRows(trx, tenantId, changed);
    if (written.kind !== 'written') {
      // Only a concurrent single write can get here (bulk upserts of a tenant run one at a time),
      // or an email moving between two leaders of the batch in one statement.
      throw written.kind === 'email_taken'
        ? problem(
            'email_taken',
            'An email of the batch was taken meanwhile, or moves between two leaders of it',
          )
        : problem(
            'external_id_taken',
            'An externalId of the batch was taken meanwhile; send the batch again',
          );
    }
    const versions = new Map(written.leaders.map((l) => [l.id, l.version]));
    await recordEvents(
      trx,
      tenantId,
      changed.map((s) =>
        s.status === 'created'
          ? { type: 'leader.created' as const, data: { leaderId: s.id } }
          : { type: 'leader.updated' as const, data: { leaderId: s.id, version: versions.get(s.id)! } },
      ),
    );
    const emailChanges: EmailChange[] = [];
    const now = new Date();
    for (const s of changed) {
      if (s.current === null || s.current.email === s.profile.email) continue;
      const change: EmailChange = {
        tenantId,
        leaderId: s.id,
        oldEmail: s.current.email,
        newEmail: s.profile.email,
        lang: mailLanguage(s.profile.languages),
      };
      await recordEmailChange(trx, change, now); // rare: a few statements per changed address
      emailChanges.push(change);
    }

    const count = (status: LeaderUpsertStatus) => steps.filter((s) => s.status === status).length;
    return {
      outcome: {
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        results: steps.map((s) => ({
          index: s.index,
          externalId: s.externalId,
          id: s.id,
          status: s.status,
          version: versions.get(s.id) ?? storedVersions.get(s.id)!,
        })),
      },
      emailChanges,
    };
  });
}
