/**
 * Closing the formation runner while a worker thread runs: the worker is terminated, and close does
 * not wait for it past WORKER_STOP_WAIT_MS (a worker loading its modules through tsx's hooks once
 * took over 10 s to stop on Node 24, past Fastify's close timeout).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import t from '@sparring/test-workers/tap';
import { WORKER_STOP_WAIT_MS } from '../src/formation/formation.runner.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { createLeaders } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

t.test('close stops a running search without waiting for a slow worker to stop', async (t) => {
  const { auth } = await ctx.tenant();
  await createLeaders(app, auth, 24);
  const created = await api(app, auth).post('/v1/formation-runs', {
    sizes: { min: 5, max: 7 },
    seed: 1,
    timeBudgetMs: 30_000,
  });
  t.equal(created.statusCode, 202);
  const url = `/v1/formation-runs/${created.json().id}`;
  // Running, with a report from the worker: the thread is up and searching.
  for (let i = 0; i < 600; i++) {
    const run = (await api(app, auth).get(url)).json();
    if (run.status === 'running' && run.progress) break;
    await delay(50);
  }
  t.equal((await api(app, auth).get(url)).json().status, 'running');

  // A worker that stops, but whose terminate() never says so.
  const terminate = Worker.prototype.terminate;
  let terminated = 0;
  Worker.prototype.terminate = function (this: Worker) {
    terminated++;
    void terminate.call(this);
    return new Promise<number>(() => {});
  };
  t.teardown(() => {
    Worker.prototype.terminate = terminate;
  });
  const started = performance.now();
  await app.formationRunner.close();
  const took = performance.now() - started;
  t.equal(terminated, 1, 'the worker was told to stop');
  t.ok(took >= WORKER_STOP_WAIT_MS - 50, `waited for it (${Math.round(took)} ms)`);
  t.ok(took < WORKER_STOP_WAIT_MS + 3_000, `but not until the search's end (${Math.round(took)} ms)`);
  await app.formationRunner.idle();
  t.pass('the run waiting for the worker has given up');
});
