/**
 * The attribute-based search space for leaders: no n × n matrix. Each group keeps counts of its
 * members' values per criterion (and of who wishes "same"/"different" on each value), so adding or
 * removing a member updates a group's aggregates in O(#criteria) and a move or swap is evaluated
 * by applying it to the two groups' aggregates, reading their scores and undoing it: O(#criteria)
 * plus O(log m) for the worst-group term. Memory is O(n + m · #values) (docs/formation.md).
 *
 * Hard constraints are never broken by a move: a member only joins a group whose time slot and
 * format they can meet in, with no conflict of interest (conflicts.ts) and within the cap per
 * organisation. Size bounds are kept by the moves too.
 */
import {
  activeComponents,
  type CompositionSettings,
  criterionValue,
  type PairHistory,
  PREFERENCE_CRITERIA,
  SINGLE_VALUED_CRITERIA,
  sharing,
} from '../composition.js';
import { conflictBetween } from '../conflicts.js';
import type { Leader } from '../leader.js';
import { withDefaults } from '../parameters.js';
import { MEETING_FORMATS, MOTIVATIONS, TIME_SLOTS } from '../vocabulary.js';
import type { Rng } from './random.js';
import { IMPROVEMENT_EPSILON, type SearchSpace } from './search.js';

/** The (time slot, format) options a network can meet in: 3 × 3. */
export const MEETING_OPTIONS = TIME_SLOTS.flatMap((timeSlot) =>
  MEETING_FORMATS.map((format) => ({ timeSlot, format })),
);

/** A bit mask of the meeting options a leader can take part in. */
export function meetingOptionMask(leader: Pick<Leader, 'availability' | 'formats'>): number {
  let mask = 0;
  MEETING_OPTIONS.forEach((o, index) => {
    if (leader.availability.includes(o.timeSlot) && leader.formats.includes(o.format)) mask |= 1 << index;
  });
  return mask;
}

/**
 * The tuning of the leader search space: the objective's only-one cost and how a descent scans
 * large pools. {@link DEFAULT_LEADER_SPACE_PARAMETERS} holds the defaults; a
 * {@link LeaderSpaceInput} (and formNetworks' input) takes a partial object of a caller's own
 * values, what is left out keeping the default.
 */
export interface LeaderSpaceParameters {
  /**
   * The cost of one "only one" in the objective. Scores live in [0, 1], so one only-one outweighs any
   * possible score gain: the rule is lexicographic, applied "where the pool allows it".
   */
  readonly onlyOnePenalty: number;
  /**
   * Pools of up to this many groups (8) are scanned in full by the descent (an exact local optimum
   * with respect to moves and swaps); larger pools sample
   * {@link LeaderSpaceParameters.sampledGroups} candidate groups per leader, which keeps one pass
   * O(n · #criteria).
   */
  readonly fullScanGroups: number;
  /** Candidate groups sampled per leader in a sampled descent (6). */
  readonly sampledGroups: number;
  /** Passes over all leaders in one descent of a large pool (20; the budget usually stops it earlier). */
  readonly maxSampledPasses: number;
}

/** The leader search space's defaults (each value's rationale is on its field, {@link LeaderSpaceParameters}). */
export const DEFAULT_LEADER_SPACE_PARAMETERS: LeaderSpaceParameters = Object.freeze({
  onlyOnePenalty: 1,
  fullScanGroups: 8,
  sampledGroups: 6,
  maxSampledPasses: 20,
});

/** The default {@link LeaderSpaceParameters.fullScanGroups} (kept for the space's tests). */
export const FULL_SCAN_GROUPS = DEFAULT_LEADER_SPACE_PARAMETERS.fullScanGroups;
/** The default {@link LeaderSpaceParameters.maxSampledPasses} (kept for the space's tests). */
export const MAX_SAMPLED_PASSES = DEFAULT_LEADER_SPACE_PARAMETERS.maxSampledPasses;

/** Counts per (group, value): dense when m × values ≤ denseLimit (16 MB by default), else a hash map. */
export class CountTable {
  private readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;
  constructor(
    m: number,
    private readonly values: number,
    denseLimit = 1 << 22,
  ) {
    const cells = m * values;
    this.dense = cells <= denseLimit ? new Int32Array(cells) : null;
    this.sparse = this.dense ? null : new Map();
  }
  get(g: number, v: number): number {
    const key = g * this.values + v;
    return this.dense ? this.dense[key]! : (this.sparse!.get(key) ?? 0);
  }
  add(g: number, v: number, by: number): void {
    const key = g * this.values + v;
    if (this.dense) this.dense[key]! += by;
    else {
      const next = (this.sparse!.get(key) ?? 0) + by;
      if (next === 0) this.sparse!.delete(key);
      else this.sparse!.set(key, next);
    }
  }
}

