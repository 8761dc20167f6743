/**
 * The OpenAPI document declares the response headers the service sends (src/plugins/openapi.plugin.ts):
 * X-Request-Id and the rate limit's on each success (and on a 429, with Retry-After),
 * Idempotent-Replayed on a POST's success, and the ETag and Location a route declares. Checked
 * against the document, and against real responses: what an operation declares it sends, and an
 * operation that declares no ETag sends none.
 */

import t from '@sparring/test-workers/tap';
import { RESPONSE_HEADERS } from '../src/plugins/openapi.plugin.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

interface Response {
  $ref?: string;
  headers?: Record<string, { $ref: string }>;
}
interface Operation {
  operationId: string;
  responses: Record<string, Response>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { headers: Record<string, unknown>; responses: Record<string, Response> };
}

const ctx = await buildTestApp(t);
const doc = (await api(ctx.app).get('/openapi.json')).json() as Doc;
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method, op })),
);
const find = (method: string, path: string) => {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`no ${method} ${path} in the document`);
  return op;
};
/** A response, or the component (#/components/responses/…) it refers to (the problem responses). */
const responseOf = (response: Response | undefined): Response | undefined =>
  response?.$ref ? doc.components.responses[response.$ref.replace('#/components/responses/', '')] : response;
/** The header names one response of an operation declares, lower-cased. */
const declared = (method: string, path: string, status: number) =>
  Object.keys(responseOf(find(method, path).responses[String(status)])?.headers ?? {}).map((h) =>
    h.toLowerCase(),
  );

t.test('the headers are components, and every response references them', async (t) => {
  t.same(Object.keys(doc.components.headers).sort(), Object.keys(RESPONSE_HEADERS).sort());
  let responses = 0;
  for (const { path, method, op } of operations)
    for (const [status, listed] of Object.entries(op.responses)) {
      responses++;
      const response = responseOf(listed) ?? {};
      const names = Object.keys(response.headers ?? {});
      const success = status.startsWith('2');
      if (success && !names.includes('X-Request-Id'))
        t.fail(`${method} ${path} ${status} lacks X-Request-Id`);
      for (const ref of Object.values(response.headers ?? {}))
        if (!(ref.$ref.replace('#/components/headers/', '') in doc.components.headers))
          t.fail(`${method} ${path} ${status}: ${ref.$ref} is not a component`);
      const rateLimited = !path.startsWith('/health/') && (success || status === '429');
      t.equal(
        names.includes('X-RateLimit-Remaining'),
        rateLimited,
        `${method} ${path} ${status}: rate limit`,
      );
      if (status === '429') t.ok(names.includes('Retry-After'), `${method} ${path} 429: Retry-After`);
      if (method === 'post' && status.startsWith('2'))
        t.ok(names.includes('Idempotent-Replayed'), `${method} ${path} ${status}: Idempotent-Replayed`);
      if (method !== 'post')
        t.notOk(names.includes('Idempotent-Replayed'), `${method} ${path}: never replayed`);
    }
  t.ok(responses > 300, `${responses} responses checked`);
});

t.test('what an operation declares, a real response carries; what it does not, it does not', async (t) => {
  const { auth } = await ctx.tenant();
  const json = { ...auth, 'content-type': 'application/json' };
  const sent = (res: { headers: Record<string, unknown> }) =>
    ['etag', 'location', 'x-request-id', 'x-ratelimit-remaining', 'idempotent-replayed'].filter(
      (h) => res.headers[h] !== undefined,
    );

  const created = await api(ctx.app, json).post('/v1/leaders', leaderBody());
  t.equal(created.statusCode, 201);
  const createdDeclared = declared('post', '/v1/leaders', 201);
  for (const h of sent(created)) t.ok(createdDeclared.includes(h), `POST /v1/leaders 201 declares ${h}`);
  t.same(sent(created).sort(), ['etag', 'location', 'x-ratelimit-remaining', 'x-request-id']);

  const id = (created.json() as { id: string }).id;
  const read = await api(ctx.app, auth).get(`/v1/leaders/${id}`);
  t.ok(read.headers.etag, 'GET /v1/leaders/{id} sends an ETag');
  t.ok(declared('get', '/v1/leaders/{id}', 200).includes('etag'), 'and declares it');

  const list = await api(ctx.app, auth).get('/v1/leaders');
  t.equal(list.headers.etag, undefined, 'the list sends no ETag');
  t.notOk(declared('get', '/v1/leaders', 200).includes('etag'), 'and declares none');

  const others: string[] = [];
  for (let i = 0; i < 3; i++)
    others.push(((await api(ctx.app, json).post('/v1/leaders', leaderBody())).json() as { id: string }).id);
  const run = await api(ctx.app, json).post('/v1/formation-runs', {
    pool: { leaderIds: [id, ...others] },
    sizes: { min: 4, max: 4 },
    seed: 1,
    maxIterations: 1,
  });
  t.equal(run.statusCode, 202, run.payload.slice(0, 300));
  t.ok(run.headers.location, 'a formation run answers with its Location');
  t.same(
    declared('post', '/v1/formation-runs', 202).filter((h) => h === 'location' || h === 'etag'),
    ['location'],
    'declared: Location, no ETag',
  );
  t.equal(run.headers.etag, undefined);
  // Let the run finish before the app closes: closing while its worker thread was still loading
  // (through tsx's module hooks) sometimes kept the teardown past Fastify's 10 s close timeout on Node 24.
  await ctx.app.formationRunner.idle();

  const network = await api(ctx.app, json).post('/v1/networks', { name: 'Headers' });
  t.equal(network.statusCode, 201);
  t.ok(network.headers.location && network.headers.etag, 'a new network: Location and ETag');
  t.ok(
    ['location', 'etag'].every((h) => declared('post', '/v1/networks', 201).includes(h)),
    'both declared',
  );
});

t.test('a replayed POST says so, as declared', async (t) => {
  const { auth } = await ctx.tenant();
  const headers = { ...auth, 'content-type': 'application/json', 'idempotency-key': 'headers-replay' };
  const body = { name: 'Replayed' };
  const first = await api(ctx.app, headers).post('/v1/networks', body);
  const again = await api(ctx.app, headers).post('/v1/networks', body);
  t.equal(first.headers['idempotent-replayed'], undefined);
  t.equal(again.headers['idempotent-replayed'], 'true');
  t.ok(declared('post', '/v1/networks', 201).includes('idempotent-replayed'));
});
