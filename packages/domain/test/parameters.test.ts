/**
 * The tuning parameter objects of health, signals and review (issue #13): each module's functions
 * honour a caller's own values.
 * Every case gives one answer with the defaults and another with a passed parameter, so it fails
 * if the parameter were ignored.
 */
import t from '@sparring/test-workers/tap';
import { healthComponents, trendDirection } from '../src/health.js';
import {
  assessNetwork,
  atRiskReasons,
  attendanceScore,
  benefitScore,
  computeHealth,
  DEFAULT_HEALTH_PARAMETERS,
  DEFAULT_REVIEW_PARAMETERS,
  DEFAULT_SIGNAL_PARAMETERS,
  evaluationSignals,
  type HealthMeasures,
  type HealthReport,
  type HeldMeeting,
  healthBand,
  healthParameters,
  memberSignals,
  membersAtRisk,
  networkSignals,
  purposeScore,
  rankChanges,
  reciprocityScore,
  recommendReview,
  reviewParameters,
  SIGNAL_GUIDANCE,
  SIGNAL_TITLES,
  type Signal,
  type SignalCode,
  signalParameters,
  weightedAbsenceRate,
  withdrawalRiskGuidance,
} from '../src/index.js';
import { EVEN_COMPONENTS, healthMeasures, healthReport } from './helpers/health.js';
import { type Answer, answered } from './helpers/meetings.js';

const GOOD: Answer = [4, 3, 4, 4, 0];
const DAY_MS = 86_400_000;
const day = (d: number) => new Date(Date.UTC(2026, 0, d, 16));
/** Long after every evaluation window closed: everything with k answers is released. */
const LATER = new Date(Date.UTC(2026, 5, 1));

/**
 * A held meeting on day `d` of 2026: members m0… answer in order, then `silent` members attend
 * without answering, then the members in `cancelled` cancel a week ahead.
 */
function held(id: string, d: number, answers: Answer[], silent = 0, cancelled: string[] = []): HeldMeeting {
  const startsAt = day(d);
  const { attendance, evaluations } = answered(id, answers);
  for (let i = 0; i < silent; i++) attendance.push({ memberId: `s${i}`, status: 'attended' });
  for (const memberId of cancelled)
    attendance.push({
      memberId,
      status: 'cancelled',
      cancelledAt: new Date(startsAt.getTime() - 7 * DAY_MS),
    });
  return { meetingId: id, startsAt, attendance, evaluations };
}
const five = (a: Answer = GOOD): Answer[] => Array.from({ length: 5 }, () => a);
const codes = (signals: readonly Signal[]) => signals.map((s) => s.code);

t.test('each default object is frozen, and a resolver fills in only what the caller gave', async (t) => {
  for (const defaults of [DEFAULT_HEALTH_PARAMETERS, DEFAULT_SIGNAL_PARAMETERS, DEFAULT_REVIEW_PARAMETERS])
    t.ok(Object.isFrozen(defaults));
  t.same(healthParameters(), DEFAULT_HEALTH_PARAMETERS);
  t.same(healthParameters({ noShowWeight: 3 }), { ...DEFAULT_HEALTH_PARAMETERS, noShowWeight: 3 });
  t.same(
    healthParameters({ noShowWeight: undefined }),
    DEFAULT_HEALTH_PARAMETERS,
    'undefined keeps the default',
  );
  t.same(signalParameters({ lowResponseRate: 0.5 }).lowResponseRate, 0.5);
  t.same(reviewParameters({ dissolveIndexBelow: 20 }).dissolveIndexBelow, 20);
  t.equal(DEFAULT_HEALTH_PARAMETERS.noShowWeight, 2, 'the defaults are the method values');
});

