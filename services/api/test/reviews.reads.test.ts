/**
 * Reads of a review never write (issue #12): GET /review, GET /reviews and the GraphQL review
 * fields leave the reviews table as it was (no insert, no update: the rows, their recommendation
 * and their xmin are the same) while the evaluations under them change. The review row is opened
 * by the meeting that makes the network due; a network due without a row (older data) reads the
 * same review every time and its decision stores it.
 */

import t from '@sparring/test-workers/tap';
import { sql } from 'kysely';
import type { Test } from 'tap';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { type Answers, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;

/** Lukewarm answers and many cancellations: the domain recommends adjusting. */
const answers = (_i: number, j: number): Answers | null =>
  j < 5 ? { benefit: 3, energy: 3, purposeFit: 3, relations: 3, giveGet: 0 } : null;
const attendance = (_i: number, j: number) => (j >= 5 ? ('cancelled' as const) : ('attended' as const));

/** The reviews of a tenant as stored, with each row's xmin (changes on any update). */
const snapshot = (tenantId: string) =>
  app.db
    .selectFrom('reviews')
    .select([
      'id',
      'network_id',
      'kind',
      'opened_at',
      'recommendation',
      'decision',
      'decided_at',
      sql<string>`xmin::text`.as('xmin'),
    ])
    .where('tenant_id', '=', tenantId)
    .orderBy('id')
    .execute();

/** Every meeting of the network goes well: the stored evaluations and attendance change. */
async function improve(networkId: string) {
  const meetings = app.db.selectFrom('meetings').select('id').where('network_id', '=', networkId);
  await app.db
    .updateTable('evaluations')
    .set({ benefit: 5, energy: 5, purpose_fit: 5, relations: 5, give_get: 0 })
    .where('meeting_id', 'in', meetings)
    .execute();
  await app.db
    .updateTable('attendance')
    .set({ status: 'attended', cancelled_at: null, late: false })
    .where('meeting_id', 'in', meetings)
    .execute();
}

const CURRENT = `query ($n: ID!) { currentReview(networkId: $n) { id recommendation { recommendation changes } }
  reviews(networkId: $n, first: 10) { id decision }
  network(id: $n) { currentReview { id recommendation { recommendation } } reviews { id decision } } }`;

/** Every read of the review, REST and GraphQL; returns the current review as REST shows it. */
async function readAll(t: Test, networkId: string, auth: { authorization: string }) {
  const rest = await api(app, auth).get(`/v1/networks/${networkId}/review`);
  t.equal(rest.statusCode, 200);
  const history = await api(app, auth).get(`/v1/networks/${networkId}/reviews`);
  t.equal(history.statusCode, 200);
  const g = await gql(app, auth, CURRENT, { n: networkId });
  t.equal(g.body.errors, undefined);
  const data = g.body.data as {
    currentReview: { id: string; recommendation: { recommendation: string } };
    reviews: { id: string; decision: string | null }[];
    network: {
      currentReview: { id: string; recommendation: { recommendation: string } };
      reviews: unknown[];
    };
  };
  const review = rest.json();
  t.equal(data.currentReview.id, review.id, 'GraphQL reads the same review');
  t.equal(data.network.currentReview.id, review.id);
  t.equal(data.currentReview.recommendation.recommendation, review.recommendation.recommendation);
  t.equal(data.network.currentReview.recommendation.recommendation, review.recommendation.recommendation);
  t.same(
    history.json().data.map((r: { id: string }) => r.id),
    [review.id],
    'the history lists the open review',
  );
  t.same(data.reviews, [{ id: review.id, decision: null }]);
  t.same(data.network.reviews, [{ id: review.id, decision: null }]);
  return review as { id: string; openedAt: string; recommendation: { recommendation: string } };
}

t.test('the meeting that makes the network due opens the review; reads write nothing', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  // Two of a three-meeting trial held; the third is planned and has started.
  const s = await seedNetwork(app, tenantId, auth, {
    members: 7,
    answers,
    attendance,
    facilitator: 0,
    held: 2,
    planned: true,
  });
  const started = new Date(Date.now() - 3_600_000);
  await app.db
    .updateTable('meetings')
    .set({ starts_at: started })
    .where('id', '=', s.plannedMeetingId!)
    .execute();
  const none = await api(app, auth).get(`/v1/networks/${s.networkId}/review`);
  t.equal(none.statusCode, 404, 'no review is due yet');
  t.same(await snapshot(tenantId), [], 'and no row');

  const held = await api(app, auth).post(`/v1/meetings/${s.plannedMeetingId}/held`, {
    attendance: s.leaderIds.map((leaderId) => ({ leaderId, status: 'attended' })),
  });
  t.equal(held.statusCode, 200);
  const opened = await snapshot(tenantId);
  t.equal(opened.length, 1, 'the review row exists right after the meeting is marked held');
  t.equal(opened[0]!.network_id, s.networkId);
  t.equal(opened[0]!.kind, 'trial_end');
  t.equal(opened[0]!.decision, null);
  const storedRecommendation = opened[0]!.recommendation as { recommendation: string };
  t.equal(storedRecommendation.recommendation, 'adjust', 'with the recommendation of that moment');

  const first = await readAll(t, s.networkId, auth);
  t.equal(first.id, opened[0]!.id, 'reads show the stored row');
  t.equal(first.openedAt, opened[0]!.opened_at.toISOString());
  t.equal(first.recommendation.recommendation, 'adjust');
  t.same(await snapshot(tenantId), opened, 'reads wrote nothing');

  await improve(s.networkId);
  const second = await readAll(t, s.networkId, auth);
  t.equal(second.id, first.id);
  t.not(
    second.recommendation.recommendation,
    'adjust',
    'the recommendation is computed on what is stored now',
  );
  await readAll(t, s.networkId, s.tokens[3]!);
  t.same(await snapshot(tenantId), opened, 'reads wrote nothing: same rows, recommendation, xmin');

  const decided = await api(app, auth).post(`/v1/networks/${s.networkId}/review/decision`, {
    decision: 'continue',
  });
  t.equal(decided.statusCode, 200);
  t.equal(decided.json().review.id, first.id);
  const after = await snapshot(tenantId);
  t.equal(after.length, 1);
  t.equal(after[0]!.decision, 'continue');
  t.equal(
    (after[0]!.recommendation as { recommendation: string }).recommendation,
    second.recommendation.recommendation,
    'the decision stores the recommendation it was taken on',
  );
  const events = await app.db
    .selectFrom('events')
    .select(['type'])
    .where('tenant_id', '=', tenantId)
    .where('type', 'in', ['review.due', 'review.decided'])
    .execute();
  t.same(events.map((e) => e.type).sort(), ['review.decided', 'review.due']);
});

