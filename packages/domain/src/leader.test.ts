import t from '@sparring/test-workers/tap';
import { leaderInput } from '../test/helpers/leaders.js';
import {
  type EXPERIENCE_BANDS,
  experienceBand,
  LEADER_LIMITS,
  type LeaderProfile,
  parseLeaderProfile,
  patchLeaderProfile,
} from './leader.js';

/** Untrimmed and in mixed case, to show what parsing normalises; two languages and motivations. */
const valid = leaderInput({
  name: ' Ane Hansen ',
  email: 'Ane.Hansen@Example.DK',
  languages: ['da', 'en'],
  motivations: ['dilemma_sparring', 'strategy'],
});

const parsed = (input: unknown, selfId?: string): LeaderProfile => {
  const r = parseLeaderProfile(input, selfId);
  if (!r.ok) throw new Error(JSON.stringify(r.error.issues));
  return r.value;
};

t.test('parseLeaderProfile: a valid profile, trimmed, email lower-cased, defaults filled', async (t) => {
  t.same(parsed(valid), {
    ...valid,
    name: 'Ane Hansen',
    email: 'ane.hansen@example.dk',
    preferredCadenceMonths: null,
    managerId: null,
    exclusions: [],
    sameness: { sector: 'no_preference', experience: 'no_preference', organisation: 'no_preference' },
    externalId: null,
  });
});

t.test(
  'parseLeaderProfile: the HR system’s externalId is kept as given, empty is none, too long refused',
  async (t) => {
    t.equal(parsed({ ...valid, externalId: 'EMP-00042' }).externalId, 'EMP-00042');
    t.equal(parsed({ ...valid, externalId: '' }).externalId, null);
    t.equal(parsed({ ...valid, externalId: null }).externalId, null);
    const long = parseLeaderProfile({ ...valid, externalId: 'x'.repeat(256) });
    t.same(long.ok ? [] : long.error.issues.map((i) => `${i.path}:${i.code}`), ['externalId:too_long']);
    const patched = patchLeaderProfile(parsed({ ...valid, externalId: 'A1' }), { region: 'Fyn' });
    t.equal(patched.ok && patched.value.externalId, 'A1', 'a patch without it keeps it');
  },
);

t.test('parseLeaderProfile: optional fields', async (t) => {
  const p = parsed(
    {
      ...valid,
      preferredCadenceMonths: 2,
      managerId: 'boss',
      exclusions: ['x', 'y'],
      sameness: { sector: 'same' },
    },
    'me',
  );
  t.equal(p.preferredCadenceMonths, 2);
  t.equal(p.managerId, 'boss');
  t.same(p.exclusions, ['x', 'y']);
  t.same(p.sameness, { sector: 'same', experience: 'no_preference', organisation: 'no_preference' });
  t.equal(parsed({ ...valid, managerId: '' }).managerId, null, 'an empty manager is none');
  const all = parsed({
    ...valid,
    sameness: { sector: 'different', experience: 'same', organisation: 'different' },
  });
  t.same(all.sameness, { sector: 'different', experience: 'same', organisation: 'different' });
});

