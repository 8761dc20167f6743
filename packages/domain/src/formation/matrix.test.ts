import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import { startBudget } from './budget.js';
import { groupingObjective, MatrixSpace, randomAssignment, solveMatrixGrouping } from './matrix.js';
import { seededRng, shuffleInPlace } from './random.js';
import { groupCountFor, planGroups } from './sizes.js';

/** Exhaustive optimum: every assignment of n elements to m labelled groups within the ranges. */
function exhaustive(n: number, values: Float64Array, lo: number[], hi: number[]): number {
  const m = lo.length;
  const groupOf = new Array<number>(n).fill(0);
  let best = -Infinity;
  const rec = (i: number) => {
    if (i === n) {
      const size = new Array<number>(m).fill(0);
      for (const g of groupOf) size[g]!++;
      if (size.some((s, g) => s < lo[g]! || s > hi[g]!)) return;
      const groups: number[][] = Array.from({ length: m }, () => []);
      groupOf.forEach((g, k) => {
        groups[g]!.push(k);
      });
      best = Math.max(best, groupingObjective(n, values, groups));
      return;
    }
    for (let g = 0; g < m; g++) {
      groupOf[i] = g;
      rec(i + 1);
    }
  };
  rec(0);
  return best;
}

const instance = fc.record({
  n: fc.integer({ min: 8, max: 9 }),
  seed: fc.integer(),
  values: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 81, maxLength: 81 }),
  ranges: fc.constantFrom<number[][]>(
    [
      [2, 4],
      [2, 4],
      [3, 5],
    ],
    [
      [4, 5],
      [4, 5],
    ],
    [
      [1, 3],
      [2, 3],
      [3, 4],
    ],
  ),
});

t.test('the solver reaches the exhaustive optimum on small instances (n = 8, 9)', (t) => {
  fc.assert(
    fc.property(instance, ({ n, seed, values, ranges }) => {
      const d = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = values[i * 9 + j]!;
      const result = solveMatrixGrouping({
        n,
        values: d,
        sizes: { kind: 'ranges', ranges: ranges.map(([min, max]) => ({ min: min!, max: max! })) },
        seed,
        budget: { maxIterations: 60 },
      });
      if (!result.ok) return false;
      const sizesOk = result.value.groups.every(
        (g, k) => g.length >= ranges[k]![0]! && g.length <= ranges[k]![1]!,
      );
      const optimum = exhaustive(
        n,
        d,
        ranges.map((r) => r[0]!),
        ranges.map((r) => r[1]!),
      );
      return sizesOk && Math.abs(result.value.objective - optimum) < 1e-9;
    }),
    { numRuns: 25 },
  );
  t.end();
});

t.test('same input and seed give the same grouping; equal-size bounds', (t) => {
  const n = 12;
  const rng = seededRng(3);
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = rng.int(1000) / 7;
  const run = () =>
    solveMatrixGrouping({
      n,
      values: d,
      sizes: { kind: 'bounds', min: 3, max: 3 },
      seed: 9,
      budget: { maxIterations: 30 },
    });
  t.same(run(), run());
  const r = run();
  t.ok(r.ok && r.value.groups.every((g) => g.length === 3));
  t.end();
});

t.test('errors: sizes that do not fit, invalid ranges, wrong matrix length', (t) => {
  const values = new Float64Array(16);
  const base = { n: 4, values, seed: 1, budget: { maxIterations: 1 } };
  t.match(solveMatrixGrouping({ ...base, sizes: { kind: 'bounds', min: 3, max: 3 } }), {
    ok: false,
    error: { code: 'sizes_do_not_fit' },
  });
  t.match(solveMatrixGrouping({ ...base, sizes: { kind: 'ranges', ranges: [{ min: 3, max: 2 }] } }), {
    ok: false,
    error: { code: 'invalid_sizes' },
  });
  t.match(
    solveMatrixGrouping({ ...base, values: new Float64Array(3), sizes: { kind: 'bounds', min: 2, max: 2 } }),
    {
      ok: false,
      error: { code: 'invalid_values' },
    },
  );
  t.end();
});

