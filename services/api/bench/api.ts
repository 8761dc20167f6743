/**
 * `pnpm bench:api`: the service's reads against a bare Fastify + pg app doing the same reads, in
 * the same run, on PostgreSQL. See docs/benchmarks.md ("API").
 *
 * 1. Creates a fresh database on the server of DATABASE_URL (default the CI server's `test`
 *    database URL), and drops it at the end.
 * 2. Loads demo tenants through the service's own routes (src/demo/demo-data.ts, the data of
 *    `pnpm demo`: a network of 12 with a charter, three held meetings with afbud, attendance and
 *    evaluations, a fourth planned).
 * 3. Starts the service (plain node on dist/ when the compiled runtime exists, else
 *    `node --import tsx src/server.ts`) and the bare app (bench/bare-app.ts) as child processes,
 *    checks that both answer the same JSON, then runs autocannon against each, interleaved
 *    (service, baseline, baseline, service, …) so that noise from a shared machine falls on both.
 * 4. Prints req/s, p50, p99 and the ratio for each read. GraphQL is compared with the REST calls
 *    that return the same data (on the service), run as one sequence per connection.
 *
 * `--compare <git ref>` adds the service at another commit (extracted with `git archive`, run on
 * this tree's node_modules) as a third subject: before/after a change in the same run.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type DemoResult, loadDemo } from '../src/demo/demo-data.js';
import { startServiceProcess } from '../test/helpers/service-process.js';

const USAGE = `usage: pnpm bench:api [-- options]
  --duration S      seconds per measured run (default 5)
  --warmup S        seconds of warm-up per subject and read, once (default 2)
  --rounds N        measured runs per subject and read, interleaved (default 2)
  --connections N   concurrent connections (default 10)
  --tenants N       demo tenants loaded (default 3; the first is measured)
  --only REGEX      only the reads whose name matches
  --compare REF     also run the service at this git commit (before/after in one run)
  --json            print the results as JSON too
  --profile DIR     write a V8 CPU profile of each subject to DIR (node --cpu-prof; open in
                    Chrome DevTools or speedscope); profiling slows both subjects alike
DATABASE_URL        the PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test);
                    a fresh database is created on it and dropped after`;

const { values: args } = parseArgs({
  // `pnpm bench:api -- --duration 3` passes the `--` on.
  args: process.argv.slice(2).filter((a, i) => i > 0 || a !== '--'),
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    tenants: { type: 'string', default: '3' },
    only: { type: 'string' },
    compare: { type: 'string' },
    json: { type: 'boolean', default: false },
    profile: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const positive = (name: string, raw: string) => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`bench:api: --${name} must be a positive number; got "${raw}"\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const DURATION = positive('duration', args.duration);
const WARMUP = positive('warmup', args.warmup);
const ROUNDS = Math.round(positive('rounds', args.rounds));
const CONNECTIONS = Math.round(positive('connections', args.connections));
const TENANTS = Math.round(positive('tenants', args.tenants));
const ONLY = args.only ? new RegExp(args.only) : undefined;

const API_DIR = path.resolve(import.meta.dirname, '..');
const REPO_DIR = path.resolve(API_DIR, '../..');
const BASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

// ---------------------------------------------------------------------------------------------
// Processes and the database

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

async function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  for (const fn of cleanups.reverse()) await fn();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

async function createDatabase(): Promise<string> {
  const name = `sparring_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: BASE_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function serverVersion(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const { rows } = await c.query('SHOW server_version');
  await c.end();
  return rows[0].server_version;
}

const SERVICE_ENV = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  NODE_ENV: 'production',
  // The limiter stays in the path, with a limit the benchmark does not reach.
  SPARRING_RATE_LIMIT_PER_MINUTE: '1000000',
  // Requests only: no background work competing for the two cores.
  SPARRING_BACKGROUND_JOBS: 'false',
};

/**
 * How the service at `dir` starts: the bundle `pnpm start` and the image run when it is built (an
 * older checkout given to --compare may have only the unbundled dist/server.js), else TypeScript
 * through tsx.
 */
