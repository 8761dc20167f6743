/**
 * The programme view for HR (docs/programme.md) over REST and GraphQL, on PGlite and PostgreSQL:
 * counts by status and band, the monitor roll-up with reasons, reviews, formation runs, the
 * monthly series with a figure withheld under k members, filters that narrow to one network or
 * leave too few out, the admin key only, and a bad filter as a 400 problem.
 */

import t from '@sparring/test-workers/tap';
import { v7 as uuidv7 } from 'uuid';
import { api } from './helpers/api.js';
import { buildTestApp, gql } from './helpers/build.js';
import { createLeaders, createNetwork, seedNetwork } from './helpers/network-fixtures.js';

const ctx = await buildTestApp(t);
const { app } = ctx;
const { tenantId, auth } = await ctx.tenant();

const good = { benefit: 4, energy: 4, purposeFit: 4, relations: 4, giveGet: 0 };
const poor = { benefit: 2, energy: 2, purposeFit: 2, relations: 2, giveGet: 0 };

async function setAttributes(leaderIds: readonly string[], region: string, sector: string) {
  await app.db
    .updateTable('leaders')
    .set({ region, sector })
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', [...leaderIds])
    .execute();
}

// A: Nord, public, 6 members who all come and answer well: on track, review due.
const a = await seedNetwork(app, tenantId, auth, { answers: () => good });
await setAttributes(a.leaderIds, 'Nord', 'public');
// B: Syd, public, 6 members, two afbud a meeting (two other members each time) and poor answers:
// needs a check-in, review due. The first two meetings' answers pool to 6 members and are released.
const away = (i: number, j: number) => Math.floor(j / 2) === i;
const b = await seedNetwork(app, tenantId, auth, {
  attendance: (i, j) => (away(i, j) ? 'cancelled' : 'attended'),
  answers: (i, j) => (away(i, j) ? null : poor),
});
await setAttributes(b.leaderIds, 'Syd', 'public');
// E: Øst, private, 3 members meeting in the same months: too early (3 < k answers), review due.
const e = await seedNetwork(app, tenantId, auth, { members: 3 });
await setAttributes(e.leaderIds, 'Øst', 'private');
// C: Vest, public, 3 members, two meetings months earlier than the rest: trial, too early.
const c = await seedNetwork(app, tenantId, auth, { members: 3, held: 2, lastHeldDaysAgo: 150 });
await setAttributes(c.leaderIds, 'Vest', 'public');
// D: forming.
const dLeaders = await createLeaders(app, auth, 2);
const d = await createNetwork(app, tenantId, dLeaders);
// A formation run that formed network A (the cohort), created now.
const runId = uuidv7();
await app.db
  .insertInto('formation_runs')
  .values({
    tenant_id: tenantId,
    id: runId,
    status: 'succeeded',
    request: JSON.stringify({}),
    pool: JSON.stringify(a.leaderIds),
    result: null,
    error: null,
    accepted: JSON.stringify({ 0: a.networkId }),
    started_at: new Date(),
    finished_at: new Date(),
  })
  .execute();
// An earlier review of A, decided yesterday.
await app.db
  .insertInto('reviews')
  .values({
    tenant_id: tenantId,
    id: uuidv7(),
    network_id: a.networkId,
    kind: 'periodic',
    opened_at: new Date(Date.now() - 5 * 86_400_000),
    recommendation: null,
    decision: 'continue',
    decision_detail: null,
    decided_at: new Date(Date.now() - 86_400_000),
  })
  .execute();