t.test('size plans', (t) => {
  t.match(planGroups(10, { kind: 'ranges', ranges: [] }), { ok: false, error: { code: 'invalid_sizes' } });
  t.match(planGroups(10, { kind: 'bounds', min: 0, max: 2 }), { ok: false });
  t.match(planGroups(10, { kind: 'bounds', min: 2, max: 4, target: 5 }), { ok: false });
  t.match(planGroups(10, { kind: 'bounds', min: 2, max: 4, groups: 0 }), { ok: false });
  const planned = planGroups(10, { kind: 'bounds', min: 2, max: 4, groups: 3 });
  t.ok(planned.ok && planned.value.lo.length === 3);
  const byTarget = planGroups(12, { kind: 'bounds', min: 2, max: 6, target: 4 });
  t.ok(byTarget.ok && byTarget.value.lo.length === 3);
  t.match(planGroups(0, { kind: 'bounds', min: 2, max: 4 }), {
    ok: false,
    error: { code: 'sizes_do_not_fit' },
  });
  t.equal(groupCountFor(7, 4, 5, 4), null);
  t.equal(groupCountFor(40, 6, 12, 9), 4);
  t.end();
});

t.test('the budget stops on the injected clock and counts rounds', (t) => {
  let now = 0;
  const budget = startBudget({ timeLimitMs: 10, clock: () => now });
  t.notOk(budget.exhausted());
  now = 10;
  t.ok(budget.exhausted());
  const counted = startBudget({});
  for (let k = 0; k < 2000; k++) counted.tick();
  t.ok(counted.exhausted());
  t.equal(counted.iterations, 2000);
  // A clock that advances on every reading stops a descent midway, deterministically.
  let tick = 0;
  const n = 30;
  const d = new Float64Array(n * n).map((_, k) => (k * 7919) % 101);
  const r = solveMatrixGrouping({
    n,
    values: d,
    sizes: { kind: 'bounds', min: 4, max: 8 },
    seed: 1,
    budget: { timeLimitMs: 50, clock: () => tick++ },
  });
  t.ok(r.ok);
  t.end();
});

t.test('a descent asks its stop function on every 64th check only, and obeys its first yes', (t) => {
  const rng = seededRng(7);
  const n = 120;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = rng.int(101);
  const lo = new Int32Array(10).fill(8);
  const hi = new Int32Array(10).fill(16);
  const start = randomAssignment(n, lo, hi, rng);
  // From a random start the descent applies well over a hundred moves and swaps (asking at each
  // one, it asked 167 times).
  let asked = 0;
  const full = new MatrixSpace(n, d, lo, hi, start);
  full.descend(() => {
    asked++;
    return false;
  });
  t.ok(asked >= 1 && asked <= 4, `asked ${asked} times`);
  let askedEarly = 0;
  const early = new MatrixSpace(n, d, lo, hi, start);
  early.descend(() => {
    askedEarly++;
    return true;
  });
  t.equal(askedEarly, 1, 'a yes ends the descent: no pass asks again');
  t.end();
});

t.test('random assignments meet the ranges; shuffles are permutations', (t) => {
  const rng = seededRng(5);
  const lo = Int32Array.from([1, 2, 3]);
  const hi = Int32Array.from([2, 4, 6]);
  const a = randomAssignment(10, lo, hi, rng);
  const size = [0, 0, 0];
  for (const g of a) size[g]!++;
  t.ok(size.every((s, g) => s >= lo[g]! && s <= hi[g]!));
  t.same(shuffleInPlace([1, 2, 3, 4], rng).sort(), [1, 2, 3, 4]);
  const space = new MatrixSpace(10, new Float64Array(100).fill(1), lo, hi, a);
  space.perturb(50, rng);
  t.ok(meetsRanges(space, lo, hi));
  space.randomize(rng);
  t.ok(meetsRanges(space, lo, hi), 'a restart meets the ranges too');
  t.equal(space.value(), new MatrixSpace(10, new Float64Array(100).fill(1), lo, hi, space.save()).value());
  t.end();
});