t.test('a network due without a row (older data): reads write nothing; the decision stores it', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  // Older data: due, without the row the third held meeting opened (as before rows were opened by the write).
  const s = await seedNetwork(app, tenantId, auth, { members: 7, answers, attendance, facilitator: 0 });
  await app.db.deleteFrom('reviews').where('tenant_id', '=', tenantId).execute();
  t.same(await snapshot(tenantId), []);
  const first = await readAll(t, s.networkId, auth);
  t.equal(first.recommendation.recommendation, 'adjust');
  await improve(s.networkId);
  const second = await readAll(t, s.networkId, s.tokens[2]!);
  t.equal(second.id, first.id, 'the same id on every read');
  t.equal(second.openedAt, first.openedAt);
  t.not(second.recommendation.recommendation, 'adjust');
  t.same(await snapshot(tenantId), [], 'reads inserted nothing');

  const decided = await api(app, s.tokens[0]!).post(`/v1/networks/${s.networkId}/review/decision`, {
    decision: 'continue',
    reviewEvery: 4,
  });
  t.equal(decided.statusCode, 200);
  t.equal(decided.json().review.id, first.id, 'the decision stores the review that was read');
  const after = await snapshot(tenantId);
  t.equal(after.length, 1);
  t.equal(after[0]!.id, first.id);
  t.equal(after[0]!.opened_at.toISOString(), first.openedAt);
  t.equal(after[0]!.decision, 'continue');
  t.equal(
    (after[0]!.recommendation as { recommendation: string }).recommendation,
    second.recommendation.recommendation,
  );
  const history = await api(app, auth).get(`/v1/networks/${s.networkId}/reviews`);
  t.same(
    history.json().data.map((r: { id: string; decision: string }) => [r.id, r.decision]),
    [[first.id, 'continue']],
  );
  const gone = await api(app, auth).get(`/v1/networks/${s.networkId}/review`);
  t.equal(gone.statusCode, 404);
  t.same(await snapshot(tenantId), after, 'reads after the decision write nothing');
});