/** A min segment tree over the group scores, for the worst-group term. */
class MinTree {
  private readonly size: number;
  private readonly tree: Float64Array;
  constructor(m: number) {
    let size = 1;
    while (size < m) size *= 2;
    this.size = size;
    this.tree = new Float64Array(2 * size).fill(Infinity);
  }
  set(g: number, value: number): void {
    let p = g + this.size;
    this.tree[p] = value;
    for (p >>= 1; p >= 1; p >>= 1) this.tree[p] = Math.min(this.tree[2 * p]!, this.tree[2 * p + 1]!);
  }
  min(): number {
    return this.tree[1]!;
  }
  /** Minimum over groups [from, to). */
  range(from: number, to: number): number {
    let result = Infinity;
    let l = from + this.size;
    let r = to + this.size;
    while (l < r) {
      if (l & 1) result = Math.min(result, this.tree[l++]!);
      if (r & 1) result = Math.min(result, this.tree[--r]!);
      l >>= 1;
      r >>= 1;
    }
    return result;
  }
}

/** What the leader space is built from. */
export interface LeaderSpaceInput {
  readonly leaders: readonly Leader[];
  readonly settings: CompositionSettings;
  readonly history: PairHistory;
  readonly maxPerOrganisation: number | null;
  /** Weight λ of the worst group against the mean (objective = (1 − λ)·mean + λ·worst − only-ones). */
  readonly worstGroupWeight: number;
  /** Per group: its meeting option (index into MEETING_OPTIONS) and size range. */
  readonly labels: Int32Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  /** The caller's own tuning (default {@link DEFAULT_LEADER_SPACE_PARAMETERS}). */
  readonly parameters?: Partial<LeaderSpaceParameters>;
}

const PREFERENCE_DIMENSIONS = Object.entries(PREFERENCE_CRITERIA) as [
  keyof typeof PREFERENCE_CRITERIA,
  (typeof SINGLE_VALUED_CRITERIA)[number],
][];
const C = SINGLE_VALUED_CRITERIA.length;
const MOTIVATION_COUNT = MOTIVATIONS.length;

/** The leader search space. Starts with nobody placed (groupOf = −1). */
export class LeaderSpace implements SearchSpace {
  readonly n: number;
  readonly m: number;
  readonly groupOf: Int32Array;
  readonly size: Int32Array;
  readonly optionMask: Int32Array;
  /** Group scores and only-one counts, kept current. */
  readonly score: Float64Array;
  readonly onlyOnes: Int32Array;
  private readonly labels: Int32Array;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  // per leader
  private readonly values: Int32Array[]; // [criterion][leader]
  private readonly wish: Int8Array[]; // [criterion][leader]: 1 same, 2 different, 0 none
  private readonly hasWishes: Uint8Array; // per criterion: a sameness dimension, with preferences weighed
  private readonly motivations: Int32Array; // bit mask
  private readonly conflictStart: Int32Array;
  private readonly conflictList: Int32Array;
  private readonly partnerStart: Int32Array;
  private readonly partnerList: Int32Array;
  // per group
  private readonly counts: CountTable[];
  private readonly sameCounts: CountTable[];
  private readonly differentCounts: CountTable[];
  private readonly pairSum: Float64Array[];
  private readonly singles: Int32Array[];
  private readonly sameSat: Float64Array[];
  private readonly differentSat: Float64Array[];
  private readonly sameWishes: Int32Array[];
  private readonly differentWishes: Int32Array[];
  private readonly motivationCounts: Int32Array;
  private readonly motivationPairs: Float64Array;
  private readonly motivationTotal: Int32Array;
  private readonly repeated: Int32Array;
  private readonly memberStart: Int32Array;
  private readonly memberList: Int32Array;
  private readonly position: Int32Array;
  private readonly groupsByOption: Int32Array[];
  // scoring
  private readonly weights: Float64Array; // per single-valued criterion, 0 when inactive
  private readonly similar: Uint8Array;
  private readonly motivationWeight: number;
  private readonly motivationSimilar: boolean;
  private readonly preferencesWeight: number;
  private readonly freshnessWeight: number;
  private readonly totalWeight: number;
  private readonly lambda: number;
  private readonly orgCap: number;
  private readonly orgIndex: number;
  private readonly tree: MinTree;
  private scoreSum = 0;
  private onlyOneTotal = 0;
  private readonly order: Int32Array;
  private readonly parameters: LeaderSpaceParameters;
  rng: Rng | null = null;