t.test('health: the score functions read the parameters', async (t) => {
  t.equal(benefitScore(4, 2), 50, 'half the worst-off member by default');
  t.equal(benefitScore(4, 2, { benefitWorstOffWeight: 0 }), 75);
  t.equal(purposeScore(4, 1.5), 35);
  t.equal(purposeScore(4, 1.5, { purposeSpreadPenalty: 0 }), 75);
  t.equal(purposeScore(4, 1.5, { purposeSpreadTolerance: 1.5 }), 75);
  const rates = { cancellationRate: 0.25, lateCancellationRate: 0.25, noShowRate: 0.25 };
  t.equal(weightedAbsenceRate(rates), 0.875);
  t.equal(weightedAbsenceRate(rates, { lateCancellationExtraWeight: 0, noShowWeight: 1 }), 0.5);
  t.ok(attendanceScore(rates, { noShowWeight: 0 }) > attendanceScore(rates), 'attendance reads them too');
  t.equal(reciprocityScore(0.25), 50);
  t.equal(reciprocityScore(0.25, { reciprocityPenalty: 100 }), 75);
  t.equal(healthBand(85, 2), 'thriving');
  t.equal(healthBand(85, 2, { minEvaluatedMeetings: 3 }), 'too_early');
  t.equal(trendDirection(3, 2), 'stable');
  t.equal(trendDirection(3, 2, { trendSlopeThreshold: 1 }), 'improving');
  t.equal(trendDirection(3, -2, { trendSlopeThreshold: 1 }), 'declining');
});

t.test('health: computeHealth passes its healthParameters option on', async (t) => {
  // m4 gets less out of it (benefit 2): the worst-off member's weight shows in the benefit score.
  const uneven = (id: string, d: number) => held(id, d, [GOOD, GOOD, GOOD, GOOD, [2, 3, 4, 4, 0]]);
  const meetings = [uneven('a', 1), uneven('b', 15), uneven('c', 29)];
  const base = computeHealth(meetings);
  const tuned = computeHealth(meetings, {
    healthParameters: { benefitWorstOffWeight: 0, minEvaluatedMeetings: 4, trendWindow: 2 },
  });
  t.equal(base.components?.benefit, 45, 'half the group mean (3.6: 65), half m4 (2: 25)');
  t.equal(tuned.components?.benefit, 65, 'the group mean only');
  t.not(base.band, 'too_early');
  t.equal(tuned.band, 'too_early', 'three evaluated meetings are too few at a minimum of four');
  t.equal(base.trend.meetings.length, 3);
  t.equal(tuned.trend.meetings.length, 2, 'the trend reads the last two meetings');
  const optionWins = computeHealth(meetings, { trendWindow: 1, healthParameters: { trendWindow: 2 } });
  t.equal(optionWins.trend.meetings.length, 1, 'the trendWindow option takes the parameter’s place');
  const components = healthComponents(base.measures as HealthMeasures, base.attendance, {
    benefitWorstOffWeight: 0,
  });
  t.equal(components.benefit, 65);
});

t.test('signals: network thresholds', async (t) => {
  const report = computeHealth([held('a', 1, five(), 0, ['x']), held('b', 15, five(), 0, ['x'])]);
  t.same(codes(networkSignals(report)), [], 'nothing by default (cancellation rate 1/6)');
  t.same(codes(networkSignals(report, { lowEnergyMean: 3.5 })), ['low_energy']);
  t.same(codes(networkSignals(report, { purposeDriftMean: 4.5 })), ['purpose_drift']);
  t.same(codes(networkSignals(report, { purposeDriftSpread: 0 })), ['purpose_drift']);
  t.same(codes(networkSignals(report, { relationsStrainMean: 4.5 })), ['relations_strain']);
  t.same(codes(networkSignals(report, { socialOnlyBenefitMax: 4.5 })), ['social_only_drift']);
  t.same(codes(networkSignals(report, { socialOnlyBenefitMax: 4.5, socialOnlyRelationsMin: 4.5 })), []);
  const many = networkSignals(report, { manyCancellationsRate: 0.1 });
  t.same(codes(many), ['many_cancellations']);
  t.equal(many[0]?.severity, 'warning');
  t.equal(many[0]?.evidence.threshold, 0.1, 'the evidence names the threshold used');
  const critical = networkSignals(report, {
    manyCancellationsRate: 0.1,
    manyCancellationsCriticalRate: 0.15,
  });
  t.equal(critical[0]?.severity, 'critical');
  const assessed = assessNetwork([held('a', 1, five())], LATER, { signalParameters: { lowEnergyMean: 3.5 } });
  t.ok(codes(assessed.signals).includes('low_energy'), 'assessNetwork passes them on');
  t.notOk(codes(assessNetwork([held('a', 1, five())], LATER).signals).includes('low_energy'));
});

