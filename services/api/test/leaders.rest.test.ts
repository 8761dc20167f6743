import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

t.test('create, read, update and delete a leader', async (t) => {
  const { auth } = await ctx.tenant();
  const body = leaderBody({ email: 'Mette@Example.DK', sameness: { sector: 'same' } });
  const created = await api(app, auth).post('/v1/leaders', body);
  t.equal(created.statusCode, 201);
  const leader = created.json();
  t.match(leader.id, /^[0-9a-f-]{36}$/);
  t.equal(created.headers.location, `/v1/leaders/${leader.id}`);
  t.equal(created.headers.etag, '"1"');
  t.equal(leader.email, 'mette@example.dk', 'email is normalised to lower case');
  t.same(leader.sameness, { sector: 'same', experience: 'no_preference', organisation: 'no_preference' });
  t.notOk('exclusions' in leader, 'exclusions are write-only: not even the admin reads them back');
  t.equal(leader.managerId, null);

  const read = await api(app, auth).get(`/v1/leaders/${leader.id}`);
  t.equal(read.statusCode, 200);
  t.equal(read.headers.etag, '"1"');
  t.same(read.json(), leader);

  const patched = await api(app, auth).patch(
    `/v1/leaders/${leader.id}`,
    { yearsOfExperience: 12, sameness: { organisation: 'different' } },
    { headers: { 'if-match': '"1"' } },
  );
  t.equal(patched.statusCode, 200);
  t.equal(patched.json().yearsOfExperience, 12);
  t.equal(patched.json().name, body.name, 'absent fields keep their value');
  t.same(patched.json().sameness, { sector: 'same', experience: 'no_preference', organisation: 'different' });
  t.equal(patched.json().version, 2);
  t.equal(patched.headers.etag, '"2"');

  const stale = await api(app, auth).patch(
    `/v1/leaders/${leader.id}`,
    { yearsOfExperience: 13 },
    { headers: { 'if-match': '"1"' } },
  );
  t.equal(stale.statusCode, 412);
  t.equal(stale.json().code, 'precondition_failed');
  const after = await api(app, auth).get(`/v1/leaders/${leader.id}`);
  t.equal(after.json().yearsOfExperience, 12, 'a stale update changes nothing');

  const cleared = await api(app, auth).patch(`/v1/leaders/${leader.id}`, { preferredCadenceMonths: null });
  t.equal(cleared.json().preferredCadenceMonths, null, 'null clears an optional field');

  const deleted = await api(app, auth).delete(`/v1/leaders/${leader.id}`);
  t.equal(deleted.statusCode, 204);
  const gone = await api(app, auth).get(`/v1/leaders/${leader.id}`);
  t.equal(gone.statusCode, 404);
  t.equal(gone.json().code, 'not_found');
  const again = await api(app, auth).delete(`/v1/leaders/${leader.id}`);
  t.equal(again.statusCode, 404);
});

t.test(
  'validation: schema and domain rules give 400 problems with every issue, and store nothing',
  async (t) => {
    const { auth } = await ctx.tenant();
    const cases: [string, Record<string, unknown>, string, string][] = [
      [
        'unknown property (no mass assignment)',
        { ...leaderBody(), tenantId: 'x' },
        'tenantId',
        'unknown_property',
      ],
      ['missing name', (({ name, ...rest }) => rest)(leaderBody()), 'name', 'required'],
      ['bad level', leaderBody({ level: 'boss' }), 'level', 'not_allowed'],
      [
        'string for a number (no coercion of bodies)',
        leaderBody({ yearsOfExperience: '5' }),
        'yearsOfExperience',
        'wrong_type',
      ],
      ['negative experience', leaderBody({ yearsOfExperience: -1 }), 'yearsOfExperience', 'too_small'],
      ['empty availability', leaderBody({ availability: [] }), 'availability', 'too_short'],
      ['bad email (domain rule)', leaderBody({ email: 'not-an-email' }), 'email', 'invalid_format'],
      ['blank name (domain rule)', leaderBody({ name: '   ' }), 'name', 'required'],
      [
        'unknown manager',
        leaderBody({ managerId: '0190a5f4-3c1e-7a3b-9d2e-4f5a6b7c8d9e' }),
        'managerId',
        'invalid_reference',
      ],
    ];
    for (const [name, body, path, code] of cases) {
      const res = await api(app, auth).post('/v1/leaders', body);
      t.equal(res.statusCode, 400, name);
      t.equal(
        res.headers['content-type'],
        'application/problem+json; charset=utf-8',
        `${name}: problem+json`,
      );
      const problem = res.json();
      t.equal(problem.code, 'validation_failed', name);
      t.ok(
        problem.issues.some((i: { path: string; code: string }) => i.path === path && i.code === code),
        `${name}: issue at ${path} (${code}); got ${JSON.stringify(problem.issues)}`,
      );
      t.ok(
        problem.issues.every((i: { message: { da: string; en: string } }) => i.message.da && i.message.en),
      );
    }
    const list = await api(app, auth).get('/v1/leaders');
    t.same(list.json().data, [], 'nothing was stored');
  },
);

