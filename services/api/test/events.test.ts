/**
 * The domain-events outbox end to end: every type is recorded by the flow that causes it (REST,
 * some GraphQL, the formation runner, the periodic task), payloads match the catalogue's schemas
 * and carry nothing private, paging by cursor catches up without gaps (also across a transaction
 * that commits late, on PostgreSQL), the type filter, bad input, who may read, and retention.
 */

import t from '@sparring/test-workers/tap';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../src/config.js';
import { listEvents, recordEvent } from '../src/events/event.repository.js';
import { DomainEventSchema, EVENT_TYPES, type EventType } from '../src/events/event-types.js';
import { api } from './helpers/api.js';
import { type Auth, buildTestApp, gql } from './helpers/build.js';
import { answer, countsIn, formNetwork, hold, timePasses } from './helpers/confidentiality-fixtures.js';
import { eventsSettled } from './helpers/events.js';
import { createLeaders, memberToken, moveTo } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
const onPostgres = Boolean(process.env.DATABASE_URL);

interface EventJson {
  id: string;
  type: string;
  position: string;
  cursor: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

const ajv = addFormats.default(new Ajv.default({ allErrors: true, strict: false }));
const validEvent = ajv.compile(DomainEventSchema);

/** Waits until the events `where` selects are visible (helpers/events.ts). */
const settled = (where?: Parameters<typeof eventsSettled>[1]) => eventsSettled(app.db, where);

/** Every event of the tenant through REST, page by page (`limit` small, so paging is exercised). */
async function allEvents(auth: Auth, limit = 7, query = ''): Promise<EventJson[]> {
  await settled();
  const out: EventJson[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const url = `/v1/events?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}${query}`;
    const res = await api(app, auth).get(url);
    if (res.statusCode !== 200) throw new Error(`events: ${res.statusCode} ${res.body}`);
    const body = res.json() as { data: EventJson[]; nextCursor: string | null };
    out.push(...body.data);
    cursor = body.nextCursor;
    if (cursor === null) return out;
  }
  throw new Error('too many pages');
}

const ofType = (events: readonly EventJson[], type: EventType) => events.filter((e) => e.type === type);

async function expectStatus(res: { statusCode: number; body: string }, status: number, what: string) {
  if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res;
}

const SECRET = 'SECRET comment nobody outside the room may read';
const ANSWER_KEYS = ['benefit', 'energy', 'purposeFit', 'relations', 'giveGet', 'comment', 'answers'];

/** Every key anywhere in a JSON value. */
const keysIn = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(keysIn)
    : value !== null && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => [k, ...keysIn(v)])
      : [];

