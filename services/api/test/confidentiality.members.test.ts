/**
 * The confidential room between members and against the HR platform (docs/confidentiality.md):
 * - one member view of a network, the same on REST and GraphQL, for every caller: fellow members
 *   see name, organisation and role, nothing else of a profile, and no one outside their networks;
 * - the admin key reads no private data: exclusions are write-only, consents are not shown;
 * - a former member reads what happened while they were a member, nothing after, and cannot act.
 */

import t from '@sparring/test-workers/tap';
import type { SessionMemberPrincipal, TokenMemberPrincipal } from '../src/auth/principal.js';
import { type MemberEntry, toMemberView } from '../src/networks/network.service.js';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { leaderBody, MEMBER_VIEW_KEYS } from './helpers/fixtures.js';
import { createLeaders, moveTo, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

const DAY = 86_400_000;
const VIEW_FIELDS = 'leaderId name organisation role joinedAt leftAt active';

const answerAs = (token: Auth, meetingId: string) =>
  api(app, token).put(`/v1/meetings/${meetingId}/evaluations/me`, {
    benefit: 5,
    energy: 5,
    purposeFit: 5,
    relations: 5,
    giveGet: 0,
  });

const restNetwork = async (auth: Auth, id: string) => {
  const res = await api(app, auth).get(`/v1/networks/${id}`);
  if (res.statusCode !== 200) throw new Error(`network: ${res.statusCode} ${res.body}`);
  return res.json();
};
const gqlMembers = async (auth: Auth, id: string, fields = VIEW_FIELDS) => {
  const res = await gql(app, auth, `query($id: ID!) { network(id: $id) { members { ${fields} } } }`, { id });
  return {
    ...res,
    members: (res.body.data?.network as { members: Record<string, unknown>[] } | null)?.members,
  };
};

t.test('a member token reads fellow members through the member view only', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  // A manager who is in no network: no member may reach them.
  const [boss] = await createLeaders(app, auth, 1, () => ({
    name: 'Outside Boss',
    email: 'boss@example.dk',
  }));
  const s = await seedNetwork(app, tenantId, auth, { members: 4, held: 1, facilitator: 1 });
  await api(app, auth).patch(`/v1/leaders/${s.leaderIds[2]}`, { managerId: boss });
  const member = s.tokens[0]!;

  const profiles = await gqlMembers(
    member,
    s.networkId,
    'leader { name email organisation motivations sameness { sector } managerId }',
  );
  t.notOk(profiles.body.errors, 'the field exists; it is null for a member');
  t.same(
    profiles.members,
    s.leaderIds.map(() => ({ leader: null })),
    'no profile of a fellow member (nor one’s own) through NetworkMember.leader',
  );
  const manager = await gqlMembers(member, s.networkId, 'leader { manager { name email } }');
  t.same(
    manager.members,
    s.leaderIds.map(() => ({ leader: null })),
    'no path to a manager outside the network',
  );
  const me = await gql(app, s.tokens[2]!, '{ me { id managerId manager { name email } } }');
  t.same(
    me.body.data,
    { me: { id: s.leaderIds[2], managerId: boss, manager: null } },
    'not even through one’s own profile: the id of one’s own manager, no more',
  );
  const query = await gql(app, member, 'query($id: ID!) { leader(id: $id) { name } }', { id: boss });
  t.equal(query.body.errors?.[0]?.extensions.code, 'forbidden', 'Query.leader is for the admin');

  const view = await gqlMembers(member, s.networkId);
  t.notOk(view.body.errors);
  const names = await app.db
    .selectFrom('leaders')
    .select(['id', 'name', 'organisation'])
    .where('id', 'in', s.leaderIds)
    .execute();
  t.same(
    new Map(view.members!.map((m) => [m.leaderId, [m.name, m.organisation, m.role]])),
    new Map(
      names.map((l) => [l.id, [l.name, l.organisation, l.id === s.leaderIds[1] ? 'facilitator' : 'member']]),
    ),
    'name, organisation and role in the network',
  );
  const rest = await restNetwork(member, s.networkId);
  t.same(view.members, rest.members, 'REST and GraphQL give a member the same member view');
  for (const m of rest.members) t.same(Object.keys(m).sort(), MEMBER_VIEW_KEYS);

  // The admin reads the same view (plus the profile through NetworkMember.leader on GraphQL).
  const adminRest = await restNetwork(auth, s.networkId);
  const adminGql = await gqlMembers(auth, s.networkId);
  t.same(adminGql.members, adminRest.members, 'REST and GraphQL agree for the admin too');
  t.same(adminRest.members, rest.members, 'the admin and a member read one member view');
  const adminProfiles = await gqlMembers(auth, s.networkId, 'leader { id manager { name } }');
  t.same(
    adminProfiles.members!.map((m) => m.leader),
    s.leaderIds.map((id, j) => ({ id, manager: j === 2 ? { name: 'Outside Boss' } : null })),
    'the admin still reads profiles and managers',
  );
});

