import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import { leader } from '../../test/helpers/leaders.js';
import type { Leader } from '../leader.js';
import { startBudget } from './budget.js';
import {
  DEFAULT_PROGRESS_INTERVAL_MS,
  type FormationInput,
  type FormationProgress,
  formNetworks,
} from './form-networks.js';

/** Floating-point slack between two readings of the search's objective. */
const ROUNDING = 1e-9;
/** How far the search's fast score model may lie from the result's exact scores (measured ≤ 0.03 on tiny groups). */
const SCORE_MODEL_GAP = 0.1;

/** Leader P<i> of the pool: sector, organisation, level, experience, region and motivations vary with i. */
const poolLeader = (i: number): Leader =>
  leader(`P${i}`, {
    name: `P ${i}`,
    sector: ['IT', 'Finans', 'Kommune'][i % 3]!,
    organisation: `Org ${i % 5}`,
    level: (['first_line', 'middle', 'senior'] as const)[i % 3]!,
    yearsOfExperience: (i * 7) % 30,
    region: i % 2 ? 'Nord' : 'Syd',
    motivations: i % 4 ? ['strategy'] : ['learning', 'strategy'],
    formats: ['in_person'],
  });

/** Runs a formation and collects its progress reports. */
function run(input: Omit<FormationInput, 'onProgress'>) {
  const reports: FormationProgress[] = [];
  const result = formNetworks({ ...input, onProgress: (p) => reports.push(p) });
  if (!result.ok) throw new Error('formation failed');
  return { reports, formation: result.value };
}

t.test('progress: best scores never fall, the last report is the result, reports are throttled', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 24 }),
      fc.integer(),
      fc.integer({ min: 1, max: 9 }),
      fc.constantFrom(0, 20, 100),
      fc.constantFrom(0, 0.5, 1),
      (n, seed, tick, interval, lambda) => {
        let now = 1000;
        const { reports, formation } = run({
          leaders: Array.from({ length: n }, (_, i) => poolLeader(i)),
          sizes: { min: 3, max: 5 },
          seed,
          worstGroupWeight: lambda,
          progressIntervalMs: interval,
          // A clock that moves `tick` ms per reading, and a round cap so the test stays fast.
          budget: { maxIterations: 30, clock: () => (now += tick) },
        });
        const last = reports.at(-1)!;
        // The last report is the search's own figure of the result (see FormationProgress).
        if (Math.abs(last.bestScore - formation.quality.objective) > SCORE_MODEL_GAP) return false;
        if (last.iterations !== formation.quality.iterations) return false;
        for (let k = 1; k < reports.length; k++) {
          const [before, after] = [reports[k - 1]!, reports[k]!];
          if (after.bestScore < before.bestScore - ROUNDING) return false;
          if (after.iterations < before.iterations || after.elapsedMs! < before.elapsedMs!) return false;
          // Between two reports of the search (not the final one) at least the interval passed.
          if (k < reports.length - 1 && after.elapsedMs! - before.elapsedMs! < interval) return false;
        }
        return reports.every((r) => r.elapsedMs !== null && r.elapsedMs > 0);
      },
    ),
    { numRuns: 25 },
  );
  t.end();
});

t.test('progress: the first round is reported at once, then at most once per interval', async (t) => {
  let now = 0;
  const { reports, formation } = run({
    leaders: Array.from({ length: 20 }, (_, i) => poolLeader(i)),
    sizes: { min: 5, max: 6 },
    seed: 3,
    budget: { maxIterations: 150, clock: () => (now += 7) },
  });
  t.ok(reports.length >= 3, 'several reports over a long run');
  t.equal(reports[0]!.iterations, 1, 'the first round is reported');
  const gaps = reports.slice(1, -1).map((r, k) => r.elapsedMs! - reports[k]!.elapsedMs!);
  t.ok(
    gaps.every((g) => g >= DEFAULT_PROGRESS_INTERVAL_MS),
    'the default interval holds',
  );
  t.ok(Math.abs(reports.at(-1)!.bestScore - formation.quality.objective) < SCORE_MODEL_GAP);
  t.ok(
    reports.at(-1)!.bestScore >= reports[0]!.bestScore - ROUNDING,
    'the search improved or kept the first',
  );
});

t.test('progress without a clock: each improvement is reported, elapsed time is null', async (t) => {
  const { reports, formation } = run({
    leaders: Array.from({ length: 20 }, (_, i) => poolLeader(i)),
    sizes: { min: 5, max: 6 },
    seed: 5,
    budget: { maxIterations: 80 },
  });
  t.ok(reports.every((r) => r.elapsedMs === null));
  const search = reports.slice(0, -1);
  t.ok(search.length >= 1);
  t.ok(
    search.every((r, k) => k === 0 || r.bestScore > search[k - 1]!.bestScore),
    'only improvements are reported during the search',
  );
  t.ok(reports.at(-1)!.bestScore >= search.at(-1)!.bestScore - ROUNDING, 'the final report keeps the best');
  t.ok(Math.abs(reports.at(-1)!.bestScore - formation.quality.objective) < SCORE_MODEL_GAP);
});

t.test('progress of a pool with no network: only the final report', async (t) => {
  const { reports } = run({ leaders: [poolLeader(0)], seed: 1, budget: { maxIterations: 10 } });
  t.same(reports, [{ bestScore: 0, iterations: 0, elapsedMs: null }]);
});

t.test('reporting progress does not change the result', async (t) => {
  const input: FormationInput = {
    leaders: Array.from({ length: 24 }, (_, i) => poolLeader(i)),
    sizes: { min: 4, max: 6 },
    seed: 9,
    budget: { maxIterations: 50 },
  };
  let now = 0;
  t.same(
    formNetworks({
      ...input,
      budget: { maxIterations: 50, clock: () => (now += 3) },
      onProgress: () => {},
      progressIntervalMs: 0,
    }),
    formNetworks(input),
  );
});

t.test('a progress interval must be a finite number ≥ 0', async (t) => {
  for (const progressIntervalMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
    const result = formNetworks({ leaders: [poolLeader(0)], seed: 1, progressIntervalMs });
    t.match(result, { ok: false, error: { issues: [{ path: 'progressIntervalMs', code: 'too_small' }] } });
  }
});

t.test('a budget measures elapsed time only with a clock', async (t) => {
  t.equal(startBudget({ maxIterations: 3 }).elapsedMs(), null);
  let now = 10;
  const budget = startBudget({ clock: () => now });
  now = 35;
  t.equal(budget.elapsedMs(), 25);
});

t.test('progress of a run without any budget given: the default rounds, no clock', async (t) => {
  const reports: FormationProgress[] = [];
  const result = formNetworks({
    leaders: Array.from({ length: 8 }, (_, i) => poolLeader(i)),
    sizes: { min: 4, max: 4 },
    seed: 2,
    onProgress: (p) => reports.push(p),
  });
  t.ok(result.ok);
  t.ok(reports.length >= 2, 'the first round and the final report');
  t.ok(reports.every((r) => r.elapsedMs === null));
});
