import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import t from '@sparring/test-workers/tap';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { findApiKey } from '../src/tenants/tenant.repository.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../src/cli.ts');

t.test(
  'the CLI creates a tenant and prints its admin key once; the key works and is stored hashed',
  async (t) => {
    const env = { ...process.env };
    let dataDir: string | undefined;
    let dropDb: (() => Promise<void>) | undefined;
    if (!process.env.DATABASE_URL) {
      dataDir = mkdtempSync(path.join(tmpdir(), 'sparring-cli-'));
      env.SPARRING_DATA_DIR = dataDir;
    } else {
      // The CLI and the app share the test database of this file.
      const ctx = await buildTestApp(t);
      env.DATABASE_URL = ctx.config.databaseUrl!;
      dropDb = async () => {};
    }
    const { stdout } = await run(
      process.execPath,
      ['--import=tsx', cli, 'tenant', 'create', '--name', 'Acme HR', '--json'],
      {
        env,
      },
    );
    const out = JSON.parse(stdout);
    t.equal(out.name, 'Acme HR');
    t.match(out.adminKey, /^sk_[A-Za-z0-9_-]{43}$/);

    const config = loadConfig({ ...env, LOG_LEVEL: 'silent' } as NodeJS.ProcessEnv);
    const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    const app = await buildApp(config, { database, logger: false });
    t.teardown(async () => {
      await app.close();
      await dropDb?.();
    });
    const stored = await app.db.selectFrom('api_keys').select(['key_hash', 'key_prefix']).execute();
    t.ok(stored.length >= 1);
    t.notOk(
      stored.some((k) => k.key_hash.includes(out.adminKey)),
      'the clear key is not stored',
    );
    t.ok(await findApiKey(app.db, out.adminKey), 'the key is found by its hash');
    const res = await api(app, { authorization: `Bearer ${out.adminKey}` }).post('/v1/leaders', leaderBody());
    t.equal(res.statusCode, 201, 'the printed key authenticates');
  },
);

t.test('the CLI explains its usage and refuses a missing name', async (t) => {
  const fail = await run(process.execPath, ['--import=tsx', cli, 'tenant', 'create'], {
    env: process.env,
  }).catch((e) => e);
  t.equal(fail.code, 2);
  t.match(fail.stderr, /--name/);
  const usage = await run(process.execPath, ['--import=tsx', cli, 'bogus'], { env: process.env }).catch(
    (e) => e,
  );
  t.equal(usage.code, 2);
  t.match(usage.stderr, /usage:/);
});

t.test('SPARRING_BOOTSTRAP_ADMIN_KEY ensures a tenant with that key, once', async (t) => {
  const key = 'sk_bootstrap_key_for_tests_0001';
  const ctx = await buildTestApp(t, { SPARRING_BOOTSTRAP_ADMIN_KEY: key });
  const res = await api(ctx.app, { authorization: `Bearer ${key}` }).get('/v1/leaders');
  t.equal(res.statusCode, 200);
  const { ensureBootstrapTenant } = await import('../src/tenants/tenant.repository.js');
  const first = await ensureBootstrapTenant(ctx.app.db, key);
  const second = await ensureBootstrapTenant(ctx.app.db, key);
  t.equal(first, second, 'idempotent');
  const tenants = await ctx.app.db.selectFrom('tenants').select('id').execute();
  t.equal(tenants.length, 1);
});
