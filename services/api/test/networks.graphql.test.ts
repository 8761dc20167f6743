import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { createLeader } from './helpers/fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

async function tokenFor(auth: Auth, leaderId: string): Promise<Auth> {
  const res = await api(app, auth).post(`/v1/leaders/${leaderId}/member-tokens`, { ttlSeconds: 600 });
  return { authorization: `Bearer ${res.json().token}` };
}

const NETWORK_FIELDS = /* GraphQL */ `
  id name status version size { min max } trialLength reviewEvery timeZone minResponses evaluationWindowDays
  rolesPolicy { host { kind } facilitator { kind name } }
  facilitator { kind leaderId name email }
  members { leader { id name } joinedAt leftAt active shareSignalsWithFacilitator }
  charter { version inForce acceptedBy { leaderId acceptedAt } charter { purpose groundRules { kind hours text localizedText { da en } } } }
  lifecycle { status since heldInTrial trialLength history { event from to } }
`;

const charterInput = {
  purpose: 'Sparring om ledelse',
  goals: [{ category: 'strategy', description: 'Strategisk inspiration' }],
  groundRules: [{ kind: 'custom', text: 'Telefoner væk' }],
};

t.test('create, read, update with ifVersion, members, charter, trial: the same codes as REST', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const created = await gql(
    app,
    auth,
    `mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { ${NETWORK_FIELDS} } }`,
    {
      input: {
        name: 'GQL net',
        size: { min: 4, max: 6 },
        facilitator: { kind: 'external', name: 'Hanne Holm' },
        rolesPolicy: { facilitator: { kind: 'external', name: 'Hanne Holm' } },
      },
    },
  );
  t.same(created.body.errors, undefined);
  const net = created.body.data!.createNetwork as Record<string, unknown> & { id: string };
  t.equal(net.status, 'forming');
  t.same(net.size, { min: 4, max: 6 });
  t.equal(net.timeZone, 'Europe/Copenhagen');
  t.same(net.facilitator, { kind: 'external', leaderId: null, name: 'Hanne Holm', email: null });
  t.same(net.charter, { version: null, inForce: false, acceptedBy: [], charter: null });

  const invalid = await gql(
    app,
    auth,
    'mutation { createNetwork(input: { name: "x", timeZone: "Mars/Base" }) { id } }',
  );
  t.equal(invalid.body.errors?.[0]?.extensions.code, 'validation_failed');
  t.equal(invalid.body.errors?.[0]?.extensions.issues?.[0]?.path, 'timeZone');

  const upd = `mutation($id: ID!, $v: Int) { updateNetwork(id: $id, input: { name: "Renamed" }, ifVersion: $v) { name version } }`;
  t.equal(
    (await gql(app, auth, upd, { id: net.id })).body.errors?.[0]?.extensions.code,
    'precondition_required',
  );
  t.equal(
    (await gql(app, auth, upd, { id: net.id, v: 99 })).body.errors?.[0]?.extensions.code,
    'precondition_failed',
  );
  const updated = await gql(app, auth, upd, { id: net.id, v: 1 });
  t.same(updated.body.data, { updateNetwork: { name: 'Renamed', version: 2 } });

  const boss = await createLeader(app, auth);
  const report = await createLeader(app, auth, { managerId: boss.id });
  const add = `mutation($n: ID!, $l: ID!) { addMember(networkId: $n, leaderId: $l) { members { leader { id } } } }`;
  t.same((await gql(app, auth, add, { n: net.id, l: boss.id })).body.errors, undefined);
  const conflict = await gql(app, auth, add, { n: net.id, l: report.id });
  t.equal(conflict.body.errors?.[0]?.extensions.code, 'member_conflict');
  t.notMatch(JSON.stringify(conflict.body), boss.id);

  const others = [
    await createLeader(app, auth),
    await createLeader(app, auth),
    await createLeader(app, auth),
  ];
  for (const o of others) await gql(app, auth, add, { n: net.id, l: o.id });
  const startTrial = `mutation($id: ID!) { startTrial(id: $id) { status lifecycle { status trialLength heldInTrial } } }`;
  const refused = await gql(app, auth, startTrial, { id: net.id });
  t.equal(refused.body.errors?.[0]?.extensions.code, 'lifecycle_refused');
  t.equal(
    (refused.body.errors?.[0]?.extensions as { reason?: string } | undefined)?.reason,
    'charter_not_in_force',
  );

  const proposed = await gql(
    app,
    auth,
    `mutation($n: ID!, $input: CharterInput!) { proposeCharter(networkId: $n, input: $input) { version groundRules { kind } } }`,
    { n: net.id, input: charterInput },
  );
  t.same(proposed.body.data, {
    proposeCharter: {
      version: 1,
      groundRules: [{ kind: 'confidentiality' }, { kind: 'cancellation_notice' }, { kind: 'custom' }],
    },
  });
  const acceptQ = `mutation($n: ID!, $v: Int!) { acceptCharter(networkId: $n, version: $v) { leaderId version } }`;
  t.equal(
    (await gql(app, auth, acceptQ, { n: net.id, v: 1 })).body.errors?.[0]?.extensions.code,
    'forbidden',
  );
  for (const m of [boss, ...others]) {
    const res = await gql(app, await tokenFor(auth, m.id), acceptQ, { n: net.id, v: 1 });
    t.same(res.body.data, { acceptCharter: { leaderId: m.id, version: 1 } });
  }
  t.equal(
    (
      (await gql(app, auth, startTrial, { id: net.id })).body.errors?.[0]?.extensions as
        | { reason?: string }
        | undefined
    )?.reason,
    'no_meeting_model',
  );
  await app.db
    .insertInto('meeting_model_versions')
    .values({
      tenant_id: tenantId,
      network_id: net.id,
      version: 1,
      model: JSON.stringify({ cadenceMonths: 1 }),
    })
    .execute();
  const started = await gql(app, auth, startTrial, { id: net.id });
  t.same(started.body.data, {
    startTrial: { status: 'trial', lifecycle: { status: 'trial', trialLength: 3, heldInTrial: 0 } },
  });

  const read = await gql(app, auth, `query($id: ID!) { network(id: $id) { ${NETWORK_FIELDS} } }`, {
    id: net.id,
  });
  const full = read.body.data!.network as {
    charter: { inForce: boolean; acceptedBy: unknown[] };
    members: { leader: { id: string } }[];
  };
  t.equal(full.charter.inForce, true);
  t.equal(full.charter.acceptedBy.length, 4);
  t.equal(full.members.length, 4);

  const pause = await gql(app, auth, `mutation($id: ID!) { pauseNetwork(id: $id) { status } }`, {
    id: net.id,
  });
  t.same(pause.body.data, { pauseNetwork: { status: 'paused' } });
  const resume = await gql(app, auth, `mutation($id: ID!) { resumeNetwork(id: $id) { status } }`, {
    id: net.id,
  });
  t.same(resume.body.data, { resumeNetwork: { status: 'trial' } });
  const removed = await gql(
    app,
    auth,
    `mutation($n: ID!, $l: ID!) { removeMember(networkId: $n, leaderId: $l) { members { active leader { id } } } }`,
    { n: net.id, l: boss.id },
  );
  const rm = removed.body.data!.removeMember as { members: { active: boolean; leader: { id: string } }[] };
  t.equal(rm.members.find((m) => m.leader.id === boss.id)?.active, false);
  const dissolved = await gql(app, auth, `mutation($id: ID!) { dissolveNetwork(id: $id) { status } }`, {
    id: net.id,
  });
  t.same(dissolved.body.data, { dissolveNetwork: { status: 'dissolved' } });
});