t.test(
  'every event type is recorded by the flow that causes it, with a valid and public payload',
  async (t) => {
    const { auth, tenantId } = await ctx.tenant();
    // 6 members, k = 5, a trial of 3 meetings plus a 4th: leader.created ×6, network.created,
    // member_joined ×6, charter proposed and accepted by all, meeting.scheduled ×4, forming → trial.
    const net = await formNetwork(app, auth, { members: 6, minResponses: 5, meetings: 4 });
    const [m1, m2, m3, m4] = net.meetingIds as [string, string, string, string];
    const [l0, l4, l5] = [0, 4, 5].map((i) => net.leaderIds[i] as string) as [string, string, string];
    const tokens = net.tokens;

    // leader.updated, through GraphQL.
    const updated = await gql(
      app,
      auth,
      'mutation($id: ID!) { updateLeader(id: $id, input: { region: "Nordjylland" }) { id version } }',
      { id: l0 },
    );
    t.notOk(updated.body.errors, 'updateLeader');

    // meeting.afbud (the meeting started long ago: the afbud is late).
    await expectStatus(
      await api(app, tokens[5]!).post(`/v1/meetings/${m1}/attendance/me`, { status: 'cancelled' }),
      200,
      'afbud',
    );
    // Repeating an afbud keeps it: no second event.
    await api(app, tokens[5]!).post(`/v1/meetings/${m1}/attendance/me`, { status: 'cancelled' });

    // meeting.moved (one hour later, still in the past) and meeting.cancelled (GraphQL).
    const m3Before = (await api(app, auth).get(`/v1/meetings/${m3}`)).json();
    const movedTo = new Date(new Date(m3Before.startsAt).getTime() + 3_600_000);
    await moveTo(app, auth, { id: m3 }, movedTo);
    const cancelled = await gql(app, auth, 'mutation($id: ID!) { cancelMeeting(id: $id) { id status } }', {
      id: m4,
    });
    t.notOk(cancelled.body.errors, 'cancelMeeting');

    // Meeting 1 held; everyone answers (one through GraphQL, one with a secret comment and a low
    // benefit, so that member has a private signal): the window closes early and the release is
    // recorded in the answering request's transaction.
    await hold(app, auth, net, m1, [l5]);
    for (const [i, token] of tokens.slice(0, 4).entries())
      await expectStatus(
        await answer(app, token, m1, { benefit: i === 0 ? 2 : 4, comment: i === 0 ? SECRET : '' }),
        201,
        'answer',
      );
    const viaGraphql = await gql(
      app,
      tokens[4]!,
      'mutation($m: ID!) { submitEvaluation(meetingId: $m, input: { benefit: 4, energy: 4, purposeFit: 4, relations: 4, giveGet: 0 }) { meetingId } }',
      { m: m1 },
    );
    t.notOk(viaGraphql.body.errors, 'submitEvaluation');
    let events = await allEvents(auth);
    t.same(
      ofType(events, 'evaluation.results_released').map((e) => e.data),
      [{ networkId: net.networkId, meetingIds: [m1] }],
      'released when the last eligible member answered',
    );

    // Meeting 2: two answer, the window closes by time; the periodic task finds nothing to release
    // (2 < k) but raises the network signal evaluation_overdue.
    await hold(app, auth, net, m2);
    for (const token of tokens.slice(0, 2))
      await expectStatus(await answer(app, token, m2, { benefit: 4 }), 201, 'answer');
    await timePasses(app, m2);
    await app.scheduler.runDue({ force: true });
    events = await allEvents(auth);
    t.equal(ofType(events, 'evaluation.results_released').length, 1, 'a pooling round is not released');
    t.same(
      ofType(events, 'signal.raised').map((e) => e.data.code),
      ['evaluation_overdue'],
      'only the network signal is announced (the member at risk is private)',
    );

    // Meeting 3 (the trial's last: review.due): four others answer; when its window closes the pool
    // of meetings 2 and 3 reaches k and is released by the task, and the signal clears.
    await hold(app, auth, net, m3);
    for (const token of tokens.slice(2, 6))
      await expectStatus(await answer(app, token, m3, { benefit: 4 }), 201, 'answer');
    await timePasses(app, m3);
    await app.scheduler.runDue({ force: true });
    // A second run announces nothing again.
    await app.scheduler.runDue({ force: true });
    events = await allEvents(auth);
    t.same(
      ofType(events, 'evaluation.results_released').map((e) => e.data.meetingIds),
      [[m1], [m2, m3]],
      'the pool is released once, by the periodic task',
    );
    t.same(
      ofType(events, 'signal.cleared').map((e) => e.data),
      [{ networkId: net.networkId, code: 'evaluation_overdue' }],
    );
    t.same(
      ofType(events, 'review.due').map((e) => e.data),
      [{ networkId: net.networkId, kind: 'trial_end' }],
    );

    // review.decided (continue), then a member leaves.
    const decided = await api(app, auth).post(`/v1/networks/${net.networkId}/review/decision`, {
      decision: 'continue',
    });
    await expectStatus(decided, 200, 'decision');
    await expectStatus(
      await api(app, auth).delete(`/v1/networks/${net.networkId}/members/${l4}`),
      200,
      'leave',
    );

    // formation_run.succeeded through REST and the runner; formation_run.failed for a run whose
    // request the domain refuses when it runs (a seed that is not a whole number).
    const run = await api(app, auth).post('/v1/formation-runs', {
      pool: { leaderIds: net.leaderIds },
      sizes: { min: 4, max: 6 },
      seed: 3,
      timeBudgetMs: 100,
    });
    await expectStatus(run, 202, 'formation run');
    const badRun = uuidv7();
    await app.db
      .insertInto('formation_runs')
      .values({
        tenant_id: tenantId,
        id: badRun,
        status: 'queued',
        request: JSON.stringify({
          sizes: { min: 4, max: 6 },
          composition: undefined,
          constraints: { maxPerOrganisation: null },
          avoidRepeats: false,
          seed: 1.5,
          timeBudgetMs: 100,
        }),
        pool: JSON.stringify(net.leaderIds),
      })
      .execute();
    app.formationRunner.enqueue(tenantId, badRun);
    await app.formationRunner.idle();

    events = await allEvents(auth);
    // Leaving and erasure have their own test (test/leaders.lifecycle.test.ts).
    const expected = EVENT_TYPES.filter(
      (type) =>
        type !== 'leader.deactivated' && type !== 'leader.erased' && type !== 'webhook_endpoint.disabled',
    );
    for (const type of expected) t.ok(ofType(events, type).length > 0, `${type} is recorded`);
    t.equal(ofType(events, 'leader.deactivated').length, 0, 'no leader was deactivated here');

    // Exact payloads of the request-driven ones.
    t.same(ofType(events, 'leader.created').length, 6);
    t.same(
      ofType(events, 'leader.updated').map((e) => e.data),
      [{ leaderId: l0, version: 2 }],
    );
    t.same(
      ofType(events, 'network.created').map((e) => e.data),
      [{ networkId: net.networkId, name: 'Confidential room', status: 'forming' }],
    );
    t.same(
      ofType(events, 'network.member_joined').map((e) => e.data.leaderId),
      net.leaderIds,
    );
    t.same(
      ofType(events, 'network.member_left').map((e) => e.data),
      [{ networkId: net.networkId, leaderId: l4 }],
    );
    t.same(
      ofType(events, 'charter.version_proposed').map((e) => e.data),
      [{ networkId: net.networkId, version: 1 }],
    );
    t.same(
      ofType(events, 'charter.accepted_by_all').map((e) => e.data),
      [{ networkId: net.networkId, version: 1 }],
    );
    t.same(
      ofType(events, 'meeting.scheduled').map((e) => e.data.meetingId),
      net.meetingIds,
    );
    t.same(
      ofType(events, 'meeting.afbud').map((e) => e.data),
      [{ networkId: net.networkId, meetingId: m1, leaderId: l5, late: true }],
    );
    t.same(
      ofType(events, 'meeting.moved').map((e) => e.data.startsAt),
      [movedTo.toISOString()],
    );
    t.same(
      ofType(events, 'meeting.cancelled').map((e) => e.data),
      [{ networkId: net.networkId, meetingId: m4 }],
    );
    t.same(
      ofType(events, 'meeting.held').map((e) => e.data.meetingId),
      [m1, m2, m3],
    );
    t.same(
      ofType(events, 'evaluation.window_opened').map((e) => e.data.minimum),
      [5, 5, 5],
    );
    t.same(
      ofType(events, 'network.status_changed').map((e) => [e.data.from, e.data.to]),
      [
        ['forming', 'trial'],
        ['trial', 'review_due'],
        ['review_due', 'active'],
      ],
    );
    t.same(
      ofType(events, 'review.decided').map((e) => e.data.decision),
      ['continue'],
    );
    t.same(
      ofType(events, 'formation_run.succeeded').map((e) => e.data),
      [{ formationRunId: run.json().id }],
    );
    t.same(
      ofType(events, 'formation_run.failed').map((e) => e.data),
      [{ formationRunId: badRun }],
    );

    // Every payload matches its schema; ids are unique; positions increase within one transaction's
    // events and the feed never repeats one.
    for (const e of events) t.ok(validEvent({ type: e.type, data: e.data }), `${e.type} matches its schema`);
    t.equal(new Set(events.map((e) => e.id)).size, events.length, 'ids are unique');

    // Nothing private: no answer, comment, count or member signal in any event.
    const text = JSON.stringify(events);
    t.notOk(text.includes(SECRET), 'no comment');
    t.same(
      keysIn(events.map((e) => e.data)).filter((k) => ANSWER_KEYS.includes(k)),
      [],
      'no answer values',
    );
    t.same(countsIn(events.map((e) => e.data)), [], 'no counts at all (so none below k)');
    t.notOk(text.includes('member_at_risk_of_withdrawing'), 'no member signal');
    const leaderIdsInSignals = ofType(events, 'signal.raised').flatMap((e) => keysIn(e.data));
    t.notOk(
      leaderIdsInSignals.includes('memberId') || leaderIdsInSignals.includes('leaderId'),
      'signals name no member',
    );

    // GraphQL: the same events, the same order, with a type filter.
    const page = await gql(
      app,
      auth,
      'query($types: [String!]) { events(first: 200, types: $types) { nodes { id type position cursor occurredAt data } nextCursor } }',
      { types: ['meeting.held', 'meeting.afbud'] },
    );
    t.notOk(page.body.errors);
    const nodes = (page.body.data!.events as { nodes: EventJson[]; nextCursor: string | null }).nodes;
    t.same(
      nodes,
      events.filter((e) => e.type === 'meeting.held' || e.type === 'meeting.afbud'),
      'GraphQL pages the same events as REST',
    );
  },
);

