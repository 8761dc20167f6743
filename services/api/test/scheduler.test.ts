import t from '@sparring/test-workers/tap';
import { Scheduler } from '../src/jobs/scheduler.js';
import { buildTestApp } from './helpers/build.js';

const { app } = await buildTestApp(t);
const silent = app.log;

t.test('two schedulers on one database: each run of a task is claimed by one of them', async (t) => {
  const runs: string[] = [];
  const make = (who: string) => {
    const s = new Scheduler(app.db, silent);
    s.add({ name: 'count-once', everyMs: 60_000, run: async () => void runs.push(who) });
    return s;
  };
  const [a, b] = [make('a'), make('b')];
  const [ranA, ranB] = await Promise.all([a.runDue(), b.runDue()]);
  t.equal(runs.length, 1, 'one run for two replicas polling together');
  t.equal(ranA.length + ranB.length, 1);
  t.same(await a.runDue(), [], 'not due again before its period');
  t.same(await b.runDue(), []);
  t.same(await a.runDue({ force: true }), ['count-once'], 'force runs it now (tests, operators)');
  t.equal(runs.length, 2);
  await Promise.all([a.close(), b.close()]);
});

t.test('a failing task is recorded and does not stop the others', async (t) => {
  const s = new Scheduler(app.db, silent);
  let ran = false;
  s.add({ name: 'fails', everyMs: 1000, run: async () => Promise.reject(new Error('boom')) });
  s.add({
    name: 'after',
    everyMs: 1000,
    run: async () => {
      ran = true;
    },
  });
  t.same(await s.runDue(), ['fails', 'after']);
  t.ok(ran);
  const row = await app.db
    .selectFrom('scheduled_tasks')
    .selectAll()
    .where('name', '=', 'fails')
    .executeTakeFirstOrThrow();
  t.equal(row.last_error, 'boom');
  t.ok(row.last_finished_at);
  t.throws(() => s.add({ name: 'after', everyMs: 1, run: async () => {} }), /registered twice/);
  await s.close();
  t.same(await s.runDue(), [], 'a closed scheduler runs nothing');
});

t.test('the app has one scheduler, not started in tests (SPARRING_BACKGROUND_JOBS=false)', async (t) => {
  t.ok(app.scheduler instanceof Scheduler);
});
