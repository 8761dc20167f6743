/**
 * A migrated template database, made once and copied for each test file, so that no test file
 * pays for PGlite's initdb (~7 s of CPU here, against ~2 s to open a copy) or runs the migrations.
 *
 * The template is keyed by what the migrations are: the names in src/db/migrate.ts's live list,
 * their functions' text, the files of src/db/migrations and the PGlite version. A migration added
 * or changed makes a new key, so a new template is built by the first test file that needs it
 * (two files starting together may both build one; the first to finish is kept).
 * - PGlite: a data folder in node_modules/.cache/sparring-test/pglite-<key>, renamed into place
 *   once complete; each test file opens a copy of it, or a copy an earlier file of the process has
 *   closed, emptied back to the template ("Reuse", below); a copy is removed when no file takes it.
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

/** A PGlite on a fresh copy of the migrated template, in a folder of its own. */
async function freshCopy(): Promise<Reusable> {
  const dir = path.join(CACHE_DIR, `db_${unique()}`);
  try {
    cpSync(await pgliteTemplate(), dir, { recursive: true });
  } catch {
    // The template was removed meanwhile (pruned by a run of other migrations): make it again.
    rmSync(dir, { recursive: true, force: true });
    cpSync(await pgliteTemplate(), dir, { recursive: true });
  }
  const pglite = await PGlite.create(dir);
  template ??= await describeTemplate(pglite);
  return { pglite, dir };
}

/**
 * Reuse. Opening a copy costs ~1.2 s of CPU (copying the folder, starting PGlite), ~1.5 min of the
 * suite's CPU over its files. A worker runs many files one after another (docs/testing.md), so a
 * database a file has closed is emptied back to the template's state and kept for the next file of
 * the process instead: ~0.1 s. Emptied means: no transaction left open, the session reset
 * (`DISCARD ALL`: settings, prepared statements, advisory locks, temporary tables), every row the
 * template does not have deleted and the template's own rows and sequence positions put back,
 * dead rows vacuumed. A database whose schema no longer matches the template's (a test that
 * changed it), or that cannot be emptied, is closed and removed as before.
 */
interface Reusable {
  readonly pglite: PGlite;
  readonly dir: string;
}

/** What a fresh copy holds besides its schema, read from the first copy this process opens. */
interface TemplateState {
  readonly schema: string;
  /** The statements that take a database of that schema back to the template's rows and sequences. */
  readonly reset: readonly string[];
}

let template: TemplateState | undefined;
const idle: Reusable[] = [];

/** Tables whose rows are the migration history: kept as they are (the schema check covers them). */
const MIGRATION_TABLES = /^kysely_migration/;

/** The schema of the database, as text that changes when a table, column, function or trigger does. */
async function schemaOf(pglite: PGlite): Promise<string> {
  const { rows } = await pglite.query<{ item: string }>(`
    SELECT 'class ' || c.relname || ' ' || c.relkind::text AS item FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace
    UNION ALL SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
      || ' ' || a.attnotnull::text || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT 'function ' || p.proname || ' ' || md5(p.prosrc) FROM pg_proc p
      WHERE p.pronamespace = current_schema()::regnamespace
    UNION ALL SELECT 'trigger ' || t.tgname || ' ' || t.tgenabled::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE c.relnamespace = current_schema()::regnamespace
    UNION ALL SELECT 'constraint ' || n.conname || ' ' || n.convalidated::text FROM pg_constraint n
      WHERE n.connamespace = current_schema()::regnamespace
    UNION ALL SELECT 'migration ' || name FROM kysely_migration
    ORDER BY 1`);
  return rows.map((row) => row.item).join('\n');
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Reads a fresh copy's schema, rows and sequence positions, and writes the SQL that restores them. */
async function describeTemplate(pglite: PGlite): Promise<TemplateState> {
  const tables = (
    await pglite.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
    )
  ).rows
    .map((row) => row.name)
    .filter((name) => !MIGRATION_TABLES.test(name));
  const statements = ['SET session_replication_role = replica']; // no foreign-key order needed
  for (const table of tables) statements.push(`DELETE FROM ${quoted(table)}`);
  for (const table of tables) {
    const { rows } = await pglite.query<{ rows: string | null }>(
      `SELECT json_agg(t)::text AS rows FROM ${quoted(table)} t`,
    );
    const json = rows[0]?.rows;
    if (json)
      statements.push(
        `INSERT INTO ${quoted(table)} SELECT * FROM json_populate_recordset(NULL::${quoted(table)}, ${literal(json)})`,
      );
  }
  statements.push('RESET session_replication_role');
  const sequences = await pglite.query<{ name: string; last: string; called: boolean }>(
    `SELECT sequencename AS name, coalesce(last_value, start_value)::text AS last, last_value IS NOT NULL AS called
       FROM pg_sequences WHERE schemaname = current_schema()`,
  );
  for (const { name, last, called } of sequences.rows)
    statements.push(`SELECT setval(${literal(quoted(name))}, ${last}, ${called})`);
  statements.push(`VACUUM ${tables.map(quoted).join(', ')}`);
  return { schema: await schemaOf(pglite), reset: statements };
}

