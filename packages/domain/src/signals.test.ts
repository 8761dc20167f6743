import t from '@sparring/test-workers/tap';
import type { Attendance } from './attendance.js';
import type { Evaluation, EvaluationScore, GiveGetBalance } from './evaluation.js';
import type { HeldMeeting } from './health.js';
import {
  assessNetwork,
  evaluationSignals,
  memberSignals,
  PRIVATE_SIGNAL_POLICY,
  SIGNAL_CODES,
  SIGNAL_GUIDANCE,
  SIGNAL_TITLES,
  type Signal,
  sortSignals,
  visibleSignals,
} from './signals.js';

type Answer = [benefit: number, energy: number, purposeFit: number, relations: number, giveGet: number];
const DAY = 86_400_000;

function held(
  id: string,
  day: number,
  answers: Answer[],
  absences: { early?: number; late?: number; silent?: number } = {},
): HeldMeeting {
  const startsAt = new Date(Date.UTC(2026, 0, day, 16));
  const attendance: Attendance[] = answers.map((_, i) => ({ memberId: `m${i}`, status: 'attended' }));
  const evaluations: Evaluation[] = answers.map(([b, e, p, r, g], i) => ({
    meetingId: id,
    memberId: `m${i}`,
    benefit: b as EvaluationScore,
    energy: e as EvaluationScore,
    purposeFit: p as EvaluationScore,
    relations: r as EvaluationScore,
    giveGet: g as GiveGetBalance,
    comment: null,
  }));
  let n = answers.length;
  for (let i = 0; i < (absences.silent ?? 0); i++)
    attendance.push({ memberId: `m${n++}`, status: 'attended' });
  for (let i = 0; i < (absences.early ?? 0); i++)
    attendance.push({
      memberId: `m${n++}`,
      status: 'cancelled',
      cancelledAt: new Date(startsAt.getTime() - 7 * DAY),
    });
  for (let i = 0; i < (absences.late ?? 0); i++)
    attendance.push({
      memberId: `m${n++}`,
      status: 'cancelled',
      cancelledAt: new Date(startsAt.getTime() - 3_600_000),
    });
  return { meetingId: id, startsAt, attendance, evaluations };
}
const same = (n: number, a: Answer): Answer[] => Array.from({ length: n }, () => a);
const good: Answer = [4, 4, 4, 4, 0];
const afterAll = new Date(Date.UTC(2026, 5, 1));
const codes = (signals: readonly Signal[]) => signals.map((s) => s.code);

t.test('every code has a title and guidance in Danish and English', async (t) => {
  for (const code of SIGNAL_CODES) {
    t.ok(SIGNAL_TITLES[code].da && SIGNAL_TITLES[code].en, `${code} title`);
    t.ok(SIGNAL_GUIDANCE[code].da && SIGNAL_GUIDANCE[code].en, `${code} guidance`);
  }
  t.match(SIGNAL_GUIDANCE.many_cancellations.da, /vildspor/, 'the seed’s own words');
});

t.test('network signals, table-driven', async (t) => {
  const cases: [string, HeldMeeting[], string[]][] = [
    ['a healthy network has none', [held('a', 1, same(6, good)), held('b', 30, same(6, good))], []],
    [
      '25 % afbud exactly is not "over 25 %"',
      [held('a', 1, same(6, good), { early: 2 }), held('b', 30, same(6, good), { early: 2 })],
      [],
    ],
    [
      'over 25 % afbud',
      [held('a', 1, same(6, good), { early: 3 }), held('b', 30, same(6, good), { early: 2 })],
      ['many_cancellations'],
    ],
    ['low energy', [held('a', 1, same(6, [4, 2, 4, 4, 0]))], ['low_energy']],
    ['purpose drift: low mean', [held('a', 1, same(6, [4, 4, 2, 4, 0]))], ['purpose_drift']],
    [
      'purpose drift: spread',
      [
        held(
          'a',
          1,
          [...same(3, [4, 4, 5, 4, 0]), ...same(3, [4, 4, 3, 4, 0])].concat(same(1, [4, 4, 1, 4, 0])),
        ),
      ],
      ['purpose_drift'],
    ],
    ['relations strain', [held('a', 1, same(6, [4, 4, 4, 2, 0]))], ['relations_strain']],
    ['social-only drift', [held('a', 1, same(6, [3, 4, 4, 5, 0]))], ['social_only_drift']],
    ['high relations with high benefit is fine', [held('a', 1, same(6, [4, 4, 4, 5, 0]))], []],
    [
      'under k answers: no numbers, only overdue',
      [held('a', 1, same(4, [1, 1, 1, 1, 0]))],
      ['evaluation_overdue'],
    ],
  ];
  for (const [name, meetings, expected] of cases) {
    const { signals } = assessNetwork(meetings, afterAll);
    t.same(codes(signals.filter((s) => s.audience.kind === 'network')), expected, name);
  }
  const critical = assessNetwork([held('a', 1, same(6, good), { early: 2, late: 2 })], afterAll).signals[0]!;
  t.equal(critical.severity, 'critical', '40 % afbud is critical');
  t.match(critical.evidence, {
    cancellationRate: 0.4,
    lateCancellationRate: 0.2,
    cancellations: 4,
    expected: 10,
  });
});