/**
 * Whether the space's groups meet the ranges it holds, and those are the plan's ranges (`lo`, `hi`)
 * one-to-one (group g holds range rangeOf[g]).
 */
function meetsRanges(space: MatrixSpace, lo: Int32Array, hi: Int32Array): boolean {
  const held = [...space.rangeOf];
  return (
    new Set(held).size === lo.length &&
    held.every((r, g) => space.lo[g] === lo[r] && space.hi[g] === hi[r]) &&
    [...space.size].every((s, g) => s >= space.lo[g]! && s <= space.hi[g]!)
  );
}

/** Whether group sizes can be matched one-to-one to the ranges (every permutation tried). */
function sizesFit(sizes: number[], lo: Int32Array, hi: Int32Array): boolean {
  const rec = (g: number, used: number): boolean =>
    g === sizes.length ||
    [...lo].some(
      (_, r) =>
        !(used & (1 << r)) && sizes[g]! >= lo[r]! && sizes[g]! <= hi[r]! && rec(g + 1, used | (1 << r)),
    );
  return rec(0, 0);
}

/**
 * The objective change of every move and swap from the space's current assignment, by brute force;
 * a move counts when the new sizes fit the plan's ranges under some labels.
 */
function bestNeighbour(space: MatrixSpace, values: Float64Array, lo: Int32Array, hi: Int32Array): number {
  const { n, m } = space;
  const groupsOf = (groupOf: Int32Array) => {
    const groups: number[][] = Array.from({ length: m }, () => []);
    groupOf.forEach((g, i) => {
      groups[g]!.push(i);
    });
    return groups;
  };
  const now = groupingObjective(n, values, groupsOf(space.groupOf));
  let best = -Infinity;
  for (let i = 0; i < n; i++) {
    const from = space.groupOf[i]!;
    for (let g = 0; g < m; g++) {
      if (g === from) continue;
      const sizes = [...space.size];
      sizes[from]!--;
      sizes[g]!++;
      if (!sizesFit(sizes, lo, hi)) continue;
      const moved = space.groupOf.slice();
      moved[i] = g;
      best = Math.max(best, groupingObjective(n, values, groupsOf(moved)) - now);
    }
    for (let j = i + 1; j < n; j++) {
      if (space.groupOf[j] === from) continue;
      const swapped = space.groupOf.slice();
      swapped[i] = space.groupOf[j]!;
      swapped[j] = from;
      best = Math.max(best, groupingObjective(n, values, groupsOf(swapped)) - now);
    }
  }
  return best;
}

