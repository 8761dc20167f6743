import type { IncomingMessage, ServerResponse } from 'node:http';
import t from '@sparring/test-workers/tap';
import helmet from 'helmet';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';

/** The headers helmet's default middleware sets, read off a stand-in response. */
function helmetDefaults(): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  helmet()({} as IncomingMessage, res, () => {});
  return headers;
}

const ctx = await buildTestApp(t);
const { auth } = await ctx.tenant();
const expected = helmetDefaults();

t.test("helmet's default headers on API responses, errors and unknown paths", async (t) => {
  t.ok(Object.keys(expected).length >= 10, `helmet sets ${Object.keys(expected).length} headers`);
  for (const [what, res] of [
    ['liveness', await api(ctx.app).get('/health/live')],
    ['an admin read', await api(ctx.app, auth).get('/v1/leaders')],
    ['a 401 problem', await api(ctx.app).get('/v1/leaders')],
    ['an unknown path', await api(ctx.app).get('/no/such/path')],
  ] as const) {
    for (const [name, value] of Object.entries(expected))
      t.equal(res.headers[name], value, `${what}: ${name}`);
  }
});

t.test('a route with its own options gets its own policy; the next request the defaults again', async (t) => {
  const page = await api(ctx.app).get('/graphiql');
  t.equal(page.statusCode, 200);
  t.not(
    page.headers['content-security-policy'],
    expected['content-security-policy'],
    'GraphiQL has its own CSP',
  );
  t.equal(page.headers['x-content-type-options'], 'nosniff', 'and the other defaults');
  const after = await api(ctx.app).get('/health/live');
  t.equal(after.headers['content-security-policy'], expected['content-security-policy']);
});
