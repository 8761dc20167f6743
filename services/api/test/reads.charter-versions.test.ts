import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { createLeaders, memberToken } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
const charter = (purpose: string) => ({
  purpose,
  goals: [{ category: 'dilemma_sparring', description: 'Vende dilemmaer' }],
  groundRules: [{ kind: 'custom', text: 'Telefoner væk' }],
});

/** A network with `n` members (each with a member token) and one outsider of the same tenant. */
async function setup(auth: Auth, n: number) {
  const net = (await api(app, auth).post('/v1/networks', { name: 'N' })).json();
  const ids = await createLeaders(app, auth, n + 1);
  const members: { id: string; token: Auth }[] = [];
  for (const id of ids.slice(0, n)) {
    const added = await api(app, auth).post(`/v1/networks/${net.id}/members`, { leaderId: id });
    if (added.statusCode !== 201) throw new Error(added.body);
    members.push({ id, token: await memberToken(app, auth, id) });
  }
  const outsider = await memberToken(app, auth, ids[n]!);
  return { networkId: net.id as string, members, outsider };
}

async function propose(auth: Auth, networkId: string, purpose: string) {
  const res = await api(app, auth).post(`/v1/networks/${networkId}/charter-versions`, charter(purpose));
  if (res.statusCode !== 201) throw new Error(res.body);
}

async function accept(networkId: string, version: number, token: Auth) {
  const res = await api(app, token).post(`/v1/networks/${networkId}/charter-versions/${version}/acceptances`);
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json() as { leaderId: string; acceptedAt: string };
}

interface Entry {
  version: number;
  purpose: string;
  latest: boolean;
  inForce: boolean;
  acceptedBy: { leaderId: string; acceptedAt: string }[];
}

t.test('GET /v1/networks/{id}/charter-versions pages in version order with acceptances', async (t) => {
  const { auth } = await ctx.tenant();
  const { networkId, members } = await setup(auth, 2);
  const [m1, m2] = members as [(typeof members)[0], (typeof members)[0]];
  const empty = await api(app, auth).get(`/v1/networks/${networkId}/charter-versions`);
  t.same(empty.json(), { data: [], nextCursor: null });

  await propose(auth, networkId, 'Første udgave');
  const a1 = await accept(networkId, 1, m1.token);
  const a2 = await accept(networkId, 1, m2.token);
  await propose(auth, networkId, 'Anden udgave');
  await propose(auth, networkId, 'Tredje udgave');
  const a3 = await accept(networkId, 3, m1.token);

  const first = await api(app, auth).get(`/v1/networks/${networkId}/charter-versions?limit=2`);
  t.equal(first.statusCode, 200);
  const page1 = first.json() as { data: Entry[]; nextCursor: string };
  t.same(
    page1.data.map((v) => [v.version, v.purpose, v.latest, v.inForce]),
    [
      [1, 'Første udgave', false, false],
      [2, 'Anden udgave', false, false],
    ],
  );
  t.same(
    page1.data[0]!.acceptedBy,
    [a1, a2].map(({ leaderId, acceptedAt }) => ({ leaderId, acceptedAt })),
    'an older version keeps the acceptances it got',
  );
  t.same(page1.data[1]!.acceptedBy, []);
  t.type(page1.nextCursor, 'string');

  const second = await api(app, auth).get(
    `/v1/networks/${networkId}/charter-versions?limit=2&cursor=${page1.nextCursor}`,
  );
  const page2 = second.json() as { data: Entry[]; nextCursor: string | null };
  t.same(
    page2.data.map((v) => [v.version, v.latest, v.inForce]),
    [[3, true, false]],
  );
  t.same(page2.data[0]!.acceptedBy, [{ leaderId: a3.leaderId, acceptedAt: a3.acceptedAt }]);
  t.equal(page2.nextCursor, null);

  // The latest entry is what GET /charter shows, in the same shape.
  const current = (await api(app, auth).get(`/v1/networks/${networkId}/charter`)).json();
  const { latest: _l, inForce, acceptedBy, ...version } = page2.data[0]!;
  t.same(version, current.charter);
  t.equal(inForce, current.inForce);
  t.same(acceptedBy, current.acceptedBy);

  await accept(networkId, 3, m2.token);
  const inForceNow = (
    await api(app, auth).get(`/v1/networks/${networkId}/charter-versions?limit=1&cursor=${page1.nextCursor}`)
  ).json() as { data: Entry[] };
  t.equal(inForceNow.data[0]!.inForce, true, 'in force once every active member accepted the latest');

  const badCursor = await api(app, auth).get(
    `/v1/networks/${networkId}/charter-versions?cursor=${Buffer.from('v0').toString('base64url')}`,
  );
  t.equal(badCursor.statusCode, 400);
});

