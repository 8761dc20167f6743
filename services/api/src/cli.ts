/**
 * Administration from the command line:
 *   pnpm sparring tenant create --name "Acme HR"   creates a tenant and prints its first admin key once
 *   pnpm sparring migrate                          brings the database schema up to date
 * Uses the same configuration as the server (DATABASE_URL, SPARRING_DATA_DIR). On the embedded
 * database it needs the server stopped: while a process has the data folder open it refuses with
 * exit code 75. Exit codes: 0 done, 2 bad usage or configuration, 75 the data folder is in use.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { DataDirInUseError } from './db/data-dir-lock.js';
import { type DatabaseHandle, databaseOptionsOf, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createTenant } from './tenants/tenant.repository.js';

/** sysexits(3) EX_TEMPFAIL: a temporary failure, worth retrying once the server is stopped. */
const EXIT_IN_USE = 75;

const USAGE = `usage:
  sparring tenant create --name <name>   create a tenant; prints its admin key once
  sparring migrate                       run the database migrations`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals.join(' ');
  if (values.help || (command !== 'tenant create' && command !== 'migrate')) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  if (command === 'tenant create' && !values.name?.trim()) {
    console.error('sparring: tenant create needs --name <name>');
    return 2;
  }
  const config = loadConfig();
  let database: DatabaseHandle;
  try {
    database = await openDatabase(databaseOptionsOf(config));
  } catch (error) {
    // The server has the embedded database open: what this process wrote would be lost.
    if (!(error instanceof DataDirInUseError)) throw error;
    console.error(`sparring: ${error.message}`);
    return EXIT_IN_USE;
  }
  try {
    await migrateToLatest(database.db);
    if (command === 'migrate') {
      console.log('migrations are up to date');
      return 0;
    }
    const { tenant, adminKey } = await createTenant(database.db, { name: values.name!.trim() });
    if (values.json) console.log(JSON.stringify({ tenantId: tenant.id, name: tenant.name, adminKey }));
    else {
      console.log(`tenant:    ${tenant.id} (${tenant.name})`);
      console.log(`admin key: ${adminKey}`);
      console.log('Keep the key now: it is stored hashed and cannot be shown again.');
    }
    return 0;
  } finally {
    await database.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof ConfigError || (error as Error).name === 'TypeError') {
    console.error(`sparring: ${(error as Error).message}`);
    process.exitCode = 2;
  } else throw error;
}
