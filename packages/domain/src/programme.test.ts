import t from '@sparring/test-workers/tap';
import type { Attendance } from './attendance.js';
import type { HealthBand, TrendDirection } from './health.js';
import type { LifecycleStatus } from './lifecycle.js';
import {
  MONITOR_BANDS,
  MONITOR_LABELS,
  MONITOR_STATES,
  monthOf,
  monthsBetween,
  PROGRAMME_DEFAULT_MONTHS,
  PROGRAMME_FILTER_VALUE_MAX,
  PROGRAMME_MAX_MONTHS,
  type ProgrammeFilter,
  type ProgrammeFormationRun,
  type ProgrammeNetwork,
  parseProgrammeFilter,
  programmeOverview,
  releaseProgrammeFigure,
} from './programme.js';
import type { SignalCode } from './signals.js';

const NOW = new Date('2026-12-02T12:00:00Z');
const YEAR: ProgrammeFilter = { from: '2026-01', to: '2026-12' };

interface NetOptions {
  status?: LifecycleStatus;
  band?: HealthBand;
  index?: number | null;
  trend?: TrendDirection;
  members?: number;
  memberPrefix?: string;
  k?: number;
  region?: string[];
  sector?: string[];
  cohort?: string[];
  signals?: { code: SignalCode; member?: string }[];
  /** Held meetings: start and a status for each member (default attended). */
  meetings?: { at: string; status?: (j: number) => Attendance['status']; cancelledHoursBefore?: number }[];
  reviewDue?: ProgrammeNetwork['reviewDue'];
  decided?: ProgrammeNetwork['decidedReviews'];
  noticeHours?: number;
  timeZone?: string;
}

function net(id: string, o: NetOptions = {}): ProgrammeNetwork {
  const memberIds = Array.from({ length: o.members ?? 6 }, (_, j) => `${o.memberPrefix ?? id}-m${j}`);
  return {
    id,
    status: o.status ?? 'active',
    minResponses: o.k ?? 5,
    timeZone: o.timeZone ?? 'Europe/Copenhagen',
    ...(o.noticeHours !== undefined ? { noticeHours: o.noticeHours } : {}),
    attributes: { region: o.region ?? ['Nord'], sector: o.sector ?? ['public'], cohort: o.cohort ?? [] },
    memberIds,
    assessment: {
      health: {
        band: o.band ?? 'healthy',
        index: o.index === undefined ? 75 : o.index,
        trend: { direction: o.trend ?? 'stable' },
      },
      signals: (o.signals ?? []).map((s) => ({
        code: s.code,
        audience: s.member ? { kind: 'member' as const, memberId: s.member } : { kind: 'network' as const },
      })),
    },
    heldMeetings: (o.meetings ?? []).map((m) => {
      const startsAt = new Date(m.at);
      return {
        startsAt,
        attendance: memberIds.map((memberId, j): Attendance => {
          const status = m.status?.(j) ?? 'attended';
          return status === 'cancelled'
            ? {
                memberId,
                status,
                cancelledAt: new Date(startsAt.getTime() - (m.cancelledHoursBefore ?? 24) * 3_600_000),
              }
            : { memberId, status };
        }),
      };
    }),
    reviewDue: o.reviewDue ?? null,
    decidedReviews: o.decided ?? [],
  };
}