interface Figure {
  released: boolean;
  reason?: string;
  minimum?: number;
  value?: Record<string, number>;
}
interface Overview {
  filter: Record<string, string>;
  minimum: number;
  networks: { total: number; byStatus: Record<string, number> };
  health: { assessed: number; byBand: Record<string, number>; index: Figure | null };
  monitor: Record<
    string,
    { networks: number; reasons: { code: string; networks: number; title: { en: string } }[] }
  >;
  reviews: {
    due: {
      total: number;
      byKind: Record<string, number>;
      byRecommendation: Record<string, number>;
      reasons: unknown[];
    };
    decided: { total: number; byDecision: Record<string, number> };
  };
  formationRuns: { total: number; byStatus: Record<string, number>; networksFormed: number };
  attendance: Figure | null;
  months: {
    month: string;
    meetingsHeld: number;
    attendance: Figure | null;
    reviewsDecided: number;
    formationRuns: number;
  }[];
}

async function rest(query = '', headers = auth) {
  const res = await api(app, headers).get(`/v1/programme${query}`);
  return { status: res.statusCode, body: res.json() as Overview };
}

/** The months in which any meeting of these networks was held (by the series itself). */
const heldMonths = (o: Overview) => o.months.filter((m) => m.meetingsHeld > 0);

t.test('counts by status and band, the monitor roll-up with reasons, reviews and runs', async (t) => {
  const { status, body } = await rest();
  t.equal(status, 200);
  t.equal(body.minimum, 5, 'k: the largest of the networks');
  t.same(body.networks, {
    total: 5,
    byStatus: { forming: 1, trial: 1, review_due: 3, active: 0, paused: 0, dissolved: 0 },
  });
  t.equal(body.health.assessed, 4, 'the forming network is counted by status only');
  t.equal(body.health.byBand.too_early, 2, 'C and E: fewer than k answers');
  t.equal(body.monitor.on_track!.networks, 1);
  t.equal(body.monitor.needs_check_in!.networks, 1);
  t.equal(body.monitor.too_early!.networks, 2);
  t.ok(
    body.monitor.needs_check_in!.reasons.some((r) => r.code === 'many_cancellations' && r.networks === 1),
    'B needs a check-in because of its afbud',
  );
  t.equal(body.reviews.due.total, 3);
  t.same(body.reviews.due.byKind, { trial_end: 3, periodic: 0 });
  t.equal(
    Object.values(body.reviews.due.byRecommendation).reduce((x, y) => x + y, 0),
    3,
    'each due review counted by its recommendation',
  );
  t.same(body.reviews.decided, { total: 1, byDecision: { continue: 1, adjust: 0, extend: 0, dissolve: 0 } });
  t.same(body.formationRuns, {
    total: 1,
    byStatus: { queued: 0, running: 0, succeeded: 1, failed: 0 },
    networksFormed: 1,
  });
  t.equal(body.months.length, 12);
  t.equal(body.months.at(-1)!.formationRuns, 1, 'the run falls in this month');
  t.same(body.health.index?.released, true, 'A and B have an index over 12 members');
});

t.test('the monthly series: pooled over networks, withheld under k members, no count', async (t) => {
  const { body } = await rest();
  const months = heldMonths(body);
  // C's two meetings are alone in their months (3 members): withheld.
  const cOnly = months.filter((m) => m.attendance?.released === false);
  t.ok(cOnly.length >= 1, 'a month with only C’s meetings');
  for (const m of cOnly) {
    t.same(m.attendance, { released: false, reason: 'too_few_members', minimum: 5 }, `${m.month}: no number`);
  }
  const shared = months.filter((m) => m.attendance?.released === true);
  t.ok(shared.length >= 2, 'the months of A, B and E are released');
  for (const m of shared) {
    t.equal(m.attendance!.value!.members, 15, `${m.month}: A, B and E together`);
    t.equal(
      m.attendance!.value!.cancellationRate,
      Math.round((2 / 15) * 1000) / 1000,
      'B’s two afbud a meeting',
    );
  }
  t.equal(
    months.reduce((s, m) => s + m.meetingsHeld, 0),
    11,
    'every held meeting counted (3 + 3 + 3 + 2): meetings are network facts',
  );
  t.equal(body.attendance?.released, true);
  t.equal(body.attendance!.value!.months, shared.length, 'the period’s total pools the released months only');
});