t.test('the admin reads no exclusions (write-only) and no consents', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const [a, b] = await createLeaders(app, auth, 2);
  const created = await api(app, auth).post('/v1/leaders', leaderBody({ exclusions: [a] }));
  t.equal(created.statusCode, 201, 'the admin provisions exclusions (HR)');
  const excluder = created.json();
  t.notOk('exclusions' in excluder, 'the create response does not echo them');
  const read = await api(app, auth).get(`/v1/leaders/${excluder.id}`);
  t.notOk('exclusions' in read.json(), 'REST read: none');
  const list = await api(app, auth).get('/v1/leaders');
  t.notOk(
    list.json().data.some((l: Record<string, unknown>) => 'exclusions' in l),
    'REST list: none',
  );
  const patched = await api(app, auth).patch(`/v1/leaders/${excluder.id}`, { exclusions: [a, b] });
  t.equal(patched.statusCode, 200, 'the admin updates them');
  t.notOk('exclusions' in patched.json());
  const graph = await gql(app, auth, 'query($id: ID!) { leader(id: $id) { id exclusions } }', {
    id: excluder.id,
  });
  t.same(graph.body.data, { leader: { id: excluder.id, exclusions: null } }, 'GraphQL: always null');
  const stored = await app.db
    .selectFrom('leaders')
    .select('exclusions')
    .where('id', '=', excluder.id)
    .executeTakeFirstOrThrow();
  t.same(stored.exclusions, [a, b], 'stored as written');

  // Written, never read back, and still in force: the domain's conflict rule reads them.
  const net = await api(app, auth).post('/v1/networks', { name: 'Net' });
  const netId = net.json().id;
  const add = (leaderId: string) => api(app, auth).post(`/v1/networks/${netId}/members`, { leaderId });
  t.equal((await add(a!)).statusCode, 201);
  const refused = await add(excluder.id);
  t.equal(refused.statusCode, 409);
  t.equal(refused.json().reason, 'exclusion_conflict');

  // Consents: member 0 consents; the admin reads none of them, on REST or GraphQL.
  const s = await seedNetwork(app, tenantId, auth, { members: 3, held: 1, consenting: [0] });
  const rest = await restNetwork(auth, s.networkId);
  t.notOk(
    rest.members.some((m: Record<string, unknown>) => 'shareSignalsWithFacilitator' in m),
    'REST: no consent in the admin’s read',
  );
  const g = await gqlMembers(auth, s.networkId, 'leaderId shareSignalsWithFacilitator');
  t.same(
    g.members!.map((m) => m.shareSignalsWithFacilitator),
    [null, null, null, null], // 3 members and the stand-in who left once the trial started (seedNetwork)
    'GraphQL: null',
  );
  // A member token acts (sets its consent and gets the value it wrote back) but reads none.
  const put = await api(app, s.tokens[1]!).put(`/v1/networks/${s.networkId}/members/me/consent`, {
    shareSignalsWithFacilitator: true,
  });
  t.same(put.json(), { leaderId: s.leaderIds[1], shareSignalsWithFacilitator: true });
  const own = await restNetwork(s.tokens[1]!, s.networkId);
  t.notOk(own.members.some((m: Record<string, unknown>) => 'shareSignalsWithFacilitator' in m));
});

t.test('the member view shows a consent on the member’s own row, in their own session only', (t) => {
  const now = new Date('2027-01-10T12:00:00Z');
  const entry = (leaderId: string, leftAt: Date | null = null): MemberEntry => ({
    row: {
      tenant_id: 't',
      network_id: 'n',
      leader_id: leaderId,
      joined_at: new Date('2027-01-01T00:00:00Z'),
      left_at: leftAt,
      signal_consent: true,
    },
    name: `Name ${leaderId}`,
    organisation: 'Org',
  });
  const session: SessionMemberPrincipal = {
    kind: 'member',
    via: 'session',
    tenantId: 't',
    leaderId: 'a',
    sessionId: 's',
  };
  const token: TokenMemberPrincipal = {
    kind: 'member',
    via: 'token',
    tenantId: 't',
    leaderId: 'a',
    tokenId: 'x',
  };
  const admin = { kind: 'admin', tenantId: 't', keyId: 'k' } as const;
  t.equal(
    toMemberView(entry('a'), null, session, now).shareSignalsWithFacilitator,
    true,
    'own row, own session',
  );
  t.notOk(
    'shareSignalsWithFacilitator' in toMemberView(entry('b'), null, session, now),
    'another member’s row',
  );
  t.notOk('shareSignalsWithFacilitator' in toMemberView(entry('a'), null, token, now), 'a token, own row');
  t.notOk('shareSignalsWithFacilitator' in toMemberView(entry('a'), null, admin, now), 'the admin');
  t.same(toMemberView(entry('b'), 'b', admin, now), {
    leaderId: 'b',
    name: 'Name b',
    organisation: 'Org',
    role: 'facilitator',
    joinedAt: '2027-01-01T00:00:00.000Z',
    leftAt: null,
    active: true,
  });
  const left = toMemberView(entry('c', new Date('2027-01-05T00:00:00Z')), null, admin, now);
  t.match(left, { role: 'former_member', active: false, leftAt: '2027-01-05T00:00:00.000Z' });
  t.end();
});

