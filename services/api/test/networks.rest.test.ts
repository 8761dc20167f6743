import t from '@sparring/test-workers/tap';
import { api, type Method } from './helpers/api.js';
import { type Auth, buildTestApp, type TestApp } from './helpers/build.js';
import { createLeader } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

async function network(auth: Auth, body: Record<string, unknown> = {}) {
  const res = await api(app, auth).post('/v1/networks', { name: 'Net', ...body });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
}

async function addMember(auth: Auth, networkId: string, leaderId: string) {
  return api(app, auth).post(`/v1/networks/${networkId}/members`, { leaderId });
}

export async function memberToken(a: TestApp, auth: Auth, leaderId: string): Promise<Auth> {
  const res = await api(a, auth).post(`/v1/leaders/${leaderId}/member-tokens`, { ttlSeconds: 600 });
  return { authorization: `Bearer ${res.json().token}` };
}

t.test('create with defaults, read with ETag, list with filters and cursor', async (t) => {
  const { auth } = await ctx.tenant();
  const created = await api(app, auth).post('/v1/networks', { name: 'Aarhus 1' });
  t.equal(created.statusCode, 201);
  const net = created.json();
  t.equal(net.status, 'forming');
  t.same(net.settings.size, { min: 6, max: 12 });
  t.equal(net.settings.trialLength, 3);
  t.equal(net.settings.reviewEvery, 6);
  t.equal(net.settings.timeZone, 'Europe/Copenhagen');
  t.equal(net.settings.minResponses, 5);
  t.equal(net.settings.evaluationWindowDays, 14);
  t.equal(net.settings.rolesPolicy.host.kind, 'rotating');
  t.equal(net.facilitator, null);
  t.same(net.members, []);
  t.equal(net.lifecycle.status, 'forming');
  t.same(net.lifecycle.history, []);
  t.equal(created.headers.location, `/v1/networks/${net.id}`);

  const read = await api(app, auth).get(`/v1/networks/${net.id}`);
  t.equal(read.statusCode, 200);
  t.equal(read.headers.etag, '"1"');

  const belowFloor = await api(app, auth).post('/v1/networks', { name: 'Net', minResponses: 2 });
  t.equal(belowFloor.statusCode, 400, 'k below the floor 3 is refused');
  const k = await network(auth, {
    minResponses: 3,
    trialLength: 4,
    size: { min: 4, max: 8 },
    facilitator: { kind: 'external', name: 'Hanne Holm', email: 'hanne@example.dk' },
  });
  t.equal(k.settings.minResponses, 3, 'k at the floor');
  t.equal(k.settings.trialLength, 4);
  t.same(k.facilitator, { kind: 'external', name: 'Hanne Holm', email: 'hanne@example.dk' });

  const l = await createLeader(app, auth);
  await addMember(auth, k.id, l.id);
  const byMember = await api(app, auth).get(`/v1/networks?member=${l.id}`);
  t.same(
    byMember.json().data.map((n: { id: string }) => n.id),
    [k.id],
  );
  const page1 = await api(app, auth).get('/v1/networks?limit=1');
  t.equal(page1.json().data.length, 1);
  t.ok(page1.json().nextCursor);
  const page2 = await api(app, auth).get(`/v1/networks?limit=1&cursor=${page1.json().nextCursor}`);
  t.equal(page2.json().data[0].id, k.id);
  const forming = await api(app, auth).get('/v1/networks?status=trial');
  t.same(forming.json().data, []);
});