t.test(
  'descent ends in a local optimum with the swap bounds (random values) and without (Euclidean)',
  (t) => {
    const rng = seededRng(11);
    const n = 36;
    const random = new Float64Array(n * n);
    const euclidean = new Float64Array(n * n);
    const points = Array.from({ length: n }, () => [rng.int(1000) / 10, rng.int(1000) / 10]);
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const v = rng.int(101);
        random[i * n + j] = random[j * n + i] = v;
        const e = Math.hypot(points[i]![0]! - points[j]![0]!, points[i]![1]! - points[j]![1]!);
        euclidean[i * n + j] = euclidean[j * n + i] = e;
      }
    for (const [name, values] of [
      ['random', random],
      ['euclidean', euclidean],
    ] as const)
      for (const ranges of [
        [
          [6, 6],
          [6, 6],
          [6, 6],
          [6, 6],
          [6, 6],
          [6, 6],
        ],
        [
          [3, 9],
          [4, 8],
          [5, 7],
          [2, 10],
          [6, 6],
        ],
      ]) {
        const plan = planGroups(n, {
          kind: 'ranges',
          ranges: ranges.map(([min, max]) => ({ min: min!, max: max! })),
        });
        if (!plan.ok) throw new Error('plan');
        const space = new MatrixSpace(
          n,
          values,
          plan.value.lo,
          plan.value.hi,
          randomAssignment(n, plan.value.lo, plan.value.hi, rng),
        );
        for (let round = 0; round < 5; round++) {
          space.descend(() => false);
          const label = `${name}, ${ranges.length} groups, round ${round}`;
          t.ok(
            bestNeighbour(space, values, plan.value.lo, plan.value.hi) <= 1e-6,
            `${label}: no improving move or swap is left`,
          );
          const groups: number[][] = Array.from({ length: space.m }, () => []);
          space.groupOf.forEach((g, i) => {
            groups[g]!.push(i);
          });
          t.ok(
            Math.abs(space.value() - groupingObjective(n, values, groups)) < 1e-6,
            `${label}: the objective is kept exact`,
          );
          space.nudge(3, rng);
          t.ok(meetsRanges(space, plan.value.lo, plan.value.hi), `${label}: a nudge keeps the sizes`);
        }
      }
    t.end();
  },
);

t.test(
  'a nudge applies the best sampled neighbour, even a worse one, and stops when nothing can change',
  (t) => {
    // Four elements, two fixed groups of two: the only changes are swaps, all of equal value here.
    const n = 4;
    const values = new Float64Array(n * n).map((_, k) => (k % (n + 1) === 0 ? 0 : 1));
    const lo = Int32Array.from([2, 2]);
    const hi = Int32Array.from([2, 2]);
    const space = new MatrixSpace(n, values, lo, hi, Int32Array.from([0, 0, 1, 1]));
    const before = space.value();
    space.nudge(1, seededRng(3));
    t.equal(space.value(), before, 'equal values: any swap leaves the objective');
    t.not([...space.groupOf].join(), '0,0,1,1', 'but the nudge did swap');
    // A local optimum: a nudge must move away from it (every neighbour is worse).
    const d = new Float64Array(n * n);
    const set = (i: number, j: number, v: number) => {
      d[i * n + j] = d[j * n + i] = v;
    };
    set(0, 1, 10);
    set(2, 3, 10);
    const optimum = new MatrixSpace(n, d, lo, hi, Int32Array.from([0, 0, 1, 1]));
    optimum.nudge(1, seededRng(4));
    t.ok(optimum.value() < 20, 'the best sampled neighbour is applied although it is worse');
    // One group of fixed size: no move and no swap exists; the nudge returns.
    const single = new MatrixSpace(
      3,
      new Float64Array(9).map((_, k) => (k % 4 === 0 ? 0 : 2)),
      Int32Array.of(3),
      Int32Array.of(3),
      Int32Array.of(0, 0, 0),
    );
    single.nudge(2, seededRng(5));
    t.same([...single.groupOf], [0, 0, 0]);
    // One element: no pairs at all (the smallest value defaults to 0).
    const lone = new MatrixSpace(
      1,
      new Float64Array(1),
      Int32Array.of(1),
      Int32Array.of(1),
      Int32Array.of(0),
    );
    lone.descend(() => false);
    t.equal(lone.value(), 0);
    t.end();
  },
);

/** Groups of an assignment as sorted member lists, keyed by their text (labels do not matter). */
function groupSets(groupOf: Int32Array, m: number): Set<string> {
  const groups: number[][] = Array.from({ length: m }, () => []);
  groupOf.forEach((g, i) => {
    groups[g]!.push(i);
  });
  return new Set(groups.map((g) => g.join(',')));
}