  constructor(input: LeaderSpaceInput) {
    const { leaders, settings } = input;
    const n = leaders.length;
    const m = input.labels.length;
    this.n = n;
    this.m = m;
    this.labels = input.labels;
    this.lo = input.lo;
    this.hi = input.hi;
    this.groupOf = new Int32Array(n).fill(-1);
    this.size = new Int32Array(m);
    this.score = new Float64Array(m).fill(1);
    this.onlyOnes = new Int32Array(m);
    this.optionMask = Int32Array.from(leaders, meetingOptionMask);
    this.orgIndex = SINGLE_VALUED_CRITERIA.indexOf('organisation');
    this.orgCap = input.maxPerOrganisation ?? Infinity;
    this.lambda = input.worstGroupWeight;
    this.parameters = withDefaults(DEFAULT_LEADER_SPACE_PARAMETERS, input.parameters);
    const active = new Set(activeComponents(settings, !input.history.empty));
    this.weights = Float64Array.from(SINGLE_VALUED_CRITERIA, (c) =>
      active.has(c) ? settings.criteria[c].weight : 0,
    );
    this.similar = Uint8Array.from(SINGLE_VALUED_CRITERIA, (c) =>
      settings.criteria[c].mode === 'similar' ? 1 : 0,
    );
    this.motivationWeight = active.has('motivations') ? settings.criteria.motivations.weight : 0;
    this.motivationSimilar = settings.criteria.motivations.mode === 'similar';
    this.preferencesWeight = active.has('preferences') ? settings.preferencesWeight : 0;
    this.freshnessWeight = active.has('freshness') ? settings.freshnessWeight : 0;
    this.totalWeight =
      this.weights.reduce((a, b) => a + b, 0) +
      this.motivationWeight +
      this.preferencesWeight +
      this.freshnessWeight;
    // values
    this.values = [];
    this.wish = [];
    this.hasWishes = new Uint8Array(C);
    this.counts = [];
    this.sameCounts = [];
    this.differentCounts = [];
    SINGLE_VALUED_CRITERIA.forEach((criterion, c) => {
      const ids = new Map<string, number>();
      const column = new Int32Array(n);
      leaders.forEach((l, i) => {
        const v = criterionValue(l, criterion);
        const id = ids.get(v) ?? ids.size;
        ids.set(v, id);
        column[i] = id;
      });
      this.values.push(column);
      this.counts.push(new CountTable(m, ids.size));
      const dimension = PREFERENCE_DIMENSIONS.find(([, c]) => c === criterion)?.[0];
      const wishes = new Int8Array(n);
      if (dimension && this.preferencesWeight > 0) this.hasWishes[c] = 1;
      if (dimension && this.hasWishes[c])
        leaders.forEach((l, i) => {
          const w = l.sameness[dimension];
          wishes[i] = w === 'same' ? 1 : w === 'different' ? 2 : 0;
        });
      this.wish.push(wishes);
      this.sameCounts.push(new CountTable(this.hasWishes[c] ? m : 0, ids.size));
      this.differentCounts.push(new CountTable(this.hasWishes[c] ? m : 0, ids.size));
    });
    this.motivations = Int32Array.from(leaders, (l) =>
      l.motivations.reduce((mask, v) => mask | (1 << MOTIVATIONS.indexOf(v)), 0),
    );
    const perGroup = () => Array.from({ length: C }, () => new Float64Array(m));
    const perGroupInt = () => Array.from({ length: C }, () => new Int32Array(m));
    this.pairSum = perGroup();
    this.singles = perGroupInt();
    this.sameSat = perGroup();
    this.differentSat = perGroup();
    this.sameWishes = perGroupInt();
    this.differentWishes = perGroupInt();
    this.motivationCounts = new Int32Array(m * MOTIVATION_COUNT);
    this.motivationPairs = new Float64Array(m);
    this.motivationTotal = new Int32Array(m);
    this.repeated = new Int32Array(m);
    // conflicts (candidate pairs from manager ids and exclusion lists, confirmed by conflictBetween)
    const index = new Map(leaders.map((l, i) => [l.id, i]));
    const conflictPairs: number[][] = Array.from({ length: n }, () => []);
    leaders.forEach((a, i) => {
      for (const otherId of [a.managerId, ...a.exclusions]) {
        const j = otherId === null ? undefined : index.get(otherId);
        if (j === undefined || j === i || conflictBetween(a, leaders[j]!) === null) continue;
        conflictPairs[i]!.push(j);
        conflictPairs[j]!.push(i);
      }
    });
    [this.conflictStart, this.conflictList] = compress(conflictPairs);
    const partners: number[][] = leaders.map((l) =>
      this.freshnessWeight > 0
        ? [...input.history.partners(l.id)].flatMap((id) => {
            const j = index.get(id);
            return j === undefined ? [] : [j];
          })
        : [],
    );
    [this.partnerStart, this.partnerList] = compress(partners);
    // member lists
    this.memberStart = new Int32Array(m + 1);
    for (let g = 0; g < m; g++) this.memberStart[g + 1] = this.memberStart[g]! + this.hi[g]!;
    this.memberList = new Int32Array(this.memberStart[m]!);
    this.position = new Int32Array(n).fill(-1);
    this.groupsByOption = MEETING_OPTIONS.map((_, o) => {
      const groups: number[] = [];
      for (let g = 0; g < m; g++) if (this.labels[g] === o) groups.push(g);
      return Int32Array.from(groups);
    });
    this.tree = new MinTree(m);
    for (let g = 0; g < m; g++) this.tree.set(g, 1);
    this.scoreSum = m;
    this.order = Int32Array.from({ length: n }, (_, i) => i);
  }