t.test('filters', async (t) => {
  await t.test('one network of three members (Øst): every member-derived figure withheld', async (t) => {
    const { status, body } = await rest('?region=%C3%98st');
    t.equal(status, 200);
    t.equal(body.networks.total, 1);
    t.same(body.filter.region, 'Øst');
    const months = heldMonths(body);
    t.ok(months.length >= 2);
    for (const m of months) t.same(m.attendance, { released: false, reason: 'too_few_members', minimum: 5 });
    t.same(body.attendance, { released: false, reason: 'too_few_members', minimum: 5 });
  });
  await t.test(
    'one network of six (Nord): shown, since the rest of the programme is at least k',
    async (t) => {
      const { body } = await rest('?region=Nord');
      t.equal(body.networks.total, 1);
      t.equal(body.monitor.on_track!.networks, 1);
      for (const m of heldMonths(body)) t.equal(m.attendance?.value?.members, 6, m.month);
      t.same(body.health.index?.value?.networks, 1);
    },
  );
  await t.test(
    'leaving out a network of three (public without E): withheld, remainder too small',
    async (t) => {
      const { body } = await rest('?sector=public');
      t.equal(body.networks.total, 4, 'A, B, C (public) and D (default profiles are public)');
      const shared = heldMonths(body).filter((m) => m.meetingsHeld >= 2);
      t.ok(shared.length >= 2);
      for (const m of shared)
        t.same(m.attendance, { released: false, reason: 'remainder_too_small', minimum: 5 }, m.month);
    },
  );
  await t.test('the cohort: the networks a formation run formed', async (t) => {
    const { body } = await rest(`?cohort=${runId}`);
    t.equal(body.networks.total, 1);
    t.equal(body.formationRuns.total, 1);
  });
  await t.test('a window of months', async (t) => {
    const { body } = await rest('?from=2026-01&to=2026-03');
    t.same(
      body.months.map((m) => m.month),
      ['2026-01', '2026-02', '2026-03'],
    );
    t.same(body.filter, { from: '2026-01', to: '2026-03' });
  });
});

t.test('GraphQL returns the same numbers as REST', async (t) => {
  const query = /* GraphQL */ `
    query ($filter: ProgrammeFilter) {
      programme(filter: $filter) {
        filter { region sector cohort from to }
        minimum
        networks { total byStatus { key count } }
        health { assessed byBand { key count } index { released reason minimum value { mean networks } } }
        monitor { state networks reasons { code networks title { en text(lang: da) } } }
        reviews {
          due { total byKind { key count } byRecommendation { key count } reasons { code networks } }
          decided { total byDecision { key count } }
        }
        formationRuns { total byStatus { key count } networksFormed }
        attendance { released reason minimum value { members meetings expected attendanceRate cancellationRate lateCancellationRate noShowRate months } }
        months {
          month meetingsHeld reviewsDecided formationRuns
          attendance { released reason minimum value { members meetings expected attendanceRate cancellationRate lateCancellationRate noShowRate } }
        }
      }
    }
  `;
  const map = (list: { key: string; count: number }[]) =>
    Object.fromEntries(list.map((x) => [x.key, x.count]));
  const figure = (f: Figure | null) => {
    if (f === null) return null;
    if (!f.released) return { released: false, reason: f.reason, minimum: f.minimum };
    const value = Object.fromEntries(Object.entries(f.value!).filter(([, v]) => v !== null));
    return { released: true, value };
  };
  for (const filter of [{}, { region: 'Nord' }, { region: 'Øst' }, { sector: 'public' }]) {
    const qs = new URLSearchParams(filter as Record<string, string>).toString();
    const { body: r } = await rest(qs ? `?${qs}` : '');
    const g = await gql(app, auth, query, { filter });
    t.equal(g.status, 200);
    t.notOk(g.body.errors, JSON.stringify(g.body.errors));
    // biome-ignore lint/suspicious/noExplicitAny: the GraphQL response, compared field by field
    const p = g.body.data!.programme as any;
    const filterOf = Object.fromEntries(Object.entries(p.filter).filter(([, v]) => v !== null));
    t.same(filterOf, r.filter, `${qs}: filter`);
    t.equal(p.minimum, r.minimum);
    t.same({ total: p.networks.total, byStatus: map(p.networks.byStatus) }, r.networks, `${qs}: networks`);
    t.same(map(p.health.byBand), r.health.byBand);
    t.same(figure(p.health.index), r.health.index);
    for (const m of p.monitor) {
      t.equal(m.networks, r.monitor[m.state]!.networks, `${qs}: ${m.state}`);
      t.same(
        m.reasons.map((x: { code: string; networks: number }) => [x.code, x.networks]),
        r.monitor[m.state]!.reasons.map((x) => [x.code, x.networks]),
      );
    }
    t.same(map(p.reviews.due.byRecommendation), r.reviews.due.byRecommendation);
    t.same(map(p.reviews.decided.byDecision), r.reviews.decided.byDecision);
    t.same({ ...p.formationRuns, byStatus: map(p.formationRuns.byStatus) }, r.formationRuns);
    t.same(figure(p.attendance), r.attendance, `${qs}: attendance`);
    t.same(
      p.months.map((m: { attendance: Figure | null }) => ({ ...m, attendance: figure(m.attendance) })),
      r.months,
      `${qs}: months`,
    );
  }
});

