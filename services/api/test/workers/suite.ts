/**
 * The suite's test workers: `tap` (the README's test command) runs the files of this folder, one
 * process per file, two at a time (.taprc `jobs`), and each of them runs the service's test files
 * one after another in its own process, each file in a subtest of its own (../helpers/tap.ts).
 *
 * Why: a test file pays about 6–7 s of CPU before its first test (node with tap's loaders, the app
 * imported through tsx, a copy of the template database); run one process per file, that fixed
 * cost was half of the suite. A worker imports the app once and pays only the database copy per
 * file. docs/testing.md: what a file must not leave behind; docs/benchmarks.md, "Test speed": the
 * figures.
 *
 * Which worker runs which file is decided as they go: a worker claims the next file nobody has
 * claimed (a directory made atomically in a folder of this run), so the two finish together
 * whatever the files cost; the slowest files known go first. A file is still one unit: its tests,
 * its app and its teardown run together, and a file can still be run alone with
 * `npx tap test/<file>.test.ts`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import tap from 'tap';
import { standFor } from '../helpers/tap.js';

const testDir = path.resolve(import.meta.dirname, '..');

/**
 * The files that took longest in a worker, started first so that neither worker is left with a
 * long file at the end (seconds in the quiet run of 2026-12-03 on PGlite, docs/benchmarks.md "Test
 * speed"). Only an order: the files not named here follow alphabetically.
 */
export const SLOWEST_FIRST = [
  'bad-input.test.ts', // 149 s
  'runtime.test.ts', // 38 s
  'webhooks.process.test.ts', // 30 s
  'tenants.test.ts', // 24 s
  'formation.searches.test.ts', // 22 s
  'confidentiality.test.ts', // 21 s
  'replicas.test.ts', // 19 s
  'member-pages.browser.test.ts', // 19 s
];

/**
 * Per file: the most a file may take (a worker has .taprc's timeout). The longest file,
 * bad-input, took 644 s on a machine at load 6–7 running one file per process, and 1,160 s in a
 * worker there with a benchmark beside it.
 */
const FILE_TIMEOUT_MS = 1_800_000;

/**
 * The service's test files, slowest known first; `only` (SPARRING_TEST_FILES, comma-separated
 * names) keeps those named, to run a few files together in one process as the workers would.
 */
export function testFiles(only: string | null = process.env.SPARRING_TEST_FILES ?? null): string[] {
  const named = only?.split(',').map((name) => path.basename(name.trim()));
  const files = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts') && !file.startsWith(`workers${path.sep}`))
    .filter((file) => !named || named.includes(path.basename(file)))
    .sort();
  const rank = (file: string) => {
    const i = SLOWEST_FIRST.indexOf(file);
    return i === -1 ? SLOWEST_FIRST.length : i;
  };
  return files.sort((a, b) => rank(a) - rank(b));
}

/**
 * A test file must use ./helpers/tap.js's `t`: tap's own root `t` would put the file's tests on the
 * worker's root, outside the file's subtest, and its teardown (closing its app) at the worker's end.
 */
export function checkTestFile(source: string): string | undefined {
  if (/^import\s+(?!type\b)[^;]*from\s+['"]tap['"]/m.test(source)) {
    return "imports tap's root test: import t from './helpers/tap.js' instead (test/workers/suite.ts)";
  }
  return undefined;
}

/**
 * The folder where this run's workers claim files: one per `tap` run, named after the runner's
 * process (the workers' parent) and, where Linux tells it, that process's start time, so two runs
 * at once (PGlite and PostgreSQL) or an old run's leftovers never share one.
 */
function queueFolder(): string {
  let started = '';
  try {
    started = readFileSync(`/proc/${process.ppid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19] ?? '';
  } catch {
    // Not Linux: the parent's pid alone.
  }
  const root = path.join(tmpdir(), 'sparring-test-queue');
  mkdirSync(root, { recursive: true });
  const dayAgo = Date.now() - 86_400_000;
  for (const old of readdirSync(root)) {
    const folder = path.join(root, old);
    try {
      if (statSync(folder).mtimeMs < dayAgo) rmSync(folder, { recursive: true, force: true });
    } catch {
      // Removed by the other worker meanwhile.
    }
  }
  const folder = path.join(root, `${process.ppid}-${started}`);
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** True when this worker is the first to claim `file` in this run. */
function claim(folder: string, file: string): boolean {
  try {
    mkdirSync(path.join(folder, file.replaceAll(path.sep, '__')));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Runs every test file no other worker of this run has claimed, one after another. */
export async function runWorker(): Promise<void> {
  const folder = queueFolder();
  for (const file of testFiles()) {
    if (!claim(folder, file)) continue;
    const absolute = path.join(testDir, file);
    await tap.test(`test/${file}`, { timeout: FILE_TIMEOUT_MS }, async (t) => {
      const refused = checkTestFile(readFileSync(absolute, 'utf8'));
      if (refused) {
        t.fail(refused);
        return;
      }
      standFor(t);
      await import(pathToFileURL(absolute).href);
    });
    standFor();
  }
}