t.test('paging by cursor catches up without gaps or repeats', async (t) => {
  const { auth } = await ctx.tenant();
  await createLeaders(app, auth, 5);
  const once = await allEvents(auth, 200);
  t.equal(once.length, 5);
  const byTwo = await allEvents(auth, 2);
  t.same(byTwo, once, 'pages of two give the same events in the same order');
  // A consumer keeps the last cursor; more happens; it catches up from there.
  const last = once.at(-1)!.cursor;
  const ids = await createLeaders(app, auth, 3);
  await settled();
  const res = await api(app, auth).get(`/v1/events?cursor=${last}`);
  t.equal(res.statusCode, 200);
  t.same(
    res.json().data.map((e: EventJson) => e.data.leaderId),
    ids,
  );
  t.equal(res.json().nextCursor, null);
  // Another tenant's events never show.
  const other = await ctx.tenant();
  t.same(await allEvents(other.auth), []);
});

t.test(
  'a transaction that commits late never makes a reader skip its event',
  { skip: !onPostgres && 'PGlite runs one transaction at a time' },
  async (t) => {
    const { tenantId } = await ctx.tenant();
    const event = (n: number) => ({
      type: 'leader.created' as const,
      data: { leaderId: `0190a5f4-0000-7000-8000-${String(n).padStart(12, '0')}` },
    });
    const read = async (after?: string) =>
      (await listEvents(app.db, tenantId, { ...(after ? { after } : {}), limit: 100 })).map((e) => ({
        leaderId: (e.data as { leaderId: string }).leaderId,
        position: e.position,
      }));

    // 1. The late transaction takes the smaller position first; an early one commits a larger one.
    const late = await app.db.startTransaction().execute();
    await recordEvent(late, tenantId, event(1));
    await app.db.transaction().execute((trx) => recordEvent(trx, tenantId, event(2)));
    t.same(await read(), [], 'nothing is shown while a smaller position may still commit');
    await late.commit().execute();
    await settled();
    const both = await read();
    t.same(
      both.map((e) => e.leaderId),
      [event(1).data.leaderId, event(2).data.leaderId],
    );

    // 2. Transaction order and position order disagree: A starts writing first, B second; B takes
    // the smaller position; A commits and is read; B commits later and still comes after it.
    const cursor = both.at(-1)!.position;
    const a = await app.db.startTransaction().execute();
    await a.selectNoFrom((eb) => eb.fn('pg_current_xact_id', []).as('x')).execute();
    const b = await app.db.startTransaction().execute();
    await b.selectNoFrom((eb) => eb.fn('pg_current_xact_id', []).as('x')).execute();
    await recordEvent(b, tenantId, event(3));
    await recordEvent(a, tenantId, event(4));
    await a.commit().execute();
    // B is still open; other transactions on the server may hold A's event back for a moment.
    await settled(sql`data->>'leaderId' = ${event(4).data.leaderId}`);
    const first = await read(cursor);
    t.same(
      first.map((e) => e.leaderId),
      [event(4).data.leaderId],
      'the committed event is shown',
    );
    t.ok(BigInt(first[0]!.position) > BigInt(both.at(-1)!.position));
    await b.commit().execute();
    await settled();
    const next = await read(first[0]!.position);
    t.same(
      next.map((e) => e.leaderId),
      [event(3).data.leaderId],
      'the later commit with the smaller position is read after the cursor, not skipped',
    );
    t.ok(BigInt(next[0]!.position) < BigInt(first[0]!.position), 'it has the smaller position');
  },
);