t.test('crossover: the child is a feasible partition that keeps the groups both parents share', (t) => {
  const crossoverCase = fc.record({
    seed: fc.integer(),
    values: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 144, maxLength: 144 }),
    ranges: fc.constantFrom<[number, number][]>(
      [
        [3, 3],
        [3, 3],
        [3, 3],
        [3, 3],
      ],
      [
        [1, 6],
        [2, 3],
        [4, 5],
        [2, 2],
      ],
      [
        [2, 8],
        [2, 3],
        [1, 2],
      ],
      [
        [5, 6],
        [1, 2],
        [4, 5],
      ],
      // A group that stays empty: the parents run out of elements before every group is filled.
      [
        [0, 0],
        [6, 6],
        [6, 6],
      ],
    ),
    shared: fc.boolean(),
  });
  fc.assert(
    fc.property(crossoverCase, ({ seed, values, ranges, shared }) => {
      const n = 12;
      const d = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) d[i * n + j] = d[j * n + i] = values[i * n + j]!;
      const lo = Int32Array.from(ranges.map((r) => r[0]));
      const hi = Int32Array.from(ranges.map((r) => r[1]));
      const rng = seededRng(seed);
      const first = randomAssignment(n, lo, hi, rng);
      let second = randomAssignment(n, lo, hi, rng);
      if (shared) {
        // The second parent shares the first's group 0: its members swap labels with others.
        second = first.slice();
        for (let k = 0; k < 6; k++) {
          const i = rng.int(n);
          const j = rng.int(n);
          if (first[i] !== 0 && first[j] !== 0) [second[i], second[j]] = [second[j]!, second[i]!];
        }
      }
      const space = new MatrixSpace(n, d, lo, hi, first);
      space.crossover(first, second, rng);
      const m = lo.length;
      const size = new Array<number>(m).fill(0);
      for (const g of space.groupOf) size[g]!++;
      if (size.some((s, g) => s !== space.size[g]) || !meetsRanges(space, lo, hi)) return false;
      const groups: number[][] = Array.from({ length: m }, () => []);
      space.groupOf.forEach((g, i) => {
        groups[g]!.push(i);
      });
      if (Math.abs(space.value() - groupingObjective(n, d, groups)) > 1e-9) return false;
      const childSets = groupSets(space.groupOf, m);
      const secondSets = groupSets(second, m);
      for (const group of groupSets(first, m))
        if (secondSets.has(group) && group !== '' && !childSets.has(group)) return false;
      return true;
    }),
  );
  t.end();
});

t.test(
  'crossover of a solution with itself gives it back; the child takes the parents’ best groups',
  async (t) => {
    // Two cliques of strongly linked elements {0, 1, 2} and {3, 4, 5}; everything else 1.
    const n = 6;
    const d = new Float64Array(n * n).fill(1);
    for (let i = 0; i < n; i++) d[i * n + i] = 0;
    for (const [i, j] of [
      [0, 1],
      [0, 2],
      [1, 2],
      [3, 4],
      [3, 5],
      [4, 5],
    ] as const)
      d[i * n + j] = d[j * n + i] = 10;
    const lo = Int32Array.of(3, 3);
    const hi = Int32Array.of(3, 3);
    const best = Int32Array.of(0, 0, 0, 1, 1, 1);
    const space = new MatrixSpace(n, d, lo, hi, Int32Array.of(0, 1, 0, 1, 0, 1));
    space.crossover(best, best, seededRng(1));
    t.same([...space.groupOf], [...best], 'the common groups are the child');
    t.equal(space.value(), 60);
    // With a third group that must stay empty: every element is in a common group before it is filled.
    const withEmpty = new MatrixSpace(n, d, Int32Array.of(3, 3, 0), Int32Array.of(3, 3, 0), best);
    withEmpty.crossover(best, best, seededRng(1));
    t.same([...withEmpty.groupOf], [...best], 'the empty group stays empty');
    // The first parent holds both cliques, the second none: the child takes a clique when the first
    // parent has the first turn; else a mixed group of the second (every one averages 4) goes first.
    const a = Int32Array.of(0, 0, 0, 1, 1, 1);
    const b = Int32Array.of(0, 1, 0, 0, 1, 1);
    const values = new Set<number>();
    for (let seed = 1; seed <= 8; seed++) {
      space.crossover(a, b, seededRng(seed));
      values.add(space.value());
    }
    t.same([...values].sort(), [24, 60], 'both cliques, or a mixed group then the rest of a clique');
  },
);

