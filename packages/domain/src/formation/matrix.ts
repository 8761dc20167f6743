/**
 * The Maximally Diverse Grouping Problem (MDGP) on a plain pairwise matrix: partition n elements
 * into groups, each within its own size range, maximising the sum over groups of the pairwise
 * values d(i, j) of the elements inside the same group.
 *
 * Moves are evaluated in O(1) from a gain table G[i][g] = Σ_{j ∈ g} d(i, j) (n × m numbers);
 * applying a move updates G in O(n). Memory: the n × n matrix plus n × m gains and m × m bounds.
 *
 * Swaps are evaluated group by group with a bound, in the spirit of Schulz's efficient
 * neighbourhood evaluation for the MDGP's insert and swap moves (EJOR, 2021): a swap of i
 * (group a) with j (group b) changes the objective by
 * (G[i][b] − G[i][a]) + (G[j][a] − G[j][b]) − 2 d(i, j). With U[b][a] = max over j in b of
 * (G[j][a] − G[j][b]) and d_min the smallest value in the matrix, no j in b can improve with i when
 * (G[i][b] − G[i][a]) + U[b][a] − 2 d_min ≤ 0, so the whole group is skipped. Near a local optimum
 * on random matrices (MDGPLIB RanReal, RanInt) this skips about 95–98 % of the (element, group)
 * pairs; docs/benchmarks.md has the measured effect.
 *
 * When the groups' ranges differ (MDGPLIB "ds"), a group's range is a label: a partition is feasible
 * when its sizes can be matched one-to-one to the ranges, so a move the current labels forbid is
 * made when the new sizes fit other labels, and the groups are relabelled (`rangeOf`). Tying group g
 * to range g for the whole run confined the search (docs/benchmarks.md, 2026-12-04).
 */
