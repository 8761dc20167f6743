/**
 * Seeded randomness for the formation engine: the domain never reads a global random source, so the
 * same input and seed give the same groups (after ts-fsrs).
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded source of integers. */
export interface Rng {
  /** A uniform integer in [0, bound). `bound` must be ≥ 1. */
  int(bound: number): number;
}

/** A seeded generator (xoroshiro128+, from pure-rand). */
export function seededRng(seed: number): Rng {
  const generator = xoroshiro128plus(seed | 0);
  return { int: (bound) => uniformInt(generator, 0, bound - 1) };
}

/** Shuffles `items` in place (Fisher–Yates) and returns it. */
export function shuffleInPlace<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}
