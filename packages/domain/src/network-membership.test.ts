import t from '@sparring/test-workers/tap';
import {
  activeMemberIds,
  activeMemberships,
  compareIds,
  isActiveMembership,
  type NetworkMembership,
} from './network-membership.js';

const at = (iso: string) => new Date(iso);
const m = (memberId: string, joined: string, left: string | null = null): NetworkMembership => ({
  memberId,
  joinedAt: at(joined),
  leftAt: left === null ? null : at(left),
});

t.test('isActiveMembership: joinedAt ≤ now < leftAt', async (t) => {
  const rows: [NetworkMembership, string, boolean][] = [
    [m('a', '2026-01-01'), '2025-12-31', false],
    [m('a', '2026-01-01'), '2026-01-01', true],
    [m('a', '2026-01-01', '2026-02-01'), '2026-01-31', true],
    [m('a', '2026-01-01', '2026-02-01'), '2026-02-01', false],
  ];
  for (const [membership, now, expected] of rows)
    t.equal(isActiveMembership(membership, at(now)), expected, `${now}`);
});

t.test('active members: one per leader, latest join wins, sorted by id', async (t) => {
  const memberships = [
    m('c', '2026-01-01'),
    m('a', '2026-01-01', '2026-02-01'),
    m('a', '2026-03-01'),
    m('b', '2026-01-01'),
    m('b', '2026-01-15'),
    m('b', '2026-01-10'),
  ];
  const now = at('2026-04-01');
  t.same(activeMemberIds(memberships, now), ['a', 'b', 'c']);
  t.same(activeMemberships(memberships, now).find((x) => x.memberId === 'b')?.joinedAt, at('2026-01-15'));
  t.same(activeMemberIds(memberships, at('2026-02-15')), ['b', 'c']);
});

t.test('compareIds is code-unit order', async (t) => {
  t.same(['b', 'B', 'a', 'a'].sort(compareIds), ['B', 'a', 'a', 'b']);
});