t.test('admin key only: a member token is refused', async (t) => {
  const token = (await api(app, auth).post(`/v1/leaders/${a.leaderIds[0]}/member-tokens`, {})).json()
    .token as string;
  const member = { authorization: `Bearer ${token}` };
  const res = await api(app, member).get('/v1/programme');
  t.equal(res.statusCode, 403);
  t.equal(res.json().code, 'forbidden');
  const g = await gql(app, member, '{ programme { minimum } }');
  t.equal(g.body.errors?.[0]?.extensions?.code, 'forbidden');
  t.equal((await api(app).get('/v1/programme')).statusCode, 401, 'no credential');
});

t.test('a bad filter is a 400 problem', async (t) => {
  for (const [query, path] of [
    ['?from=2026-13', 'from'],
    ['?from=2026-05&to=2026-04', 'from'],
    ['?from=2020-01&to=2026-12', 'to'],
    ['?region=%20', 'region'],
  ] as const) {
    const res = await api(app, auth).get(`/v1/programme${query}`);
    t.equal(res.statusCode, 400, query);
    t.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(res.json().code, 'validation_failed');
    t.ok(
      (res.json().issues as { path: string }[]).some((i) => i.path === path),
      `${query}: the issue names ${path}`,
    );
  }
  const unknown = await api(app, auth).get('/v1/programme?status=active');
  t.equal(unknown.statusCode, 400, 'an unknown filter');
  const g = await gql(app, auth, '{ programme(filter: { from: "2026-5" }) { minimum } }');
  t.equal(g.body.errors?.[0]?.extensions?.code, 'validation_failed');
});

t.test('the forming network stays out of every health figure', async (t) => {
  const { body } = await rest();
  t.equal(body.networks.byStatus.forming, 1);
  t.ok(d);
  t.equal(
    Object.values(body.health.byBand).reduce((x, y) => x + y, 0),
    body.health.assessed,
    'bands count the assessed networks only',
  );
  t.ok(b && c && e);
});

t.test('a fixed number of queries, however many networks', async (t) => {
  const count = async () => {
    await rest(); // warms the health inputs of networks that changed
    // The API key is looked up again in both counts: a cached key (one second) depends on timing.
    app.apiKeyCache.clear();
    const before = app.database.queries.count;
    await rest();
    return app.database.queries.count - before;
  };
  const five = await count();
  await seedNetwork(app, tenantId, auth, { answers: () => good });
  await createNetwork(app, tenantId, await createLeaders(app, auth, 2));
  const seven = await count();
  t.equal(seven, five, `${five} queries for 5 networks and for 7`);
  t.ok(five <= 16, `few queries: ${five}`);
});
