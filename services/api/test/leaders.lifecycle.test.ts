/**
 * Leaving and erasure (docs/provisioning.md): deactivation ends memberships at the date and stops
 * tokens, sessions and feeds; erasure leaves no row holding the person's name, email or free text,
 * and every released aggregate reads the same before and after. On PGlite and PostgreSQL.
 */

import t from '@sparring/test-workers/tap';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { deactivateLeader, eraseLeader, reactivateLeader } from '../src/leaving/leader-lifecycle.service.js';
import { createMemberSession, findSession } from '../src/members/member-session.service.js';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import {
  answer,
  type FormedNetwork,
  formNetwork,
  hold,
  timePasses,
} from './helpers/confidentiality-fixtures.js';
import { eventsSettled } from './helpers/events.js';
import { createLeaders, memberToken } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
/** The tenant's events of a type, once every event recorded so far is visible (helpers/events.ts). */
const events = async (auth: Auth, type: string) => {
  await eventsSettled(app.db);
  return (await api(app, auth).get(`/v1/events?limit=200&type=${type}`)).json().data as {
    data: Record<string, unknown>;
  }[];
};

const network = async (auth: Auth, id: string) => (await api(app, auth).get(`/v1/networks/${id}`)).json();

t.test('deactivation ends memberships at the date, stops tokens and sessions, is recorded', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const net = await formNetwork(app, auth, { members: 6, minResponses: 3 });
  const [leaving, staying] = net.leaderIds as [string, string];
  // The leaving member facilitates; their token and session work before.
  const current = await api(app, auth).get(`/v1/networks/${net.networkId}`);
  const facilitated = await api(app, auth).patch(
    `/v1/networks/${net.networkId}`,
    { facilitator: { kind: 'member', leaderId: leaving } },
    { headers: { 'if-match': current.headers.etag as string } },
  );
  t.equal(facilitated.statusCode, 200);
  const token = net.tokens[0]!;
  t.equal((await api(app, token).get('/v1/me')).statusCode, 200, 'the token works before');
  const session = await createMemberSession(app.db, tenantId, leaving, new Date());
  t.ok(await findSession(app.db, session.cookieValue, new Date()), 'the session works before');
  const feed = await api(app, auth).post(`/v1/leaders/${leaving}/calendar-feeds`, {});
  t.equal(feed.statusCode, 201);

  // Tokens and facilitators may not deactivate anyone.
  const refused = await api(app, token).post(`/v1/leaders/${staying}/deactivate`);
  t.equal(refused.statusCode, 403);

  // A time in the past, after the membership began.
  const joinedAt = current.json().members.find((m: { leaderId: string }) => m.leaderId === leaving).joinedAt;
  const from = new Date(new Date(joinedAt).getTime() + 1).toISOString();
  const res = await api(app, auth).post(`/v1/leaders/${leaving}/deactivate`, { from });
  t.equal(res.statusCode, 200, res.body);
  const leader = res.json();
  t.match(leader, { id: leaving, active: false, deactivatedAt: from, erasedAt: null, version: 2 });
  t.equal(res.headers.etag, '"2"');

  const after = await network(auth, net.networkId);
  const member = after.members.find((m: { leaderId: string }) => m.leaderId === leaving);
  t.match(member, { leftAt: from, active: false, role: 'former_member' }, 'membership ended at the date');
  t.equal(after.facilitator, null, 'a facilitator who leaves stops facilitating');
  t.equal(after.members.filter((m: { active: boolean }) => m.active).length, 5, 'the others stay members');

  t.equal((await api(app, token).get('/v1/me')).statusCode, 401, 'the token stops');
  t.equal(await findSession(app.db, session.cookieValue, new Date()), undefined, 'the session stops');
  const feedRead = await api(app).get(new URL(feed.json().url).pathname);
  t.equal(feedRead.statusCode, 404, 'the calendar feed stops');

  const deactivated = await events(auth, 'leader.deactivated');
  t.same(
    deactivated.map((e) => e.data),
    [{ leaderId: leaving, deactivatedAt: from }],
  );
  t.ok(
    (await events(auth, 'network.member_left')).some(
      (e) => e.data.leaderId === leaving && e.data.networkId === net.networkId,
    ),
    'network.member_left recorded',
  );

  // Idempotent: again, unchanged, nothing recorded.
  const again = await api(app, auth).post(`/v1/leaders/${leaving}/deactivate`);
  t.equal(again.statusCode, 200);
  t.same(again.json(), leader, 'unchanged');
  t.equal((await events(auth, 'leader.deactivated')).length, 1);

  // A deactivated leader gets no token, feed or membership.
  const mint = await api(app, auth).post(`/v1/leaders/${leaving}/member-tokens`, {});
  t.equal(mint.statusCode, 409);
  t.equal(mint.json().code, 'leader_deactivated');
  const other = await api(app, auth).post('/v1/networks', { name: 'B' });
  const join = await api(app, auth).post(`/v1/networks/${other.json().id}/members`, { leaderId: leaving });
  t.equal(join.statusCode, 409);
  t.equal(join.json().code, 'leader_deactivated');

  // The list narrows by active.
  const ids = async (q: string) =>
    (await api(app, auth).get(`/v1/leaders?${q}`)).json().data.map((l: { id: string }) => l.id);
  t.same(await ids('active=false'), [leaving]);
  t.notOk((await ids('active=true')).includes(leaving));
  t.equal((await ids('active=true')).length, 5);

  // Reactivation: active again, memberships not restored, recorded as leader.updated.
  const back = await api(app, auth).post(`/v1/leaders/${leaving}/reactivate`);
  t.equal(back.statusCode, 200);
  t.match(back.json(), { active: true, deactivatedAt: null, version: 3 });
  const still = (await network(auth, net.networkId)).members.find(
    (m: { leaderId: string }) => m.leaderId === leaving,
  );
  t.equal(still.active, false, 'memberships are not restored');
  t.ok(
    (await events(auth, 'leader.updated')).some((e) => e.data.leaderId === leaving && e.data.version === 3),
  );
  const minted = await api(app, auth).post(`/v1/leaders/${leaving}/member-tokens`, {});
  t.equal(minted.statusCode, 201, 'tokens again once active');
});

