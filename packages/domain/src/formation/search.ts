/**
 * The general grouping search: Iterated Maxima Search (IMS; Lai & Hao, "Iterated maxima search for
 * the maximally diverse grouping problem", EJOR 254(3), 2016), written against a small interface
 * so that one skeleton serves both the pairwise-matrix problem (MDGP) and the attribute-based
 * leader model.
 *
 * IMS alternates two phases:
 * - maxima search: from a local optimum, repeatedly apply a *weak* perturbation (a few random
 *   swaps/moves) and descend again, keeping the best local optimum of the phase; the phase ends
 *   after `depth` consecutive rounds without improving it. This explores local optima close to
 *   each other (intensification).
 * - a *strong* perturbation of the maxima search's best local optimum (many random swaps/moves;
 *   of that phase's best, not the best so far: more diversity), then descend (diversification).
 * With a space that has `crossover` (the matrix MDGP), the search is memetic: the best distinct
 * local optima of the maxima searches form a small elite pool, and once it is full every few
 * maxima searches start from a crossover child of two elite members instead of a strong
 * perturbation (after the memetic MDGP searches, e.g. Yang et al., EJOR 2022).
 * With a space that has `randomize` (the matrix MDGP), a search that has gone as many rounds without
 * a new best as it took to find it (and at least `restartMinimum`) starts again from a random
 * assignment with an empty pool, the best kept: the spacing grows with the rounds a problem reaches
 * in its time, so a small instance restarts often and a large one rarely.
 * Descent is "organised" local optimisation: one-move (where the size bounds allow) and swap
 * neighbourhoods, alternated until neither improves.
 */
import type { BudgetTracker } from './budget.js';
import type { Rng } from './random.js';

/** What the search needs from a problem: a current assignment it can improve, perturb and copy. */
export interface SearchSpace {
  /** The objective of the current assignment (maximised). */
  value(): number;
  /** Improves the current assignment to a local optimum (or until `stop()` says so). */
  descend(stop: () => boolean): void;
  /** Applies up to `strength` random feasible moves or swaps. */
  perturb(strength: number, rng: Rng): void;
  /**
   * Optional directed weak perturbation: `steps` times, applies the best of a sample of random
   * moves or swaps, even when it lowers the objective (Lai & Hao's maxima search). Without it the
   * weak perturbation is `perturb`.
   */
  nudge?(steps: number, rng: Rng): void;
  /**
   * Optional crossover (memetic search): makes the current assignment a feasible child of two
   * saved assignments. With it and `SearchParameters.elite` > 1, the search keeps a pool of elite
   * local optima and starts some maxima searches from a child of two of them instead of a strong
   * perturbation.
   */
  crossover?(first: Int32Array, second: Int32Array, rng: Rng): void;
  /**
   * Optional restart: makes the current assignment a random feasible one. With it and
   * `SearchParameters.restart` > 0, the search restarts after long stagnation.
   */
  randomize?(rng: Rng): void;
  /** A copy of the current assignment. */
  save(): Int32Array;
  /** Returns to a saved assignment. */
  restore(saved: Int32Array): void;
}

/** IMS parameters. */
export interface SearchParameters {
  /** Random moves in a weak perturbation. */
  readonly weak: number;
  /** Random moves in a strong perturbation. */
  readonly strong: number;
  /** Rounds without improvement that end a maxima search. */
  readonly depth: number;
  /** Size of the elite pool for crossover; absent, 0 or 1: no crossover. */
  readonly elite?: number;
  /** Once the pool is full, every `crossover`-th maxima search starts from a child (default 1). */
  readonly crossover?: number;
  /**
   * Restart rule: once the rounds since the last new best (or the last restart) exceed `restart` ×
   * the rounds done up to that event, and `restartMinimum`, the search starts again from a random
   * assignment with an empty elite pool (the best is kept). Absent or 0: no restarts.
   */
  readonly restart?: number;
  /** Rounds without a new best before any restart (default 0). */
  readonly restartMinimum?: number;
}

/** One member of the elite pool: a local optimum and its objective. */
interface Elite {
  readonly solution: Int32Array;
  readonly value: number;
}

/**
 * Offers a local optimum to the elite pool: added while the pool has room, else it replaces the
 * worst member when it is better; a value already in the pool (within epsilon) counts as the same
 * solution and is not added twice, so the pool stays diverse at no cost.
 */