t.test('parseProgrammeFilter', async (t) => {
  const defaults = parseProgrammeFilter({}, NOW);
  t.same(defaults, { ok: true, value: { from: '2026-01', to: '2026-12' } }, 'the last 12 months by default');
  t.equal(PROGRAMME_DEFAULT_MONTHS, 12);
  t.same(parseProgrammeFilter({ to: '2027-03' }, NOW), {
    ok: true,
    value: { from: '2026-04', to: '2027-03' },
  });
  t.same(
    parseProgrammeFilter(
      { region: ' Nord ', sector: 'public', cohort: 'run-1', from: '2025-11', to: '2026-02' },
      NOW,
    ),
    {
      ok: true,
      value: { region: 'Nord', sector: 'public', cohort: 'run-1', from: '2025-11', to: '2026-02' },
    },
    'attributes trimmed; a series across a new year',
  );
  const codes = (input: unknown) => {
    const r = parseProgrammeFilter(input, NOW);
    return r.ok ? [] : r.error.issues.map((i) => `${i.path}:${i.code}`);
  };
  t.same(codes('x'), [':wrong_type'], 'not an object');
  t.same(codes({ status: 'active' }), ['status:unknown_property']);
  t.same(codes({ region: 3 }), ['region:wrong_type']);
  t.same(codes({ sector: '  ' }), ['sector:too_short']);
  t.same(codes({ cohort: 'x'.repeat(PROGRAMME_FILTER_VALUE_MAX + 1) }), ['cohort:too_long']);
  t.same(codes({ region: 'a\u0000b' }), ['region:invalid_format']);
  t.same(codes({ from: '2026-13' }), ['from:invalid_format']);
  t.same(codes({ to: 202601 }), ['to:invalid_format']);
  t.same(codes({ from: '2026-05', to: '2026-04' }), ['from:too_large'], 'from after to');
  t.same(codes({ from: '2026-01', to: '2026-01' }), [], 'one month');
  t.same(codes({ from: '2024-01', to: '2026-12' }), [], `${PROGRAMME_MAX_MONTHS} months`);
  t.same(codes({ from: '2023-12', to: '2026-12' }), ['to:too_large'], 'one month too many');
});

t.test('months', async (t) => {
  t.equal(monthOf(new Date('2026-01-31T23:30:00Z')), '2026-01', 'UTC by default');
  t.equal(monthOf(new Date('2026-01-31T23:30:00Z'), 'Europe/Copenhagen'), '2026-02', 'the local month');
  t.equal(monthOf(new Date('2026-01-31T23:30:00Z'), 'Europe/Copenhagen'), '2026-02', 'formatter reused');
  t.same(monthsBetween('2025-11', '2026-02'), ['2025-11', '2025-12', '2026-01', '2026-02']);
});

t.test(
  'releaseProgrammeFigure: at least k members, and 0 or at least k left out of every coarser view',
  async (t) => {
    const set = (n: number, p = 'm') => new Set(Array.from({ length: n }, (_, i) => `${p}${i}`));
    let computed = 0;
    const compute = () => ++computed;
    t.same(releaseProgrammeFigure(set(4), [], 5, compute), {
      released: false,
      reason: 'too_few_members',
      minimum: 5,
    });
    t.equal(computed, 0, 'never computed when withheld');
    t.same(releaseProgrammeFigure(set(5), [], 5, compute), { released: true, value: 1 });
    t.same(
      releaseProgrammeFigure(set(5), [set(5)], 5, compute),
      { released: true, value: 2 },
      'nothing left out',
    );
    t.same(releaseProgrammeFigure(set(5), [set(5), set(7)], 5, compute), {
      released: false,
      reason: 'remainder_too_small',
      minimum: 5,
    });
    t.same(releaseProgrammeFigure(set(5), [set(10)], 5, compute), { released: true, value: 3 }, 'k left out');
  },
);

