import t from '@sparring/test-workers/tap';
import { attendanceRates, EVEN_COMPONENTS, healthMeasures, healthReport } from '../test/helpers/health.js';
import { ADJUSTMENT_AREA_LABELS, ADJUSTMENT_AREAS } from './adjustment.js';
import type { HealthReport } from './health.js';
import {
  CHANGE_DIRECTION_MESSAGES,
  CHANGE_DIRECTIONS,
  REVIEW_REASON_CODES,
  REVIEW_REASON_MESSAGES,
  rankChanges,
  recommendReview,
} from './review.js';
import {
  SIGNAL_GUIDANCE,
  SIGNAL_TITLES,
  type Signal,
  type SignalCode,
  type SignalSeverity,
} from './signals.js';

const measures = healthMeasures();
const components = EVEN_COMPONENTS;
/** The default report, but with 3 of the 30 expected attendances cancelled. */
const health = (patch: Partial<HealthReport> = {}): HealthReport =>
  healthReport({
    attendance: attendanceRates({
      meetings: 3,
      expected: 30,
      attended: 27,
      cancellations: 3,
      cancellationRate: 0.1,
    }),
    ...patch,
  });
const sig = (code: SignalCode, severity: SignalSeverity = 'warning', memberId?: string): Signal => ({
  code,
  severity,
  audience: memberId ? { kind: 'member', memberId } : { kind: 'network' },
  evidence: { x: 1 },
  title: SIGNAL_TITLES[code],
  guidance: SIGNAL_GUIDANCE[code],
});

t.test('every reason and area has Danish and English text', async (t) => {
  for (const code of REVIEW_REASON_CODES)
    t.ok(REVIEW_REASON_MESSAGES[code].da && REVIEW_REASON_MESSAGES[code].en, code);
  for (const area of ADJUSTMENT_AREAS)
    t.ok(ADJUSTMENT_AREA_LABELS[area].da && ADJUSTMENT_AREA_LABELS[area].en, area);
  for (const d of CHANGE_DIRECTIONS)
    t.ok(CHANGE_DIRECTION_MESSAGES[d].da && CHANGE_DIRECTION_MESSAGES[d].en, d);
});

