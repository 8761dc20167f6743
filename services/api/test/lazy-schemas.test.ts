/**
 * Route schemas compile on first use (src/http/lazy-schemas.ts): the app is ready with most of
 * them pending, a request compiles and uses its route's validator and serializer, and every
 * schema of every route compiles (what the server does in the background once it listens).
 */

import t from '@sparring/test-workers/tap';
import { LazySchemas } from '../src/http/lazy-schemas.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);

t.test('ready with the schemas pending; a request compiles its own and validates with them', async (t) => {
  const { app } = ctx;
  const atReady = app.lazySchemas.counts;
  t.ok(atReady.pending > 100, `most schemas wait for their first use (${atReady.pending} pending)`);
  const { auth } = await ctx.tenant();

  const bad = await api(app, auth).post(
    '/v1/leaders',
    leaderBody({ yearsOfExperience: 'many', unknownField: 1 }),
  );
  t.equal(bad.statusCode, 400, 'the lazily compiled validator refuses the body');
  const issues = (bad.json() as { issues: { path: string }[] }).issues.map((i) => i.path);
  t.ok(issues.includes('yearsOfExperience'), "Ajv's errors reach the problem document");
  t.ok(app.lazySchemas.counts.compiled > atReady.compiled, 'compiled on the first request');

  const created = await api(app, auth).post('/v1/leaders', leaderBody({ name: 'Lazy Leader' }));
  t.equal(created.statusCode, 201);
  const body = created.json() as Record<string, unknown>;
  t.equal(body.name, 'Lazy Leader', 'the lazily compiled serializer writes the response');
  t.notOk('exclusions' in body, 'and only what the response schema names');
});

t.test('every route schema compiles', async (t) => {
  const { pending } = ctx.app.lazySchemas.counts;
  t.equal(ctx.app.lazySchemas.compileAll(), pending, 'each pending schema compiled once');
  t.same(ctx.app.lazySchemas.counts.pending, 0, 'nothing left');
  t.equal(ctx.app.lazySchemas.compileAll(), 0, 'a second call has nothing to do');
});

t.test('compileInBackground compiles in slices and reports a schema that does not compile', async (t) => {
  const lazy = new LazySchemas();
  const NOT_ONE = { keyword: 'const', instancePath: '', schemaPath: '#/const', params: {}, message: 'not 1' };
  let calls = 0;
  const compiler = lazy.validatorCompiler(({ schema }) => {
    calls++;
    if ((schema as { broken?: boolean }).broken) throw new Error('schema is broken');
    const validate = (data: unknown) => {
      validate.errors = data === 1 ? null : [NOT_ONE];
      return data === 1;
    };
    validate.errors = null as null | (typeof NOT_ONE)[];
    return validate;
  });
  const routes = Array.from({ length: 20 }, () =>
    compiler({ schema: {}, method: 'GET', url: '/', httpPart: 'body' }),
  );
  t.equal(calls, 0, 'nothing compiled when routes are set up');
  t.equal(routes[0]?.(2), false);
  t.same(routes[0]?.errors, [NOT_ONE], 'errors carried over');
  t.equal(routes[0]?.(1), true);
  t.equal(calls, 1, 'compiled once for two calls');
  t.equal(await lazy.compileInBackground(0), 19, 'the other 19 in the background');
  t.equal(calls, 20);

  compiler({ schema: { broken: true }, method: 'GET', url: '/broken', httpPart: 'body' });
  await t.rejects(lazy.compileInBackground(), /schema is broken/, 'a broken schema surfaces');
});
