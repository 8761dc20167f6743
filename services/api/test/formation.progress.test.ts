/**
 * Progress of a long formation run (docs/formation.md, "Progress of a long run"): while the run
 * searches, REST and GraphQL show its best score so far, rounds and elapsed time; the finished run
 * keeps its last report, which matches its result.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { createLeaders } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

interface Progress {
  bestScore: number;
  iterations: number;
  elapsedMs: number;
  updatedAt: string;
}

const PROGRESS_FIELDS = 'progress { bestScore iterations elapsedMs updatedAt }';

t.test('a long run shows its best score and elapsed time while it runs, and keeps the last', async (t) => {
  const { auth } = await ctx.tenant();
  await createLeaders(app, auth, 60, (i) => ({
    sector: ['public', 'private', 'ngo'][i % 3],
    level: ['first_line', 'middle', 'senior'][i % 3],
    organisation: `Org ${i % 9}`,
    region: i % 2 ? 'Hovedstaden' : 'Sjælland',
  }));
  // No round cap: the run searches for its whole time budget (3 s), long enough to be watched.
  const created = await api(app, auth).post('/v1/formation-runs', {
    sizes: { min: 6, max: 8 },
    seed: 11,
    timeBudgetMs: 3000,
  });
  t.equal(created.statusCode, 202);
  t.equal(created.json().progress, null, 'a queued run has no progress yet');
  const id = created.json().id as string;

  const seen: Progress[] = [];
  let graphSeen: Progress | null = null;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const run = (await api(app, auth).get(`/v1/formation-runs/${id}`)).json();
    if (run.status !== 'queued' && run.status !== 'running') break;
    if (run.status === 'running' && run.progress) {
      seen.push(run.progress);
      if (!graphSeen) {
        const graph = await gql(
          app,
          auth,
          `query($id: ID!) { formationRun(id: $id) { status ${PROGRESS_FIELDS} } }`,
          {
            id,
          },
        );
        const node = graph.body.data!.formationRun as { status: string; progress: Progress | null };
        if (node.status === 'running' && node.progress) graphSeen = node.progress;
      }
    }
    if (Date.now() > deadline) break;
    await sleep(150);
  }
  await app.formationRunner.idle();
  const done = (await api(app, auth).get(`/v1/formation-runs/${id}`)).json();
  t.equal(done.status, 'succeeded');

  // Seen while running: the run stays running for its 3-second budget after its first report.
  t.ok(seen.length >= 2, `progress seen while running (${seen.length} polls)`);
  for (const p of seen) {
    t.ok(Number.isFinite(p.bestScore) && p.iterations >= 1 && p.elapsedMs >= 0, 'a full report');
    t.ok(Date.parse(p.updatedAt) > 0);
  }
  t.ok(seen.at(-1)!.elapsedMs > 0, 'elapsed time is counted');
  for (let k = 1; k < seen.length; k++) {
    t.ok(seen[k]!.bestScore >= seen[k - 1]!.bestScore, 'the best score never falls');
    t.ok(seen[k]!.elapsedMs >= seen[k - 1]!.elapsedMs, 'time moves on');
  }
  t.ok(
    new Set(seen.map((p) => p.updatedAt)).size >= 2,
    'the progress is updated during the run, not only once',
  );
  t.ok(graphSeen, 'GraphQL shows the progress of a running run');

  // The finished run keeps its last report: at least as good as anything seen, the whole budget long.
  const last = done.progress as Progress;
  t.ok(last, 'a finished run keeps its progress');
  // The last report scores the final assignment afresh; the reports while running carry the
  // search's running sum, which may differ in the last bits (0.7220164609053497 against …498, seen).
  const bestSeen = Math.max(...seen.map((p) => p.bestScore));
  t.ok(
    last.bestScore >= bestSeen - 1e-9 * Math.abs(bestSeen),
    `the last report is the best (${last.bestScore})`,
  );
  t.equal(last.iterations, done.result.quality.iterations, 'the last report counts every round');
  t.ok(last.elapsedMs >= 2500, `the search ran for its budget (${last.elapsedMs} ms)`);
  // The result re-scores the final networks exactly; the search's figure is close to it.
  t.ok(
    Math.abs(last.bestScore - done.result.quality.objective) < 0.1,
    `best ${last.bestScore} ≈ result objective ${done.result.quality.objective}`,
  );

  const graph = await gql(
    app,
    auth,
    `query($id: ID!) { formationRun(id: $id) { status quality ${PROGRESS_FIELDS} } }`,
    { id },
  );
  t.same((graph.body.data!.formationRun as { progress: Progress }).progress, last, 'GraphQL shows the same');
  const listed = (await api(app, auth).get('/v1/formation-runs')).json();
  t.same(listed.data[0].progress, last, 'the list shows it too');
});

t.test('a run that is picked up again starts its progress afresh', async (t) => {
  const { auth, tenantId } = await ctx.tenant();
  await createLeaders(app, auth, 12);
  const created = await api(app, auth).post('/v1/formation-runs', {
    sizes: { min: 6, max: 6 },
    seed: 3,
    timeBudgetMs: 200,
  });
  const id = created.json().id as string;
  await app.formationRunner.idle();
  // As if a process died mid-run long ago: running, with a stale report.
  await app.db
    .updateTable('formation_runs')
    .set({
      status: 'running',
      started_at: new Date(Date.now() - 60 * 60 * 1000),
      finished_at: null,
      result: null,
      progress_best_score: 99,
      progress_iterations: 5,
      progress_elapsed_ms: 10,
      progress_at: new Date(Date.now() - 60 * 60 * 1000),
    })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .execute();
  await app.formationRunner.resumePending();
  await app.formationRunner.idle();
  const run = (await api(app, auth).get(`/v1/formation-runs/${id}`)).json();
  t.equal(run.status, 'succeeded');
  t.ok(run.progress.bestScore < 99, 'the stale report is gone');
  t.equal(run.progress.iterations, run.result.quality.iterations);
});