  /** The meeting option of group g. */
  label(g: number): number {
    return this.labels[g]!;
  }

  /** The members of group g. */
  members(g: number): Int32Array {
    return this.memberList.subarray(this.memberStart[g]!, this.memberStart[g]! + this.size[g]!);
  }

  /** True when i may join g (slot and format, conflicts, organisation cap), with `leaving` leaving g. */
  canJoin(i: number, g: number, leaving = -1): boolean {
    if (((this.optionMask[i]! >> this.labels[g]!) & 1) === 0) return false;
    for (let p = this.conflictStart[i]!; p < this.conflictStart[i + 1]!; p++) {
      const other = this.conflictList[p]!;
      if (other !== leaving && this.groupOf[other] === g) return false;
    }
    if (this.orgCap !== Infinity) {
      const org = this.values[this.orgIndex]![i]!;
      const already =
        this.counts[this.orgIndex]!.get(g, org) -
        (leaving >= 0 && this.values[this.orgIndex]![leaving] === org ? 1 : 0);
      if (already + 1 > this.orgCap) return false;
    }
    return true;
  }

  /** Adds leader i (not in a group) to group g, updating the aggregates (not the cached score). */
  private attach(i: number, g: number): void {
    for (let c = 0; c < C; c++) {
      const v = this.values[c]![i]!;
      const before = this.counts[c]!.get(g, v);
      this.pairSum[c]![g]! += 2 * before;
      if (before === 0) this.singles[c]![g]!++;
      else if (before === 1) this.singles[c]![g]!--;
      this.counts[c]!.add(g, v, 1);
      this.updateWishes(c, i, g, v, before, 1);
    }
    this.updateMotivations(i, g, 1);
    this.repeated[g]! += this.partnersIn(i, g);
    this.groupOf[i] = g;
    const slot = this.memberStart[g]! + this.size[g]!;
    this.memberList[slot] = i;
    this.position[i] = slot;
    this.size[g]!++;
  }

  /** Removes leader i from its group, updating the aggregates (not the cached score). */
  private detach(i: number): void {
    const g = this.groupOf[i]!;
    this.groupOf[i] = -1;
    this.size[g]!--;
    const last = this.memberStart[g]! + this.size[g]!;
    const slot = this.position[i]!;
    const moved = this.memberList[last]!;
    this.memberList[slot] = moved;
    this.position[moved] = slot;
    this.position[i] = -1;
    this.repeated[g]! -= this.partnersIn(i, g);
    this.updateMotivations(i, g, -1);
    for (let c = 0; c < C; c++) {
      const v = this.values[c]![i]!;
      this.counts[c]!.add(g, v, -1);
      const after = this.counts[c]!.get(g, v);
      this.pairSum[c]![g]! -= 2 * after;
      if (after === 0) this.singles[c]![g]!--;
      else if (after === 1) this.singles[c]![g]!++;
      this.updateWishes(c, i, g, v, after + 1, -1);
    }
  }

