/**
 * Periodic background work (webhook delivery, releases, sweeps) run by whichever replica claims
 * it first. Every `pollMs` each replica asks, per task, "is it due?" in one UPDATE that moves
 * `next_run_at` forward: the database grants each run to one replica, so a task never runs twice
 * at once across processes, and a replica that dies mid-run only delays the task by its period.
 */
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

export interface PeriodicTask {
  /** Unique and stable: the row that claims its runs. */
  readonly name: string;
  /** Time between the starts of two runs. */
  readonly everyMs: number;
  /** The work; errors are logged and recorded on the task's row, then the next run goes on. */
  run(db: Kysely<Database>): Promise<void>;
}

export interface SchedulerOptions {
  /** How often this process asks whether a task is due (default 1 s). */
  readonly pollMs?: number;
}

export class Scheduler {
  private readonly tasks = new Map<string, PeriodicTask>();
  private timer: NodeJS.Timeout | null = null;
  private tick: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    private readonly options: SchedulerOptions = {},
  ) {}

  /** Registers a task (before `start`); a second task with the same name is a programming error. */
  add(task: PeriodicTask): void {
    if (this.tasks.has(task.name)) throw new Error(`scheduled task ${task.name} is registered twice`);
    this.tasks.set(task.name, task);
  }

  /** Starts polling (the app's onReady). */
  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.runDue(), this.options.pollMs ?? 1000);
    this.timer.unref();
  }

  /**
   * Claims and runs every task that is due, one after another; resolves when they finished.
   * Tests call it to run background work now instead of waiting for the timer.
   */
  async runDue(options: { force?: boolean } = {}): Promise<string[]> {
    if (this.closed) return [];
    while (this.tick) await this.tick;
    const ran: string[] = [];
    this.tick = (async () => {
      for (const task of this.tasks.values()) {
        if (this.closed) return;
        try {
          if (await this.claim(task, options.force === true)) {
            ran.push(task.name);
            await this.runClaimed(task);
          }
        } catch (err) {
          // The database went away between runs: the next poll tries again.
          this.log.warn({ err, task: task.name }, 'scheduled task could not be claimed');
        }
      }
    })().finally(() => {
      this.tick = null;
    });
    await this.tick;
    return ran;
  }

  /** Stops polling and waits for a run in progress (the app's preClose). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.tick?.catch(() => {});
  }

  /** One UPDATE per task: true when this process won the run. */
  private async claim(task: PeriodicTask, force: boolean): Promise<boolean> {
    await this.db
      .insertInto('scheduled_tasks')
      .values({ name: task.name })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const claimed = await this.db
      .updateTable('scheduled_tasks')
      .set({
        next_run_at: sql<Date>`now() + make_interval(secs => ${task.everyMs / 1000})`,
        last_started_at: sql<Date>`now()`,
      })
      .where('name', '=', task.name)
      .$if(!force, (q) => q.where('next_run_at', '<=', sql<Date>`now()`))
      .returning('name')
      .executeTakeFirst();
    return claimed !== undefined;
  }

  private async runClaimed(task: PeriodicTask): Promise<void> {
    let error: string | null = null;
    try {
      await task.run(this.db);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
      this.log.error({ err, task: task.name }, 'scheduled task failed');
    }
    await this.db
      .updateTable('scheduled_tasks')
      .set({ last_finished_at: sql<Date>`now()`, last_error: error })
      .where('name', '=', task.name)
      .execute()
      .catch((err) => this.log.warn({ err, task: task.name }, 'scheduled task outcome not recorded'));
  }
}
