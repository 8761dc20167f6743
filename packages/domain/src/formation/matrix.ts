/**
 * The Maximally Diverse Grouping Problem (MDGP) on a plain pairwise matrix: partition n elements
 * into groups, each within its own size range, maximising the sum over groups of the pairwise
 * values d(i, j) of the elements inside the same group.
 *
 * Moves are evaluated in O(1) from a gain table G[i][g] = Σ_{j ∈ g} d(i, j) (n × m numbers);
 * applying a move updates G in O(n). Memory: the n × n matrix plus n × m gains.
 */
import { err, ok, type Result } from '../result.js';
import { type SearchBudget, startBudget } from './budget.js';
import { type Rng, seededRng, shuffleInPlace } from './random.js';
import { defaultParameters, IMPROVEMENT_EPSILON, iteratedMaximaSearch, type SearchSpace } from './search.js';
import { type GroupSizes, planGroups, type SizePlanError } from './sizes.js';

/** A random assignment of n elements to groups that meets every group's [lo, hi] range. */
export function randomAssignment(n: number, lo: Int32Array, hi: Int32Array, rng: Rng): Int32Array {
  const m = lo.length;
  const order = shuffleInPlace(
    Array.from({ length: n }, (_, i) => i),
    rng,
  );
  const groupOf = new Int32Array(n);
  const size = new Int32Array(m);
  let next = 0;
  for (let g = 0; g < m; g++)
    for (let k = 0; k < lo[g]!; k++) {
      groupOf[order[next++]!] = g;
      size[g]!++;
    }
  const open: number[] = [];
  for (let g = 0; g < m; g++) if (size[g]! < hi[g]!) open.push(g);
  while (next < n) {
    const pick = rng.int(open.length);
    const g = open[pick]!;
    groupOf[order[next++]!] = g;
    if (++size[g]! === hi[g]!) open.splice(pick, 1);
  }
  return groupOf;
}

/** The search space of the matrix MDGP. */
export class MatrixSpace implements SearchSpace {
  readonly m: number;
  readonly groupOf: Int32Array;
  readonly size: Int32Array;
  private readonly gain: Float64Array;
  private total = 0;

  constructor(
    readonly n: number,
    private readonly d: Float64Array,
    readonly lo: Int32Array,
    readonly hi: Int32Array,
    initial: Int32Array,
  ) {
    this.m = lo.length;
    this.groupOf = new Int32Array(n);
    this.size = new Int32Array(this.m);
    this.gain = new Float64Array(n * this.m);
    this.restore(initial);
  }

  value(): number {
    return this.total;
  }

  save(): Int32Array {
    return this.groupOf.slice();
  }