  /** Updates Σ_v s_v(n_v − 1) and Σ_v t_v(n_v − 1) when i (value v) joins (+1) or leaves (−1); n_v was `countBefore`. */
  private updateWishes(
    c: number,
    i: number,
    g: number,
    v: number,
    countBefore: number,
    direction: 1 | -1,
  ): void {
    if (!this.hasWishes[c]) return;
    const nOld = countBefore;
    const nNew = countBefore + direction;
    const wish = this.wish[c]![i]!;
    const same = this.sameCounts[c]!;
    const different = this.differentCounts[c]!;
    const sOld = same.get(g, v);
    const tOld = different.get(g, v);
    const sNew = sOld + (wish === 1 ? direction : 0);
    const tNew = tOld + (wish === 2 ? direction : 0);
    this.sameSat[c]![g]! += sNew * Math.max(0, nNew - 1) - sOld * Math.max(0, nOld - 1);
    this.differentSat[c]![g]! += tNew * Math.max(0, nNew - 1) - tOld * Math.max(0, nOld - 1);
    if (wish === 1) {
      same.add(g, v, direction);
      this.sameWishes[c]![g]! += direction;
    } else if (wish === 2) {
      different.add(g, v, direction);
      this.differentWishes[c]![g]! += direction;
    }
  }

  private updateMotivations(i: number, g: number, direction: 1 | -1): void {
    const mask = this.motivations[i]!;
    for (let b = 0; b < MOTIVATION_COUNT; b++) {
      if (((mask >> b) & 1) === 0) continue;
      const cell = g * MOTIVATION_COUNT + b;
      if (direction === 1) {
        this.motivationPairs[g]! += 2 * this.motivationCounts[cell]!;
        this.motivationCounts[cell]!++;
      } else {
        this.motivationCounts[cell]!--;
        this.motivationPairs[g]! -= 2 * this.motivationCounts[cell]!;
      }
      this.motivationTotal[g]! += direction;
    }
  }

  private partnersIn(i: number, g: number): number {
    let count = 0;
    for (let p = this.partnerStart[i]!; p < this.partnerStart[i + 1]!; p++)
      if (this.groupOf[this.partnerList[p]!] === g) count++;
    return count;
  }

  /** The score of group g from its aggregates; the same formulas as composition.ts's scoreGroup. */
  groupScore(g: number): number {
    const k = this.size[g]!;
    if (k < 2 || this.totalWeight === 0) return 1;
    const pairs = k * (k - 1);
    let total = 0;
    for (let c = 0; c < C; c++) {
      const w = this.weights[c]!;
      if (w === 0) continue;
      const share = sharing(this.pairSum[c]![g]!, k, k);
      total += w * (this.similar[c] ? share : 1 - share);
    }
    if (this.motivationWeight > 0) {
      const share = sharing(this.motivationPairs[g]!, k, this.motivationTotal[g]!);
      total += this.motivationWeight * (this.motivationSimilar ? share : 1 - share);
    }
    if (this.preferencesWeight > 0) {
      let stated = 0;
      let met = 0;
      for (let c = 0; c < C; c++) {
        const sameWishes = this.sameWishes[c]![g]!;
        const differentWishes = this.differentWishes[c]![g]!;
        stated += sameWishes + differentWishes;
        met += this.sameSat[c]![g]! / (k - 1) + differentWishes - this.differentSat[c]![g]! / (k - 1);
      }
      total += this.preferencesWeight * (stated === 0 ? 1 : met / stated);
    }
    if (this.freshnessWeight > 0) total += this.freshnessWeight * (1 - this.repeated[g]! / (pairs / 2));
    return total / this.totalWeight;
  }

  /** Members of g alone on a similar, weighed criterion. */
  groupOnlyOnes(g: number): number {
    if (this.size[g]! < 2) return 0;
    let count = 0;
    for (let c = 0; c < C; c++) if (this.weights[c]! > 0 && this.similar[c]) count += this.singles[c]![g]!;
    return count;
  }

  private refresh(g: number): void {
    const s = this.groupScore(g);
    const o = this.groupOnlyOnes(g);
    this.scoreSum += s - this.score[g]!;
    this.onlyOneTotal += o - this.onlyOnes[g]!;
    this.score[g] = s;
    this.onlyOnes[g] = o;
    if (this.lambda > 0) this.tree.set(g, s);
  }

