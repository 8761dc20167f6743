import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { createLeaders } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

/** Mints a token for the leader; the whole 201 body (the clear-text token included). */
async function mint(auth: Auth, leaderId: string, ttlSeconds = 600) {
  const res = await api(app, auth).post(`/v1/leaders/${leaderId}/member-tokens`, { ttlSeconds });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json() as { id: string; token: string; expiresAt: string };
}

t.test('GET /v1/leaders/{id}/member-tokens pages newest first and never shows a token', async (t) => {
  const { auth, tenantId } = await ctx.tenant();
  const [leader, other] = await createLeaders(app, auth, 2);
  const minted = [];
  for (let i = 0; i < 3; i++) minted.push(await mint(auth, leader!));
  await mint(auth, other!);
  // One revoked, one expired (its expiry moved into the past), one live.
  const revoked = await api(app, auth).delete(`/v1/member-tokens/${minted[0]!.id}`);
  t.equal(revoked.statusCode, 204);
  await app.db
    .updateTable('member_tokens')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', minted[1]!.id)
    .execute();

  const first = await api(app, auth).get(`/v1/leaders/${leader}/member-tokens?limit=2`);
  t.equal(first.statusCode, 200);
  const page1 = first.json();
  t.same(
    page1.data.map((x: { id: string; status: string }) => [x.id, x.status]),
    [
      [minted[2]!.id, 'live'],
      [minted[1]!.id, 'expired'],
    ],
  );
  t.same(Object.keys(page1.data[0]).sort(), [
    'createdAt',
    'expiresAt',
    'id',
    'leaderId',
    'revokedAt',
    'status',
  ]);
  t.equal(page1.data[0].expiresAt, minted[2]!.expiresAt);
  t.equal(page1.data[0].revokedAt, null);
  t.type(page1.nextCursor, 'string');

  const second = await api(app, auth).get(
    `/v1/leaders/${leader}/member-tokens?limit=2&cursor=${page1.nextCursor}`,
  );
  const page2 = second.json();
  t.same(
    page2.data.map((x: { id: string; status: string }) => [x.id, x.status]),
    [[minted[0]!.id, 'revoked']],
  );
  t.type(page2.data[0].revokedAt, 'string');
  t.equal(page2.nextCursor, null, "the other leader's token is not in this leader's list");

  const bodies = first.body + second.body;
  const { token_hash: hash } = await app.db
    .selectFrom('member_tokens')
    .select('token_hash')
    .where('id', '=', minted[2]!.id)
    .executeTakeFirstOrThrow();
  for (const m of minted) t.notOk(bodies.includes(m.token), 'the token itself is never listed');
  t.notOk(bodies.includes(hash), 'nor its hash');
  t.notOk(bodies.includes('mt_'), 'nothing that looks like a token');
});

t.test('admin only, 404 for an unknown leader or one of another tenant', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const [leader] = await createLeaders(app, a.auth, 1);
  const { token } = await mint(a.auth, leader!);
  const member = { authorization: `Bearer ${token}` };

  const asMember = await api(app, member).get(`/v1/leaders/${leader}/member-tokens`);
  t.equal(asMember.statusCode, 403, 'a member token cannot list tokens, not even its own');
  const gqlMember = await gql(app, member, `{ memberTokens(leaderId: "${leader}") { nodes { id } } }`);
  t.equal(gqlMember.body.errors?.[0]?.extensions.code, 'forbidden');

  const otherTenant = await api(app, b.auth).get(`/v1/leaders/${leader}/member-tokens`);
  t.equal(otherTenant.statusCode, 404);
  const unknown = await api(app, a.auth).get(
    '/v1/leaders/0190a5f4-4a00-7b3c-8d4e-5f6a7b8c9d0e/member-tokens',
  );
  t.equal(unknown.statusCode, 404);
  const notAnId = await api(app, a.auth).get('/v1/leaders/nope/member-tokens');
  t.equal(notAnId.statusCode, 400);
  const badCursor = await api(app, a.auth).get(`/v1/leaders/${leader}/member-tokens?cursor=eHl6`);
  t.equal(badCursor.statusCode, 400);
});

t.test('GraphQL memberTokens(leaderId, first, after) pages like REST', async (t) => {
  const { auth } = await ctx.tenant();
  const [leader] = await createLeaders(app, auth, 1);
  const minted = [await mint(auth, leader!), await mint(auth, leader!), await mint(auth, leader!)];
  const query = `query ($leaderId: ID!, $after: String) {
    memberTokens(leaderId: $leaderId, first: 2, after: $after) {
      nodes { id leaderId createdAt expiresAt revokedAt status }
      nextCursor
    }
  }`;
  type Page = { nodes: { id: string; status: string; leaderId: string }[]; nextCursor: string | null };
  const first = await gql(app, auth, query, { leaderId: leader });
  const page1 = first.body.data!.memberTokens as Page;
  t.same(
    page1.nodes.map((n) => n.id),
    [minted[2]!.id, minted[1]!.id],
  );
  t.equal(page1.nodes[0]!.status, 'live');
  t.equal(page1.nodes[0]!.leaderId, leader);
  const second = await gql(app, auth, query, { leaderId: leader, after: page1.nextCursor });
  const page2 = second.body.data!.memberTokens as Page;
  t.same(
    page2.nodes.map((n) => n.id),
    [minted[0]!.id],
  );
  t.equal(page2.nextCursor, null);

  const withToken = await gql(app, auth, `{ memberTokens(leaderId: "${leader}") { nodes { token } } }`);
  t.equal(withToken.status, 400, 'the listed type has no token field to ask for');
  const unknown = await gql(
    app,
    auth,
    '{ memberTokens(leaderId: "0190a5f4-4a00-7b3c-8d4e-5f6a7b8c9d0e") { nodes { id } } }',
  );
  t.equal(unknown.body.errors?.[0]?.extensions.code, 'not_found');
});