t.test('a deactivation ahead keeps the member until the date, then stops the token', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const [id] = await createLeaders(app, auth, 1);
  const other = await api(app, auth).post('/v1/networks', { name: 'N' });
  const networkId = other.json().id;
  t.equal((await api(app, auth).post(`/v1/networks/${networkId}/members`, { leaderId: id })).statusCode, 201);
  const token = await memberToken(app, auth, id!);
  const from = new Date(Date.now() + 3_600_000).toISOString();
  const res = await api(app, auth).post(`/v1/leaders/${id}/deactivate`, { from });
  t.match(res.json(), { active: true, deactivatedAt: from }, 'active until the date');
  const member = (await network(auth, networkId)).members[0];
  t.match(member, { leftAt: from, active: true }, 'the membership ends at the date');
  t.equal((await api(app, token).get('/v1/me')).statusCode, 200, 'the token works until then');
  // Time passes: the date comes.
  await app.db
    .updateTable('leaders')
    .set({ deactivated_at: new Date(Date.now() - 1000) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id!)
    .execute();
  t.equal((await api(app, token).get('/v1/me')).statusCode, 401, 'then it stops');
  const bad = await api(app, auth).post(`/v1/leaders/${id}/deactivate`, { from: 'tomorrow' });
  t.equal(bad.statusCode, 400);
});

t.test('formation does not place deactivated leaders', async (t) => {
  const { auth } = await ctx.tenant();
  const ids = await createLeaders(app, auth, 9, () => ({ region: 'Bornholm' }));
  const gone = ids[0]!;
  await api(app, auth).post(`/v1/leaders/${gone}/deactivate`);
  const byIds = await api(app, auth).post('/v1/formation-runs', {
    pool: { leaderIds: ids },
    sizes: { min: 4, max: 4 },
    seed: 1,
  });
  t.equal(byIds.statusCode, 400, 'a deactivated leader in the pool is named');
  t.match(byIds.json().issues, [{ path: 'pool.leaderIds[0]' }]);
  const byFilter = await api(app, auth).post('/v1/formation-runs', {
    pool: { filter: { regions: ['Bornholm'] } },
    sizes: { min: 4, max: 4 },
    seed: 1,
  });
  t.equal(byFilter.statusCode, 202, byFilter.body);
  await app.formationRunner.idle();
  const run = (await api(app, auth).get(`/v1/formation-runs/${byFilter.json().id}`)).json();
  t.equal(run.status, 'succeeded', JSON.stringify(run));
  const placed = JSON.stringify(run);
  t.notOk(placed.includes(gone), 'the deactivated leader is neither placed nor listed');
  t.ok(placed.includes(ids[1]!));
});

