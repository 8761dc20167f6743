/**
 * `pnpm bench:bulk`: the bulk upsert (POST /v1/leaders/bulk) loading 10,000 leaders in batches of
 * 1,000, on the embedded database (PGlite in a fresh data folder) and, when DATABASE_URL is set,
 * on PostgreSQL (a fresh database created on that server and dropped after). See
 * docs/benchmarks.md ("Bulk upsert").
 *
 * Each engine runs in its own child process (so its peak RSS is its own): the service is built
 * and listens on a free port, a tenant is created, one batch warms the service up (into another
 * tenant, not measured), and the batches are sent over HTTP one after the other, as an HR
 * system's nightly sync does. Three passes over the same 10,000 people:
 * 1. create: every leader new (a tenth name their manager by `managerExternalId`);
 * 2. repeat: the same requests again, every leader `unchanged` (the idempotent re-run);
 * 3. change: the same requests with one leader in ten changed (`updated`), the rest unchanged.
 * Printed per pass: total time, per-request p50 and max; per engine: RSS after start, the peak RSS
 * and JS heap sampled while the passes ran, and the process's peak RSS over its life (start-up
 * and migrations included). One process holds the service, the client building the bodies and,
 * when embedded, the database.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const USAGE = `usage: pnpm bench:bulk [-- options]
  --leaders N     leaders in all (default 10000)
  --batch N       leaders per request (default 1000, the maximum)
  --engine E      pglite or postgres: run one engine in this process (default: each in a child)
  --json          print the results as JSON too
DATABASE_URL      also run on this PostgreSQL server (a fresh database is created and dropped)`;

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => i > 0 || a !== '--'),
  options: {
    leaders: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '1000' },
    engine: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const LEADERS = Number(args.leaders);
const BATCH = Number(args.batch);
if (!Number.isInteger(LEADERS) || LEADERS < 1 || !Number.isInteger(BATCH) || BATCH < 1 || BATCH > 1000) {
  console.error(`bench:bulk: --leaders must be a positive integer and --batch 1 to 1000\n${USAGE}`);
  process.exit(2);
}

interface PassResult {
  readonly pass: string;
  readonly requests: number;
  readonly totalMs: number;
  readonly p50Ms: number;
  readonly maxMs: number;
  /** CPU seconds of this process (user + system) over the pass: less bent by a loaded machine. */
  readonly cpuS: number;
  readonly counts: { created: number; updated: number; unchanged: number };
}
interface EngineResult {
  readonly engine: string;
  readonly leaders: number;
  readonly batch: number;
  readonly passes: PassResult[];
  /** RSS once started, migrated and warmed up: the baseline. */
  readonly rssAfterStartMb: number;
  /** The highest RSS and JS heap sampled (every 10 ms) while the passes ran. */
  readonly peakRssDuringMb: number;
  readonly peakHeapDuringMb: number;
  /** The process's peak RSS over its whole life (getrusage): start-up and migrations included. */
  readonly processPeakRssMb: number;
  readonly bodyBytes: number;
}

const MOTIVATIONS = ['people_leadership', 'dilemma_sparring', 'strategy', 'learning'];
const REGIONS = ['Hovedstaden', 'Sjælland', 'Syddanmark', 'Midtjylland', 'Nordjylland'];
const LEVELS = ['first_line', 'middle', 'senior', 'executive'];

