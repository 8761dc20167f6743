/**
 * The process: configuration, logging, listen, graceful shutdown. Everything else is app.ts.
 * Run from the build — bundled with its imports into one file, `node dist/bundle/server.js`
 * (scripts/bundle.mjs), what `pnpm start` and the container do, or as tsc left it,
 * `node dist/server.js` — or from the sources in development (`pnpm dev`).
 */
import module from 'node:module';
import { setFlagsFromString } from 'node:v8';
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig } from './config.js';
import { DataDirInUseError } from './db/data-dir-lock.js';
import type { DatabaseHandle } from './db/database.js';
import { startupTimings, timed } from './startup-timings.js';

// Node's own start and this module's few small imports (ms since the process started).
startupTimings.boot = Math.round(performance.now());

// Node 22.1+ keeps V8's compiled code of every module on disk (in the OS temp folder), so a
// restart skips most parsing and compiling of the modules imported below. Node 20 has no such
// cache (the call is skipped). NODE_DISABLE_COMPILE_CACHE=1 turns it off.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// V8 "pretenures" an allocation site (allocates its objects straight in the old generation) once
// most of them survived a young-generation collection. During this service's start many rows do
// (migrations, caches, the schemas compiled in the background), and `pg`'s row, string and date
// sites, shared by every query, stayed pretenured: each request's rows then lived in the old
// generation until a full collection, and every young collection had to trace them. On a leader
// list page that made young collections take 8–13 ms instead of ~1 ms and GC about a fifth of the
// process's CPU (bench:api, docs/benchmarks.md "API"). Request data is short-lived: not pretenured.
setFlagsFromString('--no-allocation-site-pretenuring');

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`sparring: configuration error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

// The application's modules load while the database opens: PGlite compiles its WebAssembly and
// reads its files off the main thread, so the two overlap (started first, awaited after).
const appModule = timed('imports', () => import('./app.js'));
appModule.catch(() => undefined); // a failure is thrown where it is awaited, below

// The embedded database is opened (and created and migrated on the first start) here, outside
// the plugin tree, where no plugin timeout applies; the database plugin then finds it up to date.
let database: DatabaseHandle;
try {
  database = await timed('database', async () => {
    const { databaseOptionsOf, openDatabase } = await import('./db/database.js');
    return openDatabase(databaseOptionsOf(config));
  });
} catch (error) {
  if (error instanceof DataDirInUseError) {
    console.error(`sparring: ${error.message}`);
    // sysexits(3) EX_TEMPFAIL: a temporary failure, worth retrying once the other process stops.
    process.exit(75);
  }
  throw error;
}
await timed('migrations', async () => (await import('./db/migrate.js')).migrateToLatest(database.db));

const { buildApp } = await appModule;
// A person at a terminal gets readable lines; anything else (a container, a log shipper) gets JSON.
const app = await timed('plugins', () =>
  buildApp(config, { database, prettyLogs: process.stdout.isTTY === true }),
);

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close(); // stops accepting, lets requests finish, closes the database
});

await timed('listen', () => app.listen({ port: config.port, host: config.host }));
// Ready: the route schemas not used yet compile now, between requests (lazy-schemas.ts).
app.lazySchemas.compileInBackground().then(
  (compiled) => app.log.debug({ compiled }, 'route schemas compiled'),
  (err: unknown) => app.log.error({ err }, 'a route schema does not compile'),
);
startupTimings.total = Math.round(performance.now());
// CPU time spent until ready (user + system): unlike wall time, it hardly grows on a busy machine.
const cpu = process.cpuUsage();
startupTimings.cpu = Math.round((cpu.user + cpu.system) / 1000);
app.log.info(
  {
    database: app.database.engine,
    docs: `http://${config.host}:${config.port}/docs`,
    startup: startupTimings,
  },
  'sparring is ready',
);