t.test('member at risk of withdrawing: low benefit, mostly giving or repeated absence', async (t) => {
  const meetings = [
    held('a', 1, [[2, 3, 3, 3, 0], [4, 4, 4, 4, -2], [2, 3, 3, 3, -1], ...same(3, good)]),
    held('b', 30, [[3, 3, 3, 3, 0], [4, 4, 4, 4, -1], [2, 3, 3, 3, -1], ...same(3, good)], { early: 1 }),
    held('c', 60, [good, good, [2, 3, 3, 3, -1], good, good, good], { late: 1 }),
  ];
  // m6 cancels at b and c (m6 is the first absentee at both)
  const signals = memberSignals(meetings);
  t.same(
    signals.map((s) => [s.audience.kind === 'member' ? s.audience.memberId : '', s.severity]),
    [
      // m0: mean benefit 3 and balanced: not at risk
      ['m1', 'warning'], // mean give/get (−2 −1 + 0) / 3 = −1: mostly gives
      ['m2', 'critical'], // mean benefit 2 and mean give/get −1
      ['m6', 'warning'], // cancelled twice
    ],
  );
  const m2 = signals.find((s) => s.audience.kind === 'member' && s.audience.memberId === 'm2')!;
  t.same(m2.evidence, { answers: 3, absences: 0, meanBenefit: 2, meanGiveGet: -1 }, 'evidence: own numbers');
  const m6 = signals.find((s) => s.audience.kind === 'member' && s.audience.memberId === 'm6')!;
  t.same(m6.evidence, { answers: 0, absences: 2 });
  const lowOnly = memberSignals([held('a', 1, [[1, 3, 3, 3, 0]])]);
  t.equal(lowOnly[0]!.severity, 'warning', 'one reason is a warning');
  t.same(
    memberSignals([held('a', 1, [[2, 3, 3, 3, -2]])])[0]!.severity,
    'critical',
    'two reasons are critical',
  );
});

t.test('evaluation overdue and low response rate need now', async (t) => {
  const m = held('a', 1, same(3, good), { silent: 3 });
  const at = (days: number) => new Date(m.startsAt.getTime() + days * DAY);
  t.same(codes(evaluationSignals([m], at(6))), [], 'within the week nothing is due');
  const late = evaluationSignals([m], at(7));
  t.same(codes(late), ['evaluation_overdue'], 'the window is still open: no response rate yet');
  t.same(late[0]!.evidence, { minimum: 5, daysSinceMeeting: 7 }, 'no count of answers, only k');
  const closed = evaluationSignals([m], at(14));
  t.same(codes(closed), ['evaluation_overdue', 'low_response_rate'], 'the window closed at 14 days');
  t.same(closed[1]!.evidence, { threshold: 0.6 }, 'no rate, no count: only the threshold');
  t.same(codes(evaluationSignals([m], at(8), { evaluationDueDays: 10 })), [], 'the due period is an option');
  t.same(
    codes(evaluationSignals([m], at(14), { minimumResponses: 3 })),
    ['low_response_rate'],
    'k reached: not overdue',
  );
  const full = held('b', 1, same(6, good), { early: 3 });
  t.same(codes(evaluationSignals([full], at(30))), [], 'cancelled members are not asked to answer');
  t.same(codes(evaluationSignals([], at(30))), []);
});

