import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

t.test('an admin mints a member token; the leader acts as themselves only; revocation ends it', async (t) => {
  const { auth } = await ctx.tenant();
  const leader = (await api(app, auth).post('/v1/leaders', leaderBody())).json();
  const minted = await api(app, auth).post(`/v1/leaders/${leader.id}/member-tokens`, { ttlSeconds: 600 });
  t.equal(minted.statusCode, 201);
  const { token, id, expiresAt } = minted.json();
  t.match(token, /^mt_/);
  const ttl = new Date(expiresAt).getTime() - Date.now();
  t.ok(ttl > 500_000 && ttl <= 600_000, 'expires after the requested lifetime');
  const member = { authorization: `Bearer ${token}` };

  const me = await api(app, member).get('/v1/me');
  t.equal(me.statusCode, 200);
  t.equal(me.json().id, leader.id);
  t.notOk('exclusions' in me.json(), 'the private exclusion list is for admins only');

  const adminOnly = await api(app, member).get('/v1/leaders');
  t.equal(adminOnly.statusCode, 403, 'a member token cannot use admin routes');
  t.equal(adminOnly.json().code, 'forbidden');
  const adminMe = await api(app, auth).get('/v1/me');
  t.equal(adminMe.statusCode, 403, '/v1/me is for member tokens');

  const revoked = await api(app, auth).delete(`/v1/member-tokens/${id}`);
  t.equal(revoked.statusCode, 204);
  const after = await api(app, member).get('/v1/me');
  t.equal(after.statusCode, 401, 'a revoked token no longer authenticates');
  const twice = await api(app, auth).delete(`/v1/member-tokens/${id}`);
  t.equal(twice.statusCode, 404);
});

t.test('tokens: bounds on lifetime, tenant isolation, expiry', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const leader = (await api(app, a.auth).post('/v1/leaders', leaderBody())).json();
  const tooLong = await api(app, a.auth).post(`/v1/leaders/${leader.id}/member-tokens`, {
    ttlSeconds: 10_000_000,
  });
  t.equal(tooLong.statusCode, 400);
  const foreign = await api(app, b.auth).post(`/v1/leaders/${leader.id}/member-tokens`, {});
  t.equal(foreign.statusCode, 404, 'another tenant cannot mint for this leader');
  const minted = (await api(app, a.auth).post(`/v1/leaders/${leader.id}/member-tokens`, {})).json();
  const revokeForeign = await api(app, b.auth).delete(`/v1/member-tokens/${minted.id}`);
  t.equal(revokeForeign.statusCode, 404, 'another tenant cannot revoke it');
  await app.db
    .updateTable('member_tokens')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('id', '=', minted.id)
    .execute();
  const expired = await api(app, { authorization: `Bearer ${minted.token}` }).get('/v1/me');
  t.equal(expired.statusCode, 401, 'an expired token no longer authenticates');
});

t.test('GraphQL: mint, use (me) and revoke a member token, with the same rules as REST', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const create = async (auth: { authorization: string }) =>
    (await api(app, auth).post('/v1/leaders', leaderBody())).json() as {
      id: string;
      name: string;
    };
  const leader = await create(a.auth);
  const foreign = await create(b.auth);
  const MINT =
    'mutation($l: ID!, $ttl: Int) { mintMemberToken(leaderId: $l, ttlSeconds: $ttl) { id leaderId token expiresAt } }';
  const minted = await gql(app, a.auth, MINT, { l: leader.id, ttl: 600 });
  const token = minted.body.data!.mintMemberToken as {
    id: string;
    leaderId: string;
    token: string;
    expiresAt: string;
  };
  t.equal(token.leaderId, leader.id);
  t.match(token.token, /^mt_/);
  const ttl = Date.parse(token.expiresAt) - Date.now();
  t.ok(ttl > 500_000 && ttl <= 600_000, 'expires after the asked ten minutes');
  const member = { authorization: `Bearer ${token.token}` };
  const me = await gql(app, member, '{ me { id name exclusions } }');
  t.same(me.body.data!.me, { id: leader.id, name: leader.name, exclusions: null });

  const codeOf = (r: Awaited<ReturnType<typeof gql>>) => r.body.errors?.[0]?.extensions.code;
  t.equal(codeOf(await gql(app, a.auth, MINT, { l: foreign.id })), 'not_found', "another tenant's leader");
  t.equal(
    codeOf(await gql(app, a.auth, MINT, { l: leader.id, ttl: 10 })),
    'validation_failed',
    'ttl too short',
  );
  t.equal(codeOf(await gql(app, member, MINT, { l: leader.id })), 'forbidden', 'a member cannot mint');
  t.equal(codeOf(await gql(app, a.auth, '{ me { id } }')), 'forbidden', 'an admin key has no "me"');
  const REVOKE = 'mutation($id: ID!) { revokeMemberToken(id: $id) }';
  t.equal(
    codeOf(await gql(app, b.auth, REVOKE, { id: token.id })),
    'not_found',
    'another tenant cannot revoke it',
  );
  t.same((await gql(app, a.auth, REVOKE, { id: token.id })).body.data, { revokeMemberToken: true });
  const after = await api(app, member).post('/graphql', { query: '{ me { id } }' });
  t.equal(after.statusCode, 401, 'a revoked token no longer works');
  t.equal(
    codeOf(await gql(app, a.auth, REVOKE, { id: token.id })),
    'not_found',
    'revoking twice: nothing live',
  );
});
