/**
 * Test harness: one clean, migrated database per test file, on PGlite by default or on the
 * PostgreSQL of DATABASE_URL (a database created for the file and dropped after), both copied
 * from a template migrated once (template-database.ts), and the app built on it with `inject`
 * ready. Tenants are created per test through the repository.
 */
import type { Test } from 'tap';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { databaseOptionsOf, openDatabase } from '../../src/db/database.js';
import { createTenant } from '../../src/tenants/tenant.repository.js';
import { api } from './api.js';
import { openTemplatePglite, templatePostgresDatabase } from './template-database.js';

export { openTemplatePglite } from './template-database.js';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;

/** The Authorization header of a request: an API key or a member token. */
export type Auth = { authorization: string };

export interface TestContext {
  readonly app: TestApp;
  readonly config: Config;
  /** A new tenant with its admin key (call once per test for isolation). */
  tenant(name?: string): Promise<{ tenantId: string; key: string; auth: Auth }>;
}

/** Builds the app on a clean database for the calling test file; closed in `t.teardown`. */
export async function buildTestApp(t: Test, env: Record<string, string> = {}): Promise<TestContext> {
  const baseUrl = process.env.DATABASE_URL || undefined;
  const pgDb = baseUrl ? await templatePostgresDatabase(baseUrl) : undefined;
  const config = loadConfig({
    SPARRING_DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    SPARRING_RATE_LIMIT_PER_MINUTE: '100000',
    // Background work runs when a test calls app.scheduler.runDue(), not on a timer.
    SPARRING_BACKGROUND_JOBS: 'false',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...env,
  });
  const database =
    config.databaseUrl === undefined
      ? await openTemplatePglite(config.namedStatements)
      : await openDatabase(databaseOptionsOf(config));
  const app = await buildApp(config, { database, logger: false });
  await app.ready();
  t.teardown(async () => {
    await app.close();
    await pgDb?.drop();
  });
  let n = 0;
  return {
    app,
    config,
    async tenant(name = `tenant ${++n}`) {
      const { tenant, adminKey } = await createTenant(app.db, { name });
      return { tenantId: tenant.id, key: adminKey, auth: { authorization: `Bearer ${adminKey}` } };
    },
  };
}

/** Posts a GraphQL operation and returns the parsed response. */
export async function gql(app: TestApp, auth: Auth, query: string, variables: Record<string, unknown> = {}) {
  const res = await api(app, auth).post('/graphql', { query, variables });
  return {
    status: res.statusCode,
    body: res.json() as { data: Record<string, unknown> | null; errors?: GraphQLErrorBody[] },
  };
}

export interface GraphQLErrorBody {
  message: string;
  path?: string[];
  extensions: { code: string; status: number; issues?: { path: string; code: string }[] };
}
