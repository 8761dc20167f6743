/**
 * The search budget. The domain reads no clock: a caller that wants a time limit injects its own
 * monotonic clock (e.g. `performance.now`). The iteration cap is the deterministic limit: with the
 * same input, seed and cap the result is identical on any machine; a time limit stops earlier on a
 * slow machine, so results under a time limit are reproducible only given the same clock readings.
 */
export interface SearchBudget {
  /** Maximum number of local-search rounds (one round = perturb + descend to a local optimum). */
  readonly maxIterations?: number;
  /** Wall-time limit in milliseconds, measured with `clock`. Ignored without a clock. */
  readonly timeLimitMs?: number;
  /** A monotonic clock in milliseconds, injected by the caller (the domain reads no clock). */
  readonly clock?: () => number;
}

/** Rounds when the caller gives no limit at all: enough for networks of a few hundred leaders. */
export const DEFAULT_MAX_ITERATIONS = 2000;

/** A running budget: counts rounds and watches the clock. */
export interface BudgetTracker {
  /** Counts one round. */
  tick(): void;
  /** True when the search must stop (checked between rounds and inside long descents). */
  exhausted(): boolean;
  /** Rounds done so far. */
  readonly iterations: number;
  /** Milliseconds since the start on the injected clock; null without a clock. */
  elapsedMs(): number | null;
}

/**
 * Starts a budget. The clock is read once at start and then on every `exhausted()` and
 * `elapsedMs()` call.
 */
export function startBudget(budget: SearchBudget): BudgetTracker {
  const maxIterations =
    budget.maxIterations ??
    (budget.clock && budget.timeLimitMs !== undefined ? Infinity : DEFAULT_MAX_ITERATIONS);
  const clock = budget.timeLimitMs !== undefined ? budget.clock : undefined;
  const started = budget.clock?.();
  const deadline = clock ? started! + budget.timeLimitMs! : Infinity;
  let iterations = 0;
  return {
    tick() {
      iterations++;
    },
    exhausted: () => iterations >= maxIterations || (clock !== undefined && clock() >= deadline),
    get iterations() {
      return iterations;
    },
    elapsedMs: () => (budget.clock ? budget.clock() - started! : null),
  };
}
