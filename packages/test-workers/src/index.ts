/**
 * A package's test workers: `tap` (each package's `test` script) runs the files of the package's
 * `test/workers/` folder, one process per file, two at a time (.taprc `jobs`), and each of them
 * runs the package's test files one after another in its own process, each file in a subtest of
 * its own (./tap.ts).
 *
 * Why: a test file pays seconds of CPU before its first test (node with tap's loaders, the
 * TypeScript it imports compiled again, in the service an app and a database copy); run one process
 * per file, that fixed cost was half of the service's suite and two thirds of the domain's. A
 * worker compiles and imports each module once. The repository's docs/testing.md: what a file must
 * not leave behind; docs/benchmarks.md, "Test speed": the figures.
 *
 * Which worker runs which file is decided as they go: a worker claims the next file nobody has
 * claimed (a directory made atomically in a folder of this run), so the workers finish together
 * whatever the files cost; the slowest files known go first. A file is still one unit: its tests
 * and its teardown run together, and a file can still be run alone with `npx tap <file>`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import tap from 'tap';
import { standFor } from './tap.js';

/** One package's test files, as its workers find and order them. */
export interface Suite {
  /** The package's folder; the paths below are relative to it, with `/`. */
  readonly root: string;
  /** The folders holding test files (`*.test.ts`, searched recursively). */
  readonly folders: readonly string[];
  /** The folder of the workers themselves, whose files are not test files to run. */
  readonly workers: string;
  /**
   * The files known to take longest, started first so that no worker is left with a long file at
   * the end. Only an order: the files not named here follow alphabetically.
   */
  readonly slowestFirst: readonly string[];
  /** The most one file may take (a worker as a whole has .taprc's timeout). */
  readonly fileTimeoutMs: number;
}

/**
 * The suite's test files, slowest known first; `only` (SPARRING_TEST_FILES, comma-separated names
 * or paths, matched by file name) keeps those named, to run a few files together in one process as
 * the workers would.
 */
export function testFiles(
  suite: Suite,
  only: string | null = process.env.SPARRING_TEST_FILES ?? null,
): string[] {
  const named = only?.split(',').map((name) => path.basename(name.trim()));
  const files = suite.folders
    .flatMap((folder) =>
      readdirSync(path.join(suite.root, folder), { recursive: true, encoding: 'utf8' }).map((file) =>
        path.posix.join(folder, file.replaceAll(path.sep, '/')),
      ),
    )
    .filter((file) => file.endsWith('.test.ts') && !file.startsWith(`${suite.workers}/`))
    .filter((file) => !named || named.includes(path.posix.basename(file)))
    .sort();
  const rank = (file: string) => {
    const i = suite.slowestFirst.indexOf(file);
    return i === -1 ? suite.slowestFirst.length : i;
  };
  return files.sort((a, b) => rank(a) - rank(b));
}

/**
 * A test file must use ./tap.ts's `t`: tap's own root `t` would put the file's tests on the
 * worker's root, outside the file's subtest, and its teardown at the worker's end.
 */
export function checkTestFile(source: string): string | undefined {
  if (/^import\s+(?!type\b)[^;]*from\s+['"]tap['"]/m.test(source)) {
    return "imports tap's root test: import t from '@sparring/test-workers/tap' instead (docs/testing.md)";
  }
  return undefined;
}

/**
 * What is wrong with a suite as written: a name in `slowestFirst` that is no test file (a stale
 * name orders nothing), and every test file that `checkTestFile` refuses. Empty when all is well;
 * each package's tests assert that of its own suite.
 */
export function suiteProblems(suite: Suite): string[] {
  const files = testFiles(suite, null);
  return [
    ...suite.slowestFirst
      .filter((name) => !files.includes(name))
      .map((name) => `${name}: in slowestFirst, not a test file`),
    ...files.flatMap((file) => {
      const refused = checkTestFile(readFileSync(path.join(suite.root, file), 'utf8'));
      return refused ? [`${file}: ${refused}`] : [];
    }),
  ];
}

/**
 * The folder where this run's workers claim files: one per `tap` run, named after the runner's
 * process (the workers' parent) and, where Linux tells it, that process's start time, so two runs
 * at once (PGlite and PostgreSQL, or two packages) or an old run's leftovers never share one.
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
      // Removed by another worker meanwhile.
    }
  }
  const folder = path.join(root, `${process.ppid}-${started}`);
  mkdirSync(folder, { recursive: true });
  return folder;
}

/** True when this worker is the first to claim `file` in this run. */
function claim(folder: string, file: string): boolean {
  try {
    mkdirSync(path.join(folder, file.replaceAll('/', '__')));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Runs every test file of `suite` no other worker of this run has claimed, one after another. */
export async function runWorker(suite: Suite): Promise<void> {
  const folder = queueFolder();
  for (const file of testFiles(suite)) {
    if (!claim(folder, file)) continue;
    const absolute = path.join(suite.root, file);
    await tap.test(file, { timeout: suite.fileTimeoutMs }, async (t) => {
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
