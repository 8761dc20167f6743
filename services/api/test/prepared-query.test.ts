/**
 * Prepared queries (src/db/prepared.ts): built once per shape, the same SQL and parameters as
 * Kysely compiles for the values, the same rows; a value not bound as a parameter is refused.
 */

import t from '@sparring/test-workers/tap';
import { type Kysely, sql } from 'kysely';
import { preparedQuery } from '../src/db/prepared.js';
import type { Database } from '../src/db/schema.js';
import { buildTestApp } from './helpers/build.js';
import { createLeader } from './helpers/fixtures.js';

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
