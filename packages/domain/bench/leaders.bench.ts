/**
 * Leader formation benchmark (docs/benchmarks.md).
 *
 *   pnpm bench:leaders [--n 10000] [--seconds 6] [--seed 1]
 *
 * 1. Scale: n synthetic leaders (seeded, bench/synthetic-leaders.ts) into networks of 6–12 with the
 *    default composition, a cap of 3 per organisation and a history; prints seconds, peak memory
 *    (resourceUsage().maxRSS and heap), and checks every hard constraint independently.
 * 2. Exactness: small pools (12 leaders into 2 groups of 6, one meeting option so every split is
 *    feasible) compared with exhaustive enumeration of all C(12,6)/2 = 462 splits under the same
 *    objective (composition.ts scoring, only-one rule, λ). Reported: how often the engine finds the
 *    exhaustive optimum, and the worst gap. Larger pools (24–60) are compared with the best of many
 *    seeds instead, since exhaustive search is out of reach.
 */
import { checkHardConstraints, DEFAULT_COMPOSITION, scoreGroup } from '../src/composition.js';
import { formNetworks } from '../src/formation/form-networks.js';
import type { Leader } from '../src/leader.js';
import { syntheticLeaders } from './synthetic-leaders.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? Number(args[k + 1]) : fallback;
};
const n = option('n', 10_000);
const seconds = option('seconds', 6);
const seed = option('seed', 1);
const clock = () => performance.now();

function scale(): void {
  const leaders = syntheticLeaders(n, seed);
  // A history: the previous round put consecutive leaders together in tens.
  const history: string[][] = [];
  for (let i = 0; i + 10 <= n; i += 10) history.push(leaders.slice(i, i + 10).map((l) => l.id));
  const started = clock();
  const result = formNetworks({
    leaders,
    seed,
    constraints: { maxPerOrganisation: 3 },
    history,
    budget: { timeLimitMs: seconds * 1000, clock },
  });
  const elapsed = (clock() - started) / 1000;
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const byId = new Map(leaders.map((l) => [l.id, l]));
  let violations = 0;
  const seen = new Set<string>();
  for (const network of result.value.networks) {
    const members = network.members.map((id) => byId.get(id)!);
    for (const id of network.members) {
      if (seen.has(id)) violations++;
      seen.add(id);
    }
    if (members.length < 6 || members.length > 12) violations++;
    violations += checkHardConstraints(members, { maxPerOrganisation: 3 }).length;
    if (
      !members.every((m) => m.availability.includes(network.timeSlot) && m.formats.includes(network.format))
    )
      violations++;
  }
  const memory = process.memoryUsage();
  const q = result.value.quality;
  console.log(
    `scale: ${n} leaders → ${q.networks} networks, ${result.value.unplaced.length} unplaced, ${elapsed.toFixed(2)} s (budget ${seconds} s), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MB; mean ${q.mean.toFixed(4)}, worst ${q.worst.toFixed(4)}, spread ${q.spread.toFixed(4)}, only-ones ${q.onlyOnes}, rounds ${q.iterations}; hard-constraint violations ${violations}`,
  );
}

const lambda = 0.5;
const objective = (groups: Leader[][]) => {
  const scored = groups.map((g) => scoreGroup(g, DEFAULT_COMPOSITION));
  const scores = scored.map((s) => s.score);
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  return (1 - lambda) * mean + lambda * Math.min(...scores) - scored.reduce((a, s) => a + s.onlyOnes, 0);
};

/** Every split of 12 into two groups of 6 (leader 0 always in the first): the exact optimum. */
function exhaustive12(leaders: Leader[]): number {
  let best = -Infinity;
  for (let mask = 0; mask < 1 << 12; mask++) {
    if (!(mask & 1)) continue;
    let bits = 0;
    for (let b = 0; b < 12; b++) bits += (mask >> b) & 1;
    if (bits !== 6) continue;
    const a = leaders.filter((_, i) => (mask >> i) & 1);
    const b = leaders.filter((_, i) => !((mask >> i) & 1));
    best = Math.max(best, objective([a, b]));
  }
  return best;
}

function exactness(): void {
  let optimal = 0;
  let worstGap = 0;
  const trials = 30;
  for (let t = 0; t < trials; t++) {
    const leaders = syntheticLeaders(12, 1000 + t).map((l) => ({
      ...l,
      availability: ['weekday_daytime' as const],
      formats: ['online' as const],
      managerId: null,
      exclusions: [],
    }));
    const exact = exhaustive12(leaders);
    const result = formNetworks({ leaders, seed, sizes: { min: 6, max: 6 }, budget: { maxIterations: 200 } });
    if (!result.ok) throw new Error('formation failed');
    const groups = result.value.networks.map((net) =>
      net.members.map((id) => leaders.find((l) => l.id === id)!),
    );
    const found = objective(groups);
    if (found >= exact - 1e-9) optimal++;
    worstGap = Math.max(worstGap, exact - found);
  }
  console.log(
    `exact: 12 leaders into 2 × 6, ${trials} pools: exhaustive optimum found in ${optimal}/${trials}, worst objective gap ${worstGap.toFixed(6)}`,
  );
  for (const size of [24, 36, 60]) {
    const rows: string[] = [];
    for (let t = 0; t < 5; t++) {
      const leaders = syntheticLeaders(size, 2000 + t);
      const run = (s: number, iterations: number) => {
        const r = formNetworks({ leaders, seed: s, budget: { maxIterations: iterations } });
        if (!r.ok) throw new Error('formation failed');
        return r.value.quality;
      };
      const single = run(seed, 300);
      let best = single;
      for (let s = 2; s <= 10; s++) {
        const q = run(s, 1500);
        if (q.objective > best.objective) best = q;
      }
      rows.push(
        `only-ones ${single.onlyOnes}/${best.onlyOnes}, score ${(single.objective + single.onlyOnes).toFixed(4)}/${(best.objective + best.onlyOnes).toFixed(4)}`,
      );
    }
    console.log(
      `reference: ${size} leaders, 5 pools, one run (300 rounds) / best of 10 runs (1500 rounds): ${rows.join('; ')}`,
    );
  }
}

scale();
exactness();
