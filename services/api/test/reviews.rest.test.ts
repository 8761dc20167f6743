import t from '@sparring/test-workers/tap';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';
import { type Answers, charterInput, meetingModelInput, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

/** Lukewarm answers and many cancellations: the domain recommends adjusting. */
const answers = (_i: number, j: number): Answers | null =>
  j < 5 ? { benefit: 3, energy: 3, purposeFit: 3, relations: 3, giveGet: 0 } : null;
const attendance = (_i: number, j: number) => (j >= 5 ? ('cancelled' as const) : ('attended' as const));
const seed = async (tenantId: string, auth: { authorization: string }, extra = {}) =>
  seedNetwork(app, tenantId, auth, { members: 7, answers, attendance, facilitator: 0, ...extra });

const decide = (networkId: string, headers: Record<string, string>, payload: object) =>
  api(app, headers).post(`/v1/networks/${networkId}/review/decision`, payload);
const networkRow = (id: string) =>
  app.db.selectFrom('networks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const count = async (table: 'meeting_model_versions' | 'charter_versions', networkId: string) =>
  (await app.db.selectFrom(table).select('version').where('network_id', '=', networkId).execute()).length;

t.test('the recommendation of a due review, opened once, kept in the history', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seed(tenantId, auth);
  t.equal((await networkRow(s.networkId)).status, 'review_due');
  const first = await api(app, auth).get(`/v1/networks/${s.networkId}/review`);
  t.equal(first.statusCode, 200);
  const review = first.json();
  t.equal(review.kind, 'trial_end');
  t.equal(review.decision, null);
  t.equal(review.recommendation.recommendation, 'adjust');
  // Two of seven cancel each meeting, 24 h before (late): one change advised, another time; meeting
  // less often is considered, not advised now.
  t.same(review.recommendation.changes, ['time_slot'], 'one change, not every area at once');
  t.match(review.recommendation.advised, [
    {
      area: 'time_slot',
      direction: 'another_time',
      reason: 'many_cancellations',
      message: { en: 'Find another time: daytime, evening or weekend.' },
    },
  ]);
  t.match(review.recommendation.considered, [
    { area: 'cadence', direction: 'less_often', reason: 'many_cancellations' },
  ]);
  t.ok(review.recommendation.advised[0].strength > review.recommendation.considered[0].strength);
  t.equal(review.recommendation.extendBy, null);
  t.ok(review.recommendation.reasons.some((r: { code: string }) => r.code === 'many_cancellations'));
  const again = await api(app, s.tokens[3]!).get(`/v1/networks/${s.networkId}/review`);
  t.equal(again.json().id, review.id, 'one open review per network (members may read it too)');
  const history = await api(app, auth).get(`/v1/networks/${s.networkId}/reviews`);
  t.equal(history.json().data.length, 1);
});

t.test('continue: the network becomes active; the review is decided and no longer current', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seed(tenantId, auth);
  for (const reviewEvery of [0, 25, 5000]) {
    const bad = await decide(s.networkId, auth, { decision: 'continue', reviewEvery });
    t.equal(bad.statusCode, 400, `reviewEvery ${reviewEvery} is outside the domain's 1–24`);
  }
  t.equal((await networkRow(s.networkId)).status, 'review_due', 'nothing was decided');
  const res = await decide(s.networkId, auth, { decision: 'continue', reviewEvery: 4 });
  t.equal(res.statusCode, 200);
  t.equal(res.json().networkStatus, 'active');
  t.equal(res.json().review.decision, 'continue');
  t.equal(res.json().review.decisionDetail.reviewEvery, 4);
  t.ok(res.json().review.recommendation, 'the recommendation the decision was taken on is kept');
  t.equal(res.headers.etag, `"${res.json().networkVersion}"`);
  t.equal((await networkRow(s.networkId)).review_every, 4);
  const current = await api(app, auth).get(`/v1/networks/${s.networkId}/review`);
  t.equal(current.statusCode, 404);
  t.equal(current.json().code, 'review_not_due');
  const twice = await decide(s.networkId, auth, { decision: 'continue' });
  t.equal(twice.statusCode, 409);
  t.equal(twice.json().reason, 'no_review_due');
  const history = (await api(app, auth).get(`/v1/networks/${s.networkId}/reviews`)).json();
  t.equal(history.data.length, 1);
  t.equal(history.data[0].decision, 'continue');
});

