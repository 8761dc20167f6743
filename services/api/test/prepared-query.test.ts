/**
 * Prepared queries (src/db/prepared.ts): built once per shape, the same SQL and parameters as
 * Kysely compiles for the values, the same rows; a value not bound as a parameter is refused.
 */

import t from '@sparring/test-workers/tap';
import { type Kysely, sql } from 'kysely';
import { preparedQuery } from '../src/db/prepared.js';
import type { Database } from '../src/db/schema.js';
import { healthInputStamps } from '../src/evaluations/health.repository.js';
import { findLeaders, listLeaders } from '../src/leaders/leader.repository.js';
import { networkWithMeetings } from '../src/meetings/meeting.repository.js';
import { findNetworkWithMembers } from '../src/networks/network.repository.js';
import { networksForCaller } from '../src/networks/network-access.js';
import { buildTestApp } from './helpers/build.js';
import { createLeader } from './helpers/fixtures.js';
import { seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

type Values = { tenantId: string; after: string | undefined; limit: number };
const page = (db: Kysely<Database>, shape: { newestFirst: boolean }, v: Values) =>
  db
    .selectFrom('leaders')
    .select(['id', 'name'])
    .where('tenant_id', '=', v.tenantId)
    .$if(v.after !== undefined, (q) => q.where('id', '>', v.after as string))
    .where('name', '<>', 'a constant of the query')
    .orderBy('id', shape.newestFirst ? 'desc' : 'asc')
    .limit(v.limit);

t.test('the rows, SQL and parameters Kysely gives, built once per shape', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push((await createLeader(app, auth)).id);
  let builds = 0;
  const executed: { sql: string; parameters: readonly unknown[] }[] = [];
  const prepared = preparedQuery((db, shape: { newestFirst: boolean }, v: Values) => {
    builds++;
    return page(db, shape, v);
  });
  const spy = new Proxy(app.db, {
    get(target, key) {
      if (key === 'executeQuery')
        return (query: { sql: string; parameters: readonly unknown[] }) => {
          executed.push(query);
          return target.executeQuery(query as never);
        };
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as Kysely<Database>;

  const calls: [{ newestFirst: boolean }, Values][] = [
    [{ newestFirst: false }, { tenantId, after: undefined, limit: 2 }],
    [{ newestFirst: false }, { tenantId, after: ids[0], limit: 2 }],
    [{ newestFirst: false }, { tenantId, after: ids[1], limit: 10 }],
    [{ newestFirst: true }, { tenantId, after: undefined, limit: 3 }],
    [{ newestFirst: false }, { tenantId, after: undefined, limit: 4 }],
  ];
  for (const [shape, values] of calls) {
    const rows = await prepared(spy, shape, values);
    const direct = page(app.db, shape, values).compile();
    const ran = executed.at(-1)!;
    t.equal(ran.sql, direct.sql, 'the SQL Kysely compiles');
    t.same(ran.parameters, direct.parameters, 'the parameters Kysely binds');
    t.same(rows, await page(app.db, shape, values).execute(), 'the same rows');
  }
  t.same(
    (await prepared(app.db, { newestFirst: false }, { tenantId, after: ids[1], limit: 10 })).map((r) => r.id),
    ids.slice(2),
    'the cursor and the limit are this call’s',
  );
  t.equal(builds, 3, 'one build per shape: (asc, no cursor), (asc, cursor), (desc, no cursor)');
});

t.test('a value used other than as one parameter is refused when its shape is compiled', async (t) => {
  const { tenantId } = await ctx.tenant();
  const branchOnValue = preparedQuery((db, _shape: null, v: { tenantId: string; limit: number }) =>
    db
      .selectFrom('leaders')
      .select('id')
      .where(sql<boolean>`true`)
      .limit(typeof v.limit === 'number' ? v.limit : 1)
      .where('tenant_id', '=', v.tenantId),
  );
  await t.rejects(branchOnValue(app.db, null, { tenantId, limit: 5 }), /limit not bound as a parameter/);
});

t.test('a list bound as ONE array parameter (`= any($n)`): any number of ids, one build', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await createLeader(app, auth)).id);
  let builds = 0;
  const byIds = preparedQuery((db, _shape: null, v: { tenantId: string; ids: readonly string[] }) => {
    builds++;
    return db
      .selectFrom('leaders')
      .select('id')
      .where('tenant_id', '=', v.tenantId)
      .where('id', '=', sql<string>`any(${v.ids})`)
      .orderBy('id');
  });
  const found = async (list: string[]) =>
    (await byIds(app.db, null, { tenantId, ids: list })).map((r) => r.id);
  t.same(await found(ids), ids, 'all three');
  t.same(await found([ids[1]!]), [ids[1]], 'one');
  t.same(await found([]), [], 'none');
  t.same(await found([ids[2]!, ids[0]!]), [ids[0], ids[2]], 'two, in the query’s order');
  t.equal(builds, 1, 'built once whatever the length');
});

/** Leaders by id, prepared under the name `statement`. */
const namedQuery = (statement: string) =>
  preparedQuery(
    (db, _shape: null, v: { tenantId: string; ids: readonly string[] }) =>
      db
        .selectFrom('leaders')
        .select(['id', 'name'])
        .where('tenant_id', '=', v.tenantId)
        .where('id', '=', sql<string>`any(${v.ids})`)
        .orderBy('id'),
    { statement },
  );

