/**
 * Formation runs as a resource: create (validate the request with the domain, resolve the pool,
 * queue it), read its status and result, and accept proposals, which creates networks in the
 * forming state with those members.
 */
import { randomInt } from 'node:crypto';
import {
  type Formation,
  findConflicts,
  isStorableText,
  networkBoundsFor,
  parseCompositionSettings,
  parseFormationSizes,
  unstorableTextIssue,
  type ValidationIssue,
} from '@sparring/domain';
import { type Kysely, sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { type Principal, requireAdmin } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import type {
  FormationRequest,
  FormationRunRow,
  FormationRunStatus,
} from '../db/tables/formation-run.table.js';
import { problem, validationProblem } from '../errors/problem.js';
import { assertUuid } from '../http/ids.js';
import { decodeCursor, toPage } from '../http/pagination.js';
import { existingLeaderIds, findLeaders, isActiveLeader } from '../leaders/leader.repository.js';
import { upsertMember } from '../networks/network.repository.js';
import { createNetwork } from '../networks/network.service.js';

/** Time budget bounds: the engine meets 10,000 leaders in ≤ 10 s (docs/benchmarks.md). */
export const FORMATION_TIME_BUDGET_MS = { min: 100, default: 3000, max: 60_000 } as const;
/** The most search rounds a caller may ask for (a cap for reproducible runs; our choice). */
export const FORMATION_MAX_ITERATIONS = 1_000_000;
/** The largest pool one run takes. */
export const FORMATION_POOL_MAX = 20_000;

export interface CreateFormationRunInput {
  readonly pool?: {
    readonly leaderIds?: readonly string[];
    readonly filter?: {
      readonly sectors?: readonly string[];
      readonly regions?: readonly string[];
      readonly levels?: readonly string[];
      readonly organisations?: readonly string[];
    };
  };
  readonly sizes?: unknown;
  readonly target?: number;
  readonly composition?: unknown;
  readonly maxPerOrganisation?: number | null;
  readonly avoidRepeats?: boolean;
  readonly worstGroupWeight?: number;
  readonly seed?: number;
  readonly timeBudgetMs?: number;
  readonly maxIterations?: number;
}

const refIssue = (path: string): ValidationIssue => ({
  path,
  code: 'invalid_reference',
  message: { da: 'Ingen leder med dette id.', en: 'No leader with this id.' },
});

async function resolvePool(db: Kysely<Database>, tenantId: string, pool: CreateFormationRunInput['pool']) {
  if (pool?.leaderIds) {
    for (const id of pool.leaderIds) assertUuid(id, 'leader id');
    const found = await existingLeaderIds(db, tenantId, pool.leaderIds);
    // A deactivated leader is not placed (docs/provisioning.md): named like an unknown one.
    const inactive = new Set(
      (await findLeaders(db, tenantId, pool.leaderIds)).filter((l) => !isActiveLeader(l)).map((l) => l.id),
    );
    const missing = pool.leaderIds.flatMap((id, i) =>
      !found.has(id)
        ? [refIssue(`pool.leaderIds[${i}]`)]
        : inactive.has(id)
          ? [
              {
                path: `pool.leaderIds[${i}]`,
                code: 'invalid_reference' as const,
                message: { da: 'Lederen er deaktiveret.', en: 'The leader is deactivated.' },
              },
            ]
          : [],
    );
    if (missing.length > 0) throw validationProblem(missing);
    return [...new Set(pool.leaderIds)];
  }
  const f = pool?.filter;
  const unstorable = (['sectors', 'regions', 'levels', 'organisations'] as const).flatMap((key) =>
    (f?.[key] ?? []).flatMap((v, i) =>
      isStorableText(v) ? [] : [unstorableTextIssue(`pool.filter.${key}[${i}]`)],
    ),
  );
  if (unstorable.length > 0) throw validationProblem(unstorable);
  let query = db
    .selectFrom('leaders')
    .select('id')
    .where('tenant_id', '=', tenantId)
    // Only active leaders are placed (a deactivation from a later time still counts as active).
    .where((eb) => eb.or([eb('deactivated_at', 'is', null), eb('deactivated_at', '>', sql<Date>`now()`)]));
  if (f?.sectors?.length) query = query.where('sector', 'in', [...f.sectors]);
  if (f?.regions?.length) query = query.where('region', 'in', [...f.regions]);
  if (f?.levels?.length) query = query.where('level', 'in', [...f.levels] as never);
  if (f?.organisations?.length) query = query.where('organisation', 'in', [...f.organisations]);
  const rows = await query
    .orderBy('id')
    .limit(FORMATION_POOL_MAX + 1)
    .execute();
  if (rows.length > FORMATION_POOL_MAX) {
    throw problem(
      'validation_failed',
      `A run takes at most ${FORMATION_POOL_MAX} leaders; narrow the filter`,
    );
  }
  return rows.map((r) => r.id);
}

export async function createFormationRun(
  db: Kysely<Database>,
  principal: Principal,
  input: CreateFormationRunInput,
) {
  const issues: ValidationIssue[] = [];
  // `target` beside `sizes` is kept as a shorthand for `sizes.target`.
  const sizes = parseFormationSizes(
    input.target === undefined ? (input.sizes ?? {}) : { ...(input.sizes ?? {}), target: input.target },
  );
  if (!sizes.ok)
    issues.push(
      ...sizes.error.issues.map((i) => ({
        ...i,
        path:
          i.path === 'target' && input.target !== undefined ? 'target' : `sizes${i.path ? `.${i.path}` : ''}`,
      })),
    );
  const composition =
    input.composition === undefined ? undefined : parseCompositionSettings(input.composition);
  if (composition && !composition.ok) {
    issues.push(
      ...composition.error.issues.map((i) => ({ ...i, path: `composition${i.path ? `.${i.path}` : ''}` })),
    );
  }
  // The budget's bounds, for GraphQL too (REST's schema checks them first).
  for (const [path, value, min, max] of [
    ['timeBudgetMs', input.timeBudgetMs, FORMATION_TIME_BUDGET_MS.min, FORMATION_TIME_BUDGET_MS.max],
    ['maxIterations', input.maxIterations, 1, FORMATION_MAX_ITERATIONS],
  ] as const)
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max))
      issues.push({
        path,
        code: !Number.isInteger(value) ? 'wrong_type' : value < min ? 'too_small' : 'too_large',
        message: {
          da: `Et helt tal fra ${min} til ${max}.`,
          en: `A whole number from ${min} to ${max}.`,
        },
      });
  if (!sizes.ok || issues.length > 0) throw validationProblem(issues);
  const pool = await resolvePool(db, principal.tenantId, input.pool);
  const request: FormationRequest = {
    sizes: sizes.value,
    composition: composition?.ok ? composition.value : undefined,
    constraints: { maxPerOrganisation: input.maxPerOrganisation ?? null },
    avoidRepeats: input.avoidRepeats ?? true,
    ...(input.worstGroupWeight !== undefined ? { worstGroupWeight: input.worstGroupWeight } : {}),
    // A run without a seed gets one, recorded, so it can be repeated exactly.
    seed: input.seed ?? randomInt(1, 2 ** 31 - 1),
    timeBudgetMs: input.timeBudgetMs ?? FORMATION_TIME_BUDGET_MS.default,
    ...(input.maxIterations !== undefined ? { maxIterations: input.maxIterations } : {}),
  };
  return db
    .insertInto('formation_runs')
    .values({
      tenant_id: principal.tenantId,
      id: uuidv7(),
      status: 'queued',
      request: JSON.stringify(request),
      pool: JSON.stringify(pool),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getFormationRun(db: Kysely<Database>, principal: Principal, id: string) {
  assertUuid(id, 'formation run id');
  const run = await db
    .selectFrom('formation_runs')
    .selectAll()
    .where('tenant_id', '=', principal.tenantId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!run) throw problem('not_found', 'No formation run with this id');
  return run;
}

export const FORMATION_RUN_STATUSES: readonly FormationRunStatus[] = [
  'queued',
  'running',
  'succeeded',
  'failed',
];

/** The tenant's formation runs, newest first (UUIDv7 ids sort by creation), optionally of one status. */
export async function listFormationRunsPage(
  db: Kysely<Database>,
  principal: Principal,
  opts: { limit: number; cursor?: string | undefined; status?: string | undefined },
) {
  const admin = requireAdmin(principal);
  const status = opts.status;
  if (status !== undefined && !(FORMATION_RUN_STATUSES as readonly string[]).includes(status)) {
    throw validationProblem([
      {
        path: 'status',
        code: 'not_allowed',
        message: {
          da: `Skal være en af ${FORMATION_RUN_STATUSES.join(', ')}.`,
          en: `Must be one of ${FORMATION_RUN_STATUSES.join(', ')}.`,
        },
      },
    ]);
  }
  const before = decodeCursor(opts.cursor);
  let q = db.selectFrom('formation_runs').selectAll().where('tenant_id', '=', admin.tenantId);
  if (before !== undefined) q = q.where('id', '<', before);
  if (status !== undefined) q = q.where('status', '=', status as FormationRunStatus);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(opts.limit + 1)
    .execute();
  return toPage(rows, opts.limit);
}

/**
 * A run's progress (docs/formation.md, "Progress of a long run"): the best objective the search has
 * reached (the scale of `result.quality.objective`), its rounds, the milliseconds it has searched
 * and when this was stored; null before the first report. A finished run keeps its last report.
 */
export function formationRunProgress(run: FormationRunRow) {
  if (run.progress_best_score === null || run.progress_at === null) return null;
  return {
    bestScore: run.progress_best_score,
    iterations: run.progress_iterations ?? 0,
    elapsedMs: run.progress_elapsed_ms ?? 0,
    updatedAt: run.progress_at.toISOString(),
  };
}

/** The run as the API shows it. Proposals carry member ids, scores and explanations; never exclusions. */
export function toFormationRunResource(run: FormationRunRow) {
  const result = run.result as Formation | null;
  return {
    id: run.id,
    status: run.status,
    request: run.request,
    poolSize: run.pool.length,
    createdAt: run.created_at.toISOString(),
    startedAt: run.started_at?.toISOString() ?? null,
    finishedAt: run.finished_at?.toISOString() ?? null,
    error: run.status === 'failed' ? (run.error ?? 'failed') : null,
    progress: formationRunProgress(run),
    result: result
      ? {
          proposals: result.networks.map((n, index) => ({
            index,
            memberIds: [...n.members],
            // Deprecated alias of memberIds (the name GraphQL has): kept while /v1 lasts.
            members: [...n.members],
            timeSlot: n.timeSlot,
            format: n.format,
            score: n.score,
            onlyOnes: n.onlyOnes,
            criteria: [...n.criteria],
            acceptedAsNetworkId: run.accepted[String(index)] ?? null,
          })),
          unplaced: [...result.unplaced],
          quality: { ...result.quality },
        }
      : null,
  };
}
export type FormationRunResource = ReturnType<typeof toFormationRunResource>;

/**
 * Accepts proposals: each becomes a network in the forming state with its members, in one
 * transaction. Conflicts of interest are checked again by the domain (a leader may have added an
 * exclusion since the run); a proposal that now conflicts is refused without saying who.
 */
export async function acceptFormationProposals(
  db: Kysely<Database>,
  principal: Principal,
  id: string,
  input: { proposals?: readonly number[]; namePrefix?: string },
) {
  if (input.namePrefix !== undefined && input.namePrefix !== null && !isStorableText(input.namePrefix))
    throw validationProblem([unstorableTextIssue('namePrefix')]);
  const run = await getFormationRun(db, principal, id);
  const result = run.result as Formation | null;
  if (run.status !== 'succeeded' || !result)
    throw problem('formation_not_finished', `The run is ${run.status}`);
  const indices = input.proposals ?? result.networks.map((_, i) => i);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= result.networks.length) {
      throw problem('validation_failed', `There is no proposal ${i}`);
    }
    if (run.accepted[String(i)])
      throw problem('proposal_already_accepted', `Proposal ${i} was accepted already`);
  }
  const prefix = input.namePrefix?.trim() || 'Ledernetværk';
  return db.transaction().execute(async (trx) => {
    const locked = await trx
      .selectFrom('formation_runs')
      .select('accepted')
      .where('tenant_id', '=', principal.tenantId)
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const accepted = { ...locked.accepted };
    const now = new Date();
    for (const i of indices) {
      if (accepted[String(i)])
        throw problem('proposal_already_accepted', `Proposal ${i} was accepted already`);
      const proposal = result.networks[i]!;
      const members = await findLeaders(trx, principal.tenantId, proposal.members);
      if (members.length !== proposal.members.length) {
        throw problem('conflict', `A leader of proposal ${i} no longer exists`);
      }
      if (members.some((m) => !isActiveLeader(m, now)))
        throw problem(
          'leader_deactivated',
          `A leader of proposal ${i} was deactivated; run the formation again`,
        );
      if (findConflicts(members).length > 0) {
        throw problem(
          'member_conflict',
          `Proposal ${i} now breaks a conflict-of-interest rule; run the formation again`,
        );
      }
      const { row } = await createNetwork(trx, principal, {
        name: `${prefix} ${i + 1}`,
        size: networkBoundsFor(run.request.sizes),
      });
      for (const leaderId of proposal.members)
        await upsertMember(trx, principal.tenantId, row.id, leaderId, now);
      accepted[String(i)] = row.id;
    }
    const updated = await trx
      .updateTable('formation_runs')
      .set({ accepted: JSON.stringify(accepted) })
      .where('tenant_id', '=', principal.tenantId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return updated;
  });
}