t.test(
  'adjust with a new meeting model and charter: one transaction; the new charter awaits acceptance',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seed(tenantId, auth);
    const res = await decide(s.networkId, s.tokens[0]!, {
      decision: 'adjust',
      changes: ['cadence', 'charter'],
      meetingModel: { ...meetingModelInput, cadenceMonths: 2, timeSlot: 'weekday_evening' },
      charter: { ...charterInput, purpose: 'Sharper: strategy and dilemmas' },
    });
    t.equal(res.statusCode, 200, 'the member facilitator may decide');
    t.equal(res.json().networkStatus, 'trial');
    t.match(res.json().review.decisionDetail, {
      changes: ['cadence', 'charter'],
      meetingModelVersion: 2,
      charterVersion: 2,
    });
    const network = await networkRow(s.networkId);
    t.match(network.lifecycle, { status: 'trial', round: 2, heldInTrial: 0 });
    t.equal(await count('meeting_model_versions', s.networkId), 2);
    t.equal(await count('charter_versions', s.networkId), 2);
    const accepted = await app.db
      .selectFrom('charter_acceptances')
      .select('leader_id')
      .where('version', '=', 2)
      .execute();
    t.equal(accepted.length, 0, 'version 2 needs every member’s acceptance again');
  },
);

t.test(
  'all or nothing: an invalid model is 400 and a readiness refusal is 409; nothing changes',
  async (t) => {
    const { tenantId, auth } = await ctx.tenant();
    const s = await seed(tenantId, auth);
    const before = await networkRow(s.networkId);
    const invalid = await decide(s.networkId, auth, {
      decision: 'adjust',
      changes: ['cadence'],
      meetingModel: { ...meetingModelInput, cadenceMonths: 5 },
    });
    t.equal(invalid.statusCode, 400);
    t.equal(invalid.json().code, 'validation_failed');
    t.ok(invalid.json().issues.some((i: { path: string }) => i.path === 'meetingModel.cadenceMonths'));
    const notAllowed = await decide(s.networkId, auth, { decision: 'continue', changes: ['cadence'] });
    t.equal(notAllowed.statusCode, 400);
    const noChanges = await decide(s.networkId, auth, { decision: 'adjust', changes: [] });
    t.equal(noChanges.statusCode, 409);
    t.equal(noChanges.json().reason, 'no_changes');

    // Two members leave: 5 active < minimum 6, so the new trial cannot start.
    await app.db
      .updateTable('network_members')
      .set({ left_at: new Date() })
      .where('network_id', '=', s.networkId)
      .where('leader_id', 'in', s.leaderIds.slice(5))
      .execute();
    const refused = await decide(s.networkId, auth, {
      decision: 'adjust',
      changes: ['cadence'],
      meetingModel: { ...meetingModelInput, cadenceMonths: 2 },
    });
    t.equal(refused.statusCode, 409);
    t.equal(refused.json().code, 'lifecycle_refused');
    t.equal(refused.json().reason, 'too_few_members');
    const after = await networkRow(s.networkId);
    t.equal(after.status, 'review_due', 'the network stays review_due');
    t.equal(after.version, before.version);
    t.equal(await count('meeting_model_versions', s.networkId), 1, 'the new model was not stored');
    const reviews = await app.db
      .selectFrom('reviews')
      .selectAll()
      .where('network_id', '=', s.networkId)
      .execute();
    t.ok(
      reviews.every((r) => r.decision === null),
      'no decision recorded',
    );

    const stale = await decide(s.networkId, { ...auth, 'if-match': '"999"' }, { decision: 'dissolve' });
    t.equal(stale.statusCode, 412);
    const dissolved = await decide(
      s.networkId,
      { ...auth, 'if-match': `"${after.version}"` },
      { decision: 'dissolve' },
    );
    t.equal(dissolved.statusCode, 200);
    t.equal(dissolved.json().networkStatus, 'dissolved');
  },
);

