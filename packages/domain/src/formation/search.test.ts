import fc from 'fast-check';
import t from 'tap';
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
  t.same(defaultParameters(10), { weak: 3, strong: 4, depth: 30 });
  t.same(defaultParameters(100), { weak: 3, strong: 20, depth: 30 });
});

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