function serviceCommand(dir: string): { args: string[]; runtime: string } {
  const bundled = path.join(dir, 'dist/bundle/server.js');
  const compiled = existsSync(bundled) ? bundled : path.join(dir, 'dist/server.js');
  // A build older than the sources would measure old code: then the sources run. The newest file
  // of dist/ is the build's time: `tsc -b` rewrites only the files that changed, so server.js
  // itself keeps its old time after a build that changed other modules.
  const newest = (folder: string) =>
    Math.max(
      ...readdirSync(path.join(dir, folder), { recursive: true, encoding: 'utf8' }).map(
        (f) => statSync(path.join(dir, folder, f)).mtimeMs,
      ),
    );
  if (existsSync(compiled) && newest('dist') >= newest('src'))
    return { args: [compiled], runtime: `node ${path.relative(dir, compiled)}` };
  return {
    args: ['--import', 'tsx', path.join(dir, 'src/server.ts')],
    runtime: 'node --import tsx src/server.ts',
  };
}

async function start(name: string, nodeArgs: string[], cwd: string, env: Record<string, string>) {
  const started = await startServiceProcess({
    name,
    args: args.profile
      ? [
          `--cpu-prof`,
          `--cpu-prof-dir=${path.resolve(args.profile)}`,
          `--cpu-prof-name=${name.replaceAll(' ', '-')}.cpuprofile`,
          ...nodeArgs,
        ]
      : nodeArgs,
    cwd,
    env: { ...process.env, ...env },
    // The bare app has no health route: any answer on / means it listens.
    readyPath: '/',
    isReady: () => true,
  });
  children.push(started.child);
  if (started.child.pid !== undefined) await settled(started.child.pid);
  return { url: started.url, pid: started.child.pid };
}

/** A process's CPU time in ms: its own and its reaped children's. */
interface ProcessCpu {
  readonly own: number;
  readonly children: number;
}

/**
 * The command name and CPU time of the process at `pid` (Linux: /proc/<pid>/stat, fields 14–17,
 * user and system time and the same for reaped children, in clock ticks of 10 ms); undefined
 * elsewhere or when it has ended.
 */
function processCpu(pid: number | string): (ProcessCpu & { readonly name: string }) | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(') ');
    const f = stat.slice(close + 2).split(' ');
    return {
      name: stat.slice(stat.indexOf('(') + 1, close),
      own: (Number(f[11]) + Number(f[12])) * 10,
      children: (Number(f[13]) + Number(f[14])) * 10,
    };
  } catch {
    return undefined;
  }
}

/** The CPU time the process at `pid` has used, in ms; undefined elsewhere than Linux. */
function cpuMs(pid: number | undefined): number | undefined {
  return pid === undefined ? undefined : processCpu(pid)?.own;
}

/** Each PostgreSQL process's CPU time, its own and its reaped children's, in ms, by pid. */
type PostgresCpu = Map<number, ProcessCpu>;

/**
 * The CPU time of every PostgreSQL process on this machine (Linux; undefined elsewhere): the
 * server's share of a request, which the subjects' own figures leave out. Only meaningful where
 * the benchmark is what PostgreSQL is busy with.
 */
function postgresCpu(): PostgresCpu | undefined {
  const out: PostgresCpu = new Map();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    // Children reaped: the postmaster's exited backends (undefined: the process ended meanwhile).
    const cpu = processCpu(entry);
    if (cpu?.name === 'postgres') out.set(Number(entry), cpu);
  }
  return out.size > 0 ? out : undefined;
}

/**
 * PostgreSQL's CPU time between two readings, in ms: for a process in both, what it added; for one
 * started since, all of it; a backend that ended since is in its parent's reaped-children time,
 * all of its life, so what it had used at the first reading is taken off again.
 */
