/**
 * The leader search space's tuning parameters (issue #13): LeaderSpace and formNetworks honour a
 * caller's own values. Each case gives one answer with the defaults and another with a passed
 * parameter, so it fails if the parameter were ignored.
 */
import t from '@sparring/test-workers/tap';
import {
  type LeaderSpace,
  type LeaderSpaceParameters,
  meetingOptionMask,
} from '../src/formation/leader-space.js';
import { seededRng } from '../src/formation/random.js';
import { DEFAULT_LEADER_SPACE_PARAMETERS, formNetworks, type Leader } from '../src/index.js';
import { leaderSpaceOf, seededLeader } from './helpers/leaders.js';

t.test('the defaults are frozen', async (t) => {
  t.ok(Object.isFrozen(DEFAULT_LEADER_SPACE_PARAMETERS));
  t.equal(DEFAULT_LEADER_SPACE_PARAMETERS.fullScanGroups, 8);
});

const ONLINE_DAYTIME = Math.log2(meetingOptionMask(seededLeader(0, 0)));
const spaceOf = (leaders: readonly Leader[], m: number, parameters?: Partial<LeaderSpaceParameters>) =>
  leaderSpaceOf(
    leaders,
    new Int32Array(m).fill(ONLINE_DAYTIME),
    new Int32Array(m).fill(1),
    new Int32Array(m).fill(leaders.length),
    parameters,
  );
/** How many times a descent asks whether to stop, per pass: once per 64 leaders visited. */
const passesOf = (space: LeaderSpace) => {
  let asked = 0;
  space.descend(() => {
    asked++;
    return false;
  });
  return asked / Math.ceil(space.n / 64);
};

t.test('leader space: the only-one cost and the sampled descent', async (t) => {
  const leaders = Array.from({ length: 128 }, (_, i) => seededLeader(i, 1));
  const start = Int32Array.from(leaders, (_, i) => i % 16);
  const placed = (parameters?: Partial<LeaderSpaceParameters>) => {
    const space = spaceOf(leaders, 16, parameters);
    space.restore(start);
    space.rng = seededRng(1);
    return space;
  };
  const onlyOnes = placed().onlyOnes.reduce((a, b) => a + b, 0);
  t.ok(onlyOnes > 0, 'the start has only-ones');
  t.equal(placed({ onlyOnePenalty: 0 }).value() - placed().value(), onlyOnes, 'each costs the penalty');

  t.equal(passesOf(placed({ maxSampledPasses: 2 })), 2, 'the pass cap');
  t.ok(passesOf(placed({ maxSampledPasses: 1, fullScanGroups: 16 })) > 1, 'a full scan is not capped');
  const still = placed({ sampledGroups: 0 });
  const before = still.value();
  still.descend(() => false);
  t.equal(still.value(), before, 'no candidate groups: nobody moves');
  const moved = placed();
  moved.descend(() => false);
  t.ok(moved.value() > before, 'by default the sampled descent improves');
});

t.test('formation: formNetworks passes leaderSpaceParameters to its search space', async (t) => {
  const leaders = Array.from({ length: 24 }, (_, i) => seededLeader(i, 5));
  const input = { leaders, seed: 7, budget: { maxIterations: 5 } } as const;
  const base = formNetworks(input);
  const tuned = formNetworks({ ...input, leaderSpaceParameters: { onlyOnePenalty: 0, sampledGroups: 0 } });
  t.ok(base.ok && tuned.ok);
  if (!base.ok || !tuned.ok) return;
  t.same(formNetworks(input), base, 'the same input gives the same networks');
  t.not(
    JSON.stringify(tuned.value.networks),
    JSON.stringify(base.value.networks),
    'the tuning changed the search',
  );
});
