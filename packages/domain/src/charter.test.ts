import t from '@sparring/test-workers/tap';
import fc from 'fast-check';
import {
  acceptCharter,
  adoptCharterVersion,
  type Charter,
  type CharterAcceptance,
  type CharterVersion,
  CONFIDENTIALITY_RULE_TEXT,
  cancellationNoticeHours,
  charterStatus,
  hasConfidentialityRule,
  hasNonSocialGoal,
  isCharterInForce,
  latestCharterVersion,
  parseCharter,
} from './charter.js';
import type { NetworkMembership } from './network-membership.js';
import { FOCUS_AREAS } from './vocabulary.js';

const goal = { category: 'dilemma_sparring', description: 'Vende dilemmaer i et fortroligt rum' };
const valid = { purpose: 'Sparring på ledelse', goals: [goal] };

t.test('parseCharter adds confidentiality and the default cancellation notice', async (t) => {
  const r = parseCharter(valid);
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(r.value.groundRules, [
    { kind: 'confidentiality', text: CONFIDENTIALITY_RULE_TEXT },
    { kind: 'cancellation_notice', hours: 48 },
  ]);
  t.equal(cancellationNoticeHours(r.value), 48);
  t.ok(hasConfidentialityRule(r.value));
  t.ok(hasNonSocialGoal(r.value));
});

t.test('parseCharter keeps given rules in canonical order, confidentiality first', async (t) => {
  const r = parseCharter({
    ...valid,
    groundRules: [
      { kind: 'custom', text: 'Mobiler væk' },
      { kind: 'cancellation_notice', hours: 24 },
      { kind: 'custom', text: 'Vi starter til tiden' },
      { kind: 'confidentiality' },
    ],
  });
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(
    r.value.groundRules.map((g) => g.kind),
    ['confidentiality', 'cancellation_notice', 'custom', 'custom'],
  );
  t.equal(cancellationNoticeHours(r.value), 24);
  t.same(r.value.groundRules.slice(2), [
    { kind: 'custom', text: 'Mobiler væk' },
    { kind: 'custom', text: 'Vi starter til tiden' },
  ]);
});

t.test('confidentiality cannot be removed: any accepted input yields it', async (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...FOCUS_AREAS), { minLength: 1, maxLength: 5 }),
      fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 4 }),
      (categories, customs) => {
        const r = parseCharter({
          purpose: 'p',
          goals: categories.map((category, i) => ({ category, description: `g${i}` })),
          groundRules: customs.map((c, i) => ({ kind: 'custom', text: `${i}:${c}` })),
        });
        if (!r.ok) return categories.every((c) => c === 'social');
        return r.value.groundRules[0]?.kind === 'confidentiality' && hasNonSocialGoal(r.value);
      },
    ),
  );
  t.pass('the property held for every generated charter');
});

const cases: [string, unknown, string[]][] = [
  ['not an object', 'x', [':wrong_type', 'purpose:required', 'goals:required']],
  ['missing purpose and goals', {}, ['purpose:required', 'goals:required']],
  [
    'only social goals',
    { purpose: 'p', goals: [{ category: 'social', description: 'hygge' }] },
    ['goals:not_allowed'],
  ],
  [
    'unknown category',
    { purpose: 'p', goals: [{ category: 'golf', description: 'x' }] },
    ['goals[0].category:not_allowed'],
  ],
  ['no goals', { purpose: 'p', goals: [] }, ['goals:too_short']],
  ['unknown field', { ...valid, extra: 1 }, ['extra:unknown_property']],
  [
    'duplicate confidentiality',
    { ...valid, groundRules: [{ kind: 'confidentiality' }, { kind: 'confidentiality' }] },
    ['groundRules[1].kind:duplicate'],
  ],
  [
    'confidentiality with its own text',
    { ...valid, groundRules: [{ kind: 'confidentiality', text: 'kun lidt' }] },
    ['groundRules[0].text:unknown_property'],
  ],
  [
    'negative notice',
    { ...valid, groundRules: [{ kind: 'cancellation_notice', hours: -1 }] },
    ['groundRules[0].hours:too_small'],
  ],
  [
    'notice over two weeks',
    { ...valid, groundRules: [{ kind: 'cancellation_notice', hours: 337 }] },
    ['groundRules[0].hours:too_large'],
  ],
  [
    'duplicate custom rule',
    {
      ...valid,
      groundRules: [
        { kind: 'custom', text: 'a' },
        { kind: 'custom', text: 'a' },
      ],
    },
    ['groundRules[1].text:duplicate'],
  ],
  [
    'empty custom rule',
    { ...valid, groundRules: [{ kind: 'custom', text: ' ' }] },
    ['groundRules[0].text:required'],
  ],
  [
    'unknown rule kind',
    { ...valid, groundRules: [{ kind: 'dresscode' }] },
    ['groundRules[0].kind:not_allowed'],
  ],
  [
    'too many custom rules',
    { ...valid, groundRules: Array.from({ length: 21 }, (_, i) => ({ kind: 'custom', text: `r${i}` })) },
    ['groundRules:too_long'],
  ],
];
for (const [name, input, expected] of cases)
  t.test(`parseCharter rejects: ${name}`, async (t) => {
    const r = parseCharter(input);
    t.notOk(r.ok);
    if (r.ok) return;
    t.same(
      r.error.issues.map((i) => `${i.path}:${i.code}`),
      expected,
    );
    for (const i of r.error.issues) t.ok(i.message.da && i.message.en);
  });