t.test(
  'who may read: as GET /charter — admin, members; 404 for outsiders, other tenants, unknown ids',
  async (t) => {
    const a = await ctx.tenant();
    const b = await ctx.tenant();
    const { networkId, members, outsider } = await setup(a.auth, 1);
    await propose(a.auth, networkId, 'Første udgave');
    const url = `/v1/networks/${networkId}/charter-versions`;

    const asMember = await api(app, members[0]!.token).get(url);
    t.equal(asMember.statusCode, 200, 'a member reads the versions, as they read the charter');
    t.equal(asMember.json().data.length, 1);
    for (const [who, headers] of [
      ['a leader outside the network', outsider],
      ['another tenant', b.auth],
    ] as const) {
      const list = await api(app, headers).get(url);
      const charterRead = await api(app, headers).get(`/v1/networks/${networkId}/charter`);
      t.equal(list.statusCode, 404, `${who}: 404`);
      t.equal(charterRead.statusCode, list.statusCode, `${who}: the same answer as GET /charter`);
    }
    const unknown = await api(app, a.auth).get(
      '/v1/networks/0190a5f4-4a00-7b3c-8d4e-5f6a7b8c9d0e/charter-versions',
    );
    t.equal(unknown.statusCode, 404);
    t.equal(unknown.json().status, 404);
  },
);

t.test('GraphQL Network.charterVersions(first, after)', async (t) => {
  const { auth } = await ctx.tenant();
  const { networkId, members } = await setup(auth, 1);
  for (const purpose of ['Første', 'Anden', 'Tredje']) await propose(auth, networkId, purpose);
  const accepted = await accept(networkId, 3, members[0]!.token);
  const query = `query ($id: ID!, $after: String) {
    network(id: $id) {
      charterVersions(first: 2, after: $after) {
        nodes { version purpose latest inForce adoptedAt groundRules { kind } acceptedBy { leaderId acceptedAt } }
        nextCursor
      }
    }
  }`;
  type Page = { nodes: (Entry & { groundRules: { kind: string }[] })[]; nextCursor: string | null };
  const first = await gql(app, auth, query, { id: networkId });
  const page1 = (first.body.data!.network as { charterVersions: Page }).charterVersions;
  t.same(
    page1.nodes.map((n) => [n.version, n.purpose, n.latest]),
    [
      [1, 'Første', false],
      [2, 'Anden', false],
    ],
  );
  t.same(
    page1.nodes[0]!.groundRules.map((r) => r.kind),
    ['confidentiality', 'cancellation_notice', 'custom'],
  );
  const second = await gql(app, members[0]!.token, query, { id: networkId, after: page1.nextCursor });
  const page2 = (second.body.data!.network as { charterVersions: Page }).charterVersions;
  t.same(
    page2.nodes.map((n) => [n.version, n.latest, n.inForce]),
    [[3, true, true]],
    'a member token reads them too; the sole member accepted the latest',
  );
  t.same(page2.nodes[0]!.acceptedBy, [{ leaderId: accepted.leaderId, acceptedAt: accepted.acceptedAt }]);
  t.equal(page2.nextCursor, null);
});