t.test('validation: problems with issues from the domain constructors', async (t) => {
  const { auth } = await ctx.tenant();
  const cases: [Record<string, unknown>, string][] = [
    [{ name: 'x', size: { min: 10, max: 6 } }, 'size.max'],
    [{ name: 'x', timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ name: 'x', trialLength: 5 }, 'trialLength'],
    [{ name: 'x', rolesPolicy: { host: { kind: 'external', name: 'X' } } }, 'rolesPolicy.host.kind'],
    [{ name: 'x', status: 'active' }, 'status'],
    [
      { name: 'x', facilitator: { kind: 'member', leaderId: '0190a5f4-3c1e-7a3b-9d2e-4f5a6b7c8d9e' } },
      'facilitator.leaderId',
    ],
  ];
  for (const [body, path] of cases) {
    const res = await api(app, auth).post('/v1/networks', body);
    t.equal(res.statusCode, 400, JSON.stringify(body));
    t.equal(res.json().code, 'validation_failed');
    t.ok(
      res.json().issues.some((i: { path: string }) => i.path.startsWith(path)),
      `${path} in ${JSON.stringify(res.json().issues)}`,
    );
  }
  const notUuid = await api(app, auth).get('/v1/networks/nope');
  t.equal(notUuid.statusCode, 400);
});

t.test('idempotent create: the same key replays, nothing is stored twice', async (t) => {
  const { auth } = await ctx.tenant();
  const headers = { ...auth, 'idempotency-key': 'net-1' };
  const a = await api(app, headers).post('/v1/networks', { name: 'Once' });
  const b = await api(app, headers).post('/v1/networks', { name: 'Once' });
  t.equal(a.statusCode, 201);
  t.equal(b.statusCode, 201);
  t.equal(b.headers['idempotent-replayed'], 'true');
  t.equal(a.json().id, b.json().id);
  const list = await api(app, auth).get('/v1/networks');
  t.equal(list.json().data.length, 1);
  const other = await api(app, headers).post('/v1/networks', { name: 'Other' });
  t.equal(other.statusCode, 422);
});

t.test('PATCH: If-Match required (428), stale (412), status not writable', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await network(auth);
  const missing = await api(app, auth).patch(`/v1/networks/${net.id}`, { name: 'B' });
  t.equal(missing.statusCode, 428);
  t.equal(missing.json().code, 'precondition_required');
  const ok = await api(app, auth).patch(
    `/v1/networks/${net.id}`,
    { name: 'B', size: { max: 14 }, reviewEvery: 4 },
    { headers: { 'if-match': '"1"' } },
  );
  t.equal(ok.statusCode, 200);
  t.equal(ok.json().name, 'B');
  t.same(ok.json().settings.size, { min: 6, max: 14 }, 'one bound patched, the other kept');
  t.equal(ok.headers.etag, '"2"');
  const stale = await api(app, auth).patch(
    `/v1/networks/${net.id}`,
    { name: 'C' },
    { headers: { 'if-match': '"1"' } },
  );
  t.equal(stale.statusCode, 412);
  const status = await api(app, auth).patch(
    `/v1/networks/${net.id}`,
    { status: 'active' },
    { headers: { 'if-match': '"2"' } },
  );
  t.equal(status.statusCode, 400, 'status is not a PATCH field');
  const read = (await api(app, auth).get(`/v1/networks/${net.id}`)).json();
  t.equal(read.name, 'B');
  t.equal(read.status, 'forming');
});