  /** Places an unplaced leader i in g (callers check canJoin and size). */
  place(i: number, g: number): void {
    this.attach(i, g);
    this.refresh(g);
  }

  /** Takes leader i out of its group. */
  unplace(i: number): void {
    const g = this.groupOf[i]!;
    this.detach(i);
    this.refresh(g);
  }

  /** Moves i to g. */
  move(i: number, g: number): void {
    const from = this.groupOf[i]!;
    this.detach(i);
    this.attach(i, g);
    this.refresh(from);
    this.refresh(g);
  }

  /** Swaps the groups of i and j. */
  swap(i: number, j: number): void {
    const gi = this.groupOf[i]!;
    const gj = this.groupOf[j]!;
    this.detach(i);
    this.detach(j);
    this.attach(i, gj);
    this.attach(j, gi);
    this.refresh(gi);
    this.refresh(gj);
  }

  /** The objective: −only-ones + (1 − λ)·mean + λ·worst (docs/formation.md). */
  value(): number {
    if (this.m === 0) return 0;
    const worst = this.lambda > 0 ? this.tree.min() : 0;
    return (
      -this.parameters.onlyOnePenalty * this.onlyOneTotal +
      ((1 - this.lambda) * this.scoreSum) / this.m +
      this.lambda * worst
    );
  }

  /** The objective change if groups a and b (a ≠ b) changed to scores sa, sb and only-ones oa, ob. */
  private gain(a: number, b: number, sa: number, sb: number, oa: number, ob: number): number {
    const onlyDelta = oa + ob - this.onlyOnes[a]! - this.onlyOnes[b]!;
    const sumDelta = sa + sb - this.score[a]! - this.score[b]!;
    let delta = -this.parameters.onlyOnePenalty * onlyDelta + ((1 - this.lambda) * sumDelta) / this.m;
    if (this.lambda > 0) {
      const low = Math.min(a, b);
      const high = Math.max(a, b);
      const others = Math.min(
        this.tree.range(0, low),
        this.tree.range(low + 1, high),
        this.tree.range(high + 1, this.m),
      );
      delta += this.lambda * (Math.min(others, sa, sb) - this.tree.min());
    }
    return delta;
  }

  /** The objective change of moving i to g (sizes and hard constraints are the caller's checks). */
  moveGain(i: number, g: number): number {
    const from = this.groupOf[i]!;
    this.detach(i);
    this.attach(i, g);
    const sa = this.groupScore(from);
    const sb = this.groupScore(g);
    const oa = this.groupOnlyOnes(from);
    const ob = this.groupOnlyOnes(g);
    this.detach(i);
    this.attach(i, from);
    return this.gain(from, g, sa, sb, oa, ob);
  }

  /** The objective change of swapping i and j (in different groups). */
  swapGain(i: number, j: number): number {
    const gi = this.groupOf[i]!;
    const gj = this.groupOf[j]!;
    this.detach(i);
    this.detach(j);
    this.attach(i, gj);
    this.attach(j, gi);
    const sa = this.groupScore(gi);
    const sb = this.groupScore(gj);
    const oa = this.groupOnlyOnes(gi);
    const ob = this.groupOnlyOnes(gj);
    this.detach(i);
    this.detach(j);
    this.attach(i, gi);
    this.attach(j, gj);
    return this.gain(gi, gj, sa, sb, oa, ob);
  }

  /** A random group whose meeting option i can take, or −1. */
  private randomGroupFor(i: number, rng: Rng): number {
    const mask = this.optionMask[i]!;
    let total = 0;
    for (let o = 0; o < MEETING_OPTIONS.length; o++)
      if ((mask >> o) & 1) total += this.groupsByOption[o]!.length;
    if (total === 0) return -1;
    let pick = rng.int(total);
    // total > 0, so some option o in the mask has pick < its group count: the walk ends there.
    let o = 0;
    while (((mask >> o) & 1) === 0 || pick >= this.groupsByOption[o]!.length) {
      if ((mask >> o) & 1) pick -= this.groupsByOption[o]!.length;
      o++;
    }
    return this.groupsByOption[o]![pick]!;
  }