import { err, ok, type Result } from '../result.js';
import { type SearchBudget, startBudget } from './budget.js';
import { type Rng, seededRng, shuffleInPlace } from './random.js';
import {
  defaultParameters,
  IMPROVEMENT_EPSILON,
  iteratedMaximaSearch,
  type SearchParameters,
  type SearchSpace,
} from './search.js';
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
  /** Group g's current size range [lo[g], hi[g]]: the range `rangeOf[g]` of the plan. */
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /**
   * Which of the plan's ranges group g holds now. Groups are interchangeable in the objective, so a
   * partition is feasible when its group sizes can be matched one-to-one to the ranges; when the
   * ranges differ, a move that the current labels forbid may be allowed by other labels, and the
   * space then relabels (see `movable`).
   */
  readonly rangeOf: Int32Array;
  /** The plan's ranges, as given (index = range). */
  private readonly rangeLo: Int32Array;
  private readonly rangeHi: Int32Array;
  /** The plan's ranges sorted by upper end (then lower end): the order of the matching. */
  private readonly byHi: Int32Array;
  /** Relabeling on: the ranges are not all the same and there are at most 64 groups. */
  private readonly relabels: boolean;
  /** How many groups have each size, 0 to the largest upper end + 1 (relabeling only). */
  private readonly sizeCount: Int32Array;
  private readonly scratch: Int32Array;
  /** Per (from, to) group pair: 1 / 0 when a move from → to fits some labels, −1 unknown. */
  private readonly fits: Int8Array;
  /** The sizes changed since `fits` was filled. */
  private fitsStale = true;
  private readonly gain: Float64Array;
  /** U[b × m + a] = max over j in group b of G[j][a] − G[j][b] (swap bounds, see the file comment). */
  private readonly bound: Float64Array;
  /** Per swap pass: 1 for the groups the current element may swap into (the bound allows it). */
  private readonly open: Uint8Array;
  /** The smallest off-diagonal value of the matrix. */
  private readonly minValue: number;
  private total = 0;
  /** Stop checks asked so far in descents (see `descend`). */
  private checks = 0;

  constructor(
    readonly n: number,
    private readonly d: Float64Array,
    lo: Int32Array,
    hi: Int32Array,
    initial: Int32Array,
  ) {
    this.m = lo.length;
    this.lo = lo.slice();
    this.hi = hi.slice();
    this.rangeLo = lo.slice();
    this.rangeHi = hi.slice();
    this.rangeOf = Int32Array.from({ length: this.m }, (_, g) => g);
    this.byHi = Int32Array.from({ length: this.m }, (_, g) => g).sort(
      (a, b) => hi[a]! - hi[b]! || lo[a]! - lo[b]!,
    );
    let maxHi = 0;
    let same = true;
    for (let g = 0; g < this.m; g++) {
      maxHi = Math.max(maxHi, hi[g]!);
      if (lo[g] !== lo[0] || hi[g] !== hi[0]) same = false;
    }
    this.relabels = !same && this.m <= 64;
    this.sizeCount = new Int32Array(this.relabels ? maxHi + 2 : 0);
    this.scratch = new Int32Array(this.sizeCount.length);
    this.fits = new Int8Array(this.relabels ? this.m * this.m : 0);
    this.groupOf = new Int32Array(n);
    this.size = new Int32Array(this.m);
    this.gain = new Float64Array(n * this.m);
    this.bound = new Float64Array(this.m * this.m);
    this.open = new Uint8Array(this.m);
    let minValue = Infinity;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (i !== j && d[i * n + j]! < minValue) minValue = d[i * n + j]!;
    this.minValue = minValue === Infinity ? 0 : minValue;
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
    if (this.relabels) {
      this.countSizes();
      for (let g = 0; g < m; g++)
        if (size[g]! < this.lo[g]! || size[g]! > this.hi[g]!) {
          this.relabel();
          break;
        }
    }
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

  /**
   * Moves element i to group `to`, updating gains: O(n). When the current labels do not allow it
   * (`movable` said yes through other labels), the groups take the labels of the matching.
   */
  move(i: number, to: number): void {
    const from = this.groupOf[i]!;
    const relabel = this.size[from]! <= this.lo[from]! || this.size[to]! >= this.hi[to]!;
    this.shift(i, to);
    if (this.relabels) {
      this.sizeCount[this.size[from]! + 1]!--;
      this.sizeCount[this.size[from]!]!++;
      this.sizeCount[this.size[to]! - 1]!--;
      this.sizeCount[this.size[to]!]!++;
      this.fitsStale = true;
      if (relabel) this.relabel();
    }
  }

  /** Counts the groups of each size (relabeling only). */
  private countSizes(): void {
    const { m, size, sizeCount } = this;
    sizeCount.fill(0);
    for (let g = 0; g < m; g++) {
      sizeCount[size[g]!]!++;
    }
    this.fitsStale = true;
  }

  /**
   * Whether group sizes with these counts (`scratch`, by size) can be matched one-to-one to
   * the ranges: each range, by increasing upper end, takes the smallest size left that it holds
   * (the greedy matching of points to intervals, optimal for that order). Consumes `scratch`.
   */
  private matchable(): boolean {
    const { m, byHi, rangeLo, rangeHi, scratch } = this;
    for (let k = 0; k < m; k++) {
      const r = byHi[k]!;
      let v = rangeLo[r]!;
      const top = rangeHi[r]!;
      while (v <= top && scratch[v] === 0) v++;
      if (v > top) return false;
      scratch[v]!--;
    }
    return true;
  }

  /**
   * Whether moving an element from group `from` to group `to` (distinct) keeps a feasible
   * partition: by the current labels, or (with relabeling) by some matching of the new sizes to
   * the ranges, memoised per group pair until the sizes change.
   */
  private movable(from: number, to: number): boolean {
    const { size, lo, hi } = this;
    if (size[from]! > lo[from]! && size[to]! < hi[to]!) return true;
    if (!this.relabels) return false;
    const { m, fits } = this;
    if (this.fitsStale) {
      fits.fill(-1);
      this.fitsStale = false;
    }
    const key = from * m + to;
    if (fits[key]! < 0) {
      // A size below every range or above them all is simply not taken by any range.
      const scratch = this.scratch;
      scratch.set(this.sizeCount);
      scratch[size[from]!]!--;
      scratch[size[from]! - 1]!++;
      scratch[size[to]!]!--;
      scratch[size[to]! + 1]!++;
      fits[key] = this.matchable() ? 1 : 0;
    }
    return fits[key] === 1;
  }

  /** Gives the groups the ranges of a matching of these group sizes (which must exist). */
  private relabel(size: Int32Array = this.size): void {
    const { m, byHi, rangeLo, rangeHi, lo, hi, rangeOf } = this;
    const taken = new Uint8Array(m);
    for (let k = 0; k < m; k++) {
      const r = byHi[k]!;
      // The group of the smallest size in range r not yet labelled (the matching of `matchable`).
      let best = -1;
      for (let g = 0; g < m; g++)
        if (
          !taken[g] &&
          size[g]! >= rangeLo[r]! &&
          size[g]! <= rangeHi[r]! &&
          (best < 0 || size[g]! < size[best]!)
        )
          best = g;
      taken[best] = 1;
      lo[best] = rangeLo[r]!;
      hi[best] = rangeHi[r]!;
      rangeOf[best] = r;
    }
  }

  /** Moves element i to group `to` and updates the gains: O(n); sizes and labels as they are. */
  private shift(i: number, to: number): void {
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

  /** Recomputes the swap bounds U from the gains: O(n × m). */
  private computeBounds(): void {
    const { n, m, gain, groupOf, bound } = this;
    bound.fill(-Infinity);
    for (let j = 0; j < n; j++) {
      const b = groupOf[j]!;
      const base = j * m;
      const self = gain[base + b]!;
      const row = b * m;
      for (let a = 0; a < m; a++) {
        const v = gain[base + a]! - self;
        if (v > bound[row + a]!) bound[row + a] = v;
      }
    }
  }

  /** Swaps the groups of i and j (the sizes stay). */
  swap(i: number, j: number): void {
    const gi = this.groupOf[i]!;
    const gj = this.groupOf[j]!;
    this.shift(i, gj);
    this.shift(j, gi);
  }

  /** One pass of best-target one-moves; true when something improved. */
  private movePass(stop: () => boolean): boolean {
    const { n, m, gain, groupOf, size, lo } = this;
    let improved = false;
    for (let i = 0; i < n; i++) {
      const from = groupOf[i]!;
      if (!this.relabels && size[from]! <= lo[from]!) continue;
      const base = i * m;
      const here = gain[base + from]!;
      let bestGroup = -1;
      let bestDelta = IMPROVEMENT_EPSILON;
      for (let g = 0; g < m; g++) {
        if (g === from) continue;
        const delta = gain[base + g]! - here;
        if (delta > bestDelta && this.movable(from, g)) {
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

  /**
   * Marks the groups element i (in group a) may improve by swapping into; returns how many.
   */
  private openGroups(i: number, a: number): number {
    const { m, gain, bound, open } = this;
    const floor = IMPROVEMENT_EPSILON + 2 * this.minValue;
    const base = i * m;
    const stay = gain[base + a]!;
    let count = 0;
    for (let b = 0; b < m; b++) {
      const ok = b !== a && gain[base + b]! - stay + bound[b * m + a]! > floor;
      open[b] = ok ? 1 : 0;
      if (ok) count++;
    }
    return count;
  }

  /**
   * One pass of first-improvement swaps; true when something improved. Each pair is examined once,
   * from its smaller index. When the bounds rule out at least a quarter of the (element, group)
   * pairs, partners in ruled-out groups are skipped (file comment); otherwise (e.g. Euclidean
   * matrices, where the bound rules out almost nothing) the plain scan is faster.
   */
  private swapPass(stop: () => boolean): boolean {
    const { n, m, groupOf } = this;
    this.computeBounds();
    let open = 0;
    for (let i = 0; i < n; i++) open += this.openGroups(i, groupOf[i]!);
    return (n * (m - 1) - open) * 4 >= n * (m - 1) ? this.boundedSwapPass(stop) : this.plainSwapPass(stop);
  }

  private plainSwapPass(stop: () => boolean): boolean {
    const { n, m, d, gain, groupOf } = this;
    let improved = false;
    for (let i = 0; i < n - 1; i++) {
      let gi = groupOf[i]!;
      const bi = i * m;
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
          stay = gain[bi + gi]!;
        }
      }
      if (improved && stop()) return improved;
    }
    return improved;
  }

  private boundedSwapPass(stop: () => boolean): boolean {
    const { n, m, d, gain, groupOf, open } = this;
    let improved = false;
    for (let i = 0; i < n - 1; i++) {
      let gi = groupOf[i]!;
      if (this.openGroups(i, gi) === 0) continue;
      const bi = i * m;
      let stay = gain[bi + gi]!;
      const row = i * n;
      for (let j = i + 1; j < n; j++) {
        const gj = groupOf[j]!;
        if (open[gj] === 0) continue;
        const bj = j * m;
        const delta = gain[bi + gj]! - stay + gain[bj + gi]! - gain[bj + gj]! - 2 * d[row + j]!;
        if (delta > IMPROVEMENT_EPSILON) {
          this.swap(i, j);
          improved = true;
          if (stop()) return improved;
          this.computeBounds();
          gi = gj;
          stay = gain[bi + gi]!;
          if (this.openGroups(i, gi) === 0) break;
        }
      }
    }
    return improved;
  }

  /**
   * Descends with moves and swaps. `stop` is asked on every 64th check only (the count runs on
   * across descents), as the leader model does, and once it has said yes every check says yes: a
   * check comes after every applied move and, in the plain swap pass, after every element once
   * something improved, and a clock read can cost more than that work (Node's process.cpuUsage,
   * the benchmark's CPU clock, ~3 µs, against ~1 µs for a move on n = 120; on Geo n = 120 there
   * were ~235 checks per round). The search asks the budget itself once per round.
   */
  descend(stop: () => boolean): void {
    let stopped = false;
    const check = () => {
      if (!stopped && (++this.checks & 63) === 0) stopped = stop();
      return stopped;
    };
    const movable = this.canMoveAny();
    for (;;) {
      const moved = movable && this.movePass(check);
      const swapped = this.swapPass(check);
      if ((!moved && !swapped) || check()) return;
    }
  }

  /**
   * False when every group's range is a single size and the ranges are all the same (then only
   * swaps change anything).
   */
  private canMoveAny(): boolean {
    if (this.relabels) return true;
    for (let g = 0; g < this.m; g++) if (this.lo[g] !== this.hi[g]) return true;
    return false;
  }

  /**
   * Directed weak perturbation (Lai & Hao 2016, the perturbation of their maxima search): `steps`
   * times, samples random feasible moves and swaps until n of them were evaluated and applies the
   * best, even when it lowers the objective.
   */
  nudge(steps: number, rng: Rng): void {
    const { n, m, d, gain, groupOf } = this;
    const movable = this.canMoveAny();
    for (let s = 0; s < steps; s++) {
      let bestDelta = -Infinity;
      let bestI = -1;
      let bestJ = -1;
      let bestTo = -1;
      // n evaluated samples; a bounded number of draws, so a space with no move or swap at all
      // (one group, every size fixed) ends the perturbation instead of looping.
      for (let k = 0, draws = 0; k < n && draws < 8 * n; draws++) {
        const i = rng.int(n);
        const from = groupOf[i]!;
        if (movable && rng.int(2) === 0) {
          const to = rng.int(m);
          if (to === from || !this.movable(from, to)) continue;
          k++;
          const delta = gain[i * m + to]! - gain[i * m + from]!;
          if (delta > bestDelta) {
            bestDelta = delta;
            bestI = i;
            bestJ = -1;
            bestTo = to;
          }
        } else {
          const j = rng.int(n);
          const gj = groupOf[j]!;
          if (gj === from) continue;
          k++;
          const delta =
            gain[i * m + gj]! -
            gain[i * m + from]! +
            gain[j * m + from]! -
            gain[j * m + gj]! -
            2 * d[i * n + j]!;
          if (delta > bestDelta) {
            bestDelta = delta;
            bestI = i;
            bestJ = j;
            bestTo = -1;
          }
        }
      }
      if (bestI < 0) return;
      if (bestJ >= 0) this.swap(bestI, bestJ);
      else this.move(bestI, bestTo);
    }
  }

  /**
   * Group-based crossover (the grouping crossover of Singh & Sundar's grouping genetic algorithm
   * for the MDGP, as memetic MDGP searches use it): the groups both parents share are kept; then,
   * alternately from each parent (the first at random), the parent's group with the highest
   * average inner sum over its members not yet placed goes into a free group of the child (its
   * own index when free and in range, else the free group whose range fits its size best; trimmed
   * of its weakest members when it is too large). Elements left over fill the groups below their
   * minimum, then any group below its maximum, each time the (element, group) pair with the
   * highest gain; a group still below its minimum takes the element whose move costs least from a
   * group above its own minimum. Common groups take no part in the repair. The child is a feasible partition; the search then descends from it.
   */
  crossover(first: Int32Array, second: Int32Array, rng: Rng): void {
    const { n, m, d, lo, hi } = this;
    if (this.relabels) {
      // The labels of `first`'s sizes, so that its groups fit their own indices (common groups).
      const firstSize = new Int32Array(m);
      for (let i = 0; i < n; i++) firstSize[first[i]!]!++;
      this.relabel(firstSize);
    }
    const child = new Int32Array(n).fill(-1);
    const count = new Int32Array(m);
    const taken = new Uint8Array(m);
    // G[i × m + s] = Σ of d(i, j) over the elements j placed in the child's group s.
    const gain = new Float64Array(n * m);
    const place = (i: number, s: number) => {
      const from = child[i]!;
      const row = i * n;
      for (let k = 0; k < n; k++) {
        if (from >= 0) gain[k * m + from]! -= d[row + k]!;
        gain[k * m + s]! += d[row + k]!;
      }
      if (from >= 0) count[from]!--;
      child[i] = s;
      count[s]!++;
    };
    /** The free child group for `size` elements of a parent's group g. */
    const slotFor = (g: number, size: number): number => {
      if (!taken[g] && size >= lo[g]! && size <= hi[g]!) return g;
      let best = -1;
      let bestMiss = Infinity;
      for (let s = 0; s < m; s++) {
        if (taken[s]) continue;
        const miss = Math.max(0, lo[s]! - size, size - hi[s]!);
        if (miss < bestMiss) {
          bestMiss = miss;
          best = s;
        }
      }
      return best;
    };
    const members = (parent: Int32Array, g: number): number[] => {
      const list: number[] = [];
      for (let i = 0; i < n; i++) if (parent[i] === g && child[i]! < 0) list.push(i);
      return list;
    };
    const take = (list: number[], g: number) => {
      const s = slotFor(g, list.length);
      taken[s] = 1;
      // Too many for the group's range: drop the members with the smallest sum to the others.
      while (list.length > hi[s]!) {
        let weakest = 0;
        let weakestSum = Infinity;
        for (let a = 0; a < list.length; a++) {
          let sum = 0;
          for (const j of list) sum += d[list[a]! * n + j]!;
          if (sum < weakestSum) {
            weakestSum = sum;
            weakest = a;
          }
        }
        list.splice(weakest, 1);
      }
      for (const i of list) place(i, s);
    };
    // Common groups: a group of `first` whose members are all in one group of `second`, of the same size.
    const secondSize = new Int32Array(m);
    // A common group goes to its own index (it fits: `first` is feasible) and neither takes nor gives
    // an element in the repair: the other groups of `first` held the other elements in their ranges.
    const common = new Uint8Array(m);
    for (let i = 0; i < n; i++) secondSize[second[i]!]!++;
    for (let g = 0; g < m; g++) {
      const list = members(first, g);
      if (list.length === 0) continue;
      const h = second[list[0]!]!;
      if (secondSize[h] === list.length && list.every((i) => second[i] === h)) {
        take(list, g);
        common[g] = 1;
      }
    }
    const parents = [first, second];
    let turn = rng.int(2);
    for (let free = m - taken.reduce((a, b) => a + b, 0); free > 0; free--, turn ^= 1) {
      let choice: number[] = [];
      let group = -1;
      // The parent whose turn it is; the other one when it has nothing left.
      for (let attempt = 0; attempt < 2 && group < 0; attempt++) {
        const parent = parents[(turn + attempt) % 2]!;
        let bestScore = -Infinity;
        for (let g = 0; g < m; g++) {
          const list = members(parent, g);
          if (list.length === 0) continue;
          let sum = 0;
          for (let a = 0; a < list.length; a++)
            for (let b = a + 1; b < list.length; b++) sum += d[list[a]! * n + list[b]!]!;
          const score = sum / list.length;
          if (score > bestScore) {
            bestScore = score;
            group = g;
            choice = list;
          }
        }
      }
      if (group < 0) break;
      take(choice, group);
    }
    // Repair: the elements left over, then groups still below their minimum.
    const left: number[] = [];
    for (let i = 0; i < n; i++) if (child[i]! < 0) left.push(i);
    for (const lower of [true, false]) {
      for (;;) {
        let bestK = -1;
        let bestS = -1;
        let bestGain = -Infinity;
        for (let k = 0; k < left.length; k++)
          for (let s = 0; s < m; s++) {
            if (common[s] || count[s]! >= (lower ? lo[s]! : hi[s]!)) continue;
            const g = gain[left[k]! * m + s]!;
            if (g > bestGain) {
              bestGain = g;
              bestK = k;
              bestS = s;
            }
          }
        if (bestK < 0) break;
        place(left[bestK]!, bestS);
        left.splice(bestK, 1);
      }
    }
    for (let s = 0; s < m; s++)
      while (count[s]! < lo[s]!) {
        let bestI = -1;
        let bestDelta = -Infinity;
        for (let i = 0; i < n; i++) {
          const t = child[i]!;
          if (t === s || count[t]! <= lo[t]! || common[t]) continue;
          const delta = gain[i * m + s]! - gain[i * m + t]!;
          if (delta > bestDelta) {
            bestDelta = delta;
            bestI = i;
          }
        }
        place(bestI, s);
      }
    this.restore(child);
  }

  /** A restart: a random assignment within the ranges (`randomAssignment`). */
  randomize(rng: Rng): void {
    this.restore(randomAssignment(this.n, this.lo, this.hi, rng));
  }

  perturb(strength: number, rng: Rng): void {
    const { n, m, groupOf, size, lo } = this;
    for (let s = 0; s < strength; s++) {
      const i = rng.int(n);
      const from = groupOf[i]!;
      if (rng.int(2) === 0 && (this.relabels || size[from]! > lo[from]!)) {
        const to = rng.int(m);
        if (to !== from && this.movable(from, to)) {
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
  /** Search parameters to use instead of the defaults for n (`defaultParameters`). */
  readonly parameters?: Partial<SearchParameters>;
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
  iteratedMaximaSearch(space, rng, budget, { ...defaultParameters(input.n), ...input.parameters });
  // Group g of the result meets range g of the plan: each group under the range it holds.
  const groups: number[][] = Array.from({ length: space.m }, () => []);
  for (let i = 0; i < input.n; i++) groups[space.rangeOf[space.groupOf[i]!]!]!.push(i);
  return ok({
    groups,
    objective: groupingObjective(input.n, input.values, groups),
    iterations: budget.iterations,
  });
}
