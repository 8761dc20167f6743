import t from '@sparring/test-workers/tap';
import { leader, leaderInput } from '../test/helpers/leaders.js';
import type { Leader, LeaderProfile } from './leader.js';
import { LEADER_UPSERT_MAX, planLeaderUpsert, sameLeaderProfile } from './leader-upsert.js';

/** An upsert item keyed by the HR system's `externalId`, named and mailed after it. */
const item = (externalId: unknown, overrides: Record<string, unknown> = {}) =>
  leaderInput({
    externalId,
    name: `Leader ${String(externalId)}`,
    email: `${String(externalId).toLowerCase()}@example.dk`,
    ...overrides,
  });

/** A stored leader with that `externalId`, with the same profile as `item(externalId)`. */
const stored = (id: string, externalId: string, overrides: Partial<LeaderProfile> = {}): Leader =>
  leader(id, {
    name: `Leader ${externalId}`,
    email: `${externalId.toLowerCase()}@example.dk`,
    externalId,
    ...overrides,
  });

const ids = () => {
  let n = 0;
  return () => `new-${++n}`;
};

const plan = (items: unknown, known: Leader[] = []) =>
  planLeaderUpsert(items, new Map(known.map((l) => [l.externalId as string, l])), ids());

const issuesOf = (r: ReturnType<typeof plan>) =>
  r.ok ? [] : r.error.issues.map((i) => `${i.path} ${i.code}`);

t.test('planLeaderUpsert: new leaders are created, known ones updated or left unchanged', async (t) => {
  const known = [stored('id-a', 'A'), stored('id-b', 'B')];
  const r = plan(
    [
      item(' C ', { email: 'c@example.dk' }),
      item('A', { yearsOfExperience: 8 }),
      { externalId: 'B', name: 'Leader B' },
    ],
    known,
  );
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(
    r.value.map((s) => [s.index, s.externalId, s.id, s.status]),
    [
      [0, 'C', 'new-1', 'created'],
      [1, 'A', 'id-a', 'updated'],
      [2, 'B', 'id-b', 'unchanged'],
    ],
  );
  t.equal(r.value[0]!.profile.externalId, 'C', 'the key is trimmed');
  t.equal(r.value[0]!.current, null);
  t.equal(r.value[1]!.profile.yearsOfExperience, 8);
  t.equal(r.value[1]!.current, known[0]);
  t.equal(r.value[2]!.profile.email, 'b@example.dk', 'a partial item keeps the stored fields');
});

t.test('planLeaderUpsert: an update is partial; null clears an optional field', async (t) => {
  const known = [stored('id-a', 'A', { preferredCadenceMonths: 2, exclusions: ['id-x'] })];
  const r = plan([{ externalId: 'A', preferredCadenceMonths: null }], known);
  t.ok(r.ok);
  if (!r.ok) return;
  t.equal(r.value[0]!.status, 'updated');
  t.equal(r.value[0]!.profile.preferredCadenceMonths, null);
  t.same(r.value[0]!.profile.exclusions, ['id-x'], 'absent exclusions are kept, not wiped');
});

t.test('planLeaderUpsert: the batch size', async (t) => {
  t.same(issuesOf(plan({ leaders: [] })), ['leaders wrong_type']);
  t.same(issuesOf(plan([])), ['leaders too_short']);
  const many = Array.from({ length: LEADER_UPSERT_MAX + 1 }, (_, i) => item(`E${i}`));
  t.same(issuesOf(plan(many)), ['leaders too_long']);
  t.ok(plan(many.slice(0, LEADER_UPSERT_MAX)).ok, `${LEADER_UPSERT_MAX} items are fine`);
});

t.test('planLeaderUpsert: every invalid item is reported by index, and nothing is planned', async (t) => {
  const r = plan([
    item('A'),
    'not an object',
    item(undefined),
    item('   '),
    item('A', { email: 'other@example.dk' }),
    item('E', { level: 'emperor', extra: 1 }),
    item('F', { email: 'a@example.dk' }),
  ]);
  t.same(issuesOf(r), [
    'leaders[1] wrong_type',
    'leaders[2].externalId required',
    'leaders[3].externalId required',
    'leaders[4].externalId duplicate',
    'leaders[5].extra unknown_property',
    'leaders[5].level not_allowed',
    'leaders[6].email duplicate',
  ]);
  if (!r.ok) t.match(r.error.issues[3]!.message.en, /leaders\[0\]/, 'the duplicate names the first');
});

t.test('planLeaderUpsert: issues come in the order of the items', async (t) => {
  const r = plan([item('A'), item('B', { name: '' }), item('A')]);
  t.same(issuesOf(r), ['leaders[1].name required', 'leaders[2].externalId duplicate']);
});

t.test('planLeaderUpsert: the manager by the HR system id', async (t) => {
  const known = [stored('id-boss', 'BOSS'), stored('id-a', 'A', { managerId: 'id-boss' })];
  const r = plan(
    [
      item('NEW-BOSS'),
      item('N1', { managerExternalId: 'NEW-BOSS' }),
      item('N2', { managerExternalId: 'BOSS' }),
      item('N3', { managerExternalId: ' A ' }),
    ],
    known,
  );
  t.ok(r.ok);
  if (!r.ok) return;
  t.same(
    r.value.map((s) => s.profile.managerId),
    [null, 'new-1', 'id-boss', 'id-a'],
    'a leader of the batch (new or stored) or a stored one',
  );
  const cleared = plan(
    [
      { externalId: 'A', managerExternalId: null },
      { externalId: 'BOSS', managerExternalId: '' },
    ],
    known,
  );
  t.ok(cleared.ok);
  if (cleared.ok)
    t.same(
      cleared.value.map((s) => [s.status, s.profile.managerId]),
      [
        ['updated', null],
        ['unchanged', null],
      ],
    );
  t.same(
    issuesOf(
      plan(
        [
          item('X', { managerExternalId: 'NOBODY' }),
          item('Y', { managerExternalId: 'X', managerId: null }),
          item('Z', { managerExternalId: 'Z' }),
          item('W', { managerExternalId: 42 }),
        ],
        known,
      ),
    ),
    [
      'leaders[0].managerExternalId invalid_reference',
      'leaders[1].managerExternalId not_allowed',
      'leaders[2].managerId invalid_reference',
      'leaders[3].managerExternalId wrong_type',
    ],
  );
});

t.test('sameLeaderProfile: every field, structurally', async (t) => {
  const a = stored('id-a', 'A');
  t.ok(sameLeaderProfile(a, { ...a, languages: ['da'] }));
  const { externalId: _, ...noExternalId } = a;
  t.ok(
    sameLeaderProfile({ ...noExternalId, externalId: null }, noExternalId),
    'absent externalId reads as null',
  );
  t.notOk(sameLeaderProfile(a, { ...a, languages: ['da', 'en'] }));
  t.notOk(sameLeaderProfile(a, { ...a, languages: ['en'] }));
  t.notOk(sameLeaderProfile(a, { ...a, sameness: { ...a.sameness, sector: 'same' } }));
  const { sector: __, ...twoKeys } = a.sameness;
  t.notOk(sameLeaderProfile(a, { ...a, sameness: twoKeys as LeaderProfile['sameness'] }));
  t.notOk(sameLeaderProfile(a, { ...a, name: 'Someone else' }));
});