  /** The best feasible move or swap of i into g: [gain, partner] (partner −1 = move, −2 = none). */
  private bestInto(i: number, g: number, best: number): [number, number] {
    const from = this.groupOf[i]!;
    let bestGain = best;
    let partner = -2;
    if (!((this.optionMask[i]! >> this.labels[g]!) & 1)) return [bestGain, partner];
    if (this.size[from]! > this.lo[from]! && this.size[g]! < this.hi[g]! && this.canJoin(i, g)) {
      const gain = this.moveGain(i, g);
      if (gain > bestGain) {
        bestGain = gain;
        partner = -1;
      }
    }
    const start = this.memberStart[g]!;
    for (let p = start; p < start + this.size[g]!; p++) {
      const j = this.memberList[p]!;
      if (!this.canJoin(i, g, j) || !this.canJoin(j, from, i)) continue;
      const gain = this.swapGain(i, j);
      if (gain > bestGain) {
        bestGain = gain;
        partner = j;
      }
    }
    return [bestGain, partner];
  }

  descend(stop: () => boolean): void {
    const { fullScanGroups, sampledGroups, maxSampledPasses } = this.parameters;
    const full = this.m <= fullScanGroups;
    const rng = this.rng;
    for (let pass = 0; full || pass < maxSampledPasses; pass++) {
      let improved = false;
      for (let k = 0; k < this.n; k++) {
        const i = this.order[k]!;
        const from = this.groupOf[i]!;
        if (from < 0) continue;
        if ((k & 63) === 0 && stop()) return;
        let best = IMPROVEMENT_EPSILON;
        let bestGroup = -1;
        let bestPartner = -2;
        const tries = full ? this.m : sampledGroups;
        for (let t = 0; t < tries; t++) {
          const g = full || !rng ? t : this.randomGroupFor(i, rng);
          if (g === from || g < 0) continue;
          const [gain, partner] = this.bestInto(i, g, best);
          if (partner !== -2) {
            best = gain;
            bestGroup = g;
            bestPartner = partner;
          }
        }
        if (bestPartner === -1) this.move(i, bestGroup);
        else if (bestPartner >= 0) this.swap(i, bestPartner);
        if (bestPartner !== -2) improved = true;
      }
      if (!improved) return;
    }
  }

  perturb(strength: number, rng: Rng): void {
    for (let attempt = 0, done = 0; done < strength && attempt < 20 * strength; attempt++) {
      const i = rng.int(this.n);
      const from = this.groupOf[i]!;
      const g = from < 0 ? -1 : this.randomGroupFor(i, rng);
      if (g < 0 || g === from) continue;
      if (
        rng.int(2) === 0 &&
        this.size[from]! > this.lo[from]! &&
        this.size[g]! < this.hi[g]! &&
        this.canJoin(i, g)
      ) {
        this.move(i, g);
        done++;
        continue;
      }
      if (this.size[g] === 0) continue;
      const j = this.members(g)[rng.int(this.size[g]!)]!;
      if (this.canJoin(i, g, j) && this.canJoin(j, from, i)) {
        this.swap(i, j);
        done++;
      }
    }
  }

  save(): Int32Array {
    return this.groupOf.slice();
  }

  restore(saved: Int32Array): void {
    for (let i = 0; i < this.n; i++) if (this.groupOf[i]! >= 0) this.detach(i);
    for (let i = 0; i < this.n; i++) if (saved[i]! >= 0) this.attach(i, saved[i]!);
    this.scoreSum = 0;
    this.onlyOneTotal = 0;
    for (let g = 0; g < this.m; g++) {
      this.score[g] = this.groupScore(g);
      this.onlyOnes[g] = this.groupOnlyOnes(g);
      this.scoreSum += this.score[g]!;
      this.onlyOneTotal += this.onlyOnes[g]!;
      if (this.lambda > 0) this.tree.set(g, this.score[g]!);
    }
  }

  /** Sets the order in which descents visit leaders (a seeded shuffle, for fairness). */
  setOrder(order: readonly number[]): void {
    this.order.set(order);
  }
}

/** Compressed adjacency (CSR): start offsets and one flat list. */
function compress(lists: readonly (readonly number[])[]): [Int32Array, Int32Array] {
  const start = new Int32Array(lists.length + 1);
  lists.forEach((l, i) => {
    start[i + 1] = start[i]! + l.length;
  });
  const flat = new Int32Array(start[lists.length]!);
  lists.forEach((l, i) => {
    flat.set(l, start[i]!);
  });
  return [start, flat];
}
