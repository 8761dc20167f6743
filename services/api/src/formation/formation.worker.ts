/**
 * Runs one formation in a worker thread, so a search of seconds never blocks the event loop that
 * serves requests. The worker gets the domain input and posts back the domain's result.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { type FormationInput, formNetworks } from '@sparring/domain';

/** What the runner sends: the domain's input, with the budget as numbers (a clock cannot cross threads). */
export type FormationWorkerInput = Omit<FormationInput, 'budget'> & {
  readonly timeBudgetMs: number;
  readonly maxIterations?: number;
};

const { timeBudgetMs, maxIterations, ...rest } = workerData as FormationWorkerInput;
const result = formNetworks({
  ...rest,
  budget: {
    timeLimitMs: timeBudgetMs,
    clock: () => performance.now(),
    ...(maxIterations !== undefined ? { maxIterations } : {}),
  },
});
parentPort?.postMessage(result);
