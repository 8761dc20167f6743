/**
 * Withdrawal risk (issue #14, item 6): the member's own guidance per reason, the facilitator's
 * when shared, and the count the review may read (released answers only, shown at ≥ k).
 */
import t from '@sparring/test-workers/tap';
import type { Attendance } from './attendance.js';
import type { Evaluation, EvaluationScore, GiveGetBalance } from './evaluation.js';
import type { HeldMeeting } from './health.js';
import {
  AT_RISK_ACTIONS,
  AT_RISK_GUIDANCE_FRAME,
  AT_RISK_REASONS,
  atRiskReasons,
  discloseMembersAtRisk,
  memberSignals,
  membersAtRisk,
  withdrawalRiskGuidance,
} from './signals.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ids = (n: number) => Array.from({ length: n }, (_, i) => `m${i}`);

/** A held meeting: `answers(member)` (null: no answer), `absent` members cancelled a week before. */
function meeting(
  id: string,
  day: number,
  members: readonly string[],
  answers: (member: string) => [benefit: number, giveGet: number] | null,
  absent: readonly string[] = [],
  closesAfterDays?: number,
): HeldMeeting {
  const startsAt = new Date(Date.UTC(2026, 0, day, 16));
  const attendance: Attendance[] = members.map((memberId) =>
    absent.includes(memberId)
      ? { memberId, status: 'cancelled', cancelledAt: new Date(startsAt.getTime() - 7 * DAY) }
      : { memberId, status: 'attended' },
  );
  const evaluations: Evaluation[] = members.flatMap((memberId) => {
    const a = absent.includes(memberId) ? null : answers(memberId);
    return a === null
      ? []
      : [
          {
            meetingId: id,
            memberId,
            benefit: a[0] as EvaluationScore,
            energy: 4 as EvaluationScore,
            purposeFit: 4 as EvaluationScore,
            relations: 4 as EvaluationScore,
            giveGet: a[1] as GiveGetBalance,
            comment: null,
          },
        ];
  });
  return {
    meetingId: id,
    startsAt,
    attendance,
    evaluations,
    ...(closesAfterDays === undefined
      ? {}
      : { evaluationClosesAt: new Date(startsAt.getTime() + closesAfterDays * DAY) }),
  };
}

t.test('the reasons read from the evidence, and one action for each', async (t) => {
  t.same(atRiskReasons({}), [], 'no evidence, no reason');
  t.same(atRiskReasons({ answers: 0, absences: 2 }), ['often_absent']);
  t.same(atRiskReasons({ answers: 3, absences: 0, meanBenefit: 2.5, meanGiveGet: -1 }), [
    'low_benefit',
    'mostly_giving',
  ]);
  t.same(atRiskReasons({ answers: 3, absences: 1, meanBenefit: 2.6, meanGiveGet: -0.9 }), []);

  const giver = withdrawalRiskGuidance({ answers: 3, absences: 0, meanBenefit: 3, meanGiveGet: -2 });
  t.same(giver.reasons, ['mostly_giving']);
  t.same(giver.actions, [AT_RISK_ACTIONS.member.mostly_giving]);
  t.match(giver.text.en, /bring a dilemma of your own next time/);
  t.match(giver.text.da, /tag et dilemma af dine egne med næste gang/);
  t.match(giver.text.en, /Talk to the facilitator/, 'every member guidance ends with the facilitator');
  t.match(giver.text.en, /only if you share it/, 'and says the signal is theirs');
  t.equal(
    giver.text.en,
    [
      AT_RISK_GUIDANCE_FRAME.member.lead,
      AT_RISK_ACTIONS.member.mostly_giving,
      AT_RISK_GUIDANCE_FRAME.member.close,
    ]
      .map((x) => x.en)
      .join(' '),
  );

  const all = withdrawalRiskGuidance(
    { answers: 3, absences: 2, meanBenefit: 1, meanGiveGet: -2 },
    'facilitator',
  );
  t.same(all.reasons, AT_RISK_REASONS, 'every reason, in order');
  t.same(
    all.actions,
    AT_RISK_REASONS.map((r) => AT_RISK_ACTIONS.facilitator[r]),
  );
  t.match(all.text.en, /in private/);
  for (const reader of ['member', 'facilitator'] as const)
    for (const r of AT_RISK_REASONS) t.ok(AT_RISK_ACTIONS[reader][r].da && AT_RISK_ACTIONS[reader][r].en);
});