t.test('signals are sorted by severity, code, then audience', async (t) => {
  const mk = (code: Signal['code'], severity: Signal['severity'], memberId?: string): Signal => ({
    code,
    severity,
    audience: memberId ? { kind: 'member', memberId } : { kind: 'network' },
    evidence: {},
    title: SIGNAL_TITLES[code],
    guidance: SIGNAL_GUIDANCE[code],
  });
  const sorted = sortSignals([
    mk('low_response_rate', 'info'),
    mk('member_at_risk_of_withdrawing', 'warning', 'b'),
    mk('low_energy', 'warning'),
    mk('member_at_risk_of_withdrawing', 'warning', 'a'),
    mk('many_cancellations', 'critical'),
  ]);
  t.same(
    sorted.map((s) => `${s.severity}:${s.code}:${s.audience.kind === 'member' ? s.audience.memberId : '-'}`),
    [
      'critical:many_cancellations:-',
      'warning:member_at_risk_of_withdrawing:a',
      'warning:member_at_risk_of_withdrawing:b',
      'warning:low_energy:-',
      'info:low_response_rate:-',
    ],
  );
  // Same severity and code: the network's signal comes before any member's, whatever the input order.
  t.same(
    sortSignals([mk('low_energy', 'warning', 'a'), mk('low_energy', 'warning')]).map((s) => s.audience.kind),
    ['network', 'member'],
  );
});

t.test('a member signal reaches the facilitator only with tenant policy AND member consent', async (t) => {
  const meetings = [held('a', 1, [[1, 3, 3, 3, -2], ...same(5, good)], { early: 4 })];
  const { signals } = assessNetwork(meetings, afterAll);
  const memberSignal = (s: Signal) => s.audience.kind === 'member' && s.audience.memberId === 'm0';
  t.ok(signals.some(memberSignal) && signals.some((s) => s.audience.kind === 'network'));
  const sees = (viewer: Parameters<typeof visibleSignals>[1], policy = PRIVATE_SIGNAL_POLICY) =>
    visibleSignals(signals, viewer, policy).some(memberSignal);
  const both = { facilitatorMaySeeMemberSignals: true, consentingMemberIds: ['m0'] };
  const cases: [string, boolean][] = [
    ['the member', sees({ role: 'member', memberId: 'm0' })],
    [
      'the facilitator, tenant allows and member consents',
      sees({ role: 'facilitator', memberId: null }, both),
    ],
    ['a facilitator who is that member', sees({ role: 'facilitator', memberId: 'm0' })],
  ];
  for (const [name, visible] of cases) t.ok(visible, `${name} sees it`);
  const hidden: [string, boolean][] = [
    ['another member', sees({ role: 'member', memberId: 'm1' })],
    ['the facilitator by default', sees({ role: 'facilitator', memberId: null })],
    [
      'the facilitator, tenant allows, no consent',
      sees({ role: 'facilitator', memberId: 'm9' }, { ...both, consentingMemberIds: [] }),
    ],
    [
      'the facilitator, consent, tenant forbids',
      sees({ role: 'facilitator', memberId: null }, { ...both, facilitatorMaySeeMemberSignals: false }),
    ],
    ['the HR admin, even when both allow', sees({ role: 'admin' }, both)],
  ];
  for (const [name, visible] of hidden) t.notOk(visible, `${name} does not see it`);
  t.ok(
    visibleSignals(signals, { role: 'admin' }).some((s) => s.code === 'many_cancellations'),
    'network signals are for all',
  );
});

t.test(
  'a member who answered but has no attendance row is still assessed (no absences counted)',
  async (t) => {
    const meeting = held('a', 1, [[1, 3, 3, 3, -2]]);
    const withoutRow: HeldMeeting = { ...meeting, attendance: [] };
    const signals = memberSignals([withoutRow]);
    t.equal(signals.length, 1);
    t.same(signals[0]!.evidence.absences, 0);
    t.same(signals[0]!.audience, { kind: 'member', memberId: 'm0' });
  },
);

t.test('sortSignals orders member signals of the same severity and code by member id', async (t) => {
  const base = memberSignals([held('a', 1, [[2, 3, 3, 3, 0]])])[0]!;
  const forMember = (memberId: string): Signal => ({ ...base, audience: { kind: 'member', memberId } });
  t.same(
    sortSignals([forMember('m9'), forMember('m1'), forMember('m5')]).map((s) =>
      s.audience.kind === 'member' ? s.audience.memberId : '',
    ),
    ['m1', 'm5', 'm9'],
  );
});
