/**
 * Runs formation runs in the background, one at a time per process, each in a worker thread.
 * A run is claimed atomically (queued → running), so replicas sharing a database never run the
 * same run twice; runs left running by a process that died are queued again at start.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type {
  Formation,
  FormationInput,
  FormationProgress,
  Result,
  ValidationFailure,
} from '@sparring/domain';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { recordEvent } from '../events/event.repository.js';
import { findLeaders, isActiveLeader } from '../leaders/leader.repository.js';
import type { FormationWorkerInput, FormationWorkerMessage } from './formation.worker.js';

/**
 * Of the results of independent searches of one run, the one kept: fewest leaders left unplaced,
 * then the highest objective (what the search maximised); the first on a tie, so a run stays
 * repeatable. A failure (invalid input) fails every search alike: the first is returned.
 */
export function bestOfSearches(
  results: readonly Result<Formation, ValidationFailure>[],
): Result<Formation, ValidationFailure> {
  let best = results[0]!;
  for (const result of results.slice(1)) {
    if (!result.ok || !best.ok) continue;
    const fewer = result.value.unplaced.length < best.value.unplaced.length;
    const same = result.value.unplaced.length === best.value.unplaced.length;
    if (fewer || (same && result.value.quality.objective > best.value.quality.objective)) best = result;
  }
  return best;
}

/**
 * The progress of several searches as one report: the best score of any, the rounds of all, the
 * longest elapsed time.
 */
function combineProgress(reports: readonly (FormationProgress | undefined)[]): FormationProgress {
  const seen = reports.filter((r): r is FormationProgress => r !== undefined);
  const elapsed = seen.map((r) => r.elapsedMs).filter((ms): ms is number => ms !== null);
  return {
    bestScore: Math.max(...seen.map((r) => r.bestScore)),
    iterations: seen.reduce((sum, r) => sum + r.iterations, 0),
    elapsedMs: elapsed.length ? Math.max(...elapsed) : null,
  };
}

/** A run still "running" this long after it started belongs to a process that died. */
export const ABANDONED_AFTER_MINUTES = 15;

/**
 * The worker's entry, the module next to this one. In the build (dist/, plain node) it is
 * formation.worker.js, started as it is. From the TypeScript sources (tests, `pnpm dev`) it is
 * formation.worker.ts, and Node 20 does not apply the main thread's TypeScript loader to a
 * worker's entry file, so the worker registers tsx (a devDependency, absent from the production
 * image) itself and then imports the TypeScript module; @sparring/domain resolves to its sources
 * there as here (tsx reads tsconfig.json's paths; tap's `--conditions` is inherited).
 */
function workerEntry(): { readonly filename: string | URL; readonly eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) {
    return { filename: new URL('./formation.worker.js', import.meta.url), eval: false };
  }
  const bootstrap = `(async () => {
  const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
  register();
  await import(${JSON.stringify(new URL('./formation.worker.ts', import.meta.url).href)});
})().catch((error) => { throw error; });`;
  return { filename: bootstrap, eval: true };
}

const NO_PROGRESS = {
  progress_best_score: null,
  progress_iterations: null,
  progress_elapsed_ms: null,
  progress_at: null,
} as const;

/** The progress columns of a report (elapsed time in whole milliseconds). */
const progressColumns = (p: FormationProgress) => ({
  progress_best_score: p.bestScore,
  progress_iterations: p.iterations,
  progress_elapsed_ms: p.elapsedMs === null ? null : Math.round(p.elapsedMs),
  progress_at: new Date(),
});

interface Job {
  readonly tenantId: string;
  readonly id: string;
}

/**
 * How long `close` waits for a worker thread to stop. One still loading its modules (through tsx's
 * hooks, in tests and `pnpm dev`) took over 10 s to stop on Node 24 once, past Fastify's close
 * timeout; after this long it is let go, unreferenced, and ends with the process.
 */