  restore(saved: Int32Array): void {
    const { n, m, d, gain, groupOf, size } = this;
    groupOf.set(saved);
    size.fill(0);
    gain.fill(0);
    for (let i = 0; i < n; i++) size[groupOf[i]!]!++;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      const gi = groupOf[i]!;
      for (let j = 0; j < n; j++) {
        gain[i * m + groupOf[j]!]! += d[row + j]!;
      }
      total += gain[i * m + gi]!;
    }
    this.total = total / 2;
  }

  /** Moves element i to group `to`, updating gains: O(n). */
  move(i: number, to: number): void {
    const { n, m, d, gain, groupOf, size } = this;
    const from = groupOf[i]!;
    this.total += gain[i * m + to]! - gain[i * m + from]!;
    const row = i * n;
    for (let k = 0; k < n; k++) {
      const dk = d[row + k]!;
      gain[k * m + from]! -= dk;
      gain[k * m + to]! += dk;
    }
    groupOf[i] = to;
    size[from]!--;
    size[to]!++;
  }

  /** Swaps the groups of i and j. */
  swap(i: number, j: number): void {
    const gi = this.groupOf[i]!;
    const gj = this.groupOf[j]!;
    this.move(i, gj);
    this.move(j, gi);
  }

  /** One pass of best-target one-moves; true when something improved. */
  private movePass(stop: () => boolean): boolean {
    const { n, m, gain, groupOf, size, lo, hi } = this;
    let improved = false;
    for (let i = 0; i < n; i++) {
      const from = groupOf[i]!;
      if (size[from]! <= lo[from]!) continue;
      const base = i * m;
      const here = gain[base + from]!;
      let bestGroup = -1;
      let bestDelta = IMPROVEMENT_EPSILON;
      for (let g = 0; g < m; g++) {
        if (g === from || size[g]! >= hi[g]!) continue;
        const delta = gain[base + g]! - here;
        if (delta > bestDelta) {
          bestDelta = delta;
          bestGroup = g;
        }
      }
      if (bestGroup >= 0) {
        this.move(i, bestGroup);
        improved = true;
        if (stop()) return improved;
      }
    }
    return improved;
  }

  /** One pass of first-improvement swaps; true when something improved. */
  private swapPass(stop: () => boolean): boolean {
    const { n, m, d, gain, groupOf } = this;
    let improved = false;
    for (let i = 0; i < n - 1; i++) {
      let gi = groupOf[i]!;
      let bi = i * m;
      let stay = gain[bi + gi]!;
      const row = i * n;
      for (let j = i + 1; j < n; j++) {
        const gj = groupOf[j]!;
        if (gj === gi) continue;
        const bj = j * m;
        const delta = gain[bi + gj]! - stay + gain[bj + gi]! - gain[bj + gj]! - 2 * d[row + j]!;
        if (delta > IMPROVEMENT_EPSILON) {
          this.swap(i, j);
          improved = true;
          gi = gj;
          bi = i * m;
          stay = gain[bi + gi]!;
        }
      }
      if (improved && stop()) return improved;
    }
    return improved;
  }

  descend(stop: () => boolean): void {
    const movable = this.canMoveAny();
    for (;;) {
      const moved = movable && this.movePass(stop);
      const swapped = this.swapPass(stop);
      if ((!moved && !swapped) || stop()) return;
    }
  }

  /** False when every group's range is a single size (then only swaps change anything). */
  private canMoveAny(): boolean {
    for (let g = 0; g < this.m; g++) if (this.lo[g] !== this.hi[g]) return true;
    return false;
  }

  perturb(strength: number, rng: Rng): void {
    const { n, m, groupOf, size, lo, hi } = this;
    for (let s = 0; s < strength; s++) {
      const i = rng.int(n);
      const from = groupOf[i]!;
      if (rng.int(2) === 0 && size[from]! > lo[from]!) {
        const to = rng.int(m);
        if (to !== from && size[to]! < hi[to]!) {
          this.move(i, to);
          continue;
        }
      }
      const j = rng.int(n);
      if (groupOf[j] !== from) this.swap(i, j);
    }
  }
}

/** The input of the matrix MDGP solver. */
export interface MatrixGroupingInput {
  /** Number of elements. */
  readonly n: number;
  /** Pairwise values, row-major n × n, symmetric, zero diagonal. */
  readonly values: Float64Array;
  readonly sizes: GroupSizes;
  readonly seed: number;
  readonly budget: SearchBudget;
}

/** Why the matrix solver could not run: bad sizes, or a matrix of the wrong length. */
export type MatrixGroupingError =
  | SizePlanError
  | { readonly code: 'invalid_values'; readonly detail: string };

/** A grouping found by the solver. */
export interface MatrixGrouping {
  /** The groups as lists of 0-based element indices; group g meets range g of the plan. */
  readonly groups: readonly (readonly number[])[];
  /** Σ over groups of Σ over pairs inside the group of d(i, j). */
  readonly objective: number;
  /** Local-search rounds done. */
  readonly iterations: number;
}

/** Sum over groups of the pairwise values inside each group, computed from scratch. */
export function groupingObjective(
  n: number,
  values: Float64Array,
  groups: readonly (readonly number[])[],
): number {
  let total = 0;
  for (const group of groups)
    for (let a = 0; a < group.length; a++)
      for (let b = a + 1; b < group.length; b++) total += values[group[a]! * n + group[b]!]!;
  return total;
}

/**
 * Solves the MDGP on a pairwise matrix with Iterated Maxima Search. Deterministic for the same
 * input, seed and iteration cap. Fails only when the sizes are invalid or cannot hold n elements.
 */
export function solveMatrixGrouping(input: MatrixGroupingInput): Result<MatrixGrouping, MatrixGroupingError> {
  const plan = planGroups(input.n, input.sizes);
  if (!plan.ok) return plan;
  if (input.values.length !== input.n * input.n)
    return err({ code: 'invalid_values', detail: 'values must hold n × n numbers' });
  const rng = seededRng(input.seed);
  const budget = startBudget(input.budget);
  const initial = randomAssignment(input.n, plan.value.lo, plan.value.hi, rng);
  const space = new MatrixSpace(input.n, input.values, plan.value.lo, plan.value.hi, initial);
  iteratedMaximaSearch(space, rng, budget, defaultParameters(input.n));
  const groups: number[][] = Array.from({ length: space.m }, () => []);
  for (let i = 0; i < input.n; i++) groups[space.groupOf[i]!]!.push(i);
  return ok({
    groups,
    objective: groupingObjective(input.n, input.values, groups),
    iterations: budget.iterations,
  });
}
