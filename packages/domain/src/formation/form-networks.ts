/**
 * Formation: partitions a pool of leaders into proposed networks (product rules). Every proposed
 * network meets every hard constraint (a shared time slot and format, no manager–report pair, no
 * exclusion, the cap per organisation, the size bounds); leaders who cannot be placed are listed
 * with a reason. Exclusions are honoured and never revealed: no output names an exclusion, and the
 * reason for an unplaced leader is the same whatever hard rule stood in the way.
 *
 * Steps (docs/formation.md): (1) split the pool by meeting option (time slot × format), most popular
 * option first; (2) open groups per option and fill them greedily, most constrained leaders first;
 * (3) repair groups below the minimum; (4) improve with Iterated Maxima Search on the attribute
 * model (leader-space.ts), moves never breaking a hard constraint.
 */
import {
  type ComponentExplanation,
  type CompositionSettings,
  DEFAULT_COMPOSITION,
  type HardConstraints,
  pairHistory,
  scoreGroup,
} from '../composition.js';
import type { Leader, LeaderId } from '../leader.js';
import {
  DEFAULT_NETWORK_SIZE,
  NETWORK_SIZE_LIMITS,
  type NetworkSizeBounds,
  parseNetworkSizeBounds,
} from '../network-rules.js';
import { FieldReader, issue } from '../parse.js';
import { err, ok, type Result } from '../result.js';
import { type LocalizedText, text } from '../text.js';
import type { ValidationFailure, ValidationIssue } from '../validation.js';
import type { MeetingFormat, TimeSlot } from '../vocabulary.js';
import { type SearchBudget, startBudget } from './budget.js';
import {
  LeaderSpace,
  type LeaderSpaceParameters,
  MEETING_OPTIONS,
  meetingOptionMask,
} from './leader-space.js';
import { type Rng, seededRng, shuffleInPlace } from './random.js';
import { defaultParameters, iteratedMaximaSearch } from './search.js';
import { groupCountFor } from './sizes.js';

/** Network size bounds for a formation run; the number of networks follows from the target. */
export interface NetworkSizes {
  readonly min: number;
  readonly max: number;
  /** Preferred size; default the middle of the bounds. */
  readonly target?: number;
}

/**
 * An explicit list of network sizes: at most these networks, each of exactly its size (e.g. a
 * facilitator who has rooms for two groups of 8 and one of 10). Leaders beyond the list's total
 * are unplaced; a listed network the pool cannot fill is not proposed.
 */
export interface NetworkSizeList {
  readonly list: readonly number[];
}

/** How big the proposed networks must be: bounds (with an optional target) or an explicit list. */
export type FormationSizes = NetworkSizes | NetworkSizeList;

/** Default network size for a formation run: the network rules' DEFAULT_NETWORK_SIZE (6–12, sources there). */
export const DEFAULT_NETWORK_SIZES: NetworkSizes = DEFAULT_NETWORK_SIZE;

/**
 * The size bounds a network formed under `sizes` keeps afterwards (its network rules): the run's
 * bounds; for an explicit list, DEFAULT_NETWORK_SIZE widened to take every listed size, so a network
 * formed at exactly its size can still lose or gain a member.
 */
export function networkBoundsFor(sizes: FormationSizes): NetworkSizeBounds {
  if (!('list' in sizes)) return { min: sizes.min, max: sizes.max };
  return {
    min: Math.min(DEFAULT_NETWORK_SIZE.min, ...sizes.list),
    max: Math.max(DEFAULT_NETWORK_SIZE.max, ...sizes.list),
  };
}

/**
 * The most sizes one explicit list may hold: a pool of 20,000 leaders (the service's largest run)
 * in networks of the smallest allowed size, NETWORK_SIZE_LIMITS.smallest (4).
 */
export const FORMATION_SIZE_LIST_MAX = 5_000;

/**
 * Validates a formation's sizes as a caller sends them, with the network rules' limits: bounds
 * `{ min?, max?, target? }` (a missing bound takes DEFAULT_NETWORK_SIZE's; the target must lie
 * within them) or an explicit `{ list }` of sizes, each within NETWORK_SIZE_LIMITS. Never throws.
 */