t.test('recommendations, table-driven', async (t) => {
  const cases: [string, HealthReport, Signal[], number, string, string[], string[]][] = [
    ['healthy, no signals', health(), [], 0, 'continue', [], ['health_good']],
    [
      'thriving and improving',
      health({ band: 'thriving', index: 88 }),
      [],
      0,
      'continue',
      [],
      ['health_good'],
    ],
    [
      'healthy but declining',
      health({ trend: { direction: 'declining', slope: -4, meetings: [] } }),
      [],
      0,
      'continue',
      [],
      ['health_good', 'declining_trend'],
    ],
    [
      'too early, nothing to change',
      health({ band: 'too_early', index: null, components: null, measures: null, evaluatedMeetings: 0 }),
      [sig('low_response_rate', 'info'), sig('evaluation_overdue', 'info')],
      0,
      'evaluate_first',
      [],
      ['too_early', 'low_response_rate', 'evaluation_overdue', 'evaluate_first'],
    ],
    [
      'many cancellations',
      health(),
      [sig('many_cancellations')],
      0,
      'adjust',
      ['time_slot'],
      ['health_good', 'many_cancellations'],
    ],
    ['low energy', health(), [sig('low_energy')], 0, 'adjust', ['length'], ['health_good', 'low_energy']],
    [
      'purpose drift',
      health(),
      [sig('purpose_drift')],
      0,
      'adjust',
      ['charter'],
      ['health_good', 'purpose_drift'],
    ],
    [
      'relations strain',
      health(),
      [sig('relations_strain')],
      0,
      'adjust',
      ['venue'],
      ['health_good', 'relations_strain'],
    ],
    [
      'social-only drift',
      health(),
      [sig('social_only_drift')],
      0,
      'adjust',
      ['charter'],
      ['health_good', 'social_only_drift'],
    ],
    [
      'a member signal never reaches the review',
      health(),
      [sig('member_at_risk_of_withdrawing', 'critical', 'm1')],
      0,
      'continue',
      [],
      ['health_good'],
    ],
    [
      'worst-off member gets little',
      health({ measures: { ...measures, worstMemberBenefit: 2.5 } }),
      [],
      0,
      'adjust',
      ['agenda_format'],
      ['health_good', 'benefit_uneven'],
    ],
    [
      'one in five mostly gives',
      health({ measures: { ...measures, mostlyGivingShare: 0.2 } }),
      [],
      0,
      'adjust',
      ['agenda_format'],
      ['health_good', 'members_mostly_giving'],
    ],
    [
      'at risk with no signal: the weakest component',
      health({ band: 'at_risk', index: 60, components: { ...components, energy: 40 } }),
      [],
      0,
      'adjust',
      ['length'],
      ['health_at_risk', 'weakest_component'],
    ],
    [
      'off track at 40, first time',
      health({ band: 'off_track', index: 40 }),
      [sig('many_cancellations', 'critical')],
      1,
      'adjust',
      ['time_slot'],
      ['health_off_track', 'many_cancellations'],
    ],
    [
      'off track at 40 after two adjustments',
      health({ band: 'off_track', index: 40 }),
      [sig('many_cancellations', 'critical')],
      2,
      'dissolve',
      [],
      ['health_off_track', 'many_cancellations', 'adjustments_exhausted'],
    ],
    [
      'off track at 34',
      health({ band: 'off_track', index: 34 }),
      [],
      0,
      'dissolve',
      [],
      ['health_off_track', 'index_critical'],
    ],
  ];
  for (const [name, h, signals, prior, recommendation, changes, reasons] of cases) {
    const r = recommendReview(h, signals, { priorAdjustments: prior });
    t.equal(r.recommendation, recommendation, `${name}: ${recommendation}`);
    t.same(r.recommendation === 'adjust' ? r.changes : [], changes, `${name}: changes`);
    t.same(
      r.reasons.map((x) => x.code),
      reasons,
      `${name}: reasons`,
    );
  }
  const r = recommendReview(health(), [sig('many_cancellations')]);
  t.same(
    r.reasons[1],
    {
      code: 'many_cancellations',
      message: REVIEW_REASON_MESSAGES.many_cancellations,
      evidence: { x: 1 },
      suggests: ['cadence', 'time_slot'],
    },
    'a reason carries its evidence and what it suggests',
  );
});

t.test('members mostly giving: the share is evidence only when it counts at least k members', async (t) => {
  const evidenceOf = (mostlyGivingMembers: number, k?: number) =>
    recommendReview(
      healthReport({
        components: { benefit: 75, energy: 75, purpose: 75, relations: 75, attendance: 75, reciprocity: 75 },
        measures: healthMeasures({
          purposeSpread: 0.3,
          mostlyGivingMembers,
          mostlyGivingShare: mostlyGivingMembers / 10,
        }),
      }),
      [],
      { minimumResponses: k },
    ).reasons.find((r) => r.code === 'members_mostly_giving')?.evidence;
  t.same(evidenceOf(2), { threshold: 0.2 }, 'two of ten, k = 5: no share, no count');
  t.same(evidenceOf(2, 3), { threshold: 0.2 }, 'k = 3: still fewer');
  t.same(evidenceOf(5), { mostlyGivingShare: 0.5, threshold: 0.2 }, 'five of ten: at k');
});

const cancellations = (cancellationRate: number, lateCancellationRate: number): Signal => ({
  ...sig('many_cancellations', cancellationRate >= 0.4 ? 'critical' : 'warning'),
  evidence: { cancellationRate, lateCancellationRate, noShowRate: 0, threshold: 0.25 },
});