t.test('tenant isolation on every id-taking field; member tokens see their own networks only', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const net = (await api(app, a.auth).post('/v1/networks', { name: 'A' })).json();
  const other = (await api(app, a.auth).post('/v1/networks', { name: 'B' })).json();
  const l = await createLeader(app, a.auth);
  await api(app, a.auth).post(`/v1/networks/${net.id}/members`, { leaderId: l.id });
  const ops: [string, Record<string, unknown>][] = [
    ['query($id: ID!) { network(id: $id) { id } }', { id: net.id }],
    [
      'mutation($id: ID!) { updateNetwork(id: $id, input: { name: "x" }, ifVersion: 1) { id } }',
      { id: net.id },
    ],
    [
      'mutation($id: ID!, $l: ID!) { addMember(networkId: $id, leaderId: $l) { id } }',
      { id: net.id, l: l.id },
    ],
    [
      'mutation($id: ID!, $l: ID!) { removeMember(networkId: $id, leaderId: $l) { id } }',
      { id: net.id, l: l.id },
    ],
    [
      'mutation($id: ID!, $c: CharterInput!) { proposeCharter(networkId: $id, input: $c) { version } }',
      { id: net.id, c: charterInput },
    ],
    ['mutation($id: ID!) { startTrial(id: $id) { id } }', { id: net.id }],
    ['mutation($id: ID!) { pauseNetwork(id: $id) { id } }', { id: net.id }],
    ['mutation($id: ID!) { resumeNetwork(id: $id) { id } }', { id: net.id }],
    ['mutation($id: ID!) { dissolveNetwork(id: $id) { id } }', { id: net.id }],
  ];
  for (const [q, vars] of ops) {
    const res = await gql(app, b.auth, q, vars);
    t.equal(res.body.errors?.[0]?.extensions.code, 'not_found', q);
  }
  const listB = await gql(app, b.auth, '{ networks { nodes { id } } }');
  t.same(listB.body.data, { networks: { nodes: [] } });
  const bMember = await createLeader(app, b.auth);
  const bToken = await tokenFor(b.auth, bMember.id);
  t.equal(
    (
      await gql(app, bToken, 'mutation($id: ID!) { acceptCharter(networkId: $id, version: 1) { version } }', {
        id: net.id,
      })
    ).body.errors?.[0]?.extensions.code,
    'not_found',
  );

  const member = await tokenFor(a.auth, l.id);
  const mine = await gql(
    app,
    member,
    '{ networks { nodes { id members { leaderId name role leader { id } shareSignalsWithFacilitator } } } }',
  );
  // The member view: a member token reads no profile (leader: null) and no consent, not even its
  // own (a token acts for the member; only the member's own session reads private data).
  t.same(mine.body.data, {
    networks: {
      nodes: [
        {
          id: net.id,
          members: [
            { leaderId: l.id, name: l.name, role: 'member', leader: null, shareSignalsWithFacilitator: null },
          ],
        },
      ],
    },
  });
  const notMine = await gql(app, member, 'query($id: ID!) { network(id: $id) { id } }', { id: other.id });
  t.equal(notMine.body.errors?.[0]?.extensions.code, 'not_found', 'a member of A gets not_found on B');
  const create = await gql(app, member, 'mutation { createNetwork(input: { name: "x" }) { id } }');
  t.equal(create.body.errors?.[0]?.extensions.code, 'forbidden');
  const rulesQ =
    'query($id: ID!) { network(id: $id) { rules { ok violations { code min memberCount message { da en } } } } }';
  const memberRules = await gql(app, member, rulesQ, { id: net.id });
  t.same(memberRules.body.data, { network: { rules: null } }, 'rules are for admins');
  const adminRules = await gql(app, a.auth, rulesQ, { id: net.id });
  const rules = (adminRules.body.data!.network as { rules: { ok: boolean; violations: { code: string }[] } })
    .rules;
  t.equal(rules.ok, false);
  t.same(
    rules.violations.map((v) => v.code),
    ['too_few_members', 'charter_not_in_force'],
  );
  const consentQ =
    'mutation($id: ID!) { setMySignalConsent(networkId: $id, shareSignalsWithFacilitator: true) { leaderId shareSignalsWithFacilitator } }';
  t.same((await gql(app, member, consentQ, { id: net.id })).body.data, {
    setMySignalConsent: { leaderId: l.id, shareSignalsWithFacilitator: true },
  });
  t.equal(
    (await gql(app, member, consentQ, { id: other.id })).body.errors?.[0]?.extensions.code,
    'not_found',
  );
  t.equal((await gql(app, a.auth, consentQ, { id: net.id })).body.errors?.[0]?.extensions.code, 'forbidden');
  const filtered = await gql(app, a.auth, 'query($m: ID) { networks(member: $m) { nodes { id } } }', {
    m: l.id,
  });
  t.same(filtered.body.data, { networks: { nodes: [{ id: net.id }] } });
});

