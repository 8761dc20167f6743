/**
 * Start-up benchmark: starts the server N times on the embedded database against an existing data
 * folder (a warm install: the first, uncounted start creates and migrates it) and prints the time
 * from spawning the process until `GET /health/ready` answers 200, min / median / max, with the
 * phases the server reports in its "sparring is ready" log line (`startup`, in ms).
 *
 *   pnpm bench:startup                 the built service (node dist/server.js), 7 runs
 *   pnpm bench:startup --runs 15       more runs
 *   pnpm bench:startup --modes dist,tsx  also the TypeScript sources through tsx, for comparison
 *
 * Each start is stopped with SIGTERM and awaited before the next, so only one process holds the
 * data folder at a time.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  // `pnpm bench:startup -- --runs 3` passes the `--` on.
  args: process.argv.slice(2).filter((a, i) => i > 0 || a !== '--'),
  options: {
    runs: { type: 'string', default: '7' },
    modes: { type: 'string', default: 'dist' },
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
  dist: { name: 'node dist/server.js', args: ['--enable-source-maps', 'dist/server.js'] },
  tsx: { name: 'tsx src/server.ts', args: ['--import=tsx', 'src/server.ts'] },
};
const modes = values.modes.split(',').map((name) => {
  const mode = MODES[name.trim()];
  if (!mode) throw new Error(`--modes: unknown mode "${name}" (dist, tsx)`);
  return mode;
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
async function startOnce(mode: Mode, dataDir: string, timeoutMs = 120_000): Promise<Start> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    SPARRING_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  delete env.DATABASE_URL;
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

const dataDir = values['data-dir'] ?? mkdtempSync(path.join(tmpdir(), 'sparring-bench-startup-'));
try {
  console.log(
    `start-up on the embedded database, ${runs} runs per mode after one warm-up start; ` +
      `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; data folder ${dataDir}`,
  );
  for (const mode of modes) {
    await startOnce(mode, dataDir, 600_000); // warm-up: creates and migrates the data folder, fills caches
    const results: Start[] = [];
    for (let i = 0; i < runs; i++) results.push(await startOnce(mode, dataDir));
    const ready = results.map((r) => r.readyMs);
    console.log(
      `\n${mode.name}\n  time to ready  min ${ms(Math.min(...ready))}  median ${ms(median(ready))}  max ${ms(Math.max(...ready))}`,
    );
    const phaseNames = [...new Set(results.flatMap((r) => Object.keys(r.phases)))];
    for (const phase of phaseNames) {
      const xs = results.map((r) => r.phases[phase]).filter((x): x is number => x !== undefined);
      console.log(`  ${phase.padEnd(13)}  min ${ms(Math.min(...xs))}  median ${ms(median(xs))}`);
    }
  }
} finally {
  if (running?.exitCode === null) {
    running.kill('SIGKILL');
    await once(running, 'exit');
  }
  if (values['data-dir'] === undefined) rmSync(dataDir, { recursive: true, force: true });
}
