/**
 * The release rule when a network lowers k (issue #14, item 7): a pool begun under a higher k that
 * a lower-k round does not complete is set aside for good, and the pool starts again, so a network
 * that could never reach its k gets numbers once it lowers it.
 */
import t from '@sparring/test-workers/tap';
import { releaseRounds } from './confidentiality.js';
import type { Evaluation } from './evaluation.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T16:00:00Z');
const day = (n: number) => new Date(T0 + n * DAY);
const answer = (meetingId: string, memberId: string): Evaluation => ({
  meetingId,
  memberId,
  benefit: 4,
  energy: 4,
  purposeFit: 4,
  relations: 4,
  giveGet: 0,
  comment: null,
});
const round = (meetingId: string, startDay: number, members: string[], k: number) => ({
  meetingId,
  startsAt: day(startDay),
  closesAt: day(startDay + 14),
  minimumResponses: k,
  evaluations: members.map((m) => answer(meetingId, m)),
});
const four = ['a', 'b', 'c', 'd'];

t.test('four members, k = 5 then 4: the stale pool is set aside, the next meeting released', async (t) => {
  const rounds = [round('m1', 0, four, 5), round('m2', 30, four, 5), round('m3', 60, four, 4)];
  const state = releaseRounds(rounds, day(200));
  t.same(
    state.releases.map((r) => [r.meetingIds, r.minimum, r.respondents]),
    [[['m3'], 4, 4]],
    'm3 on its own under its k',
  );
  t.match(state.byMeeting.get('m1'), { state: 'pooling', minimum: 5 }, 'answered under 5: never released');
  t.match(state.byMeeting.get('m2'), { state: 'pooling', minimum: 5 });
  // Before m3 closed, nothing; and the walk over a longer history repeats the same releases.
  t.same(releaseRounds(rounds, day(70)).releases, []);
  const longer = releaseRounds([...rounds, round('m4', 90, ['a', 'b', 'c'], 4)], day(200));
  t.same(longer.releases.slice(0, 1), state.releases);
  t.match(longer.byMeeting.get('m4'), { state: 'pooling', minimum: 4 });
});

t.test('a lower-k round that completes the pool under its higher k releases it whole', async (t) => {
  const rounds = [round('m1', 0, ['a', 'b', 'c'], 5), round('m2', 30, ['c', 'd', 'e'], 4)];
  const state = releaseRounds(rounds, day(200));
  t.same(
    state.releases.map((r) => [r.meetingIds, r.minimum, r.respondents]),
    [[['m1', 'm2'], 5, 5]],
    'released together under the higher k: nothing lost',
  );
});

t.test(
  'a lower-k round that neither completes the pool nor reaches its own k starts a new pool',
  async (t) => {
    const rounds = [round('m1', 0, ['a', 'b'], 5), round('m2', 30, ['c'], 3), round('m3', 60, ['d', 'e'], 3)];
    const state = releaseRounds(rounds, day(200));
    t.same(
      state.releases.map((r) => r.meetingIds),
      [['m2', 'm3']],
    );
    t.match(state.byMeeting.get('m1'), { state: 'pooling', minimum: 5 });
  },
);

t.test('a raised k joins the pool as before (the stricter k applies)', async (t) => {
  const rounds = [round('m1', 0, ['a', 'b'], 3), round('m2', 30, ['c', 'd'], 5)];
  const state = releaseRounds(rounds, day(200));
  t.same(state.releases, []);
  t.match(state.byMeeting.get('m1'), { state: 'pooling', minimum: 5 });
});
