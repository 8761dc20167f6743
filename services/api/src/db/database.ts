/**
 * The database handle: Kysely over PostgreSQL. One code path for both engines: with a URL, `pg`
 * talks to a real server; without one, `pg` talks to PGlite (PostgreSQL in WebAssembly) through
 * PGlite's node-postgres adapter, on a pool of one connection (PGlite has exactly one, so
 * transactions are serialised by the pool).
 */
import { mkdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import { statementPool } from './prepared.js';
import type { Database } from './schema.js';

// Return bigint (int8) columns as numbers: counts and sequence values here stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

export type DatabaseEngine = 'pglite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly engine: DatabaseEngine;
  /** Statements sent since start, for tests that assert a bounded number of round trips. */
  readonly queries: { count: number };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL, or undefined for the embedded PGlite. */
  readonly url: string | undefined;
  /** PGlite's data folder, or `memory://` for an in-memory database. */
  readonly dataDir: string;
  /** An already open PGlite to use (tests share one per file); it is closed with the handle. */
  readonly pglite?: PGlite;
  readonly poolSize?: number;
  /** Send the queries marked for it as named prepared statements (src/db/prepared.ts); default on. */
  readonly namedStatements?: boolean;
}

/** The options of the configured database. */
export const databaseOptionsOf = (config: Config): DatabaseOptions => ({
  url: config.databaseUrl,
  dataDir: config.dataDir,
  namedStatements: config.namedStatements,
});

/** How long a new connection to PostgreSQL may take before the request fails with a 503. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Keeps the process alive when the server goes away. node-postgres emits `error` on a client whose
 * connection ends (57P01 admin_shutdown on `pg_ctl stop`, a killed backend, a reset socket) when
 * no query is running on it to receive the error. While the client is idle in the pool, the pool
 * listens, drops the client and re-emits the error on itself; while it is checked out (Kysely holds
 * one for a transaction or between its statements), the error is emitted on the client alone, and
 * an `error` event without a listener throws: the process exits. node-postgres's documentation asks
 * for both listeners (Pool: "events"; Client: "error"). The error itself needs no handling here:
 * the statement that next uses the client fails with it (the request answers 503), the client is
 * then released broken and discarded, and the next query opens a new connection.
 */
function survivesConnectionErrors(pool: pg.Pool): void {
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
}

/**
 * PGlite is PostgreSQL compiled to WebAssembly. V8 runs its functions first as baseline code and
 * recompiles one with its optimising compiler once it has run for a "tiering budget". Opening a
 * database runs much code once (shared memory set-up, the catalog's first reads), and at V8's
 * default budget (1.8 M) that start-up alone had V8 optimise hundreds of functions: about 0.3 s of
 * CPU of the ~1 s an open takes, on a core the start-up needs. At this budget the code that runs
 * often (under queries) is still optimised, after a little longer; a 3 × 600-query run measured
 * the same times. Set before PGlite compiles its module; only PGlite in this process runs wasm.
 */
const WASM_TIERING_BUDGET = 100_000_000;
let wasmTieringSet = false;

/** Opens the database. The caller runs migrations (see migrate.ts) and closes the handle. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const queries = { count: 0 };
  const dialect = (pool: pg.Pool) =>
    new PostgresDialect({ pool: options.namedStatements === false ? pool : statementPool(pool) });
  const log = (event: { level: 'query' | 'error' }) => {
    if (event.level === 'query') queries.count++;
  };
  if (options.url !== undefined) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      // A server that does not answer at all (a network partition, not a refusal) fails the
      // request after this long instead of holding it until the client gives up.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    });
    survivesConnectionErrors(pool);
    const db = new Kysely<Database>({ dialect: dialect(pool), log });
    return { db, engine: 'postgres', queries, close: () => db.destroy() };
  }
  let pglite = options.pglite;
  let release = () => {};
  if (pglite === undefined) {
    if (!wasmTieringSet) {
      setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
      wasmTieringSet = true;
    }
    if (!options.dataDir.startsWith('memory://')) {
      mkdirSync(options.dataDir, { recursive: true });
      release = lockDataDir(options.dataDir); // throws DataDirInUseError while another process has it
    }
    try {
      pglite = await PGlite.create(options.dataDir);
    } catch (error) {
      release();
      throw error;
    }
  }
  const owned = pglite;
  const pool = new pg.Pool({ ...createPgConfig(owned), max: 1 });
  const db = new Kysely<Database>({ dialect: dialect(pool), log });
  return {
    db,
    engine: 'pglite',
    queries,
    close: async () => {
      await db.destroy();
      await owned.close();
      release();
    },
  };
}