export function parseFormationSizes(input: unknown): Result<FormationSizes, ValidationFailure> {
  const r = new FieldReader(input);
  const failed = () => err({ code: 'validation_failed' as const, issues: r.issues });
  if (r.issues.length > 0) return failed();
  const { smallest, largest } = NETWORK_SIZE_LIMITS;
  if (r.has('list')) {
    r.rejectUnknown(['list']);
    const list = r.array(
      'list',
      { min: 1, max: FORMATION_SIZE_LIST_MAX, allowDuplicates: true },
      (item, path) => {
        if (typeof item === 'number' && Number.isInteger(item) && item >= smallest && item <= largest)
          return item;
        r.issues.push(issue(path, 'not_allowed', `an integer ${smallest}–${largest}`));
        return undefined;
      },
    );
    return list && r.issues.length === 0 ? ok({ list }) : failed();
  }
  r.rejectUnknown(['min', 'max', 'target']);
  const bounds = parseNetworkSizeBounds({ min: r.raw('min'), max: r.raw('max') });
  if (!bounds.ok) r.issues.push(...bounds.error.issues);
  if (!bounds.ok || r.issues.length > 0) return failed();
  const target = r.number('target', { ...bounds.value, integer: true, optional: true });
  if (r.issues.length > 0) return failed();
  return ok(target === undefined ? bounds.value : { ...bounds.value, target });
}

/**
 * Default weight λ of the worst network against the mean: 0.5, an even split between the
 * utilitarian mean and CATME's "maximise the worst-fitting team".
 */
export const DEFAULT_WORST_GROUP_WEIGHT = 0.5;

/** The input of a formation run. */
export interface FormationInput {
  readonly leaders: readonly Leader[];
  readonly sizes?: FormationSizes;
  readonly composition?: CompositionSettings;
  readonly constraints?: HardConstraints;
  /** Earlier groupings (each a list of member ids): pairs who met are kept apart where it costs little (Donut). */
  readonly history?: readonly (readonly LeaderId[])[];
  /** λ in [0, 1]: objective = (1 − λ)·mean + λ·worst group score (after the only-one rule). */
  readonly worstGroupWeight?: number;
  /** Seed of the run's randomness: same input, seed and iteration cap → the same networks. */
  readonly seed: number;
  /** Default: DEFAULT_MAX_ITERATIONS rounds, no clock. */
  readonly budget?: SearchBudget;
  /** Called with the search's progress (see FormationProgress for when); the result is unchanged by it. */
  readonly onProgress?: (progress: FormationProgress) => void;
  /** Fewest milliseconds between two progress reports on the budget's clock; default DEFAULT_PROGRESS_INTERVAL_MS. */
  readonly progressIntervalMs?: number;
  /** The search space's tuning (only-one cost, sampled descent); default DEFAULT_LEADER_SPACE_PARAMETERS. */
  readonly leaderSpaceParameters?: Partial<LeaderSpaceParameters>;
}

/**
 * Progress of a running search. Reported after the first round, then after a round when at least
 * `progressIntervalMs` have passed on the budget's clock since the last report (without a clock:
 * after each round that improved the best), and once at the end with the objective of the
 * networks the search settled on. The best scores reported do not decrease.
 */
export interface FormationProgress {
  /**
   * The best objective so far as the search measures it: (1 − λ)·mean + λ·worst network score −
   * only-ones, the scale of FormationQuality.objective. The search scores networks with a fast
   * model of the composition score (leader-space.ts); the result re-scores the final networks
   * exactly, so its `objective` can differ from the last report by a little (about 0.01).
   */
  readonly bestScore: number;
  /** Local-search rounds done so far. */
  readonly iterations: number;
  /** Milliseconds since the run's start on the budget's clock; null without a clock. */
  readonly elapsedMs: number | null;
}

/**
 * Default gap between progress reports: twice a second, as often as a person watching a progress
 * display takes in a change (our choice), and rare enough that a service can store each report.
 */
export const DEFAULT_PROGRESS_INTERVAL_MS = 500;