t.test('signals: a member at risk of withdrawing', async (t) => {
  // m4's mean benefit is 3 (not ≤ 2.5); m5 cancelled once (not twice).
  const meetings = [
    held('a', 1, [GOOD, GOOD, GOOD, GOOD, [3, 3, 4, 4, 0]], 0, ['m5']),
    held('b', 15, [GOOD, GOOD, GOOD, GOOD, [3, 3, 4, 4, 0], GOOD]),
  ];
  t.same(memberSignals(meetings), []);
  const byBenefit = memberSignals(meetings, { signalParameters: { atRiskBenefitMax: 3 } });
  t.same(
    byBenefit.map((s) => s.audience),
    [{ kind: 'member', memberId: 'm4' }],
  );
  t.equal(
    byBenefit[0]?.guidance.en,
    withdrawalRiskGuidance(byBenefit[0]?.evidence ?? {}, 'member', { atRiskBenefitMax: 3 }).text.en,
    'its guidance names the reason under the same threshold',
  );
  t.same(atRiskReasons({ meanBenefit: 3, absences: 1 }), []);
  t.same(atRiskReasons({ meanBenefit: 3, absences: 1 }, { atRiskBenefitMax: 3 }), ['low_benefit']);
  t.same(atRiskReasons({ meanBenefit: 3, absences: 1 }, { atRiskAbsencesMin: 1 }), ['often_absent']);
  t.same(withdrawalRiskGuidance({ absences: 1 }).reasons, []);
  t.same(withdrawalRiskGuidance({ absences: 1 }, 'facilitator', { atRiskAbsencesMin: 1 }).reasons, [
    'often_absent',
  ]);

  const byAbsence = { signalParameters: { atRiskAbsencesMin: 1 } };
  t.same(
    memberSignals(meetings, byAbsence).map((s) => s.audience),
    [{ kind: 'member', memberId: 'm5' }],
  );
  t.same(membersAtRisk(meetings, LATER), { atRisk: 0, byAnswersOnly: 0, releasedUnder: 5 });
  t.same(
    membersAtRisk(meetings, LATER, byAbsence),
    { atRisk: 1, byAnswersOnly: 0, releasedUnder: 5 },
    'flagged by its absence under the same threshold, so not by the answers only',
  );
});

t.test('signals: evaluation due days and response rate', async (t) => {
  const lone = [held('a', 1, [GOOD, GOOD])];
  const eightDaysOn = new Date(day(1).getTime() + 8 * DAY_MS);
  t.same(codes(evaluationSignals(lone, eightDaysOn)), ['evaluation_overdue']);
  t.same(codes(evaluationSignals(lone, eightDaysOn, { signalParameters: { evaluationDueDays: 10 } })), []);
  t.same(
    codes(
      evaluationSignals(lone, eightDaysOn, {
        evaluationDueDays: 7,
        signalParameters: { evaluationDueDays: 10 },
      }),
    ),
    ['evaluation_overdue'],
    'the evaluationDueDays option takes the parameter’s place',
  );
  // Five of six attendees answered: 83 %.
  const quiet = [held('a', 1, five(), 1), held('b', 15, five(), 1)];
  t.same(codes(evaluationSignals(quiet, LATER)), []);
  const low = evaluationSignals(quiet, LATER, { signalParameters: { lowResponseRate: 0.9 } });
  t.same(codes(low), ['low_response_rate']);
  t.same(low[0]?.evidence, { threshold: 0.9 });
});

const measures = healthMeasures({ worstMemberBenefit: 3, mostlyGivingMembers: 1, mostlyGivingShare: 0.1 });
const components = EVEN_COMPONENTS;
const health = (patch: Partial<HealthReport> = {}): HealthReport => healthReport({ measures, ...patch });
const sig = (code: SignalCode): Signal => ({
  code,
  severity: 'warning',
  audience: { kind: 'network' },
  evidence: {},
  title: SIGNAL_TITLES[code],
  guidance: SIGNAL_GUIDANCE[code],
});
const reasonCodes = (r: ReturnType<typeof recommendReview>) => r.reasons.map((x) => x.code);