t.test('members: join, leave with dates, size max, conflicts without revealing who', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await network(auth, { size: { min: 4, max: 4 } });
  const boss = await createLeader(app, auth);
  const report = await createLeader(app, auth, { managerId: boss.id });
  const a = await createLeader(app, auth);
  const excluder = await createLeader(app, auth, { exclusions: [a.id] });
  const b = await createLeader(app, auth);
  const c = await createLeader(app, auth);

  t.equal((await addMember(auth, net.id, boss.id)).statusCode, 201);
  const pair = await addMember(auth, net.id, report.id);
  t.equal(pair.statusCode, 409);
  t.equal(pair.json().code, 'member_conflict');
  t.equal(pair.json().reason, 'manager_report_pair');
  t.notMatch(pair.body, boss.id, 'the other member is not named');

  t.equal((await addMember(auth, net.id, a.id)).statusCode, 201);
  const excluded = await addMember(auth, net.id, excluder.id);
  t.equal(excluded.statusCode, 409);
  t.equal(excluded.json().code, 'member_conflict');
  t.notMatch(excluded.body, a.id, 'never who excluded whom');
  t.notMatch(excluded.body, excluder.id);

  t.equal((await addMember(auth, net.id, b.id)).statusCode, 201);
  const again = await addMember(auth, net.id, b.id);
  t.equal(again.statusCode, 409);
  t.equal(again.json().code, 'already_a_member');
  const joined = await api(app, auth).post(`/v1/networks/${net.id}/members`, {
    leaderId: c.id,
    joinedAt: '2026-01-05T10:00:00.000Z',
  });
  t.equal(joined.statusCode, 201);
  t.equal(
    joined.json().members.find((m: { leaderId: string }) => m.leaderId === c.id).joinedAt,
    '2026-01-05T10:00:00.000Z',
  );
  const d = await createLeader(app, auth);
  const full = await addMember(auth, net.id, d.id);
  t.equal(full.statusCode, 409);
  t.equal(full.json().code, 'network_full');

  const left = await api(app, auth).post(`/v1/networks/${net.id}/members/${c.id}/leave`, {
    leftAt: '2026-02-01T10:00:00.000Z',
  });
  t.equal(left.statusCode, 200);
  const former = left.json().members.find((m: { leaderId: string }) => m.leaderId === c.id);
  t.equal(former.leftAt, '2026-02-01T10:00:00.000Z');
  t.equal(former.active, false);
  const del = await api(app, auth).delete(`/v1/networks/${net.id}/members/${b.id}`);
  t.equal(del.statusCode, 200);
  const twice = await api(app, auth).delete(`/v1/networks/${net.id}/members/${b.id}`);
  t.equal(twice.statusCode, 404);
  t.equal((await addMember(auth, net.id, d.id)).statusCode, 201, 'room again after leaving');
  const rejoin = await addMember(auth, net.id, b.id);
  t.equal(rejoin.statusCode, 201, 'a former member can rejoin');

  const rules = await api(app, auth).get(`/v1/networks/${net.id}/rules`);
  t.equal(rules.statusCode, 200);
  t.same(
    rules.json().violations.map((v: { code: string }) => v.code),
    ['charter_not_in_force'],
  );
  t.ok(rules.json().violations[0].message.da);
});

