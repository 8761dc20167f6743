/**
 * An afbud given by phone: the facilitator or an admin records it for a member with the time it
 * was given (REST and GraphQL), late or on time judged by the domain from that time; audited.
 */

import t from '@sparring/test-workers/tap';
import type { FastifyBaseLogger } from 'fastify';
import { recordAfbudForMember } from '../src/meetings/meeting.service.js';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { createLeaders, memberToken, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
const HOUR = 3_600_000;

/** Six members, three held meetings; member 5 did not come to the last one (no-show). */
const seed = (tenantId: string, auth: { authorization: string }) =>
  seedNetwork(app, tenantId, auth, {
    members: 6,
    facilitator: 0,
    planned: true,
    attendance: (i, j) => (i === 2 && j === 5 ? 'no_show' : 'attended'),
  });

const record = (meetingId: string, leaderId: string, headers: Record<string, string>, payload: object) =>
  api(app, headers).post(`/v1/meetings/${meetingId}/attendance/${leaderId}/afbud`, payload);

const startsAt = async (meetingId: string, auth: Record<string, string>) =>
  new Date((await api(app, auth).get(`/v1/meetings/${meetingId}`)).json().startsAt);

const afbudEvents = async (tenantId: string) =>
  app.db
    .selectFrom('events')
    .select('data')
    .where('tenant_id', '=', tenantId)
    .where('type', '=', 'meeting.afbud')
    .execute();

t.test('a phoned afbud on a held meeting counts with its real time', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seed(tenantId, auth);
  const last = s.meetingIds[2]!;
  const member = s.leaderIds[5]!;
  const before = (await api(app, auth).get(`/v1/networks/${s.networkId}/health`)).json();
  t.match(before.attendance, { cancellations: 0, noShows: 1 });

  // Three days before the start: on time (the default notice is 48 h).
  const start = await startsAt(last, auth);
  const onTime = await record(last, member, s.tokens[0]!, {
    cancelledAt: new Date(start.getTime() - 72 * HOUR).toISOString(),
  });
  t.equal(onTime.statusCode, 200, 'the facilitator may record it');
  t.match(onTime.json(), {
    leaderId: member,
    status: 'cancelled',
    cancelledAt: new Date(start.getTime() - 72 * HOUR).toISOString(),
    late: false,
  });
  const after = (await api(app, auth).get(`/v1/networks/${s.networkId}/health`)).json();
  t.match(
    after.attendance,
    { cancellations: 1, lateCancellations: 0, noShows: 0 },
    'health reads the afbud, on time, instead of the no-show',
  );
  t.equal((await afbudEvents(tenantId)).length, 1, 'a new afbud is an event');

  // Corrected: it was 20 h before. Late now; no second event.
  const corrected = await record(last, member, auth, {
    cancelledAt: new Date(start.getTime() - 20 * HOUR).toISOString(),
  });
  t.equal(corrected.statusCode, 200, 'an admin may record it');
  t.equal(corrected.json().late, true);
  t.equal((await afbudEvents(tenantId)).length, 1, 'correcting the time is not a new afbud');
  const health = (await api(app, auth).get(`/v1/networks/${s.networkId}/health`)).json();
  t.match(health.attendance, { cancellations: 1, lateCancellations: 1 });
});