/** One proposed network. */
export interface ProposedNetwork {
  /** Member ids, in the order of the input. */
  readonly members: readonly LeaderId[];
  /** The time slot and format every member can meet in (the one the network was formed for). */
  readonly timeSlot: TimeSlot;
  readonly format: MeetingFormat;
  /** Composition score in [0, 1]. */
  readonly score: number;
  /** Members who are "the only one" of their kind on a similar criterion (0 where the pool allows). */
  readonly onlyOnes: number;
  /** Why: one explanation per weighed criterion. */
  readonly criteria: readonly ComponentExplanation[];
}

/** Why a leader was not placed. */
export type UnplacedReason = 'no_shared_slot_format' | 'no_feasible_group';

/** A leader the run could not place. */
export interface UnplacedLeader {
  readonly leaderId: LeaderId;
  readonly reason: UnplacedReason;
  readonly message: LocalizedText;
}

/** Quality figures of a run. */
export interface FormationQuality {
  readonly networks: number;
  readonly placed: number;
  /** Σ of network scores. */
  readonly total: number;
  readonly mean: number;
  readonly worst: number;
  readonly best: number;
  /** best − worst. */
  readonly spread: number;
  readonly onlyOnes: number;
  /** (1 − λ)·mean + λ·worst − onlyOnes: what the search maximised. */
  readonly objective: number;
  /** Local-search rounds done. */
  readonly iterations: number;
}

/** The result of a formation run. */
export interface Formation {
  readonly networks: readonly ProposedNetwork[];
  readonly unplaced: readonly UnplacedLeader[];
  readonly quality: FormationQuality;
}

const UNPLACED_MESSAGES: Record<UnplacedReason, LocalizedText> = {
  no_shared_slot_format: text(
    'For få andre i puljen deler et tidspunkt og en mødeform med lederen.',
    'Too few others in the pool share a time slot and meeting format with this leader.',
  ),
  no_feasible_group: text(
    'Lederen kunne ikke placeres i et netværk uden at bryde en fast regel (gruppestørrelse, interessekonflikt eller loft pr. organisation).',
    'The leader could not be placed in any network without breaking a hard rule (group size, conflict of interest or cap per organisation).',
  ),
};

const isWeight = (w: number) => Number.isFinite(w) && w >= 0;

function validateSizes(sizes: FormationSizes): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if ('list' in sizes) {
    if (!Array.isArray(sizes.list) || sizes.list.length === 0)
      return [issue('sizes.list', 'too_short', 'at least one size')];
    sizes.list.forEach((size, i) => {
      if (!Number.isInteger(size) || size < 1) issues.push(issue(`sizes.list[${i}]`, 'too_small', '1'));
    });
    return issues;
  }
  if (!Number.isInteger(sizes.min) || sizes.min < 1) issues.push(issue('sizes.min', 'too_small', '1'));
  if (!Number.isInteger(sizes.max) || sizes.max < sizes.min)
    issues.push(issue('sizes.max', 'too_small', 'min'));
  if (
    sizes.target !== undefined &&
    (!Number.isInteger(sizes.target) || sizes.target < sizes.min || sizes.target > sizes.max)
  )
    issues.push(issue('sizes.target', 'not_allowed', 'an integer within min–max'));
  return issues;
}

function validate(input: FormationInput, sizes: FormationSizes): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<LeaderId>();
  input.leaders.forEach((l, i) => {
    if (seen.has(l.id)) issues.push(issue(`leaders[${i}].id`, 'duplicate', l.id));
    seen.add(l.id);
  });
  issues.push(...validateSizes(sizes));
  const lambda = input.worstGroupWeight ?? DEFAULT_WORST_GROUP_WEIGHT;
  if (!(lambda >= 0 && lambda <= 1)) issues.push(issue('worstGroupWeight', 'not_allowed', '0–1'));
  const cap = input.constraints?.maxPerOrganisation ?? null;
  if (cap !== null && (!Number.isInteger(cap) || cap < 1))
    issues.push(issue('constraints.maxPerOrganisation', 'too_small', '1'));
  if (!Number.isInteger(input.seed)) issues.push(issue('seed', 'wrong_type', 'integer'));
  const interval = input.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  if (!(Number.isFinite(interval) && interval >= 0))
    issues.push(issue('progressIntervalMs', 'too_small', '0'));
  const composition = input.composition ?? DEFAULT_COMPOSITION;
  for (const [name, setting] of Object.entries(composition.criteria))
    if (!isWeight(setting.weight))
      issues.push(issue(`composition.criteria.${name}.weight`, 'too_small', '0'));
  if (!isWeight(composition.preferencesWeight))
    issues.push(issue('composition.preferencesWeight', 'too_small', '0'));
  if (!isWeight(composition.freshnessWeight))
    issues.push(issue('composition.freshnessWeight', 'too_small', '0'));
  return issues;
}