t.test(
  'request-level problems: malformed JSON, wrong content type, too large, bad ids and cursors',
  async (t) => {
    const { auth } = await ctx.tenant();
    const malformed = await api(app, auth).post('/v1/leaders', '{"name": ', {
      headers: { 'content-type': 'application/json' },
    });
    t.equal(malformed.statusCode, 400);
    t.equal(malformed.json().code, 'bad_request');
    const text = await api(app, auth).post('/v1/leaders', 'hello', {
      headers: { 'content-type': 'text/plain' },
    });
    t.equal(text.statusCode, 415);
    t.equal(text.json().code, 'unsupported_media_type');
    const huge = await api(app, auth).post(
      '/v1/leaders',
      leaderBody({ name: 'x'.repeat(ctx.config.bodyLimitBytes) }),
    );
    t.equal(huge.statusCode, 413);
    t.equal(huge.json().code, 'payload_too_large');
    const badId = await api(app, auth).get('/v1/leaders/not-a-uuid');
    t.equal(badId.statusCode, 400);
    t.equal(badId.json().code, 'validation_failed');
    const badCursor = await api(app, auth).get('/v1/leaders?cursor=garbage');
    t.equal(badCursor.statusCode, 400);
    const badLimit = await api(app, auth).get('/v1/leaders?limit=0');
    t.equal(badLimit.statusCode, 400);
    for (const res of [malformed, text, huge, badId, badCursor, badLimit])
      t.notMatch(res.body, /\bat \S+\.(ts|js):\d+/);
  },
);

t.test('a duplicate email within a tenant is a 409; the same email in another tenant is fine', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const body = leaderBody();
  t.equal((await api(app, a.auth).post('/v1/leaders', body)).statusCode, 201);
  const dup = await api(app, a.auth).post('/v1/leaders', body);
  t.equal(dup.statusCode, 409);
  t.equal(dup.json().code, 'email_taken');
  t.equal((await api(app, b.auth).post('/v1/leaders', body)).statusCode, 201);
  const other = await api(app, a.auth).post('/v1/leaders', leaderBody());
  const clash = await api(app, a.auth).patch(`/v1/leaders/${other.json().id}`, { email: body.email });
  t.equal(clash.statusCode, 409, 'changing to a taken email is refused too');
});

t.test('cursor pagination walks every leader once, in creation order', async (t) => {
  const { auth } = await ctx.tenant();
  const ids: string[] = [];
  for (let i = 0; i < 7; i++) {
    const res = await api(app, auth).post('/v1/leaders', leaderBody());
    ids.push(res.json().id);
  }
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/v1/leaders?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
    const page = (await api(app, auth).get(url)).json();
    seen.push(...page.data.map((l: { id: string }) => l.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  t.same(seen, ids);
  t.equal(pages, 3);
});

t.test('manager and exclusions refer to leaders of the same tenant', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const boss = (await api(app, a.auth).post('/v1/leaders', leaderBody())).json();
  const foreign = (await api(app, b.auth).post('/v1/leaders', leaderBody())).json();
  const ok = await api(app, a.auth).post(
    '/v1/leaders',
    leaderBody({ managerId: boss.id, exclusions: [boss.id] }),
  );
  t.equal(ok.statusCode, 201);
  t.equal(ok.json().managerId, boss.id);
  const cross = await api(app, a.auth).post('/v1/leaders', leaderBody({ exclusions: [foreign.id] }));
  t.equal(cross.statusCode, 400, 'a leader of another tenant reads as unknown');
  t.equal(cross.json().issues[0].path, 'exclusions[0]');
  const self = await api(app, a.auth).patch(`/v1/leaders/${boss.id}`, { managerId: boss.id });
  t.equal(self.statusCode, 400, 'nobody is their own manager');
});

t.test('tenant isolation: another tenant’s key gets 404 on every id route and changes nothing', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const leader = (await api(app, a.auth).post('/v1/leaders', leaderBody())).json();
  const url = `/v1/leaders/${leader.id}`;
  t.equal((await api(app, b.auth).get(url)).statusCode, 404, 'GET');
  const patch = await api(app, b.auth).patch(url, { name: 'Hijacked' });
  t.equal(patch.statusCode, 404, 'PATCH');
  t.equal((await api(app, b.auth).delete(url)).statusCode, 404, 'DELETE');
  const list = (await api(app, b.auth).get('/v1/leaders')).json();
  t.notOk(
    list.data.some((l: { id: string }) => l.id === leader.id),
    'not in the other tenant’s list',
  );
  const still = (await api(app, a.auth).get(url)).json();
  t.equal(still.name, leader.name, 'unchanged');
});

