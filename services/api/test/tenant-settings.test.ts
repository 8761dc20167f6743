import t from '@sparring/test-workers/tap';
import { signalsForCaller } from '../src/evaluations/health.service.js';
import { createMemberSession } from '../src/members/member-session.service.js';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { memberToken, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

t.test('the tenant policy is set by its admin key and decides what a facilitator sees', async (t) => {
  const { tenantId, auth } = await ctx.tenant('Acme HR');
  const other = await ctx.tenant('Other HR');
  const read = await api(app, auth).get('/v1/tenant');
  t.equal(read.statusCode, 200);
  t.same(
    read.json(),
    { tenantId, name: 'Acme HR', facilitatorSeesMemberSignals: false, frameAncestors: [], corsOrigins: [] },
    'off by default; no origin may frame the member pages',
  );

  // Member 0 is at risk of withdrawing (low benefit); member 2 facilitates; member 0 consents.
  const s = await seedNetwork(app, tenantId, auth, {
    members: 6,
    held: 2,
    answers: (i) => ({
      benefit: i === 0 ? 1 : 4,
      energy: 4,
      purposeFit: 4,
      relations: 4,
      giveGet: i === 0 ? -2 : 0,
    }),
    facilitator: 2,
  });
  await api(app, s.tokens[0]!).put(`/v1/networks/${s.networkId}/members/me/consent`, {
    shareSignalsWithFacilitator: true,
  });
  // Other members' signals the facilitator sees (their own are always theirs), in the facilitator's
  // own session: a minted token sees only what the admin sees (network signals).
  const { session } = await createMemberSession(app.db, tenantId, s.leaderIds[2]!, new Date());
  const othersOf = (signals: { audience: { kind: string; memberId?: string } }[]) =>
    signals
      .filter((x) => x.audience.kind === 'member' && x.audience.memberId !== s.leaderIds[2])
      .map((x) => x.audience.memberId);
  const facilitatorSees = async () =>
    othersOf(await signalsForCaller(app.db, session, s.networkId, new Date()));
  const facilitatorTokenSees = async () =>
    othersOf((await api(app, s.tokens[2]!).get(`/v1/networks/${s.networkId}/signals`)).json().data);
  t.same(await facilitatorSees(), [], 'without the policy the facilitator sees no member signal');

  const on = await api(app, auth).patch('/v1/tenant', { facilitatorSeesMemberSignals: true });
  t.equal(on.statusCode, 200);
  t.equal(on.json().facilitatorSeesMemberSignals, true);
  t.same(await facilitatorSees(), [s.leaderIds[0]], 'policy and consent: the facilitator sees it');
  t.same(await facilitatorTokenSees(), [], "… in their own session; the facilitator's minted token does not");
  t.equal(
    (await api(app, other.auth).get('/v1/tenant')).json().facilitatorSeesMemberSignals,
    false,
    "another tenant's policy is its own",
  );

  const member = await memberToken(app, auth, s.leaderIds[1]!);
  t.equal((await api(app, member).get('/v1/tenant')).statusCode, 403, 'members cannot read it');
  const bad = await api(app, auth).patch('/v1/tenant', { name: 'x' });
  t.equal(bad.statusCode, 400, 'unknown properties are refused');
  const notBool = await api(app, auth).patch('/v1/tenant', { facilitatorSeesMemberSignals: 'yes' });
  t.equal(notBool.statusCode, 400);
  t.equal((await api(app).get('/v1/tenant')).statusCode, 401);
});

t.test('GraphQL: the same settings and policy', async (t) => {
  const { tenantId, auth } = await ctx.tenant('Graph HR');
  const read = await gql(app, auth, '{ tenantSettings { tenantId name facilitatorSeesMemberSignals } }');
  t.same(read.body.data!.tenantSettings, { tenantId, name: 'Graph HR', facilitatorSeesMemberSignals: false });
  const set = await gql(
    app,
    auth,
    'mutation($i: TenantSettingsInput!) { updateTenantSettings(input: $i) { facilitatorSeesMemberSignals } }',
    { i: { facilitatorSeesMemberSignals: true } },
  );
  t.same(set.body.data!.updateTenantSettings, { facilitatorSeesMemberSignals: true });
  t.equal((await api(app, auth).get('/v1/tenant')).json().facilitatorSeesMemberSignals, true);
  const s = await seedNetwork(app, tenantId, auth, { members: 6 });
  const asMember = await gql(app, s.tokens[0]!, '{ tenantSettings { name } }');
  t.equal(asMember.body.errors![0]!.extensions.code, 'forbidden');
});
