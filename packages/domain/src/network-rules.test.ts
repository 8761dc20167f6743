import t from '@sparring/test-workers/tap';
import { leader } from '../test/helpers/leaders.js';
import { adoptCharterVersion, type Charter, type CharterAcceptance, parseCharter } from './charter.js';
import type { ConflictSubject } from './conflicts.js';
import type { NetworkMembership } from './network-membership.js';
import {
  canStartNetwork,
  checkNetwork,
  DEFAULT_NETWORK_SIZE,
  NETWORK_SIZE_LIMITS,
  NETWORK_VIOLATION_CODES,
  type NetworkCheckInput,
  parseNetworkSizeBounds,
} from './network-rules.js';

const now = new Date('2026-03-01T12:00:00Z');
const joined = new Date('2026-01-01T00:00:00Z');
const ids = (n: number) => Array.from({ length: n }, (_, i) => `m${String(i + 1).padStart(2, '0')}`);
const memberships = (list: string[]): NetworkMembership[] =>
  list.map((memberId) => ({ memberId, joinedAt: joined, leftAt: null }));
const charter = (
  parseCharter({ purpose: 'p', goals: [{ category: 'strategy', description: 's' }] }) as {
    ok: true;
    value: Charter;
  }
).value;
const v1 = adoptCharterVersion(null, charter, joined);
const acceptAll = (list: string[]): CharterAcceptance[] =>
  list.map((memberId) => ({ memberId, version: 1, acceptedAt: joined }));

/** A network that satisfies every rule, to break one rule at a time. */
const healthy = (n = 8): NetworkCheckInput => ({
  memberships: memberships(ids(n)),
  leaders: ids(n).map((id) => leader(id)),
  charterVersions: [v1],
  acceptances: acceptAll(ids(n)),
  now,
});

t.test('defaults cite 6–12 and the configurable range 4–14', async (t) => {
  t.same(DEFAULT_NETWORK_SIZE, { min: 6, max: 12 });
  t.same(NETWORK_SIZE_LIMITS, { smallest: 4, largest: 14 });
});

t.test('parseNetworkSizeBounds', async (t) => {
  const rows: [unknown, string | { min: number; max: number }][] = [
    [{}, { min: 6, max: 12 }],
    [
      { min: 8, max: 10 },
      { min: 8, max: 10 },
    ],
    [{ min: 4 }, { min: 4, max: 12 }],
    [{ min: 3 }, 'min:too_small'],
    [{ max: 15 }, 'max:too_large'],
    [{ min: 10, max: 8 }, 'max:too_small'],
    [{ min: 6.5 }, 'min:wrong_type'],
    [{ size: 6 }, 'size:unknown_property'],
  ];
  for (const [input, expected] of rows) {
    const r = parseNetworkSizeBounds(input);
    t.same(
      r.ok ? r.value : r.error.issues.map((i) => `${i.path}:${i.code}`).join(','),
      expected,
      JSON.stringify(input),
    );
  }
});

t.test('a network that keeps every rule has no violations and may start', async (t) => {
  t.same(checkNetwork(healthy()), []);
  t.same(canStartNetwork(healthy()), { ok: true, value: true });
});

t.test('each broken rule is reported with its code and both languages', async (t) => {
  const rows: [string, NetworkCheckInput, string[]][] = [
    ['5 members: below the minimum', healthy(5), ['too_few_members']],
    ['6 members: the minimum', healthy(6), []],
    ['12 members: the maximum', healthy(12), []],
    ['13 members: above the maximum', healthy(13), ['too_many_members']],
    ['own bounds 8–10 with 7', { ...healthy(7), size: { min: 8, max: 10 } }, ['too_few_members']],
    ['no charter', { ...healthy(), charterVersions: [] }, ['charter_not_in_force']],
    ['one acceptance missing', { ...healthy(), acceptances: acceptAll(ids(7)) }, ['charter_not_in_force']],
    [
      'a social-only charter from storage',
      {
        ...healthy(),
        charterVersions: [
          { ...v1, charter: { ...charter, goals: [{ category: 'social', description: 'hygge' }] } },
        ],
      },
      ['no_non_social_goal'],
    ],
    [
      'a charter without confidentiality from storage',
      { ...healthy(), charterVersions: [{ ...v1, charter: { ...charter, groundRules: [] } }] },
      ['confidentiality_rule_missing'],
    ],
  ];
  for (const [name, input, codes] of rows) {
    const violations = checkNetwork(input);
    t.same(
      violations.map((v) => v.code),
      codes,
      name,
    );
    for (const v of violations) t.ok(v.message.da.length > 0 && v.message.en.length > 0, `${name}: text`);
  }
});

t.test('violations carry their numbers', async (t) => {
  t.match(checkNetwork(healthy(5))[0], { code: 'too_few_members', memberCount: 5, min: 6 });
  t.match(checkNetwork(healthy(13))[0], { code: 'too_many_members', memberCount: 13, max: 12 });
  t.match(checkNetwork({ ...healthy(), acceptances: acceptAll(ids(7)) })[0], {
    code: 'charter_not_in_force',
    version: 1,
    awaitingAcceptance: ['m08'],
  });
  t.match(checkNetwork({ ...healthy(), charterVersions: [] })[0], {
    code: 'charter_not_in_force',
    version: null,
  });
});

t.test('members who left are not counted', async (t) => {
  const input = healthy(7);
  const left = input.memberships.map((m, i) => (i < 2 ? { ...m, leftAt: joined } : m));
  t.same(
    checkNetwork({ ...input, memberships: left }).map((v) => v.code),
    ['too_few_members'],
  );
});

t.test('conflicts: manager–report pairs and exclusions, without revealing who excluded whom', async (t) => {
  const leaders: ConflictSubject[] = ids(8).map((id) => leader(id));
  leaders[0] = leader('m01', { managerId: 'm02' });
  leaders[7] = leader('m08', { exclusions: ['m03'] });
  const byM03 = leaders.map((l) =>
    l.id === 'm03' ? { ...l, exclusions: ['m08'] } : l.id === 'm08' ? { ...l, exclusions: [] } : l,
  );
  const a = checkNetwork({ ...healthy(), leaders });
  t.same(
    a.map((v) => v.code),
    ['manager_report_pair', 'exclusion_conflict'],
  );
  t.match(a[0], { between: ['m01', 'm02'] });
  const b = checkNetwork({ ...healthy(), leaders: byM03 });
  t.same(a[1], b[1], 'the exclusion looks the same whichever member made it');
  t.match(a[1], { between: ['m03', 'm08'] });
  t.notMatch(a[1]!.message.en, /m03|m08/);
});

t.test('a leader missing from the conflict data has no conflicts', async (t) => {
  t.same(checkNetwork({ ...healthy(), leaders: [] }), []);
});

t.test('every broken rule at once is reported, in the order of the codes', async (t) => {
  const leaders: ConflictSubject[] = [
    leader('m01', { managerId: 'm02', exclusions: ['m03'] }),
    leader('m02'),
    leader('m03'),
  ];
  const input: NetworkCheckInput = {
    memberships: memberships(ids(3)),
    leaders,
    charterVersions: [{ ...v1, charter: { purpose: 'p', goals: [], groundRules: [] } }],
    acceptances: [],
    now,
  };
  const violations = checkNetwork(input);
  t.same(
    violations.map((v) => v.code),
    NETWORK_VIOLATION_CODES.filter((c) => c !== 'too_many_members'),
  );
  const start = canStartNetwork(input);
  t.same(start, { ok: false, error: { code: 'network_not_ready', violations } });
});
