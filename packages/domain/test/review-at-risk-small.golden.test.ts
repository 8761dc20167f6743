/**
 * Golden scenarios for issue #14 items 6 and 7: the review counts members at risk of withdrawing
 * (only at ≥ k), and a small network's review reads what the release rule released (pooled), or
 * says that k cannot be reached.
 */
import t from '@sparring/test-workers/tap';
import type { Attendance } from '../src/attendance.js';
import type { Evaluation, EvaluationScore, GiveGetBalance } from '../src/evaluation.js';
import type { HeldMeeting } from '../src/health.js';
import { recommendReview } from '../src/review.js';
import { assessNetwork, visibleSignals } from '../src/signals.js';

const HOUR = 3_600_000;
const leaders = Array.from({ length: 12 }, (_, i) => `l${String(i + 1).padStart(2, '0')}`);
const STARTS = [
  '2026-02-03T16:00:00Z',
  '2026-03-03T16:00:00Z',
  '2026-04-07T16:00:00Z',
  '2026-05-05T16:00:00Z',
];
/** After the third meeting's window closed (7 April + 14 days). */
const now = new Date('2026-04-22T09:00:00Z');

type Answer = [benefit: number, giveGet: number];

/** Meetings: who is in the network, who cancels (96 h before) each meeting, and what each answers. */
function meetings(
  members: readonly string[],
  plan: readonly { readonly afbud: readonly string[] }[],
  answer: (member: string, meeting: number) => Answer | null,
  opts: { readonly k?: (meeting: number) => number } = {},
): HeldMeeting[] {
  return plan.map((p, i) => {
    const id = `mt${i + 1}`;
    const startsAt = new Date(STARTS[i]!);
    const attendance: Attendance[] = members.map((memberId) =>
      p.afbud.includes(memberId)
        ? { memberId, status: 'cancelled', cancelledAt: new Date(startsAt.getTime() - 96 * HOUR) }
        : { memberId, status: 'attended' },
    );
    const evaluations: Evaluation[] = members.flatMap((memberId) => {
      const a = p.afbud.includes(memberId) ? null : answer(memberId, i);
      return a === null
        ? []
        : [
            {
              meetingId: id,
              memberId,
              comment: null,
              benefit: a[0] as EvaluationScore,
              energy: 4 as EvaluationScore,
              purposeFit: 4 as EvaluationScore,
              relations: 4 as EvaluationScore,
              giveGet: a[1] as GiveGetBalance,
            },
          ];
    });
    return {
      meetingId: id,
      startsAt,
      attendance,
      evaluations,
      ...(opts.k ? { minimumResponses: opts.k(i) } : {}),
    };
  });
}

const review = (held: HeldMeeting[], k: number, activeMembers: number, at = now) => {
  const a = assessNetwork(held, at, { minimumResponses: k });
  return {
    assessment: a,
    recommendation: recommendReview(a.health, a.signals, {
      minimumResponses: k,
      membersAtRisk: a.membersAtRisk,
      activeMembers,
    }),
  };
};

t.test('the seed network of 12 with 7 at risk: the review counts them', async (t) => {
  // Five get little or mostly give (l02–l06); two cancel twice (l11, l12).
  const answer = (m: string): Answer =>
    m === 'l02' || m === 'l03' || m === 'l04' ? [4, -2] : m === 'l05' || m === 'l06' ? [2, 0] : [4, 0];
  const held = meetings(leaders, [{ afbud: ['l11', 'l12'] }, { afbud: ['l11'] }, { afbud: ['l12'] }], answer);
  const { assessment, recommendation } = review(held, 5, 12);
  const flagged = assessment.signals.filter((s) => s.code === 'member_at_risk_of_withdrawing');
  t.equal(flagged.length, 7, '7 of 12 flagged, each privately');
  t.same(assessment.membersAtRisk, { atRisk: 7, byAnswersOnly: 5, releasedUnder: 5 });
  const reason = recommendation.reasons.find((r) => r.code === 'members_at_risk_of_withdrawing');
  t.same(reason?.evidence, { atRisk: 7, minimum: 5 }, 'the count, at ≥ k');
  t.same(reason?.suggests, ['agenda_format']);
  t.match(reason?.message.en, /at risk of withdrawing/);
  t.equal(recommendation.recommendation, 'adjust');
  if (recommendation.recommendation === 'adjust')
    t.same(
      recommendation.advised.map((c) => [c.area, c.direction]),
      [['agenda_format', 'everyone_gets_a_turn']],
    );
  // The signals themselves stay private: the facilitator (without consent) and the admin see none.
  t.same(
    visibleSignals(assessment.signals, { role: 'admin' }).filter((s) => s.audience.kind === 'member'),
    [],
  );
  t.same(
    visibleSignals(assessment.signals, { role: 'facilitator', memberId: 'l01' }).filter(
      (s) => s.audience.kind === 'member',
    ),
    [],
  );
  const own = visibleSignals(assessment.signals, { role: 'member', memberId: 'l03' }).filter(
    (s) => s.audience.kind === 'member',
  );
  t.match(
    own[0]?.guidance.en,
    /You mostly give: bring a dilemma of your own next time/,
    'l03 is told what to do',
  );

  // Three of the five by their answers (below k) beside four absent twice: 7, yet not shown, since
  // subtracting the four absent (known per member) would leave 3.
  const fewByAnswers = (m: string): Answer => (m === 'l02' || m === 'l03' || m === 'l04' ? [4, -2] : [4, 0]);
  const absent = meetings(
    leaders,
    [{ afbud: ['l09', 'l10', 'l11', 'l12'] }, { afbud: ['l09', 'l10', 'l11', 'l12'] }, { afbud: [] }],
    fewByAnswers,
  );
  const mixed = review(absent, 5, 12);
  t.same(mixed.assessment.membersAtRisk, { atRisk: 7, byAnswersOnly: 3, releasedUnder: 5 });
  t.notOk(
    mixed.recommendation.reasons.some((r) => r.code === 'members_at_risk_of_withdrawing'),
    'no reason: its answers-only part would be below k',
  );
});