t.test(
  'a former member reads what happened while they were a member, nothing after, and cannot act',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    // Held meetings 62, 32 and 2 days ago (the trial of 3 is then review_due), a planned one in 20 days.
    const s = await seedNetwork(app, tenantId, auth, { members: 6, held: 3, planned: true });
    const [former, stay] = [s.tokens[0]!, s.tokens[1]!];
    const leftAt = new Date(Date.now() - 20 * DAY);
    const leave = await api(app, auth).post(`/v1/networks/${s.networkId}/members/${s.leaderIds[0]}/leave`, {
      leftAt: leftAt.toISOString(),
    });
    t.equal(leave.statusCode, 200);
    // Someone joins after they left.
    const [newcomer] = await createLeaders(app, auth, 1);
    t.equal(
      (await api(app, auth).post(`/v1/networks/${s.networkId}/members`, { leaderId: newcomer })).statusCode,
      201,
    );
    // The admin reads the review first (it opens now, after the former member left).
    t.equal((await api(app, auth).get(`/v1/networks/${s.networkId}/review`)).statusCode, 200);

    const [early1, early2, late, planned] = s.meetingIds;

    // The network: visible, with the members of their time (themselves marked former), no newcomer.
    const net = await restNetwork(former, s.networkId);
    const ids = net.members.map((m: { leaderId: string }) => m.leaderId);
    t.notOk(ids.includes(newcomer), 'no member who joined after they left');
    t.same([...ids].sort(), [...s.leaderIds].sort());
    t.match(
      net.members.find((m: { leaderId: string }) => m.leaderId === s.leaderIds[0]),
      { role: 'former_member', active: false, leftAt: leftAt.toISOString() },
    );
    t.same((await gqlMembers(former, s.networkId)).members, net.members, 'GraphQL: the same');
    t.ok(
      (await restNetwork(stay, s.networkId)).members.some(
        (m: { leaderId: string }) => m.leaderId === newcomer,
      ),
      'an active member sees the newcomer',
    );

    // Meetings: listed and found only when they started before the member left.
    const listed = await api(app, former).get(`/v1/networks/${s.networkId}/meetings`);
    t.equal(listed.statusCode, 200);
    t.same(
      listed.json().data.map((m: { id: string }) => m.id),
      [early1, early2],
      'REST list: the meetings of their time',
    );
    const graphMeetings = await gql(app, former, 'query($id: ID!) { network(id: $id) { meetings { id } } }', {
      id: s.networkId,
    });
    t.same(
      (graphMeetings.body.data!.network as { meetings: { id: string }[] }).meetings.map((m) => m.id),
      [early1, early2],
      'GraphQL list: the same',
    );
    t.equal((await api(app, former).get(`/v1/meetings/${early2}`)).statusCode, 200);
    for (const id of [late, planned]) {
      t.equal((await api(app, former).get(`/v1/meetings/${id}`)).statusCode, 404, 'REST: not found');
      const one = await gql(app, former, 'query($id: ID!) { meeting(id: $id) { id } }', { id });
      t.equal(one.body.errors?.[0]?.extensions.code, 'not_found', 'GraphQL: not found');
      t.equal(
        (await api(app, former).get(`/v1/meetings/${id}/agenda-items`)).statusCode,
        404,
        'nor its agenda',
      );
    }
    const activeList = await api(app, stay).get(`/v1/networks/${s.networkId}/meetings`);
    t.equal(activeList.json().data.length, 4, 'an active member lists them all');
    const next = await api(app, former).get(`/v1/networks/${s.networkId}/next-cases`);
    t.equal(next.statusCode, 403, 'whose case is next: for the members now');

    // Reviews: none opened after they left; no current review.
    const current = await api(app, former).get(`/v1/networks/${s.networkId}/review`);
    t.equal(current.statusCode, 404);
    const history = await api(app, former).get(`/v1/networks/${s.networkId}/reviews`);
    t.same(history.json().data, [], 'REST history: the review opened after they left is not there');
    t.equal(
      (await api(app, stay).get(`/v1/networks/${s.networkId}/reviews`)).json().data.length,
      1,
      'an active member sees it',
    );
    const graphReviews = await gql(
      app,
      former,
      'query($id: ID!) { network(id: $id) { currentReview { id } reviews { id } } reviews(networkId: $id) { id } currentReview(networkId: $id) { id } }',
      { id: s.networkId },
    );
    t.same(graphReviews.body.data, {
      network: { currentReview: null, reviews: [] },
      reviews: [],
      currentReview: null,
    });

    // Acting: no afbud, no answers, no charter acceptance, no consent.
    const afbud = await api(app, former).post(`/v1/meetings/${planned}/attendance/me`, {
      status: 'cancelled',
    });
    t.equal(afbud.statusCode, 404, 'afbud for a meeting after they left: not found');
    const answer = await answerAs(former, late!);
    t.equal(answer.statusCode, 404, 'no answers about a meeting after they left: not found, as the meeting');
    const answerEarlier = await answerAs(former, early2!);
    t.equal(answerEarlier.statusCode, 403, 'nor about a meeting from while they were a member');
    t.equal(answerEarlier.json().code, 'not_an_active_member');
    const accept = await api(app, former).post(`/v1/networks/${s.networkId}/charter-versions/1/acceptances`);
    t.equal(accept.statusCode, 403);
    t.equal(accept.json().code, 'not_an_active_member');
    const consent = await api(app, former).put(`/v1/networks/${s.networkId}/members/me/consent`, {
      shareSignalsWithFacilitator: true,
    });
    t.equal(consent.statusCode, 403);
    t.equal(consent.json().code, 'not_an_active_member');
    const stored = await app.db
      .selectFrom('evaluations')
      .select('leader_id')
      .where('leader_id', '=', s.leaderIds[0]!)
      .execute();
    t.same(stored, [], 'nothing was written');

    // Even a meeting of their time that is still planned: a former member gives no afbud for it.
    const moved = await moveTo(app, auth, { id: planned! }, new Date(leftAt.getTime() - DAY));
    t.equal(moved.status, 'planned');
    const pastAfbud = await api(app, former).post(`/v1/meetings/${planned}/attendance/me`, {
      status: 'cancelled',
    });
    t.equal(pastAfbud.statusCode, 403, 'requireActiveMember');
    t.equal(pastAfbud.json().code, 'forbidden');
  },
);

