/**
 * A migrated template database, made once and copied for each test file, so that no test file
 * pays for PGlite's initdb (~7 s of CPU here, against ~2 s to open a copy) or runs the migrations.
 *
 * The template is keyed by what the migrations are: the names in src/db/migrate.ts's live list,
 * their functions' text, the files of src/db/migrations and the PGlite version. A migration added
 * or changed makes a new key, so a new template is built by the first test file that needs it
 * (two files starting together may both build one; the first to finish is kept).
 * - PGlite: a data folder in node_modules/.cache/sparring-test/pglite-<key>, renamed into place
 *   once complete; each test file opens a copy of it (removed after the file).
 * - PostgreSQL: a database `sparring_template_<key>` on the server of DATABASE_URL, renamed into
 *   place once migrated; each test file gets `CREATE DATABASE … TEMPLATE` it (dropped after).
 * Templates of other keys are removed when a new one is built (PGlite: when unused for an hour).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { migrateToLatest, migrations } from '../../src/db/migrate.js';

const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../src/db/migrations');
const CACHE_DIR = path.resolve(import.meta.dirname, '../../node_modules/.cache/sparring-test');
/** A template of another key not used for this long is removed (another run may still use it). */
const STALE_TEMPLATE_MS = 60 * 60 * 1000;

let key: string | undefined;
/** What the schema is made of: changes whenever a migration is added, removed or edited. */
export function templateKey(): string {
  if (key) return key;
  const require = createRequire(import.meta.url);
  const pglitePackage = path.join(
    path.dirname(require.resolve('@electric-sql/pglite')),
    '..',
    'package.json',
  );
  const hash = createHash('sha256');
  hash.update(`pglite ${JSON.parse(readFileSync(pglitePackage, 'utf8')).version}\n`);
  for (const [name, migration] of Object.entries(migrations))
    hash.update(`${name}\n${migration.up}\n${migration.down ?? ''}\n`);
  for (const file of readdirSync(MIGRATIONS_DIR).sort())
    hash.update(`${file}\n`).update(readFileSync(path.join(MIGRATIONS_DIR, file)));
  key = hash.digest('hex').slice(0, 16);
  return key;
}

const unique = () => `${process.pid}_${randomBytes(4).toString('hex')}`;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes copies and half-built templates left by processes that died, and stale templates. */
function pruneCache(current: string): void {
  for (const entry of readdirSync(CACHE_DIR)) {
    const full = path.join(CACHE_DIR, entry);
    const owner = /_(\d+)_[0-9a-f]{8}$/.exec(entry);
    const stale =
      owner !== null
        ? !pidAlive(Number(owner[1]))
        : entry.startsWith('pglite-') &&
          entry !== current &&
          Date.now() - statSync(full).mtimeMs > STALE_TEMPLATE_MS;
    if (stale) rmSync(full, { recursive: true, force: true });
  }
}

/** The folder of the migrated PGlite template, built if missing. */
async function pgliteTemplate(): Promise<string> {
  const name = `pglite-${templateKey()}`;
  const dir = path.join(CACHE_DIR, name);
  if (existsSync(dir)) {
    const now = new Date();
    utimesSync(dir, now, now); // in use (see pruneCache)
    return dir;
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const building = path.join(CACHE_DIR, `building_${unique()}`);
  const handle = await openDatabase({
    url: undefined,
    dataDir: building,
    pglite: await PGlite.create(building),
  });
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
  try {
    renameSync(building, dir); // atomic: the template folder exists only complete
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
  pruneCache(name);
  return dir;
}

/** A PGlite on a copy of the migrated template; the copy is removed when the handle closes. */
export async function openTemplatePglite(): Promise<DatabaseHandle> {
  const copy = path.join(CACHE_DIR, `db_${unique()}`);
  try {
    cpSync(await pgliteTemplate(), copy, { recursive: true });
  } catch {
    // The template was removed meanwhile (pruned by a run of other migrations): make it again.
    rmSync(copy, { recursive: true, force: true });
    cpSync(await pgliteTemplate(), copy, { recursive: true });
  }
  const handle = await openDatabase({ url: undefined, dataDir: copy, pglite: await PGlite.create(copy) });
  return {
    ...handle,
    close: async () => {
      try {
        await handle.close();
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    },
  };
}

async function adminQuery(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, name: string): string {
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** The name of the migrated template database on the server of `url`, built if missing. */
async function postgresTemplate(url: string): Promise<string> {
  const name = `sparring_template_${templateKey()}`;
  const found = await adminQuery(url, `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (found.rowCount) return name;
  const building = `sparring_building_${unique()}`;
  await adminQuery(url, `CREATE DATABASE ${building}`);
  try {
    const handle = await openDatabase({
      url: withDatabase(url, building),
      dataDir: 'memory://',
      poolSize: 1,
    });
    try {
      await migrateToLatest(handle.db);
    } finally {
      await handle.close();
    }
    await adminQuery(url, `ALTER DATABASE ${building} RENAME TO ${name}`);
  } catch (error) {
    await adminQuery(url, `DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    // Another test file renamed its template into place first: use that one.
    if ((error as { code?: string }).code !== '42P04') throw error;
    return name;
  }
  // Templates of other migrations (none is connected to: a copy is made without connecting).
  const others = await adminQuery(
    url,
    `SELECT datname FROM pg_database WHERE datname LIKE 'sparring\\_template\\_%' AND datname <> '${name}'`,
  );
  for (const { datname } of others.rows)
    await adminQuery(url, `DROP DATABASE IF EXISTS ${datname}`).catch(() => {});
  return name;
}

/** Creates a database for a test file from the migrated template; returns its URL and a drop. */
export async function templatePostgresDatabase(
  url: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sparring_test_${unique()}`;
  const create = async () =>
    adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${await postgresTemplate(url)}`);
  try {
    await create();
  } catch (error) {
    // 3D000: the template was dropped meanwhile by a run of other migrations: make it again.
    if ((error as { code?: string }).code !== '3D000') throw error;
    await create();
  }
  return {
    url: withDatabase(url, name),
    drop: async () => {
      await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
