/**
 * MDGPLIB benchmark of the grouping solver (docs/benchmarks.md).
 *
 *   pnpm bench:formation [--instances DIR] [--reference FILE] [--filter REGEX] [--json] [--seed N]
 *                        [--clock cpu|wall] [--workers N] [--time-scale F]
 *                        [--weak N] [--depth N] [--strong SHARE_OF_N] [--elite N] [--crossover K]
 *                        [--restart F] [--restart-minimum R]
 *
 * Runs every instance once with the reference's time limit (one process, one core), verifies each
 * solution independently (every element placed once; groups matched one-to-one to the size ranges
 * by a bipartite matching), recomputes the objective from the file, and compares it with the
 * reference (Iterated Maxima Search, Lai & Hao 2016, same limits). A baseline (random feasible
 * partition + greedy descent) runs on the same instance so the gain is visible.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  groupingObjective,
  MatrixSpace,
  randomAssignment,
  solveMatrixGrouping,
} from '../src/formation/matrix.js';
import { seededRng } from '../src/formation/random.js';
import { planGroups, type SizeRange } from '../src/formation/sizes.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, '../../..');

interface Options {
  instances: string;
  reference: string;
  filter: RegExp | null;
  json: boolean;
  seed: number;
  clock: 'cpu' | 'wall';
  parameters: {
    weak?: number;
    strong?: number;
    depth?: number;
    elite?: number;
    crossover?: number;
    restart?: number;
    restartMinimum?: number;
  };
  strongShare: number | null;
  timeScale: number;
  workers: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    instances: resolve(benchDir, 'mdgplib'),
    reference: resolve(benchDir, 'mdgplib/reference.tsv'),
    filter: null,
    json: false,
    seed: 1,
    clock: 'cpu',
    parameters: {},
    strongShare: null,
    timeScale: 1,
    workers: 1,
  };
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k]!;
    const next = () => {
      const v = argv[++k];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--instances') options.instances = resolve(repoRoot, next());
    else if (arg === '--reference') options.reference = resolve(repoRoot, next());
    else if (arg === '--filter') options.filter = new RegExp(next());
    else if (arg === '--json') options.json = true;
    else if (arg === '--seed') options.seed = Number(next());
    else if (arg === '--weak') options.parameters.weak = Number(next());
    else if (arg === '--depth') options.parameters.depth = Number(next());
    else if (arg === '--elite') options.parameters.elite = Number(next());
    else if (arg === '--crossover') options.parameters.crossover = Number(next());
    else if (arg === '--restart') options.parameters.restart = Number(next());
    else if (arg === '--restart-minimum') options.parameters.restartMinimum = Number(next());
    else if (arg === '--strong') options.strongShare = Number(next());
    else if (arg === '--time-scale') options.timeScale = Number(next());
    else if (arg === '--workers') options.workers = Number(next());
    else if (arg === '--clock') {
      const clock = next();
      if (clock !== 'cpu' && clock !== 'wall') throw new Error('--clock is cpu or wall');
      options.clock = clock;
    } else if (arg === '--') continue;
    else throw new Error(`unknown option ${arg}`);
  }
  return options;
}

interface Instance {
  name: string;
  n: number;
  ranges: SizeRange[];
  values: Float64Array;
}

function readInstance(path: string, name: string): Instance {
  const lines = readFileSync(path, 'utf8').split('\n');
  const head = lines[0]!.trim().split(/\s+/);
  const n = Number(head[0]);
  const m = Number(head[1]);
  const ranges: SizeRange[] = [];
  for (let g = 0; g < m; g++) ranges.push({ min: Number(head[3 + 2 * g]), max: Number(head[4 + 2 * g]) });
  const values = new Float64Array(n * n);
  for (let l = 1; l < lines.length; l++) {
    const parts = lines[l]!.trim().split(/\s+/);
    if (parts.length < 3) continue;
    const i = Number(parts[0]);
    const j = Number(parts[1]);
    const v = Number(parts[2]);
    values[i * n + j] = v;
    values[j * n + i] = v;
  }
  return { name, n, ranges, values };
}

function readReference(path: string): Map<string, { reference: number; seconds: number }> {
  const map = new Map<string, { reference: number; seconds: number }>();
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const [name, reference, seconds] = line.trim().split('\t');
    if (name) map.set(name, { reference: Number(reference), seconds: Number(seconds) });
  }
  return map;
}

/** Kuhn's augmenting-path bipartite matching: can every group get its own range? */
function matchesRanges(sizes: number[], ranges: SizeRange[]): boolean {
  if (sizes.length !== ranges.length) return false;
  const rangeOwner = new Int32Array(ranges.length).fill(-1);
  const tryGroup = (g: number, seen: Uint8Array): boolean => {
    for (let r = 0; r < ranges.length; r++) {
      if (seen[r] || sizes[g]! < ranges[r]!.min || sizes[g]! > ranges[r]!.max) continue;
      seen[r] = 1;
      if (rangeOwner[r] === -1 || tryGroup(rangeOwner[r]!, seen)) {
        rangeOwner[r] = g;
        return true;
      }
    }
    return false;
  };
  for (let g = 0; g < sizes.length; g++) if (!tryGroup(g, new Uint8Array(ranges.length))) return false;
  return true;
}