t.test('a trial with no evaluations: evaluate first, extend by one meeting', async (t) => {
  // Six members, full attendance, three held meetings, no answers.
  const none = health({
    band: 'too_early',
    index: null,
    components: null,
    measures: null,
    evaluatedMeetings: 0,
  });
  const r = recommendReview(none, [sig('evaluation_overdue', 'info'), sig('low_response_rate', 'info')]);
  t.equal(r.recommendation, 'evaluate_first');
  t.equal(r.recommendation === 'evaluate_first' && r.extendBy, 1);
  t.same(r.reasons.at(-1), {
    code: 'evaluate_first',
    message: REVIEW_REASON_MESSAGES.evaluate_first,
    evidence: { evaluatedMeetings: 0, minimum: 2, extendBy: 1 },
    suggests: [],
  });
  // One evaluated meeting is still too early, even with its numbers; absences stay visible as reasons.
  const one = recommendReview(health({ band: 'too_early', evaluatedMeetings: 1 }), [cancellations(0.3, 0.3)]);
  t.equal(one.recommendation, 'evaluate_first');
  t.same(
    one.reasons.map((x) => x.code),
    ['too_early', 'many_cancellations', 'evaluate_first'],
  );
});

t.test('changes ranked by evidence: one advised, the others considered', async (t) => {
  // The seed's network at its trial end: many late afbud and low energy. Attendance 30 costs the
  // index 0.2·70 = 14 points, energy 40 costs 0.15·60 = 9.
  const weak = health({
    band: 'off_track',
    index: 45,
    components: { ...components, attendance: 30, energy: 40 },
  });
  const r = recommendReview(weak, [cancellations(0.28, 0.28), sig('low_energy')]);
  if (r.recommendation !== 'adjust') throw new Error(r.recommendation);
  t.same(r.changes, ['time_slot'], 'one change, not four');
  t.same(r.advised, [
    {
      area: 'time_slot',
      direction: 'another_time',
      message: CHANGE_DIRECTION_MESSAGES.another_time,
      reason: 'many_cancellations',
      strength: 14,
    },
  ]);
  t.same(
    r.considered.map((c) => [c.area, c.direction, c.reason, c.strength]),
    [
      ['length', 'shorter', 'low_energy', 9],
      ['cadence', 'less_often', 'many_cancellations', 7],
      ['agenda_format', 'more_focus', 'low_energy', 4.5],
    ],
  );
  // Afbud given in good time: the members plan around the meetings, so meeting less often comes first.
  const early = recommendReview(weak, [cancellations(0.3, 0.05)]);
  t.same(early.recommendation === 'adjust' && early.advised.map((c) => [c.area, c.direction]), [
    ['cadence', 'less_often'],
  ]);
  // Two problems of about the same weight (10 and 9 points): both advised, strongest first.
  const two = recommendReview(
    health({ band: 'at_risk', index: 55, components: { ...components, attendance: 50, energy: 40 } }),
    [cancellations(0.3, 0.2), sig('low_energy')],
  );
  t.same(two.recommendation === 'adjust' && two.changes, ['time_slot', 'length']);
  t.same(two.recommendation === 'adjust' && two.considered.map((c) => c.area), ['cadence', 'agenda_format']);
});

t.test('ranking counts each component once per area and breaks ties in area order', async (t) => {
  const c = { ...components, benefit: 50 };
  const reasons = recommendReview(
    health({ components: c, measures: { ...measures, worstMemberBenefit: 2 } }),
    [sig('social_only_drift')],
  ).reasons;
  const { advised, considered } = rankChanges(reasons, c);
  // agenda_format: social-only drift (half of 15) and uneven benefit (15), both benefit: 15, not 22.5.
  t.same(
    advised.map((x) => [x.area, x.direction, x.reason, x.strength]),
    [
      ['agenda_format', 'everyone_gets_a_turn', 'benefit_uneven', 15],
      ['charter', 'goals_beyond_social', 'social_only_drift', 15],
    ],
  );
  t.same(considered, []);
  t.same(rankChanges([], c), { advised: [], considered: [] }, 'nothing suggested, nothing ranked');
});