t.test('two at risk with k = 5: no reason and no count anywhere', async (t) => {
  const answer = (m: string): Answer => (m === 'l01' || m === 'l02' ? [1, -2] : [4, 0]);
  const held = meetings(leaders.slice(0, 8), [{ afbud: [] }, { afbud: [] }, { afbud: [] }], answer);
  const { assessment, recommendation } = review(held, 5, 8);
  t.equal(assessment.membersAtRisk.atRisk, 2);
  const json = JSON.stringify(recommendation);
  t.notMatch(json, /members_at_risk|atRisk/, 'nothing about them: not the count, not that there are some');
});

t.test('six members, k = 5, two afbud a meeting: the review reads pooled releases', async (t) => {
  const six = leaders.slice(0, 6);
  // Four answer each meeting; across two meetings five or six different members have answered.
  const plan = [{ afbud: ['l05', 'l06'] }, { afbud: ['l01', 'l02'] }, { afbud: ['l03', 'l04'] }];
  const held = meetings(six, plan, () => [4, 0]);
  const afterOne = review(held.slice(0, 1), 5, 6, new Date('2026-02-20T09:00:00Z'));
  t.equal(afterOne.recommendation.recommendation, 'evaluate_first', 'one meeting pooling: nothing released');
  t.notOk(
    afterOne.recommendation.reasons.some((r) => r.code === 'k_unreachable'),
    'k is reachable',
  );

  const { assessment, recommendation } = review(held, 5, 6);
  t.same(
    assessment.health.trend.meetings.map((m) => m.meetingIds),
    [['mt1', 'mt2']],
    'the first two meetings released together',
  );
  t.equal(assessment.health.evaluatedMeetings, 2);
  t.not(assessment.health.band, 'too_early');
  t.not(recommendation.recommendation, 'evaluate_first', 'no evaluate_first once enough meetings pooled');
  t.notOk(recommendation.reasons.some((r) => r.code === 'evaluate_first' || r.code === 'k_unreachable'));
  t.equal(assessment.health.measures?.respondents, 6);
});

t.test('four members with k = 5: k_unreachable, not evaluate_first forever', async (t) => {
  const four = leaders.slice(0, 4);
  const plan = [{ afbud: [] }, { afbud: [] }, { afbud: [] }];
  const held = meetings(four, plan, () => [4, 0]);
  const { assessment, recommendation } = review(held, 5, 4);
  t.equal(assessment.health.evaluatedMeetings, 0, 'four answers a meeting never reach five');
  t.equal(recommendation.recommendation, 'evaluate_first');
  const last = recommendation.reasons.at(-1)!;
  t.equal(last.code, 'k_unreachable');
  t.same(last.evidence, { activeMembers: 4, minimum: 5, floor: 3 });
  t.match(last.message.en, /Lower k in the network's settings to at most its number of active members/);
  t.match(last.message.da, /Sænk k/);
  t.notOk(
    recommendation.reasons.some((r) => r.code === 'evaluate_first'),
    'more meetings alone cannot help',
  );

  // k lowered to 4 from the fourth meeting on: that meeting is released on its own.
  const lowered = meetings(four, [...plan, { afbud: [] }], () => [4, 0], { k: (i) => (i < 3 ? 5 : 4) });
  const later = review(lowered, 4, 4, new Date('2026-05-20T09:00:00Z'));
  t.notOk(
    later.recommendation.reasons.some((r) => r.code === 'k_unreachable'),
    'k reachable now',
  );
  t.same(
    later.assessment.health.trend.meetings.map((m) => m.meetingIds),
    [['mt4']],
    'the meeting after lowering k is released on its own; those answered under 5 never are',
  );
  t.equal(later.assessment.health.evaluatedMeetings, 1);
  // Had only three answered the fourth meeting, a week on it is overdue: the rounds answered under
  // k = 5 cannot pool with it, so they do not count as waiting beside it.
  const three = meetings(four, [...plan, { afbud: [] }], (m, i) => (i === 3 && m === 'l04' ? null : [4, 0]), {
    k: (i) => (i < 3 ? 5 : 4),
  });
  const overdue = assessNetwork(three, new Date('2026-05-13T09:00:00Z'), { minimumResponses: 4 });
  t.same(
    overdue.signals.filter((s) => s.code === 'evaluation_overdue').map((s) => s.evidence),
    [{ minimum: 4, daysSinceMeeting: 7 }],
  );
});