t.test('counts by status and band, the monitor roll-up with its reasons', async (t) => {
  const networks = [
    net('a', { band: 'thriving', index: 85 }),
    net('b', { band: 'healthy', index: 72, trend: 'declining' }),
    net('c', {
      status: 'review_due',
      band: 'at_risk',
      index: 58,
      trend: 'declining',
      signals: [
        { code: 'many_cancellations' },
        { code: 'low_energy' },
        { code: 'member_at_risk_of_withdrawing', member: 'c-m1' },
      ],
    }),
    net('d', {
      band: 'off_track',
      index: 40,
      signals: [{ code: 'many_cancellations' }, { code: 'many_cancellations' }],
    }),
    net('e', { status: 'trial', band: 'too_early', index: null, signals: [{ code: 'evaluation_overdue' }] }),
    net('f', { status: 'paused', band: 'too_early', index: null }),
    net('g', { status: 'forming', band: 'too_early', index: null }),
    net('h', { status: 'dissolved', band: 'off_track', index: 20, signals: [{ code: 'relations_strain' }] }),
  ];
  const o = programmeOverview(networks, [], YEAR);
  t.same(o.networks, {
    total: 8,
    byStatus: { forming: 1, trial: 1, review_due: 1, active: 3, paused: 1, dissolved: 1 },
  });
  t.equal(o.health.assessed, 6, 'forming and dissolved networks are counted by status, not by health');
  t.same(o.health.byBand, { thriving: 1, healthy: 1, at_risk: 1, off_track: 1, too_early: 2 });
  t.same(o.monitor.on_track.networks, 2);
  t.same(o.monitor.on_track.reasons, [
    { code: 'declining_trend', networks: 1, title: { da: 'Faldende sundhed', en: 'Declining health' } },
  ]);
  t.same(
    o.monitor.needs_check_in.reasons.map((r) => [r.code, r.networks]),
    [
      ['many_cancellations', 2],
      ['declining_trend', 1],
      ['low_energy', 1],
    ],
    'most frequent first (a signal counted once per network), ties by code; a member signal never counts',
  );
  t.equal(o.monitor.needs_check_in.reasons[0]!.title.en, 'Many cancellations');
  t.same(o.monitor.too_early, {
    networks: 2,
    reasons: [{ code: 'evaluation_overdue', networks: 1, title: o.monitor.too_early.reasons[0]!.title }],
  });
  t.same(
    o.health.index,
    { released: true, value: { mean: 63.8, networks: 4 } },
    'the dissolved network is not in the mean',
  );
  t.same(MONITOR_STATES.flatMap((s) => MONITOR_BANDS[s]).sort(), [
    'at_risk',
    'healthy',
    'off_track',
    'thriving',
    'too_early',
  ]);
  t.equal(MONITOR_LABELS.needs_check_in.en, 'Needs check-in');
  t.equal(o.minimum, 5);
  t.equal(o.attendance, null, 'no meeting held: no attendance figure');
  t.equal(o.months.length, 12);
  t.same(o.months[0], {
    month: '2026-01',
    meetingsHeld: 0,
    attendance: null,
    reviewsDecided: 0,
    formationRuns: 0,
  });
});

t.test('the mean index is withheld under k members; null without an index', async (t) => {
  const small = programmeOverview([net('a', { members: 4 })], [], YEAR);
  t.same(small.health.index, { released: false, reason: 'too_few_members', minimum: 5 });
  t.equal(programmeOverview([net('a', { index: null, band: 'too_early' })], [], YEAR).health.index, null);
  const none = programmeOverview([], [], YEAR);
  t.equal(none.minimum, 5, 'the default k without networks');
  t.equal(none.health.index, null);
  t.equal(
    programmeOverview([net('a', { k: 3 }), net('b', { k: 7 })], [], YEAR).minimum,
    7,
    'the largest k of the tenant',
  );
  t.equal(programmeOverview([net('a', { k: 3 })], [], YEAR).minimum, 3, 'a tenant that chose k = 3 keeps it');
});

t.test('reviews due and decided', async (t) => {
  const networks = [
    net('a', {
      status: 'review_due',
      reviewDue: {
        kind: 'trial_end',
        recommendation: 'adjust',
        reasons: ['many_cancellations', 'declining_trend'],
      },
      decided: [
        { decision: 'continue', decidedAt: new Date('2026-03-10T10:00:00Z') },
        { decision: 'adjust', decidedAt: new Date('2025-06-10T10:00:00Z') },
      ],
    }),
    net('b', {
      status: 'review_due',
      reviewDue: {
        kind: 'periodic',
        recommendation: 'continue',
        reasons: ['health_good', 'declining_trend'],
      },
      decided: [{ decision: 'extend', decidedAt: new Date('2026-03-31T22:30:00Z') }],
    }),
  ];
  const o = programmeOverview(networks, [], YEAR);
  t.same(o.reviews.due.byKind, { trial_end: 1, periodic: 1 });
  t.same(o.reviews.due.byRecommendation, { continue: 1, adjust: 1, evaluate_first: 0, dissolve: 0 });
  t.same(
    o.reviews.due.reasons.map((r) => [r.code, r.networks]),
    [
      ['declining_trend', 2],
      ['health_good', 1],
      ['many_cancellations', 1],
    ],
  );
  t.ok(o.reviews.due.reasons[0]!.title.da.length > 0);
  t.same(
    o.reviews.decided,
    { total: 2, byDecision: { continue: 1, adjust: 0, extend: 1, dissolve: 0 } },
    'only decisions in the period',
  );
  t.equal(o.months[2]!.reviewsDecided, 1, 'March');
  t.equal(o.months[3]!.reviewsDecided, 1, 'decided 31 March 23:30 in Copenhagen: April');
});