// ---------------------------------------------------------------------------------------------
// Erasure

const NAME = 'Mette Kjærgaard-Østergaard';
const EMAIL = 'mette.kjaergaard@example.dk';
const EXTERNAL_ID = 'EMP-77123';
const COMMENT = 'Min chef forstår ikke min situation derhjemme';
const AGENDA = 'Sygemelding i teamet og min egen stress';

/** Every text and jsonb column of every table, and the rows where one holds a needle. */
async function findEverywhere(needles: readonly string[]) {
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type in ('text', 'jsonb', 'character varying', 'json')
    order by table_name, column_name`.execute(app.db);
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    for (const needle of needles) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table_name)}
        where position(lower(${needle}) in lower(${sql.ref(column_name)}::text)) > 0`.execute(app.db);
      if (rows[0]!.n > 0) found.push(`${table_name}.${column_name}: ${needle}`);
    }
  }
  return { found, columns: columns.length };
}

async function aggregates(auth: Auth, net: FormedNetwork) {
  const summaries = [];
  for (const id of net.meetingIds)
    summaries.push((await api(app, auth).get(`/v1/meetings/${id}/evaluations/summary`)).json());
  const health = (await api(app, auth).get(`/v1/networks/${net.networkId}/health`)).json();
  return { summaries, health };
}

