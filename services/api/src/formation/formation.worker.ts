/**
 * Runs one formation in a worker thread, so a search of seconds never blocks the event loop that
 * serves requests. The worker gets the domain input and posts back the domain's result.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { type FormationInput, formNetworks } from '@sparring/domain';

const input = workerData as Omit<FormationInput, 'budget'> & { timeBudgetMs: number };
const { timeBudgetMs, ...rest } = input;
const result = formNetworks({
  ...rest,
  budget: { timeLimitMs: timeBudgetMs, clock: () => performance.now() },
});
parentPort?.postMessage(result);