/**
 * Splits the pool by meeting option: repeatedly the option most still-unassigned leaders can take
 * gets all of them, while at least `min` can; then leftovers of an option are topped up from larger
 * buckets where those can spare members. Returns the option per leader (−1: none).
 */
function bucketByOption(masks: Int32Array, min: number): Int32Array {
  const n = masks.length;
  const option = new Int32Array(n).fill(-1);
  const bucketSize = new Int32Array(MEETING_OPTIONS.length);
  for (;;) {
    const counts = new Int32Array(MEETING_OPTIONS.length);
    for (let i = 0; i < n; i++)
      if (option[i] === -1) for (let o = 0; o < counts.length; o++) if ((masks[i]! >> o) & 1) counts[o]!++;
    let best = 0;
    for (let o = 1; o < counts.length; o++) if (counts[o]! > counts[best]!) best = o;
    if (counts[best]! < min || bucketSize[best]! > 0) break;
    for (let i = 0; i < n; i++)
      if (option[i] === -1 && (masks[i]! >> best) & 1) {
        option[i] = best;
        bucketSize[best]!++;
      }
  }
  // Top up small leftovers from buckets that can spare members.
  for (let o = 0; o < MEETING_OPTIONS.length; o++) {
    if (bucketSize[o]! > 0) continue;
    const waiting: number[] = [];
    const donors: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!((masks[i]! >> o) & 1)) continue;
      if (option[i] === -1) waiting.push(i);
      else donors.push(i);
    }
    if (waiting.length === 0) continue;
    const taken: [leader: number, from: number][] = [];
    for (const i of donors) {
      if (waiting.length + taken.length >= min) break;
      const from = option[i]!;
      if (bucketSize[from]! - 1 >= min) {
        bucketSize[from]!--;
        option[i] = o;
        taken.push([i, from]);
      }
    }
    if (waiting.length + taken.length >= min) {
      for (const i of waiting) option[i] = o;
      bucketSize[o] = waiting.length + taken.length;
    } else
      for (const [i, from] of taken) {
        option[i] = from;
        bucketSize[from]!++;
      }
  }
  return option;
}

/**
 * Gives each listed size a meeting option: largest size first, to the option with the most
 * leaders still unclaimed (ties: the earlier option), so big networks go where the leaders are. A
 * size no option has room for any more is not planned (−1): a network the pool cannot fill would
 * only pull members away from those it can.
 */
function optionsForSizeList(list: readonly number[], bucketSizes: Int32Array): Int32Array {
  const room = Int32Array.from(bucketSizes);
  const optionOf = new Int32Array(list.length).fill(-1);
  const order = list.map((_, i) => i).sort((a, b) => list[b]! - list[a]! || a - b);
  for (const i of order) {
    let best = 0;
    for (let o = 1; o < room.length; o++) if (room[o]! > room[best]!) best = o;
    if (room[best]! < list[i]!) continue;
    optionOf[i] = best;
    room[best]! -= list[i]!;
  }
  return optionOf;
}

