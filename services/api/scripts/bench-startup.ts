/**
 * Start-up benchmark: starts the built service on the embedded database (PGlite) N times per case
 * and prints the time from spawning the process until `GET /health/ready` answers 200 (min /
 * median / max), the median of each phase the server reports in its "sparring is ready" log line
 * (`startup`, in ms: boot, imports, database, migrations, plugins, listen, total, and cpu, the CPU
 * time used until ready) and the machine's load average while it ran.
 *
 * The cases (`--data`, default all three, in this order):
 * - `existing`: an existing data folder, the common case (a warm install restarting); one uncounted
 *   start creates and migrates it first;
 * - `fresh`: a new, empty data folder for every start (initdb, then every migration);
 * - `memory`: `SPARRING_DATA_DIR=memory://` (initdb and migrations in memory, nothing kept).
 *
 * The modes (`--modes`, default `bundle,dist`; within a case they take turns, start by start):
 * - `bundle`: `node dist/bundle/server.js`, the one-file bundle `pnpm start` and the container run
 *   (scripts/bundle.mjs);
 * - `dist`: `node dist/server.js`, tsc's output unbundled (~1,870 modules with node_modules);
 * - `tsx`: the TypeScript sources through tsx, as `pnpm dev` runs them.
 * With more than one mode, a summary at the end puts the medians side by side.
 *
 *   pnpm bench:startup                        5 runs of each case, bundle and dist
 *   pnpm bench:startup --runs 9 --data existing
 *   pnpm bench:startup --modes bundle,dist,tsx
 *
 * Each start is stopped with SIGTERM and awaited before the next, so only one process holds a
 * data folder at a time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  // `pnpm bench:startup -- --runs 3` passes the `--` on.
  args: process.argv.slice(2).filter((a, i) => i > 0 || a !== '--'),
  options: {
    runs: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'bundle,dist' },
    data: { type: 'string', default: 'existing,fresh,memory' },
    'data-dir': { type: 'string' },
  },
});
const runs = Number(values.runs);
const root = path.resolve(import.meta.dirname, '..');

interface Mode {
  readonly name: string;
  readonly args: readonly string[];
}
const MODES: Record<string, Mode> = {
  bundle: { name: 'node dist/bundle/server.js', args: ['--enable-source-maps', 'dist/bundle/server.js'] },
  dist: { name: 'node dist/server.js', args: ['--enable-source-maps', 'dist/server.js'] },
  tsx: { name: 'tsx src/server.ts', args: ['--import=tsx', 'src/server.ts'] },
};
const modes = values.modes.split(',').map((name) => {
  const mode = MODES[name.trim()];
  if (!mode) throw new Error(`--modes: unknown mode "${name}" (bundle, dist, tsx)`);
  return mode;
});

type DataCase = 'existing' | 'fresh' | 'memory';
const CASES: Record<DataCase, string> = {
  existing: 'existing data folder (second start and later)',
  fresh: 'fresh data folder (initdb and migrations)',
  memory: 'memory:// (initdb and migrations in memory)',
};
const cases = values.data.split(',').map((name) => {
  const trimmed = name.trim();
  if (!(trimmed in CASES)) throw new Error(`--data: unknown case "${name}" (existing, fresh, memory)`);
  return trimmed as DataCase;
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** The server being started, killed if the benchmark fails half-way. */
let running: ChildProcess | undefined;

interface Start {
  readonly readyMs: number;
  readonly phases: Record<string, number>;
}