t.test('who may decide, and tenant isolation on every review route', async (t) => {
  const a = await ctx.tenant();
  const b = await ctx.tenant();
  const s = await seed(a.tenantId, a.auth);
  const notDue = await seed(a.tenantId, a.auth, { held: 2 });
  const other = await seed(b.tenantId, b.auth);
  const member = await decide(s.networkId, s.tokens[3]!, { decision: 'dissolve' });
  t.equal(member.statusCode, 403, 'a member who does not facilitate cannot decide');
  const nd = await api(app, a.auth).get(`/v1/networks/${notDue.networkId}/review`);
  t.equal(nd.statusCode, 404);
  t.equal(nd.json().code, 'review_not_due');
  for (const headers of [b.auth, other.tokens[0]!, notDue.tokens[1]!]) {
    t.equal((await api(app, headers).get(`/v1/networks/${s.networkId}/review`)).statusCode, 404);
    t.equal((await api(app, headers).get(`/v1/networks/${s.networkId}/reviews`)).statusCode, 404);
    t.equal((await decide(s.networkId, headers, { decision: 'dissolve' })).statusCode, 404);
  }
  t.equal((await networkRow(s.networkId)).status, 'review_due');
});

t.test('a trial with no evaluations: evaluate first; extend runs the trial one more meeting', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  // Six members, full attendance, three held meetings, nobody answered.
  const s = await seedNetwork(app, tenantId, auth, { members: 6, facilitator: 0 });
  const review = (await api(app, auth).get(`/v1/networks/${s.networkId}/review`)).json();
  t.equal(review.recommendation.recommendation, 'evaluate_first', 'not continue: nothing to continue on');
  t.equal(review.recommendation.extendBy, 1);
  t.same(review.recommendation.changes, []);
  t.same(review.recommendation.advised, []);
  const last = review.recommendation.reasons.at(-1);
  t.equal(last.code, 'evaluate_first');
  t.same(last.evidence, { evaluatedMeetings: 0, minimum: 2, extendBy: 1 });
  t.match(last.message.da, /forlæng prøveperioden med et møde/);
  t.ok(review.recommendation.reasons.some((r: { code: string }) => r.code === 'too_early'));

  const withChanges = await decide(s.networkId, auth, { decision: 'extend', changes: ['cadence'] });
  t.equal(withChanges.statusCode, 400, 'extend takes no changes');
  const withInterval = await decide(s.networkId, auth, { decision: 'extend', reviewEvery: 4 });
  t.equal(withInterval.statusCode, 400, 'extend takes no review interval');
  const res = await decide(s.networkId, s.tokens[0]!, { decision: 'extend' });
  t.equal(res.statusCode, 200, 'the facilitator may extend');
  t.equal(res.json().networkStatus, 'trial');
  t.equal(res.json().review.decision, 'extend');
  t.match(res.json().review.decisionDetail, {
    changes: [],
    trialLength: 3,
    extendedBy: 1,
    reviewEvery: null,
  });
  t.equal(res.json().review.recommendation.recommendation, 'evaluate_first', 'kept with the decision');
  const network = await networkRow(s.networkId);
  t.match(network.lifecycle, { status: 'trial', round: 1, heldInTrial: 3, trialLength: 3, extendedBy: 1 });
  const event = await app.db
    .selectFrom('events')
    .select('data')
    .where('tenant_id', '=', tenantId)
    .where('type', '=', 'review.decided')
    .executeTakeFirstOrThrow();
  t.match(event.data, { networkId: s.networkId, decision: 'extend' });
  const again = await decide(s.networkId, auth, { decision: 'extend' });
  t.equal(again.statusCode, 409, 'no review is due until the extra meeting is held');
  t.equal(again.json().reason, 'no_review_due');
});