/** Greedy construction: fills groups, repairs those below the minimum (dissolving what cannot be repaired). */
function construct(
  leaders: readonly Leader[],
  space: LeaderSpace,
  bucketOf: Int32Array,
  groupsOfOption: number[][],
  rng: Rng,
): void {
  const n = leaders.length;
  const degree = new Int32Array(n);
  const index = new Map(leaders.map((l, i) => [l.id, i]));
  leaders.forEach((l, i) => {
    for (const id of [l.managerId, ...l.exclusions]) {
      const j = id === null ? undefined : index.get(id);
      if (j === undefined) continue;
      degree[i]!++;
      degree[j]!++;
    }
  });
  const order = shuffleInPlace(
    Array.from({ length: n }, (_, i) => i).filter((i) => bucketOf[i]! >= 0),
    rng,
  ).sort((a, b) => degree[b]! - degree[a]!);
  const pending: number[] = [];
  const tryPlace = (i: number, groups: readonly number[]): boolean => {
    let best = -1;
    for (const g of groups)
      if (
        space.size[g]! < space.hi[g]! &&
        space.canJoin(i, g) &&
        (best < 0 || space.size[g]! < space.size[best]!)
      )
        best = g;
    if (best < 0) return false;
    space.place(i, best);
    return true;
  };
  const allGroups = groupsOfOption.flat();
  for (const i of order)
    if (!tryPlace(i, groupsOfOption[bucketOf[i]!]!) && !tryPlace(i, allGroups)) pending.push(i);
  // Repair groups below their minimum: pull members from groups that can spare them, else dissolve.
  for (const g of allGroups) {
    for (const h of allGroups) {
      if (space.size[g]! >= space.lo[g]!) break;
      if (h === g) continue;
      for (const j of [...space.members(h)]) {
        if (space.size[g]! >= space.lo[g]! || space.size[h]! <= space.lo[h]!) break;
        if (space.canJoin(j, g)) space.move(j, g);
      }
    }
    if (space.size[g]! < space.lo[g]!)
      for (const j of [...space.members(g)]) {
        space.unplace(j);
        pending.push(j);
      }
  }
  // Leaders still pending stay unplaced (groupOf −1) unless an open group can take them now.
  for (const i of pending)
    tryPlace(
      i,
      allGroups.filter((g) => space.size[g]! > 0),
    );
}

/**
 * Forms networks from a pool of leaders. Fails only on invalid input (duplicate ids, bad sizes,
 * weights, cap or seed); a pool that cannot be grouped gives networks for whom it can and reasons
 * for the rest. Deterministic for the same input, seed and iteration cap.
 */