function postgresCpuBetween(before: PostgresCpu | undefined, after: PostgresCpu | undefined) {
  if (before === undefined || after === undefined) return undefined;
  let total = 0;
  for (const [pid, now] of after) {
    const then = before.get(pid);
    total += now.own - (then?.own ?? 0) + now.children - (then?.children ?? 0);
  }
  for (const [pid, then] of before) if (!after.has(pid)) total -= then.own;
  return total;
}

/**
 * Resolves once the process at `pid` has used less than a tenth of a core for half a second (Linux:
 * its CPU time in /proc; elsewhere at once), or after 30 s. The service compiles its remaining
 * route schemas in the background after it is ready (lazy-schemas.ts), seconds of CPU that would
 * otherwise fall into the first measured read.
 */
async function settled(pid: number) {
  const deadline = Date.now() + 30_000;
  let last = cpuMs(pid);
  let quiet = 0;
  while (last !== undefined && quiet < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = cpuMs(pid);
    if (now === undefined) return;
    quiet = now - last < 25 ? quiet + 1 : 0;
    last = now;
  }
}

/** The service's tree at a git commit, in a temporary folder that uses this tree's node_modules. */
function extract(ref: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sparring-bench-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const tar = execFileSync('git', ['archive', '--format=tar', ref, 'services/api', 'packages/domain'], {
    cwd: REPO_DIR,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  for (const sub of ['node_modules', 'services/api/node_modules', 'packages/domain/node_modules']) {
    mkdirSync(path.dirname(path.join(dir, sub)), { recursive: true });
    symlinkSync(path.join(REPO_DIR, sub), path.join(dir, sub));
  }
  return path.join(dir, 'services/api');
}

// ---------------------------------------------------------------------------------------------
// The reads

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

interface Subject {
  readonly name: string;
  readonly url: string;
  /** Its process, for its CPU time. */
  readonly pid: number | undefined;
}

interface Read {
  readonly name: string;
  /** What the service is asked. */
  readonly calls: readonly Call[];
  /** What it is compared with: the bare app (same calls) or the service's REST calls. */
  readonly baseline?: { readonly label: string; readonly calls: readonly Call[]; readonly bare: boolean };
  readonly target?: number;
  /** Requests that change data: cycled through per request. */
  readonly write?: (i: number) => Call;
}

const gqlCall = (query: string, variables: Record<string, unknown>, auth: string): Call => ({
  method: 'POST',
  path: '/graphql',
  body: JSON.stringify({ query, variables }),
  headers: { authorization: auth, 'content-type': 'application/json' },
});

function reads(demo: DemoResult, memberTokens: readonly string[]): Read[] {
  const auth = `Bearer ${demo.adminKey}`;
  const get = (p: string): Call => ({ method: 'GET', path: p, headers: { authorization: auth } });
  const id = demo.networkId;
  const network = get(`/v1/networks/${id}`);
  const leaders = get('/v1/leaders?limit=50');
  const health = get(`/v1/networks/${id}/health`);
  const meetings = get(`/v1/networks/${id}/meetings`);
  const attendance = demo.meetingIds.map((m) => get(`/v1/meetings/${m}/attendance`));
  const bare = (calls: Call[]) => ({ label: 'bare Fastify + pg', calls, bare: true });
  const rest = (calls: Call[]) => ({ label: `REST (${calls.length} calls)`, calls, bare: false });
  const next = demo.meetingIds.at(-1)!;
  return [
    { name: 'network read (GET /v1/networks/{id})', calls: [network], baseline: bare([network]), target: 1 },
    { name: 'leader list page (GET /v1/leaders)', calls: [leaders], baseline: bare([leaders]), target: 1 },
    { name: 'health (GET …/health)', calls: [health], baseline: bare([health]), target: 1 },
    { name: 'meeting list (GET …/meetings)', calls: [meetings], baseline: bare([meetings]), target: 1 },
    {
      name: 'GraphQL network { members { leader } }',
      calls: [
        gqlCall(
          'query ($id: ID!) { network(id: $id) { id name status members { leaderId name organisation role active leader { id name email sector level organisation } } } }',
          { id },
          auth,
        ),
      ],
      baseline: rest([network, leaders]),
      target: 0.9,
    },
    {
      name: 'GraphQL network { meetings { attendance } health }',
      calls: [
        gqlCall(
          'query ($id: ID!) { network(id: $id) { id name status meetings { id sequence status startsAt attendance { leaderId status late } } health { band index attendance { expected attended cancellations noShows } trend { direction } signals { code severity } } } }',
          { id },
          auth,
        ),
      ],
      baseline: rest([network, meetings, ...attendance, health]),
      target: 0.9,
    },
    {
      name: 'write: afbud/confirm (POST /v1/meetings/{id}/attendance/me)',
      calls: [],
      write: (i) => ({
        method: 'POST',
        path: `/v1/meetings/${next}/attendance/me`,
        body: JSON.stringify({
          status: Math.floor(i / memberTokens.length) % 2 === 0 ? 'cancelled' : 'confirmed',
        }),
        headers: {
          authorization: memberTokens[i % memberTokens.length]!,
          'content-type': 'application/json',
        },
      }),
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Measurement {
  /** Operations per second: a sequence of n calls counts once. */
  readonly rate: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  /**
   * The subject's CPU time per operation, in ms: far steadier than req/s on a machine where other
   * work competes for the cores (it counts what the subject did, not what it was given time for).
   */
  readonly cpuPerOp: number | undefined;
  /** PostgreSQL's CPU time per operation over the same run, in ms (`postgresCpuBetween`). */
  readonly pgCpuPerOp: number | undefined;
}

async function measure(
  { url, pid }: Subject,
  calls: readonly Call[],
  seconds: number,
  write?: (i: number) => Call,
): Promise<Measurement> {
  let i = 0;
  const requests = write
    ? [
        {
          setupRequest: (request: Record<string, unknown>) => {
            const call = write(i++);
            return { ...request, ...call, headers: { ...(request.headers as object), ...call.headers } };
          },
        },
      ]
    : calls.map((c) => ({ method: c.method, path: c.path, headers: c.headers, body: c.body }));
  const cpuBefore = cpuMs(pid);
  const pgBefore = postgresCpu();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: seconds, requests });
  const cpuAfter = cpuMs(pid);
  const pgAfter = postgresCpu();
  const perOperation = write ? 1 : calls.length;
  const operations = result.requests.total / perOperation;
  const pgMs = postgresCpuBetween(pgBefore, pgAfter);
  const perOp = (before: number | undefined, after: number | undefined) =>
    before === undefined || after === undefined || operations === 0
      ? undefined
      : (after - before) / operations;
  return {
    cpuPerOp: perOp(cpuBefore, cpuAfter),
    pgCpuPerOp: pgMs === undefined || operations === 0 ? undefined : pgMs / operations,
    rate: result.requests.total / perOperation / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

async function fetchJson(base: string, call: Call) {
  const res = await fetch(base + call.path, {
    method: call.method,
    headers: call.headers,
    ...(call.body !== undefined ? { body: call.body } : {}),
  });
  const body = await res.json();
  if (res.status !== 200)
    throw new Error(`${call.method} ${call.path} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// ---------------------------------------------------------------------------------------------
// The run

async function main() {
  const databaseUrl = await createDatabase();
  const pgVersion = await serverVersion(databaseUrl);

  // Demo data through the service's own routes (in process, before the subjects start).
  process.stderr.write(`loading ${TENANTS} demo tenant(s)…\n`);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    SPARRING_RATE_LIMIT_PER_MINUTE: '1000000',
    SPARRING_BACKGROUND_JOBS: 'false',
  });
  const loader = await buildApp(config, { logger: false });
  await loader.ready();
  const demos: DemoResult[] = [];
  try {
    for (let t = 0; t < TENANTS; t++)
      demos.push(await loadDemo(loader, { tenantName: `bench tenant ${t + 1}` }));
  } finally {
    await loader.close();
  }
  const demo = demos[0]!;

  const env = { ...SERVICE_ENV, DATABASE_URL: databaseUrl };
  const own = serviceCommand(API_DIR);
  const subjects: Record<string, Subject> = {
    service: { name: 'service', ...(await start('service', own.args, API_DIR, env)) },
    bare: {
      name: 'bare',
      ...(await start(
        'bare app',
        ['--import', 'tsx', path.join(API_DIR, 'bench/bare-app.ts')],
        API_DIR,
        env,
      )),
    },
  };
  let compareRuntime: string | undefined;
  if (args.compare) {
    const dir = extract(args.compare);
    const command = serviceCommand(dir);
    compareRuntime = command.runtime;
    subjects.before = {
      name: `service@${args.compare}`,
      ...(await start('compared service', command.args, dir, env)),
    };
  }

  // Member tokens for the write (minted through the service).
  const adminAuth = { authorization: `Bearer ${demo.adminKey}` };
  const members = (await fetchJson(subjects.service!.url, {
    method: 'GET',
    path: `/v1/networks/${demo.networkId}`,
    headers: adminAuth,
  })) as { members: { leaderId: string }[] };
  const memberTokens: string[] = [];
  for (const m of members.members.slice(0, 6)) {
    const minted = await fetch(`${subjects.service!.url}/v1/leaders/${m.leaderId}/member-tokens`, {
      method: 'POST',
      headers: { ...adminAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ ttlSeconds: 86_400 }),
    });
    memberTokens.push(`Bearer ${((await minted.json()) as { token: string }).token}`);
  }

  const all = reads(demo, memberTokens).filter((r) => !ONLY || ONLY.test(r.name));

  // The baseline must answer the same: same reads, same JSON.
  for (const read of all) {
    if (read.baseline?.bare) {
      for (const call of read.calls) {
        const [a, b] = [
          await fetchJson(subjects.service!.url, call),
          await fetchJson(subjects.bare!.url, call),
        ];
        if (!isDeepStrictEqual(a, b)) {
          throw new Error(
            `the bare app answers ${call.path} differently:\n${JSON.stringify(a)}\n${JSON.stringify(b)}`,
          );
        }
      }
    }
    for (const call of read.calls.filter((c) => c.path === '/graphql')) {
      const body = (await fetchJson(subjects.service!.url, call)) as { data: unknown; errors?: unknown };
      if (body.errors || !body.data) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
    }
  }

  type Row = { read: Read; runs: Record<string, Measurement[]> };
  const rows: Row[] = all.map((read) => ({ read, runs: {} }));
  const plan = (row: Row) => {
    const out: { key: string; subject: Subject; calls: readonly Call[] }[] = [
      { key: 'service', subject: subjects.service!, calls: row.read.calls },
    ];
    if (row.read.baseline) {
      const target = row.read.baseline.bare ? subjects.bare! : subjects.service!;
      out.push({ key: 'baseline', subject: target, calls: row.read.baseline.calls });
    }
    if (subjects.before) out.push({ key: 'before', subject: subjects.before, calls: row.read.calls });
    return out;
  };

  process.stderr.write(
    `warm-up ${WARMUP} s, then ${ROUNDS} × ${DURATION} s per subject and read, ${CONNECTIONS} connections\n`,
  );
  for (const row of rows) {
    for (const p of plan(row)) await measure(p.subject, p.calls, WARMUP, row.read.write);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const row of rows) {
      const order = plan(row);
      if (round % 2 === 1) order.reverse();
      for (const p of order) {
        process.stderr.write(`  round ${round + 1}: ${row.read.name} — ${p.key}\n`);
        const m = await measure(p.subject, p.calls, DURATION, row.read.write);
        row.runs[p.key] = [...(row.runs[p.key] ?? []), m];
      }
    }
  }

  // The table.
  const summary = (ms: Measurement[] | undefined) =>
    ms && {
      rate: median(ms.map((m) => m.rate)),
      p50: median(ms.map((m) => m.p50)),
      p99: median(ms.map((m) => m.p99)),
      failed: ms.reduce((s, m) => s + m.failed, 0),
      cpuPerOp: ms.every((m) => m.cpuPerOp !== undefined) ? median(ms.map((m) => m.cpuPerOp!)) : undefined,
      pgCpuPerOp: ms.every((m) => m.pgCpuPerOp !== undefined)
        ? median(ms.map((m) => m.pgCpuPerOp!))
        : undefined,
    };
  const fmt = (n: number | undefined, digits = 0) =>
    n === undefined
      ? ''
      : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const cpu = os.cpus();
  console.log(
    `\nAPI benchmark ${new Date().toISOString()} — ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, Node ${process.version}, ` +
      `PostgreSQL ${pgVersion} on ${new URL(BASE_URL).host}\n` +
      `service: ${own.runtime}${compareRuntime ? `; service@${args.compare}: ${compareRuntime}` : ''}; ` +
      `rate limit store: ${process.env.SPARRING_RATE_LIMIT_STORE || "the service's default"}; ` +
      `${CONNECTIONS} connections, ${ROUNDS} × ${DURATION} s per subject (median), interleaved\n`,
  );
  const header = [
    'read',
    'req/s',
    'p50 ms',
    'p99 ms',
    'baseline',
    'req/s',
    'p50 ms',
    'p99 ms',
    'ratio',
    'target',
    'CPU ms/op',
    'baseline CPU ms/op',
    'PG CPU ms/op',
    'baseline PG CPU ms/op',
  ];
  if (subjects.before) header.push(`@${args.compare} req/s`, 'after/before');
  const lines = [header, header.map(() => '---')];
  const results = [];
  for (const row of rows) {
    const s = summary(row.runs.service)!;
    const b = summary(row.runs.baseline);
    const before = summary(row.runs.before);
    const ratio = b ? s.rate / b.rate : undefined;
    const line = [
      row.read.name,
      fmt(s.rate),
      fmt(s.p50, 1),
      fmt(s.p99, 1),
      row.read.baseline?.label ?? '—',
      fmt(b?.rate),
      fmt(b?.p50, 1),
      fmt(b?.p99, 1),
      ratio === undefined ? '' : `${fmt(ratio, 2)}×`,
      row.read.target === undefined
        ? ''
        : `≥ ${fmt(row.read.target, 1)}× ${ratio !== undefined && ratio >= row.read.target ? 'met' : 'NOT met'}`,
      fmt(s.cpuPerOp, 2),
      fmt(b?.cpuPerOp, 2),
      fmt(s.pgCpuPerOp, 2),
      fmt(b?.pgCpuPerOp, 2),
    ];
    if (subjects.before) line.push(fmt(before?.rate), before ? `${fmt(s.rate / before.rate, 2)}×` : '');
    lines.push(line);
    const failed = s.failed + (b?.failed ?? 0) + (before?.failed ?? 0);
    if (failed > 0)
      console.log(`note: ${row.read.name}: ${failed} requests failed (non-2xx, errors or timeouts)`);
    results.push({ read: row.read.name, service: s, baseline: b, before, ratio, target: row.read.target });
  }
  console.log(lines.map((l) => `| ${l.join(' | ')} |`).join('\n'));
  console.log(
    '\nRatios compare subjects measured in the same run on the same machine; absolute req/s depend on what else runs.' +
      "\nCPU ms/op: the process's own CPU time (user + system, /proc) over a measured run ÷ its operations (median of runs);" +
      ' what the app spends per operation, much less moved by other load than req/s. PG CPU ms/op: the same for all' +
      " PostgreSQL processes of the machine (the server's share of an operation).",
  );
  if (args.json) console.log(JSON.stringify({ date: new Date().toISOString(), pgVersion, results }, null, 2));
}

try {
  await main();
} catch (error) {
  console.error(`bench:api: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
