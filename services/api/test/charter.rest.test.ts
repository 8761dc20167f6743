import { parseMeetingModel } from '@sparring/domain';
import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const charter = {
  purpose: 'Sparring om ledelse',
  goals: [
    { category: 'dilemma_sparring', description: 'Vende dilemmaer' },
    { category: 'social', description: 'Hygge' },
  ],
  groundRules: [{ kind: 'custom', text: 'Telefoner væk' }],
};

async function setup(auth: Auth, memberCount: number, body: Record<string, unknown> = {}) {
  const net = (await api(app, auth).post('/v1/networks', { name: 'N', ...body })).json();
  const members: { id: string; token: Auth }[] = [];
  for (let i = 0; i < memberCount; i++) {
    const l = (await api(app, auth).post('/v1/leaders', leaderBody())).json();
    const added = await api(app, auth).post(`/v1/networks/${net.id}/members`, { leaderId: l.id });
    if (added.statusCode !== 201) throw new Error(added.body);
    const token = (await api(app, auth).post(`/v1/leaders/${l.id}/member-tokens`, { ttlSeconds: 600 })).json()
      .token;
    members.push({ id: l.id, token: { authorization: `Bearer ${token}` } });
  }
  return { net, members };
}

const accept = (networkId: string, version: number, token: Auth) =>
  api(app, token).post(`/v1/networks/${networkId}/charter-versions/${version}/acceptances`);

t.test('propose, read, accept: in force only when every active member has accepted', async (t) => {
  const { auth } = await ctx.tenant();
  const { net, members } = await setup(auth, 3);
  const empty = await api(app, auth).get(`/v1/networks/${net.id}/charter`);
  t.same(empty.json(), { version: null, inForce: false, charter: null, acceptedBy: [] });

  const bad = await api(app, auth).post(`/v1/networks/${net.id}/charter-versions`, {
    purpose: 'Hygge',
    goals: [{ category: 'social', description: 'Kun hygge' }],
  });
  t.equal(bad.statusCode, 400, 'the purpose must be more than social');
  t.equal(bad.json().issues[0].path, 'goals');

  const proposed = await api(app, auth).post(`/v1/networks/${net.id}/charter-versions`, charter);
  t.equal(proposed.statusCode, 201);
  t.equal(proposed.json().version, 1);
  t.same(
    proposed.json().groundRules.map((r: { kind: string }) => r.kind),
    ['confidentiality', 'cancellation_notice', 'custom'],
    'confidentiality is always there, and the 48 h notice by default',
  );

  const [m1, m2, m3] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
  const first = await accept(net.id, 1, m1.token);
  t.equal(first.statusCode, 201);
  t.equal(first.json().leaderId, m1.id);
  const repeat = await accept(net.id, 1, m1.token);
  t.equal(repeat.statusCode, 200, 'accepting again is idempotent');
  t.equal(repeat.json().acceptedAt, first.json().acceptedAt);

  const adminAccepts = await accept(net.id, 1, auth);
  t.equal(adminAccepts.statusCode, 403, 'an admin cannot accept for a member');
  const unknown = await accept(net.id, 9, m2.token);
  t.equal(unknown.statusCode, 404);

  const partial = (await api(app, m2.token).get(`/v1/networks/${net.id}/charter`)).json();
  t.equal(partial.inForce, false);
  t.same(
    partial.acceptedBy.map((a: { leaderId: string }) => a.leaderId),
    [m1.id],
  );
  t.notOk('awaitingAcceptance' in partial, 'never why anyone has not');

  await accept(net.id, 1, m2.token);
  // m3 leaves: their acceptance is no longer needed.
  await api(app, auth).delete(`/v1/networks/${net.id}/members/${m3.id}`);
  const inForce = (await api(app, auth).get(`/v1/networks/${net.id}/charter`)).json();
  t.equal(inForce.inForce, true);
  const formerTries = await accept(net.id, 1, m3.token);
  t.equal(formerTries.statusCode, 403);
  t.equal(formerTries.json().code, 'not_an_active_member');

  const v2 = await api(app, auth).post(`/v1/networks/${net.id}/charter-versions`, {
    ...charter,
    purpose: 'Ny version',
  });
  t.equal(v2.json().version, 2);
  const again = (await api(app, auth).get(`/v1/networks/${net.id}/charter`)).json();
  t.equal(again.version, 2);
  t.equal(again.inForce, false, 'a new version needs acceptance again');
  t.same(again.acceptedBy, []);
  const outdated = await accept(net.id, 1, m1.token);
  t.equal(outdated.statusCode, 409);
  t.equal(outdated.json().code, 'not_the_latest_version');
  t.ok(outdated.json().message.da);
});

