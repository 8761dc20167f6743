import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';

const { app } = await buildTestApp(t);

t.test('liveness and readiness', async (t) => {
  const live = await api(app).get('/health/live');
  t.equal(live.statusCode, 200);
  t.same(live.json(), { status: 'ok' });
  const ready = await api(app).get('/health/ready');
  t.equal(ready.statusCode, 200);
  t.equal(ready.json().status, 'ready');
  t.equal(ready.json().database, process.env.DATABASE_URL ? 'postgres' : 'pglite');
  t.ok(ready.headers['x-request-id'], 'every response carries a request id');
});

t.test('readiness fails with a problem when the database is gone', async (t) => {
  const { buildTestApp: build } = await import('./helpers/build.js');
  const other = await build(t);
  await other.app.database.db.destroy();
  const res = await api(other.app).get('/health/ready');
  t.equal(res.statusCode, 503);
  t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(res.json().code, 'service_unavailable');
  t.notMatch(res.body, /stack|at .*\.ts/);
});

t.test('the OpenAPI document lists every route and the docs page is served', async (t) => {
  const res = await api(app).get('/openapi.json');
  t.equal(res.statusCode, 200);
  const doc = res.json();
  t.equal(doc.openapi, '3.1.0');
  for (const path of ['/v1/leaders', '/v1/leaders/{id}', '/health/ready'])
    t.ok(doc.paths[path], `documents ${path}`);
  t.ok(doc.paths['/v1/leaders'].post.requestBody.content['application/json'].schema, 'request body schema');
  // Problem responses are shared components (#/components/responses/Problem<status>).
  const notFound = doc.paths['/v1/leaders/{id}'].get.responses['404'];
  t.equal(notFound.$ref, '#/components/responses/Problem404');
  t.ok(
    doc.components.responses.Problem404.content['application/problem+json'],
    'problem responses documented',
  );
  const page = await api(app).get('/docs/');
  t.equal(page.statusCode, 200);
  t.match(page.body, /swagger/i);
  const asset = await api(app).get('/docs/static/swagger-ui-bundle.js');
  t.equal(asset.statusCode, 200, 'Swagger UI assets are served locally (works offline)');
});

t.test('unknown routes and problem types answer with problem documents', async (t) => {
  const res = await api(app).get('/nope');
  t.equal(res.statusCode, 404);
  t.equal(res.json().code, 'route_not_found');
  t.equal(res.json().type, '/problems/route_not_found');
  const known = await api(app).get('/problems/not_found');
  t.same(known.json(), { code: 'not_found', status: 404, title: 'No such resource' });
  const unknown = await api(app).get('/problems/whatever');
  t.equal(unknown.statusCode, 404);
});

t.test('missing or wrong credentials are 401 problems on REST and GraphQL', async (t) => {
  const cases: Record<string, string>[] = [
    {},
    { authorization: 'Bearer sk_wrong' },
    { authorization: 'Basic abc' },
  ];
  for (const headers of cases) {
    const rest = await api(app, headers).get('/v1/leaders');
    t.equal(rest.statusCode, 401);
    t.equal(rest.json().code, 'unauthorized');
    const graph = await api(app, headers).post('/graphql', { query: '{ apiVersion }' });
    t.equal(graph.statusCode, 401);
    t.equal(graph.json().code, 'unauthorized');
  }
});