/** The prepared statements of the connection `conn` holds. */
const savedOn = async (conn: Kysely<Database>) =>
  (
    await sql<{
      name: string;
      statement: string;
    }>`select name, statement from pg_prepared_statements`.execute(conn)
  ).rows;

t.test('a query given a statement name is prepared on the connection once; others are not', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) ids.push((await createLeader(app, auth)).id);
  const statement = `test_named_${process.pid}`;
  const named = namedQuery(statement);
  const unnamed = preparedQuery((db, _shape: null, v: { tenantId: string }) =>
    db
      .selectFrom('leaders')
      .select('id')
      .where('tenant_id', '=', v.tenantId)
      .where('name', '=', 'unnamed probe'),
  );
  // One reserved connection: prepared statements belong to a connection.
  await app.db.connection().execute(async (conn) => {
    const sorted = [...ids].sort();
    t.same(
      (await named(conn, null, { tenantId, ids })).map((r) => r.id),
      sorted,
      'the rows, first call',
    );
    t.same(
      (await named(conn, null, { tenantId, ids: [ids[0]!] })).map((r) => r.id),
      [ids[0]],
      'other values, saved statement',
    );
    await unnamed(conn, null, { tenantId });
    const saved = await savedOn(conn);
    const mine = saved.filter((s) => s.name.startsWith(statement));
    t.equal(mine.length, 1, 'prepared once under its name');
    t.match(mine[0]?.statement, /from "leaders" where "tenant_id" = \$1 and "id" = any\(\$2\)/, 'its SQL');
    t.notOk(
      saved.some((s) => s.statement.includes('unnamed probe')),
      'a prepared query without a name is sent unnamed, as before',
    );
  });
});

t.test('a named statement that selects * is refused, every time', async (t) => {
  const { tenantId } = await ctx.tenant();
  const star = preparedQuery(
    (db, _shape: null, v: { tenantId: string }) =>
      db.selectFrom('leaders').selectAll().where('tenant_id', '=', v.tenantId),
    { statement: 'test_star' },
  );
  const aliased = preparedQuery(
    (db, _shape: null, v: { tenantId: string }) =>
      db.selectFrom('leaders as l').selectAll('l').where('l.tenant_id', '=', v.tenantId),
    { statement: 'test_star_aliased' },
  );
  for (let i = 0; i < 2; i++) {
    await t.rejects(
      star(app.db, null, { tenantId }),
      /lists its columns, not \*/,
      `select * (call ${i + 1})`,
    );
    await t.rejects(
      aliased(app.db, null, { tenantId }),
      /lists its columns, not \*/,
      `"l".* (call ${i + 1})`,
    );
  }
  const counted = preparedQuery(
    (db, _shape: null, v: { tenantId: string }) =>
      db.selectFrom('leaders').select(sql<number>`count(*)`.as('n')).where('tenant_id', '=', v.tenantId),
    { statement: 'test_count' },
  );
  t.equal((await counted(app.db, null, { tenantId }))[0]?.n, 0, 'count(*) is not a *');
});

t.test('DATABASE_NAMED_STATEMENTS=false: the same query is sent unnamed', async (t) => {
  const off = await buildTestApp(t, { DATABASE_NAMED_STATEMENTS: 'false' });
  t.equal(off.config.namedStatements, false, 'read from the environment');
  const { tenantId, auth } = await off.tenant();
  const id = (await createLeader(off.app, auth)).id;
  const named = namedQuery(`test_off_${process.pid}`);
  await off.app.db.connection().execute(async (conn) => {
    t.same(
      (await named(conn, null, { tenantId, ids: [id] })).map((r) => r.id),
      [id],
      'the rows',
    );
    t.same(await savedOn(conn), [], 'nothing prepared on the connection');
  });
});

t.test('the saved hot reads keep working when their tables gain a column under them', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, { members: 4 });
  const admin = { kind: 'admin', tenantId, keyId: 'test' } as const;
  // One reserved connection, as a running replica's pooled connection that saved the statements.
  await app.db.connection().execute(async (conn) => {
    const reads = async () => ({
      leaders: (await listLeaders(conn, tenantId, { limit: 50 })).length,
      byId: (await findLeaders(conn, tenantId, s.leaderIds)).length,
      network: (await findNetworkWithMembers(conn, tenantId, s.networkId))?.members.length,
      meetings: (await networkWithMeetings(conn, tenantId, s.networkId, { limit: 50 }))?.meetings.length,
      access: (await networksForCaller(conn, admin, [s.networkId])).size,
      stamps: (await healthInputStamps(conn, tenantId, [s.networkId])).size,
    });
    const before = await reads();
    const saved = (await savedOn(conn)).map((x) => x.name);
    for (const name of [
      'leader_page',
      'leaders_by_id',
      'network_members',
      'meeting_page',
      'networks_for',
      'health_stamps',
    ])
      t.ok(
        saved.some((n) => n.startsWith(name)),
        `${name} saved on the connection`,
      );
    // What a newer replica's migration does: every table these read gains a column.
    for (const table of ['leaders', 'networks', 'meetings', 'network_members'])
      await sql`alter table ${sql.table(table)} add column probe_added int`.execute(conn);
    try {
      t.same(await reads(), before, 'the same results from the saved statements');
    } finally {
      for (const table of ['leaders', 'networks', 'meetings', 'network_members'])
        await sql`alter table ${sql.table(table)} drop column probe_added`.execute(conn);
    }
  });
});
