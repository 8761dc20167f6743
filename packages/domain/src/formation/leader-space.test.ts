import t from '@sparring/test-workers/tap';
import { leaderSpaceOf, seededLeader } from '../../test/helpers/leaders.js';
import type { Leader } from '../leader.js';
import { MOTIVATIONS } from '../vocabulary.js';
import { FULL_SCAN_GROUPS, MAX_SAMPLED_PASSES, meetingOptionMask } from './leader-space.js';
import { seededRng } from './random.js';

/** Leader L<i> of `seededLeader`, with one motivation drawn from `seed` too. */
const leaderOf = (i: number, seed: number): Leader =>
  seededLeader(i, seed, (r) => ({ motivations: [MOTIVATIONS[r.int(MOTIVATIONS.length)]!] }));

/** The meeting option (label) of weekday daytime online, the one `leaderOf` leaders can take. */
const ONLINE_DAYTIME = Math.log2(meetingOptionMask(leaderOf(0, 0)));

const spaceOf = (leaders: readonly Leader[], labels: number[], lo: number, hi: number) =>
  leaderSpaceOf(
    leaders,
    Int32Array.from(labels),
    new Int32Array(labels.length).fill(lo),
    new Int32Array(labels.length).fill(hi),
  );

t.test('a space without groups has objective 0 (not NaN from an empty mean)', (t) => {
  const space = spaceOf([leaderOf(0, 1), leaderOf(1, 1)], [], 2, 4);
  t.equal(space.m, 0);
  t.equal(space.value(), 0);
  t.end();
});

t.test('a sampled descent stops after MAX_SAMPLED_PASSES passes even while it still improves', (t) => {
  const n = 640;
  const m = 100;
  t.ok(m > FULL_SCAN_GROUPS, 'large enough for the sampled descent');
  const leaders = Array.from({ length: n }, (_, i) => leaderOf(i, 1));
  const space = spaceOf(
    leaders,
    Array.from({ length: m }, () => ONLINE_DAYTIME),
    1,
    n,
  );
  space.restore(Int32Array.from(leaders, (_, i) => i % m));
  space.rng = seededRng(1);
  // stop() is asked once per 64 leaders visited, so ⌈n / 64⌉ times per pass.
  let asked = 0;
  const start = space.value();
  space.descend(() => {
    asked++;
    return false;
  });
  t.equal(asked / Math.ceil(n / 64), MAX_SAMPLED_PASSES, 'exactly the pass cap');
  const capped = space.value();
  t.ok(capped > start, 'the passes improved');
  space.descend(() => false);
  t.ok(space.value() > capped, 'it stopped at the cap, not at a local optimum');
  t.end();
});

t.test('a descent stops at once when asked to', (t) => {
  const leaders = Array.from({ length: 40 }, (_, i) => leaderOf(i, 2));
  const space = spaceOf(
    leaders,
    Array.from({ length: 10 }, () => ONLINE_DAYTIME),
    1,
    40,
  );
  const start = Int32Array.from(leaders, (_, i) => i % 10);
  space.restore(start);
  space.rng = seededRng(2);
  space.descend(() => true);
  t.same(space.save(), start, 'nothing moved');
  t.end();
});

t.test('a leader placed where no group fits their slot and format is left alone', (t) => {
  // Ten groups (a sampled descent), all weekday daytime online; leader 0 only meets on weekends.
  const leaders = Array.from({ length: 40 }, (_, i) =>
    i === 0 ? { ...leaderOf(i, 3), availability: ['weekend' as const] } : leaderOf(i, 3),
  );
  const space = spaceOf(
    leaders,
    Array.from({ length: 10 }, () => ONLINE_DAYTIME),
    1,
    40,
  );
  space.restore(Int32Array.from(leaders, (_, i) => i % 10));
  const rng = seededRng(3);
  space.rng = rng;
  const before = space.value();
  space.descend(() => false);
  for (let round = 0; round < 20; round++) space.perturb(10, rng);
  space.descend(() => false);
  t.equal(space.groupOf[0], 0, 'leader 0 stays where it was put');
  t.ok(
    space.groupOf.every((g) => g >= 0),
    'everybody is still placed',
  );
  t.ok(space.value() > before, 'the others were still improved around it');
  t.end();
});

t.test('a perturbation never swaps with an empty group', (t) => {
  // Group 0 is at its minimum (no move out); group 1 is empty (no one to swap with).
  const leaders = Array.from({ length: 3 }, (_, i) => leaderOf(i, 4));
  const space = spaceOf(leaders, [ONLINE_DAYTIME, ONLINE_DAYTIME], 3, 3);
  const start = Int32Array.from([0, 0, 0]);
  space.restore(start);
  const value = space.value();
  space.perturb(5, seededRng(4));
  t.same(space.save(), start, 'nobody moved');
  t.equal(space.size[1], 0);
  t.equal(space.value(), value);
  t.end();
});
