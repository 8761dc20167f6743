/**
 * Runs one formation in a worker thread, so a search of seconds never blocks the event loop that
 * serves requests. The worker gets the domain input, posts the search's progress as it goes (the
 * domain throttles it to DEFAULT_PROGRESS_INTERVAL_MS) and finally the domain's result.
 */
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { type FormationInput, type FormationProgress, formNetworks } from '@sparring/domain';

/** What the runner sends: the domain's input, with the budget as numbers (a clock cannot cross threads). */
export type FormationWorkerInput = Omit<FormationInput, 'budget' | 'onProgress'> & {
  readonly timeBudgetMs: number;
  readonly maxIterations?: number;
};

/** What the worker posts: progress reports, then the result. */
export type FormationWorkerMessage =
  | { readonly type: 'progress'; readonly progress: FormationProgress }
  | { readonly type: 'result'; readonly result: ReturnType<typeof formNetworks> };

const post = (message: FormationWorkerMessage) => parentPort?.postMessage(message);

const { timeBudgetMs, maxIterations, ...rest } = workerData as FormationWorkerInput;
const result = formNetworks({
  ...rest,
  budget: {
    timeLimitMs: timeBudgetMs,
    clock: () => performance.now(),
    ...(maxIterations !== undefined ? { maxIterations } : {}),
  },
  onProgress: (progress) => post({ type: 'progress', progress }),
});
post({ type: 'result', result });