t.test('the type filter, and bad cursors, types and limits are 400 problems', async (t) => {
  const { auth } = await ctx.tenant();
  const [leader] = await createLeaders(app, auth, 1);
  await api(app, auth).patch(`/v1/leaders/${leader}`, { region: 'Fyn' });
  const types = async (query: string) => (await allEvents(auth, 50, query)).map((e) => e.type);
  t.same(await types('&type=leader.updated'), ['leader.updated']);
  t.same(await types('&type=leader.updated&type=leader.created'), ['leader.created', 'leader.updated']);
  t.same(await types('&type=leader.created,leader.updated'), ['leader.created', 'leader.updated']);
  t.same(await types('&type=meeting.held'), []);

  const bad = async (query: string, code: string) => {
    const res = await api(app, auth).get(`/v1/events?${query}`);
    t.equal(res.statusCode, 400, query);
    t.equal(res.json().code, code, query);
    t.match(res.headers['content-type'], /application\/problem\+json/);
  };
  await bad('type=leader.nope', 'validation_failed');
  await bad('type=leader.created,,nope', 'validation_failed');
  await bad('cursor=abc', 'bad_request');
  await bad(`cursor=${Buffer.from(uuidv7()).toString('base64url')}`, 'bad_request');
  await bad(`cursor=${Buffer.from('-1').toString('base64url')}`, 'bad_request');
  await bad(`cursor=${Buffer.from('99999999999999999999').toString('base64url')}`, 'bad_request');
  await bad('limit=0', 'validation_failed');
  await bad('limit=201', 'validation_failed');
  await bad('limit=x', 'validation_failed');
  await bad('after=1', 'validation_failed');

  const gqlBad = async (query: string, code: string) => {
    const res = await gql(app, auth, query);
    t.equal(res.body.errors?.[0]?.extensions.code, code, query);
  };
  await gqlBad('{ events(first: 0) { nextCursor } }', 'validation_failed');
  await gqlBad('{ events(types: ["nope"]) { nextCursor } }', 'validation_failed');
  await gqlBad('{ events(after: "abc") { nextCursor } }', 'bad_request');
});

