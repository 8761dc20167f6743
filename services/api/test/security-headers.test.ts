import type { IncomingMessage, ServerResponse } from 'node:http';
import t from '@sparring/test-workers/tap';
import helmet from 'helmet';
import { holdsFunction, securityHeadersFor } from '../src/http/security-headers.plugin.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';

/** The headers helmet's default middleware sets, read off a stand-in response. */
function helmetDefaults(): Record<string, string> {
  return headersOf(helmet());
}

/** The headers a middleware sets on a stand-in response that starts with `start`. */
function headersOf(
  middleware: (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void,
  start: Record<string, string> = {},
  req = {} as IncomingMessage,
): Record<string, string> {
  const headers: Record<string, string> = { ...start };
  const res = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  middleware(req, res, () => {});
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

t.test('headers recorded once are the headers helmet sets, X-Powered-By removed included', async (t) => {
  const options = {
    contentSecurityPolicy: { directives: { 'script-src': ["'self'", 'https://example.org'] } },
  };
  const start = { 'x-powered-by': 'Express' };
  t.same(headersOf(securityHeadersFor(), start), headersOf(helmet(), start), 'the defaults');
  t.same(headersOf(securityHeadersFor(options), start), headersOf(helmet(options), start), 'own options');
  t.notOk('x-powered-by' in headersOf(securityHeadersFor(), start), 'X-Powered-By removed');
});

t.test('options holding a function (a nonce per request) run helmet for each request', async (t) => {
  t.ok(holdsFunction({ a: { b: [1, () => 'x'] } }), 'a function deep in the options');
  t.notOk(holdsFunction({ a: { b: ['x', 1, null, true] } }), 'no function');
  t.notOk(holdsFunction(undefined), 'no options');
  const nonce = (req: IncomingMessage) => `'nonce-${(req as IncomingMessage & { nonce: string }).nonce}'`;
  const apply = securityHeadersFor({
    contentSecurityPolicy: { directives: { 'script-src': ["'self'", nonce] } },
  });
  const first = headersOf(apply, {}, { nonce: 'one' } as unknown as IncomingMessage);
  const second = headersOf(apply, {}, { nonce: 'two' } as unknown as IncomingMessage);
  t.match(first['content-security-policy'], /script-src 'self' 'nonce-one'/);
  t.match(
    second['content-security-policy'],
    /script-src 'self' 'nonce-two'/,
    'the next request its own nonce',
  );
});
