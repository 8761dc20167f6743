/**
 * Network.charterVersions as one batch per query: a constant number of statements whatever the
 * number of networks, each network's own page (first/after), the same entries as REST
 * `GET /v1/networks/{id}/charter-versions`, and the same access (a member token: only networks the
 * leader belongs or belonged to).
 */

import t from '@sparring/test-workers/tap';
import { listCharterVersionsPages } from '../src/networks/charter.service.js';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { createLeaders, memberToken } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

interface Entry {
  version: number;
  purpose: string;
  latest: boolean;
  inForce: boolean;
  adoptedAt: string;
  acceptedBy: { leaderId: string; acceptedAt: string }[];
}
interface Page {
  nodes: Entry[];
  nextCursor: string | null;
}
interface RestPage {
  data: Entry[];
  nextCursor: string | null;
}

const ENTRY = 'version purpose latest inForce adoptedAt acceptedBy { leaderId acceptedAt }';

function ok<R extends { statusCode: number; body: string }>(res: R, status: number): R {
  if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
  return res;
}

/**
 * A network with two members (with member tokens) and `versions` charter versions; the first
 * member accepts version 1, both accept the last (so the last is in force when there are two or
 * more), none accepts the ones between.
 */
async function network(auth: Auth, versions: number) {
  const net = ok(await api(app, auth).post('/v1/networks', { name: 'N' }), 201).json() as { id: string };
  const ids = await createLeaders(app, auth, 2);
  const tokens: Auth[] = [];
  for (const id of ids) {
    ok(await api(app, auth).post(`/v1/networks/${net.id}/members`, { leaderId: id }), 201);
    tokens.push(await memberToken(app, auth, id));
  }
  for (let v = 1; v <= versions; v++) {
    ok(
      await api(app, auth).post(`/v1/networks/${net.id}/charter-versions`, {
        purpose: `Udgave ${v} af ${net.id.slice(-4)}`,
        goals: [{ category: 'dilemma_sparring', description: 'Vende dilemmaer' }],
      }),
      201,
    );
    const accepting = v === 1 ? tokens.slice(0, 1) : v === versions ? tokens : [];
    for (const token of accepting)
      ok(await api(app, token).post(`/v1/networks/${net.id}/charter-versions/${v}/acceptances`), 201);
  }
  return { id: net.id, leaderIds: ids, tokens };
}

/** REST's page of a network's versions, each entry with the fields `ENTRY` selects. */
async function rest(auth: Auth, networkId: string, query = '') {
  const res = await api(app, auth).get(`/v1/networks/${networkId}/charter-versions${query}`);
  const body = res.json() as RestPage;
  const data = (body.data ?? []).map(({ version, purpose, latest, inForce, adoptedAt, acceptedBy }) => ({
    version,
    purpose,
    latest,
    inForce,
    adoptedAt,
    acceptedBy,
  }));
  return { status: res.statusCode, body: { data, nextCursor: body.nextCursor } };
}

t.test('Network.charterVersions: round trips do not grow with N', async (t) => {
  // Within the cost limit (graphql-armor): five networks of four versions.
  const query = `{ networks(first: 5) { nodes { id
    charterVersions(first: 4) { nodes { version latest inForce acceptedBy { leaderId } } nextCursor }
  } } }`;
  const cost = async (n: number) => {
    const { auth } = await ctx.tenant();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await network(auth, 2 + (i % 3))).id);
    await gql(app, auth, query); // warm-up: the operation's plan is cached from here on
    // The key lookup is cached for a second: start without it, so each count includes it.
    app.apiKeyCache.clear();
    const before = app.database.queries.count;
    const res = await gql(app, auth, query);
    const used = app.database.queries.count - before;
    t.notOk(res.body.errors, JSON.stringify(res.body.errors));
    const nodes = (res.body.data!.networks as { nodes: { id: string; charterVersions: Page }[] }).nodes;
    t.same(
      nodes.map((x) => [x.id, x.charterVersions.nodes.length]),
      ids.map((id, i) => [id, 2 + (i % 3)]),
      'every network lists its own versions',
    );
    return used;
  };
  const two = await cost(2);
  const five = await cost(5);
  t.equal(five, two, `round trips: ${two} for 2 networks, ${five} for 5`);
});