t.test('parseLeaderProfile rejects', async (t) => {
  const rows: [string, unknown, string | undefined, string[]][] = [
    [
      'empty object',
      {},
      undefined,
      [
        'name:required',
        'email:required',
        'sector:required',
        'organisation:required',
        'level:required',
        'yearsOfExperience:required',
        'region:required',
        'languages:required',
        'motivations:required',
        'availability:required',
        'formats:required',
      ],
    ],
    ['bad email', { ...valid, email: 'ane@localhost' }, undefined, ['email:invalid_format']],
    ['long name', { ...valid, name: 'x'.repeat(LEADER_LIMITS.nameMax + 1) }, undefined, ['name:too_long']],
    ['unknown level', { ...valid, level: 'ceo' }, undefined, ['level:not_allowed']],
    ['negative experience', { ...valid, yearsOfExperience: -1 }, undefined, ['yearsOfExperience:too_small']],
    ['experience over 60', { ...valid, yearsOfExperience: 61 }, undefined, ['yearsOfExperience:too_large']],
    [
      'fractional experience',
      { ...valid, yearsOfExperience: 2.5 },
      undefined,
      ['yearsOfExperience:wrong_type'],
    ],
    ['no languages', { ...valid, languages: [] }, undefined, ['languages:too_short']],
    ['no motivations', { ...valid, motivations: [] }, undefined, ['motivations:too_short']],
    ['unknown slot', { ...valid, availability: ['night'] }, undefined, ['availability[0]:not_allowed']],
    ['duplicate format', { ...valid, formats: ['online', 'online'] }, undefined, ['formats[1]:duplicate']],
    ['cadence 4', { ...valid, preferredCadenceMonths: 4 }, undefined, ['preferredCadenceMonths:not_allowed']],
    ['own manager', { ...valid, managerId: 'me' }, 'me', ['managerId:invalid_reference']],
    ['excludes self', { ...valid, exclusions: ['me'] }, 'me', ['exclusions:invalid_reference']],
    ['sameness not an object', { ...valid, sameness: 'same' }, undefined, ['sameness:wrong_type']],
    [
      'unknown sameness dimension',
      { ...valid, sameness: { age: 'same' } },
      undefined,
      ['sameness.age:unknown_property'],
    ],
    [
      'bad sameness value',
      { ...valid, sameness: { sector: 'yes' } },
      undefined,
      ['sameness.sector:not_allowed'],
    ],
    [
      'mass assignment',
      { ...valid, id: 'x', tenantId: 't' },
      undefined,
      ['id:unknown_property', 'tenantId:unknown_property'],
    ],
  ];
  for (const [name, input, selfId, expected] of rows) {
    const r = parseLeaderProfile(input, selfId);
    t.same(r.ok ? [] : r.error.issues.map((i) => `${i.path}:${i.code}`), expected, name);
  }
  t.ok(parseLeaderProfile({ ...valid, managerId: 'me' }).ok, 'without selfId the self-rules are not checked');
});

t.test('patchLeaderProfile', async (t) => {
  const current = parsed({
    ...valid,
    managerId: 'boss',
    sameness: { sector: 'same', experience: 'different' },
  });
  const rows: [string, unknown, (p: LeaderProfile) => unknown, unknown][] = [
    [
      'absent fields keep their value',
      { region: 'Syddanmark' },
      (p) => [p.region, p.name],
      ['Syddanmark', 'Ane Hansen'],
    ],
    ['null clears an optional field', { managerId: null }, (p) => p.managerId, null],
    [
      'sameness merges per dimension',
      { sameness: { organisation: 'different' } },
      (p) => p.sameness,
      { sector: 'same', experience: 'different', organisation: 'different' },
    ],
    ['no sameness keeps it', {}, (p) => p.sameness, current.sameness],
  ];
  for (const [name, patch, pick, expected] of rows) {
    const r = patchLeaderProfile(current, patch);
    t.ok(r.ok, name);
    if (r.ok) t.same(pick(r.value), expected, name);
  }
  const bad: [string, unknown, string | undefined, string[]][] = [
    ['unknown field', { id: 'x' }, undefined, ['id:unknown_property']],
    ['not an object', 'x', undefined, [':wrong_type']],
    [
      'the merged profile is validated',
      { yearsOfExperience: 99 },
      undefined,
      ['yearsOfExperience:too_large'],
    ],
    ['self rules apply', { exclusions: ['me'] }, 'me', ['exclusions:invalid_reference']],
  ];
  for (const [name, patch, selfId, expected] of bad) {
    const r = patchLeaderProfile(current, patch, selfId);
    t.same(r.ok ? [] : r.error.issues.map((i) => `${i.path}:${i.code}`), expected, name);
  }
});

t.test('experienceBand: < 3 new, 3–9 established, 10–19 experienced, 20+ veteran', async (t) => {
  const rows: [number, (typeof EXPERIENCE_BANDS)[number]][] = [
    [0, 'new'],
    [2, 'new'],
    [3, 'established'],
    [9, 'established'],
    [10, 'experienced'],
    [19, 'experienced'],
    [20, 'veteran'],
    [45, 'veteran'],
  ];
  for (const [years, band] of rows) t.equal(experienceBand(years), band, `${years} years`);
});
