import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import { startBudget } from './budget.js';
import { seededRng } from './random.js';
import { defaultParameters, IMPROVEMENT_EPSILON, iteratedMaximaSearch, type SearchSpace } from './search.js';

/**
 * A scripted space: every descent lands on the next value of `script` (cyclically); perturbations do
 * nothing. An assignment is the index of the value it holds, so save/restore are exact.
 */
function scripted(script: readonly number[]) {
  let at = -1;
  let descents = 0;
  const seen: number[] = [];
  const space: SearchSpace = {
    value: () => script[at]!,
    descend: () => {
      at = descents++ % script.length;
      seen.push(script[at]!);
    },
    perturb: () => {},
    save: () => Int32Array.of(at),
    restore: (saved) => {
      at = saved[0]!;
    },
  };
  return { space, seen };
}

const params = { weak: 1, strong: 2, depth: 2 };

t.test('IMS returns the best local optimum it reached and leaves the space there', async (t) => {
  const cases: [name: string, script: number[], rounds: number, best: number][] = [
    ['the budget ends before any round: the first descent', [5, 9], 1, 5],
    ['the last strong perturbation found the best: kept, not undone', [1, 2, 3, 4], 3, 4],
    ['a later, worse descent is undone', [1, 7, 2, 3], 3, 7],
    ['the best of an early phase survives worse phases', [1, 8, 2, 2, 2, 2, 2, 2], 7, 8],
    ['ties within epsilon keep the first', [3, 3 + IMPROVEMENT_EPSILON / 2, 3], 2, 3],
  ];
  for (const [name, script, rounds, best] of cases) {
    const { space } = scripted(script);
    const budget = startBudget({ maxIterations: rounds });
    const value = iteratedMaximaSearch(space, seededRng(1), budget, params);
    t.equal(value, best, name);
    t.equal(space.value(), best, `${name}: the space holds it`);
    t.ok(budget.exhausted(), `${name}: the whole budget was used`);
  }
});

t.test('IMS never returns less than the best value any descent reached', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 5 }),
      (script, rounds, depth) => {
        const { space, seen } = scripted(script);
        const value = iteratedMaximaSearch(space, seededRng(1), startBudget({ maxIterations: rounds }), {
          ...params,
          depth,
        });
        return value === Math.max(...seen) && space.value() === value;
      },
    ),
  );
  t.end();
});

t.test('default parameters scale the strong perturbation with n', async (t) => {
  const rest = { depth: 30, elite: 4, crossover: 4, restart: 1, restartMinimum: 1000 };
  t.same(defaultParameters(10), { weak: 3, strong: 4, ...rest });
  t.same(defaultParameters(100), { weak: 3, strong: 20, ...rest });
});

t.test(
  'a space that can randomize restarts once the rounds without a new best pass those before it',
  async (t) => {
    const run = (parameters: object, withRandomize = true) => {
      const { space } = scripted([3]);
      const budget = startBudget({ maxIterations: 40 });
      const restarts: number[] = [];
      const restarting: SearchSpace = withRandomize
        ? { ...space, randomize: () => restarts.push(budget.iterations) }
        : space;
      t.equal(iteratedMaximaSearch(restarting, seededRng(1), budget, { ...params, ...parameters }), 3);
      return restarts;
    };
    // The best (3) comes with the first round; maxima searches of two rounds, each followed by one.
    // 3 rounds without a new best are not enough; after 6 (> 4 and > 1 × 0) a restart, after 15
    // (9 since it, > 6) the next, then after 33 (18 > 15): the spacing doubles.
    t.same(run({ restart: 1, restartMinimum: 4 }), [6, 15, 33]);
    t.same(run({ restart: 2, restartMinimum: 4 }), [6, 21], 'twice the rounds: fewer restarts');
    t.same(run({ restart: 1 }), [3, 9, 21], 'no minimum');
    t.same(run({}), [], 'no restart rule: none');
    t.same(run({ restart: 1 }, false), [], 'a space without randomize: none');
  },
);

t.test("the weak perturbation is the space's directed nudge when it has one", async (t) => {
  const { space } = scripted([1, 2, 3, 4, 5, 6]);
  const calls: string[] = [];
  const nudging = {
    ...space,
    perturb: (strength: number) => calls.push(`perturb ${strength}`),
    nudge: (steps: number) => calls.push(`nudge ${steps}`),
  };
  iteratedMaximaSearch(nudging, seededRng(1), startBudget({ maxIterations: 5 }), params);
  t.ok(calls.includes(`nudge ${params.weak}`), 'weak steps go through nudge');
  t.notOk(calls.includes(`perturb ${params.weak}`), 'not through perturb');
  t.ok(calls.includes(`perturb ${params.strong}`), 'the strong perturbation stays random');
});

/** A scripted space that records its crossovers (as the script values of the two parents). */
function crossing(script: readonly number[]) {
  const { space } = scripted(script);
  const crossovers: number[][] = [];
  const strong: number[] = [];
  const crossingSpace: SearchSpace = {
    ...space,
    perturb: (strength) => {
      if (strength === params.strong) strong.push(strength);
    },
    crossover: (first, second) => {
      crossovers.push([script[first[0]!]!, script[second[0]!]!].sort((a, b) => a - b));
    },
  };
  return { space: crossingSpace, crossovers, strong };
}

// Every maxima search (depth 2) sees one new value, then two 1s: its best is 5, 6, 7, then 4.
const phases = [5, 1, 1, 6, 1, 1, 7, 1, 1, 4, 1, 1];

t.test('with an elite pool, maxima searches start from a child of two distinct elite members', async (t) => {
  // 13 rounds: the first descent, then four maxima searches of two rounds, each followed by one.
  const { space, crossovers, strong } = crossing(phases);
  const value = iteratedMaximaSearch(space, seededRng(1), startBudget({ maxIterations: 13 }), {
    ...params,
    elite: 2,
  });
  t.equal(value, 7);
  t.equal(strong.length, 1, 'a strong perturbation while the pool fills');
  // 7 replaces the worst member (5); 4 is worse than every member and stays out.
  t.same(crossovers, [
    [5, 6],
    [6, 7],
    [6, 7],
  ]);
});

t.test('the pool keeps one solution per value and crossover can be every k-th maxima search', async (t) => {
  // The same best (5) in every maxima search: the pool never fills, so no crossover.
  const same = crossing([5, 1, 1]);
  iteratedMaximaSearch(same.space, seededRng(1), startBudget({ maxIterations: 13 }), { ...params, elite: 2 });
  t.same(same.crossovers, [], 'a value already in the pool is not added again');
  t.equal(same.strong.length, 4);
  const every = crossing(phases);
  iteratedMaximaSearch(every.space, seededRng(1), startBudget({ maxIterations: 13 }), {
    ...params,
    elite: 2,
    crossover: 2,
  });
  t.same(
    every.crossovers,
    [
      [5, 6],
      [6, 7],
    ],
    'after the second and fourth maxima search',
  );
  t.equal(every.strong.length, 2, 'after the first and third');
  const without = crossing(phases);
  iteratedMaximaSearch(without.space, seededRng(1), startBudget({ maxIterations: 13 }), params);
  t.same(without.crossovers, [], 'no pool without `elite`');
  t.equal(without.strong.length, 4);
});
