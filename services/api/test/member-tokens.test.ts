import t from 'tap';
import { buildTestApp, gql } from './helpers/build.js';
import { leaderBody } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

t.test('an admin mints a member token; the leader acts as themselves only; revocation ends it', async (t) => {
  const { auth } = await ctx.tenant();
  const leader = (
    await app.inject({ method: 'POST', url: '/v1/leaders', headers: auth, payload: leaderBody() })
  ).json();
  const minted = await app.inject({
    method: 'POST',
    url: `/v1/leaders/${leader.id}/member-tokens`,
    headers: auth,
    payload: { ttlSeconds: 600 },
  });
  t.equal(minted.statusCode, 201);
  const { token, id, expiresAt } = minted.json();
  t.match(token, /^mt_/);
  const ttl = new Date(expiresAt).getTime() - Date.now();
  t.ok(ttl > 500_000 && ttl <= 600_000, 'expires after the requested lifetime');
  const member = { authorization: `Bearer ${token}` };

  const me = await app.inject({ url: '/v1/me', headers: member });
  t.equal(me.statusCode, 200);
  t.equal(me.json().id, leader.id);
  t.notOk('exclusions' in me.json(), 'the private exclusion list is for admins only');

  const adminOnly = await app.inject({ url: '/v1/leaders', headers: member });
  t.equal(adminOnly.statusCode, 403, 'a member token cannot use admin routes');
  t.equal(adminOnly.json().code, 'forbidden');
  const adminMe = await app.inject({ url: '/v1/me', headers: auth });
  t.equal(adminMe.statusCode, 403, '/v1/me is for member tokens');

  const revoked = await app.inject({ method: 'DELETE', url: `/v1/member-tokens/${id}`, headers: auth });
  t.equal(revoked.statusCode, 204);
  const after = await app.inject({ url: '/v1/me', headers: member });
  t.equal(after.statusCode, 401, 'a revoked token no longer authenticates');
  const twice = await app.inject({ method: 'DELETE', url: `/v1/member-tokens/${id}`, headers: auth });
  t.equal(twice.statusCode, 404);
});

t.test('tokens: bounds on lifetime, tenant isolation, expiry', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const leader = (
    await app.inject({ method: 'POST', url: '/v1/leaders', headers: a.auth, payload: leaderBody() })
  ).json();
  const tooLong = await app.inject({
    method: 'POST',
    url: `/v1/leaders/${leader.id}/member-tokens`,
    headers: a.auth,
    payload: { ttlSeconds: 10_000_000 },
  });
  t.equal(tooLong.statusCode, 400);
  const foreign = await app.inject({
    method: 'POST',
    url: `/v1/leaders/${leader.id}/member-tokens`,
    headers: b.auth,
    payload: {},
  });
  t.equal(foreign.statusCode, 404, 'another tenant cannot mint for this leader');
  const minted = (
    await app.inject({
      method: 'POST',
      url: `/v1/leaders/${leader.id}/member-tokens`,
      headers: a.auth,
      payload: {},
    })
  ).json();
  const revokeForeign = await app.inject({
    method: 'DELETE',
    url: `/v1/member-tokens/${minted.id}`,
    headers: b.auth,
  });
  t.equal(revokeForeign.statusCode, 404, 'another tenant cannot revoke it');
  await app.db
    .updateTable('member_tokens')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('id', '=', minted.id)
    .execute();
  const expired = await app.inject({ url: '/v1/me', headers: { authorization: `Bearer ${minted.token}` } });
  t.equal(expired.statusCode, 401, 'an expired token no longer authenticates');
});

t.test('GraphQL: mint, use (me) and revoke a member token, with the same rules as REST', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const create = async (auth: { authorization: string }) =>
    (
      await app.inject({ method: 'POST', url: '/v1/leaders', headers: auth, payload: leaderBody() })
    ).json() as {
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
  const after = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: member,
    payload: { query: '{ me { id } }' },
  });
  t.equal(after.statusCode, 401, 'a revoked token no longer works');
  t.equal(
    codeOf(await gql(app, a.auth, REVOKE, { id: token.id })),
    'not_found',
    'revoking twice: nothing live',
  );
});