/** Independent feasibility check: a partition of 0..n-1 whose group sizes match the ranges. */
function feasible(instance: Instance, groups: readonly (readonly number[])[]): boolean {
  const seen = new Uint8Array(instance.n);
  let count = 0;
  for (const group of groups)
    for (const i of group) {
      if (!Number.isInteger(i) || i < 0 || i >= instance.n || seen[i]) return false;
      seen[i] = 1;
      count++;
    }
  return (
    count === instance.n &&
    matchesRanges(
      groups.map((g) => g.length),
      instance.ranges,
    )
  );
}

/** Baseline: random feasible partition, then greedy descent (moves and swaps) to a local optimum. */
function baseline(instance: Instance, seed: number): number {
  const plan = planGroups(instance.n, { kind: 'ranges', ranges: instance.ranges });
  if (!plan.ok) return Number.NaN;
  const rng = seededRng(seed);
  const space = new MatrixSpace(
    instance.n,
    instance.values,
    plan.value.lo,
    plan.value.hi,
    randomAssignment(instance.n, plan.value.lo, plan.value.hi, rng),
  );
  space.descend(() => false);
  const groups: number[][] = Array.from({ length: space.m }, () => []);
  for (let i = 0; i < instance.n; i++) groups[space.groupOf[i]!]!.push(i);
  return groupingObjective(instance.n, instance.values, groups);
}

/**
 * The process's CPU time in milliseconds (user + system). The reference implementation measures its
 * time limit with C's clock(), the CPU time of its process, so `--clock cpu` (the default) gives
 * both the same budget whatever else the machine is doing; `--clock wall` uses elapsed time.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

type Parameters = Options['parameters'];

/** One search on the instance; the budget on the chosen clock. */
function solve(
  instance: Instance,
  seed: number,
  limitMs: number,
  clockKind: 'cpu' | 'wall',
  parameters: Parameters,
) {
  return solveMatrixGrouping({
    n: instance.n,
    values: instance.values,
    sizes: { kind: 'ranges', ranges: instance.ranges },
    seed,
    budget: { timeLimitMs: limitMs, clock: clockKind === 'cpu' ? cpuMs : () => performance.now() },
    parameters,
  });
}

/** The benchmark runs through tsx: each worker registers tsx's loader, then loads this file. */
const workerBootstrap = `(async () => {
  const { register } = await import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))});
  register();
  await import(${JSON.stringify(import.meta.url)});
})().catch((error) => { throw error; });`;

interface WorkerTask {
  readonly path: string;
  readonly name: string;
  readonly seed: number;
  readonly limitMs: number;
  readonly parameters: Parameters;
}

/**
 * `--workers N`: N independent searches at once, one per worker thread (seeds seed, seed + 1000, …),
 * each with the whole time limit on the wall clock (a thread's own CPU time is not readable on
 * Node 20), and the best kept. Meant for a quiet machine with at least N free cores.
 */
