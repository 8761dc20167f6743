import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import {
  AGENDA_ITEM_KINDS,
  type AgendaItem,
  airtimeCycleLength,
  airtimeRound,
  DEFAULT_CASES_PER_MEETING,
  memberAirtime,
  type PresentedCase,
  parseAgenda,
  presentedCases,
  proposeNextCases,
} from './agenda.js';

const members = ['ane', 'bo', 'cai', 'dea', 'eva'];

t.test('parseAgenda', async (t) => {
  const good = [
    { ownerId: 'ane', title: 'Check-in', kind: 'check_in' },
    { ownerId: 'bo', title: 'En medarbejder, der ikke trives', kind: 'dilemma' },
  ];
  t.same(parseAgenda(good, members), { ok: true, value: good });
  t.same(parseAgenda([], members), { ok: true, value: [] });
  const rows: [string, unknown, string[] | undefined, string[]][] = [
    ['not a list', 'x', undefined, [':wrong_type']],
    ['unknown kind', [{ ownerId: 'ane', title: 't', kind: 'gossip' }], undefined, ['[0].kind:not_allowed']],
    [
      'owner not a member',
      [{ ownerId: 'zed', title: 't', kind: 'dilemma' }],
      members,
      ['[0].ownerId:invalid_reference'],
    ],
    ['missing title', [{ ownerId: 'ane', kind: 'dilemma' }], undefined, ['[0].title:required']],
    [
      'unknown field',
      [{ ownerId: 'ane', title: 't', kind: 'dilemma', minutes: 5 }],
      undefined,
      ['[0].minutes:unknown_property'],
    ],
    [
      'too many items',
      Array.from({ length: 13 }, (_, i) => ({ ownerId: 'ane', title: `t${i}`, kind: 'reflection' })),
      undefined,
      [':too_long'],
    ],
    ['the same item twice', [good[1], good[1]], undefined, ['[1]:duplicate']],
  ];
  for (const [name, input, ids, expected] of rows) {
    const r = parseAgenda(input, ids);
    t.same(r.ok ? [] : r.error.issues.map((i) => `${i.path}:${i.code}`), expected, name);
  }
  t.equal(AGENDA_ITEM_KINDS.length, 4);
});

t.test('presentedCases: only dilemmas count as a member’s own airtime', async (t) => {
  const agenda = (items: [string, AgendaItem['kind']][]): AgendaItem[] =>
    items.map(([ownerId, kind], i) => ({ ownerId, kind, title: `t${i}` }));
  t.same(
    presentedCases([
      {
        meetingSequence: 1,
        agenda: agenda([
          ['ane', 'check_in'],
          ['bo', 'dilemma'],
          ['cai', 'strategic_theme'],
        ]),
      },
      {
        meetingSequence: 2,
        agenda: agenda([
          ['ane', 'dilemma'],
          ['bo', 'reflection'],
        ]),
      },
    ]),
    [
      { meetingSequence: 1, ownerId: 'bo' },
      { meetingSequence: 2, ownerId: 'ane' },
    ],
  );
});

t.test('airtimeCycleLength = ⌈members ÷ cases per meeting⌉', async (t) => {
  const rows: [number, number | undefined, number][] = [
    [12, undefined, 6],
    [5, 2, 3],
    [6, 3, 2],
    [0, 2, 0],
    [4, 0, 4],
  ];
  for (const [n, k, expected] of rows) t.equal(airtimeCycleLength(n, k), expected, `${n}/${k}`);
  t.equal(DEFAULT_CASES_PER_MEETING, 2);
});

const cases: PresentedCase[] = [
  { meetingSequence: 1, ownerId: 'ane' },
  { meetingSequence: 1, ownerId: 'bo' },
  { meetingSequence: 2, ownerId: 'cai' },
  { meetingSequence: 2, ownerId: 'gone' },
];

t.test('memberAirtime and airtimeRound', async (t) => {
  t.same(memberAirtime(['bo', 'ane'], cases), [
    { memberId: 'ane', ownCases: 1, lastCase: 1 },
    { memberId: 'bo', ownCases: 1, lastCase: 1 },
  ]);
  t.same(airtimeRound(members, cases), { round: 1, waiting: ['dea', 'eva'] });
  t.same(airtimeRound(['ane', 'bo'], cases), { round: 2, waiting: ['ane', 'bo'] });
  t.same(airtimeRound([], cases), { round: 1, waiting: [] });
});

t.test('proposeNextCases: fewest own cases, skipping those who cancelled, with reasons', async (t) => {
  const next = proposeNextCases({ memberIds: members, unavailable: ['dea'], cases });
  t.same(
    next.map((p) => [p.memberId, p.ownCases, p.lastCase]),
    [
      ['eva', 0, null],
      ['ane', 1, 1],
    ],
  );
  t.match(
    next[0]!.reason.en,
    /^Fewest own cases \(0\) among the 4 members who can attend; has not had a case/,
  );
  t.match(next[0]!.reason.da, /^Færrest egne sager \(0\)/);
  t.match(
    next[1]!.reason.en,
    /^Everyone with fewer own cases is already proposed; own cases so far: 1; last had a case of their own at meeting 1/,
  );
  t.match(next[1]!.reason.da, /allerede foreslået/);

  const tie = proposeNextCases({
    memberIds: ['ane', 'bo', 'cai'],
    unavailable: [],
    cases: [
      { meetingSequence: 3, ownerId: 'ane' },
      { meetingSequence: 1, ownerId: 'cai' },
      { meetingSequence: 2, ownerId: 'bo' },
    ],
    count: 3,
  });
  t.same(
    tie.map((p) => p.memberId),
    ['cai', 'bo', 'ane'],
    'ties: earliest last case first',
  );
  t.same(proposeNextCases({ memberIds: members, unavailable: members, cases }), []);
  t.same(proposeNextCases({ memberIds: members, unavailable: [], cases, count: 0 }), []);
});

t.test('property: everyone gets airtime within a cycle, counts never differ by more than 1', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 14 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 0, max: 4 }),
      fc.array(fc.array(fc.nat(20), { maxLength: 3 }), { minLength: 30, maxLength: 30 }),
      (n, perMeeting, sometimesCount, cancellations) => {
        const ids = Array.from({ length: n }, (_, i) => `m${String(i).padStart(2, '0')}`);
        const sometimes = ids.slice(0, Math.min(sometimesCount, n - 1));
        const always = ids.filter((id) => !sometimes.includes(id));
        const history: PresentedCase[] = [];
        for (let seq = 1; seq <= 30; seq++) {
          const unavailable =
            sometimes.length === 0
              ? []
              : cancellations[seq - 1]!.map((i) => sometimes[i % sometimes.length]!);
          for (const p of proposeNextCases({
            memberIds: ids,
            unavailable,
            cases: history,
            count: perMeeting,
          }))
            history.push({ meetingSequence: seq, ownerId: p.memberId });
          const counts = always.map((id) => history.filter((c) => c.ownerId === id).length);
          if (Math.max(...counts) - Math.min(...counts) > 1) return false;
          // With nobody cancelling, a full cycle gives everyone a case.
          if (sometimes.length === 0 && seq === airtimeCycleLength(n, perMeeting) && Math.min(...counts) < 1)
            return false;
        }
        return true;
      },
    ),
  );
  t.pass('the property held');
});
