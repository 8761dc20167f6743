/**
 * The service as a process of its own, for the tests and benchmarks that need a real one (replicas,
 * a kill in the middle of a delivery, the built runtime, requests over HTTP): spawned on a port,
 * its JSON log lines collected (or its output passed through), ready once a path answers 200, and
 * stopped with a signal. The caller says what runs (`args`) and with what environment; a process
 * that exits or is not ready in time fails with the end of its stderr.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

/** The service package's folder. */
export const SERVICE_DIR = path.resolve(import.meta.dirname, '../..');

/** Node arguments that run the TypeScript sources, as `pnpm dev` does. */
export const SOURCE_SERVER_ARGS = ['--import', 'tsx', path.join(SERVICE_DIR, 'src/server.ts')];

export type LogLine = Record<string, unknown> & { msg?: string };

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** stdout's JSON lines (a line that is not JSON as `{ msg }`), with `output: 'collect'`. */
  readonly lines: LogLine[];
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** What the process wrote to stderr so far (with `output: 'collect'`). */
  stderr(): string;
  /** Sends `signal` (unless it has exited) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ServiceProcessOptions {
  /** Node's arguments: the script and what precedes it. */
  readonly args: readonly string[];
  /** The whole environment of the process (PORT is added). */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** A port to listen on; a free one by default. */
  readonly port?: number;
  /** `collect` (default): stdout parsed into `lines`, stderr kept; `inherit`: passed through. */
  readonly output?: 'collect' | 'inherit';
  /** The path that answers when the service is ready. */
  readonly readyPath?: string;
  /** Whether an answer from `readyPath` means ready: by default a 200. */
  readonly isReady?: (response: Response) => boolean;
  /** How long start-up may take: generous, as a loaded 2-core CI machine needs minutes. */
  readonly timeoutMs?: number;
  /** Named in errors. */
  readonly name?: string;
}

/** A TCP port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `process.env` without the given variables (so a setting of the test run does not leak in). */
export function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}

/** Starts the service and resolves once `readyPath` answers 200. */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const name = options.name ?? 'the service';
  const port = options.port ?? (await freePort());
  const collect = (options.output ?? 'collect') === 'collect';
  const child = spawn(process.execPath, [...options.args], {
    cwd: options.cwd ?? SERVICE_DIR,
    env: { ...options.env, PORT: String(port) },
    stdio: collect ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines: LogLine[] = [];
  let stderr = '';
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts.filter(Boolean)) {
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        lines.push({ msg: line });
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const process_: ServiceProcess = {
    url: `http://127.0.0.1:${port}`,
    child,
    lines,
    exited,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (running()) child.kill(signal);
      return exited;
    },
  };

  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  for (;;) {
    if (!running())
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}): ${stderr.slice(-2000)}`);
    const ready = await fetch(`${process_.url}${options.readyPath ?? '/health/ready'}`).then(
      (r) => (options.isReady ?? ((res) => res.status === 200))(r),
      () => false,
    );
    if (ready) return process_;
    if (Date.now() > deadline) {
      await process_.stop('SIGKILL');
      const last = JSON.stringify(lines.slice(-5).map((l) => l.msg));
      throw new Error(
        `${name} was not ready in time; last log lines: ${last}; stderr: ${stderr.slice(-1000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