export const WORKER_STOP_WAIT_MS = 2_000;

export class FormationRunner {
  private readonly queue: Job[] = [];
  private draining: Promise<void> | null = null;
  /** Running worker threads, each with the way to fail the run waiting for it. */
  private readonly workers = new Map<Worker, (error: Error) => void>();
  private closed = false;

  /**
   * @param searches independent searches per run, each in its own worker thread with its own seed
   *   (the run's seed, + 1, …), the best kept (`bestOfSearches`); `SPARRING_FORMATION_SEARCHES`.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    public searches = 1,
  ) {}

  /** Queues a run for this process. */
  enqueue(tenantId: string, id: string): void {
    if (this.closed) return;
    this.queue.push({ tenantId, id });
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  /** Picks up queued runs and runs abandoned by a dead process (called at start). */
  async resumePending(): Promise<void> {
    await this.db
      .updateTable('formation_runs')
      .set({ status: 'queued', started_at: null, ...NO_PROGRESS })
      .where('status', '=', 'running')
      .where('started_at', '<', sql<Date>`now() - make_interval(mins => ${ABANDONED_AFTER_MINUTES})`)
      .execute();
    const pending = await this.db
      .selectFrom('formation_runs')
      .select(['tenant_id', 'id'])
      .where('status', '=', 'queued')
      .orderBy('created_at')
      .execute();
    for (const run of pending) this.enqueue(run.tenant_id, run.id);
  }

  /** Resolves when every queued run has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /**
   * Stops: the current worker is terminated (waited for up to `WORKER_STOP_WAIT_MS`); its run is
   * picked up again at the next start.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const stopping = [...this.workers].map(async ([worker, fail]) => {
      worker.unref();
      fail(new Error('the formation runner is closed'));
      await Promise.race([worker.terminate(), delay(WORKER_STOP_WAIT_MS, undefined, { ref: false })]);
    });
    this.workers.clear();
    await Promise.all(stopping);
    await this.draining?.catch(() => {});
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job && !this.closed; job = this.queue.shift()) {
      try {
        await this.run(job);
      } catch (error) {
        if (this.closed) return;
        this.log.error({ err: error, runId: job.id }, 'formation run failed');
        await this.finish(job, { status: 'failed', error: 'internal error', finished_at: new Date() });
      }
    }
  }

  private async run({ tenantId, id }: Job): Promise<void> {
    const claimed = await this.db
      .updateTable('formation_runs')
      .set({ status: 'running', started_at: new Date(), ...NO_PROGRESS })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .returning(['request', 'pool'])
      .executeTakeFirst();
    if (!claimed) return; // another replica has it, or it is done
    const { request, pool } = claimed;
    // A leader deactivated since the run was created is not placed (docs/provisioning.md).
    const leaders = (await findLeaders(this.db, tenantId, pool)).filter((l) => isActiveLeader(l));
    const history = request.avoidRepeats ? await this.earlierGroupings(tenantId, pool) : [];
    const input: FormationWorkerInput = {
      leaders,
      sizes: request.sizes,
      composition: request.composition as FormationInput['composition'],
      constraints: request.constraints,
      history,
      seed: request.seed,
      timeBudgetMs: request.timeBudgetMs,
      ...(request.maxIterations !== undefined ? { maxIterations: request.maxIterations } : {}),
      ...(request.worstGroupWeight !== undefined ? { worstGroupWeight: request.worstGroupWeight } : {}),
    };
    const progress = this.progressWriter({ tenantId, id });
    const reports: (FormationProgress | undefined)[] = [];
    const result = bestOfSearches(
      await Promise.all(
        Array.from({ length: this.searches }, (_, k) =>
          this.inWorker({ ...input, seed: input.seed + k }, (p) => {
            reports[k] = p;
            progress.report(combineProgress(reports));
          }),
        ),
      ),
    );
    await progress.settled();
    if (this.closed) return;
    await this.finish(
      { tenantId, id },
      result.ok
        ? {
            status: 'succeeded',
            result: JSON.stringify(result.value),
            finished_at: new Date(),
            ...(progress.last ? progressColumns(progress.last) : {}),
          }
        : { status: 'failed', error: JSON.stringify(result.error.issues), finished_at: new Date() },
    );
  }

  /**
   * Stores a running run's progress: one write at a time, and while one is under way only the
   * newest report waits (the domain reports at most every DEFAULT_PROGRESS_INTERVAL_MS, so this is
   * at most about two writes a second). Only a run still running is written; a failed write is
   * logged, never fatal to the run.
   */
  private progressWriter({ tenantId, id }: Job) {
    let pending: FormationProgress | null = null;
    let writing: Promise<void> | null = null;
    const state = {
      last: null as FormationProgress | null,
      report: (p: FormationProgress) => {
        state.last = p;
        pending = p;
        writing ??= write();
      },
      settled: async () => {
        while (writing) await writing;
      },
    };
    const write = async (): Promise<void> => {
      while (pending && !this.closed) {
        const p = pending;
        pending = null;
        try {
          await this.db
            .updateTable('formation_runs')
            .set(progressColumns(p))
            .where('tenant_id', '=', tenantId)
            .where('id', '=', id)
            .where('status', '=', 'running')
            .execute();
        } catch (error) {
          this.log.warn({ err: error, runId: id }, 'formation progress not stored');
        }
      }
      writing = null;
    };
    return state;
  }

  /**
   * Stores a running run's outcome with its event (formation_run.succeeded / .failed) in one
   * transaction; a run that already finished (elsewhere) is left as it is.
   */
  private async finish(
    { tenantId, id }: Job,
    outcome:
      | ({ status: 'succeeded'; result: string; finished_at: Date } & Partial<
          ReturnType<typeof progressColumns>
        >)
      | { status: 'failed'; error: string; finished_at: Date },
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const finished = await trx
        .updateTable('formation_runs')
        .set(outcome)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .returning('id')
        .executeTakeFirst();
      if (finished)
        await recordEvent(trx, tenantId, {
          type: outcome.status === 'succeeded' ? 'formation_run.succeeded' : 'formation_run.failed',
          data: { formationRunId: id },
        });
    });
  }

  /** Earlier networks of the pool's leaders, as groupings for the "not together again" rule (Donut). */
  private async earlierGroupings(tenantId: string, pool: readonly string[]): Promise<string[][]> {
    if (pool.length === 0) return [];
    const rows = await this.db
      .selectFrom('network_members')
      .select(['network_id', 'leader_id'])
      .where('tenant_id', '=', tenantId)
      .where('leader_id', 'in', pool)
      .execute();
    const byNetwork = new Map<string, string[]>();
    for (const r of rows) byNetwork.set(r.network_id, [...(byNetwork.get(r.network_id) ?? []), r.leader_id]);
    return [...byNetwork.values()].filter((g) => g.length > 1);
  }

  private inWorker(
    input: unknown,
    onProgress: (progress: FormationProgress) => void,
  ): Promise<Result<Formation, ValidationFailure>> {
    return new Promise((resolve, reject) => {
      // Closed while the run read its leaders: start no worker, which `close` could no longer stop
      // (it terminated the workers it knew of; shutdown would wait for this one's whole search).
      if (this.closed) return reject(new Error('the formation runner is closed'));
      const entry = workerEntry();
      const worker = new Worker(entry.filename, { eval: entry.eval, workerData: input });
      this.workers.set(worker, reject);
      worker.on('message', (message: FormationWorkerMessage) => {
        if (message.type === 'progress') onProgress(message.progress);
        else resolve(message.result);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => {
        this.workers.delete(worker);
        if (code !== 0) reject(new Error(`formation worker exited with code ${code}`));
      });
    });
  }
}
