/**
 * Group sizes: either one range for every group (with an optional target size or group count), or
 * an explicit list of ranges, one per group (the MDGP "ds" case). Resolving a specification for a
 * pool of n gives one [lo, hi] range per group.
 */
import { err, ok, type Result } from '../result.js';

/** One group's size range, inclusive. */
export interface SizeRange {
  readonly min: number;
  readonly max: number;
}

/** How big the groups must be. */
export type GroupSizes =
  | {
      readonly kind: 'bounds';
      readonly min: number;
      readonly max: number;
      /** Preferred size; the number of groups is n / target rounded, within what the bounds allow. */
      readonly target?: number;
      /** An exact number of groups (overrides target). */
      readonly groups?: number;
    }
  | { readonly kind: 'ranges'; readonly ranges: readonly SizeRange[] };

/** A resolved plan: one inclusive range per group. */
export interface GroupPlan {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
}

/** Why no plan fits the pool. */
export interface SizePlanError {
  readonly code: 'invalid_sizes' | 'sizes_do_not_fit';
  readonly detail: string;
}

const isCount = (x: number, min: number) => Number.isInteger(x) && x >= min;

/** Checks a size specification on its own (not against a pool). */
export function sizeSpecProblem(sizes: GroupSizes): string | null {
  if (sizes.kind === 'ranges') {
    if (sizes.ranges.length === 0) return 'at least one range is needed';
    for (const r of sizes.ranges)
      if (!isCount(r.min, 1) || !isCount(r.max, 1) || r.min > r.max)
        return 'every range needs integers 1 ≤ min ≤ max';
    return null;
  }
  if (!isCount(sizes.min, 1) || !isCount(sizes.max, 1) || sizes.min > sizes.max)
    return 'bounds need integers 1 ≤ min ≤ max';
  if (
    sizes.target !== undefined &&
    (!isCount(sizes.target, 1) || sizes.target < sizes.min || sizes.target > sizes.max)
  )
    return 'target must be an integer within the bounds';
  if (sizes.groups !== undefined && !isCount(sizes.groups, 1)) return 'groups must be a positive integer';
  return null;
}

/** The number of groups with sizes in [min, max] that a pool of n can be split into, or null. */
export function groupCountFor(n: number, min: number, max: number, target: number): number | null {
  const fewest = Math.ceil(n / max);
  const most = Math.floor(n / min);
  if (n === 0 || fewest > most) return null;
  return Math.min(most, Math.max(fewest, Math.round(n / target)));
}

/** Resolves a size specification for a pool of `n` elements. */
export function planGroups(n: number, sizes: GroupSizes): Result<GroupPlan, SizePlanError> {
  const problem = sizeSpecProblem(sizes);
  if (problem !== null) return err({ code: 'invalid_sizes', detail: problem });
  let lo: number[];
  let hi: number[];
  if (sizes.kind === 'ranges') {
    lo = sizes.ranges.map((r) => r.min);
    hi = sizes.ranges.map((r) => r.max);
  } else {
    const target = sizes.target ?? Math.round((sizes.min + sizes.max) / 2);
    const m = sizes.groups ?? groupCountFor(n, sizes.min, sizes.max, target) ?? 0;
    lo = new Array(m).fill(sizes.min);
    hi = new Array(m).fill(sizes.max);
  }
  const sumLo = lo.reduce((a, b) => a + b, 0);
  const sumHi = hi.reduce((a, b) => a + b, 0);
  if (lo.length === 0 || n < sumLo || n > sumHi)
    return err({
      code: 'sizes_do_not_fit',
      detail: `${n} elements do not fit ${lo.length} groups of these sizes`,
    });
  return ok({ lo: Int32Array.from(lo), hi: Int32Array.from(hi) });
}
