/**
 * The API contract: the committed OpenAPI document, typed client and GraphQL SDL are what the
 * code describes (else: run `pnpm generate`), the document passes Redocly's recommended rules,
 * and the generated client drives a whole flow against the service.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import t from '@sparring/test-workers/tap';
import { contractFiles } from '../scripts/contract.js';
import { buildTestApp } from './helpers/build.js';
import { clientOf } from './helpers/client.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
const root = path.resolve(import.meta.dirname, '../../..');

t.test('the committed contract files are what the code describes (else run pnpm generate)', async (t) => {
  for (const [file, generated] of await contractFiles(app)) {
    const committed = await readFile(path.join(root, file), 'utf8').catch(() => '(missing)');
    t.ok(committed === generated, `${file} is up to date`);
  }
});

t.test('every operation has a unique operationId', async (t) => {
  const doc = app.swagger() as { paths: Record<string, Record<string, { operationId?: string }>> };
  const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
  t.ok(ids.length > 50);
  t.notOk(ids.includes(undefined), 'none without');
  t.equal(new Set(ids).size, ids.length, 'none twice');
});

t.test('shared schemas are components, not copied into every operation', async (t) => {
  const doc = app.swagger() as { components: { schemas: Record<string, unknown> } };
  t.ok(doc.components.schemas.Problem, 'the problem document is #/components/schemas/Problem');
  const text = JSON.stringify(doc);
  t.ok(text.includes('"$ref":"#/components/schemas/Problem"'));
  t.ok(text.length < 1_000_000, `the document stays compact (${text.length} bytes)`);
});

t.test("the document passes Redocly's recommended rules with no error", async (t) => {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({
    source: JSON.stringify(app.swagger()),
    absoluteRef: '/openapi.json',
    config,
  });
  const errors = problems.filter((p) => p.severity === 'error');
  t.same(
    errors.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`),
    [],
  );
  t.same(
    problems.filter((p) => p.ruleId === 'operation-operationId' || p.ruleId === 'info-license'),
    [],
    'operationIds and the licence are there',
  );
});

t.test('the generated client: a leader and a network through typed calls, problems typed too', async (t) => {
  const { key } = await ctx.tenant();
  const sparring = clientOf(app, key);

  const created = await sparring.POST('/v1/leaders', {
    body: leaderBody({ externalId: 'EMP-9' }) as never,
  });
  t.equal(created.response.status, 201);
  const leaderId = created.data!.id;
  const read = await sparring.GET('/v1/leaders/{id}', { params: { path: { id: leaderId } } });
  t.equal(read.data?.externalId, 'EMP-9');
  const found = await sparring.GET('/v1/leaders', { params: { query: { externalId: 'EMP-9' } } });
  t.same(
    found.data?.data.map((l: { id: string }) => l.id),
    [leaderId],
  );

  const network = await sparring.POST('/v1/networks', { body: { name: 'Ledere i Aarhus' } as never });
  t.equal(network.response.status, 201, JSON.stringify(network.error));
  const joined = await sparring.POST('/v1/networks/{id}/members', {
    params: { path: { id: network.data!.id } },
    body: { leaderId },
  });
  t.equal(joined.response.status, 201, JSON.stringify(joined.error));

  const missing = await sparring.GET('/v1/leaders/{id}', {
    params: { path: { id: '0190a5f4-0000-7000-8000-000000000000' } },
  });
  t.equal(missing.response.status, 404);
  t.equal(missing.error?.code, 'not_found', 'the error is the typed problem document');
});
