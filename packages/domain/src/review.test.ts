import t from 'tap';
import type { HealthComponents, HealthMeasures, HealthReport } from './health.js';
import {
  ADJUSTMENT_AREA_LABELS,
  ADJUSTMENT_AREAS,
  REVIEW_REASON_CODES,
  REVIEW_REASON_MESSAGES,
  recommendReview,
} from './review.js';
import {
  SIGNAL_GUIDANCE,
  SIGNAL_TITLES,
  type Signal,
  type SignalCode,
  type SignalSeverity,
} from './signals.js';

const measures: HealthMeasures = {
  responses: 30,
  respondents: 10,
  meanBenefit: 4,
  worstMemberBenefit: 3.5,
  meanEnergy: 4,
  meanPurposeFit: 4,
  purposeSpread: 0.4,
  meanRelations: 4,
  meanGiveGet: 0,
  mostlyGivingMembers: 0,
  mostlyGivingShare: 0,
};
const components: HealthComponents = {
  benefit: 80,
  energy: 80,
  purpose: 80,
  relations: 80,
  attendance: 80,
  reciprocity: 80,
};
const health = (patch: Partial<HealthReport> = {}): HealthReport => ({
  band: 'healthy',
  index: 75,
  components,
  measures,
  attendance: {
    meetings: 3,
    expected: 30,
    attended: 27,
    cancellations: 3,
    lateCancellations: 0,
    noShows: 0,
    cancellationRate: 0.1,
    lateCancellationRate: 0,
    noShowRate: 0,
  },
  meetingsInWindow: 3,
  evaluatedMeetings: 3,
  trend: { direction: 'stable', slope: 0, meetings: [] },
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
      'continue',
      [],
      ['too_early', 'low_response_rate', 'evaluation_overdue'],
    ],
    [
      'many cancellations',
      health(),
      [sig('many_cancellations')],
      0,
      'adjust',
      ['cadence', 'time_slot'],
      ['health_good', 'many_cancellations'],
    ],
    [
      'low energy',
      health(),
      [sig('low_energy')],
      0,
      'adjust',
      ['length', 'agenda_format'],
      ['health_good', 'low_energy'],
    ],
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
      ['venue', 'agenda_format'],
      ['health_good', 'relations_strain'],
    ],
    [
      'social-only drift',
      health(),
      [sig('social_only_drift')],
      0,
      'adjust',
      ['agenda_format', 'charter'],
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
      ['cadence', 'time_slot'],
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
  const base = {
    band: 'healthy' as const,
    index: 75,
    components: { benefit: 75, energy: 75, purpose: 75, relations: 75, attendance: 75, reciprocity: 75 },
    attendance: {
      meetings: 3,
      expected: 30,
      attended: 30,
      cancellations: 0,
      lateCancellations: 0,
      noShows: 0,
      cancellationRate: 0,
      lateCancellationRate: 0,
      noShowRate: 0,
    },
    meetingsInWindow: 3,
    evaluatedMeetings: 3,
    trend: { direction: 'stable' as const, slope: 0, meetings: [] },
  };
  const m = {
    responses: 30,
    respondents: 10,
    meanBenefit: 4,
    worstMemberBenefit: 3.5,
    meanEnergy: 4,
    meanPurposeFit: 4,
    purposeSpread: 0.3,
    meanRelations: 4,
    meanGiveGet: 0,
  };
  const evidenceOf = (mostlyGivingMembers: number, k?: number) =>
    recommendReview(
      { ...base, measures: { ...m, mostlyGivingMembers, mostlyGivingShare: mostlyGivingMembers / 10 } },
      [],
      { minimumResponses: k },
    ).reasons.find((r) => r.code === 'members_mostly_giving')?.evidence;
  t.same(evidenceOf(2), { threshold: 0.2 }, 'two of ten, k = 5: no share, no count');
  t.same(evidenceOf(2, 3), { threshold: 0.2 }, 'k = 3: still fewer');
  t.same(evidenceOf(5), { mostlyGivingShare: 0.5, threshold: 0.2 }, 'five of ten: at k');
});