t.test('formation runs', async (t) => {
  const runs: ProgrammeFormationRun[] = [
    {
      id: 'r1',
      status: 'succeeded',
      createdAt: new Date('2026-02-01T10:00:00Z'),
      acceptedNetworkIds: ['a', 'b'],
    },
    { id: 'r2', status: 'failed', createdAt: new Date('2026-02-15T10:00:00Z'), acceptedNetworkIds: [] },
    { id: 'r3', status: 'succeeded', createdAt: new Date('2025-02-01T10:00:00Z'), acceptedNetworkIds: ['c'] },
  ];
  const networks = [
    net('a', { cohort: ['r1'], region: ['Nord'] }),
    net('b', { cohort: ['r1'], region: ['Syd'] }),
    net('c'),
  ];
  const all = programmeOverview(networks, runs, YEAR);
  t.same(all.formationRuns, {
    total: 2,
    byStatus: { queued: 0, running: 0, succeeded: 1, failed: 1 },
    networksFormed: 2,
  });
  t.equal(all.months[1]!.formationRuns, 2);
  const syd = programmeOverview(networks, runs, { ...YEAR, region: 'Syd' });
  t.same(
    syd.formationRuns,
    { total: 1, byStatus: { queued: 0, running: 0, succeeded: 1, failed: 0 }, networksFormed: 1 },
    'a filtered view counts the runs that formed a network in it',
  );
  const cohort = programmeOverview(networks, runs, { ...YEAR, cohort: 'r1' });
  t.same(cohort.networks.total, 2, 'the cohort filter: networks formed by the run');
});