t.test(
  'Idempotency-Key: the first response is replayed, another body is 422, nothing is stored twice',
  async (t) => {
    const { auth } = await ctx.tenant();
    const body = leaderBody();
    const headers = { ...auth, 'idempotency-key': 'create-mette-1' };
    const first = await api(app, headers).post('/v1/leaders', body);
    t.equal(first.statusCode, 201);
    const replay = await api(app, headers).post('/v1/leaders', body);
    t.equal(replay.statusCode, 201);
    t.equal(replay.headers['idempotent-replayed'], 'true');
    t.equal(replay.headers.location, first.headers.location);
    t.same(replay.json(), first.json());
    const other = await api(app, headers).post('/v1/leaders', leaderBody());
    t.equal(other.statusCode, 422);
    t.equal(other.json().code, 'idempotency_key_reused');
    const list = (await api(app, auth).get('/v1/leaders')).json();
    t.equal(list.data.length, 1, 'one leader stored');
    const bad = await api(app, auth).post('/v1/leaders', leaderBody(), {
      headers: { 'idempotency-key': 'ключ' },
    });
    t.equal(bad.statusCode, 400, 'a key outside visible ASCII is refused');
  },
);

t.test(
  'Idempotency-Key: concurrent duplicates store one leader; the loser gets 409 or the replay',
  async (t) => {
    const { auth } = await ctx.tenant();
    const body = leaderBody();
    const headers = { ...auth, 'idempotency-key': 'concurrent-1' };
    const results = await Promise.all([1, 2, 3].map(() => api(app, headers).post('/v1/leaders', body)));
    const statuses = results.map((r) => r.statusCode).sort();
    t.equal(statuses.filter((s) => s === 201).length >= 1, true);
    t.ok(
      statuses.every((s) => s === 201 || s === 409),
      `only 201 (first or replay) or 409 (in progress); got ${statuses}`,
    );
    const list = (await api(app, auth).get('/v1/leaders')).json();
    t.equal(list.data.length, 1, 'exactly one leader stored');
  },
);

t.test('DELETE of a leader who is a network member erases them: 204, not 409; the id stays', async (t) => {
  const { auth } = await ctx.tenant();
  const leader = (await api(app, auth).post('/v1/leaders', leaderBody())).json();
  const network = (await api(app, auth).post('/v1/networks', { name: 'Netværk Nord' })).json();
  const joined = await api(app, auth).post(`/v1/networks/${network.id}/members`, { leaderId: leader.id });
  t.equal(joined.statusCode, 201);
  const res = await api(app, auth).delete(`/v1/leaders/${leader.id}`);
  t.equal(res.statusCode, 204);
  const read = await api(app, auth).get(`/v1/leaders/${leader.id}`);
  t.equal(read.statusCode, 200, 'the anonymised row stays (test/leaders.lifecycle.test.ts)');
  t.match(read.json(), { name: 'Erased leader', active: false, externalId: null });
  t.not(read.json().email, leader.email);
});

t.test('Idempotency-Key is remembered for 24 hours, then the key may be used again', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const headers = { ...auth, 'idempotency-key': 'day-old-key' };
  const first = await api(app, headers).post('/v1/leaders', leaderBody());
  t.equal(first.statusCode, 201);
  const age = async (hours: number) =>
    app.db
      .updateTable('idempotency_keys')
      .set({ created_at: new Date(Date.now() - hours * 3_600_000) })
      .where('tenant_id', '=', tenantId)
      .where('key', '=', 'day-old-key')
      .execute();
  await age(23);
  const stillKnown = await api(app, headers).post('/v1/leaders', leaderBody());
  t.equal(stillKnown.statusCode, 422, 'within 24 h another body with the key is refused');
  t.equal(stillKnown.json().code, 'idempotency_key_reused');
  await age(25);
  const again = await api(app, headers).post('/v1/leaders', leaderBody());
  t.equal(again.statusCode, 201, 'after 24 h the key is forgotten');
  t.not(again.json().id, first.json().id, 'a new leader, not the replay');
  t.equal(again.headers['idempotent-replayed'], undefined);
});