t.test('a member who left during a review: the review as it stood when they left; no answers', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  // The third held meeting (2 days ago) made the trial review_due; the member leaves a day later.
  const s = await seedNetwork(app, tenantId, auth, { members: 6, held: 3 });
  const leftAt = new Date(Date.now() - DAY);
  const leave = await api(app, auth).post(`/v1/networks/${s.networkId}/members/${s.leaderIds[0]}/leave`, {
    leftAt: leftAt.toISOString(),
  });
  t.equal(leave.statusCode, 200);
  const open = await api(app, auth).get(`/v1/networks/${s.networkId}/review`);
  t.equal(open.statusCode, 200);
  t.ok(open.json().recommendation, 'the admin reads the recommendation, computed now');
  t.ok(new Date(open.json().openedAt).getTime() < leftAt.getTime(), 'due before the member left');

  const former = s.tokens[0]!;
  t.equal((await api(app, former).get(`/v1/networks/${s.networkId}/review`)).statusCode, 404);
  const history = (await api(app, former).get(`/v1/networks/${s.networkId}/reviews`)).json();
  t.same(
    history.data,
    [{ ...open.json(), recommendation: null, decision: null, decisionDetail: null, decidedAt: null }],
    'the review of their time, without what was computed or decided after they left',
  );
  const graph = await gql(
    app,
    former,
    'query($id: ID!) { reviews(networkId: $id) { id recommendation { recommendation } } }',
    {
      id: s.networkId,
    },
  );
  t.same(graph.body.data, { reviews: [{ id: open.json().id, recommendation: null }] });

  // The last meeting was held while they were a member and its evaluation window is open.
  const answer = await answerAs(former, s.meetingIds[2]!);
  t.equal(answer.statusCode, 403, 'no answers once they have left, even about a meeting of their time');
  t.equal(answer.json().code, 'not_an_active_member');
});