t.test('a member token is refused', async (t) => {
  const { auth } = await ctx.tenant();
  const [leader] = await createLeaders(app, auth, 1);
  const token = await memberToken(app, auth, leader!);
  const rest = await api(app, token).get('/v1/events');
  t.equal(rest.statusCode, 403);
  const graphql = await gql(app, token, '{ events { nextCursor } }');
  t.equal(graphql.body.errors?.[0]?.extensions.code, 'forbidden');
  t.equal((await api(app).get('/v1/events')).statusCode, 401);
});

t.test('events older than the retention are swept; the retention is at least 30 days', async (t) => {
  const { auth, tenantId } = await ctx.tenant();
  await createLeaders(app, auth, 2);
  const [old] = await allEvents(auth);
  await app.db
    .updateTable('events')
    .set({ occurred_at: new Date(Date.now() - 31 * 86_400_000) })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', old!.id)
    .execute();
  await app.scheduler.runDue({ force: true });
  const left = await allEvents(auth);
  t.equal(left.length, 1, 'the 31-day-old event is gone, the new one kept');
  t.not(left[0]!.id, old!.id);
  // A consumer whose cursor pointed at the swept event goes on from the positions after it.
  const res = await api(app, auth).get(`/v1/events?cursor=${old!.cursor}`);
  t.same(
    res.json().data.map((e: EventJson) => e.id),
    [left[0]!.id],
  );

  t.equal(loadConfig({}).eventRetentionDays, 30);
  t.equal(loadConfig({ SPARRING_EVENT_RETENTION_DAYS: '90' }).eventRetentionDays, 90);
  t.throws(() => loadConfig({ SPARRING_EVENT_RETENTION_DAYS: '7' }), /SPARRING_EVENT_RETENTION_DAYS/);
});