async function solveInWorkers(options: Options, name: string, limitMs: number, parameters: Parameters) {
  const runs = await Promise.all(
    Array.from(
      { length: options.workers },
      (_, k) =>
        new Promise<ReturnType<typeof solveMatrixGrouping>>((done, fail) => {
          const task: WorkerTask = {
            path: resolve(options.instances, `${name}.txt`),
            name,
            seed: options.seed + 1000 * k,
            limitMs,
            parameters,
          };
          const worker = new Worker(workerBootstrap, { eval: true, workerData: task });
          worker.once('message', done);
          worker.once('error', fail);
        }),
    ),
  );
  let best = runs[0]!;
  for (const run of runs) if (run.ok && (!best.ok || run.value.objective > best.value.objective)) best = run;
  if (!best.ok) return best;
  return {
    ...best,
    value: { ...best.value, iterations: runs.reduce((sum, r) => sum + (r.ok ? r.value.iterations : 0), 0) },
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const references = readReference(options.reference);
  const files = readdirSync(options.instances)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.replace(/\.txt$/, ''))
    .filter((name) => references.has(name) && (options.filter === null || options.filter.test(name)))
    .sort();
  const ratios: number[] = [];
  const baselineRatios: number[] = [];
  let infeasible = 0;
  let totalSeconds = 0;
  for (const name of files) {
    const instance = readInstance(resolve(options.instances, `${name}.txt`), name);
    const ref = references.get(name)!;
    const limitMs = ref.seconds * 1000 * options.timeScale;
    const parameters = {
      ...options.parameters,
      ...(options.strongShare === null
        ? {}
        : { strong: Math.max(1, Math.round(instance.n * options.strongShare)) }),
    };
    const started = performance.now();
    const result =
      options.workers > 1
        ? await solveInWorkers(options, name, limitMs, parameters)
        : solve(instance, options.seed, limitMs, options.clock, parameters);
    const seconds = (performance.now() - started) / 1000;
    totalSeconds += seconds;
    const groups = result.ok ? result.value.groups : [];
    const ok = result.ok && feasible(instance, groups);
    if (!ok) infeasible++;
    const objective = groupingObjective(instance.n, instance.values, groups);
    const ratio = objective / ref.reference;
    ratios.push(ratio);
    const baseRatio = baseline(instance, options.seed) / ref.reference;
    baselineRatios.push(baseRatio);
    const iterations = result.ok ? result.value.iterations : 0;
    if (options.json) {
      console.log(
        JSON.stringify({
          instance: name,
          n: instance.n,
          objective,
          reference: ref.reference,
          ratio,
          seconds,
          feasible: ok,
          baselineRatio: baseRatio,
          iterations,
          groups,
        }),
      );
    } else {
      console.log(
        `${name.padEnd(20)} n=${String(instance.n).padStart(3)} objective=${objective.toFixed(3).padStart(12)} reference=${ref.reference.toFixed(3).padStart(12)} ratio=${ratio.toFixed(5)} baseline=${baseRatio.toFixed(5)} ${seconds.toFixed(2)}s rounds=${iterations} ${ok ? 'feasible' : 'INFEASIBLE'}`,
      );
    }
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  const summary = {
    summary: true,
    instances: files.length,
    meanRatio: mean(ratios),
    worstRatio: Math.min(...ratios),
    infeasible,
    baselineMeanRatio: mean(baselineRatios),
    baselineWorstRatio: Math.min(...baselineRatios),
    seconds: totalSeconds,
  };
  if (options.json) console.log(JSON.stringify(summary));
  else
    console.log(
      `summary: ${files.length} instances, mean ratio ${summary.meanRatio.toFixed(5)}, worst ${summary.worstRatio.toFixed(5)}, infeasible ${infeasible}; baseline mean ${summary.baselineMeanRatio.toFixed(5)}, worst ${summary.baselineWorstRatio.toFixed(5)}; solver time ${totalSeconds.toFixed(1)} s`,
    );
}

if (isMainThread) await main();
else {
  const task = workerData as WorkerTask;
  const instance = readInstance(task.path, task.name);
  parentPort!.postMessage(solve(instance, task.seed, task.limitMs, 'wall', task.parameters));
}