t.test('erasure: no row holds the name, email or free text; released aggregates unchanged', async (t) => {
  const { auth } = await ctx.tenant();
  // The person, created with an Idempotency-Key (the stored response holds the profile).
  const createBody = {
    name: NAME,
    email: EMAIL,
    externalId: EXTERNAL_ID,
    sector: 'public',
    organisation: 'Bornholms Regionskommune',
    level: 'middle',
    yearsOfExperience: 7,
    region: 'Hovedstaden',
    languages: ['da'],
    motivations: ['people_leadership'],
    availability: ['weekday_daytime'],
    formats: ['in_person'],
  };
  const created = await api(app, auth).post('/v1/leaders', createBody, {
    headers: { 'idempotency-key': 'hr-create-mette' },
  });
  t.equal(created.statusCode, 201, created.body);
  const mette = created.json().id as string;
  const net = await formNetwork(app, auth, { members: 6, minResponses: 3, meetings: 3 });
  // Mette joins (she accepts the charter with her token).
  t.equal(
    (await api(app, auth).post(`/v1/networks/${net.networkId}/members`, { leaderId: mette })).statusCode,
    201,
  );
  const metteToken = await memberToken(app, auth, mette);
  await api(app, metteToken).post(`/v1/networks/${net.networkId}/charter-versions/1/acceptances`);
  const all: FormedNetwork = {
    ...net,
    leaderIds: [...net.leaderIds, mette],
    tokens: [...net.tokens, metteToken],
  };
  const [first, second] = net.meetingIds as [string, string];
  // Her own agenda item, and another member's that names her.
  const own = await api(app, metteToken).post(
    `/v1/meetings/${second}/agenda-items`,
    { title: AGENDA, kind: 'dilemma' },
    { headers: { 'idempotency-key': 'mette-agenda' } },
  );
  t.equal(own.statusCode, 201, own.body);
  const mention = await api(app, net.tokens[1]!).post(`/v1/meetings/${second}/agenda-items`, {
    title: `Opfølgning med ${NAME} om ${EXTERNAL_ID}`,
    kind: 'reflection',
  });
  t.equal(mention.statusCode, 201, mention.body);
  const feed = await api(app, auth).post(`/v1/leaders/${mette}/calendar-feeds`, {
    label: `Kalender til ${EMAIL}`,
  });
  t.equal(feed.statusCode, 201, feed.body);
  // The first meeting is held and answered by all; its results are released.
  await hold(app, auth, all, first);
  for (const [i, token] of all.tokens.entries()) {
    const res = await answer(app, token, first, {
      benefit: 3 + (i % 3),
      comment: token === metteToken ? COMMENT : `fint møde ${i}`,
    });
    t.ok([200, 201].includes(res.statusCode), res.body);
  }
  await timePasses(app, first);
  const before = await aggregates(auth, all);
  t.equal(before.summaries[0].released, true, 'the first meeting is released');

  const seen = await findEverywhere([NAME, EMAIL, EXTERNAL_ID, COMMENT, AGENDA]);
  for (const needle of [NAME, EMAIL, EXTERNAL_ID, COMMENT, AGENDA])
    t.ok(
      seen.found.some((f) => f.endsWith(`: ${needle}`)),
      `before: ${needle} is found (${seen.found.filter((f) => f.endsWith(needle)).join(', ')})`,
    );
  t.ok(
    seen.found.includes(`agenda_items.title: ${NAME}`) &&
      seen.found.includes(`idempotency_keys.response_body: ${EMAIL}`),
    'before: in another member’s text and in a stored response too',
  );

  // Erasure with DELETE: 204, never a 409 for having been a member.
  const erased = await api(app, auth).delete(`/v1/leaders/${mette}`);
  t.equal(erased.statusCode, 204, erased.body);

  const after = await findEverywhere([NAME, EMAIL, EXTERNAL_ID, COMMENT, AGENDA, 'Kjærgaard', 'Bornholms']);
  t.same(after.found, [], `no row holds the person (${after.columns} text and jsonb columns scanned)`);
  t.same(await aggregates(auth, all), before, 'every released aggregate reads the same');

  // The erased leader reads as erased and cannot be changed, reactivated or given a token.
  const read = (await api(app, auth).get(`/v1/leaders/${mette}`)).json();
  t.match(read, {
    id: mette,
    name: 'Erased leader',
    email: `erased-${mette}@erased.invalid`,
    externalId: null,
    organisation: '',
    active: false,
  });
  t.type(read.erasedAt, 'string');
  const patch = await api(app, auth).patch(`/v1/leaders/${mette}`, { name: 'Back again' });
  t.equal(patch.statusCode, 410);
  t.equal(patch.json().code, 'leader_erased');
  const reactivate = await api(app, auth).post(`/v1/leaders/${mette}/reactivate`);
  t.equal(reactivate.statusCode, 410);
  const mint = await api(app, auth).post(`/v1/leaders/${mette}/member-tokens`, {});
  t.equal(mint.statusCode, 410);
  t.equal((await api(app, metteToken).get('/v1/me')).statusCode, 401, 'her token is dead');
  // The stored response of her creation is no longer replayed with her data.
  const replay = await api(app, auth).post('/v1/leaders', createBody, {
    headers: { 'idempotency-key': 'hr-create-mette' },
  });
  t.equal(replay.statusCode, 410, 'the retry is answered, not run again');
  t.equal(replay.json().code, 'leader_erased');
  t.equal(replay.headers['idempotent-replayed'], 'true');
  // Her membership and answers still count; the member view shows the placeholder.
  const members = (await network(auth, net.networkId)).members;
  t.match(
    members.find((m: { leaderId: string }) => m.leaderId === mette),
    { name: 'Erased leader', organisation: '', active: false },
  );
  t.same(
    (await events(auth, 'leader.erased')).map((e) => e.data),
    [{ leaderId: mette }],
  );
  t.equal((await events(auth, 'leader.deactivated')).length, 1, 'erasure deactivated her first');
  // Again: 204, nothing more recorded.
  t.equal((await api(app, auth).delete(`/v1/leaders/${mette}`)).statusCode, 204);
  t.equal((await events(auth, 'leader.erased')).length, 1);
});

