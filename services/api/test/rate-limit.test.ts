import t from 'tap';
import { buildTestApp } from './helpers/build.js';

t.test('requests over the per-key limit get a 429 problem; another key is not affected', async (t) => {
  const ctx = await buildTestApp(t, { SPARRING_RATE_LIMIT_PER_MINUTE: '3' });
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++)
    statuses.push((await ctx.app.inject({ url: '/v1/leaders', headers: a.auth })).statusCode);
  t.same(statuses, [200, 200, 200, 429]);
  const limited = await ctx.app.inject({ url: '/v1/leaders', headers: a.auth });
  t.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(limited.json().code, 'rate_limited');
  t.match(limited.json().detail, /Retry after/);
  t.ok(limited.headers['retry-after'], 'Retry-After tells the client when to come back');
  t.equal(
    (await ctx.app.inject({ url: '/v1/leaders', headers: b.auth })).statusCode,
    200,
    'limits are per key',
  );
});