t.test('each network gets its own page, equal to REST', async (t) => {
  const { auth } = await ctx.tenant();
  const nets = [
    await network(auth, 0),
    await network(auth, 1),
    await network(auth, 3),
    await network(auth, 4),
  ];
  const all = await gql(
    app,
    auth,
    `{ networks(first: 20) { nodes { id
        all: charterVersions { nodes { ${ENTRY} } nextCursor }
        two: charterVersions(first: 2) { nodes { ${ENTRY} } nextCursor }
      } } }`,
  );
  t.notOk(all.body.errors, JSON.stringify(all.body.errors));
  const nodes = (all.body.data!.networks as { nodes: { id: string; all: Page; two: Page }[] }).nodes;
  t.same(
    nodes.map((x) => x.id),
    nets.map((n) => n.id),
  );
  for (const [i, node] of nodes.entries()) {
    const full = await rest(auth, node.id);
    t.same(
      node.all,
      { nodes: full.body.data, nextCursor: full.body.nextCursor },
      `network ${i}: every version`,
    );
    const two = await rest(auth, node.id, '?limit=2');
    t.same(node.two, { nodes: two.body.data, nextCursor: two.body.nextCursor }, `network ${i}: first 2`);
  }
  // What the pages hold, spelled out for the network with three versions.
  const three = nodes[2]!.all.nodes;
  const [m1, m2] = nets[2]!.leaderIds as [string, string];
  t.same(
    three.map((e) => [e.version, e.latest, e.inForce, e.acceptedBy.map((a) => a.leaderId).sort()]),
    [
      [1, false, false, [m1]],
      [2, false, false, []],
      [3, true, true, [m1, m2].sort()],
    ],
  );
  t.equal(three[0]!.purpose, `Udgave 1 af ${nets[2]!.id.slice(-4)}`);
  t.same(nodes[0]!.all, { nodes: [], nextCursor: null }, 'a network without a charter: an empty page');
  t.same(
    nodes[1]!.all.nodes.map((e) => [e.version, e.latest, e.inForce]),
    [[1, true, false]],
    'one version accepted by one of two members: latest, not in force',
  );
  t.equal(nodes[3]!.two.nextCursor, nodes[2]!.two.nextCursor, 'cursors name a version, not a network');

  // first/after per network, in one operation (one batch): each network its own page.
  const pages = await gql(
    app,
    auth,
    `query ($a: ID!, $b: ID!, $c: ID!, $after: String) {
      a: network(id: $a) { charterVersions(first: 1) { nodes { ${ENTRY} } nextCursor } }
      b: network(id: $b) { charterVersions(first: 1, after: $after) { nodes { ${ENTRY} } nextCursor } }
      c: network(id: $c) { charterVersions(first: 2, after: $after) { nodes { ${ENTRY} } nextCursor } }
    }`,
    { a: nets[2]!.id, b: nets[2]!.id, c: nets[3]!.id, after: nodes[2]!.two.nextCursor },
  );
  t.notOk(pages.body.errors, JSON.stringify(pages.body.errors));
  const data = pages.body.data as Record<'a' | 'b' | 'c', { charterVersions: Page }>;
  const expected = async (id: string, q: string) => {
    const r = await rest(auth, id, q);
    return { nodes: r.body.data, nextCursor: r.body.nextCursor };
  };
  const cursor = nodes[2]!.two.nextCursor!;
  t.same(data.a.charterVersions, await expected(nets[2]!.id, '?limit=1'));
  t.same(data.b.charterVersions, await expected(nets[2]!.id, `?limit=1&cursor=${cursor}`));
  t.same(data.c.charterVersions, await expected(nets[3]!.id, `?limit=2&cursor=${cursor}`));
  t.same(
    [data.a, data.b, data.c].map((x) => x.charterVersions.nodes.map((e) => e.version)),
    [[1], [3], [3, 4]],
  );
  t.same(
    [data.a, data.b, data.c].map((x) => x.charterVersions.nextCursor === null),
    [false, true, true],
  );

  const bad = await gql(
    app,
    auth,
    `{ networks { nodes { charterVersions(after: "nope") { nextCursor } } } }`,
  );
  t.equal(bad.body.errors?.[0]?.extensions.code, 'bad_request', 'a cursor we did not issue: 400, as before');
  const tooMany = await gql(app, auth, `{ networks { nodes { charterVersions(first: 0) { nextCursor } } } }`);
  t.equal(tooMany.body.errors?.[0]?.extensions.code, 'validation_failed');
});

t.test('a member token reads only the versions of networks the leader belongs or belonged to', async (t) => {
  const { auth, tenantId } = await ctx.tenant();
  const mine = await network(auth, 2);
  const other = await network(auth, 3);
  const [token] = mine.tokens as [Auth];
  const query = `{ networks { nodes { id charterVersions { nodes { ${ENTRY} } nextCursor } } } }`;
  const listed = await gql(app, token, query);
  t.notOk(listed.body.errors, JSON.stringify(listed.body.errors));
  const nodes = (listed.body.data!.networks as { nodes: { id: string; charterVersions: Page }[] }).nodes;
  t.same(
    nodes.map((x) => x.id),
    [mine.id],
  );
  const asRest = await rest(token, mine.id);
  t.same(nodes[0]!.charterVersions, { nodes: asRest.body.data, nextCursor: null }, 'as REST for the member');

  // Another network: not found, through GraphQL (no data) as through REST (404), as before.
  const one = `query ($id: ID!) { network(id: $id) { id charterVersions { nodes { version } } } }`;
  const hidden = await gql(app, token, one, { id: other.id });
  t.equal(hidden.body.data, null);
  t.same(
    hidden.body.errors?.map((e) => [e.extensions.code, e.path]),
    [['not_found', ['network']]],
  );
  t.equal((await rest(token, other.id)).status, 404);

  // A former member still reads every version (REST has no cutoff for charter versions).
  ok(await api(app, auth).delete(`/v1/networks/${mine.id}/members/${mine.leaderIds[0]}`), 200);
  const former = await gql(app, token, one, { id: mine.id });
  t.notOk(former.body.errors, JSON.stringify(former.body.errors));
  t.same(
    (former.body.data!.network as { charterVersions: Page }).charterVersions.nodes.map((e) => e.version),
    [1, 2],
  );
  t.equal((await rest(token, mine.id)).status, 200);

  // The batch itself: a network the member cannot see fails the whole batch with REST's 404, as
  // the loader did before (one rejected page rejected them all); their own network alone lists.
  const member = {
    kind: 'member',
    via: 'token',
    tenantId,
    leaderId: mine.leaderIds[0]!,
    tokenId: 'test',
  } as const;
  await t.rejects(
    listCharterVersionsPages(app.db, member, [
      { networkId: mine.id, limit: 50 },
      { networkId: other.id, limit: 50 },
    ]),
    { statusCode: 404, code: 'not_found' },
  );
  const own = await listCharterVersionsPages(app.db, member, [{ networkId: mine.id, limit: 1 }]);
  t.same(
    own.map((p) => p.items.map((e) => e.version)),
    [[1]],
  );
});