/** The i-th person of the HR system; `revision` changes one in ten (the third pass). */
function person(i: number, revision: number) {
  const changed = revision > 0 && i % 10 === 0;
  return {
    externalId: `EMP-${String(i).padStart(6, '0')}`,
    name: `Leder ${i}`,
    email: `leder${i}@kommune${i % 98}.example.dk`,
    sector: i % 3 === 0 ? 'private' : 'public',
    organisation: `Organisation ${i % 250}`,
    level: LEVELS[i % LEVELS.length],
    yearsOfExperience: (i % 30) + (changed ? 1 : 0),
    region: REGIONS[i % REGIONS.length],
    languages: i % 4 === 0 ? ['da', 'en'] : ['da'],
    motivations: [MOTIVATIONS[i % 4], MOTIVATIONS[(i + 1) % 4]],
    availability: ['weekday_daytime'],
    formats: i % 2 === 0 ? ['in_person'] : ['in_person', 'online'],
    preferredCadenceMonths: [1, 2, 3][i % 3],
    sameness: { sector: 'same', experience: 'no_preference', organisation: 'different' },
    // One in ten names a manager, person i / 2: in an earlier batch, or in the same one.
    ...(i % 10 === 5 ? { managerExternalId: `EMP-${String(Math.floor(i / 2)).padStart(6, '0')}` } : {}),
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function createPostgresDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sparring_bench_bulk_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** One engine, in this process. */
async function runEngine(engine: 'pglite' | 'postgres'): Promise<EngineResult> {
  // Imported here: the orchestrating parent never loads the service.
  const { buildApp } = await import('../src/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { createTenant } = await import('../src/tenants/tenant.repository.js');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'sparring-bench-bulk-'));
  const database =
    engine === 'postgres' ? await createPostgresDatabase(process.env.DATABASE_URL as string) : undefined;
  const config = loadConfig({
    SPARRING_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SPARRING_RATE_LIMIT_PER_MINUTE: '1000000',
    SPARRING_BACKGROUND_JOBS: 'false',
    ...(database ? { DATABASE_URL: database.url } : {}),
  });
  const app = await buildApp(config, { logger: false });
  try {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { adminKey } = await createTenant(app.db, { name: 'Bench Kommune' });
    // Warm-up, not measured: one batch into another tenant, so the first measured request does
    // not pay for compiling the route's validators and the first run of its code.
    const warmUp = await createTenant(app.db, { name: 'Warm-up' });
    const warm = await fetch(`${address}/v1/leaders/bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${warmUp.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ leaders: Array.from({ length: BATCH }, (_, k) => person(k, 0)) }),
    });
    if (warm.status !== 200) throw new Error(`bench:bulk: warm-up ${warm.status} ${await warm.text()}`);
    const rssAfterStart = process.memoryUsage().rss;
    const peak = { rss: rssAfterStart, heap: process.memoryUsage().heapUsed };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heap = Math.max(peak.heap, m.heapUsed);
    }, 10);
    let bodyBytes = 0;
    const runPass = async (pass: string, revision: number): Promise<PassResult> => {
      const times: number[] = [];
      const counts = { created: 0, updated: 0, unchanged: 0 };
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      for (let from = 0; from < LEADERS; from += BATCH) {
        const leaders = Array.from({ length: Math.min(BATCH, LEADERS - from) }, (_, k) =>
          person(from + k, revision),
        );
        const body = JSON.stringify({ leaders });
        bodyBytes = Math.max(bodyBytes, Buffer.byteLength(body));
        const t0 = performance.now();
        const res = await fetch(`${address}/v1/leaders/bulk`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          body,
        });
        const outcome = (await res.json()) as typeof counts;
        times.push(performance.now() - t0);
        if (res.status !== 200)
          throw new Error(`bench:bulk: ${res.status} ${JSON.stringify(outcome).slice(0, 500)}`);
        counts.created += outcome.created;
        counts.updated += outcome.updated;
        counts.unchanged += outcome.unchanged;
      }
      const totalMs = performance.now() - started;
      const cpu = process.cpuUsage(cpuBefore);
      const sorted = [...times].sort((a, b) => a - b);
      return {
        pass,
        requests: times.length,
        totalMs: Math.round(totalMs),
        p50Ms: Math.round(percentile(sorted, 50)),
        maxMs: Math.round(sorted.at(-1)!),
        cpuS: Math.round((cpu.user + cpu.system) / 10_000) / 100,
        counts,
      };
    };
    const passes = [
      await runPass('create', 0),
      await runPass('repeat (unchanged)', 0),
      await runPass('change 10 %', 1),
    ];
    clearInterval(sampler);
    const expected = [
      { created: LEADERS, updated: 0, unchanged: 0 },
      { created: 0, updated: 0, unchanged: LEADERS },
      { created: 0, updated: Math.ceil(LEADERS / 10), unchanged: LEADERS - Math.ceil(LEADERS / 10) },
    ];
    passes.forEach((p, i) => {
      if (JSON.stringify(p.counts) !== JSON.stringify(expected[i]))
        throw new Error(
          `bench:bulk: ${p.pass} gave ${JSON.stringify(p.counts)}, expected ${JSON.stringify(expected[i])}`,
        );
    });
    return {
      engine,
      leaders: LEADERS,
      batch: BATCH,
      passes,
      rssAfterStartMb: mb(rssAfterStart),
      peakRssDuringMb: mb(peak.rss),
      peakHeapDuringMb: mb(peak.heap),
      processPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      bodyBytes,
    };
  } finally {
    await app.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs one engine in a child process (its own peak RSS) and reads its JSON result. */
function runChild(engine: string): Promise<EngineResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@sparring/source',
        '--import',
        'tsx',
        import.meta.filename,
        '--engine',
        engine,
        '--leaders',
        String(LEADERS),
        '--batch',
        String(BATCH),
        '--json',
      ],
      { cwd: path.resolve(import.meta.dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{"engine"'));
      if (code !== 0 || !line)
        reject(new Error(`bench:bulk: the ${engine} run failed (exit ${code})\n${out}`));
      else resolve(JSON.parse(line) as EngineResult);
    });
  });
}

function print(results: EngineResult[]) {
  console.log(
    `\nBulk upsert: ${LEADERS} leaders in requests of ${BATCH} (Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'})`,
  );
  console.log('| engine | pass | requests | total | p50 / request | max / request | CPU (this process) |');
  console.log('|---|---|--:|--:|--:|--:|--:|');
  for (const r of results) {
    for (const p of r.passes) {
      console.log(
        `| ${r.engine} | ${p.pass} | ${p.requests} | ${(p.totalMs / 1000).toFixed(2)} s | ${p.p50Ms} ms | ${p.maxMs} ms | ${p.cpuS.toFixed(2)} s |`,
      );
    }
  }
  console.log(
    '\n| engine | RSS after start | peak RSS during the passes | peak JS heap during | process peak RSS | largest body |',
  );
  console.log('|---|--:|--:|--:|--:|--:|');
  for (const r of results) {
    console.log(
      `| ${r.engine} | ${r.rssAfterStartMb} MB | ${r.peakRssDuringMb} MB | ${r.peakHeapDuringMb} MB | ${r.processPeakRssMb} MB | ${(r.bodyBytes / 1024).toFixed(0)} KiB |`,
    );
  }
}

if (args.engine) {
  if (args.engine !== 'pglite' && args.engine !== 'postgres') {
    console.error(`bench:bulk: --engine is pglite or postgres\n${USAGE}`);
    process.exit(2);
  }
  if (args.engine === 'postgres' && !process.env.DATABASE_URL) {
    console.error('bench:bulk: --engine postgres needs DATABASE_URL');
    process.exit(2);
  }
  const result = await runEngine(args.engine);
  if (args.json) console.log(JSON.stringify(result));
  else print([result]);
} else {
  const results = [await runChild('pglite')];
  if (process.env.DATABASE_URL) results.push(await runChild('postgres'));
  else console.log('bench:bulk: DATABASE_URL is not set; PostgreSQL skipped');
  print(results);
  if (args.json) console.log(JSON.stringify(results, null, 2));
}