t.test('review: dissolving, and the reasons from the measures', async (t) => {
  const offTrack = health({ band: 'off_track', index: 40 });
  t.equal(recommendReview(offTrack, []).recommendation, 'adjust');
  const critical = recommendReview(offTrack, [], { reviewParameters: { dissolveIndexBelow: 45 } });
  t.equal(critical.recommendation, 'dissolve');
  t.same(critical.reasons.at(-1)?.evidence, { index: 40, threshold: 45 });
  t.equal(recommendReview(offTrack, [], { priorAdjustments: 1 }).recommendation, 'adjust');
  const exhausted = recommendReview(offTrack, [], {
    priorAdjustments: 1,
    reviewParameters: { maxAdjustmentsBeforeDissolve: 1 },
  });
  t.equal(exhausted.recommendation, 'dissolve');
  t.equal(exhausted.reasons.at(-1)?.code, 'adjustments_exhausted');

  const plain = reasonCodes(recommendReview(health(), []));
  t.notOk(plain.includes('members_mostly_giving'), 'a tenth mostly giving is below a fifth');
  t.notOk(plain.includes('benefit_uneven'), 'a worst-off benefit of 3 is above 2.5');
  t.ok(
    reasonCodes(
      recommendReview(health(), [], { reviewParameters: { mostlyGivingReviewShare: 0.1 } }),
    ).includes('members_mostly_giving'),
  );
  t.ok(
    reasonCodes(recommendReview(health(), [], { signalParameters: { atRiskBenefitMax: 3 } })).includes(
      'benefit_uneven',
    ),
  );
  const early = health({ band: 'too_early', evaluatedMeetings: 1 });
  t.equal(recommendReview(early, []).reasons[0]?.evidence.minimum, 2);
  const tuned = recommendReview(early, [], { healthParameters: { minEvaluatedMeetings: 3 } });
  t.equal(tuned.reasons[0]?.evidence.minimum, 3);
  t.equal(tuned.reasons.at(-1)?.evidence.minimum, 3);
});

t.test('review: ranking the changes', async (t) => {
  const areas = (r: { advised: { area: string }[]; considered: { area: string }[] }) => [
    r.advised.map((c) => c.area),
    r.considered.map((c) => c.area),
  ];
  // Low energy: length 3 (its first area), agenda format 1.5 (its second).
  const energy = recommendReview(health(), [sig('low_energy')]).reasons;
  t.same(areas(rankChanges(energy, components)), [['length'], ['agenda_format']]);
  t.same(areas(rankChanges(energy, components, { secondaryAreaShare: 1 })), [
    ['length', 'agenda_format'],
    [],
  ]);
  // With relations strain too: length 3, agenda format 2.5 (1.5 + 1), venue 2.
  const both = recommendReview(health(), [sig('low_energy'), sig('relations_strain')]).reasons;
  t.same(areas(rankChanges(both, components)), [['length', 'agenda_format'], ['venue']]);
  t.same(areas(rankChanges(both, components, { maxAdvisedChanges: 1 })), [
    ['length'],
    ['agenda_format', 'venue'],
  ]);
  t.same(areas(rankChanges(both, components, { secondChangeMinShare: 0.9 })), [
    ['length'],
    ['agenda_format', 'venue'],
  ]);
  t.same(areas(rankChanges(both, components, { maxAdvisedChanges: 3, secondChangeMinShare: 0.6 })), [
    ['length', 'agenda_format', 'venue'],
    [],
  ]);
  const adjusted = recommendReview(health(), [sig('low_energy'), sig('relations_strain')], {
    reviewParameters: { maxAdvisedChanges: 1 },
  });
  t.same(
    adjusted.recommendation === 'adjust' && adjusted.changes,
    ['length'],
    'recommendReview passes them on',
  );
});