function offer(pool: Elite[], capacity: number, solution: Int32Array, value: number): void {
  let worst = 0;
  for (let k = 0; k < pool.length; k++) {
    if (Math.abs(pool[k]!.value - value) <= IMPROVEMENT_EPSILON) return;
    if (pool[k]!.value < pool[worst]!.value) worst = k;
  }
  if (pool.length < capacity) pool.push({ solution, value });
  else if (value > pool[worst]!.value) pool[worst] = { solution, value };
}

/** Improvements smaller than this are noise (floating-point sums of real values). */
export const IMPROVEMENT_EPSILON = 1e-9;

/**
 * Parameters scaled to the problem size n: a weak perturbation of 3 random moves/swaps, a strong
 * one of n/5, and 30 rounds without improvement per maxima search; Lai & Hao use a few moves for
 * the weak and a share of n for the strong one, and these values were tuned on MDGPLIB subsets
 * (docs/benchmarks.md). An elite pool of 4 with a crossover child every 4th maxima search (for
 * spaces with `crossover`): measured against pools of 8 and 16 and every 1st to 6th on the
 * MDGPLIB development set (docs/benchmarks.md, "Levers"). A restart (for spaces with `randomize`)
 * once the rounds without a new best reach the rounds it took to find it, and at least 1,000.
 */
export function defaultParameters(n: number): SearchParameters {
  return {
    weak: 3,
    strong: Math.max(4, Math.round(n / 5)),
    depth: 30,
    elite: 4,
    crossover: 4,
    restart: 1,
    restartMinimum: 1000,
  };
}

/**
 * Runs IMS on `space` within `budget` and leaves the best assignment found in `space`.
 * Returns the best objective. `onRound`, if given, is called after every round with the best
 * objective seen so far (non-decreasing), e.g. to report progress.
 */
export function iteratedMaximaSearch(
  space: SearchSpace,
  rng: Rng,
  budget: BudgetTracker,
  params: SearchParameters,
  onRound?: (bestSoFar: number) => void,
): number {
  const stop = () => budget.exhausted();
  let seen = -Infinity;
  const round = () => {
    space.descend(stop);
    budget.tick();
    seen = Math.max(seen, space.value());
    onRound?.(seen);
  };
  round();
  let best = space.value();
  let bestSolution = space.save();
  const capacity = space.crossover ? (params.elite ?? 0) : 0;
  const every = Math.max(1, params.crossover ?? 1);
  const pool: Elite[] = [];
  let phases = 0;
  const restart = space.randomize ? (params.restart ?? 0) : 0;
  const restartMinimum = params.restartMinimum ?? 0;
  /** The round of the last new best or restart. */
  let event = 0;
  while (!budget.exhausted()) {
    let phaseBest = space.value();
    let phaseSolution = space.save();
    let fails = 0;
    while (fails < params.depth && !budget.exhausted()) {
      if (space.nudge) space.nudge(params.weak, rng);
      else space.perturb(params.weak, rng);
      round();
      const value = space.value();
      if (value > phaseBest + IMPROVEMENT_EPSILON) {
        phaseBest = value;
        phaseSolution = space.save();
        fails = 0;
      } else {
        // The walk goes on from the new local optimum even when it is worse: on MDGPLIB this beat
        // returning to the phase's best (docs/benchmarks.md).
        fails++;
      }
    }
    if (phaseBest > best + IMPROVEMENT_EPSILON) {
      best = phaseBest;
      bestSolution = phaseSolution;
      event = budget.iterations;
    }
    if (capacity > 1) offer(pool, capacity, phaseSolution, phaseBest);
    phases++;
    const since = budget.iterations - event;
    if (restart > 0 && since > restartMinimum && since > restart * event) {
      // Long stagnation: a new start, with a pool of its own (the old members would pull it back).
      event = budget.iterations;
      pool.length = 0;
      space.randomize!(rng);
    } else if (pool.length === capacity && capacity > 1 && phases % every === 0) {
      // A child of two distinct elite members, chosen at random.
      const first = rng.int(capacity);
      const second = (first + 1 + rng.int(capacity - 1)) % capacity;
      space.crossover!(pool[first]!.solution, pool[second]!.solution, rng);
    } else {
      // Strong perturbation of the phase's best local optimum (not the global best): more diversity.
      space.restore(phaseSolution);
      space.perturb(params.strong, rng);
    }
    round();
  }
  if (space.value() > best + IMPROVEMENT_EPSILON) return space.value();
  space.restore(bestSolution);
  return best;
}