t.test('the more-than-social issue quotes the seed in both languages', async (t) => {
  const r = parseCharter({ purpose: 'p', goals: [{ category: 'social', description: 'x' }] });
  t.notOk(r.ok);
  if (r.ok) return;
  t.match(r.error.issues[0]!.message.da, /mere end socialt/);
  t.match(r.error.issues[0]!.message.en, /more than social/);
});

t.test('helpers read hand-built charters too', async (t) => {
  const bare: Charter = { purpose: 'p', goals: [{ category: 'social', description: 'x' }], groundRules: [] };
  t.equal(cancellationNoticeHours(bare), 48);
  t.notOk(hasConfidentialityRule(bare));
  t.notOk(hasNonSocialGoal(bare));
});

const charter = (parseCharter(valid) as { ok: true; value: Charter }).value;
const day = (n: number) => new Date(Date.UTC(2026, 0, n));
const member = (memberId: string, joined: number, left: number | null = null): NetworkMembership => ({
  memberId,
  joinedAt: day(joined),
  leftAt: left === null ? null : day(left),
});

t.test('versions are numbered from 1 and the latest is the highest', async (t) => {
  const v1 = adoptCharterVersion(null, charter, day(1));
  const v2 = adoptCharterVersion(v1, charter, day(5));
  t.equal(v1.version, 1);
  t.equal(v2.version, 2);
  t.same(v2.adoptedAt, day(5));
  t.equal(latestCharterVersion([v2, v1]), v2);
  t.equal(latestCharterVersion([]), null);
});

t.test('acceptCharter', async (t) => {
  const v1 = adoptCharterVersion(null, charter, day(1));
  const v2 = adoptCharterVersion(v1, charter, day(5));
  const memberships = [member('a', 1), member('b', 1), member('gone', 1, 3)];
  const base = { latest: v2, memberships, acceptances: [] as CharterAcceptance[], now: day(6) };

  const accepted = acceptCharter({ ...base, memberId: 'a', version: 2 });
  t.same(accepted, { ok: true, value: [{ memberId: 'a', version: 2, acceptedAt: day(6) }] });

  const again = acceptCharter({
    ...base,
    acceptances: accepted.ok ? accepted.value : [],
    memberId: 'a',
    version: 2,
  });
  t.same(again, accepted, 'accepting twice is idempotent');

  const old = acceptCharter({ ...base, memberId: 'a', version: 1 });
  t.equal(old.ok ? '' : old.error.code, 'not_the_latest_version');

  for (const memberId of ['gone', 'stranger']) {
    const r = acceptCharter({ ...base, memberId, version: 2 });
    t.equal(r.ok ? '' : r.error.code, 'not_an_active_member', memberId);
    t.ok(r.ok ? false : r.error.message.da.length > 0);
  }
});

t.test('charterStatus: in force only when every active member accepted the latest version', async (t) => {
  const v1 = adoptCharterVersion(null, charter, day(1));
  const v2 = adoptCharterVersion(v1, charter, day(10));
  const accept = (memberId: string, version: number, at: number): CharterAcceptance => ({
    memberId,
    version,
    acceptedAt: day(at),
  });
  const rows: [
    string,
    CharterVersion[],
    NetworkMembership[],
    CharterAcceptance[],
    number,
    boolean,
    string[],
  ][] = [
    ['no charter', [], [member('a', 1)], [], 2, false, ['a']],
    ['no members', [v1], [], [], 2, false, []],
    [
      'everyone accepted',
      [v1],
      [member('a', 1), member('b', 1)],
      [accept('a', 1, 2), accept('b', 1, 2)],
      3,
      true,
      [],
    ],
    ['one missing', [v1], [member('a', 1), member('b', 1)], [accept('a', 1, 2)], 3, false, ['b']],
    [
      'a new member joins: not in force until they accept',
      [v1],
      [member('a', 1), member('b', 1), member('c', 4)],
      [accept('a', 1, 2), accept('b', 1, 2)],
      5,
      false,
      ['c'],
    ],
    [
      'the new member accepts',
      [v1],
      [member('a', 1), member('b', 1), member('c', 4)],
      [accept('a', 1, 2), accept('b', 1, 2), accept('c', 1, 5)],
      6,
      true,
      [],
    ],
    [
      'a member who left is no longer needed',
      [v1],
      [member('a', 1), member('b', 1, 4)],
      [accept('a', 1, 2)],
      5,
      true,
      [],
    ],
    [
      'a new version needs everyone again',
      [v1, v2],
      [member('a', 1), member('b', 1)],
      [accept('a', 1, 2), accept('b', 1, 2), accept('b', 2, 11)],
      12,
      false,
      ['a'],
    ],
    [
      'a rejoining member accepts again',
      [v1],
      [member('a', 1), member('b', 1, 3), member('b', 5)],
      [accept('a', 1, 2), accept('b', 1, 2)],
      6,
      false,
      ['b'],
    ],
  ];
  for (const [name, versions, memberships, acceptances, now, inForce, awaiting] of rows) {
    const args = { versions, memberships, acceptances, now: day(now) };
    const status = charterStatus(args);
    t.equal(status.inForce, inForce, name);
    t.equal(isCharterInForce(args), inForce, name);
    t.same(status.awaitingAcceptance, awaiting, name);
    t.equal(status.version, versions.length === 0 ? null : versions.length, name);
  }
});
