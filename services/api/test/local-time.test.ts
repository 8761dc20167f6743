import t from '@sparring/test-workers/tap';
import { localDateTime } from '../src/meetings/local-time.js';

t.test('local wall-clock time per zone, with the formatters cached per zone', async (t) => {
  const summer = new Date('2026-06-15T16:30:00Z');
  const winter = new Date('2026-12-15T16:30:00Z');
  // Alternating zones: a cache keyed wrongly would answer with the previous zone's formatter.
  for (let round = 0; round < 2; round++) {
    t.equal(localDateTime(summer, 'Europe/Copenhagen'), '2026-06-15T18:30', 'CEST is UTC+2');
    t.equal(localDateTime(summer, 'America/New_York'), '2026-06-15T12:30', 'EDT is UTC−4');
    t.equal(localDateTime(winter, 'Europe/Copenhagen'), '2026-12-15T17:30', 'CET is UTC+1');
    t.equal(localDateTime(winter, 'UTC'), '2026-12-15T16:30');
  }
  t.equal(
    localDateTime(new Date('2026-03-01T23:00:00Z'), 'Europe/Copenhagen'),
    '2026-03-02T00:00',
    'midnight is 00, not 24',
  );
});
