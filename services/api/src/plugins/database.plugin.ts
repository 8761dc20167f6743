/**
 * The database: opened (PGlite or PostgreSQL), migrated forward, and closed when the app closes.
 * Decorates `app.db` (Kysely) and `app.database` (the handle, with its query counter).
 */
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { type DatabaseHandle, databaseOptionsOf, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { ensureBootstrapTenant } from '../tenants/tenant.repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<Database>;
    database: DatabaseHandle;
  }
}

export interface DatabasePluginOptions {
  readonly config: Config;
  /** An already open handle (tests): used as is and closed with the app. */
  readonly database?: DatabaseHandle;
}

export default fp<DatabasePluginOptions>(
  async (app, { config, database }) => {
    const handle = database ?? (await openDatabase(databaseOptionsOf(config)));
    app.addHook('onClose', async () => handle.close());
    await migrateToLatest(handle.db);
    if (config.bootstrapAdminKey) await ensureBootstrapTenant(handle.db, config.bootstrapAdminKey);
    app.decorate('db', handle.db);
    app.decorate('database', handle);
  },
  { name: 'database', fastify: '5.x' },
);