t.test(
  'attendance per month: pooled over networks, at least k members, remainder rule under filters',
  async (t) => {
    const meetings = (month: string, status?: (j: number) => Attendance['status'], hours?: number) => [
      {
        at: `2026-${month}-10T15:00:00Z`,
        ...(status ? { status } : {}),
        ...(hours !== undefined ? { cancelledHoursBefore: hours } : {}),
      },
    ];
    const networks = [
      // Nord, public: 6 members; in March two afbud, one late (24 h < 48 h notice), one no-show.
      net('a', {
        region: ['Nord'],
        meetings: [
          ...meetings('02'),
          ...meetings('03', (j) =>
            j === 0 ? 'cancelled' : j === 1 ? 'no_show' : j === 2 ? 'expected' : 'attended',
          ),
          {
            at: '2026-03-20T15:00:00Z',
            status: (j) => (j === 0 ? 'cancelled' : 'attended'),
            cancelledHoursBefore: 72,
          },
        ],
      }),
      // Syd: 3 members only.
      net('b', { region: ['Syd'], members: 3, meetings: [...meetings('02'), ...meetings('04')] }),
      // Syd and Nord, private sector, a 24 h notice (so a 30 h afbud is on time): 6 members.
      net('c', {
        region: ['Syd', 'Nord'],
        sector: ['private'],
        noticeHours: 24,
        meetings: [...meetings('02'), ...meetings('03', (j) => (j < 2 ? 'cancelled' : 'attended'), 30)],
      }),
      // A meeting with no attendance recorded.
      net('d', { region: ['Øst'], members: 0, meetings: meetings('05') }),
    ];
    const all = programmeOverview(networks, [], YEAR);
    const month = (o: typeof all, m: number) => o.months[m - 1]!;
    t.same(month(all, 2).attendance, {
      released: true,
      value: {
        members: 15,
        meetings: 3,
        expected: 15,
        attendanceRate: 1,
        cancellationRate: 0,
        lateCancellationRate: 0,
        noShowRate: 0,
      },
    });
    t.same(month(all, 3), {
      month: '2026-03',
      meetingsHeld: 3,
      attendance: {
        released: true,
        value: {
          members: 12,
          meetings: 3,
          expected: 18,
          attendanceRate: 0.667,
          cancellationRate: 0.222,
          lateCancellationRate: 0.056,
          noShowRate: 0.056,
        },
      },
      reviewsDecided: 0,
      formationRuns: 0,
    });
    t.same(
      month(all, 4).attendance,
      { released: false, reason: 'too_few_members', minimum: 5 },
      'three members: withheld, no count',
    );
    t.same(
      month(all, 5).attendance,
      { released: false, reason: 'too_few_members', minimum: 5 },
      'a meeting without attendance',
    );
    t.equal(month(all, 4).meetingsHeld, 1, 'meetings held are network facts: always counted');
    t.same(
      all.attendance,
      {
        released: true,
        value: {
          members: 15,
          meetings: 6,
          expected: 33,
          attendanceRate: 0.818,
          cancellationRate: 0.121,
          lateCancellationRate: 0.03,
          noShowRate: 0.03,
          months: 2,
        },
      },
      'pooled over the released months only',
    );

    // Nord: a and c (12 members in February); the whole programme has 15: 3 left out → withheld.
    const nord = programmeOverview(networks, [], { ...YEAR, region: 'Nord' });
    t.same(month(nord, 2).attendance, { released: false, reason: 'remainder_too_small', minimum: 5 });
    t.same(month(nord, 3).attendance?.released, true, 'March: no one left out');
    // Syd: b and c; one network of 6 would be fine, but 3 + 6 with 6 (network a) left out: released.
    const syd = programmeOverview(networks, [], { ...YEAR, region: 'Syd' });
    t.same(month(syd, 2).attendance?.released, true);
    // Nord and private: c alone. Coarser views: Nord (a, c), private (c), none (a, b, c, d): each
    // leaves out 0 or at least 5 members.
    const nordPrivate = programmeOverview(networks, [], { ...YEAR, region: 'Nord', sector: 'private' });
    t.equal(nordPrivate.networks.total, 1);
    t.same(month(nordPrivate, 2).attendance?.released, true);
    t.same(nordPrivate.health.index?.released, true);
    // Nord and public: a alone. The coarser view "public" (a, b, d) leaves out b's 3 members, so
    // "public" minus "Nord and public" would describe them: withheld, though "Nord" alone (a, c)
    // and the whole programme leave out 6 and 9.
    const nordPublic = programmeOverview(networks, [], { ...YEAR, region: 'Nord', sector: 'public' });
    t.same(nordPublic.networks.total, 1);
    t.same(month(nordPublic, 2).attendance, { released: false, reason: 'remainder_too_small', minimum: 5 });
    t.same(
      nordPublic.health.index,
      { released: false, reason: 'remainder_too_small', minimum: 5 },
      'the index mean follows the same rule',
    );
    t.same(
      month(nordPublic, 3).attendance?.released,
      true,
      'March: b held nothing, so nothing of b can be subtracted',
    );
    t.same(nordPublic.attendance?.released, true);

    const onlyB = programmeOverview([networks[1]!], [], YEAR);
    t.same(
      onlyB.attendance,
      { released: false, reason: 'too_few_members', minimum: 5 },
      'nothing released: the reason, no numbers',
    );
    const unmatched = programmeOverview(networks, [], { ...YEAR, region: 'Vest' });
    t.equal(unmatched.networks.total, 0);
    t.equal(unmatched.attendance, null);
  },
);
