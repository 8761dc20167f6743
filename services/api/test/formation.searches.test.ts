/**
 * Several independent searches per formation run (SPARRING_FORMATION_SEARCHES, docs/formation.md):
 * each in its own worker thread with the run's seed + k, the best kept, the progress of all shown.
 */
import type { Formation } from '@sparring/domain';
import t from '@sparring/test-workers/tap';
import { bestOfSearches } from '../src/formation/formation.runner.js';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp } from './helpers/build.js';
import { createLeaders } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t, { SPARRING_FORMATION_SEARCHES: '2' });
const { app } = ctx;

interface Run {
  status: string;
  result: Formation;
  progress: { bestScore: number; iterations: number };
}

/** A run with a round cap (repeatable), as many searches as asked, read back when finished. */
async function run(auth: Auth, seed: number, searches: number): Promise<Run> {
  app.formationRunner.searches = searches;
  const created = await api(app, auth).post('/v1/formation-runs', {
    sizes: { min: 5, max: 7 },
    seed,
    maxIterations: 12,
    timeBudgetMs: 60_000,
  });
  t.equal(created.statusCode, 202);
  await app.formationRunner.idle();
  return (await api(app, auth).get(`/v1/formation-runs/${created.json().id}`)).json();
}

t.test('the setting is read from the environment', async (t) => {
  t.equal(app.formationRunner.searches, 2);
});

t.test('two searches keep the better of the runs with seed and seed + 1', async (t) => {
  const { auth } = await ctx.tenant();
  await createLeaders(app, auth, 36, (i) => ({
    sector: ['public', 'private', 'ngo'][i % 3],
    level: ['first_line', 'middle', 'senior'][(i * 7) % 3],
    organisation: `Org ${i % 7}`,
    region: i % 4 ? 'Hovedstaden' : 'Sjælland',
    yearsOfExperience: (i * 5) % 25,
  }));
  let secondKept = 0;
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const [first, second, both] = [
      await run(auth, seed, 1),
      await run(auth, seed + 1, 1),
      await run(auth, seed, 2),
    ];
    t.equal(both.status, 'succeeded');
    const expected = bestOfSearches([
      { ok: true, value: first.result },
      { ok: true, value: second.result },
    ]);
    t.same(both.result, expected.ok && expected.value, `seed ${seed}: the better search's networks`);
    if (expected.ok && expected.value === second.result) secondKept++;
    t.equal(
      both.progress.iterations,
      first.result.quality.iterations + second.result.quality.iterations,
      `seed ${seed}: the progress counts the rounds of both searches`,
    );
    t.ok(
      both.progress.bestScore >= Math.max(first.progress.bestScore, second.progress.bestScore) - 1e-9,
      `seed ${seed}: the progress shows the best score of either`,
    );
  }
  t.ok(secondKept > 0, `the second search was the better one for some seeds (${secondKept} of 6)`);
  app.formationRunner.searches = 2;
});

t.test('the kept result: fewest unplaced, then the highest objective, the first on a tie', async (t) => {
  const formation = (unplaced: number, objective: number) =>
    ({
      networks: [],
      unplaced: Array.from({ length: unplaced }),
      quality: { objective },
    }) as unknown as Formation;
  const pick = (...fs: Formation[]) => {
    const r = bestOfSearches(fs.map((value) => ({ ok: true as const, value })));
    return r.ok ? fs.indexOf(r.value) : -1;
  };
  t.equal(pick(formation(0, 1), formation(0, 2)), 1, 'higher objective');
  t.equal(pick(formation(1, 9), formation(0, 2)), 1, 'fewer unplaced before objective');
  t.equal(pick(formation(0, 2), formation(0, 2)), 0, 'first on a tie');
  const failed = { ok: false as const, error: { code: 'validation_failed' as const, issues: [] } };
  t.same(bestOfSearches([failed, failed]), failed, 'a failure of every search is returned as it is');
});
