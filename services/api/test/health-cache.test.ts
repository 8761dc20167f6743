/**
 * Health reuses what it read while the fingerprint of its inputs is unchanged
 * (health.service.ts, `healthInputStamps`): a write it depends on — through the service or straight
 * into the database, as another replica would — shows in the very next reading.
 */

import t from '@sparring/test-workers/tap';
import { healthInputStamps } from '../src/evaluations/health.repository.js';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

t.test('a write health depends on is visible at once', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, { members: 6, planned: true });
  const planned = s.plannedMeetingId!;

  const health = async () => {
    const before = app.database.queries.count;
    const res = await api(app, auth).get(`/v1/networks/${s.networkId}/health`);
    t.equal(res.statusCode, 200);
    return { body: res.json(), statements: app.database.queries.count - before };
  };

  // Member 0 sends afbud for the coming meeting; then the meeting's time comes.
  const afbud = await api(app, s.tokens[0]!).post(`/v1/meetings/${planned}/attendance/me`, {
    status: 'cancelled',
  });
  t.equal(afbud.statusCode, 200);
  await app.db
    .updateTable('meetings')
    .set({ starts_at: new Date(Date.now() - 3_600_000), ends_at: new Date(Date.now() + 3_600_000) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', planned)
    .execute();

  const first = await health();
  const again = await health();
  t.same(again.body, first.body, 'unchanged inputs, the same health');
  t.ok(again.statements < first.statements, 'read again from the cache: fewer statements');

  // Through the service: the meeting is held, member 0's afbud and member 5's no-show count.
  const held = await api(app, auth).post(`/v1/meetings/${planned}/held`, {
    attendance: s.leaderIds
      .slice(1)
      .map((leaderId, i) => ({ leaderId, status: i === 4 ? 'no_show' : 'attended' })),
  });
  t.equal(held.statusCode, 200, held.body);
  const afterHeld = (await health()).body;
  // The window is the latest three meetings (the domain's DEFAULT_HEALTH_WINDOW), the new one included.
  t.same([first.body.attendance.cancellations, first.body.attendance.noShows], [0, 0], 'everyone came');
  t.equal(afterHeld.attendance.cancellations, 1, 'the afbud counts at once');
  t.equal(afterHeld.attendance.noShows, 1, 'and the no-show');

  // Straight into the database, as another replica's write: visible at the next reading too.
  await app.db
    .updateTable('attendance')
    .set({ status: 'no_show' })
    .where('tenant_id', '=', tenantId)
    .where('meeting_id', '=', s.meetingIds[2]!)
    .where('leader_id', '=', s.leaderIds[2]!)
    .execute();
  const afterSql = (await health()).body;
  t.equal(
    afterSql.attendance.noShows,
    afterHeld.attendance.noShows + 1,
    "another writer's change shows at once",
  );

  // GraphQL reads the same inputs.
  const q = await gql(
    app,
    auth,
    `{ network(id: "${s.networkId}") { health { attendance { meetings cancellations noShows } } } }`,
  );
  t.same(
    (q.body.data as { network: { health: { attendance: object } } }).network.health.attendance,
    {
      meetings: afterSql.attendance.meetings,
      cancellations: afterSql.attendance.cancellations,
      noShows: afterSql.attendance.noShows,
    },
    'GraphQL agrees',
  );
});

t.test('the fingerprint moves with every input of health, and only with them', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seedNetwork(app, tenantId, auth, {
    members: 6,
    planned: true,
    answers: () => ({ benefit: 4, energy: 4, purposeFit: 4, relations: 4, giveGet: 0 }),
  });
  const other = await seedNetwork(app, tenantId, auth, { members: 6 });
  const stamps = () => healthInputStamps(app.db, tenantId, [s.networkId, other.networkId]);
  const base = await stamps();
  t.equal(base.size, 2);
  const changes: [string, () => Promise<unknown>][] = [
    [
      'an evaluation edited',
      () =>
        app.db
          .updateTable('evaluations')
          .set({ benefit: 2 })
          .where('tenant_id', '=', tenantId)
          .where('meeting_id', '=', s.meetingIds[0]!)
          .where('leader_id', '=', s.leaderIds[0]!)
          .execute(),
    ],
    [
      'an evaluation deleted',
      () =>
        app.db
          .deleteFrom('evaluations')
          .where('tenant_id', '=', tenantId)
          .where('meeting_id', '=', s.meetingIds[1]!)
          .where('leader_id', '=', s.leaderIds[1]!)
          .execute(),
    ],
    [
      "a held meeting's frozen round",
      () =>
        app.db
          .updateTable('meetings')
          .set({ evaluation_k: 6 })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', s.meetingIds[2]!)
          .execute(),
    ],
    [
      'a new charter version (the notice)',
      () =>
        app.db
          .insertInto('charter_versions')
          .values({
            tenant_id: tenantId,
            network_id: s.networkId,
            version: 2,
            charter: JSON.stringify({ purpose: 'p', goals: [], groundRules: [] }),
          })
          .execute(),
    ],
  ];
  let previous = base.get(s.networkId);
  for (const [what, write] of changes) {
    await write();
    const now = await stamps();
    t.not(now.get(s.networkId), previous, what);
    t.equal(now.get(other.networkId), base.get(other.networkId), `${what}: the other network is untouched`);
    previous = now.get(s.networkId);
  }
  // Not an input: the planned meeting's attendance (health reads held meetings only).
  await app.db
    .insertInto('attendance')
    .values({
      tenant_id: tenantId,
      meeting_id: s.plannedMeetingId!,
      leader_id: s.leaderIds[0]!,
      status: 'confirmed',
      cancelled_at: null,
    })
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'meeting_id', 'leader_id']).doUpdateSet({ status: 'confirmed' }),
    )
    .execute();
  t.equal((await stamps()).get(s.networkId), previous, "a planned meeting's attendance is no input");
});