t.test('a leader who was never a member is deleted outright', async (t) => {
  const { auth } = await ctx.tenant();
  const [id] = await createLeaders(app, auth, 1);
  const res = await api(app, auth).delete(`/v1/leaders/${id}`);
  t.equal(res.statusCode, 204);
  t.equal((await api(app, auth).get(`/v1/leaders/${id}`)).statusCode, 404);
  t.same(
    (await events(auth, 'leader.erased')).map((e) => e.data),
    [{ leaderId: id }],
  );
  t.equal((await events(auth, 'leader.deactivated')).length, 0, 'nothing to end: not deactivated first');
});

t.test('GraphQL mirrors REST: deactivateLeader, reactivateLeader, eraseLeader; admins only', async (t) => {
  const { auth } = await ctx.tenant();
  const [a, b] = await createLeaders(app, auth, 2);
  const net = await api(app, auth).post('/v1/networks', { name: 'G' });
  await api(app, auth).post(`/v1/networks/${net.json().id}/members`, { leaderId: b });
  const fields = 'id name email active deactivatedAt erasedAt version';
  const from = '2026-01-01T00:00:00.000Z';
  const off = await gql(
    app,
    auth,
    `mutation($id: ID!, $from: String) { deactivateLeader(id: $id, from: $from) { ${fields} } }`,
    {
      id: a,
      from,
    },
  );
  t.same(off.body.errors, undefined);
  t.match(off.body.data?.deactivateLeader, { id: a, active: false, deactivatedAt: from });
  const list = await gql(app, auth, '{ leaders(active: false) { nodes { id active } } }');
  t.same(list.body.data?.leaders, { nodes: [{ id: a, active: false }] });
  const on = await gql(app, auth, `mutation($id: ID!) { reactivateLeader(id: $id) { ${fields} } }`, {
    id: a,
  });
  t.match(on.body.data?.reactivateLeader, { active: true, deactivatedAt: null });

  const token = await memberToken(app, auth, a!);
  const forbidden = await gql(app, token, `mutation($id: ID!) { eraseLeader(id: $id) { id } }`, { id: b });
  t.equal(forbidden.body.errors?.[0]?.extensions?.code, 'forbidden');

  const gone = await gql(app, auth, `mutation($id: ID!) { eraseLeader(id: $id) { ${fields} } }`, { id: b });
  t.match(gone.body.data?.eraseLeader, { id: b, name: 'Erased leader', active: false });
  t.type((gone.body.data?.eraseLeader as { erasedAt?: unknown } | undefined)?.erasedAt, 'string');
  const again = await gql(app, auth, `mutation($id: ID!) { reactivateLeader(id: $id) { id } }`, { id: b });
  t.equal(again.body.errors?.[0]?.extensions?.code, 'leader_erased');
  const never = await gql(app, auth, `mutation($id: ID!) { eraseLeader(id: $id) { id } }`, { id: a });
  t.same(never.body.data, { eraseLeader: null }, 'never a member: deleted, nothing to return');
});

t.test('deactivation, reactivation and erasure are audited, never with the name or address', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const [id] = await createLeaders(app, auth, 1, () => ({
    name: 'Audit Person',
    email: 'audit.person@example.dk',
  }));
  const net = await api(app, auth).post('/v1/networks', { name: 'A' });
  await api(app, auth).post(`/v1/networks/${net.json().id}/members`, { leaderId: id });
  const lines: Record<string, unknown>[] = [];
  const log = { info: (obj: Record<string, unknown>) => lines.push(obj) } as unknown as FastifyBaseLogger;
  const admin = { kind: 'admin', tenantId, keyId: 'k' } as const;
  await deactivateLeader(app.db, admin, id!, { log });
  await deactivateLeader(app.db, admin, id!, { log }); // unchanged: no second line
  await reactivateLeader(app.db, admin, id!, { log });
  await eraseLeader(app.db, admin, id!, { log });
  t.same(
    lines.map((l) => l.audit),
    ['leader_deactivated', 'leader_reactivated', 'leader_erased'],
  );
  t.match(lines[0], { tenantId, leaderId: id, membershipsEnded: 1 });
  t.match(lines[2], { tenantId, leaderId: id, hardDeleted: false, membershipsEnded: 0 });
  const text = JSON.stringify(lines);
  t.notOk(/Audit Person|audit\.person/i.test(text), 'no name or address in the audit lines');
});