t.test('tenant isolation on every id route; member tokens limited to themselves', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const net = await network(a.auth);
  const l = await createLeader(app, a.auth);
  const other = await createLeader(app, a.auth);
  await addMember(a.auth, net.id, l.id);
  const otherNet = await network(a.auth);
  await addMember(a.auth, otherNet.id, other.id);
  const routes: [string, string, unknown?][] = [
    ['GET', `/v1/networks/${net.id}`],
    ['PATCH', `/v1/networks/${net.id}`, { name: 'x' }],
    ['POST', `/v1/networks/${net.id}/members`, { leaderId: l.id }],
    ['DELETE', `/v1/networks/${net.id}/members/${l.id}`],
    ['POST', `/v1/networks/${net.id}/members/${l.id}/leave`, {}],
    ['GET', `/v1/networks/${net.id}/rules`],
    ['POST', `/v1/networks/${net.id}/trial`],
    ['POST', `/v1/networks/${net.id}/pause`],
    ['POST', `/v1/networks/${net.id}/resume`],
    ['POST', `/v1/networks/${net.id}/dissolve`],
    [
      'POST',
      `/v1/networks/${net.id}/charter-versions`,
      { purpose: 'p', goals: [{ category: 'learning', description: 'd' }] },
    ],
    ['GET', `/v1/networks/${net.id}/charter`],
  ];
  for (const [method, url, payload] of routes) {
    const res = await api(app, b.auth).send(method as Method, url, payload || undefined, {
      headers: { 'if-match': '*' },
    });
    t.equal(res.statusCode, 404, `${method} ${url} from another tenant`);
  }
  const list = await api(app, b.auth).get('/v1/networks');
  t.same(list.json().data, []);

  const member = await memberToken(app, a.auth, l.id);
  t.equal((await api(app, member).get(`/v1/networks/${net.id}`)).statusCode, 200);
  t.equal(
    (await api(app, member).get(`/v1/networks/${otherNet.id}`)).statusCode,
    404,
    'a member of A gets 404 on B',
  );
  t.equal((await api(app, member).get(`/v1/networks/${otherNet.id}/charter`)).statusCode, 404);
  const mine = await api(app, member).get('/v1/networks');
  t.same(
    mine.json().data.map((n: { id: string }) => n.id),
    [net.id],
  );
  const view = (await api(app, member).get(`/v1/networks/${net.id}`)).json();
  t.notOk(
    'shareSignalsWithFacilitator' in view.members[0],
    'a member token reads no consent, not even its own (only the member’s own session does)',
  );
  t.same(
    view.members.map((m: Record<string, unknown>) => Object.keys(m).sort()),
    [['active', 'joinedAt', 'leaderId', 'leftAt', 'name', 'organisation', 'role']],
    'the member view',
  );
  t.equal((await api(app, member).post('/v1/networks', { name: 'x' })).statusCode, 403);
  t.equal((await api(app, member).get(`/v1/networks/${net.id}/rules`)).statusCode, 403);
  t.equal((await api(app, member).post(`/v1/networks/${net.id}/pause`)).statusCode, 403);
  t.equal(
    (await api(app, member).post(`/v1/networks/${net.id}/trial`)).statusCode,
    403,
    'only admin or the facilitator starts the trial',
  );
  const consent = await api(app, member).put(`/v1/networks/${net.id}/members/me/consent`, {
    shareSignalsWithFacilitator: true,
  });
  t.equal(consent.statusCode, 200);
  t.same(consent.json(), { leaderId: l.id, shareSignalsWithFacilitator: true });
  const consentOther = await api(app, member).put(`/v1/networks/${otherNet.id}/members/me/consent`, {
    shareSignalsWithFacilitator: true,
  });
  t.equal(consentOther.statusCode, 404);
  const consentAdmin = await api(app, a.auth).put(`/v1/networks/${net.id}/members/me/consent`, {
    shareSignalsWithFacilitator: true,
  });
  t.equal(consentAdmin.statusCode, 403);
  const adminView = (await api(app, a.auth).get(`/v1/networks/${net.id}`)).json();
  t.notOk('shareSignalsWithFacilitator' in adminView.members[0], 'the admin never reads a consent');
});

t.test('a refused write stores nothing: the network and its members are unchanged', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await network(auth, { size: { min: 4, max: 4 } });
  const boss = await createLeader(app, auth);
  const report = await createLeader(app, auth, { managerId: boss.id });
  await addMember(auth, net.id, boss.id);
  const before = (await api(app, auth).get(`/v1/networks/${net.id}`)).json();
  t.equal((await addMember(auth, net.id, report.id)).statusCode, 409);
  const unknown = await addMember(auth, net.id, '0190a5f4-3c1e-7a3b-9d2e-4f5a6b7c8d9e');
  t.equal(unknown.statusCode, 404, 'an unknown leader');
  t.equal((await api(app, auth).post(`/v1/networks/${net.id}/trial`)).statusCode, 409);
  const after = (await api(app, auth).get(`/v1/networks/${net.id}`)).json();
  t.same(after, before, 'same version, members and lifecycle');
  const noBody = await api(app, auth).post(`/v1/networks/${net.id}/members/${boss.id}/leave`);
  t.equal(noBody.statusCode, 200, 'leave without a body means now');
  const again = await api(app, auth).post(`/v1/networks/${net.id}/members/${boss.id}/leave`, {
    leftAt: '2000-01-01T00:00:00.000Z',
  });
  t.equal(again.statusCode, 404, 'no longer an active member');
});

