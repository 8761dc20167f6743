import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { leaderBody } from './helpers/fixtures.js';

/**
 * The service as `pnpm start` runs it (tsx, its own process, a real port): it starts, serves,
 * runs a formation run in its worker thread, and shuts down cleanly on SIGTERM.
 */
const server = path.resolve(import.meta.dirname, '../src/server.ts');
const port = 20000 + (process.pid % 20000);
const key = 'sk_server_process_test_key_0001';
const base = `http://127.0.0.1:${port}`;
const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

/** Starts `src/server.ts` in its own process on the embedded database in `dataDir`; resolves when ready. */
async function startServer(t: Test, dataDir: string) {
  const child = spawn(process.execPath, ['--import=tsx', server], {
    // The process's own embedded database: this test is about the process, not the engine.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL')),
      PORT: String(port),
      SPARRING_DATA_DIR: dataDir,
      SPARRING_BOOTSTRAP_ADMIN_KEY: key,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let ready = false;
  for (let i = 0; i < 120 && !ready; i++) {
    await new Promise((r) => setTimeout(r, 500));
    ready = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
  }
  t.ok(ready, 'ready');
  return child;
}

/** SIGTERM, then the exit code. */
async function stop(child: ReturnType<typeof spawn>) {
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  return code;
}

t.test('the server process starts, forms networks in a worker and stops on SIGTERM', async (t) => {
  const child = await startServer(t, 'memory://');
  for (let i = 0; i < 6; i++) {
    const res = await fetch(`${base}/v1/leaders`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(leaderBody()),
    });
    t.equal(res.status, 201);
  }
  const created = await fetch(`${base}/v1/formation-runs`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ seed: 1, timeBudgetMs: 200 }),
  });
  t.equal(created.status, 202);
  const { id } = (await created.json()) as { id: string };
  let run: { status: string; result: { proposals: unknown[] } | null } = { status: 'queued', result: null };
  for (let i = 0; i < 100 && (run.status === 'queued' || run.status === 'running'); i++) {
    await new Promise((r) => setTimeout(r, 200));
    run = (await (await fetch(`${base}/v1/formation-runs/${id}`, { headers: auth })).json()) as typeof run;
  }
  t.equal(run.status, 'succeeded', 'the worker thread ran the formation');
  t.equal(run.result?.proposals.length, 1);
  t.equal(await stop(child), 0, 'graceful shutdown exits 0');
});

t.test('data on disk survives a graceful shutdown and a restart', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sparring-restart-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = await startServer(t, dataDir);
  const body = leaderBody();
  const created = await fetch(`${base}/v1/leaders`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(body),
  });
  t.equal(created.status, 201);
  const { id } = (await created.json()) as { id: string };
  t.equal(await stop(first), 0, 'SIGTERM closes the database and exits 0');

  const second = await startServer(t, dataDir);
  const read = await fetch(`${base}/v1/leaders/${id}`, { headers: auth });
  t.equal(read.status, 200, 'the leader is still there after the restart');
  t.equal(((await read.json()) as { email: string }).email, body.email);
  t.equal(await stop(second), 0);
});