t.test('refusals: future time, an attended member, a stranger, a plain member, bad input', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seed(tenantId, auth);
  const last = s.meetingIds[2]!;
  const future = await record(last, s.leaderIds[5]!, auth, {
    cancelledAt: new Date(Date.now() + 10 * 60_000).toISOString(),
  });
  t.equal(future.statusCode, 400);
  t.match(future.json().issues, [{ path: 'cancelledAt', code: 'too_large' }]);
  const came = await record(last, s.leaderIds[1]!, auth, { cancelledAt: '2026-01-01T10:00:00.000Z' });
  t.equal(came.statusCode, 400);
  t.match(came.json().issues, [{ path: 'cancelledAt', code: 'not_allowed' }]);
  const stranger = (await createLeaders(app, auth, 1))[0]!;
  const notMember = await record(last, stranger, auth, { cancelledAt: '2026-01-01T10:00:00.000Z' });
  t.equal(notMember.statusCode, 400);
  t.match(notMember.json().issues, [{ path: 'leaderId', code: 'invalid_reference' }]);
  const plain = await record(last, s.leaderIds[5]!, s.tokens[3]!, {
    cancelledAt: '2026-01-01T10:00:00.000Z',
  });
  t.equal(plain.statusCode, 403, 'a member who does not facilitate may not');
  for (const payload of [
    {},
    { cancelledAt: 'yesterday' },
    { cancelledAt: '2026-01-01T10:00:00Z', late: true },
  ])
    t.equal((await record(last, s.leaderIds[5]!, auth, payload)).statusCode, 400, JSON.stringify(payload));
  const attendance = (await api(app, auth).get(`/v1/meetings/${last}/attendance`)).json().data;
  t.match(
    attendance.find((a: { leaderId: string }) => a.leaderId === s.leaderIds[5]),
    { status: 'no_show' },
    'nothing was written',
  );
  t.equal((await afbudEvents(tenantId)).length, 0);

  // Another tenant's admin does not see the meeting.
  const other = await ctx.tenant();
  const foreign = await record(last, s.leaderIds[5]!, other.auth, {
    cancelledAt: '2026-01-01T10:00:00.000Z',
  });
  t.equal(foreign.statusCode, 404);
});

t.test('a planned meeting: recorded ahead, on time; GraphQL mirrors REST; audited', async (t) => {
  const { tenantId, auth } = await ctx.tenant();
  const s = await seed(tenantId, auth);
  const planned = s.plannedMeetingId!;
  const given = new Date(Date.now() - 2 * HOUR).toISOString();
  const res = await gql(
    app,
    s.tokens[0]!,
    'mutation ($m: ID!, $l: ID!, $at: String!) { recordAfbud(meetingId: $m, leaderId: $l, cancelledAt: $at) { leaderId status cancelledAt late } }',
    { m: planned, l: s.leaderIds[2], at: given },
  );
  t.same(res.body.data, {
    recordAfbud: { leaderId: s.leaderIds[2], status: 'cancelled', cancelledAt: given, late: false },
  });
  const bad = await gql(
    app,
    auth,
    'mutation ($m: ID!, $l: ID!) { recordAfbud(meetingId: $m, leaderId: $l, cancelledAt: "soon") { late } }',
    { m: planned, l: s.leaderIds[3] },
  );
  t.equal(bad.body.errors?.[0]?.extensions.code, 'validation_failed');
  const member = await gql(
    app,
    await memberToken(app, auth, s.leaderIds[4]!),
    'mutation ($m: ID!, $l: ID!, $at: String!) { recordAfbud(meetingId: $m, leaderId: $l, cancelledAt: $at) { late } }',
    { m: planned, l: s.leaderIds[3], at: given },
  );
  t.equal(member.body.errors?.[0]?.extensions.code, 'forbidden');

  const lines: Record<string, unknown>[] = [];
  const log = { info: (obj: Record<string, unknown>) => lines.push(obj) } as unknown as FastifyBaseLogger;
  const admin = { kind: 'admin', tenantId, keyId: 'k1' } as const;
  await recordAfbudForMember(app.db, admin, planned, s.leaderIds[3]!, new Date(given), log);
  t.match(lines, [
    {
      audit: 'afbud_recorded',
      tenantId,
      meetingId: planned,
      leaderId: s.leaderIds[3],
      recordedBy: { keyId: 'k1' },
      cancelledAt: given,
      late: false,
      previousStatus: 'expected', // generating the meeting wrote an expected row per member
    },
  ]);
});