/** The most emptying may take; a database that takes longer is given up (below). */
const EMPTY_TIMEOUT_MS = 10_000;

/**
 * Takes a closed file's database back to the template's state; false when it cannot be. A database
 * still busy with work the file left running (a query whose client was destroyed mid-way, say) is
 * given up after EMPTY_TIMEOUT_MS rather than holding the worker: the caller removes it.
 */
async function emptied(pglite: PGlite): Promise<boolean> {
  if (!template || pglite.closed) return false;
  const reset = template.reset;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      process.emitWarning('a test database could not be emptied in time; it is removed, not reused');
      resolve(false);
    }, EMPTY_TIMEOUT_MS);
  });
  const work = (async () => {
    if (pglite.isInTransaction()) await pglite.exec('ROLLBACK');
    await pglite.exec('DISCARD ALL');
    if ((await schemaOf(pglite)) !== template?.schema) return false;
    // One at a time: VACUUM cannot run in the implicit transaction of a multi-statement query.
    for (const statement of reset) await pglite.exec(statement);
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes and removes a database (its folder at once: a close that never ends holds nothing up). */
async function discard({ pglite, dir }: Reusable): Promise<void> {
  const closing = pglite.closed ? undefined : pglite.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
  await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, EMPTY_TIMEOUT_MS).unref())]);
}

/** How many emptied databases this process keeps for its next file (for the helper's own test). */
export function idleDatabases(): number {
  return idle.length;
}

/** Sets how long a kept database waits for the next file (for the helper's own test); returns the old. */
export function keepDatabasesFor(ms: number): number {
  const previous = keepMs;
  keepMs = ms;
  return previous;
}

/**
 * How long a kept database waits for the next file. A worker's next file opens one within
 * milliseconds; after the last file nothing does, and an open PGlite can keep the process alive
 * (postgres's timers run as JavaScript timers), so a database nobody took is closed and removed.
 */
let keepMs = 5_000;

function keep(reusable: Reusable): void {
  idle.push(reusable);
  setTimeout(() => {
    const at = idle.indexOf(reusable);
    if (at !== -1) void discard(idle.splice(at, 1)[0]!);
  }, keepMs).unref(); // unref: this timer alone never keeps the process alive
}

// The databases still kept when the process has nothing else to do: closed and removed at once.
process.on('beforeExit', () => {
  const left = idle.splice(0);
  if (left.length) void Promise.all(left.map(discard));
});

/**
 * A PGlite on the migrated template for one test file: a database an earlier file of this process
 * has closed, emptied (above), or a fresh copy. Closing the handle keeps it for the next file.
 */
export async function openTemplatePglite(namedStatements = true): Promise<DatabaseHandle> {
  const reusable = idle.pop() ?? (await freshCopy());
  const handle = await openDatabase({
    url: undefined,
    dataDir: reusable.dir,
    pglite: reusable.pglite,
    namedStatements,
  });
  let closed = false;
  return {
    ...handle,
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.db.destroy();
      if (await emptied(reusable.pglite)) keep(reusable);
      else await discard(reusable);
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
