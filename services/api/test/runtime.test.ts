import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import t from '@sparring/test-workers/tap';
import type { Test } from 'tap';
import { leaderBody } from './helpers/fixtures.js';
import { type ServiceProcess, startServiceProcess } from './helpers/service-process.js';

/**
 * The service as `pnpm start` and the container run it: built with the package's own `build`
 * script, then the bundle `node dist/bundle/server.js` (scripts/bundle.mjs) in its own process on
 * a real port, with no TypeScript loader (a resolve hook makes loading tsx or any .ts module
 * throw, in the worker thread too). It starts, serves REST and GraphQL and the files it reads from
 * its packages and from dist/ (Swagger UI, GraphiQL, the member pages' CSS), runs a formation run
 * in its worker thread, shuts down cleanly on SIGTERM and keeps its data across a restart; while
 * it has the embedded database open, a second server and the CLI (its bundle too) refuse to open
 * it (exit 75) instead of writing what would be lost.
 */
const apiRoot = path.resolve(import.meta.dirname, '..');
const dist = (file: string) => path.join(apiRoot, 'dist', file);
const forbidTypeScript = pathToFileURL(path.join(import.meta.dirname, 'helpers/forbid-typescript.mjs')).href;
const NODE_ARGS = ['--enable-source-maps', `--import=${forbidTypeScript}`];
const port = 20000 + (process.pid % 20000);
const key = 'sk_server_process_test_key_0001';
const base = `http://127.0.0.1:${port}`;
const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const execFileAsync = promisify(execFile);

/** The environment of a production process: the embedded database in `dataDir`, no test loaders. */
function processEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SPARRING_DATA_DIR: dataDir,
    SPARRING_BOOTSTRAP_ADMIN_KEY: key,
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL; // the process's own embedded database: this test is about the process
  delete env.NODE_OPTIONS; // tap's coverage hook
  return env;
}

