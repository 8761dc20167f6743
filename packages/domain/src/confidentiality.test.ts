import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import {
  DEFAULT_MIN_RESPONSES,
  MIN_RESPONSES_FLOOR,
  minimumResponses,
  releaseAggregate,
  releaseMeetingAggregate,
} from './confidentiality.js';
import type { Evaluation, EvaluationScore } from './evaluation.js';

const ev = (memberId: string, benefit: EvaluationScore = 3): Evaluation => ({
  meetingId: 'mt1',
  memberId,
  benefit,
  energy: 3,
  purposeFit: 3,
  relations: 3,
  giveGet: 0,
  comment: null,
});
const group = (n: number) => Array.from({ length: n }, (_, i) => ev(`m${i}`));

t.test('k defaults to 5 and is clamped to the floor of 3', async (t) => {
  t.equal(DEFAULT_MIN_RESPONSES, 5);
  t.equal(MIN_RESPONSES_FLOOR, 3);
  const cases: [number | undefined, number][] = [
    [undefined, 5],
    [Number.NaN, 5],
    [Number.POSITIVE_INFINITY, 5],
    [1, 3],
    [-4, 3],
    [3, 3],
    [4.9, 4],
    [8, 8],
  ];
  for (const [configured, k] of cases) t.equal(minimumResponses(configured), k, `k=${configured} → ${k}`);
});

t.test('an aggregate is released only with at least k answers', async (t) => {
  const cases: [number, number | undefined, boolean][] = [
    [4, undefined, false],
    [5, undefined, true],
    [2, 1, false], // k=1 is clamped to 3
    [3, 1, true],
    [6, 7, false],
  ];
  for (const [answers, k, released] of cases) {
    const d = releaseMeetingAggregate(group(answers), { minimumResponses: k });
    t.equal(d.released, released, `${answers} answers, k=${k}`);
    if (!d.released)
      t.same(d, { released: false, reason: 'not_enough_responses', minimum: minimumResponses(k) });
  }
  const ok = releaseMeetingAggregate(group(6), { eligible: 8 });
  t.ok(ok.released && ok.value.responses === 6 && ok.value.responseRate === 0.75);
  const dup = releaseMeetingAggregate([...group(4), ev('m0', 5)]);
  t.equal(dup.released, false, 'an edited answer does not count twice towards k');
});

t.test('a filter that shrinks the group below k, or leaves out fewer than k, withholds', async (t) => {
  const all = [...group(7), ...Array.from({ length: 5 }, (_, i) => ev(`x${i}`, 1))];
  const onlyX = (e: Evaluation) => e.memberId.startsWith('x');
  const onlyM = (e: Evaluation) => e.memberId.startsWith('m');
  const firstTwo = (e: Evaluation) => e.memberId === 'm0' || e.memberId === 'm1';
  const allBut = (id: string) => (e: Evaluation) => e.memberId !== id;
  t.same(releaseMeetingAggregate(all, { filter: firstTwo }), {
    released: false,
    reason: 'not_enough_responses',
    minimum: 5,
  });
  t.same(releaseMeetingAggregate(all, { filter: allBut('m0') }), {
    released: false,
    reason: 'remainder_too_small',
    minimum: 5,
  });
  const x = releaseMeetingAggregate(all, { filter: onlyX });
  t.ok(x.released && x.value.benefit.mean === 1, 'a filter leaving 5 in and 7 out releases');
  t.ok(releaseMeetingAggregate(all, { filter: onlyM }).released, '7 in, 5 out releases');
  t.ok(releaseMeetingAggregate(all, { filter: () => true }).released, 'a filter leaving nobody out');
});

t.test('property: numbers are never released under k, with or without a filter', async () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ id: fc.integer({ min: 0, max: 14 }), benefit: fc.integer({ min: 1, max: 5 }) }), {
        maxLength: 20,
      }),
      fc.option(fc.integer({ min: -2, max: 10 }), { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 14 }), { nil: undefined }),
      (answers, k, cut) => {
        const evaluations = answers.map((a) => ev(`m${a.id}`, a.benefit as EvaluationScore));
        const filter = cut === undefined ? undefined : (e: Evaluation) => Number(e.memberId.slice(1)) < cut;
        let computedOn = -1;
        const d = releaseAggregate(
          evaluations,
          (g) => {
            computedOn = g.length;
            return g.length;
          },
          { minimumResponses: k, filter },
        );
        const minimum = minimumResponses(k);
        const distinct = new Set(evaluations.map((e) => e.memberId));
        const inGroup = [...distinct].filter((id) => !filter || Number(id.slice(1)) < (cut as number)).length;
        if (d.released) {
          if (d.value < minimum || inGroup < minimum) throw new Error('released under k');
          const leftOut = distinct.size - inGroup;
          if (leftOut > 0 && leftOut < minimum) throw new Error('released with a small remainder');
        } else {
          if (computedOn !== -1) throw new Error('computed a withheld aggregate');
          if (Object.keys(d).sort().join() !== 'minimum,reason,released') throw new Error('numbers leaked');
        }
      },
    ),
    { seed: 20261127, numRuns: 500 },
  );
});
