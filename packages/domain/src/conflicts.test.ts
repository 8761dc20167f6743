import t from '@sparring/test-workers/tap';
import { leader } from '../test/helpers/leaders.js';
import { type ConflictSubject, conflictBetween, findConflicts } from './conflicts.js';

t.test('conflictBetween', async (t) => {
  const rows: [string, ConflictSubject, ConflictSubject, string | null][] = [
    ['the same leader', leader('a', { managerId: 'a' }), leader('a'), null],
    ['no relation', leader('a'), leader('b'), null],
    ['a reports to b', leader('a', { managerId: 'b' }), leader('b'), 'manager_report'],
    ['b reports to a', leader('a'), leader('b', { managerId: 'a' }), 'manager_report'],
    ['a excludes b', leader('a', { exclusions: ['b'] }), leader('b'), 'exclusion'],
    ['b excludes a', leader('a'), leader('b', { exclusions: ['a'] }), 'exclusion'],
    [
      'manager–report wins over exclusion',
      leader('a', { managerId: 'b', exclusions: ['b'] }),
      leader('b'),
      'manager_report',
    ],
  ];
  for (const [name, a, b, expected] of rows) {
    t.equal(conflictBetween(a, b), expected, name);
    t.equal(conflictBetween(b, a), expected, `${name} (either order)`);
  }
});

t.test('findConflicts: each pair once, sorted, no direction', async (t) => {
  const members = [
    leader('d', { exclusions: ['a'] }),
    leader('c', { managerId: 'b' }),
    leader('b'),
    leader('a', { exclusions: ['c'] }),
    leader('e', { exclusions: ['f'] }),
    leader('f'),
  ];
  t.same(findConflicts(members), [
    { kind: 'exclusion', between: ['a', 'c'] },
    { kind: 'exclusion', between: ['a', 'd'] },
    { kind: 'manager_report', between: ['b', 'c'] },
    { kind: 'exclusion', between: ['e', 'f'] },
  ]);
  t.same(findConflicts([leader('a'), leader('b')]), []);
});