t.test('facilitator may propose; other members may not; tenant and network isolation', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const { net, members } = await setup(a.auth, 2);
  const [fac, other] = members as [(typeof members)[0], (typeof members)[0]];
  const patched = await api(app, a.auth).patch(
    `/v1/networks/${net.id}`,
    { facilitator: { kind: 'member', leaderId: fac.id } },
    { headers: { 'if-match': '*' } },
  );
  t.equal(patched.statusCode, 200);
  const byOther = await api(app, other.token).post(`/v1/networks/${net.id}/charter-versions`, charter);
  t.equal(byOther.statusCode, 403);
  const byFac = await api(app, fac.token).post(`/v1/networks/${net.id}/charter-versions`, charter);
  t.equal(byFac.statusCode, 201);

  const { net: net2 } = await setup(a.auth, 1);
  t.equal((await accept(net2.id, 1, fac.token)).statusCode, 404, 'not a member of that network');
  const foreign = await accept(net.id, 1, (await setup(b.auth, 1)).members[0]!.token);
  t.equal(foreign.statusCode, 404, "another tenant's member token");
  t.equal(
    (await api(app, b.auth).post(`/v1/networks/${net.id}/charter-versions/1/acceptances`)).statusCode,
    403,
    'an admin key is refused before the id is looked at (member route)',
  );
});

t.test('start trial: refused with the domain reasons, then started; pause, resume, dissolve', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const { net, members } = await setup(auth, 3, { size: { min: 4, max: 6 } });
  const start = () => api(app, auth).post(`/v1/networks/${net.id}/trial`);

  let res = await start();
  t.equal(res.statusCode, 409);
  t.equal(res.json().code, 'lifecycle_refused');
  t.equal(res.json().reason, 'too_few_members');

  const l = (await api(app, auth).post('/v1/leaders', leaderBody())).json();
  await api(app, auth).post(`/v1/networks/${net.id}/members`, { leaderId: l.id });
  const lToken = {
    authorization: `Bearer ${
      (await api(app, auth).post(`/v1/leaders/${l.id}/member-tokens`, { ttlSeconds: 600 })).json().token
    }`,
  };
  res = await start();
  t.equal(res.json().reason, 'charter_not_in_force');

  await api(app, auth).post(`/v1/networks/${net.id}/charter-versions`, charter);
  for (const m of [...members.map((x) => x.token), lToken])
    t.equal((await accept(net.id, 1, m)).statusCode, 201);
  res = await start();
  t.equal(res.json().reason, 'no_meeting_model');

  const model = parseMeetingModel({
    cadenceMonths: 1,
    timeSlot: 'weekday_daytime',
    venue: { kind: 'online', link: 'https://meet.example.dk/n' },
    startDate: '2027-01-04',
  });
  t.ok(model.ok, 'a valid meeting model');
  await app.db
    .insertInto('meeting_model_versions')
    .values({
      tenant_id: tenantId,
      network_id: net.id,
      version: 1,
      model: JSON.stringify(model.ok ? model.value : {}),
    })
    .execute();
  res = await start();
  t.equal(res.statusCode, 200);
  t.equal(res.json().status, 'trial');
  t.equal(res.json().lifecycle.heldInTrial, 0);
  t.equal(res.json().lifecycle.trialLength, 3);
  t.equal(res.json().lifecycle.history[0].event, 'start_trial');
  t.equal(res.headers.etag, `"${res.json().version}"`);

  res = await start();
  t.equal(res.json().reason, 'already_started');

  const post = (path: string) => api(app, auth).post(`/v1/networks/${net.id}/${path}`);
  t.equal((await post('resume')).json().reason, 'not_paused');
  res = await post('pause');
  t.equal(res.json().status, 'paused');
  t.equal(res.json().lifecycle.resumeTo, 'trial');
  res = await post('resume');
  t.equal(res.json().status, 'trial');
  res = await post('dissolve');
  t.equal(res.json().status, 'dissolved');
  t.equal((await post('dissolve')).json().reason, 'network_dissolved');
  const list = await api(app, auth).get('/v1/networks?status=dissolved');
  t.same(
    list.json().data.map((n: { id: string }) => n.id),
    [net.id],
  );
  const closed = await api(app, auth).post(`/v1/networks/${net.id}/members`, {
    leaderId: (await api(app, auth).post('/v1/leaders', leaderBody())).json().id,
  });
  t.equal(closed.statusCode, 409, 'no new members in a dissolved network');
});
