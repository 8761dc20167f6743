/**
 * The demo loader on a clean test database (PGlite, or PostgreSQL with DATABASE_URL): the network
 * is review_due with health and a recommendation at once, all through the service's routes.
 */

import t from '@sparring/test-workers/tap';
import { loadDemo } from '../src/demo/demo-data.js';
import { mySignals } from '../src/evaluations/health.service.js';
import { createMemberSession } from '../src/members/member-session.service.js';
import { api } from './helpers/api.js';
import { buildTestApp } from './helpers/build.js';

t.test('the demo tenant shows health and a recommendation at once', async (t) => {
  const { app } = await buildTestApp(t);
  const demo = await loadDemo(app);
  const auth = { authorization: `Bearer ${demo.adminKey}` };

  const network = (await api(app, auth).get(`/v1/networks/${demo.networkId}`)).json();
  t.equal(network.status, 'review_due', 'the trial is over: the review is due');
  t.equal(network.members.length, 12, "the seed's 12 leaders");
  t.equal(network.lifecycle.reviewKind, 'trial_end');

  const charter = (await api(app, auth).get(`/v1/networks/${demo.networkId}/charter`)).json();
  t.equal(charter.inForce, true, 'the charter is accepted by every member');

  const meetings = (await api(app, auth).get(`/v1/networks/${demo.networkId}/meetings`)).json();
  t.same(
    meetings.data.map((m: { status: string }) => m.status),
    ['held', 'held', 'held', 'planned'],
    'three meetings held, the fourth planned',
  );
  t.ok(new Date(meetings.data[3].startsAt).getTime() > Date.now(), 'the planned meeting is ahead');
  const next = (await api(app, auth).get(`/v1/meetings/${meetings.data[3].id}/attendance`)).json();
  t.match(
    next.data.filter((a: { status: string }) => a.status === 'cancelled'),
    [{ late: false }],
    'an afbud in good time for the coming meeting',
  );

  const health = (await api(app, auth).get(`/v1/networks/${demo.networkId}/health`)).json();
  t.match(health.band, /^(thriving|healthy|at_risk|off_track)$/, 'health has a band');
  t.type(health.index, 'number');
  t.ok(health.components, 'health has its components');
  t.equal(health.evaluatedMeetings, 3, 'every held meeting is released with at least k answers');
  t.ok(health.attendance.lateCancellations > 0, 'late afbud among the cancellations');
  t.ok(health.attendance.noShows > 0, 'a no-show');
  t.ok(
    health.signals.some((s: { code: string }) => s.code === 'many_cancellations'),
    "the seed's warning sign: many afbud",
  );

  const review = (await api(app, auth).get(`/v1/networks/${demo.networkId}/review`)).json();
  t.ok(['continue', 'adjust', 'dissolve'].includes(review.recommendation.recommendation), 'a recommendation');
  t.ok(review.recommendation.reasons.length > 0, 'with its reasons');
  t.same(
    demo.review.reasons,
    review.recommendation.reasons.map((r: { code: string }) => r.code),
  );

  // The at-risk member's own signal: refused to a minted token, shown in his own session.
  const minted = await api(app, auth).post(`/v1/leaders/${demo.atRiskMember.leaderId}/member-tokens`, {});
  const withToken = await api(app, { authorization: `Bearer ${minted.json().token}` }).get(
    `/v1/networks/${demo.networkId}/signals/me`,
  );
  t.equal(withToken.statusCode, 403, 'a minted token never reads his private signal');
  t.equal(withToken.json().code, 'private_data');
  const { session } = await createMemberSession(
    app.db,
    demo.tenantId,
    demo.atRiskMember.leaderId,
    new Date(),
  );
  t.match(
    await mySignals(app.db, session, demo.networkId, new Date()),
    [{ code: 'member_at_risk_of_withdrawing' }],
    "the at-risk member's own signal, in his own session",
  );
  const meetingSummaries = await Promise.all(
    meetings.data
      .slice(0, 3)
      .map(async (m: { id: string }) =>
        (await api(app, auth).get(`/v1/meetings/${m.id}/evaluations/summary`)).json(),
      ),
  );
  t.ok(
    meetingSummaries.every((x: { released: boolean }) => x.released),
    'every held meeting is released (everyone who was there answered: the windows closed early)',
  );

  const again = await loadDemo(app);
  t.not(again.tenantId, demo.tenantId, 'a second run makes a new demo tenant and does not fail');
  t.equal(again.status, 'review_due');
});