t.test("a member's own signal carries the guidance for their reasons", async (t) => {
  const members = ids(6);
  // m0 mostly gives; m1 gets little; m5 cancelled twice.
  const answers = (m: string): [number, number] => (m === 'm0' ? [4, -2] : m === 'm1' ? [2, 0] : [4, 0]);
  const meetings = [meeting('a', 1, members, answers, ['m5']), meeting('b', 30, members, answers, ['m5'])];
  const signals = memberSignals(meetings);
  const byMember = new Map(signals.map((s) => [s.audience.kind === 'member' ? s.audience.memberId : '', s]));
  t.same([...byMember.keys()], ['m0', 'm1', 'm5']);
  t.match(byMember.get('m0')!.guidance.en, /You mostly give: bring a dilemma of your own/);
  t.match(byMember.get('m1')!.guidance.en, /You get little out of the meetings/);
  t.match(byMember.get('m5')!.guidance.en, /You have missed several meetings/);
  t.notMatch(byMember.get('m0')!.guidance.en, /missed several/, 'only the reasons that hold');
});

t.test('the count reads released answers only', async (t) => {
  const members = ids(6);
  const low = (m: string): [number, number] => (m === 'm0' || m === 'm1' ? [2, 0] : [4, 0]);
  // Closed after one day: released at day 2; the second meeting's window is open until day 44.
  const meetings = [meeting('a', 1, members, low, [], 1), meeting('b', 30, members, low, ['m5'])];
  const before = membersAtRisk(meetings, new Date(Date.UTC(2026, 0, 1, 20)));
  t.same(before, { atRisk: 0, byAnswersOnly: 0, releasedUnder: 0 }, 'nothing released yet: nobody counted');
  const afterFirst = membersAtRisk(meetings, new Date(Date.UTC(2026, 0, 5)));
  t.same(afterFirst, { atRisk: 2, byAnswersOnly: 2, releasedUnder: 5 }, 'the first release counts');
  // m5's one afbud is not enough; the open round adds nothing.
  const later = membersAtRisk(meetings, new Date(Date.UTC(2026, 1, 5)));
  t.same(later, afterFirst, 'an open round adds nothing to the count');
  const all = membersAtRisk(meetings, new Date(Date.UTC(2026, 5, 1)));
  t.same(all, { atRisk: 2, byAnswersOnly: 2, releasedUnder: 5 });
});

t.test('the count is shown only at ≥ k, and its answers-only part 0 or ≥ k', async (t) => {
  const cases: [string, Parameters<typeof discloseMembersAtRisk>[0], number | undefined, number | null][] = [
    ['none', { atRisk: 0, byAnswersOnly: 0, releasedUnder: 5 }, 5, null],
    [
      'below k: nothing, not even that there are some',
      { atRisk: 4, byAnswersOnly: 4, releasedUnder: 5 },
      5,
      null,
    ],
    ['at k', { atRisk: 5, byAnswersOnly: 5, releasedUnder: 5 }, 5, 5],
    ['absences only (known per member anyway)', { atRisk: 6, byAnswersOnly: 0, releasedUnder: 5 }, 5, 6],
    [
      'the answers-only part below k would be read by subtracting the absent',
      { atRisk: 7, byAnswersOnly: 3, releasedUnder: 5 },
      5,
      null,
    ],
    ['the answers-only part at k', { atRisk: 7, byAnswersOnly: 5, releasedUnder: 5 }, 5, 7],
    [
      'k lowered later: the releases’ k still holds',
      { atRisk: 4, byAnswersOnly: 4, releasedUnder: 5 },
      3,
      null,
    ],
    ['a lower k, released under it', { atRisk: 4, byAnswersOnly: 4, releasedUnder: 3 }, 3, 4],
    ['the default k is 5', { atRisk: 5, byAnswersOnly: 0, releasedUnder: 0 }, undefined, 5],
  ];
  for (const [name, count, k, expected] of cases) t.equal(discloseMembersAtRisk(count, k), expected, name);
});

t.test('time is an argument: the count at the close of a window', async (t) => {
  const members = ids(5);
  const m = meeting('a', 1, members, () => [1, -2]);
  const closes = new Date(m.startsAt.getTime() + 14 * DAY);
  t.equal(membersAtRisk([m], new Date(closes.getTime() - HOUR)).atRisk, 0);
  t.equal(membersAtRisk([m], closes).atRisk, 5);
});