t.test('a facilitator who leaves stops facilitating; only an active member can be named', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await network(auth);
  const [f, m, outsider] = [
    await createLeader(app, auth),
    await createLeader(app, auth),
    await createLeader(app, auth),
  ];
  for (const l of [f, m]) t.equal((await addMember(auth, net.id, l.id)).statusCode, 201);
  const etag = (await api(app, auth).get(`/v1/networks/${net.id}`)).headers.etag as string;
  const notMember = await api(app, auth).patch(
    `/v1/networks/${net.id}`,
    { facilitator: { kind: 'member', leaderId: outsider.id } },
    { headers: { 'if-match': etag } },
  );
  t.equal(notMember.statusCode, 400);
  t.same(
    notMember.json().issues.map((i: { path: string; code: string }) => [i.path, i.code]),
    [['facilitator.leaderId', 'invalid_reference']],
  );
  const named = await api(app, auth).patch(
    `/v1/networks/${net.id}`,
    { facilitator: { kind: 'member', leaderId: f.id } },
    { headers: { 'if-match': etag } },
  );
  t.equal(named.statusCode, 200);
  const token = await memberToken(app, auth, f.id);
  const charter = { purpose: 'Sparring', goals: [{ category: 'strategy', description: 'Strategi' }] };
  const propose = () => api(app, token).post(`/v1/networks/${net.id}/charter-versions`, charter);
  t.equal((await propose()).statusCode, 201, 'the facilitator proposes the charter');

  const left = await api(app, auth).post(`/v1/networks/${net.id}/members/${f.id}/leave`);
  t.equal(left.statusCode, 200);
  t.equal(left.json().facilitator, null, 'leaving clears the facilitator');
  t.equal((await propose()).statusCode, 403, 'a former facilitator may no longer act as one');
  t.equal((await api(app, token).post(`/v1/networks/${net.id}/trial`)).statusCode, 403);
});

t.test(
  'a member’s consent leaves the network’s ETag alone: the admin cannot tell that it changed',
  async (t) => {
    const { auth } = await ctx.tenant();
    const net = await network(auth);
    const l = await createLeader(app, auth);
    await addMember(auth, net.id, l.id);
    const before = await api(app, auth).get(`/v1/networks/${net.id}`);
    const consent = await api(app, await memberToken(app, auth, l.id)).put(
      `/v1/networks/${net.id}/members/me/consent`,
      { shareSignalsWithFacilitator: true },
    );
    t.equal(consent.statusCode, 200);
    const after = await api(app, auth).get(`/v1/networks/${net.id}`);
    t.equal(after.headers.etag, before.headers.etag);
    t.same(after.json(), before.json(), 'the admin’s read is the same, byte for byte');
    t.notOk('shareSignalsWithFacilitator' in after.json().members[0]);
  },
);

t.test('actions that take no body refuse one (no mass assignment): 400, nothing changes', async (t) => {
  const { auth } = await ctx.tenant();
  const net = await network(auth);
  for (const path of ['trial', 'pause', 'resume', 'dissolve']) {
    const res = await api(app, auth).post(`/v1/networks/${net.id}/${path}`, {
      status: 'active',
      tenantId: 'other',
    });
    t.equal(res.statusCode, 400, path);
    t.equal(res.json().code, 'validation_failed');
  }
  const read = (await api(app, auth).get(`/v1/networks/${net.id}`)).json();
  t.equal(read.status, 'forming');
  t.equal(read.version, net.version, 'nothing was written');
  const l = await createLeader(app, auth);
  await addMember(auth, net.id, l.id);
  const accept = await api(app, await memberToken(app, auth, l.id)).post(
    `/v1/networks/${net.id}/charter-versions/1/acceptances`,
    { memberId: 'someone-else' },
  );
  t.equal(accept.statusCode, 400);
  const dissolve = await api(app, auth).post(`/v1/networks/${net.id}/dissolve`);
  t.equal(dissolve.statusCode, 200, 'without a body the action runs');
});