t.test('different ranges: a move the labels forbid is made when the sizes fit other labels', (t) => {
  // Ranges [2, 2] and [3, 3]; groups {0, 1} and {2, 3, 4}; element 2 belongs with 0 and 1.
  const n = 5;
  const d = new Float64Array(n * n);
  const set = (i: number, j: number, v: number) => {
    d[i * n + j] = d[j * n + i] = v;
  };
  set(0, 1, 1);
  set(0, 2, 10);
  set(1, 2, 10);
  set(3, 4, 1);
  const lo = Int32Array.of(2, 3);
  const hi = Int32Array.of(2, 3);
  const start = Int32Array.of(0, 0, 1, 1, 1);
  const space = new MatrixSpace(n, d, lo, hi, start);
  space.descend(() => false);
  t.same([...space.groupOf], [0, 0, 0, 1, 1], 'element 2 moved although group 0 held [2, 2]');
  t.same([...space.rangeOf], [1, 0], 'the groups swapped their ranges');
  t.ok(meetsRanges(space, lo, hi));
  t.equal(space.value(), 22);
  // Back to the start: its sizes do not fit the labels now held, so the space relabels.
  space.restore(start);
  t.same([...space.rangeOf], [0, 1]);
  t.ok(meetsRanges(space, lo, hi));
  // The solver's groups are given in the plan's order: group g meets range g.
  const solved = solveMatrixGrouping({
    n,
    values: d,
    sizes: { kind: 'ranges', ranges: [...lo].map((min, g) => ({ min, max: hi[g]! })) },
    seed: 1,
    budget: { maxIterations: 5 },
  });
  t.ok(solved.ok && solved.value.groups.every((g, k) => g.length === lo[k]));
  t.equal(solved.ok && solved.value.objective, 22);
  // Ranges [2, 2] and [4, 4]: a move gives sizes 3 and 3 (or 1 and 5), which no labels fit.
  const six = 6;
  const flat = new Float64Array(six * six).map((_, k) =>
    k % (six + 1) === 0 ? 0 : 1 + ((Math.floor(k / six) + (k % six)) % 5),
  );
  const fixed = new MatrixSpace(
    six,
    flat,
    Int32Array.of(2, 4),
    Int32Array.of(2, 4),
    Int32Array.of(0, 0, 1, 1, 1, 1),
  );
  const rng = seededRng(2);
  for (let k = 0; k < 20; k++) {
    fixed.perturb(3, rng);
    fixed.nudge(2, rng);
    fixed.descend(() => false);
    t.ok(meetsRanges(fixed, Int32Array.of(2, 4), Int32Array.of(2, 4)));
  }
  t.end();
});

t.test('more than 64 groups of different ranges: no relabeling, moves within the labels only', (t) => {
  // 64 groups of exactly one and one of one or two: 66 elements; only swaps and no move can change.
  const m = 65;
  const n = 66;
  const lo = new Int32Array(m).fill(1);
  const hi = Int32Array.from({ length: m }, (_, g) => (g === 0 ? 2 : 1));
  const d = new Float64Array(n * n).map((_, k) => ((Math.floor(k / n) + 1) * ((k % n) + 1)) % 7);
  for (let i = 0; i < n; i++) d[i * n + i] = 0;
  const space = new MatrixSpace(n, d, lo, hi, randomAssignment(n, lo, hi, seededRng(1)));
  space.descend(() => false);
  space.nudge(3, seededRng(2));
  t.equal(space.size[0], 2);
  t.same([...space.rangeOf], [...Array(m).keys()]);
  t.end();
});
