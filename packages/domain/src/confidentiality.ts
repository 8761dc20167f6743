/**
 * Confidentiality of evaluations (PRODUCT.md §2): an aggregate is shown only when at least k
 * members answered; below it the answer is "not enough responses", never numbers. A member's own
 * answers and comment are readable by that member only, so comments are never aggregated.
 */
import {
  aggregateEvaluations,
  type Evaluation,
  type MeetingEvaluationAggregate,
  onePerMember,
} from './evaluation.js';

/**
 * Default minimum number of answers before an aggregate is released. 5 is the default of the
 * engagement-survey tools HR platforms already use: Culture Amp (the "reporting group minimum"),
 * Supermood (hides teams with fewer than 5 respondents), Humaans (anonymity threshold, default 5)
 * and 15Five (confidentiality threshold, default 5).
 */
export const DEFAULT_MIN_RESPONSES = 5;

/**
 * The lowest k a tenant may configure. 3 is the lowest value Humaans ("the minimum you can set is
 * 3") and 15Five (lowerable to 3 or 4) allow; Supermood does not go below 5 and Culture Amp leaves
 * the minimum to the organisation. Below 3, two colleagues could subtract their own answers from a
 * mean and read the third's.
 */
export const MIN_RESPONSES_FLOOR = 3;

/**
 * The k in force: the configured value (default {@link DEFAULT_MIN_RESPONSES}) rounded down to an
 * integer and clamped to at least {@link MIN_RESPONSES_FLOOR}. Formula: `max(floor, ⌊k⌋)`; a
 * non-finite k falls back to the default.
 */
export function minimumResponses(configured?: number): number {
  if (configured === undefined || !Number.isFinite(configured)) return DEFAULT_MIN_RESPONSES;
  return Math.max(MIN_RESPONSES_FLOOR, Math.floor(configured));
}

/**
 * Why an aggregate was withheld: too few answers in the group, or (with a filter) too few left
 * OUT of the group, since the unfiltered aggregate minus the filtered one would then reveal the
 * few left out (Supermood's "indirect protection" against subtracting a subgroup from its parent).
 */
export type WithholdReason = 'not_enough_responses' | 'remainder_too_small';

/** A withheld aggregate: says why and what the minimum is, and carries no numbers at all. */
export interface Withheld {
  readonly released: false;
  readonly reason: WithholdReason;
  readonly minimum: number;
}

/** A released aggregate. */
export interface Released<T> {
  readonly released: true;
  readonly value: T;
}

export type Disclosure<T> = Released<T> | Withheld;

/** Options for releasing an aggregate. */
export interface ReleaseOptions {
  /** The tenant's k (clamped by {@link minimumResponses}). */
  readonly minimumResponses?: number;
  /**
   * A subgroup filter (e.g. one leadership level). The filtered group must hold k answers, and
   * the answers it leaves out must be 0 or at least k.
   */
  readonly filter?: (evaluation: Evaluation) => boolean;
}

/**
 * Releases `compute(group)` only when the group is large enough. The group is one answer per
 * member (an edited answer does not count twice). Withholds when the group has fewer than k
 * answers, or a filter leaves out between 1 and k − 1 answers. `compute` is never called on a
 * withheld group.
 */
export function releaseAggregate<T>(
  evaluations: readonly Evaluation[],
  compute: (group: readonly Evaluation[]) => T,
  options: ReleaseOptions = {},
): Disclosure<T> {
  const k = minimumResponses(options.minimumResponses);
  const all = onePerMember(evaluations);
  const group = options.filter ? all.filter(options.filter) : all;
  if (group.length < k) return { released: false, reason: 'not_enough_responses', minimum: k };
  const leftOut = all.length - group.length;
  if (leftOut > 0 && leftOut < k) return { released: false, reason: 'remainder_too_small', minimum: k };
  return { released: true, value: compute(group) };
}

/**
 * One meeting's aggregate (means, minimums, spreads, distributions, response count and rate), or
 * "not enough responses". `eligible` is the number of members who could answer (attended).
 */
export function releaseMeetingAggregate(
  evaluations: readonly Evaluation[],
  options: ReleaseOptions & { readonly eligible?: number | null } = {},
): Disclosure<MeetingEvaluationAggregate> {
  return releaseAggregate(
    evaluations,
    (group) => aggregateEvaluations(group, options.eligible ?? null),
    options,
  );
}