/** One start: spawn, poll /health/ready every 5 ms until 200, read the ready line, SIGTERM. */
async function startOnce(mode: Mode, dataDir: string, timeoutMs = 300_000): Promise<Start> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SPARRING_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, mode.args, {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running = child;
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  let readyMs: number | undefined;
  while (readyMs === undefined) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    if (performance.now() - started > timeoutMs)
      throw new Error(`not ready after ${timeoutMs} ms:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) readyMs = performance.now() - started;
    else await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGTERM');
  if (child.exitCode === null) await once(child, 'exit');
  running = undefined;
  const line = output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; startup?: Record<string, number> })
    .find((l) => l.msg === 'sparring is ready');
  return { readyMs, phases: line?.startup ?? {} };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const ms = (x: number) => `${Math.round(x)} ms`.padStart(8);
const load = () =>
  loadavg()
    .slice(0, 1)
    .map((x) => x.toFixed(1))
    .join();

/** Temporary data folders made here, removed at the end. */
const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sparring-bench-startup-'));
  made.push(dir);
  return dir;
};

/** Medians of each mode and case, for the summary. */
const summary: { mode: string; dataCase: DataCase; ready: number; phases: Record<string, number> }[] = [];

/**
 * Runs one case `runs` times in every mode (after the warm-up start an existing folder needs) and
 * prints each mode. The modes take turns, start by start, so a change of the machine's load while
 * the case runs weighs on all of them alike; on an existing folder they share it.
 */
async function runCase(dataCase: DataCase): Promise<void> {
  const loadBefore = load();
  const results = new Map<Mode, Start[]>(modes.map((mode) => [mode, []]));
  const existingDir = dataCase === 'existing' ? (values['data-dir'] ?? tempDir()) : undefined;
  // Creates and migrates the folder (if new) and fills the caches each mode uses.
  if (existingDir) for (const mode of modes) await startOnce(mode, existingDir, 600_000);
  for (let i = 0; i < runs; i++) {
    for (const mode of modes) {
      const dataDir = existingDir ?? (dataCase === 'memory' ? 'memory://' : tempDir());
      results.get(mode)?.push(await startOnce(mode, dataDir, 600_000));
      if (dataCase === 'fresh') rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const loadAfter = load();
  for (const [mode, starts] of results) {
    const ready = starts.map((r) => r.readyMs);
    const phaseNames = [...new Set(starts.flatMap((r) => Object.keys(r.phases)))];
    const phaseMedians = Object.fromEntries(
      phaseNames.map((phase) => {
        const xs = starts.map((r) => r.phases[phase]).filter((x): x is number => x !== undefined);
        return [phase, Math.round(median(xs))];
      }),
    );
    const phases = Object.entries(phaseMedians).map(([phase, x]) => `${phase} ${x}`);
    summary.push({ mode: mode.name, dataCase, ready: median(ready), phases: phaseMedians });
    console.log(
      `\n${mode.name}, ${CASES[dataCase]}, ${runs} runs, load average ${loadBefore} → ${loadAfter}\n` +
        `  time to ready  min ${ms(Math.min(...ready))}  median ${ms(median(ready))}  max ${ms(Math.max(...ready))}\n` +
        `  phase medians (ms)  ${phases.join(', ')}`,
    );
  }
}

try {
  console.log(
    `start-up on the embedded database, ${runs} runs per case; Node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  );
  for (const dataCase of cases) await runCase(dataCase);
  if (modes.length > 1) {
    console.log(`\nmedians side by side (ms), load average now ${load()}`);
    for (const dataCase of cases) {
      console.log(`  ${CASES[dataCase]}`);
      for (const s of summary.filter((x) => x.dataCase === dataCase)) {
        const { boot, imports, database, plugins, cpu } = s.phases;
        // The bundle is read and compiled before server.ts runs: its module loading is in `boot`.
        console.log(
          `    ${s.mode.padEnd(28)} ready ${ms(s.ready)}  boot ${boot ?? '-'}  imports ${imports ?? '-'}  ` +
            `database ${database ?? '-'}  plugins ${plugins ?? '-'}  cpu ${cpu ?? '-'}`,
        );
      }
    }
  }
} finally {
  if (running?.exitCode === null) {
    running.kill('SIGKILL');
    await once(running, 'exit');
  }
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
}