export function formNetworks(input: FormationInput): Result<Formation, ValidationFailure> {
  const sizes = input.sizes ?? DEFAULT_NETWORK_SIZES;
  const issues = validate(input, sizes);
  if (issues.length > 0) return err({ code: 'validation_failed', issues });
  const leaders = input.leaders;
  const n = leaders.length;
  const settings = input.composition ?? DEFAULT_COMPOSITION;
  const history = pairHistory(input.history ?? []);
  const lambda = input.worstGroupWeight ?? DEFAULT_WORST_GROUP_WEIGHT;
  const maxPerOrganisation = input.constraints?.maxPerOrganisation ?? null;
  const rng = seededRng(input.seed);
  const budget = startBudget(input.budget ?? {});

  const masks = Int32Array.from(leaders, meetingOptionMask);
  const smallest = 'list' in sizes ? sizes.list.reduce((a, b) => Math.min(a, b)) : sizes.min;
  const bucketOf = bucketByOption(masks, smallest);
  const bucketSizes = new Int32Array(MEETING_OPTIONS.length);
  for (let i = 0; i < n; i++) if (bucketOf[i]! >= 0) bucketSizes[bucketOf[i]!]!++;
  // One planned group: its meeting option (label) and size range.
  const labels: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  const groupsOfOption: number[][] = MEETING_OPTIONS.map(() => []);
  const plan = (o: number, min: number, max: number) => {
    groupsOfOption[o]!.push(labels.length);
    labels.push(o);
    lo.push(min);
    hi.push(max);
  };
  if ('list' in sizes) {
    const optionOf = optionsForSizeList(sizes.list, bucketSizes);
    sizes.list.forEach((size, i) => {
      if (optionOf[i]! >= 0) plan(optionOf[i]!, size, size);
    });
  } else {
    const target = sizes.target ?? Math.round((sizes.min + sizes.max) / 2);
    bucketSizes.forEach((s, o) => {
      if (s === 0) return;
      const k = groupCountFor(s, sizes.min, sizes.max, target) ?? Math.floor(s / sizes.min);
      for (let c = 0; c < k; c++) plan(o, sizes.min, sizes.max);
    });
  }
  const spaceFor = (groups: readonly number[]) =>
    new LeaderSpace({
      leaders,
      settings,
      history,
      maxPerOrganisation,
      worstGroupWeight: lambda,
      labels: Int32Array.from(groups, (g) => labels[g]!),
      lo: Int32Array.from(groups, (g) => lo[g]!),
      hi: Int32Array.from(groups, (g) => hi[g]!),
      parameters: input.leaderSpaceParameters,
    });
  const draft = spaceFor(labels.map((_, g) => g));
  construct(leaders, draft, bucketOf, groupsOfOption, rng);

  // Keep the groups that survived construction, renumbered.
  const kept: number[] = [];
  for (let g = 0; g < labels.length; g++) if (draft.size[g]! > 0) kept.push(g);
  const renumber = new Int32Array(labels.length).fill(-1);
  kept.forEach((g, k) => {
    renumber[g] = k;
  });
  const space = spaceFor(kept);
  space.restore(Int32Array.from(draft.groupOf, (g) => (g < 0 ? -1 : renumber[g]!)));
  space.rng = rng;
  space.setOrder(
    shuffleInPlace(
      Array.from({ length: n }, (_, i) => i),
      rng,
    ),
  );
  const report = input.onProgress;
  const hasClock = input.budget?.clock !== undefined;
  const interval = input.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
  let lastReportAt = -Infinity;
  let reportedBest = -Infinity;
  const onRound =
    report &&
    ((bestSoFar: number) => {
      const elapsedMs = budget.elapsedMs();
      const due = hasClock ? elapsedMs! - lastReportAt >= interval : bestSoFar > reportedBest;
      if (!due) return;
      lastReportAt = elapsedMs ?? 0;
      reportedBest = bestSoFar;
      report({ bestScore: bestSoFar, iterations: budget.iterations, elapsedMs });
    });
  if (space.m > 0) iteratedMaximaSearch(space, rng, budget, defaultParameters(n), onRound);
  report?.({ bestScore: space.value(), iterations: budget.iterations, elapsedMs: budget.elapsedMs() });

  const networks: ProposedNetwork[] = [];
  for (let g = 0; g < space.m; g++) {
    const members = [...space.members(g)].sort((a, b) => a - b).map((i) => leaders[i]!);
    const composition = scoreGroup(members, settings, history);
    const option = MEETING_OPTIONS[space.label(g)]!;
    networks.push({
      members: members.map((l) => l.id),
      timeSlot: option.timeSlot,
      format: option.format,
      score: composition.score,
      onlyOnes: composition.onlyOnes,
      criteria: composition.components,
    });
  }
  const firstIndex = new Map(leaders.map((l, i) => [l.id, i]));
  networks.sort((a, b) => firstIndex.get(a.members[0]!)! - firstIndex.get(b.members[0]!)!);
  const unplaced: UnplacedLeader[] = Array.from({ length: n }, (_, i) => i)
    .filter((i) => space.groupOf[i]! < 0)
    .map((i) => {
      const reason: UnplacedReason = bucketOf[i]! < 0 ? 'no_shared_slot_format' : 'no_feasible_group';
      return { leaderId: leaders[i]!.id, reason, message: UNPLACED_MESSAGES[reason] };
    });
  const scores = networks.map((x) => x.score);
  const total = scores.reduce((a, b) => a + b, 0);
  const mean = scores.length ? total / scores.length : 0;
  const worst = scores.length ? Math.min(...scores) : 0;
  const best = scores.length ? Math.max(...scores) : 0;
  const onlyOnes = networks.reduce((a, x) => a + x.onlyOnes, 0);
  const objective = (1 - lambda) * mean + lambda * worst - onlyOnes;
  return ok({
    networks,
    unplaced,
    quality: {
      networks: networks.length,
      placed: n - unplaced.length,
      total,
      mean,
      worst,
      best,
      spread: best - worst,
      onlyOnes,
      objective,
      iterations: budget.iterations,
    },
  });
}
