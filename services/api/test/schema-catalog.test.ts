/**
 * The schema can be distributed by tenant (Citus, docs/scaling.md): read from pg_catalog after
 * every migration, each primary key, unique constraint, unique index and foreign key of each table
 * in the public schema includes `tenant_id` — and a foreign key meets the referenced table's tenant
 * column — except the tables and constraints listed below, each with its reason. A table added
 * later is checked without being named here. PGlite or DATABASE_URL.
 */

import t from '@sparring/test-workers/tap';
import { sql } from 'kysely';
import { buildTestApp } from './helpers/build.js';

/** Tables that are not one tenant's data, so their keys need no tenant_id. */
const EXEMPT_TABLES: Record<string, string> = {
  tenants: 'the tenants themselves: `id` IS the tenant id (distributed by it, colocated with the rest)',
  kysely_migration: "the migrator's record of the schema: one per database, not tenant data",
  kysely_migration_lock: "the migrator's lock row: one per database",
  scheduled_tasks: 'one row per periodic task, shared by every replica (a reference table)',
  rate_limit_hits:
    'counters keyed by a hash of the credential or the client address, counted before the request is authenticated, so no tenant is known',
  webhook_dispatch_cursor:
    "the webhook dispatcher's position in the global event log: one row per dispatcher",
};

/**
 * Single constraints of tenant tables that are looked up before the tenant is known: the hash of
 * a presented credential finds its row (and so its tenant). Each is a SHA-256 of 32 random
 * bytes, unique across tenants; docs/scaling.md says what changes for them under Citus.
 */
const EXEMPT_CONSTRAINTS: Record<string, string> = {
  api_keys_key_hash_key: 'an API key is found by its hash alone (Authorization: Bearer sk_…)',
  member_tokens_token_hash_key: 'a member token is found by its hash alone (Authorization: Bearer mt_…)',
  member_sessions_token_hash_key: 'a member session is found by the hash of its cookie alone',
  member_sign_in_links_token_hash_key: 'a sign-in link is found by the hash of the token in its URL alone',
};

interface KeyRow {
  table: string;
  name: string;
  kind: 'primary key' | 'unique' | 'foreign key' | 'unique index';
  columns: string[];
  referenced_table: string | null;
  referenced_columns: string[] | null;
  definition: string;
}

const ctx = await buildTestApp(t);
const { db } = ctx.app;

/** Every key of every public table: constraints, plus unique indexes that back no constraint. */
const keys = (
  await sql<KeyRow>`
    select c.relname as table, k.conname as name,
      case k.contype when 'p' then 'primary key' when 'u' then 'unique' else 'foreign key' end as kind,
      array(select a.attname::text from unnest(k.conkey) with ordinality as u(n, i)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i) as columns,
      r.relname as referenced_table,
      case when k.contype = 'f' then
        array(select a.attname::text from unnest(k.confkey) with ordinality as u(n, i)
              join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i)
      end as referenced_columns,
      pg_get_constraintdef(k.oid) as definition
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_class r on r.oid = k.confrelid
    where n.nspname = 'public' and k.contype in ('p', 'u', 'f')
    union all
    select c.relname, i.relname, 'unique index',
      array(select a.attname::text from unnest(x.indkey) with ordinality as u(n, j)
            join pg_attribute a on a.attrelid = x.indrelid and a.attnum = u.n order by u.j),
      null, null, pg_get_indexdef(x.indexrelid)
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class c on c.oid = x.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and x.indisunique
      and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid and k.contype in ('p', 'u'))
    order by 1, 2`.execute(db)
).rows;

const tables = (
  await sql<{ table: string; has_tenant_id: boolean }>`
    select c.relname as table,
      exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
        as has_tenant_id
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by 1`.execute(db)
).rows;

/** The tenant column of a table: `id` for the tenants table, `tenant_id` everywhere else. */
const tenantColumnOf = (table: string) => (table === 'tenants' ? 'id' : 'tenant_id');

t.test('the catalog query sees the schema', async (t) => {
  t.ok(tables.length >= 20, `${tables.length} tables`);
  t.ok(
    keys.some((k) => k.name === 'leaders_pkey' && k.columns.join() === 'tenant_id,id'),
    'a known key with its columns in order',
  );
  t.ok(
    keys.some((k) => k.kind === 'unique index' && k.name === 'reviews_open_idx'),
    'unique indexes that back no constraint are read too',
  );
});

t.test('every table not exempted holds tenant data: it has a tenant_id column and a key', async (t) => {
  for (const { table, has_tenant_id } of tables) {
    if (EXEMPT_TABLES[table]) continue;
    t.ok(has_tenant_id, `${table} has a tenant_id column`);
    t.ok(
      keys.some((k) => k.table === table && k.kind === 'primary key'),
      `${table} has a primary key`,
    );
  }
});

t.test('every primary key, unique constraint, unique index and foreign key includes tenant_id', async (t) => {
  for (const key of keys) {
    if (EXEMPT_TABLES[key.table] || EXEMPT_CONSTRAINTS[key.name]) continue;
    const own = tenantColumnOf(key.table);
    t.ok(key.columns.includes(own), `${key.table}.${key.name} includes ${own}: ${key.definition}`);
    if (key.kind === 'foreign key' && key.referenced_table && key.referenced_columns) {
      // The foreign key pairs this table's tenant column with the referenced table's.
      const at = key.columns.indexOf(own);
      t.equal(
        key.referenced_columns[at],
        tenantColumnOf(key.referenced_table),
        `${key.table}.${key.name} meets ${key.referenced_table} on its tenant column: ${key.definition}`,
      );
    }
  }
});

t.test('the exemption lists name only what exists, and each says why', async (t) => {
  const tableNames = new Set(tables.map((x) => x.table));
  for (const [table, reason] of Object.entries(EXEMPT_TABLES)) {
    t.ok(tableNames.has(table), `exempt table ${table} exists`);
    t.ok(reason.length > 20, `${table}: a reason`);
  }
  for (const [name, reason] of Object.entries(EXEMPT_CONSTRAINTS)) {
    const key = keys.find((k) => k.name === name);
    t.ok(key, `exempt constraint ${name} exists`);
    t.notOk(key?.columns.includes('tenant_id'), `${name} still needs its exemption`);
    t.ok(reason.length > 20, `${name}: a reason`);
  }
});