/** Runs `node dist/bundle/<file>` (from a folder with no tsconfig) and resolves with its exit and output. */
async function runBuilt(file: string, args: string[], dataDir: string) {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      [...NODE_ARGS, dist(`bundle/${file}`), ...args],
      {
        cwd: tmpdir(),
        env: processEnv(dataDir),
        timeout: 120_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Starts `node dist/bundle/server.js` on the embedded database in `dataDir`; resolves when ready. */
async function startServer(t: Test, dataDir: string): Promise<ServiceProcess> {
  const server = await startServiceProcess({
    args: [...NODE_ARGS, dist('bundle/server.js')],
    cwd: tmpdir(),
    env: processEnv(dataDir),
    port,
    output: 'inherit',
  });
  t.teardown(() => server.stop('SIGKILL'));
  return server;
}

// Three server starts, a build and a formation run: more than .taprc's 600 s on a loaded machine.
t.setTimeout(1_200_000);

t.before(async () => {
  // The package's own build script, as `pnpm build` runs it (tsc -b: a no-op when up to date).
  const { scripts } = JSON.parse(readFileSync(path.join(apiRoot, 'package.json'), 'utf8'));
  await execFileAsync('sh', ['-c', scripts.build], {
    cwd: apiRoot,
    env: {
      ...process.env,
      PATH: `${path.join(apiRoot, 'node_modules/.bin')}${path.delimiter}${process.env.PATH}`,
    },
  });
});

t.test('the guard works: plain node with it cannot load tsx or a .ts module', async (t) => {
  for (const code of [
    "await import('tsx/esm/api')",
    `await import(${JSON.stringify(path.join(apiRoot, 'src/config.ts'))})`,
  ]) {
    const res = await execFileAsync(
      process.execPath,
      [`--import=${forbidTypeScript}`, '--input-type=module', '-e', code],
      {
        cwd: tmpdir(),
      },
    ).catch((e: { code: number; stderr: string }) => e);
    t.match(res, { code: 1, stderr: /forbidden: a TypeScript/ }, code);
  }
});

t.test(
  'the bundle starts on plain node, serves REST, GraphQL and its files, forms networks in a worker and stops on SIGTERM',
  async (t) => {
    const server = await startServer(t, 'memory://');
    const ready = await fetch(`${base}/health/ready`);
    t.equal(ready.status, 200, 'ready');
    const names: string[] = [];
    for (let i = 0; i < 6; i++) {
      const body = leaderBody();
      const res = await fetch(`${base}/v1/leaders`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify(body),
      });
      t.equal(res.status, 201);
      names.push(body.name);
    }
    const graphql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ query: '{ leaders(first: 10) { nodes { name } } }' }),
    });
    t.equal(graphql.status, 200);
    const { data } = (await graphql.json()) as { data: { leaders: { nodes: { name: string }[] } } };
    t.same(data.leaders.nodes.map((l) => l.name).sort(), names.sort(), 'GraphQL reads what REST wrote');
    // Files read at run time from next to a package (left external) or a compiled module (dist/).
    for (const [url, type] of [
      ['/openapi.json', /application\/json/],
      ['/docs/static/swagger-ui.css', /text\/css/], // @fastify/swagger-ui's folder
      ['/graphiql/assets/graphiql.min.js', /javascript/], // graphiql's folder
      ['/graphiql/assets/explorer.js', /javascript/], // dist/plugins/graphiql-assets/
      ['/m/assets/member.css', /text\/css/], // dist/member-pages/assets/
    ] as const) {
      const res = await fetch(`${base}${url}`);
      t.equal(res.status, 200, url);
      t.match(res.headers.get('content-type'), type, `${url} content type`);
      t.ok((await res.arrayBuffer()).byteLength > 100, `${url} has a body`);
    }
    const created = await fetch(`${base}/v1/formation-runs`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ seed: 1, timeBudgetMs: 200 }),
    });
    t.equal(created.status, 202);
    const { id } = (await created.json()) as { id: string };
    let run: { status: string; result: { proposals: unknown[] } | null } = { status: 'queued', result: null };
    for (let i = 0; i < 300 && (run.status === 'queued' || run.status === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      run = (await (await fetch(`${base}/v1/formation-runs/${id}`, { headers: auth })).json()) as typeof run;
    }
    t.equal(
      run.status,
      'succeeded',
      'the worker thread (dist/formation/formation.worker.js, not bundled) ran the formation',
    );
    t.equal(run.result?.proposals.length, 1);
    t.equal(await server.stop(), 0, 'graceful shutdown exits 0');
  },
);

t.test('the embedded database: one process at a time, data kept across a restart', async (t) => {
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

  // While the server has the data folder open, the CLI's tenant would be lost: it refuses.
  const refused = await runBuilt('cli.js', ['tenant', 'create', '--name', 'Acme HR', '--json'], dataDir);
  t.equal(refused.code, 75, 'the CLI exits 75 (EX_TEMPFAIL)');
  t.equal(refused.stdout, '', 'and prints no key');
  t.match(
    refused.stderr,
    new RegExp(`in use by another process \\(pid ${first.child.pid}\\).*stop it first`),
  );
  const second = await runBuilt('server.js', [], dataDir);
  t.equal(second.code, 75, 'a second server on the same folder exits 75 too');
  t.match(second.stderr, /in use by another process/);

  t.equal(await first.stop(), 0, 'SIGTERM closes the database and exits 0');
  const cli = await runBuilt('cli.js', ['tenant', 'create', '--name', 'Acme HR', '--json'], dataDir);
  t.equal(cli.code, 0, 'with the server stopped the CLI creates the tenant');
  const tenant = JSON.parse(cli.stdout) as { adminKey: string; name: string };
  t.equal(tenant.name, 'Acme HR', 'its stdout is one JSON document');

  const restarted = await startServer(t, dataDir);
  const read = await fetch(`${base}/v1/leaders/${id}`, { headers: auth });
  t.equal(read.status, 200, 'the leader is still there after the restart');
  t.equal(((await read.json()) as { email: string }).email, body.email);
  const withNewKey = await fetch(`${base}/v1/leaders`, {
    headers: { authorization: `Bearer ${tenant.adminKey}` },
  });
  t.equal(withNewKey.status, 200, 'the key the CLI printed works on the restarted server');
  t.equal(await restarted.stop(), 0);
});