t.test(
  'a nested list over N networks costs the same number of round trips for N = 3 and N = 10',
  async (t) => {
    const query = '{ networks(first: 20) { nodes { id members { leader { name } } charter { inForce } } } }';
    const cost = async (n: number) => {
      const { auth } = await ctx.tenant();
      for (let i = 0; i < n; i++) {
        const net = (await api(app, auth).post('/v1/networks', { name: `N${i}` })).json();
        for (let j = 0; j < 2; j++) {
          const l = await createLeader(app, auth);
          await api(app, auth).post(`/v1/networks/${net.id}/members`, { leaderId: l.id });
        }
        await api(app, auth).post(`/v1/networks/${net.id}/charter-versions`, charterInput);
      }
      // The key lookup is cached for a second: start without it, so each count includes it.
      app.apiKeyCache.clear();
      const before = app.database.queries.count;
      const res = await gql(app, auth, query);
      const used = app.database.queries.count - before;
      const nodes = (res.body.data!.networks as { nodes: { members: { leader: { name: string } }[] }[] })
        .nodes;
      t.equal(nodes.length, n);
      t.ok(nodes.every((x) => x.members.length === 2 && x.members.every((m) => m.leader.name)));
      return used;
    };
    const three = await cost(3);
    const ten = await cost(10);
    t.equal(ten, three, `round trips do not grow with N (${three} for 3, ${ten} for 10)`);
    // Including the API-key lookup (cleared above) and the rate limiter's count in its store.
    t.ok(three <= 11, `bounded: ${three}`);
  },
);
